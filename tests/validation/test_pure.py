"""The validation engine and checks are pure: they import nothing of CKAN, so they can
be tested, benchmarked and reused without it."""
from __future__ import annotations

import subprocess
import sys


def test_engine_and_checks_import_no_ckan():
    code = ("import sys; import ckanext.shanghai.validation.engine, "
            "ckanext.shanghai.validation.checks; "
            "print(sorted(m for m in sys.modules if m == 'ckan' or m.startswith('ckan.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
