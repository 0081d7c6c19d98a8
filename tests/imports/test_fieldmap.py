"""The one header → field map: header row search, aliases, units, duplicates, required columns and cells."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from zhizao.imports.fieldmap import Field, FieldMap
from zhizao.imports.readers import UnusableFile, open_table

FORM = FieldMap(
    [
        Field("name", "项目名称", ("项目",), required=True),
        Field("amount", "投资", ("总投资",), kind="number", unit="万元"),
        Field("day", "日期", ("开工日期",), kind="date"),
        Field("count", "人数", (), kind="int"),
        Field("note", "备注", (), max_length=4),
    ],
    skip=("序号",),
)


def _table(tmp_path: Path, rows: list[list[object]], merge: str | None = None) -> object:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    path = tmp_path / "t.xlsx"
    book.save(path)
    return open_table(path)


def test_find_header_below_title_rows_with_aliases_and_unit(tmp_path: Path) -> None:
    table = _table(tmp_path, [["2025年重点项目表"], [], ["序号", "项目", "总投资(亿元)", "开工日期", "其他"]])
    header = FORM.find(table)  # type: ignore[arg-type]
    assert header.row == 3
    assert [c.field for c in header.columns] == ["name", "amount", "day"]
    assert header.ignored == ("其他",)
    assert header.get("amount") is not None and header.get("amount").factor == 1e4  # type: ignore[union-attr]


def test_find_header_refuses_duplicate_missing_and_merged(tmp_path: Path) -> None:
    with pytest.raises(UnusableFile, match="是同一列"):
        FORM.find(_table(tmp_path, [["项目名称", "投资", "总投资"]]))  # type: ignore[arg-type]
    with pytest.raises(UnusableFile, match="未找到表头"):
        FORM.find(_table(tmp_path, [["投资", "日期"]]))  # type: ignore[arg-type]
    with pytest.raises(UnusableFile, match="合并单元格（B1:C1）"):
        FORM.find(_table(tmp_path, [["项目名称", "投资", None]], merge="B1:C1"))  # type: ignore[arg-type]
    with pytest.raises(UnusableFile, match="无法换算为万元"):
        FORM.find(_table(tmp_path, [["项目名称", "投资(公顷)"]]))  # type: ignore[arg-type]


def test_required_column_missing_names_its_label() -> None:
    both = FieldMap([Field("a", "甲"), Field("b", "乙", required=True)], anchors=("a",))
    with pytest.raises(UnusableFile, match="缺少必填列: 乙"):
        both.map_row(1, ["甲"])


def test_duplicates_first_keeps_the_first_column() -> None:
    lenient = FieldMap([Field("a", "甲", ("A",))], duplicates="first")
    assert [c.index for c in lenient.map_row(1, ["甲", "A"]).columns] == [0]


def test_read_row_types_values_and_reports_problems_by_column() -> None:
    header = FORM.map_row(1, ["项目名称", "投资(亿元)", "日期", "人数", "备注"])
    good = FORM.read(header, 2, ["  甲项目 ", "1.5", "2025年3月1日", "12", "无"])
    assert good.values == {"name": "甲项目", "amount": 15000.0, "day": date(2025, 3, 1), "count": 12}
    assert good.problems == []
    bad = FORM.read(header, 3, [None, "很多", "明天", "1.5", "五个字以上"])
    messages = {column.field: message for message, column in bad.problems if column}
    assert messages["name"] == "项目名称不能为空"
    assert set(messages) == {"name", "amount", "day", "count", "note"}
    assert "不能超过4个字" in messages["note"]
