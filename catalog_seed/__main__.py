"""``python -m catalog_seed build DIR``: write the seed catalogue into DIR as data
(``manifest.json`` and ``files/``) for ``ckan shanghai setup --seed DIR``."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from catalog_seed import build


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m catalog_seed", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    command = sub.add_parser("build", help="write DIR/manifest.json and DIR/files/; kept when DIR "
                             "already holds this version of the seed")
    command.add_argument("directory", type=Path, metavar="DIR")
    command.add_argument("--force", action="store_true", help="write it even when DIR is up to date")
    arguments = parser.parse_args(argv)
    directory: Path = arguments.directory
    if not arguments.force and build.is_current(directory):
        print(f"seed in {directory} is up to date")
        return 0
    manifest = build.build(directory)
    files = [directory / "files" / r["file"] for d in manifest["datasets"] for r in d["resources"]]
    size = sum(path.stat().st_size for path in files)
    print(f"seed: {len(manifest['organizations'])} departments, {len(manifest['datasets'])} datasets, "
          f"{len(files)} files ({size / 1e6:.1f} MB) in {directory}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
