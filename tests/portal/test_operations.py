"""Production settings (portal/operations.py): request ids and JSON logs, API and login
rate limits on Redis, secure cookies and HSTS on https, /healthz and /metrics."""
from __future__ import annotations

import io
import json
import logging
import re
import secrets

import pytest
from ckan.lib import jobs
from ckan.tests import factories
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ckanext.shanghai.portal import operations
from ckanext.shanghai.portal.operations import JsonFormatter

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


def _address() -> str:
    """A client address of its own, so that counts in Redis never carry over."""
    return "10.{}.{}.{}".format(*secrets.token_bytes(3))


def _get(app, url, address, **kwargs):
    return app.get(url, environ_base={"REMOTE_ADDR": address}, **kwargs)


def test_request_id_is_kept_or_made(app):
    kept = app.get("/api/3/action/status_show", headers={"X-Request-Id": "edge-42.a"})
    assert kept.headers["X-Request-Id"] == "edge-42.a"
    made = app.get("/api/3/action/status_show")
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-Id"])
    forged = app.get("/api/3/action/status_show", headers={"X-Request-Id": "a b\x7f" * 60})
    assert re.fullmatch(r"[0-9a-f]{32}", forged.headers["X-Request-Id"])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7e), max_size=300))
def test_any_request_id_is_answered_safely(app, given_id):
    response = app.get("/healthz", headers={"X-Request-Id": given_id})
    assert response.status_code == 200
    assert re.fullmatch(r"[A-Za-z0-9._:-]{1,128}", response.headers["X-Request-Id"])


def test_log_lines_are_json_with_the_request_id(app):
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    access = operations.access_log
    level, disabled = access.level, access.disabled
    access.addHandler(handler)
    access.setLevel(logging.INFO)
    access.disabled = False      # CKAN's logging set-up turns off loggers it does not name
    try:
        app.get("/dataset", headers={"X-Request-Id": "trace-1"})
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
        access.disabled = disabled
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    entry = next(line for line in lines if line.get("request_id") == "trace-1")
    assert entry["path"] == "/dataset" and entry["status"] == 200
    assert entry["level"] == "INFO" and entry["duration_ms"] >= 0


@pytest.mark.ckan_config("ckanext.shanghai.rate_limit.api_per_ip", "3/minute")
def test_api_calls_are_limited_per_address(app):
    address = _address()
    remaining = [int(_get(app, "/api/3/action/status_show", address)
                     .headers["X-RateLimit-Remaining"]) for _ in range(3)]
    assert remaining == [2, 1, 0]
    refused = _get(app, "/api/3/action/status_show", address, status=429)
    assert refused.json["success"] is False
    assert 1 <= int(refused.headers["Retry-After"]) <= 61
    assert refused.headers["X-RateLimit-Limit"] == "3"
    assert _get(app, "/api/3/action/status_show", _address()).status_code == 200
    assert "X-RateLimit-Limit" not in app.get("/dataset").headers  # pages are not counted


@pytest.mark.ckan_config("ckanext.shanghai.rate_limit.api_per_token", "2/minute")
def test_api_calls_are_limited_per_token_from_any_address(app):
    token = factories.APIToken(user=factories.User()["name"])["token"]
    for _ in range(2):
        _get(app, "/api/3/action/status_show", _address(), headers={"Authorization": token})
    refused = _get(app, "/api/3/action/status_show", _address(), status=429,
                   headers={"Authorization": token})
    assert int(refused.headers["Retry-After"]) >= 1
    assert token not in refused.body


@pytest.mark.ckan_config("ckanext.shanghai.rate_limit.login_per_user", "2/hour")
def test_login_attempts_are_throttled_per_user(app):
    address = _address()
    user = factories.User()
    form = app.get("/user/login", environ_base={"REMOTE_ADDR": address}).body
    token = re.search(r'name="_csrf_token"[^>]*value="([^"]+)"', form).group(1)

    def attempt(login: str, status: int):
        return app.post("/user/login", environ_base={"REMOTE_ADDR": address}, status=status,
                        data={"login": login, "password": "wrong", "_csrf_token": token},
                        follow_redirects=False)
    attempt(user["name"], 200)
    attempt(user["name"], 200)
    refused = attempt(user["name"], 429)
    assert int(refused.headers["Retry-After"]) > 60      # the window is an hour
    attempt(factories.User()["name"], 200)                # another account is not locked


@pytest.mark.ckan_config("ckan.site_url", "https://data.sh.example")
def test_https_sites_send_hsts_and_secure_cookies(app):
    password = "correct horse battery"
    user = factories.User(password=password)
    site = "https://data.sh.example"  # secure cookies come back over https only
    form = app.get("/user/login", base_url=site).body
    token = re.search(r'name="_csrf_token"[^>]*value="([^"]+)"', form).group(1)
    response = app.post("/user/login", follow_redirects=False, base_url=site,
                        headers={"Referer": f"{site}/user/login"}, data={
                            "login": user["name"], "password": password,
                            "_csrf_token": token})
    assert response.status_code == 302
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies
    for cookie in cookies:
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_plain_http_sites_send_no_hsts(app):
    assert "Strict-Transport-Security" not in app.get("/dataset").headers


def test_healthz_checks_database_redis_and_storage(app):
    answer = app.get("/healthz")
    assert answer.json == {"status": "ok", "checks": {
        "database": "ok", "redis": "ok", "storage": "ok"}}
    assert "no-store" in answer.headers["Cache-Control"]


@pytest.mark.ckan_config("ckan.storage_path", "/nonexistent/shanghai-secret-storage")
def test_healthz_fails_without_storage_and_tells_no_path(app):
    answer = app.get("/healthz", status=503)
    assert answer.json["checks"] == {"database": "ok", "redis": "ok", "storage": "failing"}
    assert "shanghai-secret-storage" not in answer.body and "Traceback" not in answer.body


def test_metrics_count_requests_and_queues_for_loopback(app):
    app.get("/dataset")
    job = jobs.enqueue(sorted, [[3, 1, 2]], queue="shanghai:metrics-test")
    try:
        text = app.get("/metrics").body
    finally:
        job.delete()
    assert re.search(r'shanghai_http_requests_total\{[^}]*endpoint="dataset.search"'
                     r'[^}]*status="200"\} [1-9]', text)
    assert "shanghai_http_request_duration_seconds_bucket" in text
    assert re.search(r'shanghai_queue_jobs\{queue="shanghai:metrics-test"\} 1\.0', text)
    assert 'shanghai_queue_job_outcomes{outcome="failed",queue="shanghai:metrics-test"}' in text


def test_metrics_are_not_open_to_the_world(app, tmp_path, ckan_config, monkeypatch):
    _get(app, "/metrics", "203.0.113.5", status=404)
    token_file = tmp_path / "metrics_token"
    token_file.write_text("s3cret-scrape\n")
    monkeypatch.setitem(ckan_config, "ckanext.shanghai.metrics.token_file", str(token_file))
    _get(app, "/metrics", "203.0.113.5", status=404, headers={"Authorization": "Bearer nope"})
    opened = _get(app, "/metrics", "203.0.113.5",
                  headers={"Authorization": "Bearer s3cret-scrape"})
    assert "shanghai_http_requests_total" in opened.body


@pytest.mark.ckan_config("ckanext.shanghai.proxy_hops", "1")
@pytest.mark.ckan_config("ckanext.shanghai.rate_limit.api_per_ip", "2/minute")
def test_behind_the_proxy_clients_are_told_apart_by_forwarded_for(app):
    proxy, client, other = _address(), _address(), _address()

    def call(forwarded: str, status: int = 200):
        return _get(app, "/api/3/action/status_show", proxy, status=status,
                    headers={"X-Forwarded-For": forwarded})
    call(client)
    call(f"1.2.3.4, {client}")    # only the hop nginx added counts: a client cannot forge it
    call(client, 429)
    call(other)
