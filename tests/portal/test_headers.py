"""Uploads cannot script the portal: security headers on every response, files as
attachments with safe types, Chinese file names kept, CSRF on every form post."""
from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest
from ckan.tests import factories, helpers

from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

SVG = ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)'
       '</script></svg>')
HTML = "<html><body><script>alert(document.cookie)</script></body></html>"
CSV = "线路,客流\n11路,3200\n"


@pytest.fixture
def upload(create_with_upload):
    """Upload ``content`` as ``name`` into a new open dataset; the resource dict."""
    sysadmin = factories.Sysadmin()
    package = dataset(sysadmin)

    def make(content: str, name: str, **fields):
        return create_with_upload(content, name, context={"user": sysadmin["name"]},
                                  package_id=package["id"], name=name, **fields)
    return make


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _secured(response, policy_part: str) -> str:
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    policy = response.headers["Content-Security-Policy"]
    assert policy_part in policy
    return policy


def test_security_headers_on_every_response(app, upload):
    resource = upload(CSV, "lines.csv", format="CSV")
    page = app.get("/dataset/")
    policy = _secured(page, "frame-ancestors 'self'")
    assert "object-src 'none'" in policy and "base-uri 'self'" in policy
    assert "script-src 'self';" in policy                # no inline scripts on pages
    assert page.headers["X-Frame-Options"] == "SAMEORIGIN"
    _secured(app.get("/api/3/action/status_show"), "default-src 'none'")
    _secured(app.get("/no-such-page", status=404), "object-src 'none'")
    _secured(app.get("/api/3/action/package_show?id=nothing", status=404), "sandbox")
    _secured(app.get("/base/images/ckan-logo.png"), "sandbox")
    _secured(app.get(_path(resource["url"])), "sandbox")


def test_pages_need_no_inline_script(app, upload):
    """The page policy allows scripts from the portal only: a page must work without
    inline scripts or event-handler attributes."""
    resource = upload(CSV, "lines.csv", format="CSV")
    for url in ("/", "/dataset/", f"/dataset/{resource['package_id']}",
                f"/dataset/{resource['package_id']}/resource/{resource['id']}",
                "/user/login", "/contest"):
        body = app.get(url).body
        for attributes in re.findall(r"<script\b([^>]*)>", body):
            assert "src=" in attributes or "json" in attributes, (url, attributes)
        assert not re.search(r"<[^>]+\son[a-z]+\s*=", body), url


@pytest.mark.parametrize(("name", "content", "dangerous"), [
    ("x.html", HTML, "text/html"), ("x.svg", SVG, "image/svg+xml")])
def test_uploaded_html_and_svg_are_never_shown_inline(app, upload, name, content,
                                                       dangerous):
    resource = upload(content, name)
    response = app.get(_path(resource["url"]))
    assert response.body == content                       # the bytes, unchanged
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert dangerous not in response.headers["Content-Type"]
    assert response.headers["Content-Type"] == "application/octet-stream"
    assert "sandbox" in _secured(response, "default-src 'none'")
    # Also when the resource claims to be a web page.
    resource = upload(content, name, mimetype="text/html")
    response = app.get(_path(resource["url"]))
    assert response.headers["Content-Type"] == "application/octet-stream"


def test_chinese_file_name_is_kept(app, upload):
    resource = upload(CSV, "公交线路.csv", format="CSV")
    encoded = quote("公交线路.csv")
    assert resource["url"].endswith(f"/download/{encoded}")
    shown = app.get(f"/api/3/action/package_show?id={resource['package_id']}").json
    assert shown["result"]["resources"][0]["url"] == resource["url"]
    # An update sends the URL back (CKAN then stores its percent-encoded last part).
    helpers.call_action("resource_patch", context={"user": factories.Sysadmin()["name"]},
                        id=resource["id"], description="全市公交线路")
    assert helpers.call_action("resource_show", id=resource["id"])["url"] == resource["url"]
    response = app.get(_path(resource["url"]))
    assert response.body == CSV                           # still found by resource id
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{encoded}" in disposition
    assert 'filename="download.csv"' in disposition       # the ASCII fallback


def _csrf_token(app) -> str:
    form = app.get("/user/login").body
    match = re.search(r'name="_csrf_token"[^>]*value="([^"]+)"', form)
    assert match, "no CSRF token on the login page"
    return match.group(1)


def test_login_needs_a_csrf_token(app):
    user = factories.User(password="correct horse battery")
    credentials = {"login": user["name"], "password": "correct horse battery"}
    app.get("/user/login")            # CKAN exempted a view once anonymous used it
    refused = app.post("/user/login", data=credentials, status=400,
                       follow_redirects=False)
    assert "CSRF" in refused.body
    accepted = app.post("/user/login", data=dict(credentials, _csrf_token=_csrf_token(app)),
                        follow_redirects=False)
    assert accepted.status_code == 302 and "/user/login" not in accepted.headers["Location"]


def test_api_calls_need_no_csrf_token(app):
    user = factories.User()
    token = factories.APIToken(user=user["name"])["token"]
    created = app.post("/api/3/action/organization_list_for_user",
                       headers={"Authorization": token}, json={})
    assert created.json["success"] is True
    assert app.post("/api/3/action/package_search", json={"q": "*:*"}).json["success"]


def test_chinese_pages_get_their_script_translations(app):
    """CKAN's scripts start only once the page's translations load; on Chinese pages
    they ask for zh_Hans-CN."""
    response = app.get("/api/i18n/zh_Hans-CN", expect_errors=True)
    assert response.status_code == 200 and response.body.lstrip().startswith("{")
