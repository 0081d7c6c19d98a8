"""Downloadable templates (.xlsx): Chinese header labels with units, a comment on each header explaining it,
dropdowns (是/否, region codes, industry codes), numeric-only cells, an example row, a frozen header.

`export_figures` writes stored figures into the figures template; importing that file changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, enterprise_clause
from zhizao.enterprises import credit_code
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.errors import InvalidInput
from zhizao.imports.headers import ENTERPRISE_FIELDS, ENTERPRISE_REQUIRED, KEY_FIELDS, Catalogue
from zhizao.imports.validate import EXAMPLE_MARK
from zhizao.office import cells
from zhizao.office.tables import display_width
from zhizao.reference import home
from zhizao.reference.models import Industry

DATA_ROWS = 5000  # rows that carry the dropdowns and number checks
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
EXAMPLE_FONT = Font(italic=True, color="808080")

KEY_HELP = {
    "credit_code": "必填。18位统一社会信用代码（也可写纳税人识别号）。请保持文本格式，勿存成数字。",
    "name": "企业名称。",
    "region_code": "必填。从下拉列表选择区县，或填6位行政区划代码。",
    "industry_code": "必填。国民经济行业分类（GB/T 4754-2017）4位小类代码，可从下拉列表选择。",
    "established_on": "成立日期，如 2010-01-01。",
    "above_scale": "是否规模以上工业企业：是/否。",
    "tags": "标签，多个用逗号分隔（可空）。",
    "year": "必填。统计年度，如 2024。",
    "month": "月份1-12；全年数据填0或留空。",
}


def region_options(session: Session) -> list[home.Place]:
    """The regions an enterprise of the home region is registered in: the level below the home region and
    the one below that (a province's cities and their counties, a city's districts)."""
    return home.places_within(session, home.home_region_code())


def _example_region(regions: list[home.Place]) -> str:
    """「code name」 of the example row: the first county-level region offered (or the first region)."""
    place = next((p for p in regions if p.level == "district"), regions[0] if regions else None)
    return f"{place.code} {place.name}" if place else ""


def example_credit_code(region: str) -> str:
    """A valid-looking credit code for the example row, registered in `region` (its first 6 digits)."""
    return credit_code.complete(f"91{(region[:6] or '0' * 6)}MA3C00001")


def _lists(session: Session, workbook: Workbook, regions: list[home.Place]) -> dict[str, str]:
    """A hidden sheet with the dropdown values; returns field -> range formula."""
    sheet = workbook.create_sheet("代码表")
    sheet.sheet_state = "hidden"
    industries = session.execute(select(Industry.code, Industry.name).where(Industry.level == 4)).all()
    columns = {
        "region_code": [f"{p.code} {p.name}" for p in regions],
        "industry_code": [f"{c} {n}" for c, n in industries],
        "above_scale": ["是", "否"],
    }
    formulas = {}
    for index, (field, values) in enumerate(columns.items(), start=1):
        letter = get_column_letter(index)
        for row, value in enumerate(values, start=1):
            cells.put(sheet, row, index, value)
        formulas[field] = f"代码表!${letter}$1:${letter}${max(len(values), 1)}"
    return formulas


def _header(sheet: Worksheet, labels: list[tuple[str, str]]) -> None:
    for index, (label, help_text) in enumerate(labels, start=1):
        cell = cells.put(sheet, 1, index, label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
        cell.comment = Comment(help_text, "zhizao", width=260, height=90)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, display_width(label) + 4)
    sheet.freeze_panes = "A2"


def _validation(sheet: Worksheet, column: int, validation: DataValidation) -> None:
    letter = get_column_letter(column)
    validation.add(f"{letter}2:{letter}{DATA_ROWS}")
    validation.showErrorMessage = True
    sheet.add_data_validation(validation)


def write_template(
    session: Session,
    kind: str,
    out: Path,
    rows: Iterable[list[object]] | None = None,
    *,
    example: bool = True,
) -> Path:
    """The import template for `kind` (enterprises | figures), with `rows` of data if given."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "数据"
    if kind == "enterprises":
        fields = list(ENTERPRISE_FIELDS)
        required = set(ENTERPRISE_REQUIRED)
        labels = [(("*" if f in required else "") + KEY_FIELDS[f][0], KEY_HELP[f]) for f in fields]
        regions = region_options(session)
        formulas = _lists(session, workbook, regions)
        _header(sheet, labels)
        for index, field in enumerate(fields, start=1):
            if field in formulas:
                _validation(
                    sheet, index, DataValidation(type="list", formula1=formulas[field], allow_blank=True)
                )
        example_region = _example_region(regions)
        sample: list[object] = [
            f"{EXAMPLE_MARK} {example_credit_code(example_region)}",
            "示例制造有限公司",
            example_region,
            "3360",
            "2010-01-01",
            "是",
            "",
        ]
    elif kind == "figures":
        catalogue = Catalogue.load(session)
        labels = [
            ("*" + KEY_FIELDS["credit_code"][0], KEY_HELP["credit_code"]),
            (KEY_FIELDS["name"][0], "企业名称（仅供核对，与登记名称不一致时给出警告）。"),
            ("*" + KEY_FIELDS["year"][0], KEY_HELP["year"]),
            (KEY_FIELDS["month"][0], KEY_HELP["month"]),
        ]
        for info in catalogue.indicators.values():
            sign = "不能为负数" if info.non_negative else "可以为负数"
            kind_text = "整数" if info.value_type == "integer" else "数值"
            labels.append((info.label, f"{kind_text}，单位{info.unit}，{sign}。不填表示没有数据。"))
        _header(sheet, labels)
        for index, info in enumerate(catalogue.indicators.values(), start=5):
            number_type = "whole" if info.value_type == "integer" else "decimal"
            check = (
                DataValidation(type=number_type, operator="greaterThanOrEqual", formula1="0")
                if info.non_negative
                else DataValidation(type=number_type, operator="between", formula1="-1E+15", formula2="1E+15")
            )
            check.error = f"{info.label}应为{'非负' if info.non_negative else ''}数值"
            _validation(sheet, index, check)
        sample = [f"{EXAMPLE_MARK} {example_credit_code(_example_region(region_options(session)))}"]
        sample += ["示例制造有限公司", 2024, 0] + [
            100 if i.value_type == "integer" else 123.45 for i in catalogue.indicators.values()
        ]
    else:
        raise InvalidInput(f"未知的模板类型 {kind}（可选: enterprises、figures）")
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["A"].number_format = "@"
    if example:
        sheet.append(sample)
        for cell in sheet[2]:
            cell.font = EXAMPLE_FONT
    for values in rows or []:
        sheet.append(cells.row(sheet, values))
        sheet.cell(row=sheet.max_row, column=1).number_format = "@"
    last = get_column_letter(len(labels))
    sheet.auto_filter.ref = f"A1:{last}{max(sheet.max_row, DATA_ROWS)}"
    sheet.print_title_rows = "1:1"
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(out)
    return out


def export_figures(session: Session, actor: Actor, out: Path, year: int | None = None) -> Path:
    """Stored figures the actor may see, in the figures template (one row per enterprise and period)."""
    catalogue = Catalogue.load(session)
    order = list(catalogue.indicators)
    f, e = EnterpriseFigure, Enterprise
    query = (
        select(e.credit_code, e.name, f.year, f.month, f.indicator_id, f.value)
        .join(e, e.id == f.enterprise_id)
        .where(enterprise_clause(actor, e.id, e.region_code))
        .order_by(e.credit_code, f.year, f.month)
    )
    if year is not None:
        query = query.where(f.year == year)
    grouped: dict[tuple[str, str, int, int], dict[str, float]] = {}
    for code, name, y, m, indicator_id, value in session.execute(query):
        grouped.setdefault((code, name, y, m), {})[indicator_id] = value
    rows = [
        [code, name, y, m] + [values.get(i) for i in order] for (code, name, y, m), values in grouped.items()
    ]
    return write_template(session, "figures", out, rows, example=False)
