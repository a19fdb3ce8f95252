"""Secrets on the machine: ``.var/`` and what it holds are for its owner only, and the
admin password never goes on a command line."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from ckan import model

from ckanext.shanghai.portal.cli import setup
from ckanext.shanghai.stack import __main__ as stack
from ckanext.shanghai.stack import config, services

SECRETS = ("ckan.ini", "secret_key", "admin_password", "datastore_password")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _start(var_dir: Path, running: services.Services) -> None:
    """What ``bootstrap`` does with ``var_dir`` on every start, servers aside."""
    stack._keep_private(var_dir, running)
    config.write_ini(var_dir / "ckan.ini", var_dir=var_dir, database_url="postgresql://ckan:pw@/ckan",
                     redis_url="unix:///tmp/redis.sock?db=0", port=5000,
                     datastore_write_url="postgresql://ckan:pw@/ds", datastore_read_url="postgresql://ro:pw@/ds")
    stack._admin_password(var_dir)
    config.secret(var_dir / "datastore_password")


@pytest.fixture
def old_var(tmp_path, monkeypatch):
    """A ``.var`` as an older portal left it: everything readable by everyone."""
    for name in ("SHANGHAI_SECRET_KEY", "SHANGHAI_ADMIN_PASSWORD", "SHANGHAI_STORAGE_PATH"):
        monkeypatch.delenv(name, raising=False)
    var_dir = tmp_path / "var"
    for folder in (var_dir, var_dir / "storage", var_dir / "redis", var_dir / "postgres"):
        folder.mkdir(mode=0o755)
        folder.chmod(0o755)
    for name, text in (("ckan.ini", "stale ini"), ("secret_key", "kept-key")):
        (var_dir / name).write_text(text)
        (var_dir / name).chmod(0o644)
    return var_dir


def test_secrets_and_the_ini_file_are_for_their_owner_only(old_var):
    _start(old_var, services.Services("", ""))
    assert {name: oct(_mode(old_var / name)) for name in SECRETS} == dict.fromkeys(SECRETS, "0o600")
    assert "stale ini" not in (old_var / "ckan.ini").read_text()  # rewritten on every start
    assert (old_var / "secret_key").read_text() == "kept-key"  # a kept secret is kept
    assert {p.name: oct(_mode(p)) for p in [old_var, *old_var.iterdir()] if p.is_dir()} == dict.fromkeys(
        ("var", "storage", "redis", "postgres"), "0o700")


def test_only_the_embedded_postgresql_user_may_pass_through_to_its_data(old_var):
    """Started as root, embedded PostgreSQL runs as a user of its own and opens the
    folders above its data to everyone; they are closed again but for passing."""
    _start(old_var, services.Services("", "", traversed=[old_var / "postgres" / "pgdata"]))
    modes = {p.name: oct(_mode(p)) for p in [old_var, *old_var.iterdir()] if p.is_dir()}
    assert modes == {"var": "0o711", "postgres": "0o711", "storage": "0o700", "redis": "0o700"}
    assert {oct(_mode(old_var / name)) for name in SECRETS} == {"0o600"}


def test_a_new_secret_is_never_readable_by_others(tmp_path):
    old = os.umask(0)  # the most permissive umask: the mode must come from us alone
    try:
        config.write_private(tmp_path / "key", "secret")
        config.secret(tmp_path / "other")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "key") == _mode(tmp_path / "other") == 0o600


@pytest.mark.usefixtures("with_plugins", "clean_db")
def test_setup_takes_the_admin_password_from_the_environment_never_the_command_line(seed_folder):
    assert [p.name for p in setup.params if "password" in p.name] == []
    ckan = [str(Path(sys.executable).with_name("ckan")), "-c", os.environ["CKAN_INI"],
            "shanghai", "setup", "--admin", "operator", "--seed", str(seed_folder), "--no-datasets"]
    done = subprocess.run(ckan, capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, SHANGHAI_ADMIN_PASSWORD="from-the-environment-9"))
    assert done.returncode == 0, done.stderr[-2000:]
    model.Session.remove()
    user = model.User.get("operator")
    assert user.sysadmin and user.validate_password("from-the-environment-9")
