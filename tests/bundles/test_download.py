"""Downloads: frozen versions, the zip and its datapackage.json, Range, streaming,
single files and API tokens."""
from __future__ import annotations

import hashlib
import io
import json
import zipfile

import ckan.model as model
import frictionless
import pytest
import sqlalchemy as sa
from ckan.logic import ValidationError
from ckan.tests import factories, helpers

from ckanext.shanghai.bundles import freeze, zip_writer
from ckanext.shanghai.bundles.model import BundleVersion, Download, VersionFile

from .conftest import BUS_CSV, CARD_CSV, FLOW_CSV, call, team

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")

OPEN = "/contest/soda-2015/bundle/open/download"
CARDS = "/contest/soda-2015/bundle/cards/download"
FLOWS = "/contest/soda-2015/bundle/flows/download"


def _token(user):
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def test_zip_holds_files_datapackage_and_readme(contest, app):
    response = app.get(CARDS, headers=_token(contest["organiser"]))
    assert response.status_code == 200
    assert response.headers["Content-Length"] == str(len(response.data))
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.testzip() is None
    assert archive.namelist() == ["README.md", "datapackage.json", "data/card-taps.csv",
                                  "data/bus-lines.csv"]
    assert archive.read("data/card-taps.csv").decode() == CARD_CSV
    package = json.loads(archive.read("datapackage.json"))
    card = package["resources"][0]
    assert card["path"] == "data/card-taps.csv"
    assert card["bytes"] == len(CARD_CSV.encode())
    assert card["hash"] == "sha256:" + hashlib.sha256(CARD_CSV.encode()).hexdigest()
    assert card["schema"]["fields"][1] == {"name": "passengers", "type": "integer"}
    assert card["sources"][0]["path"].endswith("/dataset/card-taps")
    assert card["licenses"][0]["name"] == "cc-by"
    readme = archive.read("README.md").decode()
    assert "数据仅用于本届大赛。" in readme          # the terms
    assert "How to cite" in readme and "?version=1" in readme


def test_extracted_bundle_passes_frictionless_validate(contest, app, tmp_path):
    response = app.get(CARDS, headers=_token(contest["organiser"]))
    zipfile.ZipFile(io.BytesIO(response.data)).extractall(tmp_path)
    report = frictionless.validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    # … and it is the hash check that would catch an altered file.
    (tmp_path / "data" / "card-taps.csv").write_text(CARD_CSV.replace("980000", "980001"))
    assert not frictionless.validate(str(tmp_path / "datapackage.json")).valid


def test_url_resources_are_fetched_and_frozen(contest, app):
    response = app.get(FLOWS, headers=_token(contest["organiser"]))
    archive = zipfile.ZipFile(io.BytesIO(response.data))
    assert archive.read("data/flows.csv").decode() == FLOW_CSV


def test_published_version_never_changes(contest, app, create_with_upload):
    organiser = contest["organiser"]
    first = app.get(OPEN).data
    # The source changes: a new upload for the bus resource, and the URL file changes.
    create_with_upload("line,passengers\n99路,1\n", "bus-lines.csv",
                       action="resource_update", context={"user": organiser["name"]},
                       id=contest["resources"]["bus"]["id"], package_id=None, format="CSV")
    (contest["http_folder"] / "flows.csv").write_text("line,passengers\nX,0\n")
    assert app.get(OPEN).data == first
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.read("data/bus-lines.csv").decode() == BUS_CSV
    flows = app.get(FLOWS, headers=_token(organiser)).data
    assert zipfile.ZipFile(io.BytesIO(flows)).read("data/flows.csv").decode() == FLOW_CSV

    # Publishing again makes version 2 with the new bytes; version 1 stays as it was.
    bundle = call("shanghai_bundle_publish", organiser, id=contest["bundles"]["open"]["id"])
    assert bundle["version"] == 2
    latest = zipfile.ZipFile(io.BytesIO(app.get(OPEN).data))
    assert latest.read("data/bus-lines.csv").decode() == "line,passengers\n99路,1\n"
    assert app.get(OPEN + "?version=1").data == first
    v1 = call("shanghai_bundle_show", None, id=bundle["id"], version=1)
    bus = next(f for f in v1["files"] if f["name"] == "bus-lines.csv")
    assert bus["hash"] == "sha256:" + hashlib.sha256(BUS_CSV.encode()).hexdigest()
    assert app.get(OPEN + "?version=7").status_code == 404


def test_range_requests_resume_a_broken_download(contest, app):
    full = app.get(OPEN)
    size = len(full.data)
    assert full.headers["Accept-Ranges"] == "bytes"
    etag = full.headers["ETag"]
    cut = size // 3
    head = app.get(OPEN, headers={"Range": f"bytes=0-{cut - 1}"})
    assert head.status_code == 206
    assert head.headers["Content-Range"] == f"bytes 0-{cut - 1}/{size}"
    tail = app.get(OPEN, headers={"Range": f"bytes={cut}-", "If-Range": etag})
    assert tail.status_code == 206
    assert tail.headers["Content-Length"] == str(size - cut)
    assert head.data + tail.data == full.data
    # Suffix ranges, a range past the end, and a stale If-Range.
    assert app.get(OPEN, headers={"Range": "bytes=-10"}).data == full.data[-10:]
    beyond = app.get(OPEN, headers={"Range": f"bytes={size}-"})
    assert beyond.status_code == 416
    assert beyond.headers["Content-Range"] == f"bytes */{size}"
    stale = app.get(OPEN, headers={"Range": "bytes=0-9", "If-Range": '"old"'})
    assert stale.status_code == 200 and stale.data == full.data


def test_every_download_is_the_same_bytes(contest, app):
    assert app.get(OPEN).data == app.get(OPEN).data


def test_download_is_streamed_in_chunks(contest, app, create_with_upload):

    organiser = contest["organiser"]
    big = "line,passengers\n" + "".join(f"{n}路,{n}\n" for n in range(300_000))
    create_with_upload(big, "big.csv", context={"user": organiser["name"]},
                       package_id="bus-lines", format="CSV")
    call("shanghai_bundle_update", organiser, id=contest["bundles"]["open"]["id"],
         datasets=["bus-lines"])
    call("shanghai_bundle_publish", organiser, id=contest["bundles"]["open"]["id"])
    response = app.test_client().get(OPEN, buffered=False)
    body = response.response
    assert not isinstance(body, (list, bytes))  # a generator, not a built archive
    chunks = list(body)
    response.close()
    assert len(big) > 8 * zip_writer.CHUNK
    assert len(chunks) > 8
    assert max(len(c) for c in chunks) <= zip_writer.CHUNK
    archive = zipfile.ZipFile(io.BytesIO(b"".join(chunks)))
    assert archive.read("data/big.csv").decode() == big


def test_single_resource_download(contest, app):
    user, _ = team("soda-2015", "solo", accept=True)
    url = "/contest/soda-2015/bundle/cards/resource/card-taps.csv"
    refused = app.get(url, headers={"Accept": "application/json"})
    assert refused.status_code == 403
    assert refused.json["error"]["reason"] == "not_logged_in"
    response = app.get(url, headers=_token(user))
    assert response.status_code == 200
    assert response.data.decode() == CARD_CSV
    assert response.headers["Content-Type"].startswith("text/csv")
    part = app.get(url, headers=dict(_token(user), Range="bytes=5-9"))
    assert part.status_code == 206 and part.data == CARD_CSV.encode()[5:10]
    package = json.loads(app.get("/contest/soda-2015/bundle/cards/resource/datapackage.json",
                                 headers=_token(user)).data)
    assert package["name"] == "soda-2015-cards"
    assert app.get("/contest/soda-2015/bundle/cards/resource/nope.csv",
                   headers=_token(user)).status_code == 404


def test_refusals_in_the_browser_say_why(contest, app):
    user, _ = team("soda-2015", "browser")
    response = app.get(CARDS, headers=dict(_token(user), Accept="text/html"))
    assert response.status_code == 403
    assert "条款" in response.body or "terms" in response.body


def test_downloads_are_logged(contest, app):
    user, registered = team("soda-2015", "logged", accept=True)
    app.get(CARDS, headers=dict(_token(user), Range="bytes=0-99"))
    rows = model.Session.scalars(sa.select(Download).where(
        Download.team_id == registered["id"])).all()
    assert [(r.status, r.byte_range, r.file_name) for r in rows] == [(206, "bytes=0-99", None)]


def card_package(resource):
    return helpers.call_action("package_show", id=resource["package_id"])


def test_conditional_data_leaves_only_through_the_bundle(contest, app):
    """The frozen copies are not reachable by any other URL, and the bundle's own
    resource URL refuses teams without the right status."""
    user, _ = team("soda-2015", "no-terms-yet")
    shown = helpers.call_action("shanghai_bundle_show", context={"user": user["name"]},
                                contest="soda-2015", name="cards")
    for f in shown["files"]:
        response = app.get(f["url"], headers=dict(_token(user), Accept="application/json"))
        assert response.status_code == 403
        assert response.json["error"]["reason"] == "terms_not_accepted"
    assert app.get("/shanghai_bundles/").status_code == 404
    # CKAN's own download of the conditional file refuses everyone but its department …
    card = contest["resources"]["cards"]
    ckan_url = f"/dataset/card-taps/resource/{card['id']}/download/card-taps.csv"
    for who in (None, user):
        headers = _token(who) if who else {}
        assert app.get(ckan_url, headers=headers).status_code == 403
    assert app.get(ckan_url, headers=_token(contest["organiser"])).data.decode() == CARD_CSV
    editor = factories.User()
    helpers.call_action("organization_member_create", id=card_package(card)["owner_org"],
                        username=editor["name"], role="editor")
    assert app.get(ckan_url, headers=_token(editor)).status_code == 200
    # … while open data stays downloadable by anyone.
    bus = contest["resources"]["bus"]
    assert app.get(f"/dataset/bus-lines/resource/{bus['id']}/download/bus-lines.csv"
                   ).status_code == 200


def test_a_damaged_frozen_copy_is_refused_not_served(contest, app):

    version = model.Session.scalars(sa.select(BundleVersion).where(
        BundleVersion.bundle_id == contest["bundles"]["open"]["id"])).one()
    item = model.Session.scalars(sa.select(VersionFile).where(
        VersionFile.version_id == version.id, VersionFile.kind == "data")).first()
    freeze.file_path(version, item).write_text("tampered")
    assert app.get(OPEN).status_code == 500
    assert app.get(f"/contest/soda-2015/bundle/open/resource/{item.name}").status_code == 500


def test_publish_failures_say_what_and_leave_nothing_behind(contest, app):


    organiser = contest["organiser"]
    (contest["http_folder"] / "flows.csv").unlink()    # the URL resource now answers 404
    bundle_id = contest["bundles"]["flows"]["id"]
    with pytest.raises(ValidationError) as error:
        call("shanghai_bundle_publish", organiser, id=bundle_id)
    assert "flows.csv" in str(error.value.error_dict["resources"])
    assert [v["number"] for v in call("shanghai_bundle_show", organiser,
                                      id=bundle_id)["versions"]] == [1]
    assert not list((freeze.storage_root() / bundle_id).glob("*.partial"))
    assert not (freeze.storage_root() / bundle_id / "v2").exists()

    empty = call("shanghai_bundle_create", organiser, contest="soda-2015", name="empty",
                 title="空", access_tier="public")
    with pytest.raises(ValidationError) as error:
        call("shanghai_bundle_publish", organiser, id=empty["id"])
    assert "resources" in error.value.error_dict
    refused = app.get("/contest/soda-2015/bundle/empty/download")
    assert refused.status_code == 404                 # nothing published yet
    assert app.get(OPEN + "?version=abc").status_code == 400


def test_a_bundle_beyond_the_zip_limits_is_never_published(contest, monkeypatch):


    organiser = contest["organiser"]
    bundle_id = contest["bundles"]["open"]["id"]
    monkeypatch.setattr(zip_writer, "_ZIP32_LIMIT", 100)    # a 4 GiB bundle, in small
    with pytest.raises(ValidationError) as error:
        call("shanghai_bundle_publish", organiser, id=bundle_id)
    assert "4 GiB" in str(error.value.error_dict["resources"])
    # Neither the files nor a version row: the limits are checked before either exists.
    assert not (freeze.storage_root() / bundle_id / "v2").exists()
    assert not list((freeze.storage_root() / bundle_id).glob("*.partial"))
    assert model.Session.scalars(sa.select(BundleVersion.number).where(
        BundleVersion.bundle_id == bundle_id)).all() == [1]
