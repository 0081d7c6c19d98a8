"""Zip bombs and entity bombs are refused before any reader inflates them, with the numbers in the message;
ordinary workbooks and documents pass."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.office import bombs
from zhizao.cli import app
from zhizao.errors import InvalidInput
from zhizao.imports.readers import UnusableFile, open_table
from zhizao.office.archives import BOMB, ArchiveLimits, check_archive
from zhizao.plans.reading.sources import read_bytes


def test_accept_ordinary_workbooks_and_documents() -> None:
    check_archive(bombs.xlsx_bytes([["a", 1]] * 1000))
    check_archive(bombs.docx_bytes())
    check_archive(b"not a zip at all")  # the reader decides what it is


def test_refuse_an_archive_over_the_ratio_from_its_directory() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_archive(bombs.xlsx_bomb())
    assert BOMB in refused.value.message and "20.0 MB" in refused.value.message
    assert "上限 100:1" in refused.value.message


def test_refuse_an_archive_whose_directory_says_it_is_too_large() -> None:
    claimed = bombs.with_sizes(bombs.xlsx_bytes(), "xl/worksheets/sheet1.xml", 600 * bombs.MB)
    with pytest.raises(InvalidInput) as refused:
        check_archive(claimed)
    assert (
        BOMB in refused.value.message
        and "600.0 MB" in refused.value.message
        and "上限 500.0 MB" in (refused.value.message)
    )


def test_refuse_an_archive_with_too_many_entries() -> None:
    with pytest.raises(InvalidInput) as refused:
        check_archive(bombs.xlsx_bytes(), ArchiveLimits(max_entries=3))
    assert "条目" in refused.value.message and "上限 3" in refused.value.message
    with pytest.raises(InvalidInput, match="1000000 个条目"):  # read from the end record, nothing parsed
        check_archive(bombs.zip64_end(1_000_000))


def test_refuse_an_archive_whose_directory_lies_with_a_bounded_read() -> None:
    lying = bombs.lying_xlsx(padding=40 * bombs.MB)
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput) as refused:
            check_archive(lying)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert BOMB in refused.value.message and "实际解压后超过目录所写" in refused.value.message
    assert peak < 8 * bombs.MB


def test_open_table_refuses_an_xlsx_bomb_as_unusable(tmp_path: Path) -> None:
    for name, data in (("bomb.xlsx", bombs.xlsx_bomb()), ("lying.xlsx", bombs.lying_xlsx())):
        path = tmp_path / name
        path.write_bytes(data)
        with pytest.raises(UnusableFile, match=BOMB):
            open_table(path)


def test_read_bytes_refuses_a_docx_bomb() -> None:
    with pytest.raises(InvalidInput, match=BOMB):
        read_bytes(bombs.docx_bomb(), "方案.docx")


def test_cli_plan_parse_refuses_a_docx_bomb(tmp_path: Path) -> None:
    path = tmp_path / "方案.docx"
    path.write_bytes(bombs.docx_bomb())
    result = CliRunner().invoke(app, ["plan", "parse", str(path)])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit | None)
    assert BOMB in result.output


def test_refuse_or_read_safely_a_billion_laughs() -> None:
    with pytest.raises(InvalidInput, match="已损坏"):
        read_bytes(bombs.laughing_docx(), "方案.docx")
    text = read_bytes(bombs.laughing_html(), "方案.html")  # html.parser expands no entities it does not know
    assert "lollol" not in text and len(text) < 1000


def test_open_table_refuses_a_billion_laughs_workbook(tmp_path: Path) -> None:
    path = tmp_path / "laughs.xlsx"
    path.write_bytes(bombs.laughing_xlsx())
    with pytest.raises(UnusableFile):
        list(open_table(path).rows())
