"""The 配套率 proxy from an imported survey, and the chain total tracked against its plan target.

No official definition of 产业链配套率 is known. zhizao states the proxy it computes:
本地配套率 = Σ 本地采购额 / Σ 采购总额 over the surveyed leading firms of the chain in a year (both in 万元),
over the surveyed firms the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.chains.files import Column, number, read_rows
from zhizao.chains.members import visible
from zhizao.chains.models import Chain, ChainSurvey
from zhizao.chains.overview import node_views
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput, Problems
from zhizao.reference import home
from zhizao.tracking.linking import confirm_link, link_for
from zhizao.tracking.observations import ObservationInput, ensure_series, record_observation
from zhizao.tracking.targets import get_target

SUPPLY_DEFINITION = (
    "本地配套率（代理指标）= 被调查链上重点企业本地采购额之和 ÷ 采购总额之和 × 100%。"
    "产业链配套率没有公认的官方口径，此为按调查数据计算的近似值。"
)
SURVEY_COLUMNS = [
    Column("credit_code", "统一社会信用代码", ("信用代码",), required=True),
    Column("name", "企业名称"),
    Column("total", "采购总额(万元)", ("采购总额",), required=True),
    Column("local", "本地采购额(万元)", ("本地采购额", "本地配套采购额(万元)"), required=True),
    Column("suppliers", "供应商数", ("供应商数量",)),
    Column("local_suppliers", "本地供应商数", ("本地供应商数量",)),
]


@dataclass
class SurveyImport:
    rows: int
    written: int


def import_survey(
    session: Session,
    actor: Actor,
    chain: Chain,
    year: int,
    path: Path,
    source: str = "",
    *,
    dry_run: bool = False,
) -> SurveyImport:
    """Store a year's 配套 survey of a chain (one row per firm; a firm's earlier answer of the year is
    replaced). All rows are checked first; nothing is written when one is wrong."""
    require_role(actor, Role.ADMIN)
    problems = Problems()
    parsed: list[tuple[int, float, float, float | None, float | None]] = []
    seen: dict[str, int] = {}
    for row_number, row in read_rows(path, SURVEY_COLUMNS):
        code = row["credit_code"].upper()
        firm = session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code))
        if firm is None:
            problems.error(f"企业库中没有该企业: {code}", row_number, "统一社会信用代码")
        if code in seen:
            problems.error(f"与第{seen[code]}行重复", row_number, "统一社会信用代码")
        seen[code] = row_number
        total, local = number(row["total"]), number(row["local"])
        if total is None or total <= 0:
            problems.error("采购总额应为正数", row_number, "采购总额(万元)")
        if local is None or local < 0:
            problems.error("本地采购额应为非负数", row_number, "本地采购额(万元)")
        elif total is not None and local > total:
            problems.error("本地采购额不能大于采购总额", row_number, "本地采购额(万元)")
        if firm is not None and total is not None and local is not None:
            parsed.append(
                (firm, total, local, number(row.get("suppliers", "")), number(row.get("local_suppliers", "")))
            )
    if problems.errors:
        raise InvalidInput(f"配套调查表有 {len(problems.errors)} 处错误，未导入任何一行", problems.items)
    if dry_run:
        return SurveyImport(len(parsed), 0)
    existing = {
        s.enterprise_id: s
        for s in session.scalars(
            select(ChainSurvey).where(ChainSurvey.chain_id == chain.id, ChainSurvey.year == year)
        )
    }
    with acting_as(actor.username):
        for firm, total, local, suppliers, local_suppliers in parsed:
            item = existing.get(firm) or ChainSurvey(chain_id=chain.id, year=year, enterprise_id=firm)
            item.total_purchases, item.local_purchases = total, local
            item.suppliers = int(suppliers) if suppliers is not None else None
            item.local_suppliers = int(local_suppliers) if local_suppliers is not None else None
            item.source = source[:200]
            session.add(item)
        session.flush()
    return SurveyImport(len(parsed), len(parsed))


@dataclass(frozen=True)
class SupplyRate:
    year: int
    firms: int
    total_purchases: float
    local_purchases: float
    definition: str = SUPPLY_DEFINITION

    @property
    def rate(self) -> float | None:
        return self.local_purchases / self.total_purchases if self.total_purchases else None


def supply_rate(session: Session, actor: Actor, chain_id: int, year: int) -> SupplyRate | None:
    """The 配套率 proxy of the chain in `year` over the surveyed firms the actor may see (None: no survey)."""
    s = ChainSurvey
    found = session.execute(
        select(func.count(), func.sum(s.total_purchases), func.sum(s.local_purchases))
        .join(Enterprise, Enterprise.id == s.enterprise_id)
        .where(s.chain_id == chain_id, s.year == year, visible(actor))
    ).one()
    if not found[0]:
        return None
    return SupplyRate(year, int(found[0]), float(found[1] or 0), float(found[2] or 0))


def link_target(session: Session, actor: Actor, chain: Chain, target_id: int) -> None:
    """Link a plan target (such as 总规模突破1万亿元) to the chain: the chain's total output is then tracked
    against it (`track_total`)."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    get_target(session, actor, target_id)
    with acting_as(actor.username):
        chain.target_id = target_id
        session.flush()


def track_total(session: Session, actor: Actor, chain: Chain, year: int) -> float:
    """Record the chain's total 工业总产值 of `year` (in the target's unit) as the yearly observation of the
    series that measures the chain's target, linking target and series the first time. Returns the value."""
    from zhizao.chains.figures import UNIT_FACTORS

    require_role(actor, Role.ADMIN, Role.ANALYST)
    if chain.target_id is None:
        raise InvalidInput(f"产业链 {chain.code} 还没有关联计划目标 (zhizao chains target)")
    target = get_target(session, actor, chain.target_id)
    region = home.home_region_code()
    if region is None:
        raise InvalidInput("未设置本系统区域 (ZHIZAO_HOME_REGION)，无法记录全区域合计")
    unit = target.unit if target.unit in UNIT_FACTORS else "万元"
    _, _, totals = node_views(session, actor, chain.id, year)
    value = round(totals.output_value / UNIT_FACTORS[unit], 4)
    series = ensure_series(session, f"{chain.name}总规模", unit)
    series.description = series.description or f"产业链 {chain.code} 链上企业工业总产值合计"
    link = link_for(session, target.id)
    if link is None or link.series_id != series.id:
        confirm_link(session, actor, target.id, series.id, region_code=region)
    record_observation(
        session,
        actor,
        ObservationInput(
            series.id, region, "year", year, 0, value, source=f"产业链 {chain.code} 链上企业合计"
        ),
    )
    return value
