"""Search benchmark at portal scale (200,000 datasets by default), measured in one run.

The index is bulk-loaded: ``TEMPLATES`` synthetic datasets go through CKAN's
``package_create`` and our indexer, then their index rows are copied in SQL, with
new ids, names and dates, up to the wanted size (the create rate is not measured
here). Set ``BENCH_SEARCH_DATASETS`` (for example ``20000``) for a quick run, or
pass ``--sizes``.

For each query of ``QUERIES`` (six facets and rows=20 on every one) it reports p50
and p95 of ``package_search`` and of the ``/dataset`` page, how many runs went over
the statement budget (a 400 to the user; their time stays in the samples), then the
whole mix, and the ratio of ``package_search`` to the same search as bare SQL on
the index. Searches are cached (keyed by the index generation; no write happens
during the bench), so ``package_search`` is measured twice: computed (the cache
emptied before each run; these are the figures of the mix) and answered from the
cache (a repeated search); the ``/dataset`` page is measured computed. ``BENCH_SEARCH_EXPLAIN=1``
also prints ``EXPLAIN (ANALYZE, BUFFERS)`` of every statement each query sends.
"""
from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search.common import SearchQueryError
from flask import Flask

from bench import percentile, print_table
from ckanext.shanghai.common.domains import load_domains
from ckanext.shanghai.search import backend

WORDS = ["公交", "停车", "空气质量", "医院", "学校", "养老", "景区", "信用", "企业", "道路",
         "地铁", "绿地", "消防", "社区", "食品安全", "水质", "专利", "充电桩", "图书馆", "菜市场"]
PLACES = ["黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定",
          "浦东", "金山", "松江", "青浦", "奉贤", "崇明"]
KINDS = ["基本信息", "实时状态", "统计数据", "名录", "分布", "监测数据", "年度报告", "服务网点"]
FORMATS = ["CSV", "XLSX", "JSON"]
LICENSES = ["cc-by", "cc-zero", "odc-by"]
OPEN_TYPES = ["unconditional"] * 6 + ["conditional"] * 3 + ["non_open"]
FACETS = ["organization", "groups", "tags", "res_format", "license_id", "data_domain"]
TEMPLATES = 300
#: Distinct tags the copies of the templates add, one each (see ``_bulk_load``).
TOPICS = 3000
ORGS = 20
#: The query mix: name → package_search parameters (facets and rows are added).
#: The /dataset page gets the same parameters as its own URL arguments.
QUERIES: dict[str, dict[str, Any]] = {
    "landing (match all)": {"q": ""},
    "word 公交": {"q": "公交"},
    "compound 浦东空气质量": {"q": "浦东空气质量"},
    "phrase \"空气质量监测\"": {"q": '"空气质量监测"'},
    "synonym 轨道交通 (地铁)": {"q": "轨道交通"},
    "domain filter": {"q": "公交", "fq": "data_domain:transport"},
    "organisation filter": {"q": "", "fq": "organization:bench-dept-03"},
    "empty organisation": {"q": "", "fq": "organization:bench-dept-empty"},
    "deep paging start=5000": {"q": "", "start": 5000},
    "relaxed 公交 图书馆 专利 养老": {"q": "公交 图书馆 专利 养老"},
}


def synthetic_dataset(i: int, rng: random.Random, orgs: list[str],
                      domains: list[str]) -> dict[str, Any]:
    """A plausible dataset of our schema; deterministic for a given ``rng`` state."""
    word = rng.choice(WORDS)
    open_type = rng.choice(OPEN_TYPES)
    return {
        "name": f"bench-{i:06d}",
        "title": f"{rng.choice(PLACES)}区{word}{rng.choice(KINDS)}",
        "notes": f"{word}相关的{rng.choice(KINDS)}，覆盖{rng.choice(PLACES)}等区。示例数据。",
        "owner_org": rng.choice(orgs),
        "data_domain": rng.choice(domains),
        "open_type": open_type,
        "share_type": "conditional",
        "catalogue_code": f"B{i:06d}",
        "update_frequency": "monthly",
        "release_date": f"{rng.randint(2014, 2016)}-{rng.randint(1, 12):02d}-01",
        "record_count": rng.randint(10, 100000),
        "license_id": rng.choice(LICENSES),
        "tags": [{"name": t} for t in rng.sample(WORDS, 3)],
        "resources": [{"url": f"http://example.gov.cn/{i}.{f.lower()}", "format": f,
                       "name": f"{word}数据"} for f in rng.sample(FORMATS, rng.randint(1, 2))],
    }


def _percentile(samples: list[float], q: int) -> float:
    """In milliseconds, of samples in seconds."""
    return percentile(samples, q) * 1000


def _time(fn: Callable[[], Any], runs: int, *, cold: bool = False) -> list[float]:
    """Seconds of ``runs`` calls after one warm-up; with ``cold``, the search cache
    is emptied before each (outside the time)."""
    fn()  # warm caches and plans
    samples = []
    for _ in range(runs):
        if cold:
            backend.clear_cache()
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def _admin() -> dict[str, Any]:
    # CKAN actions write into their context: each call gets a fresh one.
    return {"user": "bench-admin", "ignore_auth": True}


def _templates(seed: int) -> None:
    """``TEMPLATES`` datasets through CKAN's actions, indexed by our indexer."""
    if not model.User.get("bench-admin"):
        tk.get_action("user_create")({"ignore_auth": True}, {
            "name": "bench-admin", "email": "bench@example.gov.cn", "password": "bench-pass-123"})
    domains = [d.code for d in load_domains()]
    orgs = []
    for n in [*range(ORGS), "empty"]:
        name = f"bench-dept-{n:02d}" if isinstance(n, int) else f"bench-dept-{n}"
        if not model.Group.by_name(name):
            tk.get_action("organization_create")(_admin(), {"name": name, "title": f"测试部门{n}"})
        orgs.append(name)
    if model.Package.by_name(f"bench-{TEMPLATES - 1:06d}"):
        return  # a database kept from an earlier run: its index is reused
    rng = random.Random(seed)
    for i in range(TEMPLATES):
        tk.get_action("package_create")(_admin(), synthetic_dataset(i, rng, orgs[:-1], domains))


def _bulk_load(size: int) -> float:
    """Copies the template rows in SQL until the index holds ``size`` bench rows;
    the secondary indexes are dropped during the copy and built again after it.
    Returns the seconds it took."""
    start = time.perf_counter()
    have = model.Session.execute(sa.text(
        "SELECT count(*) FROM shanghai_search_index WHERE name LIKE 'bench-%'")).scalar_one()
    indexes = model.Session.execute(sa.text(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'shanghai_search_index' "
        "AND indexname NOT LIKE '%pkey'")).all()
    for name, _ in indexes:
        model.Session.execute(sa.text(f'DROP INDEX "{name}"'))
    # Row g copies template g mod TEMPLATES, with its own id, name and dates, and one
    # tag of TOPICS more: a real catalogue's tags are many, so no two datasets' facet
    # values are alike often enough for a count to reuse one's work for the other.
    model.Session.execute(sa.text("""
        INSERT INTO shanghai_search_index (id, name, title, state, private, dataset_type,
            organization, metadata_created, metadata_modified, permission_labels,
            facet_values, fields, search_vector, tag_vector, rank_vector, quality,
            data_dict, validated_data_dict)
        SELECT md5('bench' || g), 'bench-' || lpad(g::text, 6, '0'), t.title, t.state,
               t.private, t.dataset_type, t.organization,
               t.metadata_created - make_interval(mins => g),
               t.metadata_modified - make_interval(mins => g),
               t.permission_labels,
               t.facet_values || ('tags:话题' || g % CAST(:topics AS int)),
               jsonb_set(t.fields, '{tags}', COALESCE(t.fields -> 'tags', '[]')
                         || to_jsonb('话题' || g % CAST(:topics AS int))),
               t.search_vector, t.tag_vector, t.rank_vector,
               t.quality, t.data_dict, t.validated_data_dict
        FROM generate_series(CAST(:have AS int), CAST(:size AS int) - 1) AS g
        JOIN (SELECT s.*, row_number() OVER (ORDER BY s.name) - 1 AS k
              FROM shanghai_search_index s
              WHERE s.name LIKE 'bench-%' AND s.name < :first_copy) t
          ON t.k = g % :templates
    """), {"have": have, "size": size, "templates": TEMPLATES, "topics": TOPICS,
           "first_copy": f"bench-{TEMPLATES:06d}"})
    for _, definition in indexes:
        model.Session.execute(sa.text(definition))
    model.Session.commit()
    model.Session.execute(sa.text("ANALYZE shanghai_search_index"))
    model.Session.commit()
    return time.perf_counter() - start


def _search_params(params: dict[str, Any]) -> dict[str, Any]:
    return {**params, "rows": 20, "facet.field": FACETS, "facet.limit": 50}


def _explain(label: str, search: Callable[[], Any]) -> None:
    """Prints ``EXPLAIN ANALYZE`` of each statement one run of ``search`` sends to the
    index (``BENCH_SEARCH_EXPLAIN=1``): where the time of a slow query goes."""
    sent: list[tuple[str, Any]] = []

    def record(conn: Any, cursor: Any, statement: str, parameters: Any, *args: Any) -> None:
        if "shanghai_search_index" in statement and not statement.startswith("EXPLAIN"):
            sent.append((statement, parameters))

    engine = model.Session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        search()
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    cursor = model.Session.connection().connection.cursor()
    for statement, parameters in sent:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        print(f"--- {label}: {statement.split(chr(10))[0][:100]}\n{plan}\n", flush=True)
    model.Session.rollback()


def _package_search(params: dict[str, Any], refused: dict[str, int]) -> dict[str, Any]:
    """``package_search`` as an anonymous visitor; a search over the statement budget
    (a 400 to the user) is counted in ``refused["api"]`` and its time kept."""
    try:
        result: dict[str, Any] = tk.get_action("package_search")(
            {"ignore_auth": False, "user": ""}, _search_params(params))
    except SearchQueryError:
        refused["api"] += 1
        return {"count": -1}
    return result


def _page_url(params: dict[str, Any]) -> dict[str, Any]:
    """The /dataset page arguments that make the same search (20 a page)."""
    args: dict[str, Any] = {"q": params.get("q", "")}
    if "fq" in params:
        field, value = params["fq"].split(":", 1)
        args[field] = value
    if "start" in params:
        args["page"] = params["start"] // 20 + 1
    return args


def _bare_sql() -> Callable[[], None]:
    """The domain-filter query written by hand as SQL on the index table."""
    where = ("search_vector @@ CAST(:tsq AS tsquery) AND fields @> CAST(:domain AS jsonb) "
             "AND state = 'active' AND permission_labels && ARRAY['public']")
    statements = [
        sa.text(f"SELECT count(*) FROM shanghai_search_index WHERE {where}"),
        sa.text(f"SELECT id, validated_data_dict FROM shanghai_search_index WHERE {where} "
                "ORDER BY ts_rank_cd(search_vector, CAST(:tsq AS tsquery)) "
                "+ coalesce(ts_rank_cd(tag_vector, CAST(:tsq AS tsquery)), 0) DESC, "
                "metadata_modified DESC LIMIT 20"),
        # The facets as the backend reads them: the matches' codes, counted by the caller.
        sa.text(f"SELECT string_agg(facet_codes, ''::bytea) FROM shanghai_search_index "
                f"WHERE {where}"),
    ]
    params = {"tsq": "'公交'", "domain": '{"data_domain": ["transport"]}'}

    def run() -> None:
        for statement in statements:
            model.Session.execute(statement, params).all()
    return run


def run(app: Flask, sizes: tuple[int, ...], runs: int = 20,
        seed: int = 2016) -> list[dict[str, Any]]:
    """Load ``sizes`` datasets cumulatively and return one figures dict per size."""
    _templates(seed)
    client = app.test_client()
    figures = []
    for size in sizes:
        load_s = _bulk_load(size)
        per_query = []
        all_api: list[float] = []
        all_cached: list[float] = []
        all_page: list[float] = []
        for label, params in QUERIES.items():
            refused = {"api": 0, "page": 0}

            def action(params: dict[str, Any] = params,
                       refused: dict[str, int] = refused) -> dict[str, Any]:
                return _package_search(params, refused)

            def page(params: dict[str, Any] = params,
                     refused: dict[str, int] = refused) -> None:
                response = client.get("/dataset/", query_string=_page_url(params))
                assert response.status_code in (200, 400), response.status_code
                refused["page"] += response.status_code == 400

            api, cached = _time(action, runs, cold=True), _time(action, runs)
            html = _time(page, runs, cold=True)
            if os.environ.get("BENCH_SEARCH_EXPLAIN"):
                backend.clear_cache()
                _explain(label, action)
            all_api += api
            all_cached += cached
            all_page += html
            per_query.append({"query": label, "matches": action()["count"],
                              "refused": f"{refused['api']}/{refused['page']}",
                              "api_p50": _percentile(api, 50), "api_p95": _percentile(api, 95),
                              "cached_p50": _percentile(cached, 50),
                              "cached_p95": _percentile(cached, 95),
                              "page_p50": _percentile(html, 50),
                              "page_p95": _percentile(html, 95)})
        domain = _time(lambda: _package_search(QUERIES["domain filter"], {"api": 0}), runs,
                       cold=True)
        sql = _time(_bare_sql(), runs)
        figures.append({
            "datasets": size, "load_s": load_s, "queries": per_query,
            "api_p50": _percentile(all_api, 50), "api_p95": _percentile(all_api, 95),
            "cached_p50": _percentile(all_cached, 50), "cached_p95": _percentile(all_cached, 95),
            "page_p50": _percentile(all_page, 50), "page_p95": _percentile(all_page, 95),
            "to_sql_p50": _percentile(domain, 50) / _percentile(sql, 50),
        })
    return figures


def report(figures: list[dict[str, Any]]) -> None:
    """Print the figures as tables: one per size, then the summary."""
    for f in figures:
        print_table(
            f"search at {f['datasets']} datasets (6 facets, rows=20; ms)",
            ("query", "matches", "package_search p50", "p95", "cached p50", "p95",
             "/dataset p50", "p95", "over budget (api/page)"),
            ([q["query"], str(q["matches"]), f"{q['api_p50']:.1f}", f"{q['api_p95']:.1f}",
              f"{q['cached_p50']:.1f}", f"{q['cached_p95']:.1f}",
              f"{q['page_p50']:.1f}", f"{q['page_p95']:.1f}", q["refused"]]
             for q in f["queries"]))
    print_table(
        "search mix summary (ms; package_search computed, then cached; search÷SQL: the "
        "domain-filter query computed against bare SQL)",
        ("datasets", "bulk load s", "package_search p50", "p95", "cached p50", "p95",
         "/dataset p50", "p95", "search÷SQL p50"),
        ([str(f["datasets"]), f"{f['load_s']:.1f}", f"{f['api_p50']:.1f}",
          f"{f['api_p95']:.1f}", f"{f['cached_p50']:.1f}", f"{f['cached_p95']:.1f}",
          f"{f['page_p50']:.1f}", f"{f['page_p95']:.1f}",
          f"{f['to_sql_p50']:.2f}"] for f in figures))


def default_sizes() -> str:
    """``BENCH_SEARCH_DATASETS`` (comma-separated, cumulative), 200,000 by default."""
    return os.environ.get("BENCH_SEARCH_DATASETS", "200000")
