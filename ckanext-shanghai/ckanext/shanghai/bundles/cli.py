"""``ckan shanghai-bundles …``: operator commands of the SODA contest bundles."""
from __future__ import annotations

from pathlib import Path

import ckan.plugins.toolkit as tk
import click

__all__ = ["shanghai_bundles"]


@click.group("shanghai-bundles", short_help="SODA contest bundle commands")
def shanghai_bundles() -> None:
    """Commands of the SODA contest data bundles."""


@shanghai_bundles.command()
@click.option("--admin", default="admin", show_default=True,
              help="the organiser (a sysadmin) the seed acts as")
@click.option("--rows", default=1_000_000, show_default=True, type=click.IntRange(1),
              help="rows of the generated metro smart-card transactions file")
def seed(admin: str, rows: int) -> None:
    """Make the 2015 and 2016 SODA contests with their bundles from the seed
    datasets, and publish them; what exists is kept (safe to run again)."""
    # Imported here: every `ckan` command imports this module, few need the seed.
    from . import seed as contest_seed

    files = Path(tk.config.get("ckan.storage_path")) / "seed_files"
    made = contest_seed.load(admin, files, rows)
    click.secho(f"SODA contests: {made['contests']} contests, {made['bundles']} bundles, "
                f"{made['versions']} versions published", fg="green")
