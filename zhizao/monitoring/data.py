"""Reading what an analysis needs from the database, through the actor's scope.

Only the firms the actor may see are read, so a district officer's totals are its own district's totals,
and no other district's firm ever reaches a result. Monitoring is for administrators, analysts and
regional officers; department and enterprise accounts are refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, require_role, viewing_region
from zhizao.chains.members import COUNTED
from zhizao.chains.models import Chain, ChainMember
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.monitoring.analysis import Inputs
from zhizao.monitoring.groupings import SCALE_LABELS, SIZE_LABELS, GroupBy
from zhizao.monitoring.models import FirmGroup, FirmGroupMember
from zhizao.monitoring.series import cumulative_id
from zhizao.reference import home
from zhizao.reference.models import Industry
from zhizao.tracking.models import Observation, TrackedSeries

READERS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT)
FIRM_COLUMNS = ["enterprise_id", "credit_code", "name", "region_code", "industry_code", "above_scale"]
FIGURE_COLUMNS = ["enterprise_id", "indicator_id", "year", "month", "value"]


def _frame(session: Session, stmt: Any, columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame(session.execute(stmt).all(), columns=columns)


def load_firms(session: Session, actor: Actor, year: int) -> pd.DataFrame:
    """The visible enterprises, with 大类 and last year's revenue and employees (for the size class)."""
    require_role(actor, *READERS)
    e = Enterprise
    visible = enterprise_clause(actor, e.id, e.region_code)
    firms = _frame(
        session,
        select(e.id, e.credit_code, e.name, e.region_code, e.industry_code, e.above_scale).where(visible),
        FIRM_COLUMNS,
    )
    f = EnterpriseFigure
    last = _frame(
        session,
        select(f.enterprise_id, f.indicator_id, f.value)
        .join(e, e.id == f.enterprise_id)
        .where(visible, f.year == year - 1, f.month == 0, f.indicator_id.in_(["revenue", "employees"])),
        ["enterprise_id", "indicator_id", "value"],
    )
    wide = last.pivot_table(index="enterprise_id", columns="indicator_id", values="value", aggfunc="max")
    firms["revenue_last"] = firms.enterprise_id.map(wide.get("revenue", pd.Series(dtype=float)))
    firms["employees_last"] = firms.enterprise_id.map(wide.get("employees", pd.Series(dtype=float)))
    firms["division"] = firms.industry_code.str[:2]
    firms["above_scale"] = firms.above_scale.astype(bool)
    firms["enterprise_id"] = firms.enterprise_id.astype("int64")
    return firms.astype({"revenue_last": "float64", "employees_last": "float64"})


def load_figures(session: Session, actor: Actor, year: int, indicators: Iterable[str]) -> pd.DataFrame:
    """当月 and 累计 figures of `indicators` for `year` and the year before, of the visible firms."""
    require_role(actor, *READERS)
    ids = sorted({i for ind in indicators for i in (ind, cumulative_id(ind))})
    e, f = Enterprise, EnterpriseFigure
    stmt = (
        select(f.enterprise_id, f.indicator_id, f.year, f.month, f.value)
        .join(e, e.id == f.enterprise_id)
        .where(
            enterprise_clause(actor, e.id, e.region_code),
            f.indicator_id.in_(ids),
            f.year.in_([year - 1, year]),
            f.month.between(1, 12),
        )
    )
    frame = _frame(session, stmt, FIGURE_COLUMNS)
    return frame.astype({"enterprise_id": "int64", "year": "int64", "month": "int64", "value": "float64"})


def chain_members(session: Session, firms: pd.DataFrame, year: int | None) -> pd.DataFrame:
    """(enterprise_id, group = chain id) of the firms on each chain's nodes (suggested or confirmed, not
    rejected) in the chain's latest year of members up to `year`; a firm on two nodes of one chain is one
    member, a firm on two chains a member of both. Only `firms` (the actor's) are kept."""
    m = ChainMember
    latest = select(m.chain_id, func.max(m.year).label("year")).group_by(m.chain_id)
    if year is not None:
        latest = latest.where(m.year <= year)
    last = latest.subquery()
    stmt = (
        select(m.enterprise_id, m.chain_id)
        .join(last, and_(last.c.chain_id == m.chain_id, last.c.year == m.year))
        .where(m.status.in_(COUNTED))
        .distinct()
    )
    members = _frame(session, stmt, ["enterprise_id", "group"])
    members = members[members.enterprise_id.isin(firms.enterprise_id)]
    return members.astype({"enterprise_id": "int64"}).assign(group=members.group.astype(str))


def grouping(
    session: Session, actor: Actor, by: GroupBy, firms: pd.DataFrame, year: int | None = None
) -> tuple[pd.DataFrame | None, dict[str, str]]:
    """The mapping table and group names of a grouping, for the actor's firms (chains: their members of
    `year`, see `chain_members`)."""
    if by == "region":
        places = home.group_under(session, viewing_region(actor), firms.region_code.unique())
        mapping = pd.DataFrame({"region_code": list(places), "group": [p.code for p in places.values()]})
        return mapping, {p.code: p.name for p in places.values()}
    if by in ("section", "division", "group"):
        rows = session.execute(select(Industry.code, Industry.section, Industry.name)).all()
        names = {code: name for code, _, name in rows}
        if by == "section":
            divisions = {code: section for code, section, _ in rows if len(code) == 2}
            mapping = pd.DataFrame({"division": list(divisions), "group": list(divisions.values())})
            return mapping, names
        return None, names
    if by == "size":
        return None, dict(SIZE_LABELS)
    if by == "scale":
        return None, dict(SCALE_LABELS)
    if by == "chain":
        chains = session.execute(select(Chain.id, Chain.name)).all()
        return chain_members(session, firms, year), {str(i): name for i, name in chains}
    groups = session.execute(select(FirmGroup.id, FirmGroup.name).where(FirmGroup.kind == by)).all()
    members = _frame(
        session,
        select(FirmGroupMember.enterprise_id, FirmGroupMember.group_id)
        .join(FirmGroup, FirmGroup.id == FirmGroupMember.group_id)
        .where(FirmGroup.kind == by),
        ["enterprise_id", "group"],
    )
    members = members[members.enterprise_id.isin(firms.enterprise_id)]  # only the actor's firms
    members = members.astype({"enterprise_id": "int64"}).assign(group=members.group.astype(str))
    return members, {str(i): name for i, name in groups}


def load_inputs(session: Session, actor: Actor, year: int, indicators: Iterable[str], by: GroupBy) -> Inputs:
    firms = load_firms(session, actor, year)
    figures = load_figures(session, actor, year, indicators)
    mapping, names = grouping(session, actor, by, firms, year)
    return Inputs.of(figures, firms, mapping, names)


def latest_month(session: Session, actor: Actor, indicator: str = "output_value") -> tuple[int, int] | None:
    """The last (year, month) any visible firm reported `indicator` in (either form)."""
    e, f = Enterprise, EnterpriseFigure
    row = session.execute(
        select(f.year, func.max(f.month))
        .join(e, e.id == f.enterprise_id)
        .where(
            enterprise_clause(actor, e.id, e.region_code),
            f.indicator_id.in_([indicator, cumulative_id(indicator)]),
            f.month.between(1, 12),
        )
        .group_by(f.year)
        .order_by(f.year.desc())
        .limit(1)
    ).first()
    return (int(row[0]), int(row[1])) if row else None


OFFICIAL_WORDS = ("工业增加值",)


def official_growth(session: Session, actor: Actor, year: int, month: int) -> tuple[str, float] | None:
    """The statistics bureau's 规上工业增加值 growth (可比价, 1–M月累计) for the viewing region, entered as an
    observation of a tracked series (`zhizao.tracking.observations`): (series name, value in %)."""
    region = viewing_region(actor)
    if region is None:
        return None
    periods = [and_(Observation.period_type == "ytd", Observation.period == month)]
    if month == 12:
        periods.append(Observation.period_type == "year")
    stmt = (
        select(TrackedSeries.name, Observation.value)
        .join(Observation, Observation.series_id == TrackedSeries.id)
        .where(
            TrackedSeries.unit == "%",
            TrackedSeries.name.like("%工业增加值%"),
            Observation.region_code == region,
            Observation.year == year,
        )
        .where(or_(*periods))
        .order_by(TrackedSeries.id)
        .limit(1)
    )
    row = session.execute(stmt).first()
    return (str(row[0]), float(row[1])) if row else None
