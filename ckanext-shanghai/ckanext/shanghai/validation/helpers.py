"""Template helpers of the validation plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from . import quality
from . import queue as validation_queue
from .model import Report

__all__ = ["shanghai_dataset_quality", "shanghai_validation_duration",
           "shanghai_validation_queue_place", "shanghai_validation_report"]


def shanghai_validation_report(resource_id: str) -> dict[str, Any] | None:
    """The latest report of a resource (without its error list), or None."""
    report = Report.get(resource_id)
    return report.summary() if report else None


def shanghai_dataset_quality(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The quality score of a dataset dict, as the index has it."""
    return quality.of_dataset(pkg_dict, {r.resource_id: r.status
                                         for r in Report.for_package(pkg_dict["id"])})


def shanghai_validation_queue_place(resource_id: str) -> dict[str, Any] | None:
    """A pending resource's place in the queue (``ahead``, ``position``,
    ``expected_seconds``), None when it is not queued. The queue is read once per
    request, as a dataset page asks for each of its resources."""
    known = getattr(tk.g, "shanghai_validation_positions", None)
    if known is None:
        known = validation_queue.positions()
        tk.g.shanghai_validation_positions = known
    found = validation_queue.place(resource_id, known)
    return found.as_dict() if found else None


def shanghai_validation_duration(seconds: float | None) -> str:
    """A wait as people say it: about 40 s, about 3 min, about 2 h."""
    if seconds is None:
        return tk._("unknown")
    if seconds < 90:
        return tk._("about {n} s").format(n=max(int(round(seconds)), 1))
    if seconds < 90 * 60:
        return tk._("about {n} min").format(n=int(round(seconds / 60)))
    return tk._("about {n} h").format(n=int(round(seconds / 3600)))
