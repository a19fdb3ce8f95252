"""Data domains in CKAN: one group per domain, kept in step with ``data_domain``."""
from __future__ import annotations

from pathlib import Path

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa

from ckanext.shanghai.common import vocabulary
from ckanext.shanghai.common.domains import DEFAULT_FILE, Domain


def domains_file() -> Path:
    """The configured domains file (``ckanext.shanghai.domains_file``)."""
    return Path(tk.config.get("ckanext.shanghai.domains_file") or DEFAULT_FILE)


def configured_domains() -> tuple[Domain, ...]:
    """The domains of the configured vocabulary."""
    return vocabulary.domains(domains_file())


def configured_domain_table() -> vocabulary.DomainTable:
    """The configured domains with the classification table, for the harvesters' mapping."""
    return vocabulary.domain_table(domains_file())


def group_dict(domain: Domain) -> dict[str, object]:
    """The CKAN group of a domain (Chinese title; English ones as extras)."""
    return {
        "name": domain.code, "title": domain.title, "description": domain.description,
        "extras": [{"key": "title_en", "value": domain.title_en},
                   {"key": "description_en", "value": domain.description_en},
                   {"key": "icon", "value": domain.icon}],
    }


def sync_membership(package_id: str, domain_code: str | None) -> bool:
    """Make the dataset a member of its domain's group and of no other domain group.

    Works on the session of the running action, so the change is committed (and
    indexed) together with the dataset. Returns True if anything changed.
    """
    codes = [d.code for d in configured_domains()]
    groups = {g.name: g for g in model.Session.scalars(
        sa.select(model.Group).where(model.Group.name.in_(codes),
                                     model.Group.is_organization.is_(False)))}
    members = model.Session.scalars(sa.select(model.Member).where(
        model.Member.table_name == "package", model.Member.table_id == package_id,
        model.Member.group_id.in_([g.id for g in groups.values()]))).all()
    changed = False
    wanted = groups.get(domain_code or "")
    for member in members:
        state = "active" if wanted is not None and member.group_id == wanted.id else "deleted"
        if member.state != state:
            member.state = state
            changed = True
    if wanted is not None and not any(m.group_id == wanted.id for m in members):
        model.Session.add(model.Member(table_name="package", table_id=package_id,
                                       group=wanted, capacity="public",
                                       state="active"))
        changed = True
    if changed:
        model.Session.flush()
    return changed


def organization_titles(names: list[str]) -> dict[str, str]:
    """Titles of the named organisations, in one query."""
    if not names:
        return {}
    rows = model.Session.execute(sa.select(model.Group.name, model.Group.title).where(
        model.Group.name.in_(names)))
    return {name: title or name for name, title in rows}


def organization_english_titles(names: list[str]) -> dict[str, str]:
    """English titles (the ``title_en`` extra) of the named organisations, in one query."""
    if not names:
        return {}
    group = model.group_table
    rows = model.Session.execute(
        sa.select(group.c.name, group.c.extras["title_en"].astext)
        .where(group.c.name.in_(names)))
    return {name: title for name, title in rows if title}
