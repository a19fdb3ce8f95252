"""Validating one resource: which schema, which bytes, the check, the stored report.

``validate_resource`` is the background job (queue ``shanghai:validation``); strict
mode calls :func:`check_file` synchronously on an upload before it is stored.
"""
from __future__ import annotations

import contextlib
import json
import logging
import shutil
import tempfile
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ckan.lib.search as search
import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk
import requests
import yaml
from ckan.lib.redis import connect_to_redis

from ckanext.shanghai.common import table_schemas

from . import datastore, engine, limits
from .model import Report, now

log = logging.getLogger(__name__)

QUEUE = "shanghai:validation"
#: the job's name as rq records it (``validate_resource``, below)
JOB = f"{__name__}.validate_resource"
DEFAULTS_FILE = table_schemas.DIRECTORY / "defaults.yaml"


@dataclass
class Outcome:
    """The result of checking one file."""

    status: str
    report: dict[str, Any]
    message: str = ""
    message_zh: str = ""

    @property
    def rows(self) -> int | None:
        return self.report.get("rows")

    @property
    def error_count(self) -> int:
        return int(self.report.get("error_count") or 0)


def max_bytes() -> int:
    return tk.config.get("ckanext.shanghai.validation.max_size_mb") * 2**20


def domain_defaults() -> dict[str, str]:
    """data_domain → default schema name (``schemas/table_schemas/defaults.yaml``)."""
    if not DEFAULTS_FILE.exists():
        return {}
    return dict(yaml.safe_load(DEFAULTS_FILE.read_text(encoding="utf-8")) or {})


def _as_schema(value: Any) -> tuple[str, dict[str, Any]] | None:
    if isinstance(value, dict) and value.get("fields"):
        return "inline", value
    if isinstance(value, str) and value.strip().startswith("{"):
        try:
            return _as_schema(json.loads(value))
        except ValueError:
            return None
    if isinstance(value, str) and value.strip() in table_schemas.names():
        return value.strip(), table_schemas.load(value.strip())
    return None


def resolve_schema(resource: dict[str, Any],
                   package: dict[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """(name, descriptor) of the schema the resource is checked against: its own, else
    the one its catalogue entry attached to the dataset (``table_schema``), else the
    default of the dataset's domain; None when there is none."""
    for candidate in (resource.get("schema"), package.get("table_schema"),
                      domain_defaults().get(package.get("data_domain") or "")):
        found = _as_schema(candidate)
        if found:
            return found
    return None


def tabular_format(resource: dict[str, Any]) -> str | None:
    """``csv``/``xlsx``/``json`` if the resource is a table we validate, else None."""
    declared = (resource.get("format") or "").strip().lower().lstrip(".")
    if declared in engine.TABULAR_FORMATS:
        return declared
    if declared:
        return None
    suffix = Path((resource.get("url") or "").split("?")[0]).suffix.lower().lstrip(".")
    return suffix if suffix in engine.TABULAR_FORMATS else None


def check_file(path: Path, fmt: str, descriptor: dict[str, Any]) -> Outcome:
    """Validate a local file; bad input becomes status ``error`` with its message."""
    try:
        limits.check(path, fmt)
        result = engine.validate(
            path, descriptor, format=fmt, max_bytes=max_bytes(),
            max_errors=tk.config.get("ckanext.shanghai.validation.max_errors"))
    except engine.BadInput as error:
        return Outcome("error", {"valid": False, "errors": []}, error.message, error.message_zh)
    return Outcome("success" if result.valid else "failure", result.to_dict())


@contextlib.contextmanager
def local_copy(resource: dict[str, Any]) -> Iterator[Path]:
    """The resource's bytes as a local file: the upload itself, or the URL downloaded
    (refused beyond the size limit without reading further)."""
    if resource.get("url_type") == "upload":
        upload = uploader.get_resource_uploader(resource)
        if not isinstance(upload, uploader.ResourceUpload):
            raise engine.BadInput(
                "Only uploads in local file storage can be validated.",
                "只能校验保存在本地文件存储中的上传文件。")
        path = Path(upload.get_path(resource["id"]))
        if not path.is_file():
            raise _vanished()
        yield path
        return
    limit = max_bytes()
    with tempfile.TemporaryDirectory(prefix="shanghai-validation-") as tmp:
        path = Path(tmp) / "download"
        try:
            with requests.get(resource["url"], stream=True, timeout=(10, 300)) as response:
                response.raise_for_status()
                size = 0
                with path.open("wb") as out:
                    for block in response.iter_content(1 << 16):
                        size += len(block)
                        if size > limit:
                            raise engine.BadInput(
                                f"The file at {resource['url']} is over the validation limit of "
                                f"{limit / 2**20:.0f} MB.",
                                f"文件超过校验上限 {limit / 2**20:.0f} MB。")
                        out.write(block)
        except requests.RequestException as error:
            raise engine.BadInput(
                f"Could not download {resource['url']}: {error}",
                f"无法下载 {resource['url']}：{error}") from None
        yield path


def _vanished() -> engine.BadInput:
    return engine.BadInput(
        "The uploaded file is no longer in storage (it was removed or replaced while "
        "waiting or being validated). Upload it again.",
        "上传的文件已不在存储中（在排队或校验期间被删除或替换）。请重新上传。")


def copy_upload(stream: Any, directory: Path, name: str) -> Path:
    """Copy an upload's stream into ``directory`` and rewind it for CKAN to store."""
    path = directory / (Path(name or "upload").name or "upload")
    stream.seek(0)
    with path.open("wb") as out:
        shutil.copyfileobj(stream, out, 1 << 20)
    stream.seek(0)
    return path


def source_of(resource: dict[str, Any], schema: tuple[str, dict[str, Any]]) -> str:
    """A fingerprint of what validation reads: the file (URL, size, modification time),
    its declared format and the schema."""
    return json.dumps([resource.get("url"), resource.get("url_type"), resource.get("size"),
                       resource.get("last_modified"), resource.get("format"), schema],
                      sort_keys=True, ensure_ascii=False, default=str)


def enqueue(resource: dict[str, Any], force: bool = False,
            package: dict[str, Any] | None = None, reindex: bool = True) -> bool:
    """Record a pending report and queue the job, if the resource is a table with a
    schema and (unless ``force``) its file, format or schema changed since the last
    validation; whether it did. Called after the resource was committed; ``package``
    is its dataset as package_show gives it, if the caller has it; without
    ``reindex`` the caller re-indexes the dataset (once for several resources)."""
    if package is None:
        package = tk.get_action("package_show")({"ignore_auth": True},
                                                {"id": resource["package_id"]})
    schema = resolve_schema(resource, package)
    if not tabular_format(resource) or not schema:
        return False
    report = Report.get(resource["id"])
    source = source_of(resource, schema)
    if report is not None and report.source == source and not force:
        return False
    report = report or Report(resource_id=resource["id"], package_id=resource["package_id"])
    report.status, report.created, report.started, report.finished = "pending", now(), None, None
    report.source = source
    model.Session.add(report)
    model.Session.commit()
    if reindex:  # the index serves what package_show returns, which now says "pending"
        search.rebuild(resource["package_id"])
    tk.enqueue_job(validate_resource, [resource["id"]],
                   title=f"validate resource {resource['id']}", queue=QUEUE,
                   rq_kwargs={"timeout": tk.config.get(
                       "ckanext.shanghai.validation.job_timeout")})
    return True


def validate_resource(resource_id: str) -> str:
    """The background job: validate, store the report, load valid data into the
    DataStore, re-index the dataset. Never raises for bad data; returns the status.
    Two jobs of one resource (a forced run while one runs) take turns."""
    timeout = tk.config.get("ckanext.shanghai.validation.job_timeout")
    # Expires by itself if its worker dies; a job waits at most its own timeout.
    lock = connect_to_redis().lock(
        f"ckan:{tk.config.get('ckan.site_id')}:shanghai:validation:{resource_id}",
        timeout=timeout + 60, blocking_timeout=timeout)
    with lock:
        return _validate(resource_id)


def _validate(resource_id: str) -> str:
    context = {"ignore_auth": True}
    found = model.Resource.get(resource_id)
    if found is None or found.state == "deleted":
        return "gone"
    try:  # one package_show: it holds the resource as resource_show shows it
        package = tk.get_action("package_show")(context, {"id": found.package_id})
    except tk.ObjectNotFound:
        return "gone"
    resource = next((r for r in package["resources"] if r["id"] == resource_id), None)
    if resource is None:
        return "gone"
    report = Report.get(resource_id) or Report(resource_id=resource_id,
                                               package_id=resource["package_id"])
    report.status, report.started, report.finished = "running", now(), None
    model.Session.add(report)
    model.Session.commit()
    schema = resolve_schema(resource, package)
    fmt = tabular_format(resource)
    try:
        if not schema or not fmt:
            outcome = Outcome("error", {"valid": False, "errors": []},
                              "No Table Schema applies to this resource, or it is not CSV, "
                              "XLSX or JSON.",
                              "该资源没有适用的数据结构（Table Schema），或不是 CSV、XLSX、JSON 格式。")
        else:
            with local_copy(resource) as path:
                outcome = check_file(path, fmt, schema[1])
                report.datastore_rows = None
                if outcome.status == "success" and datastore.enabled():
                    report.datastore_rows = datastore.load(resource_id, path, fmt, schema[1],
                                                           outcome.report.get("encoding"),
                                                           outcome.rows)
    except engine.BadInput as error:
        outcome = Outcome("error", {"valid": False, "errors": []}, error.message,
                          error.message_zh)
    except FileNotFoundError:  # removed from storage after the job began reading it
        model.Session.rollback()
        vanished = _vanished()
        outcome = Outcome("error", {"valid": False, "errors": []}, vanished.message,
                          vanished.message_zh)
        report = Report.get(resource_id) or report
    except Exception as error:  # noqa: BLE001 - one bad file must not stop the worker
        log.exception("validation of resource %s failed", resource_id)
        model.Session.rollback()
        outcome = Outcome("error", {"valid": False, "errors": []},
                          f"Validation failed unexpectedly: {type(error).__name__}: {error}",
                          f"校验过程出错：{type(error).__name__}: {error}")
        report = Report.get(resource_id) or report
    report.status = outcome.status
    report.schema_name = schema[0] if schema else ""
    report.source = source_of(resource, schema) if schema else ""
    report.rows = outcome.rows
    report.error_count = outcome.error_count
    report.report = outcome.report
    report.message, report.message_zh = outcome.message, outcome.message_zh
    report.finished = now()
    model.Session.add(report)
    model.Session.commit()
    # The quality score and the resources' status are in the search index.
    search.rebuild(resource["package_id"])
    return outcome.status


def fail_interrupted(running: Collection[str]) -> int:
    """Fail, with the reason, the reports left ``running`` by a worker that died: all
    but those of the resources in ``running`` (being validated right now). They are
    not queued again: a file that kills its worker must not do so for ever; "validate
    again" (``shanghai_resource_validation_run``) retries. Returns how many were failed."""
    reports = [r for r in Report.running() if r.resource_id not in running]
    for report in reports:
        log.warning("validation of resource %s was interrupted: its worker stopped",
                    report.resource_id)
        report.status, report.finished, report.report = "error", now(), {"valid": False, "errors": []}
        report.message = "Validation was interrupted: the worker running it stopped. Validate again."
        report.message_zh = "校验被中断：执行校验的后台进程已停止。请重新校验。"
    model.Session.commit()
    for package_id in {r.package_id for r in reports}:
        search.rebuild(package_id)
    return len(reports)
