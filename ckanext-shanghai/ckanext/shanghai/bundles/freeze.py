"""Publishing a bundle version: frozen copies, ``datapackage.json`` and README.

Every resource's bytes are copied into the plugin's storage (uploads from CKAN's
storage, URL resources fetched over HTTP) while their size, SHA-256 and CRC-32 are
computed in the same pass. Downloads serve these copies and nothing else, so a
published version never changes whatever happens to the source resources later.
The copies are written into a ``.partial`` folder that is renamed only when every
file is in place, so a failed publish leaves nothing half-written behind.
"""
from __future__ import annotations

import datetime
import json
import mimetypes
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk
import requests
from ckan.types import Context

from ckanext.shanghai.common import table_schemas

from . import zip_writer
from .model import Bundle, BundleVersion, Contest, VersionFile

__all__ = ["archive_layout", "damaged", "file_path", "publish", "storage_root"]

_MEDIA_TYPES = {
    "csv": "text/csv", "json": "application/json", "xlsx":
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel", "md": "text/markdown",
}


def storage_root() -> Path:
    """The folder holding every frozen version (``…/shanghai_bundles`` under CKAN's
    storage path unless configured)."""
    configured = tk.config.get("ckanext.shanghai.bundles.storage_path")
    if configured:
        return Path(configured)
    storage = tk.config.get("ckan.storage_path")
    if not storage:
        raise tk.ValidationError({"storage": [tk._(
            "Set ckan.storage_path or ckanext.shanghai.bundles.storage_path to publish bundles")]})
    return Path(storage) / "shanghai_bundles"


def file_path(version: BundleVersion, item: VersionFile) -> Path:
    """Where the frozen copy of ``item`` is."""
    return storage_root() / version.directory / item.stored_as


def archive_layout(version: BundleVersion, files: list[VersionFile]) -> zip_writer.Layout:
    """The zip of a version: its files in recorded order, dated the publish day."""
    published = version.published
    return zip_writer.Layout(
        [zip_writer.ArchiveEntry(f.path, file_path(version, f), f.size, f.crc32)
         for f in files],
        (published.year, published.month, published.day))


def damaged(version: BundleVersion, files: list[VersionFile]) -> bool:
    """Whether a frozen copy is missing or no longer has its recorded size (a cheap
    check before streaming, so no altered archive starts going out)."""
    for item in files:
        try:
            if file_path(version, item).stat().st_size != item.size:
                return True
        except FileNotFoundError:
            return True
    return False


@contextmanager
def _open_source(resource: dict[str, Any]) -> Iterator[BinaryIO]:
    """The resource's bytes: the uploaded file, or its URL fetched over HTTP."""
    if resource.get("url_type") == "upload":
        upload = uploader.get_resource_uploader(resource)
        if not isinstance(upload, uploader.ResourceUpload):
            raise tk.ValidationError({"resources": [tk._(
                "Resource {id}: only local file storage is supported for bundles").format(
                    id=resource["id"])]})
        with open(upload.get_path(resource["id"]), "rb") as handle:
            yield handle
        return
    try:
        response = requests.get(resource["url"], stream=True, timeout=(10, 300))
        response.raise_for_status()
    except requests.RequestException as error:
        raise tk.ValidationError({"resources": [tk._(
            "Resource {id}: could not fetch {url}: {error}").format(
                id=resource["id"], url=resource["url"], error=error)]}) from error
    with response:
        response.raw.decode_content = True
        yield response.raw


def _file_name(resource: dict[str, Any], package: dict[str, Any], taken: set[str]) -> str:
    """A unique ASCII file name for a resource inside the zip (also its Data Package
    resource name, which must be lowercase ``[a-z0-9._-]``)."""
    url_name = os.path.basename(resource.get("url", "").split("?")[0])
    stem, ext = os.path.splitext(url_name)
    ext = ext.lower() or ("." + (resource.get("format") or "bin").lower())
    base = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-") or package["name"]
    name, n = f"{base}{ext}", 1
    while name in taken:
        n += 1
        name = f"{base}-{n}{ext}"
    taken.add(name)
    return name


def _schema(resource: dict[str, Any]) -> dict[str, Any] | None:
    schema = resource.get("schema")
    if isinstance(schema, str) and schema:
        try:
            return table_schemas.load(schema)
        except KeyError:
            return json.loads(schema) if schema.lstrip().startswith("{") else None
    return schema or None


def _licence(package: dict[str, Any]) -> dict[str, str]:
    licence = {"name": package.get("license_id") or "notspecified",
               "title": package.get("license_title") or package.get("license_id") or ""}
    if package.get("license_url"):
        licence["path"] = package["license_url"]
    return licence


def _resource_descriptor(item: VersionFile, resource: dict[str, Any],
                         package: dict[str, Any]) -> dict[str, Any]:
    site = tk.config.get("ckan.site_url").rstrip("/")
    fmt = os.path.splitext(item.name)[1].lstrip(".")
    descriptor: dict[str, Any] = {
        "name": os.path.splitext(item.name)[0],
        "path": item.path,
        "title": resource.get("name") or item.name,
        "description": resource.get("description") or "",
        "format": fmt,
        "mediatype": item.media_type,
        "bytes": item.size,
        "hash": f"sha256:{item.sha256}",
        "licenses": [_licence(package)],
        "sources": [{"title": package.get("title") or package["name"],
                     "path": f"{site}/dataset/{package['name']}"}],
    }
    if fmt in ("csv", "json", "txt"):
        descriptor["encoding"] = "utf-8"
    schema = _schema(resource)
    if schema:
        descriptor["schema"] = schema
    return descriptor


def _readme(contest: Contest, bundle: Bundle, number: int, published: datetime.datetime,
            files: list[tuple[VersionFile, dict[str, Any], dict[str, Any]]]) -> str:
    site = tk.config.get("ckan.site_url").rstrip("/")
    lines = [
        f"# {contest.title} · {bundle.title}（第 {number} 版）",
        "",
        f"SODA contest {contest.edition} — {contest.title_en or contest.title}: "
        f"{bundle.title_en or bundle.title}, version {number}, "
        f"published {published.date().isoformat()}.",
        "",
        bundle.description,
        "",
        "## 数据使用条款 / Data-use terms",
        "",
        contest.terms,
        "",
        "## 文件 / Files",
        "",
        "| 文件 file | 来源数据集 source dataset | 字节 bytes | SHA-256 |",
        "|---|---|---|---|",
        *[f"| {f.path} | {p.get('title', p['name'])} ({site}/dataset/{p['name']}) "
          f"| {f.size} | {f.sha256} |" for f, _, p in files],
        "",
        "The file list with Table Schemas, licences and hashes is in datapackage.json "
        "(Frictionless Data Package): `frictionless validate datapackage.json`.",
        "",
        "## 引用方式 / How to cite",
        "",
        f"上海市公共数据开放平台，{contest.edition} 年SODA大赛“{contest.title}”数据包"
        f"“{bundle.title}”第 {number} 版，{published.date().isoformat()}，"
        f"{site}/contest/{contest.name}/bundle/{bundle.name}/download?version={number}",
        "",
        f"Shanghai Open Government Data ({published.year}). SODA contest {contest.edition}, "
        f"\"{bundle.title_en or bundle.title}\", version {number}. "
        f"{site}/contest/{contest.name}/bundle/{bundle.name}/download?version={number}",
        "",
    ]
    return "\n".join(lines)


def _write(directory: Path, relative: str, data: bytes) -> zip_writer.FileDigest:
    path = directory / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    with path.open("rb") as handle:
        return zip_writer.digest_stream(handle)


def publish(contest: Contest, bundle: Bundle, user: model.User,
            notes: str = "") -> BundleVersion:
    """Freeze the bundle's current resources as its next version (not committed)."""
    items = bundle.items()
    if not items:
        raise tk.ValidationError({"resources": [tk._("The bundle holds no resources")]})
    latest = bundle.version()
    number = (latest.number if latest else 0) + 1
    published = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None,
                                                                     microsecond=0)
    version = BundleVersion(bundle_id=bundle.id, number=number, published=published,
                            published_by=user.id, notes=notes,
                            directory=f"{bundle.id}/v{number}", zip_size=0)
    final = storage_root() / version.directory
    partial = final.with_name(final.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    context: Context = {"ignore_auth": True, "user": user.name}
    try:
        taken: set[str] = set()
        data: list[tuple[VersionFile, dict[str, Any], dict[str, Any]]] = []
        for item in items:
            resource = tk.get_action("resource_show")(context, {"id": item.resource_id})
            package = tk.get_action("package_show")(context, {"id": item.package_id})
            name = _file_name(resource, package, taken)
            target = partial / "data" / name
            target.parent.mkdir(exist_ok=True)
            with _open_source(resource) as source, target.open("wb") as out:
                digest = zip_writer.digest_stream(source, out)
            media_type = (_MEDIA_TYPES.get(os.path.splitext(name)[1].lstrip("."))
                          or mimetypes.guess_type(name)[0] or "application/octet-stream")
            data.append((VersionFile(
                kind="data", name=name, path=f"data/{name}", package_id=package["id"],
                resource_id=resource["id"], stored_as=f"data/{name}", media_type=media_type,
                size=digest.size, sha256=digest.sha256, crc32=digest.crc32), resource, package))

        datapackage = {
            "name": f"{contest.name}-{bundle.name}",
            "title": f"{contest.title} · {bundle.title}",
            "description": bundle.description,
            "version": str(number),
            "created": published.isoformat() + "Z",
            "homepage": f"{tk.config.get('ckan.site_url').rstrip('/')}/contest/{contest.name}",
            "licenses": list({lic["name"]: lic for lic in
                              (_licence(p) for _, _, p in data)}.values()),
            "resources": [_resource_descriptor(f, r, p) for f, r, p in data],
        }
        extra = []
        for kind, name, text in (
                ("readme", "README.md", _readme(contest, bundle, number, published, data)),
                ("datapackage", "datapackage.json",
                 json.dumps(datapackage, ensure_ascii=False, indent=2) + "\n")):
            digest = _write(partial, name, text.encode("utf-8"))
            extra.append(VersionFile(
                kind=kind, name=name, path=name, stored_as=name,
                media_type=_MEDIA_TYPES[name.rsplit(".", 1)[1]], size=digest.size,
                sha256=digest.sha256, crc32=digest.crc32))
        files = [*extra, *(f for f, _, _ in data)]
        # Checked before the rename: a bundle beyond the limits is never visible.
        try:
            version.zip_size = archive_layout(version, files).size
        except ValueError as error:  # beyond classic ZIP limits
            raise tk.ValidationError({"resources": [str(error)]}) from error
        # A folder without a version row is left from a publish whose commit failed.
        shutil.rmtree(final, ignore_errors=True)
        partial.rename(final)
        model.Session.add(version)
        model.Session.flush()
        for position, item_file in enumerate(files):
            item_file.version_id = version.id
            item_file.position = position
            model.Session.add(item_file)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return version
