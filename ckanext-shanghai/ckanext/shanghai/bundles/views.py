"""Pages and downloads of the SODA contest bundles.

Downloads (whole zip or one file) are streamed from the frozen copies with HTTP
``Range`` support; the zip's bytes are computed, never built (see
``zip_writer.py``). API tokens work because CKAN identifies the user from
the ``Authorization`` header for every Flask view.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
from ckan.types import Context
from flask import Blueprint, Response, jsonify, request

from ckanext.shanghai.common.file_names import content_disposition

from . import access, freeze, zip_writer
from .model import Bundle, BundleVersion, Contest, Download

__all__ = ["shanghai_bundles"]

shanghai_bundles = Blueprint("shanghai_bundles", __name__)


def _current_user() -> model.User | None:
    user = tk.current_user
    if not user or not user.is_authenticated:
        return None
    return model.User.get(user.id)


def _context() -> Context:
    user = _current_user()
    return {"user": user.name if user else "", "auth_user_obj": user}


def _objects(contest_name: str, bundle_name: str) -> tuple[Contest, Bundle, BundleVersion]:
    """The contest, bundle and asked-for version (``?version=N``, else the latest);
    404 when any is missing."""
    contest = Contest.by_name(contest_name)
    if contest is None:
        return tk.abort(404, tk._("Contest not found: {ref}").format(ref=contest_name))
    bundle = Bundle.by_name(contest, bundle_name)
    if bundle is None:
        return tk.abort(404, tk._("Bundle not found"))
    number = request.args.get("version")
    if number is not None and not number.isdigit():
        return tk.abort(400, tk._("version must be a number"))
    version = bundle.version(int(number) if number is not None else None)
    if version is None:
        message = (tk._("Bundle {name} has no version {number}").format(
            name=bundle.name, number=number) if number else
            access.reason_message("not_published"))
        return tk.abort(404, message)
    return contest, bundle, version


def _refuse(decision: access.Decision) -> Response:
    """403 saying why: JSON for scripts, the error page for browsers."""
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        return tk.abort(403, decision.message or "")
    response = jsonify({"success": False, "error": {
        "__type": "Authorization Error", "reason": decision.reason,
        "message": decision.message}})
    response.status_code = 403
    return response


def _authorise(contest: Contest, bundle: Bundle, version: BundleVersion
               ) -> tuple[model.User | None, Response | None]:
    user = _current_user()
    decision = access.decide(user, contest, bundle, version)
    return user, (None if decision.can_download else _refuse(decision))


def _log(version: BundleVersion, user: model.User | None, contest: Contest,
         file_name: str | None, status: int) -> None:
    team = access.team_of(contest, user)
    model.Session.add(Download(version_id=version.id, user_id=user.id if user else None,
                               team_id=team.id if team else None, file_name=file_name,
                               byte_range=request.headers.get("Range"), status=status))
    model.Session.commit()


def _ranged(size: int, produce: Callable[[int, int], Iterator[bytes]], *, filename: str,
            mimetype: str, etag: str, on_serve: Callable[[int], None]) -> Response:
    """A 200 (whole body) or 206 (one range) streamed response, or 416."""
    headers = {"Accept-Ranges": "bytes", "ETag": etag, "Cache-Control": "private",
               "Content-Disposition": content_disposition(filename)}
    wanted = zip_writer.parse_range(request.headers.get("Range"), size)
    if request.headers.get("If-Range", etag) != etag:
        wanted = None  # the client's partial copy is of something else: send it all
    if wanted is False:
        headers["Content-Range"] = f"bytes */{size}"
        return Response(status=416, headers=headers)
    start, end = wanted or (0, size)
    status = 206 if wanted else 200
    if wanted:
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    on_serve(status)
    body = produce(start, end) if request.method != "HEAD" else iter(())
    return Response(body, status=status, headers=headers, mimetype=mimetype,
                    direct_passthrough=True)


@shanghai_bundles.route("/contest/<contest>/bundle/<bundle>/download",
                        methods=["GET", "HEAD"])
def download(contest: str, bundle: str) -> Response:
    """The whole bundle version as one zip."""
    contest_obj, bundle_obj, version = _objects(contest, bundle)
    user, refusal = _authorise(contest_obj, bundle_obj, version)
    if refusal is not None:
        return refusal
    files = version.files()
    if freeze.damaged(version, files):
        return tk.abort(500, tk._("The frozen copy of this version is damaged"))
    layout = freeze.archive_layout(version, files)
    return _ranged(
        layout.size, layout.iter_bytes, mimetype="application/zip",
        filename=f"{contest_obj.name}-{bundle_obj.name}-v{version.number}.zip",
        etag=f'"{version.id}"',
        on_serve=lambda status: _log(version, user, contest_obj, None, status))


@shanghai_bundles.route("/contest/<contest>/bundle/<bundle>/resource/<name>",
                        methods=["GET", "HEAD"])
def resource(contest: str, bundle: str, name: str) -> Response:
    """One file of a bundle version (a data file, ``datapackage.json`` or README)."""
    contest_obj, bundle_obj, version = _objects(contest, bundle)
    user, refusal = _authorise(contest_obj, bundle_obj, version)
    if refusal is not None:
        return refusal
    item = next((f for f in version.files() if f.name == name), None)
    if item is None:
        return tk.abort(404, tk._("No file {name} in this bundle version").format(name=name))
    if freeze.damaged(version, [item]):
        return tk.abort(500, tk._("The frozen copy of this version is damaged"))
    path = freeze.file_path(version, item)
    return _ranged(
        item.size, lambda start, end: zip_writer.iter_file(path, start, end),
        mimetype=item.media_type, filename=item.name, etag=f'"{item.sha256}"',
        on_serve=lambda status: _log(version, user, contest_obj, item.name, status))


# -- pages ---------------------------------------------------------------------------

def _show_contest(name: str) -> dict[str, Any]:
    try:
        return tk.get_action("shanghai_contest_show")(_context(), {"id": name})
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error))


@shanghai_bundles.route("/contest")
def index() -> str:
    """The contests, newest first."""
    contests = tk.get_action("shanghai_contest_list")(_context(), {})
    return tk.render("shanghai/bundles/index.html", {"contests": contests})


@shanghai_bundles.route("/contest/<contest>")
def contest(contest: str) -> str:
    """A contest: its rules, bundles with what each needs, and the caller's team."""
    data = _show_contest(contest)
    return tk.render("shanghai/bundles/contest.html", {
        "contest": data, "is_organiser": access.is_organiser(_current_user())})


@shanghai_bundles.route("/contest/<contest>/register", methods=["GET", "POST"])
def register(contest: str) -> Any:
    """Register a team (the caller leads it)."""
    data = _show_contest(contest)
    if _current_user() is None:
        return tk.redirect_to("user.login", came_from=request.path)
    errors: dict[str, Any] = {}
    values = dict(request.form)
    values.pop("_csrf_token", None)
    if request.method == "POST":
        try:
            tk.get_action("shanghai_team_register")(_context(), dict(values, contest=contest))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Your team is registered. Now accept the data-use terms."))
            return tk.redirect_to("shanghai_bundles.terms", contest=contest)
    return tk.render("shanghai/bundles/register.html",
                     {"contest": data, "errors": errors, "values": values})


@shanghai_bundles.route("/contest/<contest>/terms", methods=["GET", "POST"])
def terms(contest: str) -> Any:
    """The data-use terms, and the form a team member accepts them with."""
    data = _show_contest(contest)
    team = data["my_team"]
    errors: dict[str, Any] = {}
    if request.method == "POST":
        if team is None:
            return tk.abort(403, access.reason_message("not_registered"))
        try:
            tk.get_action("shanghai_team_accept_terms")(
                _context(), {"id": team["id"], "accept": request.form.get("accept")})
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Your team accepted the data-use terms."))
            return tk.redirect_to("shanghai_bundles.team", contest=contest)
    return tk.render("shanghai/bundles/terms.html",
                     {"contest": data, "team": team, "errors": errors})


@shanghai_bundles.route("/contest/<contest>/invitation", methods=["POST"])
def invitation(contest: str) -> Any:
    """The invited user accepts (``answer=join``) or declines an invitation."""
    action = ("shanghai_team_join" if request.form.get("answer") == "join"
              else "shanghai_team_decline")
    try:
        tk.get_action(action)(_context(), {"id": request.form.get("team")})
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound as error:
        return tk.abort(404, str(error))
    except tk.ValidationError as error:
        return tk.abort(400, str(error))
    if action == "shanghai_team_join":
        tk.h.flash_success(tk._("You joined the team."))
        return tk.redirect_to("shanghai_bundles.team", contest=contest)
    tk.h.flash_success(tk._("Invitation declined."))
    return tk.redirect_to("shanghai_bundles.contest", contest=contest)


@shanghai_bundles.route("/contest/<contest>/team")
def team(contest: str) -> Any:
    """The caller's team: members, terms, verification, and the bundles it may get."""
    data = _show_contest(contest)
    if data["my_team"] is None:
        if _current_user() is None:
            return tk.redirect_to("user.login", came_from=request.path)
        return tk.redirect_to("shanghai_bundles.register", contest=contest)
    return tk.render("shanghai/bundles/team.html", {"contest": data, "team": data["my_team"]})


@shanghai_bundles.route("/contest/<contest>/teams", methods=["GET", "POST"])
def teams(contest: str) -> Any:
    """The organisers' page: every team, and verifying (or refusing) their identity."""
    data = _show_contest(contest)
    try:
        if request.method == "POST":
            tk.get_action("shanghai_team_verify")(_context(), {
                "id": request.form.get("team"), "verified": request.form.get("verified"),
                "note": request.form.get("note", "")})
            tk.h.flash_success(tk._("Verification saved."))
            return tk.redirect_to("shanghai_bundles.teams", contest=contest)
        team_list = tk.get_action("shanghai_team_list")(_context(), {"contest": contest})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the contest organisers may do this"))
    except (tk.ValidationError, tk.ObjectNotFound) as error:
        return tk.abort(400, str(error))
    return tk.render("shanghai/bundles/teams.html", {"contest": data, "teams": team_list})
