"""Reading enterprise figures into the wide table the pipeline takes.

One row per enterprise and year. Headers may be canonical ids (``tax``) or their Chinese labels and aliases
from the indicator catalogue (``税收实际贡献(万元)``, ``税收``). Bad cells are reported with their row and
column (1-based, as a spreadsheet shows them); nothing is evaluated from a file with errors.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from zhizao.errors import InvalidInput, Problems
from zhizao.evaluation.method import FIGURE_FIELDS, Method
from zhizao.office.archives import check_archive
from zhizao.reference.data_files import read_rows

IDENTITY_LABELS: dict[str, tuple[str, ...]] = {
    "credit_code": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "name": ("企业名称", "名称", "企业"),
    "region_code": ("区划代码", "行政区划代码", "县区代码", "区县代码"),
    "industry_code": ("行业代码", "国民经济行业代码", "所属行业代码"),
    "above_scale": ("是否规上", "规上", "规模以上"),
    "established_on": ("成立日期", "成立时间", "投产日期"),
    "tags": ("标签", "企业标签"),
    "year": ("年度", "年份"),
}
REQUIRED = ("credit_code", "year", "region_code", "above_scale")
TRUE_WORDS = frozenset({"是", "true", "1", "yes", "y", "规上", "t"})
FALSE_WORDS = frozenset({"否", "false", "0", "no", "n", "规下", "f"})


@lru_cache
def header_map() -> dict[str, str]:
    """Every accepted header (id, label, alias; case-insensitive for ids) → canonical id."""
    mapping: dict[str, str] = {}
    for row in read_rows("indicators.csv"):
        names = [row["id"], row["label"], *filter(None, row["aliases"].split("|"))]
        mapping.update({n.strip().lower(): row["id"] for n in names})
    for cid, labels in IDENTITY_LABELS.items():
        mapping.update({n.lower(): cid for n in (cid, *labels)})
    return mapping


def _canonical_headers(frame: pd.DataFrame) -> pd.DataFrame:
    mapping = header_map()
    renamed = {c: mapping.get(str(c).strip().lower(), str(c).strip()) for c in frame.columns}
    return frame.rename(columns=renamed)


def _tags_text(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, list | tuple):
        items: Iterable[Any] = value
    else:
        text = str(value).strip()
        if text.startswith("["):
            items = json.loads(text)
        else:
            items = text.replace("，", ",").replace(",", "|").replace("、", "|").split("|")
    cleaned = [str(x).strip() for x in items if str(x).strip()]
    return "|" + "|".join(cleaned) + "|" if cleaned else ""


def _parse_bool(series: pd.Series, problems: Problems) -> pd.Series:
    def one(row: int, value: Any) -> bool | None:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in TRUE_WORDS:
            return True
        if text in FALSE_WORDS:
            return False
        problems.error(
            f"是否规上 应为 是/否 或 true/false, 而不是 {value!r}", row=row + 2, column="above_scale"
        )
        return None

    return pd.Series([one(i, v) for i, v in enumerate(series)], index=series.index, dtype=object)


def _parse_numbers(frame: pd.DataFrame, problems: Problems) -> None:
    for field in [c for c in FIGURE_FIELDS if c in frame.columns]:
        raw = frame[field]
        numbers = pd.to_numeric(raw, errors="coerce")
        blank = raw.isna() | (raw.astype(str).str.strip() == "")
        for row in frame.index[numbers.isna() & ~blank][:50]:
            problems.error(f"不是数字: {raw.loc[row]!r}", row=int(row) + 2, column=field)
        frame[field] = numbers.astype("float64")


def normalise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Canonical headers and types; raises `InvalidInput` listing every bad cell."""
    frame = _canonical_headers(frame).reset_index(drop=True).copy()
    problems = Problems()
    for required in REQUIRED:
        if required not in frame.columns:
            problems.error(f"缺少列 {required} ({'/'.join(IDENTITY_LABELS[required])})", column=required)
    if problems.errors:
        raise InvalidInput("输入数据缺少必需的列", problems.items)
    for text_col in ("credit_code", "name", "region_code", "industry_code"):
        if text_col in frame.columns:
            frame[text_col] = (
                frame[text_col].map(lambda v: None if pd.isna(v) else str(v).strip()).astype(object)
            )
    frame["year"] = pd.to_numeric(frame["year"], errors="coerce")
    for row in frame.index[frame["year"].isna()][:50]:
        problems.error("年度缺失或不是数字", row=int(row) + 2, column="year")
    frame["above_scale"] = _parse_bool(frame["above_scale"], problems)
    if "established_on" in frame.columns:
        frame["established_on"] = pd.to_datetime(frame["established_on"], errors="coerce").dt.date
    if "tags" in frame.columns:
        frame["tags"] = frame["tags"].map(_tags_text).astype(object)
    _parse_numbers(frame, problems)
    if problems.errors:
        raise InvalidInput(f"输入数据有 {len(problems.errors)} 处错误", problems.items)
    frame["year"] = frame["year"].astype("int64")
    frame["above_scale"] = frame["above_scale"].astype(bool)
    return frame


def read_frame(path: str | Path) -> pd.DataFrame:
    """Read a .csv (UTF-8 or GBK), .parquet or .xlsx file of enterprise figures, normalised."""
    path = Path(path)
    if not path.exists():
        raise InvalidInput(f"文件不存在: {path}")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            frame = pd.read_csv(path, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        except UnicodeDecodeError:
            frame = pd.read_csv(path, dtype=str, encoding="gbk", keep_default_na=False)
    elif suffix == ".parquet":
        frame = pd.read_parquet(path)
    elif suffix in {".xlsx", ".xlsm"}:
        check_archive(path)
        try:
            frame = pd.read_excel(path, dtype=str, keep_default_na=False)
        except SyntaxError as exc:  # XML that is malformed or an entity bomb (expat caps the expansion)
            raise InvalidInput(f"无法读取 Excel 文件 {path.name}: 文件已损坏") from exc
    else:
        raise InvalidInput(f"不支持的文件类型 {suffix}: 请用 .csv、.parquet 或 .xlsx")
    return normalise_frame(frame)


OPTIONAL_TYPES: dict[str, str] = {
    "name": "string",
    "industry_code": "string",
    "established_on": "date",
    "tags": "string",
    **{f: "float64" for f in FIGURE_FIELDS},
}


def as_table(data: ir.Table | pd.DataFrame, method: Method) -> ir.Table:
    """An Ibis table with every column the pipeline reads (absent optional columns become nulls)."""
    if isinstance(data, pd.DataFrame):
        # Through Arrow: explicit types, and no pandas-option probing inside Ibis (pandas 3 warns on it).
        data = ibis.memtable(pa.Table.from_pandas(normalise_frame(data), preserve_index=False))
    table = data
    missing_required = [c for c in REQUIRED if c not in table.columns]
    if missing_required:
        raise InvalidInput(f"输入数据缺少列: {', '.join(missing_required)}")
    additions = {c: ibis.null(t) for c, t in OPTIONAL_TYPES.items() if c not in table.columns}
    return table.mutate(**additions) if additions else table


def read_database(years: list[int], bind: Any = None) -> pd.DataFrame:
    """The wide table (one row per enterprise and year, whole-year figures: month 0) from the database.

    `bind` is an Engine, a Connection or a Session (its connection, so rows it has flushed but not
    committed are read too); None means the configured database.
    """
    from sqlalchemy import Connection, bindparam, text
    from sqlalchemy.orm import Session

    pivots = ",\n".join(
        f"MAX(CASE WHEN f.indicator_id = '{field}' THEN f.value END) AS {field}" for field in FIGURE_FIELDS
    )
    query = text(
        "SELECT e.id AS enterprise_id, e.credit_code, e.name, e.region_code, e.industry_code, "
        f"e.established_on, e.above_scale, e.tags, w.year, {', '.join(FIGURE_FIELDS)} "
        f"FROM (SELECT f.enterprise_id, f.year, {pivots} FROM enterprise_figures f "
        "WHERE f.month = 0 AND f.year IN :years GROUP BY f.enterprise_id, f.year) w "
        "JOIN enterprises e ON e.id = w.enterprise_id "
        "ORDER BY e.id, w.year"
    ).bindparams(bindparam("years", expanding=True))
    if isinstance(bind, Session):
        bind = bind.connection()
    if isinstance(bind, Connection):
        rows = bind.execute(query, {"years": years})
        frame = pd.DataFrame(rows.fetchall(), columns=list(rows.keys()))
    else:
        if bind is None:
            from zhizao.db.session import get_engine

            bind = get_engine()
        with bind.connect() as connection:
            rows = connection.execute(query, {"years": years})
            frame = pd.DataFrame(rows.fetchall(), columns=list(rows.keys()))
    frame["tags"] = frame["tags"].map(lambda v: json.loads(v) if isinstance(v, str) else v)
    frame = normalise_frame(frame)
    frame["enterprise_id"] = frame["enterprise_id"].astype("int64")
    return frame
