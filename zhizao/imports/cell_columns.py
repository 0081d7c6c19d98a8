"""Whole columns of cells parsed at once: the vectorised form of `cells`.

Each parser takes one column of a chunk of rows (the Python values a reader gives) and returns a NumPy or
Arrow array of typed values plus the problems, as (position in the chunk, message). The common cells (a
number stored as a number, a plain decimal in text, a well-formed credit code) are accepted by array
operations; only the other cells reach the cell parser of `cells` — once per distinct value — which stays
the one definition of what is accepted and of the words a clerk reads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from zhizao.enterprises import credit_code_arrays
from zhizao.imports import cells
from zhizao.imports.readers import Cell

Found = list[tuple[int, str]]  # (position in the chunk, message)
T = TypeVar("T")

_DECIMAL = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"
_CODE = r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$"


def mask(flags: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """An Arrow boolean array as a NumPy one, null as False (through uint8: no pandas import)."""
    return pc.cast(pc.fill_null(flags, False), pa.uint8()).to_numpy() != 0


def _slow(
    column: Sequence[Cell], positions: Sequence[int], parse: Callable[[Cell], T]
) -> tuple[dict[int, T], Found]:
    """`parse` on the cells at `positions`, once per distinct cell: (values by position, problems)."""
    results: dict[object, T | cells.CellError] = {}
    values: dict[int, T] = {}
    found: Found = []
    for at in positions:
        cell = column[at]
        key = (type(cell), cell)
        if key not in results:
            try:
                results[key] = parse(cell)
            except cells.CellError as exc:
                results[key] = exc
        outcome = results[key]
        if isinstance(outcome, cells.CellError):
            found.append((at, str(outcome)))
        else:
            values[at] = outcome
    return values, found


def numbers(column: Sequence[Cell]) -> tuple[np.ndarray, Found]:
    """Floats (NaN for an empty cell) as `cells.number` reads them."""
    floats = np.array([c if type(c) is float or type(c) is int else np.nan for c in column], dtype=np.float64)
    texts = pa.array([c if type(c) is str else None for c in column], pa.string())
    decimal = pc.fill_null(pc.match_substring_regex(texts, _DECIMAL), False)
    plain = mask(decimal)
    if plain.any():
        parsed = pc.fill_null(pc.cast(pc.if_else(decimal, texts, None), pa.float64()), np.nan).to_numpy()
        floats = np.where(plain, parsed, floats)
    other = [
        i
        for i, c in enumerate(column)
        if c is not None and not (type(c) is float or type(c) is int) and not plain[i]
    ]
    infinite = np.flatnonzero(~np.isfinite(floats) & ~np.isnan(floats))
    values, found = _slow(column, sorted({*other, *infinite.tolist()}), cells.number)
    for at, value in values.items():
        floats[at] = np.nan if value is None else value
    for at, _message in found:
        floats[at] = np.nan
    return floats, found


def whole_numbers(
    column: Sequence[Cell], parse: Callable[[Cell], int | None], empty: int
) -> tuple[np.ndarray, Found]:
    """Integers as `parse` (`cells.year`, `cells.month`) reads them; `empty` for an empty cell or a problem.

    A number stored as a whole number is read directly; everything else goes through `parse`."""
    out = np.full(len(column), empty, dtype=np.int64)
    floats = np.array([c if type(c) is float or type(c) is int else np.nan for c in column], dtype=np.float64)
    whole = np.isfinite(floats) & (floats == np.floor(floats)) & (floats >= 0) & (floats < 10_000)
    positions = [i for i, c in enumerate(column) if c is not None and not whole[i]]
    # a whole number is checked by `parse` once per distinct value (range and message are its)
    distinct = {int(v) for v in np.unique(floats[whole])}
    accepted: dict[int, int | None] = {}
    for value in distinct:
        try:
            accepted[value] = parse(float(value))
        except cells.CellError:
            positions.extend(np.flatnonzero(whole & (floats == value)).tolist())
    for value, parsed in accepted.items():
        out[whole & (floats == value)] = empty if parsed is None else parsed
    values, found = _slow(column, sorted(positions), parse)
    for at, parsed in values.items():
        out[at] = empty if parsed is None else parsed
    return out, found


def texts(column: Sequence[Cell]) -> list[str]:
    """Each cell as `cells.text` gives it ("" for an empty cell)."""
    return [
        c.strip() if type(c) is str and c.isascii() else "" if c is None else cells.text(c) for c in column
    ]


def codes(column: Sequence[Cell], *, accept_historical: bool) -> tuple[pa.Array, Found, Found]:
    """Normalised credit codes (null where there is an error), errors and warnings, as `cells.code` reads.

    A code written as 18 valid characters is checked here: its check character computed for the whole
    column at once; any other cell (spaces, lower case, a wrong check character, a number) goes to
    `cells.code` for its value or its message."""
    raw = pa.array([c if type(c) is str else None for c in column], pa.string())
    wellformed = pc.fill_null(pc.match_substring_regex(raw, _CODE), False)
    candidates = np.flatnonzero(mask(wellformed))
    good = np.zeros(len(column), dtype=bool)
    if len(candidates):
        grid = credit_code_arrays.as_grid(raw.take(pa.array(candidates)).to_pylist(), 18)
        good[candidates[credit_code_arrays.has_valid_check(grid)]] = True
    result: list[str | None] = [c if good[i] else None for i, c in enumerate(column)]  # type: ignore[misc]
    slow = np.flatnonzero(~good).tolist()
    parse = _historical if accept_historical else _current
    values, errors = _slow(column, slow, parse)
    warnings: Found = []
    for at, (value, warning) in values.items():
        result[at] = value
        if warning:
            warnings.append((at, warning))
    return pa.array(result, pa.string()), errors, warnings


def _current(cell: Cell) -> tuple[str, str | None]:
    return cells.code(cell)


def _historical(cell: Cell) -> tuple[str, str | None]:
    return cells.code(cell, accept_historical=True)
