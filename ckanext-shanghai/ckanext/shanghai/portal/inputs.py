"""Outside input checked once, before any view or action reads it.

Every request passes :func:`refuse_bad_input` (installed by the ``shanghai`` plugin
right after CKAN identifies the user, before CSRF or any other hook reads the body):

* a body over the limit is a **413** (``ckanext.shanghai.max_body_kb``; multipart
  forms, which carry uploads, may be as large as ``ckan.max_resource_size``);
* a NUL character anywhere (path, query string, form, JSON body, JSON inside a
  parameter) is a **400**: PostgreSQL cannot store or compare it, and CKAN's and our
  queries failed with a 500 on it; so is JSON nested deeper than Python's parser goes;
* parameters of the Action API that CKAN reads without checking their type first are
  checked here, each wrong type a **409** ``Validation Error`` naming the field
  (identifiers must be strings, flags true or false, ``rows``, ``limit``… numbers,
  ``datastore_search``'s ``filters`` an object, and a parameter an action reads before
  its schema present), and a name in the action registry that is no action
  (ckanext-harvest registers an exception class and mail helpers) a **400**.

Some of CKAN's views raise on a form or link they did not expect. They are answered
here instead of with a 500: ``ObjectNotFound`` and ``NotAuthorized`` that a view lets
through become **404** and **403** on every view, and the few views that fail on
incomplete forms or on an object of the wrong kind (``_VIEW_FAULTS``) a **400** or **404**.

Answers to API calls have CKAN's error shape; pages get CKAN's error page.
"""
from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import falsy, truthy
from ckan.config.middleware.flask_app import ckan_before_request
from flask import Flask, Response, request
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.http import HTTP_STATUS_CODES

#: Names of parameters that some CKAN action reads with ``asbool`` (a 500 on "abc").
_FLAGS = frozenset({"all_fields", "ids_only", "use_default_schema", "only_active",
                    "only_current", "only_to_run", "return_last_job_status"})
#: Parameters whose list or empty value reached an ``int()`` in CKAN (a 500).
_NUMBERS = frozenset({"rows", "start", "facet.mincount", "limit", "offset"})
#: Parameters that must be JSON objects, per action.
_OBJECTS = {"datastore_search": frozenset({"filters"})}
#: Parameters an action (or its auth function) reads before checking access or its
#: schema (a KeyError or worse, a 500); "a|b" means either.
_REQUIRED = {"datastore_run_triggers": ("resource_id",),
             "group_autocomplete": ("q",), "organization_autocomplete": ("q",),
             "resource_view_update": ("resource_id",), "task_status_update_many": ("data",),
             "user_invite": ("group_id",), "harvest_source_show_status": ("id",),
             "harvest_job_abort": ("id|source_id",), "harvest_abort_failed_jobs": ("life_span",)}

#: DataTables views that parse their form without checking it (``int("abc")`` was a 500).
_DATATABLES_VIEWS = ("datatablesview.ajax", "datatablesview.filtered_download")

#: CKAN views (by the end of their endpoint, as each dataset type has its own) that
#: raise on input they did not expect, with what that input gets instead.
_VIEW_FAULTS: dict[str, tuple[tuple[type[Exception], ...], int, str]] = {
    # A form post without its "save" or "id" field (a KeyError).
    "resource.new": ((KeyError,), 400, "The resource form is incomplete."),
    # A post without a user name (None.lower(), an AttributeError).
    "user.login": ((AttributeError,), 400,
                   "Enter your user name or e-mail address and your password."),
    # An activity that is not one of the dataset's (a KeyError on its data).
    "activity.resource_history": ((KeyError,), 404, "Activity not found"),
    # A group, not an organisation: CKAN raises a bare Exception ("FIXME").
    "group.bulk_process": ((Exception,), 404, "Only organisations have bulk editing."),
}


def install(app: Flask) -> Flask:
    """Put the checks in front of every view of ``app`` (from ``IMiddleware``)."""
    hooks = app.before_request_funcs.setdefault(None, [])
    # After CKAN's own hook (its after-request hook needs what it sets up), before the
    # others: CSRF protection reads the form, plugin guards look ids up in the database.
    position = hooks.index(ckan_before_request) + 1 if ckan_before_request in hooks else 0
    hooks.insert(position, refuse_bad_input)
    for endpoint in _DATATABLES_VIEWS:
        if endpoint in app.view_functions:
            app.view_functions[endpoint] = _datatables_errors(app.view_functions[endpoint])
    for endpoint, view in list(app.view_functions.items()):
        for suffix, fault in _VIEW_FAULTS.items():
            if endpoint.endswith(suffix):
                app.view_functions[endpoint] = _view_errors(view, *fault)
    app.register_error_handler(tk.ObjectNotFound, _logic_error)
    app.register_error_handler(tk.NotAuthorized, _logic_error)
    return app


def max_body_bytes() -> int:
    """The largest request body accepted: uploads (multipart forms) up to
    ``ckan.max_resource_size`` MB, anything else up to ``ckanext.shanghai.max_body_kb``."""
    if request.mimetype == "multipart/form-data":
        return (tk.config.get("ckan.max_resource_size") + 1) * 2**20
    return tk.config.get("ckanext.shanghai.max_body_kb") * 2**10


def refuse_bad_input() -> Response | None:
    """The before-request hook: None to go on, else the refusal."""
    limit = max_body_bytes()
    # Werkzeug then stops reading a body without Content-Length at the limit too.
    request.max_content_length = limit
    if request.content_length is not None and request.content_length > limit:
        return _too_large(limit)
    try:
        data = _request_data()
        names = [upload.filename for upload in request.files.values()]
        has_nul = any("\x00" in text
                      for text in _strings([request.path, _flat(request.args), data, names]))
    except RequestEntityTooLarge:
        return _too_large(limit)
    except RecursionError:
        return _refuse(400, None, tk._("The request's JSON is nested too deeply."))
    if has_nul:
        return _refuse(400, None, tk._("The request contains a NUL character (\\u0000), "
                                      "which no parameter, identifier or path may contain."))
    action = (request.view_args or {}).get("logic_function") \
        if request.endpoint == "api.action" else None
    if action and _names_no_action(action):
        return _refuse(400, None, tk._("Action name not known: {action}").format(action=action))
    if action and isinstance(data, dict):
        errors = _type_errors(action, data)
        if errors:
            return _refuse(409, action, errors)
    return None


def _names_no_action(name: str) -> bool:
    """Whether the action registry holds something other than an action under ``name``.

    ckanext-harvest registers every public name of its action modules: an exception
    class (``InactiveSource``), mail helpers (``send_mail(recipients, subject, body)``)
    and ``get_action``. Called with ``(context, data_dict)`` they failed (a 500)."""
    try:
        return not _is_action(inspect.unwrap(tk.get_action(name)))
    except KeyError:
        return False  # CKAN answers unknown names itself


@functools.cache
def _is_action(function: Any) -> bool:
    """An action takes exactly ``(context, data_dict)`` (a chained one has them left
    after ``functools.partial``). Cached per function: asked on every API call."""
    if isinstance(function, type):
        return False
    try:
        parameters = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):
        return True
    required = [p for p in parameters if p.default is p.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    return len(required) == 2


def _request_data() -> Any:
    """The parameters as CKAN's Action API reads them: the query string of a GET, else
    the form (a form whose only key is JSON text is that JSON) or the JSON body."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return _flat(request.args)
    if request.form:
        values = list(request.form.values())
        if len(values) == 1 and values[0] in ("1", ""):
            return _json(next(iter(request.form.keys())))
        return _flat(request.form)
    body = request.get_data(cache=True)
    return _json(body) if body else None


def _flat(multi: Any) -> dict[str, Any]:
    """A MultiDict as CKAN flattens it: one value as itself, several as a list."""
    return {key: values[0] if len(values) == 1 else values for key, values in multi.lists()}


def _json(text: str | bytes) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _strings(value: Any) -> Iterator[str]:
    """Every string in a nested structure, keys included, and inside strings that hold
    JSON (CKAN decodes ``facet.field=["\\u0000"]`` before using it)."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if isinstance(value, str):
        yield value
        if value.lstrip()[:1] in ("[", "{"):
            decoded = _json(value)
            if decoded is not None:
                yield from _strings(decoded)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings(key)
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def _type_errors(action: str, data: dict[str, Any]) -> dict[str, list[str]]:
    """{parameter: [message]} for every parameter of the wrong type."""
    errors: dict[str, list[str]] = {
        key: [tk._("Missing value")] for key in _REQUIRED.get(action, ())
        if not any(name in data for name in key.split("|"))}
    for key, value in data.items():
        if not isinstance(key, str) or value is None:
            continue
        if (key == "id" or key.endswith("_id")) and not isinstance(value, str):
            errors[key] = [tk._("Must be a string (an id or a name)")]
        elif (key.startswith("include_") or key in _FLAGS) and not _is_flag(value):
            errors[key] = [tk._("Must be true or false")]
        elif key in _NUMBERS and not _is_number(value):
            errors[key] = [tk._("Must be a whole number")]
        elif key in _OBJECTS.get(action, ()) and not _is_object(value):
            errors[key] = [tk._("Must be a JSON object of column names and values")]
    return errors


def _is_flag(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in truthy | falsy
    return isinstance(value, bool | int | float)


def _is_number(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, int | float)


def _is_object(value: Any) -> bool:
    return isinstance(_json(value) if isinstance(value, str) else value, dict)


def _refuse(status: int, action: str | None, error: str | dict[str, list[str]]) -> Response:
    """The refusal in CKAN's shape: the Action API's JSON for API calls, else its
    error page."""
    if not request.path.startswith("/api/"):
        return tk.abort(status, error if isinstance(error, str) else json.dumps(error))
    body: dict[str, Any] = {"success": False}
    if action:
        body["help"] = tk.url_for("api.action", logic_function="help_show", ver=3,
                                  name=action, _external=True)
    if isinstance(error, str):
        body["error"] = {"__type": "Bad request" if status == 400 else "Request Too Large",
                         "message": error}
    else:
        body["error"] = dict(error, __type="Validation Error")
    return Response(json.dumps(body), status=status, mimetype="application/json")


def _too_large(limit: int) -> Response:
    return _refuse(413, None, tk._("The request body is over the limit of {limit} KB.").format(
        limit=limit // 2**10))


def _datatables_errors(view: Callable[..., Any]) -> Callable[..., Any]:
    """A DataTables view whose bad input is a 4xx: an unknown view 404, a forbidden one
    403, a form that is not DataTables' (missing or non-numeric fields) 400."""
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except tk.ObjectNotFound:
            message, status = tk._("Resource view not found"), 404
        except tk.NotAuthorized:
            message, status = tk._("Not authorized to see this view"), 403
        except (tk.ValidationError, KeyError, ValueError, IndexError, TypeError):
            message, status = tk._("Not a DataTables request: a field is missing or not "
                                   "a number"), 400
        return Response(json.dumps({"error": message}), status=status,
                        mimetype="application/json")
    return wrapped


def _answer(status: int, message: str) -> tuple[str, int] | Response:
    """A finished answer (not an exception): JSON for the API, else CKAN's error page."""
    if request.path.startswith("/api/"):
        return Response(json.dumps({"success": False, "error": {"message": message}}),
                        status=status, mimetype="application/json")
    return tk.render("error_document_template.html", {
        "code": status, "content": message, "name": HTTP_STATUS_CODES[status]}), status


def _logic_error(error: Exception) -> tuple[str, int] | Response:
    """A view let CKAN's "not found" or "not authorized" through: 404 or 403, not 500."""
    if isinstance(error, tk.NotAuthorized):
        return _answer(403, str(error) or tk._("Not authorized"))
    return _answer(404, str(error) or tk._("Not found"))


def _view_errors(view: Callable[..., Any], faults: tuple[type[Exception], ...],
                 status: int, message: str) -> Callable[..., Any]:
    """``view``, with the exceptions its bad input raised answered by ``status``."""
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        try:
            return view(*args, **kwargs)
        except (tk.ObjectNotFound, tk.NotAuthorized):
            raise
        except faults:
            return _answer(status, tk._(message))
    return wrapped
