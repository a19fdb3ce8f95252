"""The validation job against what changes under it: a file gone from storage, a
resource deleted while its job waits. Each ends with a clear status, and the worker
goes on to the next job."""
from __future__ import annotations

from pathlib import Path

import ckan.lib.jobs as jobs
import ckan.lib.uploader as uploader
import pytest
from ckan.tests import helpers

from ckanext.shanghai.stack.worker import Worker
from ckanext.shanghai.validation import runner
from ckanext.shanghai.validation.model import Report

pytestmark = pytest.mark.usefixtures("with_plugins", "clean_db", "with_request_context")

HEADER = "park_id,name,district,address,longitude,latitude,total_spaces,hourly_fee,phone,opened"
ROW = "P{n:08d},人民广场停车场,黄浦区,人民大道200号,121.475,31.232,500,10.0,021-63181234,2001-05-01"
VALID = HEADER + "\n" + "\n".join(ROW.format(n=n) for n in range(1, 6)) + "\n"


@pytest.fixture(autouse=True)
def _empty_queue():
    jobs.get_queue(runner.QUEUE).empty()


def _upload(create_with_upload, sysadmin, package, name="parks.csv"):
    return create_with_upload(VALID, name, package_id=package["id"], url=name, format="CSV",
                              schema="car_parks", context={"user": sysadmin["name"]})


def _work() -> list[str]:
    """Drain the queue in our worker; the jobs' results in order."""
    queued = jobs.get_queue(runner.QUEUE).get_jobs()
    Worker([runner.QUEUE]).work(burst=True)
    return [job.return_value() for job in queued]


def test_a_file_gone_from_storage_ends_as_error_and_the_worker_goes_on(create_with_upload,
                                                                        sysadmin, parks):
    gone = _upload(create_with_upload, sysadmin, parks, "gone.csv")
    kept = _upload(create_with_upload, sysadmin, parks, "kept.csv")
    Path(uploader.get_resource_uploader(gone).get_path(gone["id"])).unlink()
    assert _work() == ["error", "success"]
    report = Report.get(gone["id"])
    assert report.status == "error" and report.finished is not None
    assert "no longer in storage" in report.message and "不在存储中" in report.message_zh
    assert Report.get(kept["id"]).status == "success"
    shown = helpers.call_action("resource_show", id=gone["id"])
    assert shown["validation_status"] == "error"


def test_a_resource_deleted_while_its_job_waits_leaves_no_report(create_with_upload,
                                                                 sysadmin, parks):
    deleted = _upload(create_with_upload, sysadmin, parks, "deleted.csv")
    kept = _upload(create_with_upload, sysadmin, parks, "kept.csv")
    assert Report.get(deleted["id"]).status == "pending"
    helpers.call_action("resource_delete", context={"user": sysadmin["name"]}, id=deleted["id"])
    assert _work() == ["gone", "success"]
    assert Report.get(deleted["id"]) is None  # nothing written back for a deleted resource
    assert Report.get(kept["id"]).status == "success"
    assert [r["id"] for r in helpers.call_action("package_show", id=parks["id"])["resources"]] \
        == [kept["id"]]
