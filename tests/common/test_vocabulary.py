"""The controlled vocabularies: read from schemas/, and the same wherever they are used."""
from __future__ import annotations

import datetime as dt

import pytest
import yaml
from ckan import model

from ckanext.shanghai.common import vocabulary
from ckanext.shanghai.common.domains import DEFAULT_FILE, load_domains
from ckanext.shanghai.harvest import dcat
from ckanext.shanghai.harvest.mapping import MappingError, domain_of, map_entry
from ckanext.shanghai.harvest.readers import CatalogueEntry, Location
from ckanext.shanghai.validation import quality
from tests import factories as our_factories

CHOICE_FIELDS = ("open_type", "share_type", "update_frequency")


def _schema_choices(field_name: str) -> list[tuple[str, str, str]]:
    fields = yaml.safe_load(vocabulary.DATASET_SCHEMA.read_text(encoding="utf-8"))["dataset_fields"]
    field = next(f for f in fields if f["field_name"] == field_name)
    return [(c["value"], c["label"]["zh_Hans_CN"], c["label"]["en"]) for c in field["choices"]]


@pytest.mark.parametrize("field_name", CHOICE_FIELDS)
def test_the_lists_are_the_choices_of_the_dataset_schema(field_name):
    terms = vocabulary.choices(field_name)
    assert [(t.code, t.title, t.title_en) for t in terms] == _schema_choices(field_name)
    named = {"open_type": vocabulary.open_types, "share_type": vocabulary.share_types,
             "update_frequency": vocabulary.update_frequencies}[field_name]
    assert named() == terms
    assert terms[0].label("en_GB") == terms[0].title_en and terms[0].label("zh_Hans_CN") == terms[0].title


def test_a_field_without_choices_is_refused():
    with pytest.raises(ValueError, match="no choice field 'title'"):
        vocabulary.choices("title")


def test_every_open_type_has_a_licence_of_ckans_register():
    licences = {t.code: vocabulary.licence_for(t.code) for t in vocabulary.open_types()}
    assert licences == {"unconditional": "cc-by", "conditional": "other-closed", "non_open": "other-closed"}
    register = model.Package.get_license_register()
    assert all(register.get(licence) is not None for licence in licences.values())
    assert vocabulary.licence_for("open-ish") is None


@pytest.mark.parametrize("field_name", CHOICE_FIELDS)
def test_spellings_lead_only_to_codes_and_cover_every_code_and_label(field_name):
    spellings = vocabulary.spellings(field_name)
    codes = {t.code for t in vocabulary.choices(field_name)}
    assert set(spellings.values()) == codes
    for term in vocabulary.choices(field_name):
        assert spellings[term.code] == spellings[term.title] == term.code


def test_what_is_returned_cannot_be_changed() -> None:
    with pytest.raises(TypeError):
        vocabulary.spellings("open_type")["开放"] = "unconditional"  # type: ignore[index]
    with pytest.raises(AttributeError):
        vocabulary.open_types()[0].code = "open"  # type: ignore[misc]


@pytest.fixture
def facts_file(tmp_path, monkeypatch):
    """Point the loader at a copy of schemas/vocabulary.yaml; returns a function that edits it."""
    path = tmp_path / "vocabulary.yaml"
    data = yaml.safe_load(vocabulary.FACTS_FILE.read_text(encoding="utf-8"))
    monkeypatch.setattr(vocabulary, "FACTS_FILE", path)

    def write(change) -> None:
        change(data)
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        vocabulary._facts.cache_clear()

    yield write
    vocabulary._facts.cache_clear()


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["licence_by_open_type"].update(open="cc-by"), "does not have: \\['open'\\]"),
    (lambda d: d["licence_by_open_type"].pop("conditional"), "no licence for \\['conditional'\\]"),
    (lambda d: d["update_period_days"].update(hourly=1), "update_frequency does not have: \\['hourly'\\]"),
    (lambda d: d["aliases"]["update_frequency"].update(每小时="hourly"), "aliases.update_frequency"),
])
def test_a_facts_file_naming_unknown_codes_is_refused(facts_file, change, message):
    facts_file(change)
    with pytest.raises(ValueError, match=message):
        vocabulary.licence_for("conditional")


def test_the_quality_score_keeps_each_frequencys_period():
    today = dt.date(2017, 1, 31)
    for term in vocabulary.update_frequencies():
        days = vocabulary.update_period_days(term.code)
        if term.code == "irregular":
            assert days is None
            continue
        assert days is not None and days > 0
        fresh = {"update_frequency": term.code, "last_updated": str(today - dt.timedelta(days=days))}
        stale = {"update_frequency": term.code,
                 "last_updated": str(today - dt.timedelta(days=int(days * 1.25) + 1))}
        assert quality.score(fresh, [], 0, today)["parts"]["up_to_date"] == 25, term.code
        assert quality.score(stale, [], 0, today)["parts"]["up_to_date"] == 0, term.code
    old = {"update_frequency": "irregular", "last_updated": "2001-01-01"}
    assert quality.score(old, [], 0, today)["parts"]["up_to_date"] == 25


def test_the_dcat_profiles_tables_lead_to_codes():
    assert set(dcat.FREQUENCIES.values()) <= {t.code for t in vocabulary.update_frequencies()}
    assert set(dcat.ACCESS_RIGHTS.values()) == {t.code for t in vocabulary.open_types()}


def _entry(**fields: str) -> CatalogueEntry:
    base = {"code": "A0401-SHJTW-1", "name": "公交线路", "classification": "道路交通",
            "open_type": "有条件开放", "update_cycle": "每季度"}
    return CatalogueEntry(fields={**base, **fields}, location=Location("c.csv", None, 2))


@pytest.mark.parametrize("field_name", CHOICE_FIELDS)
def test_the_mapping_accepts_every_label_and_lists_them_all_when_refusing(field_name):
    key = "update_cycle" if field_name == "update_frequency" else field_name
    for term in vocabulary.choices(field_name):
        data = map_entry(_entry(**{key: term.title}), owner_org="o", domains=vocabulary.domain_table())
        assert data[field_name] == term.code
    with pytest.raises(MappingError) as caught:
        map_entry(_entry(**{key: "看情况"}), owner_org="o", domains=vocabulary.domain_table())
    [problem] = caught.value.problems
    assert problem.expected_zh == "应为 " + "/".join(t.title for t in vocabulary.choices(field_name)) + " 之一"


def test_the_mapping_gives_each_open_type_its_licence():
    for term in vocabulary.open_types():
        data = map_entry(_entry(open_type=term.title), owner_org="o", domains=vocabulary.domain_table())
        assert data["license_id"] == vocabulary.licence_for(term.code)


def test_the_domains_are_those_of_common_domains():
    assert vocabulary.domains() == load_domains(DEFAULT_FILE)
    assert vocabulary.domain_table().domains == load_domains(DEFAULT_FILE)


def test_every_shipped_classification_leads_to_a_shipped_domain():
    raw = yaml.safe_load(vocabulary.CLASSIFICATION_FILE.read_text(encoding="utf-8"))
    table = vocabulary.domain_table()
    assert set(raw["codes"].values()) | set(raw["names"].values()) <= table.codes
    assert len(table.by_class_code) == len(raw["codes"]) and len(table.by_class_name) == len(raw["names"])


def test_a_domain_the_file_lacks_is_never_given(tmp_path):
    table = vocabulary.domain_table(our_factories.domains_file(tmp_path, without="transport"))
    assert "transport" not in table.codes and "transport" not in table.by_class_code.values()
    assert domain_of("道路交通", domains=table) is None
    assert domain_of("卫生健康", domains=table) == "health"
    with pytest.raises(MappingError) as caught:
        map_entry(_entry(), owner_org="o", domains=table)
    assert [p.code for p in caught.value.problems] == ["unknown_domain"]
