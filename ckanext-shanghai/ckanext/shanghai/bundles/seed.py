"""The SODA contests of the seed: 2015 smart transport (智慧交通) and 2016 city safety
(城市安全), with bundles built from the seed datasets and a generated metro smart-card
transactions file of a million rows (sample data, made once into storage).

Idempotent like the portal's seed: what exists (by name) is kept; a bundle without a
published version is published.
"""
from __future__ import annotations

import csv
import datetime as dt
import logging
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import ckan.model as model
import ckan.plugins.toolkit as tk
import click
from ckan.types import Context
from werkzeug.datastructures import FileStorage

from ckanext.shanghai.common import vocabulary

from .model import Bundle, Contest

log = logging.getLogger(__name__)

METRO_DATASET = "soda-metro-card-transactions"
METRO_FILE = "metro-card-transactions-2015-04.csv"
#: the department that publishes it (the seed's transport commission)
METRO_DEPARTMENT = "sh-jtw"
METRO_ROWS = 1_000_000

_METRO_LINES = {
    "1号线": "莘庄 外环路 莲花路 锦江乐园 上海南站 漕宝路 上海体育馆 徐家汇 衡山路 常熟路 陕西南路 "
            "黄陂南路 人民广场 新闸路 汉中路 上海火车站 中山北路 延长路 上海马戏城 汶水路 彭浦新村 "
            "共康路 通河新村 呼兰路 共富新村 宝安公路 友谊西路 富锦路",
    "2号线": "徐泾东 虹桥火车站 虹桥2号航站楼 淞虹路 北新泾 威宁路 娄山关路 中山公园 江苏路 静安寺 "
            "南京西路 人民广场 南京东路 陆家嘴 东昌路 世纪大道 上海科技馆 世纪公园 龙阳路 张江高科 "
            "金科路 广兰路 唐镇 创新中路 华夏东路 川沙 凌空路 远东大道 海天三路 浦东国际机场",
    "8号线": "市光路 嫩江路 翔殷路 黄兴公园 延吉中路 黄兴路 江浦路 鞍山新村 四平路 曲阳路 虹口足球场 "
            "西藏北路 中兴路 曲阜路 人民广场 大世界 老西门 陆家浜路 西藏南路 中华艺术宫 耀华路 成山路 "
            "杨思 东方体育中心 凌兆新村 芦恒路 浦江镇 江月路 联航路 沈杜公路",
}

METRO_SCHEMA: dict[str, Any] = {
    "fields": [
        {"name": "record_id", "title": "记录编号", "type": "integer"},
        {"name": "card_hash", "title": "卡号（脱敏）", "type": "string",
         "constraints": {"pattern": "[0-9a-f]{16}"}},
        {"name": "txn_time", "title": "交易时间", "type": "datetime"},
        {"name": "line", "title": "线路", "type": "string"},
        {"name": "station", "title": "车站", "type": "string"},
        {"name": "txn_type", "title": "交易类型", "type": "string",
         "constraints": {"enum": ["进站", "出站"]}},
        {"name": "amount", "title": "交易金额（元）", "type": "number"},
    ],
    "primaryKey": ["record_id"],
}

_SAMPLE_NOTE = "样本数据：由程序按固定随机种子生成，不是真实刷卡记录。"

CONTESTS: tuple[dict[str, Any], ...] = (
    {"name": "soda-2015", "title": "2015 上海开放数据创新应用大赛：智慧交通",
     "title_en": "SODA 2015: Smart transport", "edition": 2015, "theme": "智慧交通",
     "start_date": "2015-05-20", "end_date": "2015-10-31",
     "description": "以公交、地铁、停车和道路流量数据为基础，征集改善上海市民出行的创新应用。",
     "rules": "组队参赛，每队 1–5 人；初赛提交创意方案，复赛提交原型，决赛现场路演。",
     "terms": "1. 数据仅用于本届SODA大赛的作品开发与评审，不得用于其他用途。\n"
              "2. 不得转让、公开或出售数据，不得尝试识别个人身份。\n"
              "3. 大赛结束后30日内删除全部数据副本。\n"
              "4. 发布作品时注明数据来源：上海市公共数据开放平台。"},
    {"name": "soda-2016", "title": "2016 上海开放数据创新应用大赛：城市安全",
     "title_en": "SODA 2016: City safety", "edition": 2016, "theme": "城市安全",
     "start_date": "2016-06-01", "end_date": "2016-11-30",
     "description": "围绕食品安全、消防应急、防汛和生产安全，征集提升城市安全治理的数据应用。",
     "rules": "组队参赛，每队 1–5 人；有条件开放数据仅向接受数据使用条款的团队提供。",
     "terms": "1. 数据仅用于本届SODA大赛，不得用于其他用途。\n"
              "2. 不得转让、公开或出售数据。\n"
              "3. 大赛结束后30日内删除全部数据副本。\n"
              "4. 发布作品时注明数据来源：上海市公共数据开放平台。"},
)

BUNDLES: tuple[dict[str, Any], ...] = (
    {"contest": "soda-2015", "name": "open-transport", "title": "公共交通开放数据包",
     "title_en": "Open public transport data", "stage": "preliminary", "access_tier": "public",
     "description": "公交线路、站点、地铁车站和公共停车场数据，所有人可下载。",
     "datasets": ["bus-lines", "bus-stops", "metro-stations", "public-car-park-status"]},
    {"contest": "soda-2015", "name": "metro-card", "title": "地铁刷卡交易数据包（样本）",
     "title_en": "Metro smart-card transactions (sample)", "stage": "preliminary",
     "access_tier": "registered",
     "description": "一百万条地铁公共交通卡进出站刷卡记录（程序生成的样本数据）及刷卡记录抽样；"
                    "须注册团队并接受数据使用条款。",
     "datasets": [METRO_DATASET, "transit-card-transactions"]},
    {"contest": "soda-2015", "name": "road-traffic", "title": "道路交通流量数据包",
     "title_en": "Road traffic flows", "stage": "final", "access_tier": "verified",
     "description": "快速路断面流量和出租汽车企业运力，仅向通过身份核验的决赛团队提供。",
     "datasets": ["expressway-traffic-flow", "taxi-companies"]},
    {"contest": "soda-2016", "name": "safety-open", "title": "城市安全开放数据包",
     "title_en": "Open city-safety data", "stage": "preliminary", "access_tier": "public",
     "description": "食品安全抽检、消防站、应急避难场所和公共场所AED数据。",
     "datasets": ["food-safety-inspections", "fire-stations", "emergency-shelters",
                  "aed-locations"]},
    {"contest": "soda-2016", "name": "inspections", "title": "安全监管数据包",
     "title_en": "Safety supervision", "stage": "semifinal", "access_tier": "registered",
     "description": "特种设备检验、药品抽检和生产安全事故统计；须接受数据使用条款。",
     "datasets": ["special-equipment-inspections", "drug-quality-sampling",
                  "work-safety-accidents"]},
    {"contest": "soda-2016", "name": "environment-monitoring", "title": "环境监测数据包",
     "title_en": "Environmental monitoring", "stage": "final", "access_tier": "verified",
     "description": "地表水水质自动监测和重点排污单位自动监测数据，仅向通过身份核验的团队提供。",
     "datasets": ["surface-water-quality", "key-polluter-monitoring"]},
)


def metro_rows(count: int, seed: int = 2015) -> Iterator[tuple[Any, ...]]:
    """Deterministic metro smart-card taps: entries and exits of 40,000 cards during
    April 2015 (same rows for the same ``count`` and ``seed``)."""
    rng = random.Random(seed)
    cards = [f"{rng.getrandbits(64):016x}" for _ in range(40_000)]
    stations = [(line, name) for line, names in _METRO_LINES.items() for name in names.split()]
    start = dt.datetime(2015, 4, 1, 5, 0)
    for record in range(1, count + 1):
        line, station = stations[rng.randrange(len(stations))]
        moment = start + dt.timedelta(days=rng.randrange(30), seconds=rng.randrange(18 * 3600))
        entry = rng.random() < 0.5
        yield (record, cards[rng.randrange(len(cards))], moment.isoformat(), line, station,
               "进站" if entry else "出站", 0.0 if entry else float(rng.randint(3, 9)))


def write_metro_file(path: Path, rows: int = METRO_ROWS) -> Path:
    """Write the metro transactions CSV (UTF-8, header row) unless it is there."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([f["name"] for f in METRO_SCHEMA["fields"]])
        writer.writerows(metro_rows(rows))
    partial.rename(path)
    return path


def ensure_metro_dataset(admin: str, files_dir: Path, rows: int = METRO_ROWS) -> bool:
    """Create the conditional dataset holding the generated file; False if it exists."""
    if model.Package.get(METRO_DATASET) is not None:
        return False
    path = write_metro_file(files_dir / METRO_FILE, rows)
    context: Context = {"user": admin, "ignore_auth": True}
    package = tk.get_action("package_create")(context.copy(), {
        "name": METRO_DATASET,
        "title": "地铁公共交通卡刷卡交易（SODA大赛样本数据）",
        "title_en": "Metro smart-card transactions (SODA contest sample data)",
        "notes": f"2015年4月地铁公共交通卡进出站刷卡记录，共{rows}条，卡号已脱敏。{_SAMPLE_NOTE}"
                 "仅通过SODA大赛数据包向接受数据使用条款的团队提供。",
        "notes_en": f"{rows} metro smart-card taps of April 2015, card numbers hashed. "
                    "Sample data generated with a fixed seed, not real records; given to "
                    "SODA contest teams through the contest bundle only.",
        "owner_org": METRO_DEPARTMENT, "data_domain": "transport", "open_type": "conditional",
        "open_conditions": "仅向接受SODA大赛数据使用条款的注册团队提供",
        "share_type": "conditional", "catalogue_code": "A0499-SODA-00001",
        "update_frequency": "irregular", "release_date": "2015-05-20",
        "last_updated": "2015-05-20", "temporal_start": "2015-04-01",
        "temporal_end": "2015-04-30", "record_count": rows,
        "app_scenarios": ["客流分析", "交通规划"], "license_id": vocabulary.licence_for("conditional"),
        "tags": [{"name": "SODA"}, {"name": "地铁"}, {"name": "样本数据"}],
    })
    # resource_create takes the upload before validating (package_create does not).
    with path.open("rb") as stream:
        tk.get_action("resource_create")(context.copy(), {
            "package_id": package["id"], "name": "地铁刷卡交易记录（样本数据）",
            "format": "CSV", "schema": METRO_SCHEMA, "url": METRO_FILE,
            "description": f"{rows}行7列。{_SAMPLE_NOTE}",
            "upload": FileStorage(stream=stream, filename=METRO_FILE)})
    path.unlink()  # CKAN keeps its own copy in its storage
    return True


def _usable_datasets(names: list[str], tier: str) -> list[str]:
    """The named datasets that exist and may be in a bundle of ``tier``; the others are
    skipped with a warning, so the contests follow changes of the seed catalogue."""
    open_types = {"public": ("unconditional",),
                  "registered": ("unconditional", "conditional"),
                  "verified": ("unconditional", "conditional")}[tier]
    usable = []
    for name in names:
        package = model.Package.get(name)
        open_type = package.extras.get("open_type") if package else None
        if package is None or package.state != "active" or package.private \
                or open_type not in open_types:
            log.warning("SODA seed: dataset %s left out of a %s bundle (%s)", name, tier,
                        "missing" if package is None else open_type)
            continue
        usable.append(name)
    return usable


def load(admin: str, files_dir: Path, rows: int = METRO_ROWS) -> dict[str, int]:
    """Make the contests, the metro dataset and the bundles, and publish each bundle
    that has no version yet. Returns how many of each were made."""
    context: Context = {"user": admin, "ignore_auth": False}
    made = {"contests": 0, "bundles": 0, "versions": 0}
    for spec in CONTESTS:
        if Contest.by_name(spec["name"]) is not None:
            continue
        tk.get_action("shanghai_contest_create")(context.copy(), dict(spec))
        made["contests"] += 1
    if model.Package.get("transit-card-transactions") is not None:
        ensure_metro_dataset(admin, files_dir, rows)
    for spec in BUNDLES:
        datasets = _usable_datasets(spec["datasets"], spec["access_tier"])
        if not datasets:
            continue
        contest = Contest.by_name(spec["contest"])
        assert contest is not None  # made above
        bundle = Bundle.by_name(contest, spec["name"])
        if bundle is None:
            bundle = Bundle.get(tk.get_action("shanghai_bundle_create")(
                context.copy(), dict(spec, datasets=datasets))["id"])
            assert bundle is not None
            made["bundles"] += 1
        if bundle.version() is None:
            tk.get_action("shanghai_bundle_publish")(context.copy(), {
                "id": bundle.id, "notes": "首次发布 / first release"})
            made["versions"] += 1
    return made


def files_dir() -> Path:
    """Where the seed's generated files are written: in CKAN's storage."""
    return Path(tk.config.get("ckan.storage_path")) / "seed_files"


def seed_contests(admin: str, rows: int = METRO_ROWS) -> None:
    """``ckan shanghai-bundles seed``: load from the seed files in CKAN's storage and
    say what was made."""
    made = load(admin, files_dir(), rows)
    click.secho(f"SODA contests: {made['contests']} contests, {made['bundles']} bundles, "
                f"{made['versions']} versions published", fg="green")
