"""Template helpers of the validation plugin."""
from __future__ import annotations

from typing import Any

from . import quality
from .model import Report

__all__ = ["shanghai_validation_report", "shanghai_dataset_quality"]


def shanghai_validation_report(resource_id: str) -> dict[str, Any] | None:
    """The latest report of a resource (without its error list), or None."""
    report = Report.get(resource_id)
    return report.summary() if report else None


def shanghai_dataset_quality(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The quality score of a dataset dict, as the index has it."""
    return quality.of_dataset(pkg_dict, {r.resource_id: r.status
                                         for r in Report.for_package(pkg_dict["id"])})
