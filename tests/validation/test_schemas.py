"""The shipped Table Schemas: valid, realistic, two or more per domain, a default each."""
from __future__ import annotations

import json
import re

import frictionless
import pytest

from ckanext.shanghai.common import table_schemas
from ckanext.shanghai.common.domains import load_domains
from ckanext.shanghai.validation import runner

PATHS = sorted(table_schemas.DIRECTORY.glob("*/*.json"))


@pytest.mark.parametrize("path", PATHS, ids=[p.stem for p in PATHS])
def test_schema_is_a_valid_table_schema(path):
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert frictionless.Schema.validate_descriptor(descriptor).valid
    assert table_schemas.check_descriptor(descriptor) == []
    assert re.search(r"[\u4e00-\u9fff]", descriptor["title"])
    assert all(re.search(r"[\u4e00-\u9fff]", f["title"]) for f in descriptor["fields"])
    assert {"", "-", "无", "NULL"} <= set(descriptor["missingValues"])
    assert descriptor["primaryKey"]
    assert any(f.get("constraints", {}).get("required") for f in descriptor["fields"])


def test_two_or_more_schemas_in_each_of_the_12_domains():
    domains = [d.code for d in load_domains()]
    assert len(domains) == 12
    per_domain = {code: [p for p in PATHS if p.parent.name == code] for code in domains}
    assert all(len(found) >= 2 for found in per_domain.values()), per_domain
    assert len(PATHS) >= 24
    assert len(table_schemas.names()) == len(PATHS)  # names are unique


def test_every_domain_has_a_registered_default():
    defaults = runner.domain_defaults()
    domains = [d.code for d in load_domains()]
    assert set(defaults) == set(domains)
    assert all(name in table_schemas.names() for name in defaults.values())


def test_constraints_a_department_would_expect():
    """Pattern, ranges and the Shanghai bounding box really constrain the data."""
    schema = frictionless.Schema.from_descriptor(table_schemas.load("enterprise_registrations"))
    pattern = re.compile("^" + schema.get_field("credit_code").constraints["pattern"] + "$")
    assert pattern.match("91310000MA1FL1234X")
    assert not pattern.match("9131000MA1FL1234")  # 17 characters
    parks = table_schemas.load("car_parks")
    longitude = next(f for f in parks["fields"] if f["name"] == "longitude")
    assert longitude["constraints"] == {"minimum": 120.85, "maximum": 122.2}
