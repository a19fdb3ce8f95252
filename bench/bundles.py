"""SODA contest bundles: streaming a bundle zip, against the ``zip`` command.

For each size (MB) a folder of generated CSV files is made; then, in a child process
each (so that peak memory is the child's own), the bundle is

- *published*: every file read once for its size, SHA-256 and CRC-32 (what
  ``shanghai_bundle_publish`` does besides copying), and
- *streamed*: the archive produced by ``zip_writer.Layout.iter_bytes`` written to
  a file, as the download view sends it;

and the same files are zipped by ``zip -0`` (stored, the same work as ours) and by
plain ``zip`` (deflate, its default). Throughput is reported as a ratio to ``zip``
measured in the same run, and the streamer's peak RSS (``VmHWM``) at every size shows
whether memory grows with the bundle.

``python -m bench.bundles --child DIR OUT`` is the child; ``run(sizes)`` the driver.
"""
from __future__ import annotations

import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import print_table
from ckanext.shanghai.bundles.zip_writer import ArchiveEntry, Layout, digest_stream

FILES_PER_BUNDLE = 8
_BLOCK_ROWS = 40_000


def _block(rng: random.Random) -> bytes:
    """About 2.5 MB of CSV rows like the metro transactions (compressible, not trivial)."""
    return "".join(
        f"{rng.randrange(10**9)},{rng.getrandbits(64):016x},2015-04-{rng.randrange(1, 31):02d}"
        f"T{rng.randrange(5, 23):02d}:{rng.randrange(60):02d}:00,{rng.randrange(1, 17)}号线,"
        f"站{rng.randrange(300)},{'进站' if rng.random() < .5 else '出站'},{rng.randrange(10)}\n"
        for _ in range(_BLOCK_ROWS)).encode("utf-8")


def make_files(folder: Path, megabytes: int) -> int:
    """Write ``FILES_PER_BUNDLE`` CSV files totalling about ``megabytes`` MB."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(megabytes)
    blocks = [_block(rng) for _ in range(4)]
    per_file = megabytes * 10**6 // FILES_PER_BUNDLE
    total = 0
    for index in range(FILES_PER_BUNDLE):
        written = 0
        with (folder / f"part-{index:02d}.csv").open("wb") as handle:
            while written < per_file:
                block = blocks[(index + written // len(blocks[0])) % len(blocks)]
                handle.write(block[:per_file - written])
                written += min(len(block), per_file - written)
        total += written
    return total


def child(folder: Path, out: Path) -> dict[str, Any]:
    """Publish (hash) and stream the bundle of ``folder`` into ``out``; report times
    and this process's peak RSS."""
    start = time.perf_counter()
    entries = []
    for path in sorted(folder.iterdir()):
        with path.open("rb") as handle:
            digest = digest_stream(handle)
        entries.append(ArchiveEntry(f"data/{path.name}", path, digest.size, digest.crc32))
    hashed = time.perf_counter()
    layout = Layout(entries, (2015, 5, 20))
    with out.open("wb") as handle:
        for chunk in layout.iter_bytes():
            handle.write(chunk)
    done = time.perf_counter()
    return {"publish_s": hashed - start, "stream_s": done - hashed, "zip_bytes": layout.size,
            "peak_rss_mb": peak_rss_mb()}


def peak_rss_mb() -> float:
    """This process's peak resident memory. Linux's VmHWM, because ``ru_maxrss``
    survives ``exec`` and would report the (bigger) parent's peak in a child."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _baseline_rss_mb() -> float:
    """Peak RSS of a child that imports the writer and does nothing."""
    code = ("import ckanext.shanghai.bundles.zip_writer; from bench.bundles import "
            "peak_rss_mb; print(peak_rss_mb())")
    return float(subprocess.run([sys.executable, "-c", code], check=True,
                                capture_output=True, text=True,
                                cwd=Path(__file__).resolve().parents[1]).stdout)


def _timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def run(sizes_mb: tuple[int, ...]) -> list[dict[str, Any]]:
    """Measure each size; returns one row of figures per size."""
    if shutil.which("zip") is None:
        raise SystemExit("the bundles benchmark needs the zip command (apt-get install zip)")
    figures = []
    baseline = _baseline_rss_mb()
    with tempfile.TemporaryDirectory(prefix="bench-bundles-") as tmp:
        for megabytes in sizes_mb:
            folder = Path(tmp) / f"bundle-{megabytes}"
            data_bytes = make_files(folder / "data", megabytes)
            # Warm the page cache so that no contender pays for the first read.
            subprocess.run(["cat", *map(str, sorted((folder / "data").iterdir()))],
                           check=True, stdout=subprocess.DEVNULL)
            ours = json.loads(subprocess.run(
                [sys.executable, "-m", "bench.bundles", "--child", str(folder / "data"),
                 str(folder / "ours.zip")], check=True, capture_output=True, text=True,
                cwd=Path(__file__).resolve().parents[1]).stdout)
            (folder / "ours.zip").unlink()
            stored = _timed(["zip", "-q", "-0", "-r", "../stored.zip", "."], folder / "data")
            (folder / "stored.zip").unlink()
            deflated = _timed(["zip", "-q", "-r", "../deflated.zip", "."], folder / "data")
            (folder / "deflated.zip").unlink()
            shutil.rmtree(folder)
            mb = data_bytes / 1e6
            figures.append({
                "size_mb": mb, "publish_mb_s": mb / ours["publish_s"],
                "stream_mb_s": mb / ours["stream_s"], "zip0_mb_s": mb / stored,
                "zip_mb_s": mb / deflated, "stream_to_zip0": stored / ours["stream_s"],
                "stream_to_zip": deflated / ours["stream_s"],
                "publish_stream_to_zip0": stored / (ours["publish_s"] + ours["stream_s"]),
                "peak_rss_mb": ours["peak_rss_mb"], "baseline_rss_mb": baseline})
    return figures


def report(figures: list[dict[str, Any]]) -> None:
    """Print the figures as a table."""
    print_table(
        "bundles benchmark (stream a bundle zip; ratios against zip in the same run)",
        ("bundle MB", "publish MB/s", "stream MB/s", "zip -0 MB/s", "stream÷zip-0",
         "(publish+stream)÷zip-0", "zip MB/s", "stream÷zip", "stream peak RSS MB",
         "idle RSS MB"),
        ([f"{f['size_mb']:.0f}", f"{f['publish_mb_s']:.0f}", f"{f['stream_mb_s']:.0f}",
          f"{f['zip0_mb_s']:.0f}", f"{f['stream_to_zip0']:.2f}",
          f"{f['publish_stream_to_zip0']:.2f}", f"{f['zip_mb_s']:.0f}",
          f"{f['stream_to_zip']:.2f}", f"{f['peak_rss_mb']:.1f}",
          f"{f['baseline_rss_mb']:.1f}"] for f in figures))


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(child(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        report(run(tuple(int(s) for s in (sys.argv[1:] or ["100", "1000"]))))
