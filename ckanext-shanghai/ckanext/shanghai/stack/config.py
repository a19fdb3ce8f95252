"""Writes CKAN's ini file from the template in the repository.

Every value comes from an argument or an environment variable, so the file can be
rewritten on every start and is never edited by hand.
"""
from __future__ import annotations

import os
import secrets
import string
from pathlib import Path

TEMPLATE = Path(__file__).with_name("ckan.ini.template")


def web_workers() -> int:
    """gunicorn workers of a web node: ``$WEB_CONCURRENCY``, else 2. Four per node on
    two cores gave the same CPU per request and, on a shared machine, no throughput
    that stood out of the noise (``bench/load.py``), for twice the memory (some 300 MB
    a warm worker)."""
    return int(os.environ.get("WEB_CONCURRENCY") or 2)

#: The portal's plugins, in load order. ``shanghai_search`` comes first so that its
#: search backend is in place before any other plugin touches the index.
PLUGINS = (
    "shanghai_search",
    "shanghai",
    "scheming_datasets",
    "shanghai_validation",
    "datastore",
    "datatables_view",
    "activity",
    "shanghai_bundles",
    # ckanext-harvest's framework, then our department catalogue source type.
    "harvest",
    "shanghai_department_harvester",
    # ckanext-harvest's harvester of other CKAN portals (the districts')
    "ckan_harvester",
    # ckanext-dcat's harvester of DCAT catalogues (source type dcat_rdf), as adapted in
    # harvest/dcat.py: it stands in for ckanext-dcat's dcat_rdf_harvester plugin.
    "shanghai_dcat_harvester",
)


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path``, readable and writable by its owner only from the
    first byte on (created 0600; an existing file is made 0600 before it is written)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        out.write(text)


def secret(path: Path, env: str | None = None) -> str:
    """The secret in ``$env`` if set, else the one kept in ``path`` (made on first use,
    mode 0600, re-applied on every start)."""
    if env and os.environ.get(env):
        return os.environ[env]
    if path.exists():
        path.chmod(0o600)
    else:
        write_private(path, secrets.token_urlsafe(32))
    return path.read_text().strip()


def write_ini(path: Path, *, var_dir: Path, database_url: str, redis_url: str,
              port: int, log_level: str = "WARNING", datastore_write_url: str = "",
              datastore_read_url: str = "", storage: Path | None = None) -> Path:
    """Render the template into ``path`` and return it. Files go to ``storage``, else
    ``$SHANGHAI_STORAGE_PATH``, else ``var_dir/storage``."""
    storage = storage or Path(os.environ.get("SHANGHAI_STORAGE_PATH", var_dir / "storage"))
    storage.mkdir(mode=0o700, parents=True, exist_ok=True)  # non-open files too
    values = {
        "secret_key": secret(var_dir / "secret_key", "SHANGHAI_SECRET_KEY"),
        "site_url": os.environ.get("SHANGHAI_SITE_URL", f"http://127.0.0.1:{port}"),
        # '%' is interpolation syntax in ini files.
        "database_url": database_url.replace("%", "%%"),
        "redis_url": redis_url.replace("%", "%%"),
        "storage_path": str(storage),
        "max_resource_size_mb": os.environ.get("SHANGHAI_MAX_RESOURCE_SIZE_MB", "100"),
        "plugins": " ".join(PLUGINS),
        "log_level": os.environ.get("SHANGHAI_LOG_LEVEL", log_level),
        "log_format": os.environ.get("SHANGHAI_LOG_FORMAT", "generic"),
        "proxy_hops": os.environ.get("SHANGHAI_PROXY_HOPS", "0"),
        "datastore_write_url": datastore_write_url.replace("%", "%%"),
        "datastore_read_url": datastore_read_url.replace("%", "%%"),
    }
    text = string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(values)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, text)  # it holds the secret key and the database passwords
    return path
