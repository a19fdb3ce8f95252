"""What the roles do once CKAN is loaded: the one-shot ``migrate``, the check that
stops a node from serving a database whose migrations are behind, and the answer of
a web node that lost PostgreSQL.

Imported only inside a role's process (it loads CKAN); ``__main__`` starts the roles.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from ckan.cli import db as db_cli
from ckan.common import config
from flask import Response

from . import services

#: the exit status of a node that refuses to start (gunicorn's "worker failed to boot",
#: which makes its master stop rather than fork the worker again and again)
REFUSED = 3


def _version_table(plugin: str) -> str:
    """Core keeps its revision in ``alembic_version``, a plugin in
    ``<plugin>_alembic_version`` (CKAN's convention, ours in common/migration_env.py)."""
    return f"{plugin}_alembic_version" if plugin else "alembic_version"


def missing_migrations() -> list[str]:
    """The migrations the database lacks, as ``"<core|plugin>: <revision>"``, for core
    and every enabled plugin that has migrations; empty when the schema is current."""
    engine = sa.create_engine(config["sqlalchemy.url"], poolclass=sa.pool.NullPool)
    missing: list[str] = []
    try:
        with engine.connect() as connection:
            for plugin in ["", *config.get("ckan.plugins")]:
                ini = db_cli._resolve_alembic_config(plugin)
                if not os.path.exists(ini):
                    continue
                script = ScriptDirectory.from_config(AlembicConfig(ini))
                current = MigrationContext.configure(
                    connection, opts={"version_table": _version_table(plugin)}
                ).get_current_heads()
                for revision in script.iterate_revisions(tuple(script.get_heads()), current or "base"):
                    if revision.revision not in current:
                        missing.append(f"{plugin or 'core'}: {revision.revision}")
    finally:
        engine.dispose()
    return missing


def refuse_if_behind(role: str) -> None:
    """Exit (status ``REFUSED``) saying which migrations are missing, rather than
    serve or work on a schema the code does not match."""
    missing = missing_migrations()
    if missing:
        print(f"{role}: the database lacks {len(missing)} migration(s), so this node does "
              f"not start. Run `python -m ckanext.shanghai.stack migrate` first. Missing: "
              + ", ".join(missing), file=sys.stderr, flush=True)
        raise SystemExit(REFUSED)


def database_unavailable(error: Exception) -> Response:
    """A lost or refused database connection: 503 with a short message and Retry-After,
    not CKAN's 500 page with a traceback in the log of every request."""
    from ckan import model  # noqa: PLC0415  (the session must give its connection back)

    model.Session.remove()
    return Response("数据库暂时不可用，请稍后再试。\n"
                    "The database is unavailable for the moment; please try again shortly.\n",
                    status=503, mimetype="text/plain", headers={"Retry-After": "10"})


def install_database_handler(app: Any) -> None:
    """Answer 503 (``database_unavailable``) to the errors of a lost database."""
    flask_app = app._wsgi_app  # CKAN's Flask app inside its middleware
    for error in (sa.exc.OperationalError, sa.exc.InterfaceError):
        flask_app.register_error_handler(error, database_unavailable)


def migrate(admin: str | None, admin_password: str, seed_folder: Path | None) -> None:
    """Upgrade core's and every plugin's schema, grant the DataStore's read-only user
    its rights, make the sysadmin ``admin`` (none when None), and load the seed folder when one is given.
    Every step is idempotent: run it again after an upgrade."""
    from ckanext.shanghai.portal import seed  # noqa: PLC0415

    db_cli._run_migrations("")
    db_cli._migrate_plugins(apply=True)
    grant_datastore_permissions()
    if admin is not None:
        seed.ensure_sysadmin(admin, admin_password)
    if admin is not None and seed_folder is not None:
        # what `ckan shanghai setup` does, in this process (its app is loaded already)
        print(seed.setup(admin, seed.read_seed(seed_folder)), flush=True)


def grant_datastore_permissions() -> None:
    """``ckan datastore set-permissions``, run here: the read-only user may read the
    DataStore's tables and nothing else (also after a restore, which leaves rights out)."""
    from ckanext.datastore import cli as datastore_cli  # noqa: PLC0415
    from ckanext.shanghai.search import datastore as search_datastore  # noqa: PLC0415

    write = datastore_cli._parse_db_config("ckan.datastore.write_url")
    script = datastore_cli.permissions_sql(
        maindb=datastore_cli._parse_db_config("sqlalchemy.url")["db_name"],
        datastoredb=write["db_name"],
        mainuser=datastore_cli._parse_db_config("sqlalchemy.url")["db_user"],
        writeuser=write["db_user"],
        readuser=datastore_cli._parse_db_config("ckan.datastore.read_url")["db_user"])
    # The script is for psql; we connect to the DataStore database ourselves.
    services.run_sql(config["ckan.datastore.write_url"], "\n".join(
        line for line in script.splitlines() if not line.startswith("\\connect")))
    # The script has just written CKAN's DataStore full-text trigger: ours again.
    search_datastore.install()
