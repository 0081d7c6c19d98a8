"""The tables of a month's analysis, once: the page, the .docx and the Excel workbook all render these."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook

from zhizao.monitoring.groupings import GROUP_LABELS
from zhizao.monitoring.queries import Report
from zhizao.monitoring.results import FirmResult, GroupResult
from zhizao.office.tables import AMOUNT, INTEGER, POINTS, Column, write_table


@dataclass(frozen=True)
class ReportTable:
    title: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def group_rows(groups: Sequence[GroupResult], total: GroupResult) -> list[list[Any]]:
    return [
        [
            g.name,
            _r(g.value_cum),
            _r(g.value_cum_prev),
            _r(g.growth),
            _r(g.contribution_pp),
            _r(g.share_of_growth),
            _r(g.growth_breadth),
            g.firms,
            _r(g.value_month),
            _r(g.growth_month),
            _r(g.mom_growth),
            _r(g.beside_growth),
            g.new_firms,
            _r(g.new_value),
            g.exit_firms,
            _r(g.exit_value),
        ]
        for g in [*groups, total]
    ]


GROUP_COLUMNS = (
    Column("累计值", AMOUNT),
    Column("上年同期", AMOUNT),
    Column("同比增长(%)", POINTS),
    Column("拉动(百分点)", POINTS),
    Column("增长贡献率(%)", POINTS),
    Column("增长面(%)", POINTS),
    Column("可比企业数", INTEGER),
    Column("当月值", AMOUNT),
    Column("当月同比(%)", POINTS),
    Column("环比(%)", POINTS),
    Column("用电量同比(%)", POINTS),
    Column("增量企业数", INTEGER),
    Column("增量企业累计值", AMOUNT),
    Column("退出企业数", INTEGER),
    Column("退出企业上年同期值", AMOUNT),
)
FIRM_COLUMNS = (
    Column("企业名称"),
    Column("统一社会信用代码"),
    Column("累计值", AMOUNT),
    Column("上年同期", AMOUNT),
    Column("同比增长(%)", POINTS),
    Column("拉动(百分点)", POINTS),
)


def firm_rows(firms: Sequence[FirmResult]) -> list[list[Any]]:
    return [
        [f.name, f.credit_code, _r(f.value_cum), _r(f.value_cum_prev), _r(f.growth), _r(f.contribution_pp, 3)]
        for f in firms
    ]


def report_tables(report: Report) -> list[ReportTable]:
    a = report.analysis
    label = GROUP_LABELS.get(a.group_by, a.group_by)
    months = [
        [f"1—{p.month}月", _r(p.growth), _r(p.growth_breadth), _r(p.industry_breadth), _r(p.growth_month)]
        for p in a.months
    ]
    warnings = [[w.district_name, w.name, w.credit_code, w.label, w.evidence] for w in report.warnings]
    return [
        ReportTable(f"分{label}运行情况", (Column(label), *GROUP_COLUMNS), group_rows(a.groups, a.total)),
        ReportTable(
            "增长面及增速走势",
            (
                Column("期间"),
                Column("累计同比(%)", POINTS),
                Column("企业增长面(%)", POINTS),
                Column("行业增长面(%)", POINTS),
                Column("当月同比(%)", POINTS),
            ),
            months,
        ),
        ReportTable("增长支撑企业", FIRM_COLUMNS, firm_rows(a.support)),
        ReportTable("减量因素企业", FIRM_COLUMNS, firm_rows(a.drag)),
        ReportTable(
            "预警企业",
            (
                Column("地区"),
                Column("企业名称"),
                Column("统一社会信用代码"),
                Column("预警类型"),
                Column("依据"),
            ),
            warnings,
        ),
    ]


def workbook(report: Report, title: str) -> bytes:
    """The tables as one workbook, a sheet each (through `office.tables.write_table`)."""
    book = Workbook()
    book.remove(book.active)
    for table in report_tables(report):
        sheet = book.create_sheet(table.title[:31])
        write_table(sheet, table.columns, table.rows, title=f"{title} {table.title}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
