"""Request validation errors (FastAPI/pydantic, English) in Chinese: the field by its label and what is wrong
with it, so a 400 page or a 422 response never shows "Input should be a valid integer"."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from zhizao.audit.labels import FIELD_LABELS

# Fields of forms and query strings beyond the audit log's labels.
EXTRA_FIELDS = {
    "q": "搜索",
    "page": "页码",
    "per_page": "每页条数",
    "division": "行业大类",
    "pool": "评价池",
    "class_id": "类别",
    "sort": "排序",
    "desc": "倒序",
    "as_of": "截至日期",
    "due_from": "完成时限起",
    "due_to": "完成时限止",
    "plan_id": "规划",
    "run_id": "评价批次",
    "password": "密码",
    "csrf_token": "表单令牌",
    "file": "文件",
    "kind": "类型",
    "lang": "语言",
    "next": "跳转地址",
}


def field_name(loc: Sequence[Any]) -> str | None:
    """The field a validation error is about, in Chinese where known (`query.year` → 年份)."""
    parts = [str(p) for p in loc[1:] if not isinstance(p, int)] if len(loc) > 1 else [str(p) for p in loc]
    if not parts:
        return None
    last = parts[-1]
    return FIELD_LABELS.get(last) or EXTRA_FIELDS.get(last) or last


def _limit(ctx: Mapping[str, Any], key: str) -> str:
    return str(ctx.get(key, ""))


def message(error: Mapping[str, Any]) -> str:
    """What is wrong, in Chinese (by pydantic's error type; our own validators already speak Chinese)."""
    kind = str(error.get("type", ""))
    ctx: Mapping[str, Any] = error.get("ctx") or {}
    simple = {
        "missing": "必须填写",
        "int_parsing": "应为整数",
        "int_type": "应为整数",
        "int_from_float": "应为整数",
        "float_parsing": "应为数字",
        "float_type": "应为数字",
        "decimal_parsing": "应为数字",
        "bool_parsing": "应为是或否",
        "bool_type": "应为是或否",
        "date_parsing": "应为日期（如 2024-06-30）",
        "date_from_datetime_parsing": "应为日期（如 2024-06-30）",
        "date_type": "应为日期（如 2024-06-30）",
        "datetime_parsing": "应为日期时间（如 2024-06-30 08:00）",
        "string_type": "应为文本",
        "string_pattern_mismatch": "格式不正确",
        "json_invalid": "不是有效的 JSON",
        "model_attributes_type": "格式不正确",
        "dict_type": "格式不正确",
        "list_type": "应为列表",
        "uuid_parsing": "格式不正确",
        "enum": "不是可选的值",
    }
    if kind in simple:
        return simple[kind]
    bounded = {
        "greater_than_equal": ("不能小于 {}", "ge"),
        "greater_than": ("应大于 {}", "gt"),
        "less_than_equal": ("不能大于 {}", "le"),
        "less_than": ("应小于 {}", "lt"),
        "string_too_long": ("最多 {} 个字符", "max_length"),
        "string_too_short": ("至少 {} 个字符", "min_length"),
        "too_long": ("最多 {} 项", "max_length"),
        "literal_error": ("应为以下之一：{}", "expected"),
    }
    if kind in bounded:
        template, key = bounded[kind]
        return template.format(_limit(ctx, key))
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", error.get("msg", "")))
        return text.removeprefix("Value error, ").removeprefix("Assertion failed, ") or "取值不正确"
    return "取值不正确"
