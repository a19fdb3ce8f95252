"""The validation queue shown: a pending resource's place and expected time, the
operators' page and action, re-queueing on schema changes, and the scheduled
re-validation of URL resources, all with real rq jobs."""
from __future__ import annotations

import datetime
import json

import ckan.lib.jobs as jobs
import ckan.model as model
import pytest
from ckan.tests import factories, helpers
from hypothesis import given
from hypothesis import strategies as st
from rq.registry import FailedJobRegistry

from ckanext.shanghai.validation import queue, runner
from ckanext.shanghai.validation.model import Report
from tests.factories import dataset
from tests.validation.test_validation import VALID, upload

# No shared request context: pages are asked for in both languages.
pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db")


@pytest.fixture(autouse=True)
def _empty_queues():
    for name in (runner.QUEUE, "default"):
        jobs.get_queue(name).empty()
    registry = FailedJobRegistry(queue=jobs.get_queue(runner.QUEUE))
    for job_id in registry.get_job_ids():
        registry.remove(job_id, delete_job=True)
    jobs.get_queue(runner.QUEUE).connection.delete(queue.DIGESTS_KEY)


def work(*queues: str) -> None:
    """Run the queues' jobs in a real CKAN worker until they are empty."""
    jobs.Worker(list(queues) or [runner.QUEUE]).work(burst=True)
    model.Session.expire_all()  # the jobs ran in work-horse processes


def token(user: dict) -> dict[str, str]:
    """Request headers that log ``user`` in."""
    return {"Authorization": factories.APIToken(user=user["name"])["token"]}


def as_user(action: str, user: dict | None, **data):
    return helpers.call_action(action, context={"user": user["name"] if user else "",
                                                "ignore_auth": False}, **data)


def test_a_pending_resource_shows_its_place_and_the_expected_time(app, create_with_upload,
                                                                   sysadmin, parks):
    first = upload(create_with_upload, sysadmin, parks, VALID, name="a.csv")
    upload(create_with_upload, sysadmin, parks, VALID, name="b.csv")
    third = upload(create_with_upload, sysadmin, parks, VALID, name="c.csv")
    shown = helpers.call_action("shanghai_resource_validation_show", id=third["id"])
    assert shown["status"] == "pending"
    # No job has finished yet: the place is known, the time is not.
    assert shown["queue"] == {"ahead": 2, "position": 3, "expected_seconds": None}
    assert helpers.call_action("shanghai_resource_validation_show",
                               id=first["id"])["queue"]["ahead"] == 0
    page = app.get("/dataset/car-parks").body
    assert "排队中（第 3 个）" in page and 'data-ahead="2"' in page
    assert "排队中（第 1 个）" in page
    english = app.get(f"/en/dataset/car-parks/resource/{third['id']}").body
    assert "Queued (2 ahead)" in english
    work()
    shown = helpers.call_action("shanghai_resource_validation_show", id=third["id"])
    assert shown["status"] == "success" and "queue" not in shown
    # Once jobs have run, a queued resource gets an expected time from them.
    helpers.call_action("shanghai_resource_validation_run", id=first["id"])
    helpers.call_action("shanghai_resource_validation_run", id=third["id"])
    waiting = helpers.call_action("shanghai_resource_validation_show", id=third["id"])["queue"]
    assert waiting["ahead"] == 1 and waiting["expected_seconds"] > 0
    page = app.get(f"/dataset/car-parks/resource/{third['id']}").body
    assert "排队中（第 2 个）" in page and "预计" in page
    # package_show keeps its fields; the place is not stored in the dataset.
    resource = helpers.call_action("package_show", id=parks["id"])["resources"][2]
    assert resource["validation_status"] == "pending" and "queue" not in resource


def _history(gaps: list[float], run: float) -> list[tuple[datetime.datetime, datetime.datetime, datetime.datetime]]:
    start = datetime.datetime(2026, 1, 1)
    rows, finished = [], start
    for gap in gaps:
        finished += datetime.timedelta(seconds=gap)
        rows.append((start, finished - datetime.timedelta(seconds=min(run, gap)), finished))
    return rows


@given(st.lists(st.floats(0.01, 600), max_size=60), st.floats(0, 60),
       st.integers(0, 10_000), st.integers(0, 16))
def test_the_expected_time_grows_with_the_place_and_needs_history(gaps, run, ahead, workers):
    history = _history(gaps, run)
    found = queue.estimate(history, ahead, workers)
    if not history:
        assert found is None
        return
    assert found is not None and found >= 0
    further = queue.estimate(history, ahead + 1, workers)
    assert further is not None and further >= found


def test_busy_intervals_count_the_overhead_outside_the_job():
    # Jobs of 0.3 s each, finishing 1.5 s apart while the next was already queued:
    # the queue moves at 1.5 s a job, not 0.3 s.
    history = _history([1.5] * 10, 0.3)
    assert queue.estimate(history, 3, 1) == pytest.approx(6.0)


def test_operators_see_pending_running_and_failed_jobs_and_retry(app, create_with_upload,
                                                                  sysadmin, parks):
    good = upload(create_with_upload, sysadmin, parks, VALID, name="好.csv")
    # A job rq itself fails (the call raises before our code runs).
    jobs.enqueue(runner.validate_resource, [good["id"]], {"unexpected": 1}, queue=runner.QUEUE)
    work()
    upload(create_with_upload, sysadmin, parks, VALID, name="waiting.csv")
    found = helpers.call_action("shanghai_validation_queue_show",
                                context={"user": sysadmin["name"]})
    assert [r["resource_name"] for r in found["pending"]] == ["waiting.csv"]
    assert found["pending"][0]["dataset"] == "car-parks" and found["pending"][0]["position"] == 1
    assert found["pending"][0]["age_seconds"] >= 0
    assert [r["resource_id"] for r in found["failed"]] == [good["id"]]
    assert "TypeError" in found["failed"][0]["reason"]
    assert found["counts"]["failed"] == 1 and found["counts"]["pending"] == 1
    page = app.get("/ckan-admin/validation", headers=token(sysadmin))
    assert "校验队列" in page.body and "waiting.csv" in page.body and "TypeError" in page.body
    # Retry: queued again, and no longer among the failed jobs.
    again = helpers.call_action("shanghai_validation_retry", id=good["id"],
                                context={"user": sysadmin["name"]})
    assert again["status"] == "pending"
    found = helpers.call_action("shanghai_validation_queue_show",
                                context={"user": sysadmin["name"]})
    assert found["failed"] == [] and len(found["pending"]) == 2
    work()
    assert helpers.call_action("resource_show", id=good["id"])["validation_status"] == "success"


def test_validate_everything_again_queues_every_report(app, create_with_upload, sysadmin, parks):
    resources = [upload(create_with_upload, sysadmin, parks, VALID, name=f"{n}.csv")
                 for n in range(3)]
    work()
    before = {r["id"]: Report.get(r["id"]).finished for r in resources}
    page = app.post("/ckan-admin/validation/revalidate",
                    headers=token(sysadmin)).body
    assert "稍后" in page  # the flash message, back on the queue page
    assert jobs.get_queue("default").count == 1
    work("default")
    assert {Report.get(r).status for r in before} == {"pending"}
    assert jobs.get_queue(runner.QUEUE).count == 3
    work()
    model.Session.expire_all()
    for resource_id, finished in before.items():
        report = Report.get(resource_id)
        assert report.status == "success" and report.finished > finished


@pytest.mark.parametrize("who", ["anonymous", "user", "editor"])
def test_only_sysadmins_see_or_work_the_queue(app, create_with_upload, sysadmin, parks, who):
    resource = upload(create_with_upload, sysadmin, parks, VALID)
    user = None if who == "anonymous" else factories.User()
    if who == "editor":
        helpers.call_action("organization_member_create", id=parks["owner_org"],
                            username=user["name"], role="editor")
    for action, data in (("shanghai_validation_queue_show", {}),
                         ("shanghai_validation_retry", {"id": resource["id"]}),
                         ("shanghai_validation_revalidate_all", {})):
        with pytest.raises(helpers.logic.NotAuthorized):
            as_user(action, user, **data)
    environ = token(user) if user else {}
    assert app.get("/ckan-admin/validation", headers=environ, status=403)
    for url in ("/ckan-admin/validation/revalidate",
                f"/ckan-admin/validation/retry/{resource['id']}"):
        # anonymous: refused by the CSRF guard (400) before the view (403)
        assert app.post(url, headers=environ).status_code == (403 if user else 400)
    assert jobs.get_queue("default").count == 0


def test_a_changed_resource_schema_queues_its_resource_again(create_with_upload, sysadmin,
                                                             parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID)
    work()
    assert Report.get(resource["id"]).schema_name == "car_parks"
    package = helpers.call_action("package_show", id=parks["id"])
    package["resources"][0]["schema"] = "bus_lines"
    helpers.call_action("package_update", context={"user": sysadmin["name"]}, **package)
    assert Report.get(resource["id"]).status == "pending"
    assert jobs.get_queue(runner.QUEUE).count == 1
    work()
    report = Report.get(resource["id"])
    assert report.schema_name == "bus_lines" and report.status == "failure"
    # An update that changes nothing about schemas queues nothing.
    helpers.call_action("package_patch", context={"user": sysadmin["name"]}, id=parks["id"],
                        notes="新的说明")
    assert jobs.get_queue(runner.QUEUE).count == 0


def test_a_resource_added_by_package_update_is_queued_and_its_siblings_are_not(
        create_with_upload, sysadmin, parks):
    first = upload(create_with_upload, sysadmin, parks, VALID)
    work()
    package = helpers.call_action("package_show", id=parks["id"])
    package["resources"].append({"url": "http://example.gov.cn/parks.csv", "format": "CSV",
                                 "schema": "car_parks", "name": "停车场（链接）"})
    helpers.call_action("package_update", context={"user": sysadmin["name"]}, **package)
    added = helpers.call_action("package_show", id=parks["id"])["resources"][-1]
    assert Report.get(added["id"]).status == "pending"
    assert Report.get(first["id"]).status == "success"
    assert jobs.get_queue(runner.QUEUE).count == 1


def test_a_changed_domain_queues_resources_that_use_its_default(create_with_upload, sysadmin,
                                                                parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID, schema="")
    work()
    assert Report.get(resource["id"]).schema_name == "bus_lines"
    helpers.call_action("package_patch", context={"user": sysadmin["name"]}, id=parks["id"],
                        data_domain="economy")
    work()
    assert Report.get(resource["id"]).schema_name == runner.domain_defaults()["economy"]


def test_a_changed_registered_schema_queues_its_resources(create_with_upload, sysadmin, parks):
    resource = upload(create_with_upload, sysadmin, parks, VALID)
    other = upload(create_with_upload, sysadmin, parks, VALID, schema="bus_lines")
    work()
    assert queue.schedule_round() == {"schema_changed": 0, "due": 0}
    # As if car_parks.json had been edited since the last validation: the report was
    # made against another descriptor, and the round last saw another file.
    report = Report.get(resource["id"])
    old = json.loads(report.source)
    old[-1][1] = dict(old[-1][1], description="an older version")
    report.source = json.dumps(old, ensure_ascii=False)
    model.Session.commit()
    connection = jobs.get_queue(runner.QUEUE).connection
    connection.hset(queue.DIGESTS_KEY, "car_parks", "an older digest")
    assert queue.schedule_round() == {"schema_changed": 1, "due": 0}
    assert Report.get(resource["id"]).status == "pending"
    assert Report.get(other["id"]).status == "failure"  # VALID does not fit bus_lines
    work()
    assert Report.get(resource["id"]).status == "success"
    # The round remembers the file: the next one queues nothing.
    assert queue.schedule_round() == {"schema_changed": 0, "due": 0}


def test_url_resources_are_validated_again_as_their_update_frequency_says(
        create_with_upload, sysadmin, http_files):
    folder, base = http_files
    (folder / "parks.csv").write_text(VALID, encoding="utf-8")
    made = {}
    for frequency in ("daily", "monthly", "irregular"):
        package = dataset(user=sysadmin, update_frequency=frequency)
        made[frequency] = helpers.call_action(
            "resource_create", context={"user": sysadmin["name"]}, package_id=package["id"],
            url=f"{base}/parks.csv", format="CSV", schema="car_parks")
    daily_upload = upload(create_with_upload, sysadmin, dataset(user=sysadmin,
                          update_frequency="daily"), VALID)
    work()
    first = {k: Report.get(r["id"]).finished for k, r in made.items()}
    assert queue.schedule_round() == {"schema_changed": 0, "due": 0}
    # Two days later: the daily one is due, the monthly and irregular ones and the
    # uploaded file are not.
    later = datetime.datetime.now(datetime.timezone.utc).replace(tzinfo=None) \
        + datetime.timedelta(days=2)
    assert queue.schedule_round(later) == {"schema_changed": 0, "due": 1}
    assert Report.get(made["daily"]["id"]).status == "pending"
    assert Report.get(daily_upload["id"]).status == "success"
    (folder / "parks.csv").write_text(VALID.replace(",500,", ",五百,"), encoding="utf-8")
    work()
    model.Session.expire_all()
    report = Report.get(made["daily"]["id"])
    assert report.status == "failure" and report.finished > first["daily"]
    assert Report.get(made["monthly"]["id"]).finished == first["monthly"]
    # Forty days on, the monthly one is due too; the irregular one never.
    far = later + datetime.timedelta(days=40)
    assert queue.schedule_round(far) == {"schema_changed": 0, "due": 2}
    assert Report.get(made["irregular"]["id"]).status == "success"
