"""Reading the chains area's small import files (招商 candidates, the 配套 survey) with the one reader
(`zhizao.imports.readers.open_table`): a header row of Chinese labels in any order, with aliases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from zhizao.errors import InvalidInput
from zhizao.imports.readers import Cell, open_table


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False


def _text(cell: Cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime | date):
        return cell.isoformat()
    return str(cell).strip()


def _norm(text: str) -> str:
    return text.replace("（", "(").replace("）", ")").replace(" ", "").strip()


def read_rows(path: Path, columns: list[Column]) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {key: text}) of each non-empty row after the header row."""
    names = {_norm(alias): c.key for c in columns for alias in (c.label, *c.aliases)}
    header: dict[str, int] | None = None
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in open_table(path).rows():
        texts = [_text(c) for c in cells]
        if not any(texts):
            continue
        if header is None:
            header = {names[_norm(t)]: i for i, t in enumerate(texts) if _norm(t) in names}
            missing = [c.label for c in columns if c.required and c.key not in header]
            if missing:
                raise InvalidInput(f"表头缺少列: {'、'.join(missing)} (第{number}行应为表头)")
            continue
        rows.append((number, {k: texts[i] if i < len(texts) else "" for k, i in header.items()}))
    if header is None:
        raise InvalidInput("文件中没有数据")
    return rows


def number(text: str) -> float | None:
    try:
        return float(text.replace(",", "")) if text else None
    except ValueError:
        return None
