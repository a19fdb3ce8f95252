"""What the SODA contest bundles do when other parts of the portal send signals."""
from __future__ import annotations

from typing import Any

from ckan import model
from ckan.types import SignalMapping

from ckanext.shanghai.portal.signals import seeding, setup_done

from . import seed

__all__ = ["get_subscriptions", "metro_before_seed", "seed_after_setup"]


def get_subscriptions() -> SignalMapping:
    return {seeding: [metro_before_seed], setup_done: [seed_after_setup]}


def metro_before_seed(admin: str, **kwargs: Any) -> None:
    """``ckan shanghai setup`` is about to load the seed datasets: the metro dataset
    first, so that its million rows are validated while the small files are (if its
    department is in the seed)."""
    if model.Group.get(seed.METRO_DEPARTMENT) is not None:
        seed.ensure_metro_dataset(admin, seed.files_dir(), rows=seed.METRO_ROWS)


def seed_after_setup(admin: str, seeded: bool = False, **kwargs: Any) -> None:
    """``ckan shanghai setup`` makes the SODA contests from the seed datasets it has
    just loaded, as ``ckan shanghai-bundles seed`` would."""
    if seeded:
        seed.seed_contests(admin)
