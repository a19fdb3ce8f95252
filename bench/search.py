"""Search benchmark: loads synthetic datasets and measures, in one run,

* the rate of CKAN's ``package_create`` with indexing off (a no-op index) — the baseline;
* our indexing rate (``search.rebuild`` into the PostgreSQL index), as a ratio to it;
* p50/p95 of ``package_search`` for a fixed query mix (a Chinese word, a domain filter,
  six facets, rows=20), and the ratio to the same query as bare SQL on the index table.
"""
from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from typing import Any

import ckan.lib.search as search
import ckan.model as model
import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan.lib.search.index import NoopSearchIndex

from bench import print_table
from ckanext.shanghai.common.domains import load_domains

WORDS = ["公交", "停车", "空气质量", "医院", "学校", "养老", "景区", "信用", "企业", "道路",
         "地铁", "绿地", "消防", "社区", "食品安全", "水质", "专利", "充电桩", "图书馆", "菜市场"]
PLACES = ["黄浦", "徐汇", "长宁", "静安", "普陀", "虹口", "杨浦", "闵行", "宝山", "嘉定",
          "浦东", "金山", "松江", "青浦", "奉贤", "崇明"]
KINDS = ["基本信息", "实时状态", "统计数据", "名录", "分布", "监测数据", "年度报告", "服务网点"]
FORMATS = ["CSV", "XLSX", "JSON"]
OPEN_TYPES = ["unconditional"] * 6 + ["conditional"] * 3 + ["non_open"]
FACETS = ["data_domain", "organization", "open_type", "tags", "res_format", "license_id"]
QUERY = {"q": "公交", "fq": "data_domain:transport", "rows": 20,
         "facet.field": FACETS, "facet.limit": 50}


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
        "license_id": "cc-by",
        "tags": [{"name": t} for t in rng.sample(WORDS, 3)],
        "resources": [{"url": f"http://example.gov.cn/{i}.{f.lower()}", "format": f,
                       "name": f"{word}数据"} for f in rng.sample(FORMATS, rng.randint(1, 2))],
    }


def _percentile(samples: list[float], q: float) -> float:
    return statistics.quantiles(samples, n=100, method="inclusive")[int(q) - 1]


def _time(fn: Callable[[], Any], runs: int) -> list[float]:
    fn()  # warm caches and plans
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return samples


def _bare_sql(tsquery: str) -> Callable[[], None]:
    """The benchmark query written by hand as SQL on the index table."""
    where = ("search_vector @@ CAST(:tsq AS tsquery) AND fields @> :domain "
             "AND state = 'active' AND permission_labels && ARRAY['public']")
    statements = [
        sa.text(f"SELECT count(*) FROM shanghai_search_index WHERE {where}"),
        sa.text(f"SELECT id, validated_data_dict FROM shanghai_search_index WHERE {where} "
                "ORDER BY ts_rank(search_vector, CAST(:tsq AS tsquery)) DESC, "
                "metadata_modified DESC LIMIT 20"),
        sa.text(f"""
            SELECT name, value, n FROM (
              SELECT f.name, v.value, count(*) AS n,
                     row_number() OVER (PARTITION BY f.name ORDER BY count(*) DESC, v.value) AS pos
              FROM (SELECT fields FROM shanghai_search_index WHERE {where}) m
              CROSS JOIN unnest(CAST(:facets AS text[])) AS f(name)
              CROSS JOIN jsonb_array_elements_text(m.fields -> f.name) AS v(value)
              GROUP BY f.name, v.value) c
            WHERE pos <= 50"""),
    ]
    params = {"tsq": tsquery, "domain": '{"data_domain": ["transport"]}', "facets": FACETS}

    def run() -> None:
        for statement in statements:
            model.Session.execute(statement, params).all()
    return run


def run(sizes: tuple[int, ...] = (1000, 10000), seed: int = 2016) -> list[dict[str, Any]]:
    """Load ``sizes`` datasets cumulatively and return one figures dict per size."""
    def admin() -> dict[str, Any]:
        # CKAN actions write into their context: each call gets a fresh one.
        return {"user": "bench-admin", "ignore_auth": True}

    if not model.User.get("bench-admin"):
        tk.get_action("user_create")({"ignore_auth": True}, {
            "name": "bench-admin", "email": "bench@example.gov.cn", "password": "bench-pass-123"})
    domains = [d.code for d in load_domains()]
    orgs = []
    for n in range(20):
        name = f"bench-dept-{n:02d}"
        if not model.Group.by_name(name):
            tk.get_action("organization_create")(admin(), {"name": name, "title": f"测试部门{n}"})
        orgs.append(name)

    rng = random.Random(seed)
    figures = []
    loaded = 0
    ours = search._INDICES["package"]
    for size in sizes:
        # Baseline: CKAN's package_create with indexing off.
        search._INDICES["package"] = NoopSearchIndex
        start = time.perf_counter()
        for i in range(loaded, size):
            tk.get_action("package_create")(admin(), synthetic_dataset(i, rng, orgs, domains))
        create_rate = (size - loaded) / (time.perf_counter() - start)
        search._INDICES["package"] = ours
        ids = [r[0] for r in model.Session.execute(sa.select(model.Package.id).where(
            model.Package.name.like("bench-%")).offset(loaded))]
        start = time.perf_counter()
        search.rebuild(package_ids=ids, quiet=True, defer_commit=True)
        index_rate = len(ids) / (time.perf_counter() - start)
        loaded = size
        model.Session.execute(sa.text("ANALYZE shanghai_search_index"))

        def action() -> None:
            tk.get_action("package_search")({"ignore_auth": False, "user": ""}, dict(QUERY))
        api = _time(action, 100)
        sql = _time(_bare_sql("'公交'"), 100)
        count = tk.get_action("package_search")({"user": ""}, dict(QUERY))["count"]
        figures.append({
            "datasets": size, "matches": count,
            "package_create_per_s": create_rate, "index_per_s": index_rate,
            "index_ratio": index_rate / create_rate,
            "search_p50_ms": _percentile(api, 50) * 1000,
            "search_p95_ms": _percentile(api, 95) * 1000,
            "sql_p50_ms": _percentile(sql, 50) * 1000,
            "sql_p95_ms": _percentile(sql, 95) * 1000,
        })
        figures[-1]["search_to_sql_p50"] = figures[-1]["search_p50_ms"] / figures[-1]["sql_p50_ms"]
    return figures


def report(figures: list[dict[str, Any]]) -> None:
    """Print the figures as a table."""
    print_table(
        "search benchmark (package_search: q=公交, fq=data_domain:transport, 6 facets, rows=20)",
        ("datasets", "matches", "create/s", "index/s", "index÷create", "search p50 ms", "p95 ms",
         "SQL p50 ms", "p95 ms", "search÷SQL p50"),
        ([f"{f['datasets']}", f"{f['matches']}", f"{f['package_create_per_s']:.1f}",
          f"{f['index_per_s']:.1f}", f"{f['index_ratio']:.2f}", f"{f['search_p50_ms']:.1f}",
          f"{f['search_p95_ms']:.1f}", f"{f['sql_p50_ms']:.1f}", f"{f['sql_p95_ms']:.1f}",
          f"{f['search_to_sql_p50']:.2f}"] for f in figures))
