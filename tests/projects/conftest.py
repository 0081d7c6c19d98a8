"""Project fixtures: two districts, two departments, firms, the accounts that act on them, and a helper that
writes a 调度 workbook from rows of {label: value}."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.enterprises.models import Enterprise
from zhizao.projects.models import Project, ProjectMonth, ProjectPlan
from zhizao.reference.models import Unit

PASSWORD = "correct-horse-9"
HEADER = [
    "项目名称",
    "投资项目统一代码",
    "项目类型",
    "项目级别",
    "所属区域",
    "计划总投资(万元)",
    "年度计划投资(万元)",
    "计划开工日期",
    "实际开工日期",
    "计划竣工日期",
    "实际竣工日期",
    "项目状态",
    "年度",
    "月份",
    "本年完成投资(万元)",
    "自开始建设累计完成投资(万元)",
]


@dataclass
class World:
    units: dict[str, Unit]
    firm_a: Enterprise  # 370211
    firm_c: Enterprise  # 370212
    users: dict[str, User]

    def actor(self, name: str) -> Actor:
        return Actor.from_user(self.users[name])


@pytest.fixture
def world(session: Session) -> World:
    units = {}
    for name in ("测试工信局", "测试发改委"):
        unit = Unit(name=name, kind="department")
        session.add(unit)
        units[name] = unit
    session.flush()
    firm_a = add_enterprise(session, name="甲制造有限公司", region_code="370211")
    firm_c = add_enterprise(session, name="丙制造有限公司", region_code="370212")
    system = Actor.system()
    users = {
        "admin": create_user(session, system, "pj-admin", PASSWORD, "admin"),
        "officer": create_user(session, system, "pj-officer", PASSWORD, "district", region_code="370211"),
        "gxj": create_user(session, system, "pj-gxj", PASSWORD, "department", unit_name="测试工信局"),
        "firm_a": create_user(session, system, "pj-firm-a", PASSWORD, "enterprise", enterprise_id=firm_a.id),
    }
    session.flush()
    return World(units, firm_a, firm_c, users)


def add_project(
    session: Session,
    name: str = "测试项目",
    *,
    region_code: str = "370211",
    kind: str = "重点项目",
    level: str = "市级",
    plans: dict[int, float] | None = None,
    months: dict[tuple[int, int], tuple[float, float]] | None = None,
    **fields: Any,
) -> Project:
    project = Project(name=name, kind=kind, level=level, region_code=region_code, **fields)
    session.add(project)
    session.flush()
    for year, value in (plans or {}).items():
        session.add(ProjectPlan(project_id=project.id, year=year, annual_plan=value))
    for (year, month), (year_actual, cumulative) in (months or {}).items():
        session.add(
            ProjectMonth(
                project_id=project.id, year=year, month=month, year_actual=year_actual, cumulative=cumulative
            )
        )
    session.flush()
    return project


def write_rows(path: Path, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


@pytest.fixture
def workbook(tmp_path: Path) -> Callable[..., Path]:
    counter = iter(range(1000))

    def make(rows: Sequence[Sequence[Any]], header: Sequence[str] = HEADER) -> Path:
        return write_rows(tmp_path / f"dd-{next(counter)}.xlsx", header, rows)

    return make


def row(
    name: str = "新建智能装备产业园项目",
    *,
    code: str = "2026-370211-34-03-000001",
    kind: str = "重点项目",
    level: str = "市级",
    region: str = "370211",
    total: float = 50000,
    annual: float = 12000,
    start_planned: date | None = date(2026, 3, 1),
    start_actual: date | None = date(2026, 3, 15),
    complete_planned: date | None = date(2027, 12, 31),
    complete_actual: date | None = None,
    status: str = "在建",
    year: int = 2026,
    month: int = 6,
    year_actual: float = 5000,
    cumulative: float = 5000,
) -> list[Any]:
    return [
        name,
        code,
        kind,
        level,
        region,
        total,
        annual,
        start_planned,
        start_actual,
        complete_planned,
        complete_actual,
        status,
        year,
        month,
        year_actual,
        cumulative,
    ]
