"""Department catalogues (政务信息资源目录) for tests, `make run` and the benchmark.

``python -m harvesters.catalogue_generator seed`` rewrites the small seed
catalogues in ``harvesters/catalogues/`` (the 12 departments of its ``sources.yaml``,
all three formats, with the defects real files have); ``full DIR`` writes the full-scale catalogue: 15,000
entries with exactly 210,000 data items over 45 departments. Everything is derived
from fixed seeds, so the same files come out on every machine.
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import yaml

import harvesters
from catalog_seed.departments import load_departments
from ckanext.shanghai.common import vocabulary

SEED = "shanghai-catalogues-v1"
FULL_ENTRIES = 15_000
FULL_DEPARTMENTS = 45
ITEMS_PER_ENTRY = 14

#: domain → (class code, class name, subjects)
DOMAINS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "economy": ("A01", "经济建设",
        ("企业登记", "工业总产值", "商品房成交", "外商投资项目", "财政收支", "社会消费品零售")),
    "environment": ("A02", "资源环境",
        ("空气质量监测", "地表水水质", "重点污染源", "噪声监测", "绿地林地", "危险废物经营单位")),
    "education": ("A03", "教育科技",
        ("中小学校", "幼儿园", "高新技术企业", "科研院所", "专利授权", "职业培训机构")),
    "transport": ("A04", "道路交通",
        ("公交线路", "公共停车场", "出租汽车", "轨道交通站点", "道路施工", "公共自行车站点")),
    "society": ("A05", "社会发展",
        ("人口统计", "就业登记", "养老机构", "社区服务中心", "婚姻登记", "社会救助")),
    "safety": ("A06", "公共安全",
        ("消防站点", "食品安全抽检", "安全生产许可", "应急避难场所", "特种设备", "危化品企业")),
    "culture": ("A07", "文化休闲",
        ("A级景区", "图书馆", "博物馆", "体育场馆", "文化活动", "星级饭店")),
    "health": ("A08", "卫生健康",
        ("医疗机构", "零售药店", "预防接种门诊", "卫生监督", "健康档案统计", "献血屋")),
    "livelihood": ("A09", "民生服务",
        ("公共厕所", "菜市场", "便民服务点", "网格化管理事件", "供水水质", "燃气服务网点")),
    "institutions": ("A10", "机构团体",
        ("法人单位", "社会组织", "事业单位", "基金会", "民办非企业单位", "行业协会")),
    "urban": ("A11", "城市建设",
        ("建设工程项目", "保障性住房", "建筑业企业", "BIM试点项目", "物业服务企业", "旧区改造")),
    "credit": ("A12", "信用服务",
        ("行政许可", "行政处罚", "失信被执行人", "守信激励名单", "信用评价", "信用承诺")),
}
QUALIFIERS = ("基本信息", "名录", "统计", "月度汇总", "年度统计", "实时状态", "分布", "变更信息")
DISTRICTS = ("", "", "黄浦区", "徐汇区", "浦东新区", "闵行区", "静安区", "杨浦区", "嘉定区", "松江区")
ITEM_POOL = (
    ("统一社会信用代码", "字符型", "18"), ("名称", "字符型", "100"), ("地址", "字符型", "200"),
    ("所属区", "字符型", "20"), ("所属街镇", "字符型", "30"), ("经度", "数值型", ""), ("纬度", "数值型", ""),
    ("统计日期", "日期型", ""), ("更新时间", "日期时间型", ""), ("数量", "整型", ""), ("金额（万元）", "数值型", ""),
    ("是否有效", "布尔型", ""), ("联系电话", "字符型", "20"), ("负责人", "字符型", "20"), ("类别", "字符型", "30"),
    ("状态", "字符型", "10"), ("登记日期", "日期型", ""), ("面积（平方米）", "数值型", ""), ("人数", "整型", ""),
    ("备注", "字符型", "500"), ("照片", "二进制", ""), ("编号", "字符型", "32"), ("等级", "字符型", "10"),
    ("开始时间", "日期时间型", ""), ("结束时间", "日期时间型", ""), ("占比（%）", "数值型", ""),
    ("邮政编码", "字符型", "6"), ("批准文号", "字符型", "50"), ("检测结果", "字符型", "20"), ("得分", "数值型", ""),
)
CYCLES = tuple(term.title for term in vocabulary.update_frequencies())
#: open type labels as catalogues write them, with their weights in a generated catalogue
OPEN = tuple(zip((term.title for term in vocabulary.open_types()), (6, 3, 1), strict=True))
SHARE = ("无条件共享", "有条件共享", "不予共享")
SCENARIOS = ("出行服务", "商业选址", "城市管理", "学术研究", "公共服务", "风险预警")

#: The columns of row-per-entry files and CSV exports, in file order.
COLUMNS = (
    ("code", "信息资源代码"), ("name", "信息资源名称"), ("classification", "信息资源分类"),
    ("provider", "信息资源提供方"), ("provider_code", "提供方代码"), ("abstract", "信息资源摘要"),
    ("format", "信息资源格式"), ("share_type", "共享属性"), ("open_type", "开放属性"),
    ("open_conditions", "开放条件"), ("update_cycle", "更新周期"), ("release_date", "发布日期"),
    ("record_count", "数据量"), ("app_scenarios", "应用场景"), ("tags", "关键字"),
)


def entries(department: dict[str, str], count: int, *, first: int = 10001,
            item_counts: list[int] | None = None) -> Iterator[dict[str, Any]]:
    """``count`` entries of ``department`` as dicts of canonical fields plus
    ``data_items`` [(name, type, length)]; sequence numbers start at ``first`` so
    they never meet the seed datasets' codes."""
    rng = random.Random(f"{SEED}:{department['code']}")
    domains = list(DOMAINS)
    home = rng.sample(domains, 2)
    for number in range(count):
        domain = home[0] if rng.random() < 0.6 else (home[1] if rng.random() < 0.6 else rng.choice(domains))
        class_code, class_name, subjects = DOMAINS[domain]
        subject = rng.choice(subjects)
        qualifier = rng.choice(QUALIFIERS)
        name = f"{rng.choice(DISTRICTS)}{subject}{qualifier}"
        open_type = rng.choices([o for o, _ in OPEN], [w for _, w in OPEN])[0]
        n_items = item_counts[number] if item_counts else rng.randint(8, 20)
        release = f"{rng.randint(2014, 2016)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        yield {
            "code": f"{class_code}{rng.randint(1, 9):02d}-{department['code']}-{first + number:05d}",
            "name": name,
            "classification": f"{class_name}/{subject}",
            "provider": department["title"],
            "provider_code": department["code"],
            "abstract": f"{department['title']}提供的{name}数据，包括{subject}的主要属性。",
            "format": rng.choice(("电子表格", "电子表格", "数据库", "接口")),
            "share_type": rng.choice(SHARE),
            "open_type": open_type,
            "open_conditions": "需签署数据使用协议" if open_type == "有条件开放" else "",
            "update_cycle": rng.choice(CYCLES),
            "release_date": release,
            "record_count": str(rng.randint(10, 500_000)),
            "app_scenarios": "；".join(rng.sample(SCENARIOS, 2)),
            "tags": f"{subject}；{class_name}",
            "data_items": [ITEM_POOL[i] for i in sorted(rng.sample(range(len(ITEM_POOL)), n_items))],
        }


def _items_text(items: list[tuple[str, str, str]]) -> str:
    return "; ".join(":".join(p for p in item if p) for item in items)


# --- writers ---------------------------------------------------------------

def write_csv(path: Path, rows: list[dict[str, Any]], encoding: str, *,
              headers: dict[str, str] | None = None, bad_line: int | None = None) -> None:
    """A CSV export; ``bad_line`` (0-based data row) gets bytes no encoding reads."""
    headers = {**dict(COLUMNS), **(headers or {})}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([headers[k] for k, _ in COLUMNS] + ["信息项信息"])
    lines = [buffer.getvalue().encode(encoding)]
    for number, row in enumerate(rows):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(
            [row.get(k, "") for k, _ in COLUMNS] + [_items_text(row["data_items"])])
        data = buffer.getvalue().encode(encoding)
        if number == bad_line:
            data = data.replace(b",", b",\xff\xfe", 1)
        lines.append(data)
    path.write_bytes(b"".join(lines))


def write_xlsx_rows(path: Path, rows: list[dict[str, Any]], *, merged_header: bool = False,
                    headers: dict[str, str] | None = None) -> None:
    """Row per entry with a 信息项 sheet; ``merged_header`` adds a group-header row
    above, merged across its groups, and merges 信息资源代码 over both rows."""
    headers = {**dict(COLUMNS), **(headers or {})}
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "目录"
    names = [headers[k] for k, _ in COLUMNS]
    if merged_header:
        sheet.append([names[0], "基本信息", None, None, None, None, None, "共享开放属性", None, None,
                      "更新与发布", None, None, None, None])
        sheet.append([None, *names[1:]])
        sheet.merge_cells("A1:A2")
        sheet.merge_cells("B1:G1")
        sheet.merge_cells("H1:J1")
        sheet.merge_cells("K1:O1")
    else:
        sheet.append(names)
    for row in rows:
        sheet.append([row.get(k, "") for k, _ in COLUMNS])
    items = book.create_sheet("信息项")
    items.append(["信息资源代码", "信息项名称", "数据类型", "数据长度"])
    for row in rows:
        for name, kind, length in row["data_items"]:
            items.append([row["code"], name, kind, length])
    book.save(path)


def write_xlsx_sheets(path: Path, rows: list[dict[str, Any]]) -> None:
    """One sheet per entry: label/value pairs (value cells merged over B:D), then
    the data-items table."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for number, row in enumerate(rows, 1):
        sheet = book.create_sheet(f"目录{number}")
        for key, label in COLUMNS:
            sheet.append([label, row.get(key, "")])
            sheet.merge_cells(start_row=sheet.max_row, start_column=2, end_row=sheet.max_row, end_column=4)
        sheet.append([])
        sheet.append(["信息项名称", "数据类型", "数据长度"])
        for item in row["data_items"]:
            sheet.append(list(item))
    book.save(path)


def api_payload(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Entries as the catalogue system's API gives them (Chinese keys)."""
    labels = dict(COLUMNS)
    return [{**{labels[k]: row.get(k, "") for k, _ in COLUMNS},
             "信息项": [{"信息项名称": n, "数据类型": t, "数据长度": n_} for n, t, n_ in row["data_items"]]}
            for row in rows]


# --- the seed catalogues ---------------------------------------------------

SEED_ENTRIES = 8


def seed_sources() -> dict[str, dict[str, str]]:
    """Department name → ``file``, ``format`` and ``defect`` of each seed catalogue
    (``harvesters/catalogues/sources.yaml``, which the harvest plugin reads too)."""
    return yaml.safe_load(harvesters.SEED_SOURCES.read_text(encoding="utf-8"))


def write_seed(folder: Path = harvesters.CATALOGUES) -> dict[str, Path]:
    """Write the seed catalogues into ``folder``; return department → file."""
    folder.mkdir(parents=True, exist_ok=True)
    departments = {d["name"]: d for d in load_departments()}
    written = {}
    for name, source in seed_sources().items():
        rows = list(entries(departments[name], SEED_ENTRIES))
        path = folder / source["file"]
        if name == "sh-zjw":
            rows[2]["release_date"] = "2016年13月02日"
            rows[3]["release_date"] = "2016年12月02日"
            rows[4]["release_date"] = "20161202"
            write_xlsx_rows(path, rows, headers={"name": "资源名称", "code": "目录代码", "update_cycle": "更新频率"})
        elif name == "sh-fgw":
            rows[1]["classification"] = "宇宙探索/火星"
            write_xlsx_rows(path, rows)
        elif name == "sh-jtw":
            rows[0]["release_date"] = "2016/12/2"
            write_xlsx_rows(path, rows, merged_header=True)
        elif name == "sh-sthjj":
            write_xlsx_sheets(path, rows)
        elif name == "sh-wsjkw":
            write_csv(path, rows, "gbk")
        elif name == "sh-jw":
            write_csv(path, rows, "utf-8-sig")
        elif name == "sh-scjgj":
            rows[0]["name"] = "䶮" + rows[0]["name"]  # U+4DAE: in GB18030, not in GBK
            rows[0]["abstract"] = "含生僻字“𠀀”的" + rows[0]["abstract"]
            write_csv(path, rows, "gb18030")
        elif name == "sh-whlyj":
            rows[2]["name"] = ""
            rows[5]["code"] = rows[4]["code"]
            write_csv(path, rows, "utf-8")
        elif name == "sh-rsj":
            write_csv(path, rows, "gbk", bad_line=3)
        else:
            if name == "sh-tjj":
                rows[6]["release_date"] = "2016-02-30"
            path.write_text(json.dumps(api_payload(rows), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written[name] = path
    return written


# --- the full scale --------------------------------------------------------

def full_plan(departments: int = FULL_DEPARTMENTS,
              total: int = FULL_ENTRIES) -> list[tuple[dict[str, str], list[int]]]:
    """Which departments get how many entries, and each entry's number of data
    items: the counts come in pairs 14+d, 14−d, so the total is exactly 14 × total."""
    rng = random.Random(f"{SEED}:plan")
    chosen = load_departments()[:departments]
    weights = [rng.uniform(0.3, 1.7) for _ in chosen]
    scale = total / sum(weights)
    sizes = [max(2, 2 * round(w * scale / 2)) for w in weights]
    sizes[-1] += total - sum(sizes)
    plan = []
    for department, size in zip(chosen, sizes, strict=True):
        counts: list[int] = []
        for _ in range(size // 2):
            d = rng.randint(0, 6)
            counts += [ITEMS_PER_ENTRY + d, ITEMS_PER_ENTRY - d]
        plan.append((department, counts))
    return plan


def write_full(folder: Path, departments: int = FULL_DEPARTMENTS, total: int = FULL_ENTRIES) -> dict[str, Path]:
    """The full-scale catalogue as one CSV per department (the fastest format to
    write and read at this size); return department name → file."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for department, counts in full_plan(departments, total):
        path = folder / f"{department['name']}.csv"
        write_csv(path, list(entries(department, len(counts), item_counts=counts)), "utf-8")
        written[department["name"]] = path
    return written


def main(argv: list[str] | None = None) -> None:
    """``seed`` or ``full DIR``."""
    parser = argparse.ArgumentParser(prog="python -m harvesters.catalogue_generator")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("seed")
    full = sub.add_parser("full")
    full.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    if args.command == "seed":
        for name, path in write_seed().items():
            print(f"{name}: {path}")
    else:
        files = write_full(args.folder)
        print(f"{len(files)} department catalogues in {args.folder}")


if __name__ == "__main__":
    main()
