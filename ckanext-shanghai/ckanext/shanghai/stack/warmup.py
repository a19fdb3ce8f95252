"""Loads, once a process is up, what our plugins import only at first use.

Loading the plugins leaves out the heavy libraries (pandas and frictionless for
validation, jieba's dictionary, OpenCC and pypinyin for Chinese search, openpyxl and
xlrd for workbooks): about two seconds of CPU that every process loading CKAN would
pay before serving. Processes that will need them load them here instead, once they
serve: each gunicorn worker in a background thread, once it has answered, a step at
a time and only while it has no request to answer (``gunicorn_conf``), so that the
warm-up does not slow the first pages; a job worker before it takes its first job; a
harvest consumer before its first message. A request that needs a module before its step ran loads it itself
(a step under way makes it wait on Python's import lock, never fail).

A web node also builds and versions CKAN's asset bundles once, in gunicorn's master
(:func:`freeze_assets`), instead of webassets checking them on every page.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

#: tokenised as a search indexes a title: simplified and traditional characters, pinyin
_SAMPLE = "上海市公共數據開放平台 公交线路"
#: the smallest descriptor frictionless checks as a Table Schema
_DESCRIPTOR = {"fields": [{"name": "id", "type": "integer"}]}


# Imported in the steps: the stack's modules load no CKAN code before a role asks.
def _search() -> None:
    from ckanext.shanghai.search import tokens  # noqa: PLC0415

    tokens.index_tokens(_SAMPLE, pinyin=True)  # jieba's dictionary, OpenCC, pypinyin


def _table_schemas() -> None:
    from ckanext.shanghai.common import table_schemas  # noqa: PLC0415

    table_schemas.check_descriptor(_DESCRIPTOR)  # frictionless


def _validator() -> None:
    from ckanext.shanghai.validation.engine import validator  # noqa: F401, PLC0415  (pandas)


def _workbooks() -> None:
    import openpyxl  # noqa: F401, PLC0415
    import xlrd  # noqa: F401, PLC0415


#: each about half a second of CPU or less, in the order a web node needs them
STEPS: list[Callable[[], None]] = [_search, _table_schemas, _validator]


def run(*, workbooks: bool = False, idle: Callable[[], bool] | None = None) -> None:
    """Take every step (and the workbook readers' when ``workbooks``), each when
    ``idle()`` says the process has nothing else to do; a failure is logged: the
    first request then loads what is missing."""
    started = time.monotonic()
    for step in [*STEPS, *([_workbooks] if workbooks else [])]:
        while idle is not None and not idle():
            time.sleep(0.05)
        try:
            step()
        except Exception:
            log.exception("warm-up step %s failed; the first request that needs it loads "
                          "what is missing", step.__name__)
    log.info("warmed up in %.1f s", time.monotonic() - started)


def freeze_assets(env: Any) -> None:
    """Build each bundle of the webassets environment ``env`` (when out of date) and
    keep its version in memory, then switch ``auto_build`` off; not in debug mode,
    where pages link the sources."""
    if env.debug:
        return
    for bundle in env:
        bundle.urls()
    env.auto_build = False
