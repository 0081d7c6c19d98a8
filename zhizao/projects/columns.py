"""The columns of the monthly 调度 form: Chinese labels (as the form writes them), the aliases accepted in
any order, and the header row found in the first rows of a sheet, through the imports' one field map
(`zhizao.imports.fieldmap`). Amount columns may declare their unit in the header (计划总投资(亿元)); it is
converted to 万元 with the imports' unit table."""

from __future__ import annotations

from zhizao.imports.fieldmap import Field, FieldMap, Kind
from zhizao.imports.headers import HeaderMap
from zhizao.imports.readers import Table

# field id -> (label in the form, aliases)
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "name": ("项目名称", ("项目", "名称", "项目全称")),
    "code": ("投资项目统一代码", ("项目代码", "统一代码", "项目统一代码", "备案代码", "审批代码")),
    "kind": ("项目类型", ("类型", "项目类别", "类别")),
    "level": ("项目级别", ("级别", "项目层级", "层级")),
    "region": (
        "所属区域",
        ("区域", "所在区域", "所属区县", "区县", "区市", "所属区市", "行政区划代码", "所在地区"),
    ),
    "owner_code": (
        "业主单位统一社会信用代码",
        ("统一社会信用代码", "业主信用代码", "信用代码", "社会信用代码"),
    ),
    "owner_name": ("业主单位", ("建设单位", "项目单位", "业主", "业主单位名称")),
    "unit": ("责任单位", ("责任部门", "牵头单位", "主管部门")),
    "leader": ("包联领导", ("包联市领导", "联系领导", "包联领导同志")),
    "chain_code": ("产业链编码", ("产业链", "所属产业链", "产业链代码")),
    "node_code": ("链节点编码", ("产业链环节", "节点编码", "链节点")),
    "total_investment": ("计划总投资", ("总投资", "项目总投资", "计划总投资额")),
    "annual_plan": ("年度计划投资", ("本年计划投资", "年度投资计划", "年计划投资", "年度计划")),
    "start_planned": ("计划开工日期", ("计划开工时间", "计划开工")),
    "start_actual": ("实际开工日期", ("实际开工时间", "开工日期", "实际开工")),
    "complete_planned": ("计划竣工日期", ("计划竣工时间", "计划竣工")),
    "complete_actual": ("实际竣工日期", ("实际竣工时间", "竣工日期", "实际竣工")),
    "effect_planned": ("计划达效日期", ("计划达效时间", "计划达产日期")),
    "effect_actual": ("实际达效日期", ("实际达效时间", "达效日期", "实际达产日期")),
    "status": ("项目状态", ("当前状态", "建设状态", "项目阶段", "状态")),
    "suspend_reason": ("停缓建原因", ("停建原因", "缓建原因")),
    "year": ("年度", ("年份", "统计年度")),
    "month": ("月份", ("月", "统计月份", "报告月份")),
    "year_actual": ("本年完成投资", ("本年累计完成投资", "年度完成投资", "今年完成投资", "1-本月完成投资")),
    "cumulative": ("自开始建设累计完成投资", ("开累完成投资", "累计完成投资", "自开工累计完成投资")),
    "new_output": ("达效新增产值", ("新增产值", "达效年新增产值")),
    "issues": ("存在问题", ("问题", "需协调解决的问题", "存在的问题")),
}
AMOUNTS = ("total_investment", "annual_plan", "year_actual", "cumulative", "new_output")
DATES = (
    "start_planned",
    "start_actual",
    "complete_planned",
    "complete_actual",
    "effect_planned",
    "effect_actual",
)
REQUIRED = ("name", "year", "month", "year_actual", "cumulative")
# headers the form writes for the reader's reference; skipped on import without a note
REFERENCE = ("序号", "上月本年完成投资", "上月自开始建设累计完成投资", "上月月份")

# The order the form writes its columns in.
FORM_ORDER = (
    "name",
    "code",
    "kind",
    "level",
    "region",
    "owner_code",
    "owner_name",
    "unit",
    "leader",
    "chain_code",
    "node_code",
    "total_investment",
    "annual_plan",
    "start_planned",
    "start_actual",
    "complete_planned",
    "complete_actual",
    "effect_planned",
    "effect_actual",
    "status",
    "suspend_reason",
    "year",
    "month",
    "year_actual",
    "cumulative",
    "new_output",
    "issues",
)


def _kind(field: str) -> Kind:
    return "number" if field in AMOUNTS else "date" if field in DATES else "text"


FIELD_MAP = FieldMap(
    [
        Field(
            field,
            text,
            aliases,
            required=field in REQUIRED,
            kind=_kind(field),
            unit="万元" if field in AMOUNTS else "",
        )
        for field, (text, aliases) in FIELDS.items()
    ],
    anchors=("name",),
    skip=REFERENCE,
)


def label(field: str) -> str:
    return FIELD_MAP.label(field)


def map_columns(table: Table) -> tuple[HeaderMap, dict[str, float]]:
    """The header row (the first of the first rows naming a 项目名称 column), its columns, and the unit
    factor of each amount column."""
    header_map = FIELD_MAP.find(table)
    return header_map, {c.field: c.factor for c in header_map.columns}
