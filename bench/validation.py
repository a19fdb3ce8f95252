"""Validation benchmark: our validator against the ``frictionless validate`` command.

A deterministic CSV of the ``car_parks`` Table Schema (公共停车场, nine typed and
constrained fields, a primary key) with a few hundred planted errors of every common
kind is validated, in one run, by

* the ``frictionless validate`` command (the baseline), on the 1,000,000-row file;
* our validator (``ckanext.shanghai.validation.engine``) on the same file, in a
  child process so that its peak memory (``ru_maxrss``) is its own.

It prints the throughput ratio, checks that both list the same errors, and then runs our
validator alone on files of growing size (by default 100 MB → 1 GB) to show that peak
memory stays flat. Needs no CKAN.
"""
from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ckanext.shanghai.common import table_schemas
from ckanext.shanghai.validation import engine

SCHEMA = "car_parks"
DISTRICTS = ["黄浦区", "徐汇区", "长宁区", "静安区", "普陀区", "虹口区", "杨浦区", "闵行区",
             "宝山区", "嘉定区", "浦东新区", "金山区", "松江区", "青浦区", "奉贤区", "崇明区"]
ROADS = ["南京东路", "淮海中路", "延安西路", "四川北路", "世纪大道", "漕溪北路", "长寿路", "大连路"]
#: One planted error per this many rows on average (1,000,000 rows → about 330 errors).
ERROR_EVERY = 3000
#: What a planted error does to a row (field, bad value), chosen in turn.
PLANTS = [
    ("total_spaces", "一百"),          # type
    ("longitude", "131.5"),            # outside Shanghai
    ("latitude", "29.1"),              # outside Shanghai
    ("district", "苏州工业园区"),       # enum
    ("phone", "12345"),                # pattern
    ("total_spaces", "-3"),            # minimum
    ("name", ""),                      # required
    ("opened", "2016-02-30"),          # date
    ("hourly_fee", "十元"),             # type
    ("park_id", None),                 # duplicate of an earlier id (unique + primary key)
]
HEADER = ["park_id", "name", "district", "address", "longitude", "latitude",
          "total_spaces", "hourly_fee", "phone", "opened"]


def write_csv(path: Path, rows: int, seed: int = 2016) -> int:
    """Write ``rows`` data rows (deterministic for ``seed``); return how many planted."""
    rng = random.Random(seed)
    planted = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\n")
        lines: list[str] = []
        for i in range(rows):
            row = [
                f"P{i:08d}", f"{rng.choice(ROADS)}{i % 997}号公共停车场",
                DISTRICTS[i % 16], f"{rng.choice(ROADS)}{rng.randint(1, 2000)}号",
                f"{121.0 + rng.random():.6f}", f"{30.8 + rng.random() * 0.9:.6f}",
                str(rng.randint(20, 1500)), f"{rng.randint(5, 20)}.0",
                f"021-{rng.randint(10000000, 99999999)}",
                f"{rng.randint(1995, 2016)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            ]
            if i > 10 and rng.randrange(ERROR_EVERY) == 0:
                name, value = PLANTS[planted % len(PLANTS)]
                row[HEADER.index(name)] = value if value is not None else f"P{i // 2:08d}"
                planted += 1
            lines.append(",".join(row))
            if len(lines) == 10000:
                out.write("\n".join(lines) + "\n")
                lines.clear()
        if lines:
            out.write("\n".join(lines) + "\n")
    return planted


def _signature(error: dict[str, Any]) -> tuple[Any, ...]:
    return (error.get("rowNumber"), error.get("fieldName") or "", error["type"],
            error.get("note") or "")


def frictionless_cli(csv_path: Path, schema_path: Path) -> tuple[float, list[dict[str, Any]]]:
    """Seconds and errors of ``frictionless validate --json`` (limit raised to fit all)."""
    started = time.perf_counter()
    completed = subprocess.run(
        [str(Path(sys.executable).parent / "frictionless"), "validate", "--json",
         "--limit-errors", "100000", "--schema", schema_path.name, csv_path.name],
        capture_output=True, text=True, cwd=csv_path.parent)  # it refuses absolute paths
    seconds = time.perf_counter() - started
    report = json.loads(completed.stdout)
    errors = [e for task in report["tasks"] for e in task["errors"]]
    return seconds, errors


def ours_in_child(csv_path: Path) -> dict[str, Any]:
    """Run our validator in a fresh process: seconds, peak RSS, rows, errors."""
    completed = subprocess.run([sys.executable, "-m", "bench.validation", str(csv_path)],
                               capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def _child(csv_path: str) -> None:
    started = time.perf_counter()
    result = engine.validate(csv_path, table_schemas.load(SCHEMA), max_errors=100000,
                                     max_bytes=1 << 40)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"seconds": seconds, "peak_mb": peak_mb, "rows": result.rows,
               "engine": result.engine, "errors": result.errors}, sys.stdout)


def run(rows: int = 1_000_000, growth_mb: tuple[int, ...] = (100, 1000)) -> dict[str, Any]:
    """Measure; return the figures (see module docstring)."""
    figures: dict[str, Any] = {"rows": rows}
    with tempfile.TemporaryDirectory(prefix="bench-validation-") as tmp:
        directory = Path(tmp)
        schema_path = directory / "schema.json"
        schema_path.write_text(json.dumps(table_schemas.load(SCHEMA), ensure_ascii=False))
        csv_path = directory / "car_parks.csv"
        figures["planted"] = write_csv(csv_path, rows)
        figures["mb"] = csv_path.stat().st_size / 2**20
        cli_seconds, cli_errors = frictionless_cli(csv_path, schema_path)
        ours = ours_in_child(csv_path)
        figures.update(
            frictionless_s=cli_seconds, ours_s=ours["seconds"], ours_peak_mb=ours["peak_mb"],
            engine=ours["engine"], errors=len(ours["errors"]), cli_errors=len(cli_errors),
            ratio=cli_seconds / ours["seconds"],
            same_errors=[_signature(e) for e in ours["errors"]] ==
            [_signature(e) for e in cli_errors])
        bytes_per_row = csv_path.stat().st_size / rows
        csv_path.unlink()
        figures["growth"] = []
        for mb in growth_mb:
            grown = directory / f"car_parks_{mb}mb.csv"
            write_csv(grown, int(mb * 2**20 / bytes_per_row))
            child = ours_in_child(grown)
            figures["growth"].append({"mb": grown.stat().st_size / 2**20, "rows": child["rows"],
                                      "seconds": child["seconds"], "peak_mb": child["peak_mb"],
                                      "rows_per_s": child["rows"] / child["seconds"]})
            grown.unlink()
    return figures


def report(figures: dict[str, Any]) -> None:
    """Print the figures."""
    print(f"\nvalidation benchmark ({figures['rows']:,} rows, {figures['mb']:.0f} MB of "
          f"{SCHEMA}.csv, {figures['planted']} planted errors)")
    print(f"frictionless validate: {figures['frictionless_s']:.1f} s, {figures['cli_errors']} errors")
    print(f"ours ({figures['engine']}): {figures['ours_s']:.1f} s, {figures['errors']} errors, "
          f"peak {figures['ours_peak_mb']:.0f} MB")
    print(f"throughput ÷ frictionless: {figures['ratio']:.1f}×   same error list: "
          f"{'yes' if figures['same_errors'] else 'NO'}")
    print("file MB | rows | s | rows/s | peak MB")
    for g in figures["growth"]:
        print(f"{g['mb']:.0f} | {g['rows']:,} | {g['seconds']:.1f} | {g['rows_per_s']:,.0f} | "
              f"{g['peak_mb']:.0f}")


if __name__ == "__main__":
    _child(sys.argv[1])
