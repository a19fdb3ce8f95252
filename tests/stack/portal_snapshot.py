"""What a portal holds, as JSON on stdout: ``CKAN_INI=… python -m tests.stack.portal_snapshot``.

Run against two portals (a backed-up one and its restore) by the same code, in a
process of its own per ini file, so the two answers can be compared as a whole:
every dataset's ``package_show``, every file's SHA-256 (the storage folder and each
upload through CKAN's uploader), validation reports, DataStore rows, contests with
their bundles, versions and teams, and what search answers anonymous and sysadmin.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import uploader

from ckanext.shanghai.stack.worker import load_app

#: queries asked of package_search, as (q, fq)
QUERIES = [("*:*", ""), ("公交", ""), ("数据", "open_type:unconditional"), ("", "res_format:CSV")]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _search(user: str, q: str, fq: str) -> dict[str, Any]:
    found = tk.get_action("package_search")(
        {"user": user, "ignore_auth": False},
        {"q": q, "fq": fq, "rows": 1000, "include_private": True,
         "facet.field": ["organization", "open_type", "data_domain", "res_format"]})
    return {"count": found["count"], "ids": [d["id"] for d in found["results"]],
            "facets": found["facets"]}


def snapshot() -> dict[str, Any]:
    """The portal's content, as seen by the site user (everything) and by anonymous."""
    admin = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    ctx = {"user": admin, "ignore_auth": True}
    ids = sorted(i for (i,) in model.Session.query(model.Package.id)
                 .filter(model.Package.state != "deleted", model.Package.type == "dataset"))
    datasets, reports, rows, uploads = {}, {}, {}, {}
    for dataset_id in ids:
        shown = tk.get_action("package_show")(dict(ctx), {"id": dataset_id})
        datasets[shown["name"]] = shown
        for resource in shown["resources"]:
            reports[resource["id"]] = tk.get_action("shanghai_resource_validation_show")(
                dict(ctx), {"id": resource["id"]})
            if resource.get("datastore_active"):
                rows[resource["id"]] = tk.get_action("datastore_search")(
                    dict(ctx), {"resource_id": resource["id"], "limit": 1000,
                                "sort": "_id"})["records"]
            if resource.get("url_type") == "upload":
                path = Path(uploader.get_resource_uploader(resource).get_path(resource["id"]))
                uploads[resource["id"]] = _sha256(path)
    contests = {}
    for contest in tk.get_action("shanghai_contest_list")(dict(ctx), {}):
        bundles = tk.get_action("shanghai_bundle_list")(dict(ctx), {"contest": contest["id"]})
        versions = {b["name"]: [tk.get_action("shanghai_bundle_show")(
            dict(ctx), {"id": b["id"], "version": v["number"]})["files"]
            for v in b.get("versions", [])] for b in bundles}
        teams = tk.get_action("shanghai_team_list")(dict(ctx), {"contest": contest["id"]})
        contests[contest["name"]] = {"contest": contest, "bundles": bundles,
                                     "versions": versions, "teams": teams}
    storage = Path(tk.config["ckan.storage_path"])
    files = {p.relative_to(storage).as_posix(): _sha256(p)
             for p in sorted(storage.rglob("*")) if p.is_file()
             and p.relative_to(storage).parts[0] != "webassets"}
    searches = {f"{who or 'anonymous'} {q} {fq}": _search(who, q, fq)
                for who in ("", admin) for q, fq in QUERIES}
    return {"datasets": datasets, "reports": reports, "datastore": rows, "uploads": uploads,
            "contests": contests, "files": files, "search": searches}


def main() -> int:
    app = load_app()
    with app._wsgi_app.test_request_context():
        json.dump(snapshot(), sys.stdout, ensure_ascii=False, sort_keys=True, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
