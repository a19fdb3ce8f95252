"""Corrections of ckanext-harvest 1.6.3 that our plugin applies.

:func:`separate_registries`, when the plugin is loaded: ckanext-harvest's plugin builds
both its actions and its auth functions with ``_get_logic_functions(module_root,
logic_functions={})``: the mutable default is one dict shared by the two calls.
Whichever registry CKAN builds second therefore also gets the other's functions: its
auth functions registered as actions (``harvest_sources_clear`` answered any logged-in
user with ``{"success": false}`` as a 200 and anonymous callers with a 500), or its
actions registered as auth checks (a check that would run the action).
Each call now gets a dict of its own.

:func:`flush_new_source`, after a source is created: see there.
"""
from __future__ import annotations

from typing import Any

from ckan import model

from ckanext.harvest import plugin as harvest_plugin

__all__ = ["flush_new_source", "separate_registries"]

_shared = harvest_plugin._get_logic_functions


def _own_dict(module_root: str) -> dict[str, Any]:
    return _shared(module_root, {})


def separate_registries() -> None:
    """Give each of ckanext-harvest's registry builds a fresh dict (idempotent)."""
    harvest_plugin._get_logic_functions = _own_dict


def flush_new_source(pkg_dict: dict[str, Any]) -> None:
    """Flush the session after a harvest source dataset was created.

    ckanext-harvest adds the HarvestSource of a new source to the session in its own
    ``after_dataset_create``; ``package_create`` then shows the dataset before
    committing, and with autoflush off its ``after_dataset_show`` would not find the
    source ("Harvest source not found", and a returned dict without the source's fields).
    """
    if pkg_dict.get("type") == "harvest":
        model.Session.flush()
