"""The header mapping table: the names departments give a column → our field name.

Departments copy the national guideline's headers with local variations (信息资源名称
/ 资源名称 / 目录名称 …), add "*" for required columns, break long headers over two
lines and mix full- and half-width brackets; :func:`canonical` folds all of that.
A new variant is one more string in a tuple below.
"""
from __future__ import annotations

import re
import unicodedata

#: canonical field → the header texts that mean it (compared after :func:`fold`).
ENTRY_HEADERS: dict[str, tuple[str, ...]] = {
    "classification": ("信息资源分类", "资源分类", "目录分类", "分类", "所属分类", "数据领域", "classification"),
    "name": ("信息资源名称", "资源名称", "目录名称", "数据资源名称", "数据集名称", "名称", "name"),
    "code": ("信息资源代码", "资源代码", "目录代码", "目录编码", "资源编码", "信息资源编码", "code"),
    "provider": ("信息资源提供方", "提供方", "资源提供方", "提供单位", "数据提供部门", "provider"),
    "provider_code": ("提供方代码", "提供单位代码", "提供方编码", "provider_code"),
    "abstract": ("信息资源摘要", "资源摘要", "摘要", "数据摘要", "资源描述", "abstract"),
    "format": ("信息资源格式", "资源格式", "数据格式", "格式", "format"),
    "share_type": ("共享属性", "共享类型", "share_type"),
    "share_conditions": ("共享条件", "share_conditions"),
    "share_method": ("共享方式", "share_method"),
    "open_type": ("开放属性", "开放类型", "是否向社会开放", "open_type"),
    "open_conditions": ("开放条件", "open_conditions"),
    "update_cycle": ("更新周期", "更新频率", "更新频度", "update_cycle"),
    "release_date": ("发布日期", "发布时间", "release_date"),
    "last_updated": ("更新日期", "最近更新", "最后更新日期", "last_updated"),
    "related_codes": ("关联资源代码", "关联代码", "related_codes"),
    "record_count": ("数据量", "数据量（条）", "记录数", "数据条数", "record_count"),
    "temporal_start": ("时间范围起", "数据起始时间", "起始日期", "temporal_start"),
    "temporal_end": ("时间范围止", "数据截止时间", "截止日期", "temporal_end"),
    "app_scenarios": ("应用场景", "app_scenarios"),
    "tags": ("关键字", "关键词", "标签", "tags"),
    "title_en": ("英文名称", "title_en"),
    "contact_name": ("联系人", "contact_name"),
    "contact_email": ("联系邮箱", "联系人邮箱", "电子邮箱", "contact_email"),
    "url": ("资源地址", "下载地址", "访问地址", "url"),
    # The data items inline (CSV exports): "名称:类型[:长度]; …"
    "data_items": ("信息项信息", "信息项", "数据项", "data_items"),
}

#: Columns of a data-items table (a separate sheet, or the lower part of an entry sheet).
ITEM_HEADERS: dict[str, tuple[str, ...]] = {
    "code": ENTRY_HEADERS["code"],
    "name": ("信息项名称", "数据项名称", "字段名称", "字段中文名称", "item_name"),
    "data_type": ("数据类型", "字段类型", "类型", "data_type"),
    "length": ("数据长度", "长度", "字段长度", "length"),
    "description": ("信息项描述", "字段说明", "说明", "备注", "description"),
}

_NOISE = re.compile(r"[\s*＊:：]+")


def fold(text: object) -> str:
    """A header as compared: NFKC (full-width → half-width), no blanks, no "*"
    required markers or trailing colons, lower case."""
    if text is None:
        return ""
    return _NOISE.sub("", unicodedata.normalize("NFKC", str(text))).lower()


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {fold(alias): key for key, aliases in table.items() for alias in aliases}


_ENTRY_INDEX = _index(ENTRY_HEADERS)
_ITEM_INDEX = _index(ITEM_HEADERS)


def canonical(header: object) -> str | None:
    """The entry field a header names, or ``None``."""
    return _ENTRY_INDEX.get(fold(header))


def canonical_item(header: object) -> str | None:
    """The data-item column a header names, or ``None``."""
    return _ITEM_INDEX.get(fold(header))


def clean(value: object) -> str:
    """A cell as text: ``None`` → "", numbers without a spurious ".0", stripped
    (including the ideographic space U+3000 that Chinese files pad with)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        # Excel date cells arrive as datetime: keep the date part only.
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    return str(value).strip().strip("\u3000").strip()
