"""Files served from the portal's origin: their names and how they are sent.

- Names: CKAN's ``munge_filename`` drops every non-ASCII letter, so an upload named
  ``公交线路.csv`` was stored, linked and downloaded as ``.csv``. The uploader keeps the
  name (``common/file_names.tidy_file_name``) and ``readable_url`` puts it back into the
  download URL that CKAN's dictization munges again. Files are still stored and found
  by resource id, never by name.
- Sending: an uploaded file must never run as a page of the portal (stored XSS). A
  file response is an attachment unless its type is one of
  ``ckanext.shanghai.inline_file_types`` (plain text and common images by default),
  types a browser can script (HTML, XML, SVG, JavaScript) go out as
  ``application/octet-stream``, and the security headers (``security.py``) sandbox it.
"""
from __future__ import annotations

import mimetypes
import re
from typing import Any
from urllib.parse import quote, unquote

import ckan.lib.files as files
import ckan.lib.uploader as uploader
import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.munge import munge_filename
from flask import request
from werkzeug.http import parse_options_header
from werkzeug.wrappers import Response

from ckanext.shanghai.common.file_names import content_disposition, tidy_file_name

__all__ = ["FILE_ENDPOINTS", "is_file_response", "readable_url", "resource_uploader",
           "send_safely"]

#: Endpoints that send files (uploads, dumps, bundles); ``*resource.download`` too.
FILE_ENDPOINTS = frozenset({"datastore.dump", "datatablesview.filtered_download",
                            "shanghai_bundles.download", "shanghai_bundles.resource"})

#: Words in a media type that a browser may run as a document with scripts.
_SCRIPTABLE = re.compile(r"html|xml|svg|script", re.IGNORECASE)


def resource_uploader(data_dict: dict[str, Any]) -> Any:
    """CKAN's own resource uploader (as ``uploader.get_resource_uploader`` picks it),
    with the uploaded file's name kept readable."""
    name = getattr(data_dict.get("upload"), "filename", None)
    try:
        files.get_storage(tk.config["ckan.files.default_storages.resource"])
    except files.exc.UnknownStorageError:
        upload = uploader.ResourceUpload(data_dict)
    else:
        upload = uploader.FKResourceUpload(data_dict)
    if name and upload.filename:
        upload.filename = data_dict["url"] = tidy_file_name(name)
        if upload.mimetype is None and tk.config.get("ckan.mimetype_guess") == "file_ext":
            upload.mimetype = mimetypes.guess_type(upload.filename)[0]
    return upload


def load_resources(package_id: str) -> None:
    """Load a dataset's resources into the session at once, held by it (its identity
    map holds them only weakly) for :func:`readable_url`'s lookups to find."""
    model.Session.info["shanghai_portal_resources"] = model.Session.scalars(sa.select(
        model.Resource).where(model.Resource.package_id == package_id)).all()


def readable_url(resource_dict: dict[str, Any]) -> None:
    """Put the stored file name back into an uploaded resource's download URL, where
    CKAN's dictization munged it (``…/download/.csv`` → ``…/download/公交线路.csv``,
    percent-encoded). An update that sends this URL back stores its last segment,
    still percent-encoded (CKAN's ``model_save``): both forms name the same file."""
    url = resource_dict.get("url") or ""
    if resource_dict.get("url_type") != "upload" or "/" not in url:
        return
    resource = model.Session.get(model.Resource, resource_dict.get("id"))
    stored = (resource.url or "").rsplit("/", 1)[-1] if resource else ""
    munged = munge_filename(stored) if stored else ""
    if stored and munged != stored and url.endswith("/" + munged):
        resource_dict["url"] = url[:-len(munged)] + quote(unquote(stored))


def is_file_response(response: Response) -> bool:
    """Whether the response sends a file (not a page, redirect or error)."""
    endpoint = request.endpoint or ""
    return (200 <= response.status_code < 300
            and (endpoint.endswith("resource.download") or endpoint in FILE_ENDPOINTS))


def _file_name(response: Response) -> str:
    """The name to offer: the one in the download URL or the one the view gave."""
    name = (request.view_args or {}).get("filename")
    if not name:
        _, options = parse_options_header(response.headers.get("Content-Disposition", ""))
        name = options.get("filename") or request.path.rstrip("/").rsplit("/", 1)[-1]
    return tidy_file_name(name)


def send_safely(response: Response) -> None:
    """Make a file response unable to script the portal: see the module docstring."""
    mimetype = response.mimetype or "application/octet-stream"
    scriptable = bool(_SCRIPTABLE.search(mimetype))
    if scriptable:
        response.headers["Content-Type"] = "application/octet-stream"
    inline_types = tk.config.get("ckanext.shanghai.inline_file_types")
    inline = not scriptable and (mimetype in inline_types
                                 or mimetype.split("/")[0] in inline_types)
    response.headers["Content-Disposition"] = content_disposition(
        _file_name(response), inline=inline)
