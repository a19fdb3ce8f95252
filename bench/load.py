"""Load: many concurrent clients against the portal as separate nodes.

The multi-node topology of the tests (``tests/stack/multinode.py``: PostgreSQL and Redis
on TCP, shared storage, two web nodes, a worker and a harvest node, each started by its
role entry point) is seeded with the seed catalogue and its contests (``migrate
--seed``); the worker validates the seed's files and loads the valid tables into the
DataStore, and the measuring waits until its queues are empty: a portal serving its
usual traffic, not one also validating its whole catalogue (every load re-indexes its
dataset, which also empties the search cache). Then, in one run:

* *unloaded*: one client, one request at a time, on one web node: its p95 is the
  baseline (every web worker has answered and warmed up before: ``stack/warmup.py``
  loads some seconds of libraries in a worker once it is idle, which would otherwise
  run during the first runs);
* 16 and then 64 concurrent clients for ``$BENCH_LOAD_SECONDS`` (default 60) each,
  first all on web node A, then spread over A and B.

Each client is a thread with its own connection and its own loopback address
(127.0.0.N), as distinct users would be, so that the per-address API rate limit counts
each client apart. Every client goes round a realistic mix (``MIX``): the home page,
``/dataset?q=…`` with a facet filter, ``package_search`` with four facets,
``package_show``, ``datastore_search``, a resource download and a contest page. A
request fails when it gets no answer within 60 s or an answer other than 200.

The figures are requests per second, p50/p95/p99 and errors per run, the two-node
÷ one-node throughput ratio at each client count, and p95 under load ÷ unloaded p95
(the aim: no errors at 64 clients, and that ratio at most 10). The load generator runs
on the same machine as the nodes, PostgreSQL and Redis, and takes CPU from them; so may
other work, which the load average shows. The servers' CPU time per request (web
nodes, PostgreSQL, Redis: ``server_cpu``) is what a request costs whatever else runs,
and bounds the throughput of a machine of their own (cores ÷ CPU per request).
"""
from __future__ import annotations

import itertools
import os
import subprocess
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import psutil
import redis
import requests
import rq
from requests.adapters import HTTPAdapter

from bench import percentile, print_table
from ckanext.shanghai.stack.cluster import STACK, Cluster, cluster, serves, wait_for
from ckanext.shanghai.stack.config import web_workers

#: gunicorn sync workers per web node: ``$WEB_CONCURRENCY``, else the portal's default
WEB_WORKERS = str(web_workers())
TIMEOUT = 60.0


def duration() -> float:
    """Seconds of each loaded run: ``$BENCH_LOAD_SECONDS`` (shorter for quick runs)."""
    return float(os.environ.get("BENCH_LOAD_SECONDS", "60"))


class _FromAddress(HTTPAdapter):
    """Connections from one loopback address: a client of its own to the rate limits."""

    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__(pool_connections=1, pool_maxsize=1)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self._address, 0)
        super().init_poolmanager(*args, **kwargs)


def client(number: int) -> requests.Session:
    session = requests.Session()
    session.mount("http://", _FromAddress(f"127.0.{1 + number // 250}.{2 + number % 250}"))
    return session


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: CPU seconds the servers (web nodes, PostgreSQL, Redis) spent during the run
    server_cpu: float = float("nan")
    #: the machine's one-minute load average as the run ended (other work on it)
    load_average: float = float("nan")

    def percentile(self, p: int) -> float:
        return percentile(self.latencies, p)


def _api(url: str, action: str, **params: Any) -> Any:
    response = requests.get(f"{url}/api/3/action/{action}", params=params, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()["result"]


def _datastore_resource(url: str) -> dict[str, Any] | None:
    """An open resource that the worker has loaded into the DataStore, if any yet."""
    found = _api(url, "package_search", q="*:*", fq="open_type:unconditional", rows=1000)
    return next((r for d in found["results"] for r in d["resources"]
                 if r.get("datastore_active") and r.get("url_type") == "upload"), None)


def mix(url: str) -> list[Callable[[], str]]:
    """The paths of the mix, from what the seeded portal holds (open data only, as
    citizens and developers see it); each a function giving the next path of its kind."""
    datasets = _api(url, "package_search", q="*:*", fq="open_type:unconditional", rows=50,
                    sort="name asc")["results"]
    assert datasets, "the seed left no open datasets"
    names = [d["name"] for d in datasets]
    resource: dict[str, Any] = {}

    def loaded() -> bool:
        resource.update(_datastore_resource(url) or {})
        return bool(resource)

    wait_for(loaded, "the worker to load a table into the DataStore", 900)
    download = f"/dataset/{resource['package_id']}/resource/{resource['id']}/download/" \
               + resource["url"].rsplit("/", 1)[-1]
    contests = _api(url, "shanghai_contest_list")
    assert contests, "the seed left no contest"
    facets = '["data_domain","open_type","organization","res_format"]'
    queries = ["公交", "人口", "医院", "学校", "停车"]
    counter = itertools.count()

    def rotate(paths: list[str]) -> Callable[[], str]:
        return lambda: paths[next(counter) % len(paths)]

    return [
        rotate(["/"]),
        rotate([f"/dataset?q={q}&open_type=unconditional" for q in queries]),
        rotate([f"/api/3/action/package_search?q={q}&rows=10&facet.field={facets}"
                for q in queries]),
        rotate([f"/api/3/action/package_show?id={name}" for name in names]),
        rotate([f"/api/3/action/datastore_search?resource_id={resource['id']}&limit=20",
                f"/api/3/action/datastore_search?resource_id={resource['id']}&limit=5&offset=10"]),
        rotate([download]),
        rotate([f"/contest/{c['name']}" for c in contests]),
    ]


def server_cpu(nodes: Cluster) -> float:
    """CPU seconds used so far by the web nodes (gunicorn's master and workers),
    PostgreSQL's processes and Redis: what a request costs the servers, whatever share
    of the machine other work takes meanwhile."""
    roots = [nodes.nodes[name].pid for name in nodes.nodes if name in ("a", "b")]
    roots.append(int((nodes.pg.pgdata / "postmaster.pid").read_text().split()[0]))
    if nodes.redis.process is not None:
        roots.append(nodes.redis.process.pid)
    total = 0.0
    for pid in roots:
        with suppress(psutil.NoSuchProcess):
            root = psutil.Process(pid)
            for process in [root, *root.children(recursive=True)]:
                with suppress(psutil.NoSuchProcess):
                    times = process.cpu_times()
                    total += times.user + times.system
    return total


def load(urls: list[str], paths: list[Callable[[], str]], clients: int,
         seconds: float | None = None, requests_each: int | None = None,
         cpu: Callable[[], float] | None = None) -> Result:
    """``clients`` threads, client n on ``urls[n % len(urls)]``, each going round
    ``paths`` for ``seconds`` (or ``requests_each`` requests); ``cpu`` gives the servers'
    CPU seconds so far (``server_cpu``)."""
    result = Result()
    cpu_before = cpu() if cpu else float("nan")
    lock = threading.Lock()
    start = time.monotonic()
    deadline = start + (seconds if seconds is not None else 10**9)

    def one(number: int) -> None:
        session = client(number)
        base = urls[number % len(urls)]
        latencies: list[float] = []
        errors: dict[str, int] = {}
        done = 0
        while time.monotonic() < deadline and (requests_each is None or done < requests_each):
            path = paths[(number + done) % len(paths)]()
            begun = time.monotonic()
            try:
                response = session.get(base + path, timeout=TIMEOUT)
                response.content  # noqa: B018  (the whole body counts)
                problem = None if response.status_code == 200 else str(response.status_code)
            except requests.RequestException as error:
                problem = type(error).__name__
            latencies.append(time.monotonic() - begun)
            if problem:
                errors[problem] = errors.get(problem, 0) + 1
            done += 1
        with lock:
            result.latencies.extend(latencies)
            for key, count in errors.items():
                result.errors[key] = result.errors.get(key, 0) + count

    threads = [threading.Thread(target=one, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.monotonic() - start
    if cpu:
        result.server_cpu = cpu() - cpu_before
    result.load_average = os.getloadavg()[0]
    return result


def _warm(master: int) -> bool:
    """Whether every gunicorn worker of the web node whose master is ``master`` has
    warmed up (``stack/warmup.py``: pandas is among what it loads), so that no warm-up
    runs during a measurement."""
    workers = psutil.Process(master).children()
    return bool(workers) and all(
        "pandas/_libs" in Path(f"/proc/{worker.pid}/maps").read_text() for worker in workers)


def _warmed(nodes: Cluster, urls: list[str], paths: list[Callable[[], str]]) -> bool:
    """A few rounds of the mix at once on each node, so that every worker answers
    (a worker warms up once it has answered and is idle); whether all are warm."""
    load(urls, paths, 4 * int(WEB_WORKERS) * len(urls), requests_each=len(paths))
    time.sleep(5)
    return all(_warm(nodes.nodes[name].pid) for name in ("a", "b"))


def _jobs_left(redis_url: str) -> int:
    """Jobs queued or running on every rq queue (validation, CKAN's default)."""
    connection = redis.Redis.from_url(redis_url)
    return sum(queue.count + queue.started_job_registry.count
               for queue in rq.Queue.all(connection=connection))


def _seeded(nodes: Cluster) -> None:
    """Migrate and load the seed (as ``make run`` does after serving), then start the
    worker (which fills the DataStore), the harvest node and web nodes A and B."""
    env = {**nodes.node_env("migrate"), "WEB_CONCURRENCY": WEB_WORKERS}
    nodes.env["WEB_CONCURRENCY"] = WEB_WORKERS
    done = subprocess.run([*STACK, "migrate", "--seed"], env=env, capture_output=True,
                          text=True, timeout=1800)
    assert done.returncode == 0, done.stderr[-3000:]
    nodes.start("worker", "worker", "default", "shanghai:validation")
    nodes.start("harvest", "harvest")
    for name in ("a", "b"):
        nodes.start_web(name)
    for name in ("a", "b"):
        wait_for(partial(serves, nodes.url(name)), f"web node {name}")


@dataclass
class Figures:
    unloaded: Result
    #: (web nodes, clients) → the loaded run
    runs: dict[tuple[int, int], Result]


def run(client_counts: tuple[int, ...] = (16, 64)) -> Figures:
    """Seed the nodes, then measure unloaded and each client count on one and two
    web nodes."""
    with cluster() as nodes:
        _seeded(nodes)
        a, b = nodes.url("a"), nodes.url("b")
        paths = mix(a)
        wait_for(lambda: _jobs_left(nodes.env["SHANGHAI_REDIS_URL"]) == 0,
                 "the worker to validate and load the seed", 1800)
        wait_for(partial(_warmed, nodes, [a, b], paths), "the web workers to warm up", 600)
        cpu = partial(server_cpu, nodes)
        figures = Figures(load([a], paths, 1, requests_each=10 * len(paths), cpu=cpu), {})
        for clients in client_counts:
            figures.runs[1, clients] = load([a], paths, clients, duration(), cpu=cpu)
            figures.runs[2, clients] = load([a, b], paths, clients, duration(), cpu=cpu)
        return figures


def _rate(result: Result) -> float:
    return len(result.latencies) / result.seconds


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def report(figures: Figures) -> None:
    base = figures.unloaded.percentile(95)
    rows = [[f"{web} web node{'s' if web > 1 else ''}", str(clients), f"{_rate(result):.1f}",
             _ms(result.percentile(50)), _ms(result.percentile(95)), _ms(result.percentile(99)),
             f"{sum(result.errors.values())} {result.errors or ''}".strip(),
             f"{result.percentile(95) / base:.1f}",
             f"{result.server_cpu / len(result.latencies) * 1000:.0f} ms",
             f"{result.load_average:.1f}"]
            for (web, clients), result in [((1, 1), figures.unloaded), *figures.runs.items()]]
    rows[0][0] = "unloaded, 1 web node"
    print_table(f"Load: the mix for {duration():.0f} s per run, {WEB_WORKERS} gunicorn "
                "workers per web node (generator on the same machine)",
                ["web", "clients", "req/s", "p50", "p95", "p99", "errors", "p95 ÷ unloaded p95",
                 "server CPU per request", "load average"],
                rows)
    counts = sorted({clients for _, clients in figures.runs})
    print_table("Load: two web nodes ÷ one", ["clients", "req/s ratio", "p95 ratio"], [
        [str(c), f"{_rate(figures.runs[2, c]) / _rate(figures.runs[1, c]):.2f}",
         f"{figures.runs[2, c].percentile(95) / figures.runs[1, c].percentile(95):.2f}"]
        for c in counts])


if __name__ == "__main__":
    report(run())
