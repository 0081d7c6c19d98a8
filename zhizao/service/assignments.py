"""服务专员 and 帮包 level per enterprise, with history: one row per period, set by hand. Setting a new one
closes the current row the day the new one starts. Workload per officer: firms served, their open 诉求 and
the visits made in a period."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.models import User
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, region_clause, require_role
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput, NotFound
from zhizao.service.models import ServiceAssignment, ServiceRequest, ServiceVisit
from zhizao.service.requests import OPEN

LEVEL_LABELS = {"city": "市级帮包", "district": "区(市)级帮包", "town": "镇(街道)级帮包"}


def _enterprise(session: Session, actor: Actor, enterprise_id: int) -> Enterprise:
    found = session.scalars(
        select(Enterprise).where(
            Enterprise.id == enterprise_id, enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
        )
    ).first()
    if found is None:
        raise NotFound("找不到该企业")
    return found


def officer(session: Session, officer_id: int) -> User:
    user = session.get(User, officer_id)
    if user is None or not user.is_active or user.role == Role.ENTERPRISE:
        raise InvalidInput("服务专员应为在用的工作人员账号")
    return user


def officers(session: Session, actor: Actor) -> Sequence[User]:
    """Staff accounts the actor may name as 服务专员 or visiting officer: all for the bureau, the accounts of
    their region for a district (and themselves)."""
    query = select(User).where(User.is_active.is_(True), User.role != Role.ENTERPRISE.value)
    if not actor.reads_everything:
        query = query.where(region_clause(actor, User.region_code) | (User.id == actor.user_id))
    return session.scalars(query.order_by(User.username)).all()


def valid_on(as_of: date) -> ColumnElement[bool]:
    return and_(
        ServiceAssignment.valid_from <= as_of,
        or_(ServiceAssignment.valid_to.is_(None), ServiceAssignment.valid_to > as_of),
    )


AUTO = "auto"
RULE_BASIS = "按三级帮包规则测算（预计全年工业总产值 − 上年度工业总产值）"
RULE_LEVELS = {"市级": "city", "区(市)级": "district", "镇(街道)级": "town"}


def rule_level(session: Session, actor: Actor, enterprise_id: int, as_of: date) -> str:
    """The 帮包 level (city / district / town) the cultivation rule gives the firm on `as_of`."""
    from zhizao.cultivation.levels import baobao_level

    found = baobao_level(session, actor, enterprise_id, as_of)
    if found is None or found not in RULE_LEVELS:
        raise InvalidInput(
            "无法按三级帮包规则测算：缺少该企业的预计全年工业总产值或上年度工业总产值，请手动选择帮包层级"
        )
    return RULE_LEVELS[found]


def assign(
    session: Session,
    actor: Actor,
    *,
    enterprise_id: int,
    officer_id: int,
    level: str,
    valid_from: date,
    basis: str = "",
    contact: str = "",
) -> ServiceAssignment:
    """Make `officer_id` the firm's 服务专员 at `level` from `valid_from` (by the bureau or the district).

    `level="auto"` takes the level the cultivation area's 三级帮包 rule gives on `valid_from` (expected new
    output: 预计全年工业总产值 − 上年度工业总产值), and says so in `basis`. `contact`: how the firm reaches
    its officer (a phone number or service line), shown in the enterprise's portal."""
    require_role(actor, Role.ADMIN, Role.DISTRICT)
    _enterprise(session, actor, enterprise_id)
    officer(session, officer_id)
    if level == AUTO:
        level, basis = rule_level(session, actor, enterprise_id, valid_from), basis or RULE_BASIS
    if level not in LEVEL_LABELS:
        raise InvalidInput(f"未知的帮包层级: {level}（可选 {', '.join(LEVEL_LABELS)}）")
    current = session.scalars(
        select(ServiceAssignment).where(
            ServiceAssignment.enterprise_id == enterprise_id, ServiceAssignment.valid_to.is_(None)
        )
    ).first()
    with acting_as(actor.username):
        if current is not None:
            if current.valid_from > valid_from:
                raise InvalidInput(f"当前的服务专员自 {current.valid_from} 起任职，新的起始日期不能更早")
            if current.valid_from == valid_from:
                current.officer_id, current.level, current.basis = officer_id, level, basis
                current.contact = contact.strip()[:100]
                session.flush()
                return current
            current.valid_to = valid_from
        row = ServiceAssignment(
            enterprise_id=enterprise_id,
            officer_id=officer_id,
            level=level,
            basis=basis,
            contact=contact.strip()[:100],
            valid_from=valid_from,
        )
        session.add(row)
        session.flush()
    return row


def current(session: Session, actor: Actor, enterprise_id: int, as_of: date) -> ServiceAssignment | None:
    _enterprise(session, actor, enterprise_id)
    return session.scalars(
        select(ServiceAssignment).where(ServiceAssignment.enterprise_id == enterprise_id, valid_on(as_of))
    ).first()


def history(session: Session, actor: Actor, enterprise_id: int) -> Sequence[ServiceAssignment]:
    _enterprise(session, actor, enterprise_id)
    return session.scalars(
        select(ServiceAssignment)
        .where(ServiceAssignment.enterprise_id == enterprise_id)
        .order_by(ServiceAssignment.valid_from)
    ).all()


@dataclass(frozen=True)
class Workload:
    officer_id: int
    officer: str
    firms: int
    open_requests: int
    visits: int


def workload(session: Session, actor: Actor, as_of: date, since: date) -> list[Workload]:
    """Per officer, among the firms the actor may see: firms served on `as_of`, their open 诉求, and the
    visits the officer made from `since` to `as_of`."""
    scope = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    firms: dict[int, int] = dict(
        session.execute(
            select(ServiceAssignment.officer_id, func.count())
            .join(Enterprise, Enterprise.id == ServiceAssignment.enterprise_id)
            .where(valid_on(as_of), scope)
            .group_by(ServiceAssignment.officer_id)
        ).all()
    )
    open_requests = dict(
        session.execute(
            select(ServiceAssignment.officer_id, func.count(ServiceRequest.id))
            .join(Enterprise, Enterprise.id == ServiceAssignment.enterprise_id)
            .join(ServiceRequest, ServiceRequest.enterprise_id == ServiceAssignment.enterprise_id)
            .where(valid_on(as_of), scope, ServiceRequest.status.in_(OPEN))
            .group_by(ServiceAssignment.officer_id)
        ).all()
    )
    visits = dict(
        session.execute(
            select(ServiceVisit.officer_id, func.count())
            .join(Enterprise, Enterprise.id == ServiceVisit.enterprise_id)
            .where(scope, ServiceVisit.visited_on >= since, ServiceVisit.visited_on <= as_of)
            .group_by(ServiceVisit.officer_id)
        ).all()
    )
    ids = set(firms) | set(visits)
    names = {
        u.id: u.display_name or u.username for u in session.scalars(select(User).where(User.id.in_(ids)))
    }
    return sorted(
        (
            Workload(i, names.get(i, str(i)), firms.get(i, 0), open_requests.get(i, 0), visits.get(i, 0))
            for i in ids
        ),
        key=lambda w: (-w.firms, w.officer),
    )
