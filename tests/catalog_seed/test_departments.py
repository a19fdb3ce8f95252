"""departments.yaml: the municipal departments and the 16 districts, validated on reading."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from catalog_seed.departments import district_of, load_departments, organization_dict
from catalog_seed.places import DISTRICT_NAMES


def test_departments_cover_30_municipal_and_the_16_districts() -> None:
    departments = load_departments()
    kinds = Counter(d["kind"] for d in departments)
    assert kinds["municipal"] >= 30
    assert kinds["district"] == 16
    districts = {district_of(d) for d in departments if d["kind"] == "district"}
    assert districts == set(DISTRICT_NAMES)
    for title in ("上海市交通委员会", "上海市生态环境局", "上海市卫生健康委员会", "上海市大数据中心",
                  "上海市公共信用信息服务中心"):
        assert title in {d["title"] for d in departments}



def test_a_department_becomes_an_organisation_with_its_details_as_extras() -> None:
    department = load_departments()[0]
    organization = organization_dict(department)
    assert {k: organization[k] for k in ("name", "title", "description")} == {
        k: department[k] for k in ("name", "title", "description")}
    assert organization["extras"] == [{"key": key, "value": department[key]}
                                      for key in ("title_en", "description_en", "code", "kind")]


# --- departments.yaml validation ---------------------------------------------------

GOOD_ENTRY = """
  - name: sh-test
    code: "SHTEST"
    title: 上海市测试局
    title_en: Shanghai Test Bureau
    kind: municipal
    description: 测试。
    description_en: Test.
"""


def write_departments(tmp_path: Path, entries: str) -> Path:
    path = tmp_path / "departments.yaml"
    path.write_text("departments:" + entries, encoding="utf-8")
    return path


@pytest.mark.parametrize(("second_entry", "field"), [
    (GOOD_ENTRY.replace('    code: "SHTEST"\n', "").replace("sh-test", "sh-other"), "code"),
    (GOOD_ENTRY.replace('"SHTEST"', '"SHOTHER"'), "name"),
    (GOOD_ENTRY.replace("sh-test", "sh-other").replace("municipal", "county"), "kind"),
    (GOOD_ENTRY.replace("sh-test", "Sh Other").replace('"SHTEST"', '"SHOTHER"'), "name"),
    (GOOD_ENTRY.replace("sh-test", "sh-other").replace('"SHTEST"', '"SHOTHER"').replace("kind: municipal",
                                                                                        "kind: district"), "title"),
])
def test_load_departments_names_the_bad_entry_and_field(tmp_path: Path, second_entry: str, field: str) -> None:
    path = write_departments(tmp_path, GOOD_ENTRY + second_entry)
    with pytest.raises(ValueError, match=rf"departments\[1\] .*field '{field}'"):
        load_departments(path)


def test_load_departments_reads_a_good_file(tmp_path: Path) -> None:
    assert [d["name"] for d in load_departments(write_departments(tmp_path, GOOD_ENTRY))] == ["sh-test"]


def test_load_departments_rejects_an_entry_that_is_not_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"departments\[1\] \(\?\): must be a mapping"):
        load_departments(write_departments(tmp_path, GOOD_ENTRY + "  - just a string\n"))


def test_load_departments_rejects_a_file_without_a_list(tmp_path: Path) -> None:
    path = tmp_path / "departments.yaml"
    path.write_text("departments: {}\n", encoding="utf-8")
    with pytest.raises(ValueError, match="departments"):
        load_departments(path)
