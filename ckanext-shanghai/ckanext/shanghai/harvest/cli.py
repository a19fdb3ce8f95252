"""``ckan shanghai-harvest …``: operators' harvest commands (``harvest-all``,
``harvest-seed``, ``harvest-scheduler``)."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ..stack import rounds
from . import operations, seed

__all__ = ["shanghai_harvest"]

COLUMNS = ("source", "created", "updated", "unchanged", "withdrawn", "errors")


def _table(rows: list[list[object]]) -> str:
    header: list[object] = list(COLUMNS)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(COLUMNS))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w)
                       for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in [header, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


@click.group("shanghai-harvest", short_help="Shanghai harvest commands")
def shanghai_harvest() -> None:
    """Harvests of the department catalogues and the district portals."""


@shanghai_harvest.command("harvest-all")
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


@shanghai_harvest.command("harvest-seed")
@click.option("--api-url", default=seed.catalogue_api_url,
              show_default="$SHANGHAI_CATALOGUE_API_URL or http://127.0.0.1:8765",
              help="where the catalogue system's API answers (python -m harvesters.testing_server)")
@click.option("--district-url", default=seed.district_portal_url,
              show_default="$SHANGHAI_DISTRICT_PORTAL_URL or http://127.0.0.1:8766",
              help="where the district portals answer (python -m harvesters.district_portal)")
def harvest_seed(api_url: str, district_url: str) -> None:
    """Create one harvest source per department of the seed catalogues and one per
    seed district portal (idempotent). The API sources' token is read from
    $SHANGHAI_CATALOGUE_API_TOKEN whenever they are harvested."""
    created = seed.ensure_seed_sources(api_url) + seed.ensure_district_sources(district_url)
    click.secho(f"harvest seed: {created} sources created", fg="green")


@shanghai_harvest.command("harvest-scheduler")
@click.option("--every", default=60, show_default=True, type=click.IntRange(min=1), help="seconds between rounds")
@click.option("--once", is_flag=True, help="one round, then stop")
def harvest_scheduler(every: int, once: bool) -> None:
    """Do what ckanext-harvest expects cron to do every few minutes: start the jobs
    that the sources' frequencies make due, and mark finished the jobs whose objects
    are all done (``harvest_jobs_run``). Round after round until stopped."""
    def round_() -> None:
        site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
        tk.get_action("harvest_jobs_run")({"user": site_user, "ignore_auth": True}, {})

    rounds.run_rounds("harvest scheduler", round_, every, once)
