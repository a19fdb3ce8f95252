"""Validation-queue benchmark: small files through the real job queue and worker.

Measured in one run, against the CKAN of ``$CKAN_INI``:

* 200 small CSV uploads (``car_parks``, 20–60 rows, a few with planted errors) over 20
  datasets, created with ``resource_create`` (which queues their validation jobs), then
  drained by our worker (:class:`ckanext.shanghai.stack.worker.Worker`, in this
  process): jobs per second, each job being the whole of it (report, DataStore load,
  re-index);
* the baseline: a bare in-process ``frictionless.validate`` loop over the same files
  with the same schema; the ratio of the two (≥ 1.0: the queue costs nothing);
* a 1,000-row file validated again 20 times: worker seconds per job, end to end;
* the memory of the worker: resident set after 100 and after 1,000 jobs (the 200
  files queued five times), which should stay flat.
"""
from __future__ import annotations

import io
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import ckan.lib.jobs as jobs
import ckan.plugins.toolkit as tk
import frictionless
import psutil
from werkzeug.datastructures import FileStorage

from ckanext.shanghai.common import table_schemas
from ckanext.shanghai.stack.worker import Worker
from ckanext.shanghai.validation import runner

SCHEMA = "car_parks"
FILES, DATASETS = 200, 20
HEADER = "park_id,name,district,address,longitude,latitude,total_spaces,hourly_fee,phone,opened"
ROW = "P{n:08d},人民广场停车场,黄浦区,人民大道{n}号,121.475,31.232,{spaces},10.0,021-63181234,2001-05-01"


def csv_text(rows: int, rng: random.Random, defect: bool = False) -> str:
    lines = [ROW.format(n=n, spaces=rng.randint(20, 900)) for n in range(1, rows + 1)]
    if defect:
        lines[rng.randrange(rows)] = lines[0].replace(",黄浦区,", ",苏州市,")
    return HEADER + "\n" + "\n".join(lines) + "\n"


def _context() -> dict[str, Any]:
    return {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"],
            "ignore_auth": True}


def _datasets(count: int, tag: str) -> list[str]:
    org = tk.get_action("organization_create")(_context(), {"name": f"bench-queue-{tag}"})
    ids = []
    for n in range(count):
        ids.append(tk.get_action("package_create")(_context(), {
            "name": f"bench-queue-{tag}-{n}", "title": f"停车场基准{n}", "owner_org": org["id"],
            "notes": "基准测试。", "data_domain": "transport", "open_type": "unconditional",
            "share_type": "unconditional", "catalogue_code": f"B0001-QUEUE-{tag}-{n:05d}",
            "update_frequency": "monthly", "release_date": "2016-01-05",
            "last_updated": "2016-06-01", "license_id": "cc-by"})["id"])
    return ids


def _upload(package_id: str, name: str, text: str) -> dict[str, Any]:
    return tk.get_action("resource_create")(_context(), {
        "package_id": package_id, "name": name, "url": name, "format": "CSV",
        "schema": SCHEMA, "upload": FileStorage(io.BytesIO(text.encode()), filename=name)})


def _drain() -> tuple[int, float]:
    queue = jobs.get_queue(runner.QUEUE)
    count = queue.count
    start = time.perf_counter()
    Worker([runner.QUEUE]).work(burst=True)
    return count, time.perf_counter() - start


def _rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def run(files: int = FILES) -> dict[str, Any]:
    """Return the figures (jobs/s, files/s, their ratio, s per 1,000-row job, MB)."""
    rng = random.Random(2016)
    tag = f"{int(time.time())}"
    jobs.get_queue(runner.QUEUE).empty()
    packages = _datasets(DATASETS, tag)
    resources, paths = [], []
    with tempfile.TemporaryDirectory(prefix="bench-queue-") as folder:
        for n in range(files):
            text = csv_text(rng.randint(20, 60), rng, defect=n % 10 == 0)
            paths.append(Path(folder) / f"parks-{n}.csv")
            paths[-1].write_text(text, encoding="utf-8")
            resources.append(_upload(packages[n % DATASETS], paths[-1].name, text))

        count, seconds = _drain()
        queued = count
        schema = frictionless.Schema.from_descriptor(table_schemas.load(SCHEMA))
        start = time.perf_counter()
        for path in paths:
            frictionless.validate(str(path), schema=schema)
        baseline = time.perf_counter() - start

    big = _upload(packages[0], "parks-1000.csv", csv_text(1000, rng))
    _drain()
    for _ in range(20):
        runner.enqueue(big, force=True)
    big_count, big_seconds = _drain()

    for resource in resources[:100]:
        runner.enqueue(resource, force=True)
    _drain()
    after_100 = _rss_mb()
    for _ in range(4):  # 800 more, then the last 100: 1,000 in all
        for resource in resources:
            runner.enqueue(resource, force=True)
        _drain()
    for resource in resources[100:]:
        runner.enqueue(resource, force=True)
    _drain()
    after_1000 = _rss_mb()
    return {"files": queued, "jobs_per_s": queued / seconds, "baseline_per_s": files / baseline,
            "ratio": (queued / seconds) / (files / baseline),
            "s_per_1000_row_job": big_seconds / big_count,
            "rss_after_100_mb": after_100, "rss_after_1000_mb": after_1000}


def report(figures: dict[str, Any]) -> None:
    print(f"validation queue: {figures['files']} small files, "
          f"{figures['jobs_per_s']:.1f} jobs/s through the queue vs "
          f"{figures['baseline_per_s']:.1f} files/s bare frictionless.validate: "
          f"{figures['ratio']:.2f}x")
    print(f"validation queue: a 1,000-row file costs {figures['s_per_1000_row_job']:.3f} s "
          "of worker time per job, end to end")
    print(f"validation queue: worker RSS {figures['rss_after_100_mb']:.0f} MB after 100 jobs, "
          f"{figures['rss_after_1000_mb']:.0f} MB after 1,000")
