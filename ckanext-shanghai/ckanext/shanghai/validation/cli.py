"""``ckan shanghai-validation …``: the validation scheduler, run beside the harvest
scheduler (``make run`` starts both)."""
from __future__ import annotations

import logging

import click

from ..stack import rounds
from . import queue

__all__ = ["shanghai_validation"]

log = logging.getLogger(__name__)


@click.group("shanghai-validation", short_help="Shanghai validation commands")
def shanghai_validation() -> None:
    """The validation queue's scheduled rounds."""


@shanghai_validation.command("scheduler")
@click.option("--every", default=60, show_default=True, type=click.IntRange(min=1),
              help="seconds between rounds")
@click.option("--once", is_flag=True, help="one round, then stop")
def scheduler(every: int, once: bool) -> None:
    """Round after round: validate again the resources whose registered Table Schema
    changed, and the URL resources whose dataset's update frequency makes them due."""
    def round_() -> None:
        found = queue.schedule_round()
        if any(found.values()):
            log.info("validation round: %(schema_changed)d for changed schemas, "
                     "%(due)d URL resources due", found)
        if once:
            click.echo(f"validation round: {found['schema_changed']} queued for changed "
                       f"schemas, {found['due']} URL resources due")

    rounds.run_rounds("validation scheduler", round_, every, once)
