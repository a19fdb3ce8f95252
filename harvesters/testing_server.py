"""A small stand-in for the catalogue system's JSON API, for tests and `make run`.

It speaks what :class:`ckanext.shanghai.harvest.readers.ApiReader` expects: ``GET
/catalogue/<department>/entries?page=N&page_size=M`` with ``Authorization: Bearer
<token>``, an ETag and Last-Modified per catalogue version, 304 on a matching
conditional request. Tests can make the next requests fail (``fail_next``) to
exercise retries, and read ``requests`` to see what was asked.

``python -m harvesters.testing_server [--port P] [--folder DIR]`` serves every
``<department>.json`` in DIR (default: ``harvesters/catalogues``), to callers that
bring the token of ``$SHANGHAI_CATALOGUE_API_TOKEN`` (the variable the seed's sources
name; ``seed-catalogue-token`` if it is unset): a secret is not given on a command line.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import threading
import time
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Self
from urllib.parse import parse_qs, urlsplit

import harvesters
from ckanext.shanghai.harvest.readers.api import TOKEN_ENV

DEFAULT_TOKEN = "seed-catalogue-token"


class LocalServer:
    """A threaded HTTP server on loopback (port 0: any free port) that runs in a
    thread for tests (``with``) or in the foreground for `make run` (``serve``)."""

    _httpd: ThreadingHTTPServer

    def _listen(self, host: str, port: int, handler: type[BaseHTTPRequestHandler]) -> None:
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True

    @property
    def base_url(self) -> str:
        # server_address as server_bind stores it, whose host typeshed types str | bytes
        # (an AF_INET socket's name always has a str host).
        host, port = self._httpd.socket.getsockname()[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def serve(self) -> None:
        """Serve in the foreground until interrupted."""
        try:
            self._httpd.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class CatalogueServer(LocalServer):
    """The API over in-memory catalogues (department → list of entry objects)."""

    def __init__(self, catalogues: dict[str, list[dict[str, Any]]] | None = None, *,
                 token: str = DEFAULT_TOKEN, host: str = "127.0.0.1", port: int = 0) -> None:
        self.token = token
        self._lock = threading.Lock()
        self._catalogues: dict[str, tuple[list[dict[str, Any]], str, str]] = {}
        for name, entries in (catalogues or {}).items():
            self.set_catalogue(name, entries)
        self._failures: list[int] = []
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._listen(host, port, self._handler())

    def url(self, department: str) -> str:
        """The entries URL of one department's catalogue."""
        return f"{self.base_url}/catalogue/{department}/entries"

    def set_catalogue(self, department: str, entries: list[dict[str, Any]]) -> None:
        """Replace a catalogue; a new content gets a new ETag and Last-Modified."""
        body = json.dumps(entries, ensure_ascii=False, sort_keys=True).encode("utf-8")
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        with self._lock:
            self._catalogues[department] = (list(entries), etag, formatdate(time.time(), usegmt=True))

    def fail_next(self, count: int, status: int = 503) -> None:
        """Answer the next ``count`` requests with ``status`` (0: drop the connection)."""
        with self._lock:
            self._failures += [status] * count

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        return type("Handler", (_CatalogueHandler,), {"catalogue": self})


class _CatalogueHandler(BaseHTTPRequestHandler):
    """The catalogue API's HTTP handler, bound to its server by :meth:`CatalogueServer._handler`."""

    catalogue: CatalogueServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: tests and `make run` have their own output."""

    def _json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        with self.catalogue._lock:
            self.catalogue.requests.append((self.path, dict(self.headers.items())))
            failure = self.catalogue._failures.pop(0) if self.catalogue._failures else None
        if failure == 0:
            self.close_connection = True
            self.connection.shutdown(2)
            return
        if failure is not None:
            self._json(failure, {"error": "temporarily unavailable"})
            return
        if self.headers.get("Authorization") != f"Bearer {self.catalogue.token}":
            self._json(401, {"error": "invalid token"})
            return
        parts = url.path.strip("/").split("/")
        if len(parts) != 3 or parts[0] != "catalogue" or parts[2] != "entries":
            self._json(404, {"error": "not found"})
            return
        with self.catalogue._lock:
            found = self.catalogue._catalogues.get(parts[1])
        if found is None:
            self._json(404, {"error": f"no catalogue {parts[1]}"})
            return
        entries, etag, modified = found
        validators = {"ETag": etag, "Last-Modified": modified}
        inm = self.headers.get("If-None-Match")
        if inm == etag or (inm is None and self.headers.get("If-Modified-Since") == modified):
            self.send_response(304)
            for key, value in validators.items():
                self.send_header(key, value)
            self.end_headers()
            return
        query = parse_qs(url.query)
        try:
            page = max(1, int(query.get("page", ["1"])[0]))
            size = min(1000, max(1, int(query.get("page_size", ["100"])[0])))
        except ValueError:
            self._json(400, {"error": "page and page_size are integers"})
            return
        pages = max(1, -(-len(entries) // size))
        self._json(200, {"page": page, "pages": pages, "total": len(entries),
                         "entries": entries[(page - 1) * size: page * size]}, validators)


def load_folder(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every ``<department>.json`` in ``folder``."""
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m harvesters.testing_server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--folder", type=Path, default=harvesters.CATALOGUES)
    args = parser.parse_args(argv)
    server = CatalogueServer(load_folder(args.folder), token=os.environ.get(TOKEN_ENV) or DEFAULT_TOKEN,
                             host=args.host, port=args.port)
    print(f"catalogue API at {server.base_url}/catalogue/<department>/entries", flush=True)
    server.serve()


if __name__ == "__main__":
    main()
