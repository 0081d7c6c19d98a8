"""A small plan built with the plan models directly: targets and tasks assigned to three units."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.plans.models import AssignmentUnit, Plan, PlanTarget, PlanTask, TaskAssignment
from zhizao.reference.models import Unit

GXJ, FGW, KJJ, SWJ = "市工业和信息化局", "市发展改革委", "市科技局", "市商务局"


def unit_id(session: Session, name: str) -> int:
    found = session.scalar(select(Unit.id).where(Unit.name == name))
    assert found is not None, name
    return found


def department(session: Session, name: str) -> Actor:
    return Actor(username=f"user-{name}", role=Role.DEPARTMENT, unit_id=unit_id(session, name))


@dataclass
class SamplePlan:
    plan: Plan
    growth: PlanTarget
    firms: PlanTarget
    a_gxj: TaskAssignment  # lead 工信局, responsible 发改委, due 2024-06-30
    a_kjj: TaskAssignment  # lead 科技局, due 2024-12-31
    a_swj: TaskAssignment  # lead 商务局, 工信局 only cooperating, due 2024-07-10


def _assignment(
    session: Session, number: str, deadline: date, units: list[tuple[str, str]]
) -> TaskAssignment:
    assignment = TaskAssignment(deadline=deadline, deadline_text=str(deadline))
    for position, (role, name) in enumerate(units):
        assignment.units.append(
            AssignmentUnit(position=position, role=role, unit_text=name, unit_id=unit_id(session, name))
        )
    return assignment


def build_sample(session: Session) -> SamplePlan:
    plan = Plan(title="测试工业稳增长行动", year=2024, region_code="370200", status="confirmed")
    growth = PlanTarget(
        position=0, indicator="规模以上工业增加值", measure="growth", value=6.5, unit="%", qualifier="about",
        target_year=2024, text="规模以上工业增加值同比增长6.5%左右", review_status="accepted",
    )  # fmt: skip
    firms = PlanTarget(
        position=1, indicator="规模以上工业企业", measure="level", value=5000, unit="家",
        qualifier="at_least", target_year=2024, text="规模以上工业企业数量突破5000家",
        review_status="accepted",
    )  # fmt: skip
    plan.targets.extend([growth, firms])
    tasks = []
    for position, (title, deadline, units) in enumerate(
        [
            ("推进技改", date(2024, 6, 30), [("lead", GXJ), ("responsible", FGW)]),
            ("建设实验室", date(2024, 12, 31), [("lead", KJJ)]),
            ("拓展市场", date(2024, 7, 10), [("lead", SWJ), ("cooperating", GXJ)]),
        ],
        start=1,
    ):
        task = PlanTask(
            position=position, number=str(position), title=title, text=title, review_status="accepted"
        )
        task.assignments.append(_assignment(session, str(position), deadline, units))
        tasks.append(task)
    plan.tasks.extend(tasks)
    session.add(plan)
    session.flush()
    return SamplePlan(plan, growth, firms, *(t.assignments[0] for t in tasks))


@pytest.fixture
def sample(session: Session) -> SamplePlan:
    return build_sample(session)
