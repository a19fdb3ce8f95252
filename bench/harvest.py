"""Harvest benchmark: the full department catalogue through gather → fetch → import.

Measured in one run, against the CKAN of ``$CKAN_INI``:

* the baseline: CKAN's ``package_create`` of the same kind of dataset dicts (mapped
  catalogue entries of other codes, same schema, same index), created directly, half
  before the harvest and half after it;
* the first harvest of the catalogue (15,000 entries, 210,000 data items over 45
  departments by default), in entries per second and as a ratio to the baseline;
* the re-harvest of the unchanged catalogue (everything skipped by content hash);
* peak memory (the process's maximum resident set, before and after).
"""
from __future__ import annotations

import json
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.shanghai.harvest.department import SOURCE_TYPE
from ckanext.shanghai.harvest.mapping import map_entry
from ckanext.shanghai.harvest.operations import run_source
from ckanext.shanghai.harvest.readers import read_csv
from ckanext.shanghai.portal import seed
from ckanext.shanghai.portal.domains import configured_domain_table
from harvesters import catalogue_generator as gen

BASELINE = 300


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(entries: int = gen.FULL_ENTRIES, departments: int = gen.FULL_DEPARTMENTS) -> dict[str, Any]:
    """Return the figures (rates per second, ratios, MB)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]

    def context() -> dict[str, Any]:
        return {"user": site_user, "ignore_auth": True}

    seed.ensure_domain_groups(site_user)
    plan = gen.full_plan(departments, entries)
    for department, _counts in plan:
        if model.Group.get(department["name"]) is None:
            tk.get_action("organization_create")(context(), {"name": department["name"], "title": department["title"]})
    folder = Path(tempfile.mkdtemp(prefix="bench-harvest-"))
    files = gen.write_full(folder, departments, entries)
    tk.config["ckanext.shanghai.harvest.catalogue_folder"] = str(folder)  # sources read only from there

    # Baseline: package_create of mapped entries with codes the catalogue does not use.
    baseline_dir = folder / "baseline"
    baseline_dir.mkdir()
    first_department = plan[0][0]
    gen.write_csv(baseline_dir / "b.csv", list(gen.entries(first_department, BASELINE, first=80001)), "utf-8")
    domains = configured_domain_table()
    dicts = [map_entry(e, owner_org=first_department["name"], domains=domains)
             for e in read_csv(baseline_dir / "b.csv")]

    def baseline(batch: list[dict[str, Any]]) -> float:
        start = time.perf_counter()
        for data in batch:
            tk.get_action("package_create")(context(), data)
        return time.perf_counter() - start

    # Half before the harvest (empty catalogue), half after (full one): the same
    # database sizes the harvest itself sees.
    baseline_seconds = baseline(dicts[: BASELINE // 2])

    names = []
    for department, _counts in plan:
        name = f"bench-{department['name']}"
        if model.Package.get(name) is None:
            tk.get_action("harvest_source_create")(context(), {
                "name": name, "title": name, "url": str(files[department["name"]]), "source_type": SOURCE_TYPE,
                "owner_org": department["name"],
                "config": json.dumps({"format": "csv", "location": str(files[department["name"]])})})
        names.append(name)

    memory_before = _peak_mb()
    start = time.perf_counter()
    first = [run_source(name) for name in names]
    harvest_seconds = time.perf_counter() - start
    memory_after = _peak_mb()
    start = time.perf_counter()
    again = [run_source(name) for name in names]
    reharvest_seconds = time.perf_counter() - start
    baseline_seconds += baseline(dicts[BASELINE // 2:])
    create_rate = len(dicts) / baseline_seconds
    harvest_rate = entries / harvest_seconds
    reharvest_rate = entries / reharvest_seconds
    return {
        "entries": entries, "departments": departments,
        "data_items": sum(sum(c) for _, c in plan),
        "created": sum(s.created for s in first), "errors": sum(s.errors for s in first),
        "unchanged": sum(s.unchanged for s in again),
        "package_create_per_s": create_rate, "harvest_per_s": harvest_rate,
        "harvest_ratio": harvest_rate / create_rate,
        "reharvest_per_s": reharvest_rate, "reharvest_speedup": reharvest_rate / harvest_rate,
        "peak_rss_mb_before": memory_before, "peak_rss_mb_after": memory_after,
    }


def report(f: dict[str, Any]) -> None:
    """Print the figures."""
    print(f"\nharvest benchmark ({f['entries']} entries, {f['data_items']} data items, "
          f"{f['departments']} departments; created {f['created']}, errors {f['errors']}, "
          f"unchanged on re-harvest {f['unchanged']})")
    print("package_create/s | harvest/s | harvest÷create | re-harvest/s | re-harvest÷harvest | peak RSS MB")
    print(f"{f['package_create_per_s']:.1f} | {f['harvest_per_s']:.1f} | {f['harvest_ratio']:.2f} | "
          f"{f['reharvest_per_s']:.1f} | {f['reharvest_speedup']:.1f} | "
          f"{f['peak_rss_mb_before']:.0f} → {f['peak_rss_mb_after']:.0f}")
