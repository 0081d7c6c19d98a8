"""Reading the rows of a 调度 form: each row becomes typed values, or problems with their row and column.

One row per project and month. The cells go through the imports' own parsers (`imports.cells`: numbers with
separators or full-width digits, Excel or text dates, credit codes) and problems are collected in the
imports' `Findings`, so a 调度 file gets the same messages as a figure file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from zhizao.errors import NotFound
from zhizao.imports import cells
from zhizao.imports.headers import Column, HeaderMap
from zhizao.imports.readers import Cell, Table
from zhizao.imports.validate import EXAMPLE_MARK, Findings
from zhizao.plans.units import find_unit
from zhizao.projects import settings as project_settings
from zhizao.projects.columns import AMOUNTS, DATES
from zhizao.projects.facts import month_end
from zhizao.projects.models import STAGE_LABELS, SUSPENDED_LABEL
from zhizao.reference import home, regions

CODE_SHAPE = re.compile(r"^\d{4}-\d{6}-\d{2}-\d{2}-\d{6}$")  # YYYY-行政区划-行业-类型-流水号 (not confirmed)
STATUS_VALUES = {label: stage for stage, label in STAGE_LABELS.items()} | {
    "前期": "reserve",
    "拟开工": "reserve",
    "新开工": "start",
    "续建": "build",
    "建成": "complete",
    "投产": "complete",
    "竣工投产": "complete",
    "达产": "effect",
    SUSPENDED_LABEL: "suspended",
    "停建": "suspended",
    "缓建": "suspended",
}


@dataclass
class Row:
    """The typed values of one row (only the cells that hold something) and where each came from."""

    number: int
    values: dict[str, object] = field(default_factory=dict)
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return int(self.values["year"])  # type: ignore[call-overload]

    @property
    def month(self) -> int:
        return int(self.values["month"])  # type: ignore[call-overload]

    @property
    def period_end(self) -> date:
        return month_end(self.year, self.month)


class RowReader:
    def __init__(
        self,
        session: Session,
        header: HeaderMap,
        factors: dict[str, float],
        rules: project_settings.Settings,
        findings: Findings,
        enterprises: dict[str, tuple[int, str]],
    ) -> None:
        self.session = session
        self.header = header
        self.factors = factors
        self.rules = rules
        self.findings = findings
        self.enterprises = enterprises
        self.units: dict[str, int | None] = {}

    def read(self, table: Table) -> Iterator[Row]:
        name = self.header.get("name")
        for number, raw in table.rows():
            if number <= self.header.row or all(cells.is_empty(c) for c in raw):
                continue
            first = raw[name.index] if name and name.index < len(raw) else None
            if isinstance(first, str) and first.strip().startswith(EXAMPLE_MARK):
                continue
            yield self.parse(number, raw)

    def parse(self, number: int, raw: list[Cell]) -> Row:
        row = Row(number)
        for column in self.header.columns:
            cell = raw[column.index] if column.index < len(raw) else None
            try:
                value = self._value(column.field, cell)
            except cells.CellError as exc:
                self.findings.error(str(exc), number, column)
                continue
            if value is not None and value != "":
                row.values[column.field] = value
                row.columns[column.field] = column
        self._required(row)
        self._consistent(row)
        return row

    def _value(self, field_id: str, cell: Cell) -> object:
        if field_id in AMOUNTS:
            value = cells.number(cell)
            if value is None:
                return None
            if value < 0:
                raise cells.CellError(f"不能为负数（{cells.show(cell)}）")
            return value * self.factors.get(field_id, 1.0)
        if field_id in DATES:
            return cells.a_date(cell)
        if field_id == "year":
            return cells.year(cell)
        if field_id == "month":
            month = cells.month(cell)
            if month == 0 and not cells.is_empty(cell):
                raise cells.CellError("月份应为1-12")
            return month or None
        text = cells.text(cell)
        if not text or cells.is_empty(cell):
            return None
        return self._text(field_id, text, cell)

    def _text(self, field_id: str, text: str, cell: Cell) -> object:
        if field_id == "kind":
            if text not in self.rules.kinds:
                raise cells.CellError(
                    f"项目类型「{cells.show(text)}」不在本系统的类型中（{'、'.join(self.rules.kinds)}）"
                )
            return text
        if field_id == "level":
            level = project_settings.level_of(text)
            if level is None:
                raise cells.CellError(
                    f"项目级别应为{'、'.join(project_settings.LEVELS)}，实际为「{cells.show(text)}」"
                )
            return level
        if field_id == "region":
            return self._region(text)
        if field_id == "status":
            if text not in STATUS_VALUES:
                allowed = "、".join([*STAGE_LABELS.values(), SUSPENDED_LABEL])
                raise cells.CellError(f"项目状态应为{allowed}之一，实际为「{cells.show(text)}」")
            return STATUS_VALUES[text]
        if field_id == "owner_code":
            code, _warning = cells.code(cell)
            return code
        if field_id == "unit":
            return self._unit(text)
        if field_id in ("name", "owner_name"):
            return text[:200]
        if field_id in ("chain_code", "node_code", "code"):
            return text[:40]
        return text[:400] if field_id != "issues" else text[:4000]

    def _region(self, text: str) -> str:
        code = text[:6]
        record = regions.get(code) if code.isdigit() else None
        if record is None:
            named = home.region_named(self.session, text)
            if named is None or regions.get(named) is None or regions.get(named).name != text:  # type: ignore[union-attr]
                raise cells.CellError(f"区域「{cells.show(text)}」不是已知的行政区划代码或名称")
            code = named
        if not home.covers(code):
            raise cells.CellError(home.outside_message(code))
        return code

    def _unit(self, text: str) -> int:
        if text not in self.units:
            try:
                self.units[text] = find_unit(self.session, text).id
            except NotFound:
                self.units[text] = None
        found = self.units[text]
        if found is None:
            raise cells.CellError(f"找不到单位「{cells.show(text)}」，请使用单位清单中的名称")
        return found

    def _required(self, row: Row) -> None:
        for field_id, message in (
            ("name", "项目名称不能为空"),
            ("year", "年度不能为空"),
            ("month", "月份不能为空"),
            ("year_actual", "本年完成投资不能为空（本年尚无投资请填0）"),
            ("cumulative", "自开始建设累计完成投资不能为空（尚无投资请填0）"),
        ):
            if field_id not in row.values and not self._had_error(row.number, field_id):
                self.findings.error(message, row.number, self.header.get(field_id))

    def _had_error(self, number: int, field_id: str) -> bool:
        column = self.header.get(field_id)
        letter = column.letter if column else None
        return any(p.row == number and p.column == letter for p in self.findings.problems.items)

    def _consistent(self, row: Row) -> None:
        f, v = self.findings, row.values
        if "code" in v and not CODE_SHAPE.match(str(v["code"])):
            f.warning(
                "投资项目统一代码的格式不是「年份-行政区划-行业-类型-流水号」，已按原样保存",
                row.number,
                row.columns["code"],
            )
        if "owner_code" in v and str(v["owner_code"]) not in self.enterprises:
            f.warning("业主单位未在企业名录中登记，只记录业主单位名称", row.number, row.columns["owner_code"])
        year_actual, cumulative = v.get("year_actual"), v.get("cumulative")
        if (
            isinstance(year_actual, float)
            and isinstance(cumulative, float)
            and year_actual > cumulative + 1e-6
        ):
            f.error("本年完成投资大于自开始建设累计完成投资", row.number, row.columns["year_actual"])
        total = v.get("total_investment")
        if isinstance(cumulative, float) and isinstance(total, float) and total and cumulative > total * 1.2:
            f.warning(
                "累计完成投资超过计划总投资的120%，请核实单位（万元）", row.number, row.columns["cumulative"]
            )
        if "year" not in v or "month" not in v:
            return
        end = row.period_end
        for name, what in (
            ("start_actual", "实际开工日期"),
            ("complete_actual", "实际竣工日期"),
            ("effect_actual", "实际达效日期"),
        ):
            when = v.get(name)
            if isinstance(when, date) and when > end:
                f.error(f"{what}晚于报告月份（{row.year}年{row.month}月）", row.number, row.columns[name])
        start, done = v.get("start_actual"), v.get("complete_actual")
        if isinstance(start, date) and isinstance(done, date) and done < start:
            f.error("实际竣工日期早于实际开工日期", row.number, row.columns["complete_actual"])
        if (
            v.get("status") == "suspended"
            and not v.get("suspend_reason")
            and self.header.get("suspend_reason")
        ):
            f.warning("停缓建项目请填写停缓建原因", row.number, self.header.get("suspend_reason"))
