"""A district's open-data portal served locally, for ckanext-harvest's CKAN harvester.

Shanghai's districts run CKAN portals of their own on the city's dataset template.
This server stands in for them in tests and `make run`: under ``/<district>/`` it
answers the part of CKAN's action API that the ``ckan`` harvester calls
(``package_search`` with ``fq``, ``sort``, ``rows`` and ``start``, including the
``metadata_modified:[<since> TO *]`` filter of incremental runs, and
``package_show``), and serves the district folder's files (the datasets' CSV
files). A district is a folder ``catalog_seed/districts/<district>/`` holding
``packages.json`` (CKAN dataset dicts; ``{base}`` in a resource URL stands for the
district's address here) and its files.

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

from harvesters.testing_server import LocalServer

DISTRICTS_FOLDER = Path(__file__).resolve().parent.parent / "catalog_seed" / "districts"
ACTION_PATH = re.compile(r"^/(?P<district>[\w-]+)/api(?:/3)?/action/(?P<action>\w+)$")
SINCE = re.compile(r"metadata_modified:\[(?P<since>\S+?)Z? TO \*\]")


class DistrictPortal(LocalServer):
    """The portals of the district folders, with packages replaceable in memory (tests)."""

    def __init__(self, folder: Path = DISTRICTS_FOLDER, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.folder = folder
        self._lock = threading.Lock()
        self._packages: dict[str, list[dict[str, Any]]] = {
            p.parent.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*/packages.json"))}
        self._listen(host, port)

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
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: tests and `make run` have their own output."""

            def _send(self, status: int, body: bytes, content_type: str) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _api(self, status: int, payload: dict[str, Any]) -> None:
                self._send(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"),
                           "application/json; charset=utf-8")

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = parse_qs(url.query)
                match = ACTION_PATH.match(url.path)
                if match:
                    self._action(match.group("district"), match.group("action"), query)
                    return
                path = (portal.folder / unquote(url.path).lstrip("/")).resolve()
                if portal.folder.resolve() not in path.parents or not path.is_file() \
                        or path.name == "packages.json":
                    self._send(404, b"not found", "text/plain; charset=utf-8")
                    return
                content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                self._send(200, path.read_bytes(), f"{content_type}; charset=utf-8"
                           if content_type.startswith("text/") else content_type)

            def _action(self, district: str, action: str, query: dict[str, list[str]]) -> None:
                if district not in portal._packages:
                    self._api(404, {"success": False, "error": {"__type": "Not Found Error",
                                                                "message": f"no portal {district}"}})
                elif action == "package_search":
                    try:
                        self._api(200, {"success": True, "result": portal.search(district, query)})
                    except ValueError as e:
                        self._api(409, {"success": False, "error": {"__type": "Search Query Error",
                                                                    "message": str(e)}})
                elif action == "package_show":
                    wanted = query.get("id", [""])[0]
                    found = [p for p in portal.packages(district) if wanted in (p["id"], p["name"])]
                    if found:
                        self._api(200, {"success": True, "result": found[0]})
                    else:
                        self._api(404, {"success": False, "error": {"__type": "Not Found Error",
                                                                    "message": "Not found"}})
                else:
                    self._api(400, {"success": False, "error": {"__type": "Bad request",
                                                                "message": f"action {action} not served here"}})

        return Handler


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m harvesters.district_portal")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--folder", type=Path, default=DISTRICTS_FOLDER)
    args = parser.parse_args(argv)
    portal = DistrictPortal(args.folder, host=args.host, port=args.port)
    print(f"district portals at {portal.base_url}/<district>/api/3/action/…", flush=True)
    portal.serve()


if __name__ == "__main__":
    main()
