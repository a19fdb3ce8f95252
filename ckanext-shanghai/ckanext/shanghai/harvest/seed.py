"""The seed's harvest sources: one per department catalogue of the seed, one per
district portal.

The seed catalogues and their list are data of the top-level ``harvesters`` package
(``harvesters/catalogues/sources.yaml``), read here by path: the plugin never imports
the stand-ins that serve them (``python -m harvesters.testing_server`` and
``harvesters.district_portal``), which are for `make run` and tests.
"""
from __future__ import annotations

import json
import os
from typing import Any

import ckan.plugins.toolkit as tk
import click
import yaml
from ckan import model

import harvesters

from .department import SOURCE_TYPE
from .operations import site_context
from .readers.api import TOKEN_ENV

__all__ = ["DISTRICT_SOURCES", "catalogue_api_url", "district_portal_url", "ensure_district_sources",
           "ensure_seed_sources", "on_setup_done", "source_name"]

#: the seed's district portals (``harvesters/districts/<folder>``): folder →
#: (local organisation, ckanext-harvest source type, path under the district's address, config)
DISTRICT_SOURCES: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "pudong": ("sh-pudong", "ckan", "", {}),
    "xuhui": ("sh-xuhui", "dcat_rdf", "/catalog.ttl", {"rdf_format": "text/turtle"}),
}


def catalogue_api_url() -> str:
    """Where the catalogue system's API answers: ``$SHANGHAI_CATALOGUE_API_URL``
    (`make run` sets it), else the stand-in's default address."""
    return os.environ.get("SHANGHAI_CATALOGUE_API_URL", "http://127.0.0.1:8765")


def district_portal_url() -> str:
    """Where the district portals answer: ``$SHANGHAI_DISTRICT_PORTAL_URL`` (`make run`
    sets it), else the stand-in's default address."""
    return os.environ.get("SHANGHAI_DISTRICT_PORTAL_URL", "http://127.0.0.1:8766")


def source_name(department: str) -> str:
    """The harvest source of a department's catalogue."""
    return f"catalogue-{department}"


def ensure_seed_sources(api_url: str) -> int:
    """One harvest source per department of the seed catalogues; API sources point at
    ``api_url``, their token is read from ``$SHANGHAI_CATALOGUE_API_TOKEN`` when they
    are harvested. An existing one is kept, its config brought up to date (an older
    portal's held the token itself, and its sources were public). Returns how many
    were created."""
    context = site_context()
    created = 0
    sources = yaml.safe_load(harvesters.SEED_SOURCES.read_text(encoding="utf-8"))
    for department, seed_source in sources.items():
        org = model.Group.get(department)
        if org is None:
            continue
        file, fmt = seed_source["file"], seed_source["format"]
        if fmt == "api":
            location = f"{api_url.rstrip('/')}/catalogue/{department}/entries"
            config = {"format": "api", "location": location, "token_env": TOKEN_ENV}
        else:
            location = file
            config = {"format": fmt, "location": file}
        text = json.dumps(config, ensure_ascii=False)
        existing = model.Package.get(source_name(department))
        if existing is not None:
            if existing.extras.get("config") != text or not existing.private:
                tk.get_action("harvest_source_patch")(dict(context), {"id": existing.id, "config": text,
                                                                      "private": True})
            continue
        tk.get_action("harvest_source_create")(dict(context), {
            "name": source_name(department), "title": f"{org.title} 政务信息资源目录",
            "url": location if fmt == "api" else f"file:{file}", "source_type": SOURCE_TYPE,
            "owner_org": org.id, "config": text, "frequency": "MANUAL",
        })
        created += 1
    return created


def ensure_district_sources(portal_url: str) -> int:
    """One harvest source per seed district portal served at ``portal_url``
    (``python -m harvesters.district_portal``), kept if it exists; returns how many
    were created."""
    context = site_context()
    created = 0
    for district, (org_name, source_type, path, config) in DISTRICT_SOURCES.items():
        org = model.Group.get(org_name)
        name = f"district-{district}"
        if org is None or model.Package.get(name) is not None:
            continue
        tk.get_action("harvest_source_create")(dict(context), {
            "name": name, "title": f"{org.title} 开放数据门户", "url": f"{portal_url.rstrip('/')}/{district}{path}",
            "source_type": source_type, "owner_org": org.id, "frequency": "MANUAL",
            "config": json.dumps(config, ensure_ascii=False) if config else "",
        })
        created += 1
    return created


def on_setup_done(sender: str, seeded: bool = False, **kwargs: Any) -> None:
    """Listener of the portal's ``setup_done`` signal: once ``ckan shanghai setup`` has
    loaded the seed datasets, the seed's harvest sources are made too (as
    ``ckan shanghai-harvest harvest-seed`` makes them)."""
    if seeded:
        created = ensure_seed_sources(catalogue_api_url()) + ensure_district_sources(district_portal_url())
        click.secho(f"harvest seed: {created} sources created", fg="green")
