"""Loads the seed catalogue into CKAN through its actions, the way harvested data
arrives: domains become groups, departments organisations, seed entries datasets.

The seed is data: a folder written by ``python -m catalog_seed build DIR`` holding
``manifest.json`` (the ``organization_create`` dicts of the departments and, per
dataset, its ``package_create`` dict and its resources with the file each uploads)
and ``files/``. Nothing here imports ``catalog_seed``.

Every step is idempotent: what exists (by name) is left alone, so a second run
adds nothing.
"""
from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from . import domains, signals

#: the manifest layout this loader reads (``catalog_seed.build.MANIFEST_FORMAT``)
MANIFEST_FORMAT = 1

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


@dataclass(frozen=True)
class Seed:
    """A built seed folder: its manifest's version, departments and datasets."""

    folder: Path
    version: str
    organizations: list[dict[str, Any]]
    datasets: list[dict[str, Any]]


def read_seed(folder: Path) -> Seed:
    """Read ``folder/manifest.json``; ``ValueError`` saying what is wrong and how to
    build the folder when it is missing or not a seed manifest of this format."""
    path = folder / "manifest.json"
    build = f"build it with: python -m catalog_seed build {folder}"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{path} does not exist; {build}") from None
    except (OSError, ValueError) as error:
        raise ValueError(f"{path} cannot be read ({error}); {build}") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise ValueError(f"{path} is not a seed manifest of format {MANIFEST_FORMAT}; {build}")
    return Seed(folder, str(manifest.get("version", "")), list(manifest.get("organizations", [])),
                list(manifest.get("datasets", [])))


def ensure_departments(user: str, seed: Seed) -> int:
    """Create the seed's department organisations that are missing."""
    existing = _existing_groups((o["name"] for o in seed.organizations), organisations=True)
    made = 0
    for organization in seed.organizations:
        if organization["name"] not in existing:
            tk.get_action("organization_create")(_context(user), dict(organization))
            made += 1
    return made


def _upload_files(user: str, package_id: str, seed: Seed, entry: dict[str, Any]) -> None:
    # resource_create is the path a department's upload takes (package_create
    # does not take file uploads).
    for resource in entry["resources"]:
        name = resource["file"]
        with (seed.folder / "files" / name).open("rb") as stream:
            tk.get_action("resource_create")(_context(user), dict(
                resource["resource"], package_id=package_id, url=name,
                upload=FileStorage(stream=stream, filename=name)))


class Made(NamedTuple):
    """What :func:`setup` made."""

    groups: int
    departments: int
    datasets: int

    def __str__(self) -> str:
        return (f"seed: {self.groups} domain groups, {self.departments} departments, "
                f"{self.datasets} datasets created")


def setup(admin: str, seed: Seed, datasets: bool = True) -> Made:
    """``ckan shanghai setup`` once its sysadmin ``admin`` exists: the domain groups,
    the departments and (unless not ``datasets``) the datasets that are missing, with
    the ``seeding`` signal before the datasets and ``setup_done`` after them, for the
    other plugins' seeds."""
    groups = ensure_domain_groups(admin)
    orgs = ensure_departments(admin, seed)
    if datasets:
        signals.seeding.send(admin)
    made = load_datasets(admin, seed) if datasets else 0
    signals.setup_done.send(admin, seeded=datasets)
    return Made(groups, orgs, made)


def load_datasets(user: str, seed: Seed, entries: Iterable[dict[str, Any]] | None = None) -> int:
    """Create the seed's datasets that are missing (all, or those of ``entries``, items
    of ``seed.datasets``), with their files uploaded."""
    entries = list(seed.datasets if entries is None else entries)
    existing = _existing_datasets(e["package"]["name"] for e in entries)
    made = 0
    for entry in entries:
        if entry["package"]["name"] in existing:
            continue
        package = tk.get_action("package_create")(_context(user), dict(entry["package"]))
        _upload_files(user, package["id"], seed, entry)
        made += 1
    return made
