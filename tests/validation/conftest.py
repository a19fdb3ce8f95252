"""Fixtures of the validation tests that run through CKAN: an administrator and the
car-parks dataset their uploads go into."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests import factories

from tests.factories import dataset


@pytest.fixture
def sysadmin() -> dict[str, Any]:
    return factories.Sysadmin()


@pytest.fixture
def parks(sysadmin: dict[str, Any]) -> dict[str, Any]:
    return dataset(user=sysadmin, name="car-parks", title="公共停车场", data_domain="transport")
