"""The whole-column parsers read every cell exactly as the cell parsers of `cells` do: the same value, or the
same message, whichever path (array operations or the cell parser) a cell takes."""

from __future__ import annotations

import math
from datetime import date

import numpy as np

from tests.conftest import new_credit_code
from zhizao.imports import cell_columns, cells
from zhizao.imports.readers import Cell


def _expected(parse: object, column: list[Cell]) -> list[object]:
    out: list[object] = []
    for cell in column:
        try:
            out.append(parse(cell))  # type: ignore[operator]
        except cells.CellError as exc:
            out.append(str(exc))
    return out


def test_numbers_read_each_cell_as_the_cell_parser_does() -> None:
    column: list[Cell] = [1.5, 3, "1,234.5", " 42 ", "１２３", "-", None, "十二万", True, date(2024, 1, 1)]
    column += ["1e3", "", float("inf")]
    values, found = cell_columns.numbers(column)
    messages = dict(found)
    got = [messages.get(i, None if math.isnan(v) else v) for i, v in enumerate(values.tolist())]
    assert got == _expected(cells.number, column)


def test_years_and_months_read_each_cell_as_the_cell_parser_does() -> None:
    column: list[Cell] = [2024.0, "2023", "2022年", 1989.0, 2024.5, "abc", None, "-"]
    values, found = cell_columns.whole_numbers(column, cells.year, -1)
    messages = dict(found)
    got = [messages.get(i, None if v == -1 else v) for i, v in enumerate(values.tolist())]
    assert got == _expected(cells.year, column)
    months: list[Cell] = [0.0, 6.0, "12", "7月", 13.0, "x", None]
    values, found = cell_columns.whole_numbers(months, cells.month, 0)
    messages = dict(found)
    assert [messages.get(i, v) for i, v in enumerate(values.tolist())] == _expected(cells.month, months)


def test_codes_check_the_check_character_of_a_whole_column() -> None:
    good = new_credit_code()
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    column: list[Cell] = [good, good.lower(), f" {good} ", wrong, "123", None, 9.1e17, good]
    for historical in (False, True):
        values, errors, warnings = cell_columns.codes(column, accept_historical=historical)
        messages, notes = dict(errors), dict(warnings)
        expected = _expected(lambda c, h=historical: cells.code(c, accept_historical=h), column)
        got = [messages.get(i, (values[i].as_py(), notes.get(i))) for i in range(len(column))]
        assert got == expected
    # with historical codes accepted, the wrong check character is a value (and a warning)
    expected_valid = [True] * 4 + [False, False, False, True]
    assert np.array_equal(cell_columns.mask(values.is_valid()), expected_valid)
