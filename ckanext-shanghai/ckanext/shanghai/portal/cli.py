"""``ckan shanghai …``: operator commands of the portal."""
from __future__ import annotations

import os
from pathlib import Path

import click
from ckan import model

from . import seed
from .signals import setup_done

__all__ = ["shanghai"]


@click.group(short_help="Shanghai open data portal commands")
def shanghai() -> None:
    """Commands of the Shanghai open government data portal."""


@shanghai.command()
@click.option("--admin", default="admin", show_default=True, help="sysadmin user name")
@click.option("--seed", "seed_folder", required=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="a seed folder written by `python -m catalog_seed build DIR`")
@click.option("--no-datasets", is_flag=True, help="only domains and departments")
def setup(admin: str, seed_folder: Path, no_datasets: bool) -> None:
    """Make the sysadmin, the 12 domain groups, and the departments and datasets of
    the seed folder; what already exists is kept (safe to run again). Then sends
    the ``shanghai_setup`` signal (``portal/signals.py``) for the other plugins' seeds.
    A new sysadmin's password comes from $SHANGHAI_ADMIN_PASSWORD, else a prompt:
    never from the command line, which every local user can read in the process list."""
    try:
        built = seed.read_seed(seed_folder)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--seed") from None
    password = os.environ.get("SHANGHAI_ADMIN_PASSWORD", "")
    if not password and model.User.get(admin) is None:
        password = click.prompt(f"password of {admin}", hide_input=True, confirmation_prompt=True)
    seed.ensure_sysadmin(admin, password)
    groups = seed.ensure_domain_groups(admin)
    orgs = seed.ensure_departments(admin, built)
    datasets = 0 if no_datasets else seed.load_datasets(admin, built)
    click.secho(f"seed: {groups} domain groups, {orgs} departments, "
                f"{datasets} datasets created", fg="green")
    setup_done.send(admin, seeded=not no_datasets)


@shanghai.command("add-sysadmin")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def add_sysadmin(name: str, password: str) -> None:
    """Create (or promote) the sysadmin NAME."""
    seed.ensure_sysadmin(name, password)
    click.secho(f"{name} is a sysadmin", fg="green")
