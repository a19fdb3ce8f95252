"""Security headers on every response, safe file downloads, and CSRF on every form.

Every response the portal's Flask app sends (pages, API, downloads, static files,
errors) gets ``X-Content-Type-Options: nosniff``, a ``Content-Security-Policy``,
``X-Frame-Options`` and ``Referrer-Policy``:

- HTML pages: ``PAGE_POLICY``: scripts only from the portal itself (CKAN's webassets),
  no plugins, no foreign frames or form targets, no framing by other sites. Inline
  ``style`` attributes are allowed (CKAN's templates use them). The one exception is
  the resource-view page that resource previews load in an iframe (CKAN's DataTables
  view writes its settings in an inline script): ``VIEW_POLICY`` adds inline scripts
  there and nowhere else.
- everything else (files, API answers, assets): ``FILE_POLICY``, a sandbox with nothing
  allowed, so that even a file a browser would render cannot run a script with the
  portal's origin. File downloads are also made attachments (``downloads.py``).
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.config.middleware.flask_app import csrf
from flask import Blueprint, current_app, request
from werkzeug.wrappers import Response

from . import downloads

__all__ = ["security"]

security = Blueprint("shanghai_security", __name__)

_COMMON = ("object-src 'none'", "base-uri 'self'", "form-action 'self'",
           "frame-ancestors 'self'")
PAGE_POLICY = "; ".join((
    "default-src 'self'", "script-src 'self'", "style-src 'self' 'unsafe-inline'",
    # Organisation logos and harvested images may live on other sites.
    "img-src 'self' data: https:", "font-src 'self' data:", "connect-src 'self'",
    "frame-src 'self'", *_COMMON))
VIEW_POLICY = PAGE_POLICY.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
FILE_POLICY = "default-src 'none'; frame-ancestors 'self'; sandbox"

HEADERS = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN",
           "Referrer-Policy": "strict-origin-when-cross-origin"}


@security.after_app_request
def secure_response(response: Response) -> Response:
    """Add the security headers; send files so that they cannot script the portal."""
    if downloads.is_file_response(response):
        downloads.send_safely(response)
    if response.mimetype != "text/html":
        policy = FILE_POLICY
    elif (request.endpoint or "").endswith("resource.view"):
        policy = VIEW_POLICY
    else:
        policy = PAGE_POLICY
    response.headers["Content-Security-Policy"] = policy
    response.headers.update(HEADERS)
    return response


@security.before_app_request
def require_csrf_token() -> None:
    """Form posts need a CSRF token, logged in or not.

    CKAN exempts a view from CSRF checks *for good* once an anonymous or API-token
    request reaches it (``csrf.exempt`` in ``ckan_before_request``), so ``/user/login``
    (and any form an anonymous visitor had posted to) took posts without a token.
    Only requests that bring their own credentials skip the check: a valid API token,
    or an anonymous API call (which has no session to misuse).
    """
    if (not current_app.config.get("WTF_CSRF_ENABLED")
            or request.method not in current_app.config["WTF_CSRF_METHODS"]):
        return
    user = tk.current_user
    logged_in = bool(user and user.is_authenticated)
    if logged_in and request.headers.get(tk.config["apitoken_header_name"]):
        return  # identified by the token (a session cookie would not need the header)
    if not logged_in and request.blueprint == "api":
        return
    csrf.protect()
