"""``python -m bench [--only search|bundles|validation|queue|harvest|load|startup]
[--sizes 1000,10000] [--search-runs 20] [--startup-runs 2]
[--bundle-sizes 100,1000] [--validation-rows 1000000] [--validation-sizes 100,1000]``:
run the benchmarks against the CKAN configured in ``$CKAN_INI`` (``make bench``
provides throw-away servers)."""
from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable

from ckan.cli import CKANConfigLoader
from ckan.config.middleware import make_app

from bench import bundles, validation


def _standalone(args: argparse.Namespace) -> list[tuple[str, Callable[[], None]]]:
    """The benchmarks that need no app in this process, in the order they run."""
    def load_bench() -> None:
        # its own servers and nodes ($BENCH_LOAD_SECONDS per run): not $CKAN_INI's
        from bench import load  # noqa: PLC0415

        load.report(load.run())

    def startup_bench() -> None:
        # its own portal folder, servers and ports: not $CKAN_INI's
        from bench import startup  # noqa: PLC0415

        startup.report(startup.run(args.startup_runs))

    return [
        ("bundles", lambda: bundles.report(bundles.run(
            tuple(int(s) for s in args.bundle_sizes.split(","))))),
        ("validation", lambda: validation.report(validation.run(
            args.validation_rows, tuple(int(s) for s in args.validation_sizes.split(","))))),
        ("load", load_bench),
        ("startup", startup_bench),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default=None,
                        help="comma-separated cumulative dataset counts for the search benchmark "
                        "(default: $BENCH_SEARCH_DATASETS, else 200000)")
    parser.add_argument("--search-runs", type=int, default=20,
                        help="timed runs of each search query")
    parser.add_argument("--only", choices=("search", "bundles", "validation", "queue", "harvest",
                                             "load", "startup"),
                        help="run one benchmark instead of all")
    parser.add_argument("--bundle-sizes", default="100,1000",
                        help="comma-separated bundle sizes in MB for the bundles benchmark")
    parser.add_argument("--validation-rows", type=int, default=1_000_000,
                        help="rows of the file compared with `frictionless validate`")
    parser.add_argument("--validation-sizes", default="100,1000",
                        help="comma-separated file sizes in MB for the validation memory curve")
    parser.add_argument("--harvest-entries", type=int, default=15_000,
                        help="catalogue entries of the harvest benchmark (14 data items each)")
    parser.add_argument("--startup-runs", type=int, default=2,
                        help="timed starts of the startup benchmark (after one seeding run)")
    args = parser.parse_args(argv)
    for name, bench in _standalone(args):
        if args.only in (None, name):
            bench()
            if args.only == name:
                return 0

    app = make_app(CKANConfigLoader(os.environ["CKAN_INI"]).get_config())
    from bench import search  # noqa: PLC0415 (imports our plugins' modules: after the app has loaded them)

    if args.only in (None, "queue"):
        from bench import validation_queue  # noqa: PLC0415 (as search)

        with app._wsgi_app.test_request_context():
            validation_queue.report(validation_queue.run())
        if args.only == "queue":
            return 0

    if args.only in (None, "harvest"):
        from bench import harvest  # noqa: PLC0415 (as search)

        with app._wsgi_app.test_request_context():
            harvest.report(harvest.run(args.harvest_entries))
        if args.only == "harvest":
            return 0

    with app._wsgi_app.test_request_context():
        sizes = tuple(int(s) for s in (args.sizes or search.default_sizes()).split(","))
        search.report(search.run(app._wsgi_app, sizes, args.search_runs))
    return 0


if __name__ == "__main__":
    sys.exit(main())
