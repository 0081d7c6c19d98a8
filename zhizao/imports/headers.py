"""Which column holds what: header labels (Chinese labels, field ids, common variants) and units.

Figure columns are matched against the indicator catalogue (`indicators.label`, `aliases` and `id`), so an
indicator added to the catalogue is importable without a code change. A unit declared in the header
(`税收(元)`, `用电量（千瓦时）`, `用地面积(平方米)`) is converted to the catalogue's unit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.enterprises.models import Indicator
from zhizao.imports.readers import Cell, Table, UnusableFile

HEADER_SEARCH_ROWS = 10

# field id -> (label used in templates, variants accepted in headers)
KEY_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "credit_code": (
        "统一社会信用代码",
        ("社会信用代码", "信用代码", "统一信用代码", "纳税人识别号", "纳税人识别号/统一社会信用代码"),
    ),
    "name": ("企业名称", ("名称", "单位名称", "企业", "纳税人名称", "单位详细名称")),
    "region_code": (
        "所属区域",
        (
            "区域",
            "所属区县",
            "区县",
            "区市",
            "所属区市",
            "行政区划代码",
            "区域代码",
            "区划代码",
            "县区代码",
            "区县代码",
        ),
    ),
    "industry_code": ("行业代码", ("国民经济行业代码", "所属行业代码", "行业类别代码", "行业分类代码")),
    "established_on": ("成立日期", ("成立时间", "注册日期", "开业日期", "投产日期")),
    "above_scale": ("是否规上", ("规上企业", "是否规模以上", "是否规模以上企业", "规模以上", "规上")),
    "tags": ("标签", ("企业标签",)),
    "year": ("年度", ("年份", "年", "统计年度", "所属年度")),
    "month": ("月份", ("月", "统计月份")),
}
ENTERPRISE_FIELDS = (
    "credit_code",
    "name",
    "region_code",
    "industry_code",
    "established_on",
    "above_scale",
    "tags",
)
ENTERPRISE_REQUIRED = ("credit_code", "name", "region_code", "industry_code")
FIGURE_KEYS = ("credit_code", "name", "year", "month")

# (catalogue unit, unit in the header) -> factor to multiply by
UNIT_FACTORS: dict[str, dict[str, float]] = {
    "万元": {"万元": 1, "元": 1e-4, "千元": 0.1, "百万元": 100, "亿元": 1e4},
    "万千瓦时": {
        "万千瓦时": 1,
        "千瓦时": 1e-4,
        "度": 1e-4,
        "kwh": 1e-4,
        "万kwh": 1,
        "万度": 1,
        "亿千瓦时": 1e4,
    },
    "亩": {"亩": 1, "平方米": 0.0015, "m2": 0.0015, "平米": 0.0015, "公顷": 15, "hm2": 15},
    "吨标准煤": {"吨标准煤": 1, "吨标煤": 1, "tce": 1, "万吨标准煤": 1e4, "吨标准煤(tce)": 1},
    "吨": {"吨": 1, "t": 1, "千克": 1e-3, "kg": 1e-3},
    "人": {"人": 1},
}
_YEAR_TO_DATE = re.compile(r"^1[-—–~至到](?:1[0-2]|[1-9])月(?:累计)?(.+)$")
_UNIT_SUFFIX = re.compile(r"^(.+?)\(([^()]*)\)$")


def get_column_letter(number: int) -> str:
    """Spreadsheet column letters of a 1-based column number (1 → A, 27 → AA), as openpyxl names them;
    here so that reading a header does not import openpyxl (`zhizao --help` stays light)."""
    letters = ""
    while number > 0:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def normalize_header(text: object) -> str:
    """Full-width to half-width, no spaces, no required-marker `*`, lower case ids."""
    value = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return re.sub(r"[\s*＊:：]", "", value)


def split_unit(header: str) -> tuple[str, str]:
    match = _UNIT_SUFFIX.match(header)
    return (match.group(1), match.group(2)) if match else (header, "")


@dataclass(frozen=True)
class IndicatorInfo:
    id: str
    label: str
    unit: str
    value_type: str
    non_negative: bool


@dataclass(frozen=True)
class Column:
    index: int  # 0-based position in the row
    header: str  # as written in the file
    field: str  # a KEY_FIELDS id, or an indicator id for figure columns
    indicator: IndicatorInfo | None = None
    factor: float = 1.0
    unit: str = ""

    @property
    def letter(self) -> str:
        return get_column_letter(self.index + 1)

    @property
    def where(self) -> str:
        return f"{self.letter}列「{self.header}」"


@dataclass(frozen=True)
class HeaderMap:
    row: int  # spreadsheet row number of the header
    columns: tuple[Column, ...]
    ignored: tuple[str, ...]  # headers that were not recognised

    def get(self, field: str) -> Column | None:
        return next((c for c in self.columns if c.field == field), None)

    @property
    def figure_columns(self) -> list[Column]:
        return [c for c in self.columns if c.indicator is not None]


class Catalogue:
    """The indicator catalogue as header lookups."""

    def __init__(self, indicators: Iterable[IndicatorInfo], aliases: dict[str, list[str]]) -> None:
        self.indicators = {i.id: i for i in indicators}
        self._names: dict[str, str] = {}
        for info in self.indicators.values():
            for name in (info.id, info.label, *aliases.get(info.id, [])):
                key = normalize_header(name)
                self._names.setdefault(key, info.id)
                self._names.setdefault(split_unit(key)[0], info.id)

    @classmethod
    def load(cls, session: Session) -> Catalogue:
        rows = session.scalars(select(Indicator).order_by(Indicator.sort_order, Indicator.id)).all()
        infos = [IndicatorInfo(r.id, r.label, r.unit, r.value_type, r.non_negative) for r in rows]
        return cls(infos, {r.id: list(r.aliases or []) for r in rows})

    @classmethod
    def reference(cls) -> Catalogue:
        """The catalogue as shipped (reference data), for reading files without a database."""
        from zhizao.reference.data_files import read_rows

        rows = list(read_rows("indicators.csv"))
        infos = [
            IndicatorInfo(r["id"], r["label"], r["unit"], r["value_type"], r["non_negative"] == "1")
            for r in rows
        ]
        return cls(infos, {r["id"]: [a for a in r["aliases"].split("|") if a] for r in rows})

    def match(self, header: str) -> tuple[IndicatorInfo, str] | None:
        """(indicator, unit declared in the header or "") for a header, or None."""
        key = normalize_header(header)
        if key in self._names:
            info = self.indicators[self._names[key]]
            return info, split_unit(key)[1] or info.unit
        base, unit = split_unit(key)
        if base in self._names:
            return self.indicators[self._names[base]], unit
        ytd = _YEAR_TO_DATE.match(base)  # 1-6月工业总产值: the indicator's 累计 form
        if ytd and f"{ytd.group(1)}累计" in self._names:
            return self.indicators[self._names[f"{ytd.group(1)}累计"]], unit
        return None


_KEY_LOOKUP = {
    normalize_header(name): field
    for field, (label, variants) in KEY_FIELDS.items()
    for name in (field, label, *variants)
}


def unit_factor(catalogue_unit: str, given: str) -> float | None:
    given_key = normalize_header(given)
    if given_key in ("", normalize_header(catalogue_unit)):
        return 1.0
    return UNIT_FACTORS.get(catalogue_unit, {}).get(given_key)


def key_field(header: str) -> str | None:
    """The key field (credit_code, name, year, ...) a header names, or None."""
    key = normalize_header(header)
    return _KEY_LOOKUP.get(key) or _KEY_LOOKUP.get(split_unit(key)[0])


_key_field = key_field


def map_header(table: Table, kind: str, catalogue: Catalogue) -> HeaderMap:
    """Find the header row (the first of the first rows naming a credit-code column) and map its columns."""
    for number, cells in table.rows():
        if number > HEADER_SEARCH_ROWS:
            break
        if any(c is not None and _key_field(str(c)) == "credit_code" for c in cells):
            _refuse_merged(table, number)
            return _map_cells(number, cells, kind, catalogue)
    raise UnusableFile(
        f"未找到表头：文件前{HEADER_SEARCH_ROWS}行中没有「统一社会信用代码」列（也可写作纳税人识别号、社会信用代码）"
    )


def _refuse_merged(table: Table, header_row: int) -> None:
    for (r1, c1), (r2, c2) in table.merged_ranges:
        if r1 + 1 <= header_row <= r2 + 1 and c2 > c1:
            cells = f"{get_column_letter(c1 + 1)}{r1 + 1}:{get_column_letter(c2 + 1)}{r2 + 1}"
            raise UnusableFile(f"表头含有合并单元格（{cells}），请取消合并，每列只写一个标题")


def _map_cells(number: int, cells: Sequence[Cell], kind: str, catalogue: Catalogue) -> HeaderMap:
    allowed = ENTERPRISE_FIELDS if kind == "enterprises" else FIGURE_KEYS
    columns: list[Column] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    for index, cell in enumerate(cells):
        if cell is None or str(cell).strip() == "":
            continue
        header = str(cell).strip()
        column = _column(index, header, kind, allowed, catalogue)
        if column is None:
            ignored.append(header)
            continue
        if column.field in seen:
            raise UnusableFile(f"「{seen[column.field]}」和「{header}」是同一列，请删除其中一列")
        seen[column.field] = header
        columns.append(column)
    header_map = HeaderMap(number, tuple(columns), tuple(ignored))
    _require(header_map, kind)
    return header_map


def _column(
    index: int, header: str, kind: str, allowed: Sequence[str], catalogue: Catalogue
) -> Column | None:
    field = _key_field(header)
    if field is not None and field in allowed:
        return Column(index, header, field)
    if kind != "figures" or field is not None:
        return None
    matched = catalogue.match(header)
    if matched is None:
        return None
    info, unit = matched
    factor = unit_factor(info.unit, unit)
    if factor is None:
        raise UnusableFile(f"第{index + 1}列「{header}」的单位「{unit}」无法换算为{info.unit}")
    return Column(index, header, info.id, info, factor, unit)


def _require(header_map: HeaderMap, kind: str) -> None:
    if kind == "enterprises":
        missing = [KEY_FIELDS[f][0] for f in ENTERPRISE_REQUIRED if header_map.get(f) is None]
        if missing:
            raise UnusableFile(f"缺少必填列: {'、'.join(missing)}")
    elif not header_map.figure_columns:
        ignored = "、".join(header_map.ignored) or "无"
        raise UnusableFile(
            f"没有可识别的指标列（未识别的列: {ignored}）；列名应为指标名称，如「税收实际贡献(万元)」"
        )
