"""Districts publishing DCAT, harvested with ckanext-dcat's dcat_rdf harvester and our
profile (ckanext/shanghai/harvest/dcat.py) from the local stand-in (harvesters/district_portal.py),
on a real database."""
from __future__ import annotations

import shutil
import urllib.request
from pathlib import Path

import pytest
import rdflib
from ckan import model
from ckan.tests import factories, helpers
from ckanext.dcat.processors import RDFParser

import harvesters
from ckanext.shanghai.harvest.operations import run_source
from ckanext.shanghai.harvest.seed import DISTRICT_SOURCES, ensure_district_sources
from harvesters.district_portal import DistrictPortal
from tests import factories as our_factories

PLUGINS = ("shanghai_search shanghai scheming_datasets activity harvest shanghai_department_harvester "
           "ckan_harvester shanghai_dcat_harvester")
pytestmark = [pytest.mark.ckan_config("ckan.plugins", PLUGINS),
              pytest.mark.usefixtures("with_plugins", "clean_db")]

ORG = DISTRICT_SOURCES["xuhui"][0]
DATASETS = 10


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the seed's district folders, for tests that change the catalogue."""
    shutil.copytree(harvesters.DISTRICTS, tmp_path / "districts")
    return tmp_path / "districts"


@pytest.fixture
def portal(folder):
    with DistrictPortal(folder) as served:
        yield served


@pytest.fixture
def source(portal):
    our_factories.domain_groups()
    factories.Organization(name=ORG, title="上海市徐汇区人民政府")
    factories.Organization(name=DISTRICT_SOURCES["pudong"][0])
    assert ensure_district_sources(portal.base_url) == 2
    return helpers.call_action("harvest_source_show", id="district-xuhui")


def _catalogue(folder: Path) -> Path:
    return folder / "xuhui" / "catalog.ttl"


def _edit(folder: Path, old: str, new: str) -> None:
    path = _catalogue(folder)
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _active() -> dict[str, model.Package]:
    query = model.Session.query(model.Package).filter(model.Package.type == "dataset",
                                                      model.Package.state == "active")
    return {p.name: p for p in query}


def test_the_district_serves_its_dcat_catalogue_and_files(portal):
    url = f"{portal.url('xuhui')}/catalog.ttl"
    head = urllib.request.urlopen(urllib.request.Request(url, method="HEAD"))
    assert head.headers["Content-Type"].startswith("text/turtle") and head.read() == b""
    graph = rdflib.Graph().parse(data=urllib.request.urlopen(url).read().decode("utf-8"), format="turtle")
    dcat = rdflib.Namespace("http://www.w3.org/ns/dcat#")
    assert len(set(graph.subjects(rdflib.RDF.type, dcat.Dataset))) == DATASETS
    downloads = sorted(str(o) for o in graph.objects(None, dcat.downloadURL))
    assert downloads[0] == f"{portal.url('xuhui')}/data-01.csv"  # {base} is the district's address
    with urllib.request.urlopen(downloads[0]) as r:
        assert r.read().decode("utf-8").startswith("停车场名称")


def test_the_profile_reads_dcat_vocabularies_into_our_fields():
    turtle = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
    @prefix skos: <http://www.w3.org/2004/02/skos/core#> .
    <https://d.example/ds/1> a dcat:Dataset ; dct:identifier " SH-A04-1 " ;
        dct:title "Bus stops"@en, "公交站点"@zh ;
        dcat:theme [ skos:prefLabel "交通出行"@zh ] ;
        dct:accrualPeriodicity <http://purl.org/cld/freq/semiannual> ;
        dct:accessRights [ a dct:RightsStatement ; rdfs:label "有条件开放"@zh ] ;
        dct:rights [ rdfs:label "需申请"@zh ] ;
        dct:issued "2016年12月02日" ; dct:modified "2016-13-40" ; dcat:keyword "公交, 站, 公交" ;
        dct:temporal [ dcat:startDate "2016-01-01T00:00:00+08:00" ; dcat:endDate "2016-12-31" ] ;
        dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://d.example/api/1> ;
                            dct:format "JSON" ] .
    [] a dcat:Dataset ; dct:title "无代码" ; dcat:theme <https://d.example/theme/weather> ;
        dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/BIENNIAL> ;
        dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> .
    """
    parser = RDFParser(profiles=["shanghai_dcat"])
    parser.parse(turtle, _format="turtle")
    first, second = sorted(parser.datasets(), key=lambda d: d["title"])
    assert first["name"] == "cat-sh-a04-1" and first["catalogue_code"] == "SH-A04-1"
    assert (first["title"], first["title_en"]) == ("公交站点", "Bus stops")
    assert (first["data_domain"], first["update_frequency"], first["open_type"]) == (
        "transport", "semiannual", "conditional")
    assert first["open_conditions"] == "需申请" and first["private"] is False
    assert first["release_date"] == "2016-12-02"
    assert (first["temporal_start"], first["temporal_end"]) == ("2016-01-01", "2016-12-31")
    assert first["tags"] == [{"name": "公交"}]  # split, one-character and repeated keywords dropped
    assert first["last_updated"] == "2016-13-40"  # passed on as written: validation names it
    assert first["resources"][0]["url"] == "https://d.example/api/1"
    assert first["extras"] == [{"key": "uri", "value": "https://d.example/ds/1"}]
    # what the profile cannot map is left for validation to refuse, by name
    assert "catalogue_code" not in second and "name" not in second
    assert second["data_domain"] == "https://d.example/theme/weather"
    assert second["update_frequency"].endswith("/BIENNIAL")
    assert (second["open_type"], second["private"], second["extras"]) == ("non_open", True, [])


def test_the_profile_knows_the_domains_of_the_configured_file(tmp_path, ckan_config, monkeypatch):
    path = our_factories.domains_file(tmp_path, extra="weather")
    monkeypatch.setitem(ckan_config, "ckanext.shanghai.domains_file", str(path))
    parser = RDFParser(profiles=["shanghai_dcat"])
    parser.parse("""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
        <https://d.example/ds/2> a dcat:Dataset ; dct:identifier "SH-W-1" ; dct:title "天气" ;
            dcat:theme <https://d.example/theme/weather> .""", _format="turtle")
    [dataset] = parser.datasets()
    assert dataset["data_domain"] == "weather"


def test_a_dcat_catalogue_is_harvested_into_our_schema_and_again_without_updates(portal, source):
    summary = run_source(source["id"])
    assert (summary.created, summary.errors, summary.gather_errors) == (DATASETS, 0, []), summary.messages
    harvested = _active()
    assert len(harvested) == DATASETS and all(p.owner_org == model.Group.get(ORG).id for p in harvested.values())

    shown = helpers.call_action("package_show", id="cat-xh-tran-0001")
    assert (shown["title"], shown["title_en"]) == ("徐汇区公共停车场（库）信息", "Xuhui public car parks")
    assert (shown["catalogue_code"], shown["data_domain"], shown["update_frequency"], shown["open_type"]) == (
        "XH-TRAN-0001", "transport", "monthly", "unconditional")
    assert (shown["release_date"], shown["last_updated"], shown["license_id"]) == ("2016-06-01", "2016-11-01", "cc-by")
    assert (shown["contact_name"], shown["contact_email"]) == ("徐汇区大数据中心数据开放科", "opendata@xuhui.example")
    assert [g["name"] for g in shown["groups"]] == ["transport"]
    assert {t["name"] for t in shown["tags"]} == {"停车", "徐汇区"}
    assert {e["key"]: e["value"] for e in shown["extras"]}["guid"] == \
        "https://opendata.xuhui.example/dataset/XH-TRAN-0001"
    resource = shown["resources"][0]
    assert (resource["format"], resource["url"]) == ("CSV", f"{portal.url('xuhui')}/data-01.csv")
    with urllib.request.urlopen(resource["url"]) as r:
        assert len(r.read()) == int(resource["size"])
    conditional = helpers.call_action("package_show", id="cat-xh-econ-0008")
    assert (conditional["open_type"], conditional["open_conditions"], conditional["license_id"]) == (
        "conditional", "需签署数据使用协议，仅限科研与公益用途", "other-closed")  # no licence given: by open type
    assert helpers.call_action("package_show", id="cat-xh-envi-0007")["data_domain"] == "environment"  # by URI
    assert helpers.call_action("package_show", id="cat-xh-urbn-0010")["update_frequency"] == "monthly"  # 每月

    again = run_source(source["id"])
    assert (again.created, again.updated, again.unchanged, again.errors) == (0, 0, DATASETS, 0), again.messages
    assert set(_active()) == set(harvested)
    assert helpers.call_action("package_show", id="cat-xh-tran-0001")["metadata_modified"] == shown["metadata_modified"]


def test_changed_removed_and_bad_datasets(folder, source):
    run_source(source["id"])
    _edit(folder, '"徐汇区公共自行车租赁点"@zh', '"徐汇区公共自行车租赁点（更新）"@zh')
    _edit(folder, "dcat:theme theme:A06", 'dcat:theme [ skos:prefLabel "天气预报"@zh ]')
    _edit(folder, "ds:XH-HLTH-0005,", "")
    _edit(folder, "ds:XH-HLTH-0005 a dcat:Dataset", "ds:XH-HLTH-0005 a dcat:Resource")
    summary = run_source(source["id"])
    assert (summary.created, summary.updated, summary.unchanged, summary.withdrawn, summary.errors) == (
        0, 1, DATASETS - 3, 1, 1), summary.messages
    assert helpers.call_action("package_show", id="cat-xh-tran-0002")["title"] == "徐汇区公共自行车租赁点（更新）"
    assert model.Package.get("cat-xh-hlth-0005").state == "deleted"
    [error] = summary.messages
    assert error.startswith("https://opendata.xuhui.example/dataset/XH-SAFE-0009: ")  # which dataset
    assert "Data domain" in error and "天气预报" in error and "safety (公共安全)" in error
    assert helpers.call_action("package_show", id="cat-xh-safe-0009")["data_domain"] == "safety"  # kept


def test_an_unreadable_catalogue_fails_its_job_and_changes_nothing(folder, source):
    run_source(source["id"])
    before = {name: p.metadata_modified for name, p in _active().items()}
    _catalogue(folder).write_text("@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<broken", encoding="utf-8")
    summary = run_source(source["id"])
    assert summary.gather_errors and "Error parsing the RDF file" in summary.gather_errors[0]
    assert (summary.created, summary.updated, summary.withdrawn) == (0, 0, 0)
    assert {name: p.metadata_modified for name, p in _active().items()} == before


def test_a_forced_import_reapplies_the_catalogue(source):
    run_source(source["id"])
    admin = factories.Sysadmin()
    helpers.call_action("package_patch", {"user": admin["name"]}, id="cat-xh-cult-0003", title="本地改动")
    helpers.call_action("harvest_objects_import", source_id=source["id"])
    assert helpers.call_action("package_show", id="cat-xh-cult-0003")["title"] == "徐汇区文化场馆与历史建筑"


def test_a_non_public_dataset_stays_private_to_its_district_across_harvests(folder, source):
    path = _catalogue(folder)
    head, block = path.read_text(encoding="utf-8").split("ds:XH-LIVE-0006 a dcat:Dataset", 1)
    path.write_text(head + "ds:XH-LIVE-0006 a dcat:Dataset" + block.replace("access:PUBLIC", "access:NON_PUBLIC", 1),
                    encoding="utf-8")
    assert run_source(source["id"]).created == DATASETS
    assert model.Package.get("cat-xh-live-0006").private is True
    again = run_source(source["id"])
    assert (again.unchanged, again.errors) == (DATASETS, 0), again.messages
    _edit(folder, '"徐汇区为老服务设施"@zh', '"徐汇区为老服务设施（内部）"@zh')
    changed = run_source(source["id"])
    assert (changed.updated, changed.errors) == (1, 0), changed.messages
    shown = model.Package.get("cat-xh-live-0006")
    assert (shown.title, shown.private) == ("徐汇区为老服务设施（内部）", True)


def test_a_withdrawn_dataset_that_comes_back_is_active_again(folder, source):
    run_source(source["id"])
    original = _catalogue(folder).read_text(encoding="utf-8")
    _edit(folder, "ds:XH-EDUC-0004 a dcat:Dataset", "ds:XH-EDUC-0004 a dcat:Resource")
    assert run_source(source["id"]).withdrawn == 1
    assert model.Package.get("cat-xh-educ-0004").state == "deleted"
    _catalogue(folder).write_text(original, encoding="utf-8")
    back = run_source(source["id"])
    assert (back.created, back.updated, back.errors) == (0, 1, 0), back.messages
    assert model.Package.get("cat-xh-educ-0004").state == "active"
    assert len(_active()) == DATASETS
