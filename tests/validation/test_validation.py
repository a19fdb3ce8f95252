"""The validation plugin through CKAN: jobs, reports, status, pages, actions, strict mode,
quality in search, and the worker surviving bad input."""
from __future__ import annotations

import ckan.lib.jobs as jobs
import ckan.model as model
import pytest
from ckan.tests import factories, helpers

from ckanext.shanghai.validation import runner
from tests.factories import dataset

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")

HEADER = "park_id,name,district,address,longitude,latitude,total_spaces,hourly_fee,phone,opened"
ROW = "P{n:08d},人民广场停车场,黄浦区,人民大道200号,121.475,31.232,500,10.0,021-63181234,2001-05-01"
VALID = HEADER + "\n" + "\n".join(ROW.format(n=n) for n in range(1, 6)) + "\n"
INVALID = VALID.replace(",500,", ",五百,", 1).replace("黄浦区", "苏州市", 1) + ROW.format(n=1) + "\n"


@pytest.fixture(autouse=True)
def _empty_queue():
    # Other tests enqueue jobs for their own (since deleted) resources.
    jobs.get_queue(runner.QUEUE).empty()


def work() -> None:
    """Run the validation queue's jobs in a real CKAN worker until it is empty."""
    jobs.Worker([runner.QUEUE]).work(burst=True)


def upload(create_with_upload, sysadmin, package, content, name="parks.csv", **extra):
    extra.setdefault("schema", "car_parks")
    extra.setdefault("format", name.rsplit(".", 1)[-1].upper())
    return create_with_upload(content, name, package_id=package["id"], url=name,
                              context={"user": sysadmin["name"]}, **extra)


def test_valid_upload_is_validated_in_the_background(create_with_upload, sysadmin, parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID)
    shown = helpers.call_action("resource_show", id=resource["id"])
    assert shown["validation_status"] == "pending"
    assert not shown.get("datastore_active")
    created = helpers.call_action("package_show", id=parks["id"])["metadata_modified"]
    work()
    shown = helpers.call_action("resource_show", id=resource["id"])
    assert shown["validation_status"] == "success"
    # its table made and loaded, flagged with the report: no new dataset revision, and
    # the index says so too
    assert shown["datastore_active"] is True
    assert helpers.call_action("package_show", id=parks["id"])["metadata_modified"] == created
    indexed = helpers.call_action("package_search", fq=f"id:{parks['id']}")["results"][0]
    assert [r["datastore_active"] for r in indexed["resources"]] == [True]
    assert shown["validation_timestamp"] and shown["validation_rows"] == 5
    report = helpers.call_action("shanghai_resource_validation_show", id=resource["id"])
    assert report["status"] == "success" and report["schema"] == "car_parks"
    assert report["report"]["encoding"] == "utf-8"
    # The status lives in our table: validating (and reloading the DataStore table)
    # again makes no new dataset revision, and queues nothing more.
    modified = helpers.call_action("package_show", id=parks["id"])["metadata_modified"]
    helpers.call_action("shanghai_resource_validation_run", id=resource["id"],
                        context={"user": "", "ignore_auth": True})
    work()
    assert helpers.call_action("package_show", id=parks["id"])["metadata_modified"] == modified
    assert helpers.call_action("resource_show", id=resource["id"])["validation_status"] == "success"
    assert jobs.get_queue(runner.QUEUE).count == 0


def test_invalid_upload_gets_a_report_by_row_and_field(app, create_with_upload, sysadmin,
                                                       parks):
    resource = upload(create_with_upload, sysadmin, parks, INVALID)
    work()
    report = helpers.call_action("shanghai_resource_validation_show", id=resource["id"])
    assert report["status"] == "failure"
    found = [(e["rowNumber"], e.get("fieldName"), e["type"]) for e in report["report"]["errors"]]
    assert found == [(2, "district", "constraint-error"), (2, "total_spaces", "type-error"),
                     (7, "park_id", "unique-error"), (7, None, "primary-key")]
    page = app.get(f"/dataset/car-parks/resource/{resource['id']}/validation").body
    assert "「所属区」的值「苏州市」不在允许的取值范围内" in page
    assert "无法识别为整数" in page
    assert "与第 2 行重复" in page
    assert 'data-row="7"' in page
    # Badges on the dataset and resource pages link to the report.
    for url in ("/dataset/car-parks", f"/dataset/car-parks/resource/{resource['id']}"):
        body = app.get(url).body
        assert 'data-status="failure"' in body
        assert f"/dataset/car-parks/resource/{resource['id']}/validation" in body


def test_gbk_upload_is_detected(create_with_upload, sysadmin, parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID.encode("gbk"))
    work()
    report = helpers.call_action("shanghai_resource_validation_show", id=resource["id"])
    assert report["status"] == "success" and report["report"]["encoding"] == "gb18030"


def test_domain_default_schema_applies_without_a_resource_schema(create_with_upload,
                                                                  sysadmin, parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID, schema="")
    work()
    report = helpers.call_action("shanghai_resource_validation_show", id=resource["id"])
    # transport's default is bus_lines: the car-park columns do not fit it.
    assert report["schema"] == "bus_lines" and report["status"] == "failure"
    assert report["report"]["errors"][0]["type"].endswith("-label")


def test_bad_input_ends_as_error_and_the_worker_goes_on(create_with_upload, sysadmin, parks):
    empty = upload(create_with_upload, sysadmin, parks, b"", name="empty.csv")
    garbage = upload(create_with_upload, sysadmin, parks, bytes(range(256)) * 100,
                     name="garbage.csv")
    line = upload(create_with_upload, sysadmin, parks, b"x" * (10 * 2**20), name="line.csv")
    good = upload(create_with_upload, sysadmin, parks, VALID)
    work()
    messages = {}
    for name, resource in (("empty", empty), ("garbage", garbage), ("line", line)):
        report = helpers.call_action("shanghai_resource_validation_show", id=resource["id"])
        assert report["status"] == "error", name
        messages[name] = report["message"]
        assert report["message_zh"]
    assert "empty" in messages["empty"]
    assert "binary" in messages["garbage"]
    assert "without a line break" in messages["line"]
    assert helpers.call_action("resource_show", id=good["id"])["validation_status"] == "success"


@pytest.mark.ckan_config("ckanext.shanghai.validation.max_size_mb", "1")
def test_over_the_size_limit_is_an_error(create_with_upload, sysadmin, parks):
    big = HEADER + "\n" + "\n".join(ROW.format(n=n) for n in range(20000)) + "\n"
    resource = upload(create_with_upload, sysadmin, parks, big)
    work()
    report = helpers.call_action("shanghai_resource_validation_show", id=resource["id"])
    assert report["status"] == "error" and "over the validation limit of 1 MB" in report["message"]


def test_run_action_queues_again_for_editors_only(create_with_upload, sysadmin, parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID)
    work()
    again = helpers.call_action("shanghai_resource_validation_run", id=resource["id"],
                                context={"user": sysadmin["name"]})
    assert again["status"] == "pending"
    assert len(jobs.get_queue(runner.QUEUE).jobs) == 1
    stranger = factories.User()
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("shanghai_resource_validation_run", id=resource["id"],
                            context={"user": stranger["name"], "ignore_auth": False})
    # Anyone who may see the resource may read its report.
    assert helpers.call_action("shanghai_resource_validation_show", id=resource["id"],
                               context={"user": stranger["name"], "ignore_auth": False})


def test_report_of_a_private_dataset_is_hidden(create_with_upload, sysadmin):
    hidden = dataset(user=sysadmin, open_type="non_open")
    resource = upload(create_with_upload, sysadmin, hidden, VALID)
    with pytest.raises(helpers.logic.NotAuthorized):
        helpers.call_action("shanghai_resource_validation_show", id=resource["id"],
                            context={"user": factories.User()["name"], "ignore_auth": False})


@pytest.mark.ckan_config("ckanext.shanghai.validation.strict", "true")
def test_strict_mode_refuses_an_invalid_upload(create_with_upload, sysadmin, parks):
    with pytest.raises(helpers.logic.ValidationError) as refused:
        upload(create_with_upload, sysadmin, parks, INVALID)
    message = refused.value.error_dict["upload"][0]
    # English or Chinese, by the request's language.
    assert "4 errors in 6 rows" in message or "6 行中有 4 个错误" in message
    assert "第 2 行" in message and "苏州市" in message
    assert helpers.call_action("package_show", id=parks["id"])["resources"] == []
    accepted = upload(create_with_upload, sysadmin, parks, VALID)
    assert accepted["url_type"] == "upload"


def test_strict_mode_is_off_by_default(create_with_upload, sysadmin, parks):
    resource = upload(create_with_upload, sysadmin, parks, INVALID)
    assert resource["id"]


def test_shown_status_is_never_stored(create_with_upload, sysadmin, parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID)
    work()
    package = helpers.call_action("package_show", id=parks["id"])
    assert package["resources"][0]["validation_status"] == "success"
    helpers.call_action("package_update", context={"user": sysadmin["name"]}, **package)
    helpers.call_action("shanghai_resource_validation_run", id=resource["id"],
                        context={"user": sysadmin["name"]})
    extras = model.Resource.get(resource["id"]).extras
    assert not any(key.startswith("validation_") for key in extras)


def test_quality_score_is_searchable_and_a_facet(create_with_upload, sysadmin):
    fresh = dataset(user=sysadmin, name="fresh", update_frequency="irregular",
                    title_en="Car parks", temporal_start="2016-01-01",
                    temporal_end="2016-12-31", record_count="5", contact_name="张三",
                    contact_email="a@sh.gov.cn", app_scenarios=["停车"],
                    tags=[{"name": "停车"}])
    stale = dataset(user=sysadmin, name="stale", update_frequency="daily")
    upload(create_with_upload, sysadmin, fresh, VALID)
    upload(create_with_upload, sysadmin, stale, INVALID, name="parks.xls")
    work()
    quality = helpers.call_action("shanghai_dataset_quality_show", id="fresh")
    assert quality["parts"] == {"valid": 25, "complete": 25, "up_to_date": 25,
                                "open_format": 25}
    assert quality["score"] == 100 and quality["level"] == "high"
    assert helpers.call_action("shanghai_dataset_quality_show", id="stale")["score"] < 60
    found = helpers.call_action("package_search", fq="quality:[80 TO *]",
                                **{"facet.field": '["quality_level"]'})
    assert [d["name"] for d in found["results"]] == ["fresh"]
    everything = helpers.call_action("package_search", **{"facet.field": '["quality_level"]'})
    assert everything["facets"]["quality_level"] == {"high": 1, "low": 1}


def test_valid_data_is_in_the_datastore_typed_by_its_schema(app, create_with_upload,
                                                             sysadmin, parks):
    rows = [ROW.format(n=n).replace(",500,", f",{100 + n},").replace(
        "黄浦区", "浦东新区" if n % 2 else "黄浦区") for n in range(1, 31)]
    resource = upload(create_with_upload, sysadmin, parks, HEADER + "\n" + "\n".join(rows))
    invalid = upload(create_with_upload, sysadmin, parks, INVALID)
    work()
    assert helpers.call_action("shanghai_resource_validation_show",
                               id=resource["id"])["datastore_rows"] == 30
    found = helpers.call_action("datastore_search", resource_id=resource["id"],
                                filters={"district": "浦东新区"}, sort="total_spaces desc",
                                limit=5, offset=5)
    types = {f["id"]: f["type"] for f in found["fields"]}
    assert types["total_spaces"] == "int8" and types["longitude"] == "numeric"
    assert types["opened"] == "date"
    assert found["total"] == 15
    assert [r["total_spaces"] for r in found["records"]] == [119, 117, 115, 113, 111]
    assert helpers.call_action("datastore_search", resource_id=resource["id"],
                               q="P00000007")["total"] == 1
    # Only valid data enters the DataStore.
    with pytest.raises(helpers.logic.NotFound):
        helpers.call_action("datastore_search", resource_id=invalid["id"])
    with pytest.raises(KeyError):
        helpers.call_action("datastore_search_sql", sql="SELECT 1")
    # The resource page previews the data.
    page = app.get(f"/dataset/car-parks/resource/{resource['id']}").body
    assert "datatables_view" in page or "数据预览" in page


def test_credit_code_typo_is_explained_on_the_report_page(app, create_with_upload, sysadmin):
    firms = dataset(user=sysadmin, name="firms", data_domain="economy")
    header = "credit_code,name,enterprise_type,legal_representative,registered_capital," \
             "established,district,address,status"
    row = "{code},上海某某科技有限公司,有限责任公司,张三,100,2015-03-02,浦东新区,张江路1号,存续"
    content = "\n".join([header, row.format(code="91350100M000100Y43"),
                         row.format(code="91350100M000100Y47")]) + "\n"
    # No resource schema: economy's default (enterprise_registrations) applies.
    resource = upload(create_with_upload, sysadmin, firms, content, schema="")
    work()
    report = helpers.call_action("shanghai_resource_validation_show", id=resource["id"])
    assert report["schema"] == "enterprise_registrations"
    assert [(e["rowNumber"], e["type"]) for e in report["report"]["errors"]] == [
        (3, "credit-code-checksum")]
    page = app.get(f"/dataset/firms/resource/{resource['id']}/validation").body
    assert "校验位错误" in page and "应为「3」" in page
