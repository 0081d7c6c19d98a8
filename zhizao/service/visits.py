"""走访: visit records (date, officer, enterprise, form, what was found; each problem raised becomes a 诉求)
and coverage as of a date: distinct 规上 firms visited in the period / 规上 firms, by district and by officer,
with the list of firms not yet visited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.models import User
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, require_role
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput
from zhizao.reference.models import Region
from zhizao.service import requests
from zhizao.service.assignments import _enterprise, officer, valid_on
from zhizao.service.models import ServiceAssignment, ServiceRequest, ServiceVisit

FORM_LABELS = {"onsite": "上门走访", "phone": "电话联系", "meeting": "座谈会", "online": "线上"}


@dataclass(frozen=True)
class Problem:
    """A problem raised in a visit, to be filed as a 诉求."""

    category_id: int
    title: str
    body: str = ""


def record(
    session: Session,
    actor: Actor,
    *,
    enterprise_id: int,
    visited_on: date,
    form: str,
    findings: str = "",
    officer_id: int | None = None,
    problems: Sequence[Problem] = (),
) -> tuple[ServiceVisit, list[ServiceRequest]]:
    """Record a visit (by the bureau or the firm's district) and file each problem raised as a 诉求."""
    require_role(actor, Role.ADMIN, Role.DISTRICT)
    _enterprise(session, actor, enterprise_id)
    officer_id = officer_id or actor.user_id
    if officer_id is None:
        raise InvalidInput("请指定走访人员")
    officer(session, officer_id)
    if form not in FORM_LABELS:
        raise InvalidInput(f"未知的走访形式: {form}")
    with acting_as(actor.username):
        visit = ServiceVisit(
            enterprise_id=enterprise_id,
            officer_id=officer_id,
            visited_on=visited_on,
            form=form,
            findings=findings.strip(),
        )
        session.add(visit)
        session.flush()
    filed = [
        requests.file(
            session,
            actor,
            enterprise_id=enterprise_id,
            category_id=p.category_id,
            title=p.title,
            body=p.body,
            on=visited_on,
            channel="visit",
            visit_id=visit.id,
        )
        for p in problems
    ]
    return visit, filed


@dataclass(frozen=True)
class CoverageRow:
    key: str
    label: str
    firms: int
    visited: int

    @property
    def rate(self) -> float | None:
        return self.visited / self.firms if self.firms else None


@dataclass
class Coverage:
    since: date
    as_of: date
    firms: int
    visited: int
    by_district: list[CoverageRow] = field(default_factory=list)
    by_officer: list[CoverageRow] = field(default_factory=list)
    not_visited: list[Enterprise] = field(default_factory=list)

    @property
    def rate(self) -> float | None:
        return self.visited / self.firms if self.firms else None


def coverage(
    session: Session, actor: Actor, since: date, as_of: date, not_visited_limit: int | None = 200
) -> Coverage:
    """规上 firms the actor may see, and which of them had a visit from `since` to `as_of` (both included);
    by district, and by the officer serving the firm on `as_of`; the first `not_visited_limit` firms not
    visited (all with None; `not_visited_workbook` exports them all)."""
    if since > as_of:
        raise InvalidInput("起始日期晚于截至日期")
    scope = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    visited_ids = (
        select(ServiceVisit.enterprise_id)
        .where(ServiceVisit.visited_on >= since, ServiceVisit.visited_on <= as_of)
        .distinct()
        .scalar_subquery()
    )
    firms = select(Enterprise).where(scope, Enterprise.above_scale.is_(True))
    is_visited = Enterprise.id.in_(visited_ids)
    total = session.scalar(select(func.count()).select_from(firms.subquery())) or 0
    visited = session.scalar(select(func.count()).select_from(firms.where(is_visited).subquery())) or 0

    def rows(key_col: object, label_col: object, base: object) -> list[CoverageRow]:
        counts = session.execute(
            base.with_only_columns(  # type: ignore[attr-defined]
                key_col, label_col, func.count(Enterprise.id), func.count(Enterprise.id).filter(is_visited)
            ).group_by(key_col, label_col)
        ).all()
        return [CoverageRow(str(k), str(n), int(f), int(v)) for k, n, f, v in counts]

    by_district = rows(Region.code, Region.name, firms.join(Region, Region.code == Enterprise.region_code))
    by_officer = rows(
        User.id,
        func.coalesce(func.nullif(User.display_name, ""), User.username),
        firms.join(ServiceAssignment, ServiceAssignment.enterprise_id == Enterprise.id)
        .join(User, User.id == ServiceAssignment.officer_id)
        .where(valid_on(as_of)),
    )
    missing = session.scalars(
        firms.where(~is_visited).order_by(Enterprise.region_code, Enterprise.name).limit(not_visited_limit)
    ).all()
    return Coverage(
        since,
        as_of,
        total,
        visited,
        sorted(by_district, key=lambda r: r.key),
        sorted(by_officer, key=lambda r: r.label),
        list(missing),
    )


def list_visits(session: Session, actor: Actor, enterprise_id: int | None = None) -> Sequence[ServiceVisit]:
    query = (
        select(ServiceVisit)
        .join(Enterprise, Enterprise.id == ServiceVisit.enterprise_id)
        .where(enterprise_clause(actor, Enterprise.id, Enterprise.region_code))
    )
    if enterprise_id is not None:
        query = query.where(ServiceVisit.enterprise_id == enterprise_id)
    return session.scalars(query.order_by(ServiceVisit.visited_on.desc())).all()


def not_visited_workbook(session: Session, actor: Actor, since: date, as_of: date) -> bytes:
    """Every 规上 firm of the actor's scope not visited from `since` to `as_of`, as a workbook."""
    from io import BytesIO

    from openpyxl import Workbook

    from zhizao.office.tables import Column, write_table

    found = coverage(session, actor, since, as_of, not_visited_limit=None)
    names = {code: name for code, name in session.execute(select(Region.code, Region.name))}
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "尚未走访"
    write_table(
        sheet,
        [Column("企业名称"), Column("统一社会信用代码"), Column("地区"), Column("行业代码")],
        [
            (e.name, e.credit_code, names.get(e.region_code, e.region_code), e.industry_code)
            for e in found.not_visited
        ],
        title="尚未走访的规上企业",
        note=f"走访期间：{since} 至 {as_of} · 规上企业 {found.firms} 家，已走访 {found.visited} 家",
    )
    out = BytesIO()
    book.save(out)
    return out.getvalue()
