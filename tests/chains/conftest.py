"""A small chain on the shared test database: three nodes (materials → cells → vehicles), firms in two
districts of the test home region, yearly figures, and helpers to grade firms in an evaluation run."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.web.conftest import app, as_user, client  # noqa: F401 (the web fixtures, for the page tests)
from zhizao.auth.scope import Actor
from zhizao.chains.definition import parse_definition
from zhizao.chains.models import Chain
from zhizao.chains.store import load_definition
from zhizao.enterprises.models import Enterprise
from zhizao.evaluation.models import EvaluationResult, EvaluationRun

OURS, THEIRS = "370211", "370212"

CHAIN_YAML = """
code: test-chain
name: 测试产业链
year: {year}
leader: 链长
lead_department: 市工业和信息化局
checklist:
  department: {{text: 工信牵头, done: true, units: [市工业和信息化局]}}
nodes:
  - {{code: materials, name: 电池材料, stage: upstream, industry_codes: ["3985"]}}
  - {{code: cells, name: 动力电池, stage: midstream, industry_codes: ["384"]}}
  - {{code: vehicles, name: 整车, stage: downstream, industry_codes: ["3612"]}}
{extra}
edges:
  - {{from: materials, to: cells}}
  - {{from: cells, to: vehicles}}
"""


def chain_yaml(year: int = 2024, extra: str = "") -> str:
    return CHAIN_YAML.format(year=year, extra=extra)


@dataclass
class ChainWorld:
    chain: Chain
    cells_ours: Enterprise
    cells_theirs: Enterprise
    vehicles_ours: Enterprise
    unrelated: Enterprise


@pytest.fixture
def home(home_region: Callable[[str | None], None]) -> None:
    home_region("370200")


@pytest.fixture
def world(session: Session, system: Actor, home: None) -> Iterator[ChainWorld]:
    chain = load_definition(session, system, parse_definition(chain_yaml()), chain_yaml()).chain
    figures = {2024: {"output_value": 1000.0, "tax": 50.0}, 2023: {"output_value": 800.0, "tax": 40.0}}
    cells_ours = add_enterprise(
        session, name="本区电池一厂", region_code=OURS, industry_code="3841", figures=figures
    )
    cells_theirs = add_enterprise(
        session,
        name="他区电池二厂",
        region_code=THEIRS,
        industry_code="3849",
        above_scale=False,
        figures={2024: {"output_value": 300.0, "tax": 10.0}},
    )
    vehicles = add_enterprise(
        session, name="本区整车厂", region_code=OURS, industry_code="3612", figures=figures
    )
    unrelated = add_enterprise(session, name="本区食品厂", region_code=OURS, industry_code="1391")
    yield ChainWorld(chain, cells_ours, cells_theirs, vehicles, unrelated)


def grade(session: Session, classes: dict[Enterprise, str], year: int = 2024) -> EvaluationRun:
    """A stored evaluation run that grades the given firms (the newest run)."""
    run = EvaluationRun(
        method_id="test",
        method_hash="0" * 64,
        method_text="",
        year=year,
        input_fingerprint="x",
        actor="system",
    )
    session.add(run)
    session.flush()
    for firm, class_id in classes.items():
        session.add(
            EvaluationResult(
                run_id=run.id,
                enterprise_id=firm.id,
                credit_code=firm.credit_code,
                region_code=firm.region_code,
                class_id=class_id,
            )
        )
    session.flush()
    return run
