"""The portal as separate nodes over one PostgreSQL and one Redis on TCP and one storage
folder, each node started by its role entry point: two web nodes (A, B), a worker and a
harvest node. What one node does, the others see (a harvest started on B runs on the
harvest node; a bundle published on A downloads from B by ranges); a node killed loses
nothing; a node
refuses a schema behind; a worker outlives a Redis restart; a web node that loses
PostgreSQL answers 503 with a message."""
from __future__ import annotations

import json
import re
from functools import partial
from typing import Any

import psycopg2
import pytest
import requests

from ckanext.shanghai.stack.cluster import Cluster, cluster, serves, wait_for
from harvesters import CATALOGUES
from tests.factories import dataset_dict

HEADER = "park_id,name,district,address,longitude,latitude,total_spaces,hourly_fee,phone,opened"
ROW = "P{n:08d},人民广场停车场,黄浦区,人民大道200号,121.475,31.232,500,10.0,021-63181234,2001-05-01"


@pytest.fixture(scope="module")
def nodes() -> Cluster:  # type: ignore[misc]
    with cluster() as running:
        done = running.migrate()
        assert done.returncode == 0, done.stderr[-3000:]
        running.start_web("a")
        running.start_web("b")
        running.start("worker", "worker", "default", "shanghai:validation")
        # INFO: its consumers log every job and object they take, which the harvest test reads
        running.start("harvest", "harvest", env={"SHANGHAI_LOG_LEVEL": "INFO"})
        for name in ("a", "b"):
            wait_for(partial(serves, running.url(name)), f"web node {name}")
        yield running


def _login(url: str, password: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    page = session.get(url + "/user/login", timeout=30)
    token = re.search(r'name="_csrf_token"[^>]*value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    session.post(url + "/user/login", data={"login": "admin", "password": password,
                                            "_csrf_token": token.group(1)},
                 allow_redirects=False, timeout=30)  # to the site URL, not this node
    # the session (and so its CSRF token) is a new one once logged in
    page = session.get(url + "/dashboard/datasets", timeout=30)
    token = re.search(r'<meta name="_csrf_token" content="([^"]+)"', page.text)
    assert token, "no CSRF token once logged in"
    return session, token.group(1)


def _dashboard(session: requests.Session, url: str) -> int:
    return session.get(url + "/dashboard/datasets", allow_redirects=False, timeout=30).status_code


def _api(session: requests.Session, url: str, action: str, token: str, /, **data) -> Any:
    response = session.post(f"{url}/api/3/action/{action}", json=data,
                            headers={"X-CSRFToken": token}, timeout=60)
    assert response.status_code == 200, response.text[:2000]
    return response.json()["result"]


def test_what_one_node_does_the_others_see_and_a_killed_node_loses_nothing(nodes):
    a, b = nodes.url("a"), nodes.url("b")
    password = nodes.env["SHANGHAI_ADMIN_PASSWORD"]
    # a login on A is valid on B (and a stranger is not logged in on B)
    session, csrf = _login(a, password)
    assert _dashboard(session, a) == 200
    assert _dashboard(session, b) == 200
    assert _dashboard(requests.Session(), b) != 200

    org = _api(session, a, "organization_create", csrf, name="mn-dept", title="多节点测试部门")
    package = _api(session, a, "package_create", csrf,
                   **dataset_dict(name="mn-parks", owner_org=org["id"]))
    # an upload through A downloads byte for byte from B
    body = (HEADER + "\n" + "\n".join(ROW.format(n=n) for n in range(1, 40)) + "\n").encode()
    response = session.post(a + "/api/3/action/resource_create", headers={"X-CSRFToken": csrf},
                            data={"package_id": package["id"], "name": "parks", "format": "CSV",
                                  "schema": "car_parks"},
                            files={"upload": ("parks.csv", body, "text/csv")}, timeout=60)
    assert response.status_code == 200, response.text[:2000]
    resource = response.json()["result"]
    download = f"/dataset/{package['id']}/resource/{resource['id']}/download/parks.csv"
    assert session.get(b + download, timeout=30).content == body

    # the validation job queued from A runs on the worker; B shows its result
    def validated() -> bool:
        report = session.get(f"{b}/api/3/action/shanghai_resource_validation_show",
                             params={"id": resource["id"]}, timeout=30).json()["result"]
        return report["status"] not in ("pending", "running")

    wait_for(validated, "the worker to validate the upload")
    report = session.get(f"{b}/api/3/action/shanghai_resource_validation_show",
                         params={"id": resource["id"]}, timeout=30).json()["result"]
    assert report["status"] == "success", report

    # web node A killed with SIGKILL and started again: nothing is lost
    nodes.kill("a")
    assert not serves(a)
    nodes.start_web("a")
    wait_for(lambda: serves(a), "web node a again")
    assert _dashboard(session, a) == 200
    assert _api(session, a, "package_show", csrf, id="mn-parks")["resources"][0]["id"] == resource["id"]
    assert session.get(a + download, timeout=30).content == body


def test_a_harvest_started_on_b_runs_on_the_harvest_node(nodes):
    a, b = nodes.url("a"), nodes.url("b")
    session, csrf = _login(b, nodes.env["SHANGHAI_ADMIN_PASSWORD"])
    # the department the catalogue file names (sh-jw.csv is 上海市教育委员会's)
    org = _api(session, b, "organization_create", csrf, name="sh-jw", title="上海市教育委员会")
    source = _api(session, b, "harvest_source_create", csrf, name="mn-jw", title="教委目录",
                  url=str(CATALOGUES / "sh-jw.csv"), source_type="shanghai_department",
                  owner_org=org["id"],
                  config=json.dumps({"format": "csv", "location": "sh-jw.csv"}))
    job = _api(session, b, "harvest_job_create", csrf, source_id=source["id"])  # run: queued

    def objects() -> list[str]:
        return _api(session, b, "harvest_object_list", csrf, source_id=source["id"])

    wait_for(lambda: len(objects()) == 8, "the harvest node to import the 8 entries", 120)
    # the harvest node's consumers gathered the job and fetched every object
    log = nodes.log("harvest")
    assert all(f"Received harvest object id: {o}" in log for o in objects())
    assert not any(o in nodes.log(web) for o in objects() for web in ("a", "b"))
    shown = _api(session, b, "harvest_job_show", csrf, id=job["id"])
    assert shown["gather_finished"] and shown["stats"]["errored"] == 0, shown
    # the datasets are on A: all of them for the sysadmin, the open ones for anyone
    found = _api(session, a, "package_search", csrf, fq=f"owner_org:{org['id']}",
                 include_private=True)
    assert found["count"] == 8
    opened = [d for d in found["results"] if d["open_type"] == "unconditional"]
    assert opened
    anonymous = requests.get(a + "/api/3/action/package_show", params={"id": opened[0]["name"]},
                             timeout=30)
    assert anonymous.status_code == 200
    assert anonymous.json()["result"]["title"] == opened[0]["title"]


def test_a_bundle_published_on_a_downloads_from_b_by_ranges(nodes):
    a, b = nodes.url("a"), nodes.url("b")
    session, csrf = _login(a, nodes.env["SHANGHAI_ADMIN_PASSWORD"])
    org = _api(session, a, "organization_create", csrf, name="mn-bundles", title="数据包部门")
    package = _api(session, a, "package_create", csrf,
                   **dataset_dict(name="mn-bus", owner_org=org["id"]))
    body = "".join(f"{n}路,{n * 37}\n" for n in range(1, 3000)).encode()
    response = session.post(a + "/api/3/action/resource_create", headers={"X-CSRFToken": csrf},
                            data={"package_id": package["id"], "name": "公交线路", "format": "CSV"},
                            files={"upload": ("bus.csv", b"line,passengers\n" + body, "text/csv")},
                            timeout=60)
    assert response.status_code == 200, response.text[:2000]
    _api(session, a, "shanghai_contest_create", csrf, name="mn-soda", title="多节点 SODA",
         edition=2015, terms="数据仅用于本届大赛。", start_date="2015-05-20",
         end_date="2015-10-31")
    bundle = _api(session, a, "shanghai_bundle_create", csrf, contest="mn-soda", name="open",
                  title="公开数据包", access_tier="public", datasets=["mn-bus"])
    _api(session, a, "shanghai_bundle_publish", csrf, id=bundle["id"])

    url = b + "/contest/mn-soda/bundle/open/download"
    whole = requests.get(url, timeout=60)
    assert whole.status_code == 200 and len(whole.content) > 20_000
    assert whole.content == requests.get(a + "/contest/mn-soda/bundle/open/download",
                                         timeout=60).content
    size = len(whole.content)
    for first, last in ((0, 99), (1000, 17_999), (size - 500, size - 1)):
        part = requests.get(url, headers={"Range": f"bytes={first}-{last}"}, timeout=60)
        assert part.status_code == 206
        assert part.headers["Content-Range"] == f"bytes {first}-{last}/{size}"
        assert part.content == whole.content[first:last + 1]
    # and a download resumed where it broke off ends equal to the whole
    head = requests.get(url, headers={"Range": "bytes=0-12344"}, timeout=60).content
    tail = requests.get(url, headers={"Range": "bytes=12345-", "If-Range": whole.headers["ETag"]},
                        timeout=60).content
    assert head + tail == whole.content


def test_a_worker_that_loses_redis_reconnects(nodes):
    session, csrf = _login(nodes.url("a"), nodes.env["SHANGHAI_ADMIN_PASSWORD"])
    nodes.redis.stop()
    nodes.redis.start()  # the same address, emptied
    package = _api(session, nodes.url("a"), "package_show", csrf, id="mn-parks")
    body = (HEADER + "\n" + ROW.format(n=99) + "\n").encode()
    response = session.post(nodes.url("a") + "/api/3/action/resource_create",
                            headers={"X-CSRFToken": csrf},
                            data={"package_id": package["id"], "name": "after", "format": "CSV",
                                  "schema": "car_parks"},
                            files={"upload": ("after.csv", body, "text/csv")}, timeout=60)
    assert response.status_code == 200, response.text[:2000]
    resource_id = response.json()["result"]["id"]

    def status() -> str:
        return session.get(nodes.url("b") + "/api/3/action/shanghai_resource_validation_show",
                           params={"id": resource_id}, timeout=30).json()["result"]["status"]

    wait_for(lambda: status() not in ("pending", "running"), "the worker to come back")
    assert status() == "success"
    assert nodes.nodes["worker"].poll() is None, "the worker died instead of reconnecting"


def test_a_node_refuses_a_database_whose_migrations_are_behind(nodes):
    conn = psycopg2.connect(nodes.env["SHANGHAI_DATABASE_URL"])
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT version_num FROM shanghai_validation_alembic_version")
        (revision,) = cur.fetchone()
        cur.execute("DELETE FROM shanghai_validation_alembic_version")
    try:
        node = nodes.start_web("behind")
        code = nodes.nodes["behind"].wait(300)
        assert code != 0 and not serves(node)
        log = nodes.log("behind")
        assert f"shanghai_validation: {revision}" in log and "migrate" in log
        assert "Traceback" not in log
    finally:
        nodes.nodes.pop("behind", None)
        with conn.cursor() as cur:
            cur.execute("INSERT INTO shanghai_validation_alembic_version VALUES (%s)", (revision,))
        conn.close()


def test_a_web_node_that_loses_postgresql_answers_503_with_a_message(nodes):
    b = nodes.url("b")
    nodes.pg.stop()
    try:
        response = requests.get(b + "/dataset", timeout=60)
        assert response.status_code == 503
        assert "数据库暂时不可用" in response.text and "Traceback" not in response.text
        assert response.headers["Retry-After"]
    finally:
        nodes.pg.start()
    wait_for(lambda: requests.get(b + "/dataset", timeout=60).status_code == 200,
             "web node b to serve again once PostgreSQL is back", 60)
