"""``ckan shanghai-bundles …``: operator commands of the SODA contest bundles."""
from __future__ import annotations

import click

from . import seed as contest_seed

__all__ = ["shanghai_bundles"]


@click.group("shanghai-bundles", short_help="SODA contest bundle commands")
def shanghai_bundles() -> None:
    """Commands of the SODA contest data bundles."""


@shanghai_bundles.command()
@click.option("--admin", default="admin", show_default=True,
              help="the organiser (a sysadmin) the seed acts as")
@click.option("--rows", default=contest_seed.METRO_ROWS, show_default=True,
              type=click.IntRange(1),
              help="rows of the generated metro smart-card transactions file")
def seed(admin: str, rows: int) -> None:
    """Make the 2015 and 2016 SODA contests with their bundles from the seed
    datasets, and publish them; what exists is kept (safe to run again)."""
    contest_seed.seed_contests(admin, rows)
