"""What every import's checks share (options, the problem collector, who may write where) and the row
checks of an enterprise-registry file: each row becomes a typed row, or problems with their row and column.

Errors stop the import (nothing is written); warnings need the user's confirmation. A figures file is
checked by the column instead (`figures`), with the same cell parsers and messages (`cells`).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, sees_region
from zhizao.enterprises.names import clean_name
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

    def add(self, severity: str, message: str, row: int, column: Column | None) -> None:
        """Keep a problem already counted (the checks over whole columns count as they go)."""
        add = self.problems.error if severity == "error" else self.problems.warning
        add(_where(message, column), row, column.letter if column else None)


def _where(message: str, column: Column | None) -> str:
    return f"{column.header}: {message}" if column else message


@dataclass
class EnterpriseRow:
    row: int
    credit_code: str
    values: dict[str, object]  # field -> typed value (only the columns present in the file)


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


def may_write(actor: Actor, region_code: str) -> bool:
    """Administrators and analysts import for the whole home region, regional officers for their region and
    the regions inside it."""
    return actor.role in (Role.ADMIN, Role.ANALYST, Role.DISTRICT) and sees_region(actor, region_code)


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
        elif isinstance(region, str) and not may_write(self.actor, region):
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
