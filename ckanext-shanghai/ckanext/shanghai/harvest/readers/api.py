"""The catalogue system's JSON API: paginated, token-authenticated.

``GET {url}?page=N&page_size=M`` with ``Authorization: Bearer <token>`` answers
``{"page": N, "pages": P, "total": T, "entries": [...]}``; an entry is an object
keyed by field (Chinese headers or our canonical names, as in the spreadsheets)
with its data items in ``信息项`` / ``data_items`` as a list of objects.

Transient failures (connection errors, timeouts, 500/502/503/504) are retried with
exponential back-off by urllib3's ``Retry`` inside requests, so a flaky catalogue
system costs time, not the harvest. The first page is requested conditionally
(``If-None-Match`` / ``If-Modified-Since`` from the previous run): the system gives
its ETag to the catalogue as a whole, so a 304 there means nothing changed and
nothing else is fetched.

The token is a server-side secret: a source names the environment variable that holds
it, and :func:`token_from_env` reads it when the harvest runs, so it is in no
config, response, log line or command line.
"""
from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from .entry import CatalogueEntry, CatalogueReadError, DataItem, Location
from .headers import canonical, canonical_item, clean

RETRY_STATUSES = (500, 502, 503, 504)


def session(retries: int = 4, backoff: float = 0.5) -> requests.Session:
    """A session that retries GETs on connection errors, timeouts and 5xx answers,
    waiting ``backoff`` × 2ⁿ seconds between tries (and honouring Retry-After)."""
    retry = Retry(total=retries, connect=retries, read=retries, status=retries,
                  backoff_factor=backoff, status_forcelist=RETRY_STATUSES,
                  allowed_methods=frozenset({"GET"}), raise_on_status=False)
    s = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    s.mount("http://", adapter)
    s.mount("https://", adapter)
    return s


#: the environment variable that holds the catalogue system's token, by default
#: (``ckanext.shanghai.harvest.token_env_vars``); the seed's API sources name it
TOKEN_ENV = "SHANGHAI_CATALOGUE_API_TOKEN"


def token_from_env(url: str, name: str | None) -> str | None:
    """The API token held by environment variable ``name`` (``None`` if no variable
    is named); ``CatalogueReadError`` if it is named but not set."""
    if not name:
        return None
    token = os.environ.get(name)
    if not token:
        raise CatalogueReadError(url, f"令牌所在的环境变量 {name} 未设置",
                                 f"the environment variable {name} that should hold the token is not set")
    return token


@dataclass
class ApiReader:
    """Iterate to get the entries. After a full iteration ``validators`` holds the
    ETag / Last-Modified to pass to the next run, and ``not_modified`` says whether
    the catalogue answered 304 (then nothing was yielded)."""

    url: str
    token: str | None = None
    page_size: int = 200
    timeout: float = 30.0
    retries: int = 4
    backoff: float = 0.5
    validators: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False

    def _get(self, http: requests.Session, page: int, conditional: bool) -> requests.Response:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if conditional and self.validators.get("etag"):
            headers["If-None-Match"] = self.validators["etag"]
        if conditional and self.validators.get("last_modified"):
            headers["If-Modified-Since"] = self.validators["last_modified"]
        try:
            response = http.get(self.url, params={"page": page, "page_size": self.page_size},
                                headers=headers, timeout=self.timeout)
        except requests.RequestException as e:
            raise CatalogueReadError(self.url, f"目录系统无法访问（已重试 {self.retries} 次）：{e}",
                                     f"the catalogue system is unreachable after {self.retries} retries: {e}") from e
        if response.status_code in (401, 403):
            raise CatalogueReadError(self.url, f"目录系统拒绝访问（HTTP {response.status_code}），请检查令牌",
                                     f"the catalogue system refused access (HTTP {response.status_code}); "
                                     "check the token")
        if response.status_code not in (200, 304):
            raise CatalogueReadError(self.url, f"目录系统返回 HTTP {response.status_code}（第 {page} 页）",
                                     f"the catalogue system answered HTTP {response.status_code} (page {page})")
        return response

    def __iter__(self) -> Iterator[CatalogueEntry]:
        with session(self.retries, self.backoff) as http:
            page, pages = 1, 1
            fresh: dict[str, str] = {}
            while page <= pages:
                response = self._get(http, page, conditional=page == 1)
                if response.status_code == 304:
                    self.not_modified = True
                    return
                if page == 1:
                    fresh = {"etag": response.headers.get("ETag", ""),
                             "last_modified": response.headers.get("Last-Modified", "")}
                try:
                    body = response.json()
                    pages = int(body.get("pages", 1))
                    entries = body["entries"]
                except (ValueError, KeyError, TypeError, AttributeError) as e:
                    raise CatalogueReadError(
                        self.url, f"第 {page} 页不是目录系统的 JSON 格式（需要 entries 和 pages）",
                        f"page {page} is not the catalogue system's JSON (entries and pages expected)") from e
                for position, raw in enumerate(entries, 1):
                    yield entry_from_json(raw, Location(self.url, f"page {page}", position))
                page += 1
            # Only a complete read may move the validators on: a run that broke off
            # halfway must not make the next one skip what it never saw.
            self.validators = {k: v for k, v in fresh.items() if v}


def entry_from_json(raw: Mapping[str, Any], location: Location) -> CatalogueEntry:
    """One API entry: keys through the header table, data items from a list of objects."""
    entry = CatalogueEntry(fields={}, location=location)
    if not isinstance(raw, Mapping):
        return entry
    for key, value in raw.items():
        name = canonical(key)
        if name == "data_items" and isinstance(value, list):
            for item in value:
                if isinstance(item, Mapping):
                    cells = {canonical_item(k): clean(v) for k, v in item.items()}
                    entry.data_items.append(DataItem(cells.get("name") or "", cells.get("data_type") or "",
                                                     cells.get("length") or "", cells.get("description") or ""))
        elif name and not isinstance(value, (list, dict)):
            entry.fields[name] = clean(value)
        elif name and isinstance(value, list):
            entry.fields[name] = ";".join(clean(v) for v in value)
    return entry
