"""docker/nginx.conf run by a real nginx in front of two gunicorn web nodes serving the
test portal over TCP: security headers, gzip, request ids, a large upload and a Range
download through it, 413 over the limit from nginx and from the app, the /api/ rate
limit's 429 with Retry-After, /metrics kept inside."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from ckan.tests import factories

from tests.factories import dataset_dict

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or next(
    (path for path in ("/usr/sbin/nginx",) if os.path.exists(path)), None)
UPLOAD_LIMIT_MB = 2

pytestmark = [pytest.mark.skipif(NGINX is None, reason="nginx is not installed "
                                 "(.ci/run installs Debian's nginx)")]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, process: subprocess.Popen[bytes], timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args!r} ended with {process.returncode}")
        try:
            if requests.get(url, timeout=30).status_code == 200:
                return
        except requests.RequestException:  # not listening yet, or still loading CKAN
            pass
        time.sleep(0.5)
    raise TimeoutError(url)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def proxy(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
          ) -> Iterator[dict[str, str]]:
    """Two web nodes and nginx with docker/nginx.conf; their base URLs."""
    ini = str(Path(request.config.getoption("--ckan-ini")).resolve())
    runtime = tmp_path_factory.mktemp("nginx")
    ports = [_free_port(), _free_port()]
    env = dict(os.environ, CKAN_INI=ini)
    nodes = [subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "--workers", "1",
         "--bind", f"127.0.0.1:{port}", "--timeout", "120",
         "ckanext.shanghai.stack.wsgi:application"], env=env, cwd=ROOT)
        for port in ports]
    processes = list(nodes)
    try:
        for port, node in zip(ports, nodes, strict=True):
            _wait(f"http://127.0.0.1:{port}/api/3/action/status_show", node)
        listen = _free_port()
        conf = string.Template((ROOT / "docker" / "nginx.conf").read_text()).safe_substitute(
            LISTEN_PORT=f"127.0.0.1:{listen}", RUNTIME_DIR=str(runtime),
            UPSTREAM_SERVERS=" ".join(f"server 127.0.0.1:{port};" for port in ports),
            STATIC_ROOT=str(runtime / "static"), UPLOAD_LIMIT=f"{UPLOAD_LIMIT_MB}m",
            API_RATE="5r/s", API_BURST="5")
        (runtime / "nginx.conf").write_text(conf)
        # As root (CI), nginx's workers would switch to nobody, who cannot use runtime/.
        main = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
        nginx = subprocess.Popen([str(NGINX), "-e", "stderr", "-p", str(runtime), "-c",
                                  str(runtime / "nginx.conf"), "-g", main])
        processes.append(nginx)
        _wait(f"http://127.0.0.1:{listen}/api/3/action/status_show", nginx, timeout=30)
        time.sleep(1.1)  # let the burst the readiness poll used refill
        yield {"proxy": f"http://127.0.0.1:{listen}",
               "nodes": [f"http://127.0.0.1:{port}" for port in ports]}  # type: ignore[dict-item]
    finally:
        for process in reversed(processes):
            _stop(process)


@pytest.fixture
def sysadmin_token(clean_db: None) -> str:
    return factories.APIToken(user=factories.Sysadmin()["name"])["token"]


def test_pages_get_security_headers_gzip_and_a_request_id(proxy):
    response = requests.get(f"{proxy['proxy']}/dataset",
                            headers={"Accept-Encoding": "gzip"}, timeout=60)
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert response.headers["X-Content-Type-Options"] == "nosniff"   # sent once
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert len(response.headers["X-Request-Id"]) == 32           # nginx's $request_id
    assert "nginx/" not in response.headers.get("Server", "")
    assert requests.get(f"{proxy['proxy']}/metrics", timeout=30).status_code == 404


def test_large_upload_and_range_download_through_the_proxy(proxy, sysadmin_token):
    auth = {"Authorization": sysadmin_token}
    package = requests.post(f"{proxy['proxy']}/api/3/action/package_create", headers=auth,
                            json=dataset_dict(owner_org=factories.Organization()["id"]),
                            timeout=60).json()
    assert package["success"], package
    content = bytes(range(256)) * (6 * 1024)                 # 1.5 MB, under the 2 MB limit
    created = requests.post(
        f"{proxy['proxy']}/api/3/action/resource_create", headers=auth, timeout=120,
        data={"package_id": package["result"]["id"], "name": "big.bin"},
        files={"upload": ("big.bin", content, "application/octet-stream")}).json()
    assert created["success"], created
    url = proxy["proxy"] + urlsplit(created["result"]["url"]).path
    whole = requests.get(url, headers=auth, timeout=120)
    assert whole.content == content
    part = requests.get(url, headers=dict(auth, Range="bytes=1000-1999"), timeout=60)
    assert part.status_code == 206 and part.content == content[1000:2000]


def test_bodies_over_the_limit_get_413_from_nginx_and_from_the_app(proxy, sysadmin_token):
    auth = {"Authorization": sysadmin_token}
    too_big = b"x" * ((UPLOAD_LIMIT_MB + 1) * 2**20)
    refused = requests.post(f"{proxy['proxy']}/api/3/action/resource_create", headers=auth,
                            files={"upload": ("big.bin", too_big)}, timeout=120)
    assert refused.status_code == 413 and "nginx" in refused.text   # nginx's own answer
    # Straight to a web node, a JSON body over ckanext.shanghai.max_body_kb (1 MB):
    direct = requests.post(f"{proxy['nodes'][0]}/api/3/action/package_search",
                           data=b'{"q": "' + b"a" * (2 * 2**20) + b'"}', timeout=120,
                           headers={"Content-Type": "application/json"})
    assert direct.status_code == 413
    assert direct.json()["error"]["__type"] == "Request Too Large"


def test_api_rate_limit_answers_429_with_retry_after(proxy):
    statuses = []
    for _ in range(30):
        response = requests.get(f"{proxy['proxy']}/api/3/action/status_show", timeout=30)
        statuses.append(response.status_code)
        if response.status_code == 429:
            break
    assert statuses[0] == 200 and statuses[-1] == 429
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json()["success"] is False
    assert response.headers["X-Content-Type-Options"] == "nosniff"
