"""The leak walker: every registered action and every route, as every kind of outsider,
with the ids and names of closed data; no response may hold a secret.

The actions come from CKAN's registry (``ckan.logic._actions``) and the routes from the
Flask app's ``url_map`` at run time, so an action or a page a plugin adds tomorrow is
walked without touching this file. Each action gets data_dicts built from the parameter
names its docstring and source use, filled with each secret object of its kind
(tests/leaks_fixtures.py), plus a listing variant. A secret counts as leaked when a
response (any status, body or headers) holds it and the request did not name the same
object: echoing an id back is no leak, the title behind it is.

Outsiders (anonymous, a plain user, an editor and an admin of another organisation) get
every action, reads then writes (which must all be refused), and every route with each
of its methods. A sysadmin gets the reads and the GET routes, and the department's admin
a few reads: they must see the department's data (so a walk that errors everywhere
fails) and never a credential or the portal's own secrets. The walk runs in parts
(``PARTS``), side by side under pytest-xdist.
"""
from __future__ import annotations

import dataclasses
import functools
import inspect
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

import ckan.logic as logic
import ckan.plugins.toolkit as tk
import pytest

from ckanext.shanghai.stack.config import PLUGINS
from tests import leaks_fixtures
from tests.leaks_fixtures import DEPARTMENT, NOBODY, SEARCH_WORD, Target, World

pytestmark = [pytest.mark.ckan_config("ckan.plugins", " ".join(PLUGINS)),
              # CSRF is a separate guard an attacker passes by reading a form first; the
              # walker asks what the access rule answers.
              pytest.mark.ckan_config("WTF_CSRF_ENABLED", False),
              pytest.mark.usefixtures("with_plugins", "clean_db")]

OUTSIDERS = ("anonymous", "plain user", "other editor", "other admin")

#: Which secret object an action or route is about, by words in its name (first match).
KINDS = (
    (("activity_show", "activity_data_show", "activity_diff"), "activity"),
    (("harvest_object", "harvest/object"), "harvest_object"),
    (("harvest_job", "harvest/job", "job_"), "harvest_job"),
    (("harvest",), "harvest_source"),
    (("resource_view", "view"), "view"),
    (("datastore", "datatables", "resource", "validation"), "resource"),
    (("bundle",), "bundle"),
    (("contest", "team"), "contest"),
    (("package", "dataset", "collaborator", "quality"), "package"),
    (("organization", "group", "member"), "group"),
    (("user", "dashboard", "follow", "api_token"), "user"),
)

#: Parameters of a listing variant (no object named), and flags for every variant.
LISTING = {"q": SEARCH_WORD, "include_private": True, "include_drafts": True,
           "include_datasets": True, "include_extras": True, "include_users": True,
           "include_groups": True, "all_fields": True, "rows": 1000, "limit": 1000,
           "object_type": "package", "include_hidden_activity": True}

#: Writes an outsider may make: on their own dashboard, or following public objects.
ALLOWED_WRITES = {"dashboard_mark_activities_old", "follow_group", "unfollow_group",
                  "follow_user", "unfollow_user"}

#: Routes not walked: static files and assets, and the action API (walked as actions).
SKIP_ENDPOINTS = ("static", "api.action", "webassets")
#: GET routes that change things (ckanext-harvest deletes, clears, runs and aborts on
#: GET), not walked as the sysadmin, who would be allowed to.
WRITING_ENDPOINTS = ("delete", "refresh", "clear", "abort", "logout", "follow", "purge",
                     "reset", "revoke")

_PARAM = re.compile(r":param\s+(?:\w+\s+)?(\w+):")
_KEY = re.compile(r"""(?:data_dict|data)(?:\.get\(|\.pop\(|\[)\s*['"](\w+)['"]""")
_BUST = re.compile(r"""_get_or_bust\(\s*data_dict\s*,\s*\[?([^)\]]+)""")
_VAR = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def kind_of(name: str) -> str:
    """The kind of secret object an action or route (endpoint and rule) is about."""
    return next((kind for words, kind in KINDS if any(w in name for w in words)), "package")


def _chain(function: Any) -> Iterator[Any]:
    """The functions behind a registered action: CKAN's wrapper, chained partials."""
    seen: set[int] = set()
    stack = [function]
    while stack:
        f = stack.pop()
        if f is None or id(f) in seen:
            continue
        seen.add(id(f))
        yield f
        stack.append(getattr(f, "__wrapped__", None))
        if isinstance(f, functools.partial):
            stack += [f.func, *f.args]


def params_of(function: Any) -> set[str]:
    """Parameter names an action documents (``:param x:``) or reads from data_dict."""
    names: set[str] = set()
    for f in _chain(function):
        if not callable(f) or isinstance(f, type):
            continue
        names.update(_PARAM.findall(f.__doc__ or ""))
        try:
            source = inspect.getsource(f)
        except (OSError, TypeError):
            continue
        names.update(_KEY.findall(source))
        for group in _BUST.findall(source):
            names.update(re.findall(r"['\"](\w+)['\"]", group))
    return names


def fill(params: set[str], target: Target) -> dict[str, Any]:
    """A data_dict naming ``target`` in every parameter we know a value for."""
    facts = dict(target.facts)
    ref = target.name if target.name else target.id  # names are what an outsider guesses
    facts.setdefault("id", ref)
    facts.setdefault("name", target.name or target.id)
    if target.kind == "group":
        facts.update(group_id=target.id, org_id=target.id, organization_id=target.id)
    if target.kind == "user":
        facts.update(user=target.name, username=target.name, user_id=target.id)
    if "resource_id" in facts:
        facts.setdefault("resource_ids", [facts["resource_id"]])
        facts.setdefault("sql", f'SELECT * FROM "{facts["resource_id"]}"')
    data = {p: facts[p] for p in params if p in facts}
    data.setdefault("id", ref)
    data.update({p: v for p, v in LISTING.items() if p in params and p != "q"})
    return data


def action_variants(name: str, function: Any, targets: list[Target]
                    ) -> list[tuple[str, dict[str, Any]]]:
    """The data_dicts an action is called with: one per secret object of its kind, and
    a listing."""
    params = params_of(function)
    kind = kind_of(name)
    variants = [(t.label, fill(params, t)) for t in targets if t.kind == kind]
    variants.append(("listing", {p: v for p, v in LISTING.items() if p in params}))
    return variants


def route_urls(rule: Any, targets: list[Target]) -> list[tuple[str, str]]:
    """URLs of a URL rule: its variables filled with each secret object of its kind."""
    names = [m.group(1) for m in _VAR.finditer(rule.rule)]
    if not names:
        return [("listing", f"{rule.rule}?q={SEARCH_WORD}")]
    urls = []
    for target in (t for t in targets if t.kind == kind_of(f"{rule.endpoint} {rule.rule}")):
        values = {**{k: str(v) for k, v in target.facts.items()},
                  "id": target.name or target.id, "package_type": "dataset",
                  "group_type": "organization" if "organization" in rule.rule else "group"}
        if target.kind in ("resource", "view") or "dataset/harvest_object" in rule.rule:
            values["id"] = target.facts["package_id"]
        if target.kind == "resource":
            values["resource_id"] = target.id
        if "file_name" in values:
            values["name"] = values["file_name"]
        if all(n in values for n in names):
            urls.append((target.label,
                         _filled(rule.rule, values)))
    return urls


def _filled(rule: str, values: dict[str, str]) -> str:
    """``rule`` with each of its variables replaced by its value."""
    return _VAR.sub(lambda m: values[m.group(1)], rule)


@dataclasses.dataclass
class Call:
    what: str          # "action package_show" or "GET /dataset/<id>"
    variant: str       # which secret object it named
    role: str
    status: int
    body: str          # body and headers
    request: str       # URL or data_dict


@dataclasses.dataclass
class Walk:
    """The calls made, what they showed, and to whom."""

    world: World
    client: Any
    calls: int = 0
    statuses: Counter = dataclasses.field(default_factory=Counter)
    findings: dict[tuple[str, str, str], Call] = dataclasses.field(default_factory=dict)
    seen: dict[str, set[str]] = dataclasses.field(default_factory=lambda: defaultdict(set))
    writes: list[Call] = dataclasses.field(default_factory=list)
    crashes: dict[tuple[str, str], str] = dataclasses.field(default_factory=dict)

    def check(self, call: Call) -> None:
        self.calls += 1
        self.statuses[f"{call.status // 100}xx"] += 1
        named = {s.identity for s in self.world.secrets if s.identity and s.value in call.request}
        for secret in self.world.secrets:
            if (secret.value not in call.body or secret.value in call.request
                    or secret.identity in named):
                continue
            self.seen[call.role].add(secret.value)
            if secret.audience == NOBODY or (call.role in OUTSIDERS
                                             and secret.audience == DEPARTMENT):
                self.findings.setdefault((call.what, call.role, secret.what), call)

    def open(self, what: str, variant: str, role: str, request: str, **kwargs: Any) -> Call:
        """One request as ``role``; an exception out of the app is what a 500 would be."""
        token = self.world.tokens.get(role)
        try:
            response = self.client.open(headers={"Authorization": token} if token else {},
                                        base_url=tk.config["ckan.site_url"], **kwargs)
        except Exception as e:  # noqa: BLE001 - the app raising is a finding, not a stop
            call = Call(what, variant, role, 500, "", request)
            self.crashes.setdefault((what, variant), f"{type(e).__name__}: {e}"[:160])
        else:
            if response.status_code >= 500:
                self.crashes.setdefault((what, variant), f"HTTP {response.status_code}: "
                                        f"{response.get_data(as_text=True)[:160]}")
            # Markers are ASCII: they survive any decoding of a binary body (a zip).
            parts = [response.get_data().decode("utf-8", "replace"),
                     json.dumps(dict(response.headers))]
            parts += [json.dumps(dict(r.headers)) for r in getattr(response, "history", ())]
            call = Call(what, variant, role, response.status_code, "".join(parts), request)
        self.check(call)
        return call

    def action(self, name: str, data: dict[str, Any], role: str, variant: str) -> Call:
        return self.open(f"action {name}", variant, role, json.dumps(data, ensure_ascii=False),
                         path=f"/api/3/action/{name}", method="POST", json=data)

    def routes(self, roles: tuple[str, ...], first: frozenset[str] | set[str] = frozenset(),
               skip: tuple[str, ...] = ()) -> None:
        """Every rule of the app but those of endpoints with words in ``skip``: GET with
        each secret object of its kind, the methods in ``first`` with the first object
        only."""
        rules = [r for r in self.client.application.url_map.iter_rules()
                 if not any(s in r.endpoint for s in SKIP_ENDPOINTS + skip)]
        for rule in sorted(rules, key=lambda r: r.rule):
            for n, (variant, url) in enumerate(route_urls(rule, self.world.targets)):
                for method in sorted((rule.methods or set()) & ({"GET"} | (first if n == 0 else set()))):
                    for role in roles:
                        self.open(f"{method} {rule.rule}", variant, role, url, path=url,
                                  method=method, follow_redirects=True)


def registered_actions() -> dict[str, Any]:
    """Every action CKAN and the enabled plugins registered."""
    tk.get_action("package_show")  # builds the registry
    return dict(sorted(logic._actions.items()))


def report(walk: Walk) -> str:
    """The findings, grouped by the area that keeps each secret closed."""
    owners = {s.what: s.owner for s in walk.world.secrets}
    by_owner: dict[str, list[str]] = defaultdict(list)
    for (what, role, secret), call in sorted(walk.findings.items()):
        by_owner[owners[secret]].append(f"  {what} [{call.variant}] as {role} "
                                        f"-> {call.status}: {secret}")
    lines = []
    for owner, found in sorted(by_owner.items()):
        lines += [f"{owner}: {len(found)}", *found]
    return "\n".join(lines)


@dataclasses.dataclass(frozen=True)
class Part:
    """One part of the walk: who reads every action, who writes, who opens every route,
    and whether the sysadmin and the department's admin walk (they must see the
    department's data, so that a walk that errors everywhere fails)."""

    readers: tuple[str, ...] = ()
    writers: tuple[str, ...] = ()
    visitors: tuple[str, ...] = ()
    insiders: bool = False


#: The walk in parts of about equal length that run side by side (pytest-xdist), each
#: on a world of its own.
PARTS = {
    "outsiders read and write": Part(readers=OUTSIDERS, writers=OUTSIDERS),
    "the anonymous and a plain user open the routes": Part(visitors=OUTSIDERS[:2]),
    "another department's editor and admin open the routes": Part(visitors=OUTSIDERS[2:]),
    "the sysadmin and the department's admin": Part(insiders=True),
}


def walk_insiders(walk: Walk, reads: set[str], variants: dict[str, Any]) -> None:
    """The sysadmin reads and opens the GET routes; the department's own admin sees its
    data through the same calls."""
    for name in sorted(reads):
        for label, data in variants[name]:
            walk.action(name, data, "sysadmin", label)
    walk.routes(("sysadmin",), skip=WRITING_ENDPOINTS)
    facts, admin = walk.world.facts, "department admin"
    walk.action("package_show", {"id": facts["private"]["pkg"]["id"]}, admin, "private")
    walk.action("datastore_search", {"resource_id": facts["cond"]["res"]["id"]}, admin, "cond")
    walk.action("harvest_object_show", {"id": facts["object_id"]}, admin, "object")
    res = facts["non_open"]["res"]
    walk.open("GET download", "nonopen", admin, "", method="GET",
              path=f"/dataset/{res['package_id']}/resource/{res['id']}/download/nonopen.csv")
    content = {s.value for s in walk.world.secrets if s.audience == DEPARTMENT and not s.identity}
    assert not content - walk.seen["sysadmin"], (
        "the sysadmin's walk did not see these (are the calls well formed?): "
        f"{sorted(content - walk.seen['sysadmin'])}")
    expected = {"ZQXPRIVATETITLE", "ZQXCONDROW", "ZQXHARVENTRY", "ZQXNONOPENROW"}
    assert expected <= walk.seen[admin], f"the department's admin missed {expected - walk.seen[admin]}"


@pytest.mark.parametrize("part", PARTS)
def test_no_response_holds_a_secret(part, app, create_with_upload, tmp_path, monkeypatch,
                                    capsys):
    # Built in a request context of its own: one held open through the walk would share
    # its flask.g (and so its anonymous user) with every request.
    with app.flask_app.test_request_context():
        world = leaks_fixtures.build(create_with_upload, tmp_path, monkeypatch)
    walk = Walk(world, app.test_client(use_cookies=False))
    actions = registered_actions()
    reads = {n for n, f in actions.items() if getattr(f, "side_effect_free", False)}
    variants = {n: action_variants(n, f, world.targets) for n, f in actions.items()}

    # Reads first, so that a write wrongly allowed cannot hide a read's leak.
    for role in PARTS[part].readers:
        for name in sorted(reads):
            for label, data in variants[name]:
                walk.action(name, data, role, label)
    # A write is refused before it looks at its object: one object of its kind will do.
    for role in PARTS[part].writers:
        for name in sorted(set(actions) - reads):
            label, data = variants[name][0]
            call = walk.action(name, data, role, label)
            if call.status < 300 and name not in ALLOWED_WRITES:
                walk.writes.append(call)
    if PARTS[part].visitors:
        walk.routes(PARTS[part].visitors, first={"POST", "PUT", "DELETE", "PATCH"})
    if PARTS[part].insiders:
        walk_insiders(walk, reads, variants)

    summary = (f"leak walker ({part}): {len(actions)} actions ({len(reads)} reads), "
               f"{walk.calls} calls ({dict(sorted(walk.statuses.items()))}); "
               f"{len(walk.findings)} leaks, {len(walk.writes)} writes allowed, "
               f"{len(walk.crashes)} requests raised")
    with capsys.disabled():
        print(f"\n{summary}")
    problems = []
    if walk.findings:
        problems.append(f"{len(walk.findings)} responses hold secrets:\n{report(walk)}")
    if walk.writes:
        problems.append("writes allowed to outsiders:\n" + "\n".join(
            f"  {c.what} [{c.variant}] as {c.role} -> {c.status}" for c in walk.writes))
    if walk.crashes:
        problems.append("requests that raised or answered 5xx:\n" + "\n".join(
            f"  {what} [{variant}]: {error}" for (what, variant), error in walk.crashes.items()))
    assert not problems, f"{summary}\n" + "\n".join(problems)
