"""Chinese explanations of frictionless errors, for the report page."""
from __future__ import annotations

import re
from typing import Any

TYPES_ZH = {"string": "文本", "integer": "整数", "number": "数值", "boolean": "布尔值（true/false）",
            "date": "日期（YYYY-MM-DD）", "datetime": "日期时间（如 2016-05-01T08:00:00+08:00）",
            "year": "年份", "time": "时间", "object": "JSON 对象", "array": "JSON 数组"}

TITLES_ZH = {
    "type-error": "类型错误", "constraint-error": "约束错误", "unique-error": "重复值",
    "primary-key": "主键重复", "missing-cell": "缺少单元格", "extra-cell": "多余单元格",
    "blank-row": "空行", "blank-label": "表头为空", "duplicate-label": "表头重复",
    "credit-code-checksum": "信用代码校验位错误",
    "incorrect-label": "表头与数据结构不符", "missing-label": "缺少表头列", "extra-label": "多余表头列",
}

_CONSTRAINT = re.compile(r'constraint "(\w+)" is "(.*)"', re.S)
_POSITION = re.compile(r"position (\d+)")


def explain(error: dict[str, Any], field_titles: dict[str, str]) -> str:
    """One sentence in Chinese saying what is wrong with the cell, row or header."""
    kind, note = error.get("type", ""), error.get("note") or ""
    field = error.get("fieldName") or ""
    where = f"「{field_titles.get(field) or field}」" if field else ""
    cell = error.get("cell")
    if kind == "type-error":
        wanted = note.split('"')[1].split("/")[0] if '"' in note else ""
        return f"{where}的值「{cell}」无法识别为{TYPES_ZH.get(wanted, wanted)}。"
    if kind == "constraint-error":
        match = _CONSTRAINT.search(note)
        name, value = (match.group(1), match.group(2)) if match else ("", "")
        return {
            "required": f"{where}为必填项，但此处为空（或为缺失值标记如 “-”“无”“NULL”）。",
            "enum": f"{where}的值「{cell}」不在允许的取值范围内：{value}。",
            "pattern": f"{where}的值「{cell}」格式不正确，应符合 {value}。",
            "minimum": f"{where}的值「{cell}」小于允许的最小值 {value}。",
            "maximum": f"{where}的值「{cell}」大于允许的最大值 {value}。",
            "exclusiveMinimum": f"{where}的值「{cell}」应大于 {value}。",
            "exclusiveMaximum": f"{where}的值「{cell}」应小于 {value}。",
            "minLength": f"{where}的值「{cell}」长度小于 {value}。",
            "maxLength": f"{where}的值「{cell}」长度超过 {value}。",
        }.get(name, f"{where}的值「{cell}」不满足约束 {name}={value}。")
    position = _POSITION.search(note)
    previous = f"第 {position.group(1)} 行" if position else "前面的行"
    if kind == "unique-error":
        return f"{where}的值「{cell}」与{previous}重复，该字段要求唯一。"
    if kind == "primary-key":
        if "None" in note:
            return "主键字段全部为空。"
        return f"主键与{previous}重复。"
    if kind == "credit-code-checksum":
        expected = note.split('"')[1] if '"' in note else ""
        return f"{where}的值「{cell}」校验位错误（按 GB 32100-2015 第 18 位应为「{expected}」），代码可能录入有误。"
    if kind == "missing-cell":
        return f"本行缺少{where}列的单元格（列数少于表头）。"
    if kind == "extra-cell":
        return "本行的单元格多于表头列数。"
    if kind == "blank-row":
        return "本行为空行。"
    if kind.endswith("-label"):
        return f"表头{where}与数据结构不符：{error.get('message', '')}"
    return error.get("message") or kind
