"""Districts' open-data portals served locally, for ckanext-harvest's CKAN harvester
and ckanext-dcat's DCAT harvester.

Some of Shanghai's districts run CKAN portals of their own on the city's dataset
template, others publish a DCAT catalogue. This server stands in for both in tests
and `make run`. A district is a folder ``harvesters/districts/<district>/``
served under ``/<district>/``:

- with ``packages.json`` (CKAN dataset dicts) it answers the part of CKAN's action
  API that the ``ckan`` harvester calls (``package_search`` with ``fq``, ``sort``,
  ``rows`` and ``start``, including the ``metadata_modified:[<since> TO *]`` filter
  of incremental runs, and ``package_show``);
- with ``catalog.ttl`` (or another RDF file) it serves its DCAT catalogue;
- and it serves the folder's other files (the datasets' CSV files).

``{base}`` in a resource URL of ``packages.json`` or anywhere in an RDF file stands
for the district's address here.

``python -m harvesters.district_portal [--port P]`` serves every district folder.
"""
from __future__ import annotations

import argparse
import copy
import json
import mimetypes
import re
import threading
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import harvesters
from harvesters.testing_server import LocalServer

ACTION_PATH = re.compile(r"^/(?P<district>[\w-]+)/api(?:/3)?/action/(?P<action>\w+)$")
SINCE = re.compile(r"metadata_modified:\[(?P<since>\S+?)Z? TO \*\]")
#: RDF serialisations (served with {base} replaced) and their media types
RDF_TYPES = {".ttl": "text/turtle", ".rdf": "application/rdf+xml", ".jsonld": "application/ld+json"}


class DistrictPortal(LocalServer):
    """The portals of the district folders, with packages replaceable in memory (tests)."""

    def __init__(self, folder: Path = harvesters.DISTRICTS, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._packages: dict[str, list[dict[str, Any]]] = {
            p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*/packages.json"))}
        self._listen(host, port, self._handler())

    def url(self, district: str) -> str:
        """The district portal's address (a CKAN harvest source's URL)."""
        return f"{self.base_url}/{district}"

    def packages(self, district: str) -> list[dict[str, Any]]:
        """A copy of the district's datasets, as its portal shows them."""
        with self._lock:
            found = copy.deepcopy(self._packages.get(district, []))
        for package in found:
            for resource in package.get("resources", []):
                resource["url"] = resource.get("url", "").replace("{base}", self.url(district))
        return found

    def set_packages(self, district: str, packages: list[dict[str, Any]]) -> None:
        with self._lock:
            self._packages[district] = copy.deepcopy(packages)

    def search(self, district: str, query: dict[str, list[str]]) -> dict[str, Any]:
        """``package_search``: the ``metadata_modified`` lower bound of ``fq``, sorted by
        ``id`` or ``metadata_modified``, one page of ``rows`` from ``start``."""
        found = self.packages(district)
        since = SINCE.search(" ".join(query.get("fq", [])))
        if since:
            found = [p for p in found if p.get("metadata_modified", "") >= since.group("since")]
        field, _, order = (query.get("sort", ["id asc"])[0] + " asc").split(" ")[:3]
        found.sort(key=lambda p: str(p.get(field if field in ("id", "name", "metadata_modified") else "id")),
                   reverse=order == "desc")
        start, rows = int(query.get("start", ["0"])[0]), min(1000, int(query.get("rows", ["10"])[0]))
        return {"count": len(found), "results": found[start:start + rows], "sort": f"{field} {order}",
                "facets": {}, "search_facets": {}}

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_PortalHandler,), {"portal": self})


class _PortalHandler(BaseHTTPRequestHandler):
    """The district portals' HTTP handler, bound to its portal by :meth:`DistrictPortal._handler`."""

    portal: DistrictPortal

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and `make run` have their own output."""

    def _send(self, status: int, body: bytes, content_type: str, *, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _api(self, status: int, payload: dict[str, Any]) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                   "application/json; charset=utf-8")

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        match = ACTION_PATH.match(url.path)
        if match:
            self._action(match.group("district"), match.group("action"), parse_qs(url.query))
            return
        self._send(*self._file(url.path))

    def do_HEAD(self) -> None:
        # ckanext-dcat asks for a catalogue's size before fetching it
        self._send(*self._file(urlsplit(self.path).path), head=True)

    def _file(self, url_path: str) -> tuple[int, bytes, str]:
        path = (self.portal.folder / unquote(url_path).lstrip("/")).resolve()
        if self.portal.folder.resolve() not in path.parents or not path.is_file() \
                or path.name == "packages.json":
            return 404, b"not found", "text/plain; charset=utf-8"
        if path.suffix in RDF_TYPES:
            district = path.relative_to(self.portal.folder.resolve()).parts[0]
            text = path.read_text(encoding="utf-8").replace("{base}", self.portal.url(district))
            return 200, text.encode("utf-8"), f"{RDF_TYPES[path.suffix]}; charset=utf-8"
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return 200, path.read_bytes(), (f"{content_type}; charset=utf-8"
                                        if content_type.startswith("text/") else content_type)

    def _action(self, district: str, action: str, query: dict[str, list[str]]) -> None:
        if district not in self.portal._packages:
            self._api(404, {"success": False, "error": {"__type": "Not Found Error",
                                                        "message": f"no portal {district}"}})
        elif action == "package_search":
            try:
                self._api(200, {"success": True, "result": self.portal.search(district, query)})
            except ValueError as e:
                self._api(409, {"success": False, "error": {"__type": "Search Query Error",
                                                            "message": str(e)}})
        elif action == "package_show":
            wanted = query.get("id", [""])[0]
            found = [p for p in self.portal.packages(district) if wanted in (p["id"], p["name"])]
            if found:
                self._api(200, {"success": True, "result": found[0]})
            else:
                self._api(404, {"success": False, "error": {"__type": "Not Found Error",
                                                            "message": "Not found"}})
        else:
            self._api(400, {"success": False, "error": {"__type": "Bad request",
                                                        "message": f"action {action} not served here"}})


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m harvesters.district_portal")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--folder", type=Path, default=harvesters.DISTRICTS)
    args = parser.parse_args(argv)
    portal = DistrictPortal(args.folder, host=args.host, port=args.port)
    print(f"district portals at {portal.base_url}/<district>/api/3/action/…", flush=True)
    portal.serve()


if __name__ == "__main__":
    main()
