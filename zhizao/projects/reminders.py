"""Who has not reported the month's 调度 yet, and by when it is due.

A month's report is due by the Nth working day of the next month (`settings.report_workday`, default 5),
counted with the one working-day calendar (holidays and 调休 included). A project is expected to report
while it is active: not 停缓建 at the month's end, not completed before the month, and planned to start by
the month's end or already started. Reminders go to the responsible unit (or, without one, the owner).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.projects import settings as project_settings
from zhizao.projects.facts import load_projects, month_end
from zhizao.projects.models import Project, ProjectMonth
from zhizao.reference import workdays
from zhizao.reference.models import Unit


@dataclass(frozen=True)
class Missing:
    """One unit's (or owner's) projects without the month's report."""

    who: str
    unit_id: int | None
    projects: tuple[Project, ...]
    deadline: date
    overdue: bool
    workdays_left: int

    @property
    def message(self) -> str:
        names = "、".join(p.name for p in self.projects[:5]) + ("等" if len(self.projects) > 5 else "")
        when = f"已逾期（期限 {self.deadline}）" if self.overdue else f"请于 {self.deadline} 前报送"
        return f"{len(self.projects)}个项目尚未报送调度：{names}；{when}"


def deadline(session: Session, year: int, month: int) -> date:
    """The last day to report `year`-`month`: the Nth working day of the next month."""
    rules = project_settings.load(session)
    return workdays.load(session).add_workdays(month_end(year, month), rules.report_workday)


def expected(project: Project, end: date) -> bool:
    if project.suspended_on is not None and project.suspended_on <= end:
        return False
    if project.effect_actual is not None and project.effect_actual < end.replace(day=1):
        return False
    if project.complete_actual is not None and project.complete_actual < end.replace(day=1):
        return False  # completed before the month: 达效 is followed from the owner's figures instead
    started = project.start_actual is not None and project.start_actual <= end
    planned = project.start_planned is not None and project.start_planned <= end
    return started or planned


def missing_reports(session: Session, actor: Actor, year: int, month: int, today: date) -> list[Missing]:
    """Per unit, the visible projects expected to report `year`-`month` that have not (most overdue first)."""
    end = month_end(year, month)
    due = deadline(session, year, month)
    calendar = workdays.load(session)
    projects = [p for p in load_projects(session, actor) if expected(p, end)]
    reported = set(
        session.scalars(
            select(ProjectMonth.project_id).where(
                ProjectMonth.project_id.in_([p.id for p in projects]),
                ProjectMonth.year == year,
                ProjectMonth.month == month,
            )
        )
    )
    units = dict(session.execute(select(Unit.id, Unit.name)).all())
    grouped: dict[tuple[str, int | None], list[Project]] = defaultdict(list)
    for p in projects:
        if p.id in reported:
            continue
        who = units.get(p.unit_id, "") if p.unit_id else ""
        grouped[(who or p.owner_name or "（未指定责任单位）", p.unit_id)].append(p)
    left = calendar.workdays_between(today, due)
    return [
        Missing(who, unit_id, tuple(items), due, today > due, max(left, 0))
        for (who, unit_id), items in sorted(grouped.items(), key=lambda kv: (-len(kv[1]), kv[0][0]))
    ]
