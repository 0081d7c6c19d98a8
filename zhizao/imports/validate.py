"""Row checks: each row of a file becomes a typed row, or problems with their row and column.

Errors stop the import (nothing is written); warnings (implausible values, unit mix-ups) need the user's
confirmation. Checks that need the database (the enterprise's previous year, for the unit hint) are in
`apply`, which sees the stored values.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, sees_region
from zhizao.enterprises.models import Enterprise
from zhizao.enterprises.names import clean_name, same_name
from zhizao.errors import Problems
from zhizao.imports import cells
from zhizao.imports.headers import Column, HeaderMap
from zhizao.imports.readers import Cell, Table
from zhizao.reference import home
from zhizao.reference.models import Industry, Region

MAX_PROBLEMS = 5000  # kept in full; more are counted only
LAND_MU_LIMIT = 10_000
EXAMPLE_MARK = "示例"


@dataclass
class Options:
    year: int | None = None  # for files without a 年度 column
    accept_historical_codes: bool = False


@dataclass
class Findings:
    """Problems found so far, capped in memory, counted in full."""

    problems: Problems = field(default_factory=Problems)
    errors: int = 0
    warnings: int = 0

    def error(self, message: str, row: int | None = None, column: Column | None = None) -> None:
        self.errors += 1
        if len(self.problems.items) < MAX_PROBLEMS:
            self.problems.error(_where(message, column), row, column.letter if column else None)

    def warning(self, message: str, row: int | None = None, column: Column | None = None) -> None:
        self.warnings += 1
        if len(self.problems.items) < MAX_PROBLEMS:
            self.problems.warning(_where(message, column), row, column.letter if column else None)


def _where(message: str, column: Column | None) -> str:
    return f"{column.header}: {message}" if column else message


@dataclass(frozen=True)
class KnownEnterprise:
    id: int
    name: str
    region_code: str


@dataclass
class FigureRow:
    row: int
    enterprise_id: int
    credit_code: str
    name: str
    year: int
    month: int
    values: dict[str, tuple[float, Column]]


@dataclass
class EnterpriseRow:
    row: int
    credit_code: str
    values: dict[str, object]  # field -> typed value (only the columns present in the file)


def load_enterprises(session: Session) -> dict[str, KnownEnterprise]:
    rows = session.execute(
        select(Enterprise.credit_code, Enterprise.id, Enterprise.name, Enterprise.region_code)
    )
    return {code: KnownEnterprise(id_, name, region) for code, id_, name, region in rows}


def data_rows(table: Table, header: HeaderMap) -> Iterator[tuple[int, list[Cell]]]:
    """Rows after the header that hold something (example rows marked 示例 are skipped)."""
    key = header.get("credit_code")
    for number, row in table.rows():
        if number <= header.row or all(cells.is_empty(c) for c in row):
            continue
        first = row[key.index] if key and key.index < len(row) else None
        if isinstance(first, str) and first.strip().startswith(EXAMPLE_MARK):
            continue
        yield number, row


def _cell(row: list[Cell], column: Column | None) -> Cell:
    if column is None or column.index >= len(row):
        return None
    return row[column.index]


def _may_write(actor: Actor, region_code: str) -> bool:
    """Administrators and analysts import for the whole home region, regional officers for their region and
    the regions inside it."""
    return actor.role in (Role.ADMIN, Role.ANALYST, Role.DISTRICT) and sees_region(actor, region_code)


class FigureRows:
    """Reads figure rows: one row per enterprise and period, one column per indicator."""

    def __init__(
        self,
        header: HeaderMap,
        enterprises: dict[str, KnownEnterprise],
        actor: Actor,
        options: Options,
        findings: Findings,
    ) -> None:
        self.header = header
        self.enterprises = enterprises
        self.actor = actor
        self.options = options
        self.findings = findings
        self.seen: dict[tuple[str, int, int], int] = {}
        # looked up once, not per row (a 200,000-row file calls parse() 200,000 times)
        self.code_column = header.get("credit_code")
        self.name_column = header.get("name")
        self.year_column = header.get("year")
        self.month_column = header.get("month")
        self.figure_columns = [(c, c.indicator) for c in header.figure_columns if c.indicator is not None]

    def read(self, table: Table) -> Iterator[FigureRow]:
        for number, row in data_rows(table, self.header):
            parsed = self.parse(number, row)
            if parsed is not None:
                yield parsed

    def parse(self, number: int, row: list[Cell]) -> FigureRow | None:
        f = self.findings
        errors_before = f.errors
        enterprise, code = self._enterprise(number, row)
        year_column = self.year_column
        try:
            year = cells.year(_cell(row, year_column)) or self.options.year
        except cells.CellError as exc:
            f.error(str(exc), number, year_column)
            year = None
        if year is None and year_column is not None and self.options.year is None:
            f.error("年度不能为空", number, year_column)
        elif year is None and year_column is None:
            f.error("文件没有「年度」列，请在命令中用 --year 指定年度", number)
        try:
            month = cells.month(_cell(row, self.month_column))
        except cells.CellError as exc:
            f.error(str(exc), number, self.month_column)
            month = 0
        values = self._values(number, row)
        if enterprise is not None and year is not None:
            key = (code, year, month)
            if key in self.seen:
                f.error(f"与第{self.seen[key]}行重复（同一企业、年度、月份）", number, self.code_column)
            else:
                self.seen[key] = number
        if f.errors > errors_before or enterprise is None or year is None:
            return None
        self._plausible(number, values)
        return FigureRow(number, enterprise.id, code, enterprise.name, year, month, values)

    def _enterprise(self, number: int, row: list[Cell]) -> tuple[KnownEnterprise | None, str]:
        column = self.code_column
        try:
            code, warning = cells.code(
                _cell(row, column), accept_historical=self.options.accept_historical_codes
            )
        except cells.CellError as exc:
            self.findings.error(str(exc), number, column)
            return None, ""
        if warning:
            self.findings.warning(warning, number, column)
        enterprise = self.enterprises.get(code)
        if enterprise is None:
            self.findings.error(f"企业 {code} 未登记，请先导入企业名录", number, column)
            return None, code
        if not _may_write(self.actor, enterprise.region_code):
            self.findings.error(f"企业 {code} 不在本账号所属地区内，无权导入其数据", number, column)
            return None, code
        name_column = self.name_column
        name = clean_name(cells.text(_cell(row, name_column)))
        if name and not same_name(name, enterprise.name):
            self.findings.warning(f"企业名称与登记的「{enterprise.name}」不一致", number, name_column)
        return enterprise, code

    def _values(self, number: int, row: list[Cell]) -> dict[str, tuple[float, Column]]:
        values: dict[str, tuple[float, Column]] = {}
        width = len(row)
        for column, info in self.figure_columns:
            cell = row[column.index] if column.index < width else None
            try:
                # the common case first: a numeric cell (bool is an int subclass and is refused by number())
                raw = cell if type(cell) is float and math.isfinite(cell) else cells.number(cell)
            except cells.CellError as exc:
                self.findings.error(str(exc), number, column)
                continue
            if raw is None:
                continue
            value = raw * column.factor
            if info.non_negative and value < 0:
                self.findings.error(f"不能为负数（{cells.show(raw)}）", number, column)
                continue
            if info.value_type == "integer" and not float(value).is_integer():
                self.findings.error(f"应为整数，实际为 {cells.show(raw)}", number, column)
                continue
            values[info.id] = (value, column)
        return values

    def _plausible(self, number: int, values: dict[str, tuple[float, Column]]) -> None:
        f = self.findings
        if "land_mu" in values and values["land_mu"][0] > LAND_MU_LIMIT:
            f.warning(f"用地面积超过{LAND_MU_LIMIT:,}亩，请核实单位", number, values["land_mu"][1])
        for small, big, message in (
            ("tax", "revenue", "税收大于营业收入，请核实"),
            ("value_added", "output_value", "工业增加值大于工业总产值，请核实"),
        ):
            if small in values and big in values and values[small][0] > values[big][0] > 0:
                f.warning(message, number, values[small][1])


class EnterpriseRows:
    """Reads enterprise rows: code, name, region, industry and the optional fields."""

    def __init__(
        self, session: Session, header: HeaderMap, actor: Actor, options: Options, findings: Findings
    ):
        self.header = header
        self.actor = actor
        self.options = options
        self.findings = findings
        regions = session.execute(select(Region.code, Region.name, Region.valid_to)).all()
        names: dict[str, list[str]] = {}
        for code, name, valid_to in regions:
            if valid_to is None and home.covers(code):
                names.setdefault(name, []).append(code)
        self.regions = {code: code for code, _, _ in regions}
        self.region_names = {name: codes[0] for name, codes in names.items() if len(codes) == 1}
        self.ambiguous_names = {name: codes for name, codes in names.items() if len(codes) > 1}
        self.industries = set(session.scalars(select(Industry.code)))
        self.seen: dict[str, int] = {}

    def read(self, table: Table) -> Iterator[EnterpriseRow]:
        for number, row in data_rows(table, self.header):
            parsed = self.parse(number, row)
            if parsed is not None:
                yield parsed

    def parse(self, number: int, row: list[Cell]) -> EnterpriseRow | None:
        h, f = self.header, self.findings
        errors_before = f.errors
        column = h.get("credit_code")
        code = ""
        try:
            code, warning = cells.code(
                _cell(row, column), accept_historical=self.options.accept_historical_codes
            )
            if warning:
                f.warning(warning, number, column)
            if code in self.seen:
                f.error(f"与第{self.seen[code]}行重复（同一统一社会信用代码）", number, column)
            self.seen.setdefault(code, number)
        except cells.CellError as exc:
            f.error(str(exc), number, column)
        values: dict[str, object] = {}
        for field_id in ("name", "region_code", "industry_code", "established_on", "above_scale", "tags"):
            column = h.get(field_id)
            if column is None:
                continue
            try:
                values[field_id] = self._field(field_id, _cell(row, column))
            except cells.CellError as exc:
                f.error(str(exc), number, column)
        region = values.get("region_code")
        if isinstance(region, str) and not home.covers(region):
            f.error(home.outside_message(region), number, h.get("region_code"))
        elif isinstance(region, str) and not _may_write(self.actor, region):
            f.error("不在本账号所属地区内，无权导入", number, h.get("region_code"))
        if f.errors > errors_before:
            return None
        return EnterpriseRow(number, code, {k: v for k, v in values.items() if v is not None})

    def _field(self, field_id: str, cell: Cell) -> object:
        if field_id == "name":
            name = clean_name(cells.text(cell))
            if not name:
                raise cells.CellError("企业名称不能为空")
            return name[:200]
        if field_id == "region_code":
            return self._region(cell)
        if field_id == "industry_code":
            return self._industry(cell)
        if field_id == "established_on":
            return cells.a_date(cell)
        if field_id == "above_scale":
            return cells.yes_no(cell)
        tags = cells.text(cell).replace("，", ",").replace("、", ",")
        return [t.strip() for t in tags.split(",") if t.strip()] or None

    def _region(self, cell: Cell) -> str:
        raw = cells.text(cell)
        if not raw:
            raise cells.CellError("所属区域不能为空")
        for candidate in (raw, raw[:6]):
            if candidate in self.regions:
                return self.regions[candidate]
        name = raw.split(" ")[-1]
        if name in self.region_names:
            return self.region_names[name]
        if name in self.ambiguous_names:
            codes = "、".join(self.ambiguous_names[name])
            raise cells.CellError(f"区域名称「{name}」对应多个行政区划（{codes}），请填写6位代码")
        raise cells.CellError(f"区域「{cells.show(raw)}」不是已知的行政区划代码或名称")

    def _industry(self, cell: Cell) -> str:
        raw = cells.text(cell).upper()
        if not raw:
            raise cells.CellError("行业代码不能为空")
        candidate = raw.split(" ")[0]
        if len(candidate) == 5 and candidate[0].isalpha():
            candidate = candidate[1:]  # "C3360" -> "3360"
        if candidate not in self.industries:
            raise cells.CellError(f"行业代码「{cells.show(raw)}」不是GB/T 4754-2017中的代码")
        return candidate


ENTERPRISE_COLUMNS = ("name", "region_code", "industry_code", "established_on", "above_scale", "tags")


def as_json(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value
