"""``ckan shanghai …``: operator commands of the portal."""
from __future__ import annotations

import os
from pathlib import Path

import ckan.plugins.toolkit as tk
import click
from ckan import model

__all__ = ["shanghai"]


@click.group(short_help="Shanghai open data portal commands")
def shanghai() -> None:
    """Commands of the Shanghai open government data portal."""


@shanghai.command()
@click.option("--admin", default="admin", show_default=True, help="sysadmin user name")
@click.option("--no-datasets", is_flag=True, help="only domains and departments")
def setup(admin: str, no_datasets: bool) -> None:
    """Make the sysadmin, the 12 domain groups, the departments and the seed
    datasets; what already exists is kept (safe to run again). A new sysadmin's
    password comes from $SHANGHAI_ADMIN_PASSWORD, else a prompt: never from the
    command line, which every local user can read in the process list."""
    # Imported here: every `ckan` command imports this module, few need the seed.
    from . import seed

    password = os.environ.get("SHANGHAI_ADMIN_PASSWORD", "")
    if not password and model.User.get(admin) is None:
        password = click.prompt(f"password of {admin}", hide_input=True, confirmation_prompt=True)
    seed.ensure_sysadmin(admin, password)
    groups = seed.ensure_domain_groups(admin)
    orgs = seed.ensure_departments(admin)
    datasets = 0
    if not no_datasets:
        files = Path(tk.config.get("ckan.storage_path")) / "seed_files"
        datasets = seed.load_datasets(admin, files)
    click.secho(f"seed: {groups} domain groups, {orgs} departments, "
                f"{datasets} datasets created", fg="green")


@shanghai.command("add-sysadmin")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def add_sysadmin(name: str, password: str) -> None:
    """Create (or promote) the sysadmin NAME."""
    from . import seed

    seed.ensure_sysadmin(name, password)
    click.secho(f"{name} is a sysadmin", fg="green")
