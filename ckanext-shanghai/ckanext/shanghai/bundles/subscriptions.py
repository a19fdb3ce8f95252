"""What the SODA contest bundles do when other parts of the portal send signals."""
from __future__ import annotations

from typing import Any

from ckan.types import SignalMapping

from ckanext.shanghai.portal.signals import setup_done

from . import seed

__all__ = ["get_subscriptions", "seed_after_setup"]


def get_subscriptions() -> SignalMapping:
    return {setup_done: [seed_after_setup]}


def seed_after_setup(admin: str, seeded: bool = False, **kwargs: Any) -> None:
    """``ckan shanghai setup`` makes the SODA contests from the seed datasets it has
    just loaded, as ``ckan shanghai-bundles seed`` would."""
    if seeded:
        seed.seed_contests(admin)
