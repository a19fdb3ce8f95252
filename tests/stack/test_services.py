"""The throw-away servers of ``stack test`` and ``stack bench``: no durability they do
not need."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk
import psycopg2
import pytest

from ckanext.shanghai.stack.services import DATABASE_URL_ENV, WITHOUT_DURABILITY


@pytest.mark.skipif(bool(os.environ.get(DATABASE_URL_ENV)),
                    reason="an external server keeps its own settings")
def test_the_throwaway_server_of_the_tests_does_not_wait_for_the_disk():
    conn = psycopg2.connect(tk.config["sqlalchemy.url"])
    try:
        with conn.cursor() as cur:
            shown = {}
            for name in WITHOUT_DURABILITY:
                cur.execute(f"SHOW {name}")
                shown[name] = cur.fetchone()[0]
    finally:
        conn.close()
    assert shown == WITHOUT_DURABILITY
