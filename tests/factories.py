"""Datasets of our schema for tests, created through CKAN's actions."""
from __future__ import annotations

import itertools
from typing import Any

from ckan.tests import factories, helpers

_codes = itertools.count(1)


def dataset_dict(**overrides: Any) -> dict[str, Any]:
    """A valid dataset dict of the Shanghai schema; ``overrides`` replace fields."""
    number = next(_codes)
    data: dict[str, Any] = {
        "name": f"dataset-{number}",
        "title": f"测试数据集{number}",
        "notes": "用于测试的示例数据。",
        "data_domain": "transport",
        "open_type": "unconditional",
        "share_type": "unconditional",
        "catalogue_code": f"T0001-TEST-{number:05d}",
        "update_frequency": "monthly",
        "release_date": "2016-01-05",
        "last_updated": "2016-06-01",
        "license_id": "cc-by",
    }
    data.update(overrides)
    return data


def dataset(user: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """Create a dataset as ``user`` (else as a new sysadmin); return package_show's dict."""
    context = {"user": (user or factories.Sysadmin())["name"]}
    if "owner_org" not in overrides:
        overrides["owner_org"] = factories.Organization()["id"]
    return helpers.call_action("package_create", context=context, **dataset_dict(**overrides))


def domain_groups() -> None:
    """The 12 domain groups, as ``ckan shanghai setup`` makes them."""
    from ckanext.shanghai.portal import seed

    admin = factories.Sysadmin()
    seed.ensure_domain_groups(admin["name"])
