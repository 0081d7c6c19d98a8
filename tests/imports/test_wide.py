"""The columnar reader and the wide-table checks `zhizao evaluate --data` uses: every file type the import
reads, the import's header vocabulary and units, and each problem reported with its row and column."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook

from zhizao.errors import InvalidInput
from zhizao.evaluation.backends import connect
from zhizao.evaluation.inputs import read_into, read_table

HEADER = [
    "统一社会信用代码",
    "企业名称",
    "所属区域",
    "行业代码",
    "是否规上",
    "年度",
    "税收(元)",
    "用地面积(亩)",
    "标签",
]
ROWS = [
    ["A1", "甲", "370211", "3411", "是", 2023, 1_000_000, 10, "在建，高新"],
    ["A1", "甲", "370211", "3411", "是", 2024, 2_000_000, 10, ""],
    ["B2", "乙", "370212", "3360", "否", 2024, 500_000, 3.5, '["搬迁"]'],
]


def workbook(path: Path, rows: list[list[object]], title_rows: int = 0) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for _ in range(title_rows):
        sheet.append(["某地区企业数据（标题行）"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def csv_file(path: Path, rows: list[list[object]], encoding: str) -> Path:
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def test_read_table_xlsx_csv_and_parquet_alike(tmp_path: Path) -> None:
    xlsx = read_table(workbook(tmp_path / "in.xlsx", ROWS, title_rows=2))
    gbk = read_table(csv_file(tmp_path / "in.csv", ROWS, "gb18030"))
    pq.write_table(
        xlsx.drop(["tags"]).append_column("tags", pa.array(["|在建|高新|", "", "|搬迁|"])),
        tmp_path / "in.parquet",
    )
    parquet = read_table(tmp_path / "in.parquet")
    for table in (xlsx, gbk, parquet):
        rows = table.sort_by([("credit_code", "ascending"), ("year", "ascending")]).to_pylist()
        assert [r["tax"] for r in rows] == pytest.approx([100.0, 200.0, 50.0])  # 元 → 万元
        assert [r["above_scale"] for r in rows] == [True, True, False]
        assert [r["tags"] for r in rows] == ["|在建|高新|", "", "|搬迁|"]
        assert rows[0]["region_code"] == "370211" and rows[2]["land_mu"] == 3.5


def test_read_table_reports_row_and_column_of_each_problem(tmp_path: Path) -> None:
    bad = [
        *ROWS,
        ["C3", "丙", "370211", "3411", "也许", 2024, "一百", -1, ""],
        ["A1", "甲", "370211", "3411", "是", 2024, 1, 1, ""],
        ["D4", "丁", "370211", "3411", "是", "", 1, 1, ""],
    ]
    with pytest.raises(InvalidInput) as caught:
        read_table(workbook(tmp_path / "bad.xlsx", bad, title_rows=1))
    found = {(p.row, p.column): p.message for p in caught.value.problems}
    # the header is on row 2, so data rows start at 3: C3 is row 6, the repeated A1 row 7, D4 row 8
    assert set(found) == {(6, "above_scale"), (6, "tax"), (6, "land_mu"), (7, "credit_code"), (8, "year")}
    assert "应填「是」或「否」" in found[(6, "above_scale")]
    assert found[(6, "tax")].startswith("税收(元): 应为数值")
    assert "不能为负数" in found[(6, "land_mu")]
    assert found[(7, "credit_code")] == "与第4行重复（同一企业、年度）"
    assert "年度不能为空" in found[(8, "year")]


def test_read_table_missing_columns_named(tmp_path: Path) -> None:
    path = tmp_path / "few.csv"
    path.write_text("统一社会信用代码,企业名称\nA1,甲\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="缺少必填列: 年度、所属区域、是否规上") as caught:
        read_table(path)
    assert {p.column for p in caught.value.problems} == {"region_code", "above_scale", "year"}


def test_read_into_duckdb_is_a_view_checked_before_use(tmp_path: Path) -> None:
    path = tmp_path / "in.parquet"
    pq.write_table(read_table(workbook(tmp_path / "in.xlsx", ROWS)), path)
    backend = connect("duckdb")
    table = read_into(path, backend)
    assert backend.execute(table.count()) == 3
    assert set(backend.execute(table.year)) == {2023, 2024}
    broken = read_table(path).to_pandas()
    broken.loc[1, "year"] = 1800
    pq.write_table(pa.Table.from_pandas(broken, preserve_index=False), path)
    with pytest.raises(InvalidInput) as caught:
        read_into(path, backend)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "year")]
