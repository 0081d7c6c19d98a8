"""诉求 analytics by category (大类), department or district for the 诉求 filed in a period: volume, on-time
rate (办结 within the completion limit, extensions included), average working days to 办结 (paused days not
counted), reopen rate, and the 解决 and 满意 rates among those called back. One GROUP BY per breakdown, the
same on every database; the working days are counted with the calendar when a 诉求 is completed
(`workdays_taken`), so no row is walked here.

`repeated()` flags categories raised by several firms in the period: candidates for a policy issue."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import case, func
from sqlalchemy.orm import Session, aliased

from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput
from zhizao.reference.models import Region, Unit
from zhizao.service.models import ServiceCategory, ServiceRequest
from zhizao.service.requests import visible

Breakdown = Literal["category", "department", "district"]
BREAKDOWN_LABELS = {"category": "按类别", "department": "按责任部门", "district": "按区(市)"}


@dataclass(frozen=True)
class Summary:
    key: str
    label: str
    volume: int
    completed: int
    on_time: int
    avg_workdays: float | None
    reopened: int
    called_back: int
    resolved: int
    satisfied: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.completed if self.completed else None

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.volume if self.volume else None

    @property
    def resolved_rate(self) -> float | None:
        return self.resolved / self.called_back if self.called_back else None

    @property
    def satisfied_rate(self) -> float | None:
        return self.satisfied / self.called_back if self.called_back else None


def _count_if(condition: Any) -> Any:
    return func.sum(case((condition, 1), else_=0))


def summary(session: Session, actor: Actor, since: date, until: date, by: Breakdown) -> list[Summary]:
    """One row per category (大类), department or district, for the 诉求 the actor may see filed in
    [since, until]."""
    if by not in BREAKDOWN_LABELS:
        raise InvalidInput(f"未知的分组: {by}")
    if since > until:
        raise InvalidInput("起始日期晚于截至日期")
    parent = aliased(ServiceCategory)
    base = visible(actor).where(ServiceRequest.filed_on >= since, ServiceRequest.filed_on <= until)
    if by == "category":
        base = base.join(ServiceCategory, ServiceCategory.id == ServiceRequest.category_id).outerjoin(
            parent, parent.id == ServiceCategory.parent_id
        )
        key: Any = func.coalesce(parent.code, ServiceCategory.code)
        label: Any = func.coalesce(parent.name, ServiceCategory.name)
    elif by == "department":
        base = base.outerjoin(Unit, Unit.id == ServiceRequest.department_id)
        key, label = func.coalesce(Unit.id, 0), func.coalesce(Unit.name, "（未指定）")
    else:
        base = base.join(Region, Region.code == Enterprise.region_code)
        key, label = Region.code, Region.name
    query = base.with_only_columns(
        key,
        label,
        func.count(ServiceRequest.id),
        func.count(ServiceRequest.completed_on),
        _count_if(ServiceRequest.on_time.is_(True)),
        func.avg(ServiceRequest.workdays_taken),
        _count_if(ServiceRequest.reopen_count > 0),
        func.count(ServiceRequest.satisfied),
        _count_if(ServiceRequest.resolved.is_(True)),
        _count_if(ServiceRequest.satisfied.is_(True)),
    ).group_by(key, label)
    rows = [
        Summary(
            str(k),
            str(n),
            int(volume),
            int(done),
            int(on_time or 0),
            round(float(avg), 1) if avg is not None else None,
            int(reopened or 0),
            int(called),
            int(resolved or 0),
            int(satisfied or 0),
        )
        for k, n, volume, done, on_time, avg, reopened, called, resolved, satisfied in session.execute(query)
    ]
    return sorted(rows, key=lambda r: (-r.volume, r.key))


@dataclass(frozen=True)
class Repeated:
    code: str
    name: str
    firms: int
    requests: int


def repeated(session: Session, actor: Actor, since: date, until: date, min_firms: int = 3) -> list[Repeated]:
    """小类 (or 大类 without children) raised by at least `min_firms` distinct firms in the period."""
    query = (
        visible(actor)
        .join(ServiceCategory, ServiceCategory.id == ServiceRequest.category_id)
        .where(ServiceRequest.filed_on >= since, ServiceRequest.filed_on <= until)
        .with_only_columns(
            ServiceCategory.code,
            ServiceCategory.name,
            func.count(func.distinct(ServiceRequest.enterprise_id)),
            func.count(ServiceRequest.id),
        )
        .group_by(ServiceCategory.code, ServiceCategory.name)
        .having(func.count(func.distinct(ServiceRequest.enterprise_id)) >= min_firms)
    )
    found = [Repeated(str(c), str(n), int(f), int(r)) for c, n, f, r in session.execute(query)]
    return sorted(found, key=lambda r: (-r.firms, r.code))
