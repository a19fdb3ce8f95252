"""What a production node needs around every request: request ids, JSON logs, rate
limits, secure cookies, ``/healthz`` and Prometheus ``/metrics``.

- **Request ids.** A sane ``X-Request-Id`` from the proxy is kept, else one is made;
  it is sent back and carried by every log line of the request (``JsonFormatter``).
- **Rate limits** (the ``limits`` library on CKAN's Redis, so every worker of every web
  node counts together): the Action API per client address and per API token, and login
  posts per address and per (address, user name). Answers carry ``X-RateLimit-Limit``,
  ``-Remaining`` and ``-Reset``; over the limit is a 429 with ``Retry-After``. Redis down
  means no limiting (logged), never a failed request. nginx limits ``/api/`` too; the
  app's limits hold where the proxy is bypassed or scaled out.
- **Behind a proxy** (``ckanext.shanghai.proxy_hops``) the client address and scheme
  come from ``X-Forwarded-For``/``-Proto`` set by that many proxies, and no more.
- **Cookies and HSTS.** When the site URL is https the session and remember-me cookies
  are ``Secure`` (CKAN already makes them ``HttpOnly`` and ``SameSite=Lax``) and
  ``Strict-Transport-Security`` is sent.
- ``/healthz`` answers 200 or 503 with one word per check (database, Redis, storage):
  the reason goes to the log, never to the client.
- ``/metrics`` is Prometheus' text format, for addresses in
  ``ckanext.shanghai.metrics.allow`` (loopback by default) or a bearer token read from
  ``ckanext.shanghai.metrics.token_file``; anyone else gets a 404. With several
  gunicorn workers set ``PROMETHEUS_MULTIPROC_DIR`` so that their counts add up.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import ipaddress
import json
import logging
import os
import re
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
import prometheus_client
from ckan import model
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis
from flask import Blueprint, Flask, Response, g, has_request_context, request
from limits import RateLimitItem, parse
from limits.storage import RedisStorage
from limits.util import WindowStats
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from redis import ConnectionPool
from sqlalchemy import text
from werkzeug.middleware.proxy_fix import ProxyFix

from . import inputs

__all__ = ["JsonFormatter", "install", "operations"]

log = logging.getLogger(__name__)
#: one line per request (the access log), beside the module's own log
access_log = logging.getLogger(f"{__name__}.requests")

operations = Blueprint("shanghai_operations", __name__)

_REQUEST_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")

REQUESTS = prometheus_client.Counter(
    "shanghai_http_requests", "HTTP requests answered", ["method", "endpoint", "status"])
LATENCY = prometheus_client.Histogram(
    "shanghai_http_request_duration_seconds", "Time to answer a request", ["endpoint"])


def install(app: Flask) -> Flask:
    """Put request ids, rate limits, cookies and metrics around ``app``'s views."""
    hops = tk.config.get("ckanext.shanghai.proxy_hops")
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops, x_port=hops)
    if tk.config.get("ckan.site_url", "").startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    hooks = app.before_request_funcs.setdefault(None, [])
    # The id first, so that even a refused request has one; the limits once the body
    # is known to be within bounds (the login limit reads the form).
    hooks.insert(0, _begin)
    hooks.insert(hooks.index(inputs.refuse_bad_input) + 1, _check_limits)
    app.after_request_funcs.setdefault(None, []).append(_after)
    return app


class JsonFormatter(logging.Formatter):
    """One JSON object per log line, with the request id when there is a request.

    Named in the ``[formatter_json]`` section of a production ini
    (``class = ckanext.shanghai.portal.operations.JsonFormatter``)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname, "logger": record.name,
            "message": record.getMessage()}
        if has_request_context() and "request_id" in g:
            entry["request_id"] = g.request_id
        entry.update(getattr(record, "fields", {}))
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# Rate limits

@functools.cache
def _storage(pool: ConnectionPool) -> RedisStorage:
    """The counters' storage on CKAN's Redis pool, made once per process (it registers
    its scripts when made)."""
    return RedisStorage("redis://", connection_pool=pool)


def _digest(value: str) -> str:
    """Keys in Redis never hold a token or a user name as such."""
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _limits_for_request() -> list[tuple[RateLimitItem, str]]:
    """The limits this request counts against, each with its key."""
    config = tk.config
    address = request.remote_addr or "-"
    if request.path.startswith("/api/"):
        found = [(parse(config.get("ckanext.shanghai.rate_limit.api_per_ip")), f"ip:{address}")]
        token = request.headers.get(config["apitoken_header_name"])
        if token:
            found.append((parse(config.get("ckanext.shanghai.rate_limit.api_per_token")),
                          f"token:{_digest(token)}"))
        return found
    if request.endpoint and request.endpoint.endswith("user.login") and request.method == "POST":
        login = (request.form.get("login") or "").strip().lower()
        return [(parse(config.get("ckanext.shanghai.rate_limit.login_per_ip")),
                 f"login-ip:{address}"),
                (parse(config.get("ckanext.shanghai.rate_limit.login_per_user")),
                 f"login:{address}:{_digest(login)}")]
    return []


def _check_limits() -> Response | None:
    """Count the request; the 429 answer if one of its limits is used up."""
    checked = []
    try:
        storage = _storage(connect_to_redis().connection_pool)
        for item, key in _limits_for_request():
            # a fixed window, two round trips: the count after this hit, then its reset
            counter = item.key_for("shanghai", key)
            count = storage.incr(counter, item.get_expiry())
            stats = WindowStats(storage.get_expiry(counter), max(0, item.amount - count))
            checked.append((item, stats))
            if count > item.amount:
                return _too_many(item, stats.reset_time)
    except Exception:  # Redis down or slow: serve unlimited rather than fail
        log.exception("rate limits not checked")
        return None
    if checked:  # the tightest one goes in the headers
        item, stats = min(checked, key=lambda pair: pair[1].remaining)
        g.shanghai_rate = (item.amount, stats.remaining, int(stats.reset_time))
    return None


def _too_many(item: RateLimitItem, reset: float) -> Response:
    wait = max(1, int(reset - time.time()) + 1)
    message = tk._("Too many requests: at most {limit}. Try again in {seconds} s.").format(
        limit=str(item), seconds=wait)
    if request.path.startswith("/api/"):
        body = json.dumps({"success": False, "error": {
            "__type": "Too Many Requests", "message": message}}, ensure_ascii=False)
        response = Response(body, status=429, mimetype="application/json")
    else:
        response = Response(message, status=429, mimetype="text/plain")
    response.headers["Retry-After"] = str(wait)
    g.shanghai_rate = (item.amount, 0, int(reset))
    return response


# Request hooks

def _begin() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if _REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
    g.shanghai_started = time.perf_counter()


def _after(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    if "shanghai_rate" in g:
        limit, remaining, reset = g.shanghai_rate
        response.headers["X-RateLimit-Limit"] = str(limit)
        response.headers["X-RateLimit-Remaining"] = str(remaining)
        response.headers["X-RateLimit-Reset"] = str(reset)
    if tk.config.get("ckan.site_url", "").startswith("https://"):
        response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
    endpoint = request.endpoint or "unmatched"  # bounded: never the raw path
    elapsed = time.perf_counter() - g.get("shanghai_started", time.perf_counter())
    REQUESTS.labels(request.method, endpoint, str(response.status_code)).inc()
    LATENCY.labels(endpoint).observe(elapsed)
    access_log.info("%s %s %s", request.method, request.path, response.status_code,
                    extra={"fields": {"method": request.method, "path": request.path,
                                      "status": response.status_code, "endpoint": endpoint,
                                      "duration_ms": round(elapsed * 1000, 1)}})
    return response


# /healthz

def _check_database() -> None:
    model.Session.execute(text("SELECT 1"))


def _check_redis() -> None:
    connect_to_redis().ping()


def _check_storage() -> None:
    folder = tk.config.get("ckan.storage_path")
    if not folder or not Path(folder).is_dir():
        raise OSError("storage folder missing")
    with tempfile.NamedTemporaryFile(dir=folder, prefix=".healthz-"):
        pass


@operations.route("/healthz")
def healthz() -> Response:
    """200 when the database, Redis and the storage folder all answer, else 503."""
    checks = {}
    for name, check in (("database", _check_database), ("redis", _check_redis),
                        ("storage", _check_storage)):
        try:
            check()
            checks[name] = "ok"
        except Exception:
            log.exception("health check %s failed", name)
            checks[name] = "failing"
            if name == "database":
                model.Session.rollback()
    healthy = all(state == "ok" for state in checks.values())
    body = {"status": "ok" if healthy else "failing", "checks": checks}
    response = Response(json.dumps(body), status=200 if healthy else 503,
                        mimetype="application/json")
    response.headers["Cache-Control"] = "no-store"
    return response


# /metrics

class QueueCollector(Collector):
    """CKAN's job queues at scrape time: jobs waiting, and finished and failed jobs
    kept in each queue's registries (rq keeps them for a while, so outcomes are recent)."""

    def collect(self) -> Any:
        waiting = GaugeMetricFamily("shanghai_queue_jobs", "Jobs waiting in a queue",
                                    labels=["queue"])
        outcomes = GaugeMetricFamily("shanghai_queue_job_outcomes",
                                     "Recent jobs of a queue by outcome",
                                     labels=["queue", "outcome"])
        try:
            for queue in jobs.get_all_queues():
                name = jobs.remove_queue_name_prefix(queue.name)
                waiting.add_metric([name], len(queue))
                outcomes.add_metric([name, "finished"], queue.finished_job_registry.count)
                outcomes.add_metric([name, "failed"], queue.failed_job_registry.count)
                outcomes.add_metric([name, "started"], queue.started_job_registry.count)
        except Exception:  # Redis down: the request metrics still come out
            log.exception("queue metrics not read")
        yield waiting
        yield outcomes


def _may_see_metrics() -> bool:
    address = ipaddress.ip_address(request.remote_addr or "0.0.0.0")
    for allowed in tk.config.get("ckanext.shanghai.metrics.allow"):
        if address in ipaddress.ip_network(allowed, strict=False):
            return True
    token_file = tk.config.get("ckanext.shanghai.metrics.token_file")
    given = request.headers.get("Authorization", "")
    if token_file and given.startswith("Bearer "):
        token = Path(token_file).read_text(encoding="utf-8").strip()
        return bool(token) and hmac.compare_digest(given[7:].encode(), token.encode())
    return False


@operations.route("/metrics")
def metrics() -> Response:
    """Prometheus' text format, for the allowed addresses or the bearer token only."""
    if not _may_see_metrics():
        return tk.abort(404)
    registry = prometheus_client.CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(REQUESTS)
        registry.register(LATENCY)
    registry.register(QueueCollector())
    return Response(prometheus_client.generate_latest(registry),
                    mimetype=prometheus_client.CONTENT_TYPE_LATEST)
