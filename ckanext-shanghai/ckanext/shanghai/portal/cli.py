"""``ckan shanghai …``: operator commands of the portal."""
from __future__ import annotations

import os
from pathlib import Path

import ckan
import click
from ckan import model
from ckan.common import config
from ckan.lib import search

from ckanext.shanghai.stack import backup as backups
from ckanext.shanghai.stack import roles

from . import seed

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
    click.secho(str(seed.setup(admin, built, datasets=not no_datasets)), fg="green")


@shanghai.command("add-sysadmin")
@click.argument("name")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
def add_sysadmin(name: str, password: str) -> None:
    """Create (or promote) the sysadmin NAME."""
    seed.ensure_sysadmin(name, password)
    click.secho(f"{name} is a sysadmin", fg="green")


def _portal() -> backups.Portal:
    return backups.Portal(database_url=config["sqlalchemy.url"],
                          datastore_url=config["ckan.datastore.write_url"],
                          storage=Path(config["ckan.storage_path"]))


@shanghai.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def backup(folder: Path) -> None:
    """Back up CKAN's database, the DataStore's and the storage folder into FOLDER
    (new or empty), with a manifest of every file's size and SHA-256. Stop the web,
    worker and harvest roles first for an exact snapshot (see README, Production)."""
    model.Session.remove()  # no transaction of ours is open while the tools run
    try:
        manifest = backups.backup(_portal(), folder, ckan.__version__)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    files = len(manifest["files"]) - len(backups.DUMPS)
    size = sum(f["size"] for f in manifest["files"].values())
    click.secho(f"backup: 2 databases and {files} files ({size:,} bytes) in {folder}", fg="green")


@shanghai.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True,
              help="empty non-empty databases and storage first (what they hold is lost)")
def restore(folder: Path, force: bool) -> None:
    """Restore a backup made by `ckan shanghai backup` into this portal's databases and
    storage folder, which must be empty unless --force. Every file is checked against
    the manifest first; a failure leaves the databases empty, never half-written.
    Stop the portal's other roles first; run `migrate` afterwards on a newer release."""
    model.Session.remove()
    rebuilt = []

    def after_databases() -> None:
        roles.grant_datastore_permissions()
        if not backups.index_is_current(config["sqlalchemy.url"]):
            search.rebuild()  # CKAN's, through the registry: our PostgreSQL index
            model.Session.remove()
            rebuilt.append(True)

    try:
        manifest = backups.restore(_portal(), folder, force=force,
                                   after_databases=after_databases)
    except backups.BackupError as error:
        raise click.ClickException(str(error)) from None
    files = len(manifest["files"]) - len(backups.DUMPS)
    click.secho(f"restore: 2 databases and {files} files of {manifest.get('created', '?')}"
                + ("; search index rebuilt" if rebuilt else ""), fg="green")
