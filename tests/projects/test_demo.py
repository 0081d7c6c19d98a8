"""The demo's synthetic projects: marked as made up, in every state the pages show, replaced on a rerun and
never touching a real project."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.demo.conftest import small_spec  # noqa: F401  (the demo tests' small population)
from tests.projects.conftest import add_project
from zhizao.auth.scope import Actor
from zhizao.demo.load import load_demo
from zhizao.demo.population import DemoSpec
from zhizao.projects import progress
from zhizao.projects.demo import load_demo_projects
from zhizao.projects.models import Project, ProjectBaseline, ProjectMonth


def test_demo_projects(session: Session, system: Actor, small_spec: DemoSpec) -> None:  # noqa: F811
    load_demo(session, system, small_spec, force=True, accounts=False)
    real = add_project(session, "真实项目")
    today = date(2026, 10, 15)
    assert load_demo_projects(session, system, today) == 40
    demo = session.scalars(select(Project).where(Project.synthetic.is_(True))).all()
    assert len(demo) == 40 and all(p.name.endswith("（虚构）") for p in demo)
    counts = progress.status_counts(session, system, today)
    assert counts["suspended"] >= 3 and counts["no_plan"] >= 4 and counts["ahead"] and counts["severe"]
    assert session.scalar(select(func.count()).select_from(ProjectBaseline)) >= 30
    months = session.scalar(select(func.count()).select_from(ProjectMonth))
    assert load_demo_projects(session, system, today) == 40  # replaced, not added
    assert session.scalar(select(func.count()).select_from(ProjectMonth)) == months
    assert session.get(Project, real.id) is not None
