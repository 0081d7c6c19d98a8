"""The 版头 and 版记 options of an official document as a user types them (the web form, the CLI), checked
and normalised in one place into a `Masthead`.

- 发文字号: the year in 六角括号 (GB/T 9704 7.2.4); [2024], (2024), （2024）, 【2024】 are accepted and
  written 〔2024〕;
- 份号: up to six digits, written with leading zeros to six (7.2.1);
- 密级和保密期限: 绝密, 机密 or 秘密 (or 内部), optionally ★ and a term (1年, 6个月, 长期); * and ☆ are read
  as ★ (7.2.2);
- 抄送机关: one a line, or separated by 、，,;；; a closing 。 is dropped (the document adds its own);
- 印发机关 and 印发日期 (YYYY-MM-DD, written 2024年7月5日).

Every problem is reported at once, each under its field's Chinese label (InvalidInput.problems)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from zhizao.errors import InvalidInput, Problems
from zhizao.office.official import Masthead

LABELS = {
    "number": "发文字号",
    "copy_number": "份号",
    "classification": "密级和保密期限",
    "cc": "抄送机关",
    "printer": "印发机关",
    "printed_on": "印发日期",
}
MAX_TEXT = 60
MAX_CC = 30
_YEAR = re.compile(r"[\[(（【［〔]\s*(\d{4})\s*[\])）】］〕]")
_CLASSIFICATION = re.compile(r"^(绝密|机密|秘密|内部)(★(\d{1,2}(年|个月)|长期))?$")
_CC_SEPARATORS = re.compile(r"[\n\r、，,;；]+")


@dataclass(frozen=True)
class MastheadOptions:
    """The options as typed (blank: left to the document's defaults)."""

    number: str = ""
    copy_number: str = ""
    classification: str = ""
    cc: str = ""
    printer: str = ""
    printed_on: str = ""


def _one_line(problems: Problems, key: str, value: str) -> str:
    value = value.strip()
    if "\n" in value or "\r" in value:
        problems.error(f"{LABELS[key]}应为一行", column=LABELS[key])
    elif len(value) > MAX_TEXT:
        problems.error(f"{LABELS[key]}不能超过 {MAX_TEXT} 字", column=LABELS[key])
    return value


def _number(problems: Problems, value: str) -> str:
    before = len(problems.items)
    value = _YEAR.sub(lambda m: f"〔{m.group(1)}〕", _one_line(problems, "number", value))
    if value and "〔" not in value and len(problems.items) == before:
        problems.error("发文字号应含用六角括号括入的四位年份，如 X工信督〔2024〕6号", column=LABELS["number"])
    return value


def _copy_number(problems: Problems, value: str) -> str:
    value = unicodedata.normalize("NFKC", value).strip()
    if value and not (value.isascii() and value.isdigit() and len(value) <= 6):
        problems.error("份号应为不超过 6 位的数字，如 000012", column=LABELS["copy_number"])
        return value
    return value.zfill(6) if value else ""


def _classification(problems: Problems, value: str) -> str:
    value = re.sub(r"\s+", "", value).replace("*", "★").replace("☆", "★").replace("＊", "★")
    if value and not _CLASSIFICATION.match(value):
        problems.error(
            "密级应为 绝密、机密、秘密 或 内部，可加★和保密期限，如 秘密★1年", column=LABELS["classification"]
        )
    return value


def _cc(problems: Problems, value: str) -> tuple[str, ...]:
    names = tuple(n.strip().rstrip("。.").strip() for n in _CC_SEPARATORS.split(value) if n.strip())
    if len(names) > MAX_CC:
        problems.error(f"抄送机关不能超过 {MAX_CC} 个", column=LABELS["cc"])
    for name in names:
        if len(name) > MAX_TEXT:
            problems.error(f"抄送机关“{name[:12]}…”不能超过 {MAX_TEXT} 字", column=LABELS["cc"])
    return names


def _printed_on(problems: Problems, value: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        problems.error(f"印发日期格式应为 YYYY-MM-DD：{value[:20]}", column=LABELS["printed_on"])
        return ""
    return f"{day.year}年{day.month}月{day.day}日"


def parse_masthead(options: MastheadOptions) -> Masthead:
    """The checked, normalised masthead; InvalidInput listing every problem (in Chinese) otherwise."""
    problems = Problems()
    masthead = Masthead(
        number=_number(problems, options.number) or None,
        copy_number=_copy_number(problems, options.copy_number) or None,
        classification=_classification(problems, options.classification) or None,
        cc=_cc(problems, options.cc),
        printer=_one_line(problems, "printer", options.printer) or None,
        printed_on=_printed_on(problems, options.printed_on) or None,
    )
    if problems.errors:
        raise InvalidInput(f"版头、版记选项有误（{len(problems.errors)} 处）", problems.items)
    return masthead
