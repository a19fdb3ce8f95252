"""Datasets of our schema for tests, created through CKAN's actions."""
from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml
from ckan.tests import factories, helpers

from ckanext.shanghai.common.domains import DEFAULT_FILE
from ckanext.shanghai.portal import seed

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
    admin = factories.Sysadmin()
    seed.ensure_domain_groups(admin["name"])


def domains_file(folder: Path, *, without: str = "", extra: str = "") -> Path:
    """A domains file for ``ckanext.shanghai.domains_file``: the shipped domains less
    ``without``, plus a domain coded ``extra``."""
    data = yaml.safe_load(DEFAULT_FILE.read_text(encoding="utf-8"))
    data["domains"] = [d for d in data["domains"] if d["code"] != without]
    if extra:
        data["domains"].append({"code": extra, "title": f"领域{extra}", "title_en": extra,
                                "description": "测试", "description_en": "test", "icon": "star"})
    path = folder / "domains.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
