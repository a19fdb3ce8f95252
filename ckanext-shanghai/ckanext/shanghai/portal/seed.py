"""Loads the seed catalogue into CKAN through its actions, the way harvested data
arrives: domains become groups, departments organisations, seed entries datasets.

Every step is idempotent: what exists (by name) is left alone, so a second run
adds nothing.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from . import domains

if TYPE_CHECKING:
    from catalog_seed.generate import SeedDataset

log = logging.getLogger(__name__)


def _context(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": True}


def _existing_groups(names: Iterable[str], *, organisations: bool) -> set[str]:
    query = sa.select(model.Group.name).where(
        model.Group.name.in_(list(names)), model.Group.state == "active",
        model.Group.is_organization.is_(organisations))
    return set(model.Session.scalars(query))


def _existing_datasets(names: Iterable[str]) -> set[str]:
    query = sa.select(model.Package.name).where(
        model.Package.name.in_(list(names)), model.Package.state != "deleted")
    return set(model.Session.scalars(query))


def ensure_sysadmin(name: str, password: str) -> None:
    """Create the sysadmin ``name`` unless it exists; make sure it is a sysadmin."""
    user = model.User.get(name)
    if user is None:
        tk.get_action("user_create")({"ignore_auth": True}, {
            "name": name, "password": password, "email": f"{name}@example.gov.cn",
            "fullname": "平台管理员"})
        user = model.User.get(name)
    assert user is not None
    if not user.sysadmin:
        user.sysadmin = True
        model.Session.commit()


def ensure_domain_groups(user: str) -> int:
    """Create the domain groups that are missing; returns how many were made."""
    wanted = domains.configured_domains()
    existing = _existing_groups((d.code for d in wanted), organisations=False)
    for domain in wanted:
        if domain.code not in existing:
            tk.get_action("group_create")(_context(user), domains.group_dict(domain))
    return len(wanted) - len(existing)


def ensure_departments(user: str, path: Path | None = None) -> int:
    """Create the department organisations that are missing."""
    from catalog_seed.generate import load_departments

    departments = load_departments(path)
    existing = _existing_groups((d["name"] for d in departments), organisations=True)
    made = 0
    for dept in departments:
        if dept["name"] in existing:
            continue
        tk.get_action("organization_create")(_context(user), {
            "name": dept["name"], "title": dept["title"],
            "description": dept.get("description", ""),
            "extras": [{"key": key, "value": str(dept[key])}
                       for key in ("title_en", "description_en", "code", "kind")
                       if dept.get(key)],
        })
        made += 1
    return made


def _upload_files(user: str, package_id: str, seed: SeedDataset, files_dir: Path) -> None:
    # resource_create is the path a department's upload takes (package_create
    # does not take file uploads).
    for seed_file in seed.files:
        path = seed_file.write(files_dir)
        with path.open("rb") as stream:
            tk.get_action("resource_create")(_context(user), dict(
                seed_file.resource, package_id=package_id, url=seed_file.filename,
                upload=FileStorage(stream=stream, filename=seed_file.filename)))


def load_datasets(user: str, files_dir: Path,
                  seeds: Iterable[SeedDataset] | None = None) -> int:
    """Create the seed datasets that are missing, with their files uploaded."""
    from catalog_seed.generate import iter_seed_datasets

    seeds = list(iter_seed_datasets() if seeds is None else seeds)
    existing = _existing_datasets(s.dataset["name"] for s in seeds)
    files_dir.mkdir(parents=True, exist_ok=True)
    made = 0
    for seed in seeds:
        if seed.dataset["name"] in existing:
            continue
        package = tk.get_action("package_create")(_context(user), dict(seed.dataset))
        _upload_files(user, package["id"], seed, files_dir)
        made += 1
    return made
