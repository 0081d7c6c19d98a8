"""A list written as a worksheet reads back with the habits of an Excel user."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook

from zhizao.office.tables import AMOUNT, Column, display_width, write_table


def _written(**kwargs: object) -> object:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    count = write_table(
        sheet,
        [Column("企业名称"), Column("营业收入(万元)", number_format=AMOUNT)],
        [("甲公司", 1234.5), ("=HYPERLINK(1)", None)],
        **kwargs,  # type: ignore[arg-type]
    )
    assert count == 2
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return load_workbook(buffer).active


def test_title_note_header_frozen_filtered_and_numbers_as_numbers() -> None:
    sheet = _written(title="企业名录", note="筛选：2024年")
    assert sheet["A1"].value == "企业名录"
    assert sheet["A2"].value == "筛选：2024年"
    assert [c.value for c in sheet[3]] == ["序号", "企业名称", "营业收入(万元)"]
    assert sheet["A3"].font.bold and sheet["A3"].fill.fgColor.rgb.endswith("DDE7F3")
    assert sheet.freeze_panes == "A4"
    assert sheet.auto_filter.ref == "A3:C5"
    assert sheet["A4"].value == 1 and sheet["C4"].value == 1234.5
    assert sheet["C4"].number_format == AMOUNT
    assert sheet["B5"].value == "=HYPERLINK(1)" and sheet["B5"].data_type == "s"
    assert sheet.column_dimensions["C"].width >= display_width("营业收入(万元)")


def test_without_title_the_header_is_the_first_row() -> None:
    sheet = _written(serial=False)
    assert [c.value for c in sheet[1]] == ["企业名称", "营业收入(万元)"]
    assert sheet.freeze_panes == "A2"


def test_display_width_counts_cjk_as_two() -> None:
    assert display_width("ab企业") == 6
    assert display_width(None) == 0


def test_stream_table_writes_a_write_only_sheet_with_the_same_habits() -> None:
    from datetime import date

    from tests.office.habits import assert_excel_habits, data_rows, read_sheet
    from zhizao.office.tables import DATE, stream_table

    book = Workbook(write_only=True)
    sheet = book.create_sheet("名录")
    rows = ((f"企业{i}", 1000.5 + i, date(2020, 1, 1)) for i in range(30))
    count = stream_table(
        sheet,
        [Column("企业名称"), Column("营业收入(万元)", AMOUNT), Column("成立日期", DATE)],
        rows,
        title="企业名录",
        sample=10,
    )
    assert count == 30
    buffer = io.BytesIO()
    book.save(buffer)
    read = read_sheet(buffer.getvalue())
    assert_excel_habits(read, title="企业名录", numbers=("序号", "营业收入(万元)", "成立日期"))
    assert {str(r) for r in read.merged_cells.ranges} == {"A1:D1", "A2:D2"}
    assert read.auto_filter.ref == "A3:D33"
    assert data_rows(read)[29][:2] == (30, "企业29")
    assert read["C4"].number_format == AMOUNT
