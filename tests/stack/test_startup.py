"""Start-up: loading CKAN with our plugins leaves the heavy libraries for later and the
warm-up loads them; the web role loads the app once and forks its workers, which never
share a database connection with their master and warm up once they have answered;
the web node builds the assets once, before forking;
gunicorn's own log survives CKAN's logging configuration."""
from __future__ import annotations

import os
import re
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import ckan.plugins.toolkit as tk
import psutil
import pytest
import requests
from webassets import Bundle, Environment

from ckanext.shanghai.stack.cluster import free_port, serves, wait_for
from ckanext.shanghai.stack.config import web_workers
from ckanext.shanghai.stack.warmup import freeze_assets

HEAVY = ("pandas", "frictionless", "pypinyin", "opencc", "openpyxl", "xlrd")


def _python(code: str, **env: str) -> str:
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)],
                          env=dict(os.environ, **env), capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_app_loads_without_the_heavy_libraries_and_the_warm_up_loads_them():
    out = _python(f"""
        import os, sys
        from ckan.cli import CKANConfigLoader
        from ckan.config.middleware import make_app
        app = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
        heavy = {HEAVY!r}
        print(sorted(m for m in heavy if m in sys.modules))
        from ckanext.shanghai.search import tokens
        from ckanext.shanghai.stack import warmup
        warmup.run(workbooks=True)
        print(sorted(m for m in heavy if m in sys.modules))
        # what the warm-up loaded works: traditional folded, pinyin added
        print(" ".join(tokens.index_tokens("公車 公交", pinyin=True)))
    """)
    before, after, words = out.splitlines()[-3:]
    assert before == "[]"
    assert after == str(sorted(HEAVY))
    assert "公车" in words.split() and "gongjiao" in words.split()


def test_a_forked_process_never_uses_a_connection_its_parent_opened():
    """gunicorn_conf's pool guard, on the real server: the child gets a connection of
    its own, and the parent's still works afterwards."""
    out = _python("""
        import os, sqlalchemy as sa
        import ckanext.shanghai.stack.gunicorn_conf  # installs the guard on every pool
        engine = sa.create_engine(os.environ["URL"], pool_size=1)
        query = sa.text("SELECT pg_backend_pid()")
        with engine.connect() as c:
            parent = c.execute(query).scalar()
        child = os.fork()
        if child == 0:
            with engine.connect() as c:
                print("child", c.execute(query).scalar(), flush=True)
            os._exit(0)
        os.waitpid(child, 0)
        with engine.connect() as c:
            print("parent", parent, c.execute(query).scalar(), flush=True)
    """, URL=tk.config["sqlalchemy.url"])
    lines = dict(line.split(" ", 1) for line in out.splitlines())
    parent_before, parent_after = lines["parent"].split()
    assert lines["child"] != parent_before
    assert parent_after == parent_before


def _maps_pandas(pid: int) -> bool:
    return "pandas/_libs" in Path(f"/proc/{pid}/maps").read_text()


@pytest.fixture
def web_node(tmp_path: Path):
    port = free_port()
    log = tmp_path / "web.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "ckanext.shanghai.stack", "web", "--port", str(port)],
            env=dict(os.environ, WEB_CONCURRENCY="2"), stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: serves(url) or process.poll() is not None, "the web node")
        assert process.poll() is None, log.read_text()[-3000:]
        yield url, log, process
    finally:
        process.terminate()
        process.wait(60)


def test_the_web_node_forks_workers_from_one_loaded_app_that_serve_side_by_side(web_node):
    url, log, master = web_node
    # the master holds the loaded app (a bare gunicorn master is some 30 MB)
    assert psutil.Process(master.pid).memory_info().rss > 100 * 2**20

    def search(n: int) -> int:
        return requests.get(f"{url}/api/3/action/package_search", params={"q": f"公交 {n}"},
                            timeout=60).status_code

    with ThreadPoolExecutor(8) as pool:
        assert set(pool.map(search, range(40))) == {200}
    # the workers warm up once they have answered and are idle; their master stays lean
    workers = psutil.Process(master.pid).children()
    assert len(workers) == 2 and not _maps_pandas(master.pid)
    wait_for(lambda: all(_maps_pandas(w.pid) for w in workers), "the workers to warm up", 120)
    text = log.read_text()
    # gunicorn's own log (switched off by CKAN's logging configuration, then on again)
    assert "Listening at" in text and text.count("Booting worker") == 2
    assert "Traceback" not in text


def test_a_new_migration_of_ours_makes_run_migrate_again():
    # The fingerprint that lets a second `run` skip `migrate` names every script of
    # ours, also from an editable install (a path hook on ckanext's path, no folder).
    import ckanext.shanghai  # noqa: PLC0415
    from ckanext.shanghai.stack import __main__ as stack  # noqa: PLC0415

    ours = Path(ckanext.shanghai.__file__).parent
    scripts = sorted(str(f.relative_to(ours)) for f in ours.glob("migration/*/versions/*.py"))
    assert scripts and set(scripts) <= set(stack.migration_scripts())


def test_the_web_node_serves_pages_whose_assets_it_built_before_forking(web_node):
    url, log, _ = web_node
    page = requests.get(url + "/", timeout=60)
    assets = re.findall(r'(?:href|src)="(/webassets/[^"]+)"', page.text)
    assert page.status_code == 200 and len(assets) > 5
    assert {requests.get(url + a, timeout=60).status_code for a in assets} == {200}
    assert "Traceback" not in log.read_text()


def _bundle(tmp_path: Path, debug: bool) -> tuple[Environment, Bundle, Path]:
    env = Environment(str(tmp_path / "out"), "/webassets")
    env.debug = debug
    source = tmp_path / "a.css"
    source.write_text("a { color: red }")
    bundle = Bundle(str(source), output="%(version)s_a.css")
    env.register("a", bundle)
    return env, bundle, source


def test_frozen_assets_are_built_once_and_not_checked_again(tmp_path: Path):
    env, bundle, source = _bundle(tmp_path, debug=False)
    freeze_assets(env)
    built = bundle.urls()
    assert env.auto_build is False and len(built) == 1
    assert (tmp_path / "out" / built[0].removeprefix("/webassets/")).read_text() == source.read_text()
    # a page after the freeze asks nothing of the files: a changed source shows after a restart
    source.write_text("a { color: blue }")
    os.utime(source, (source.stat().st_atime + 10, source.stat().st_mtime + 10))
    assert bundle.urls() == built


def test_assets_in_debug_mode_stay_the_sources(tmp_path: Path):
    env, bundle, source = _bundle(tmp_path, debug=True)
    freeze_assets(env)
    assert env.auto_build is True
    assert not (tmp_path / "out").exists()


def test_a_web_node_runs_two_workers_unless_told(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("WEB_CONCURRENCY", raising=False)
    assert web_workers() == 2
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    assert web_workers() == 3
