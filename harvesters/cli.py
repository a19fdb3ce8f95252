"""``ckan shanghai harvest-all`` and ``ckan shanghai harvest-seed``: operators' harvest commands.

They join the portal's ``shanghai`` command group when the harvester plugin is
enabled (see ``DepartmentCatalogueHarvester.get_commands``).
"""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk
import click
from ckan import model

from harvesters import operations

__all__ = ["harvest_all", "harvest_seed"]

COLUMNS = ("source", "created", "updated", "unchanged", "withdrawn", "errors")


def _table(rows: list[list[object]]) -> str:
    widths = [max(len(str(r[i])) for r in [list(COLUMNS), *rows]) for i in range(len(COLUMNS))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in [list(COLUMNS), *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.command("harvest-all")
@click.option("--source", "sources", multiple=True, help="harvest only this source (name or id; repeatable)")
@click.option("--errors/--no-errors", default=True, show_default=True, help="list every error after the table")
def harvest_all(sources: tuple[str, ...], errors: bool) -> None:
    """Harvest every active harvest source now, in this process, with a progress
    bar; then print created / updated / unchanged / withdrawn / errors per source."""
    context = {"ignore_auth": True}
    # A harvest source is also a dataset: its name is the readable handle.
    names = list(sources) or sorted(model.Package.get(s["id"]).name for s in
                                    tk.get_action("harvest_source_list")(context, {}) if s.get("active", True))
    summaries = []
    for name in names:
        with click.progressbar(length=1, label=name.ljust(28), show_pos=True) as bar:
            def progress(done: int, total: int) -> None:
                bar.length = total
                bar.update(done - bar.pos)

            summaries.append(operations.run_source(name, progress))
    totals = [sum(s.row()[i] for s in summaries) for i in range(1, len(COLUMNS))]
    click.echo(_table([*[s.row() for s in summaries], ["total", *totals]]))
    if errors:
        for summary in summaries:
            for message in summary.gather_errors + summary.messages:
                click.secho(f"[{summary.source}] {message}", fg="red", err=True)


@click.command("harvest-seed")
@click.option("--api-url", default=lambda: os.environ.get("SHANGHAI_CATALOGUE_API_URL", "http://127.0.0.1:8765"),
              show_default="$SHANGHAI_CATALOGUE_API_URL or http://127.0.0.1:8765",
              help="where the catalogue system's API answers (python -m harvesters.testing_server)")
@click.option("--token", default=lambda: os.environ.get("SHANGHAI_CATALOGUE_API_TOKEN", "seed-catalogue-token"))
def harvest_seed(api_url: str, token: str) -> None:
    """Create one harvest source per department of the seed catalogues (idempotent)."""
    created = operations.ensure_seed_sources(api_url, token)
    click.secho(f"harvest seed: {created} sources created", fg="green")
