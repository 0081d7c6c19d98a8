"""Every route × every role, generated from the app's route table, with ids from another scope.

The world has two scopes. Ours: a district (the district officer's region), 市工业和信息化局 (the department
user's unit) and one enterprise there (the enterprise account's firm). Theirs: an enterprise in another
district, a confirmed plan that assigns its one task only to 市科技局 and that other district's government,
a progress report with an attachment on that task, and every name there carries MARKER. Each request uses
their ids; the expected status of each role is in EXPECTED, and a restricted role (district, department,
enterprise) must never get MARKER back, in a page, JSON, a workbook or a document.

A route missing from EXPECTED fails the suite: a new route must be classified here. The world is built for
each install level in LEVELS (the home region of the install and the district officer's region inside it).
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, routing
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.evaluation.city import figures
from tests.web.conftest import PASSWORD, add_user, csrf_from, login
from zhizao.auth.scope import Actor
from zhizao.chains.clusters import load_clusters
from zhizao.chains.definition import parse_definition
from zhizao.chains.members import add_member
from zhizao.chains.store import load_definition
from zhizao.config import Settings
from zhizao.cultivation.declarations import declare
from zhizao.cultivation.models import BenefitEntry
from zhizao.cultivation.programme import load_programme
from zhizao.cultivation.runs import evaluate_database, store_run
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.evaluation.runs import run_and_store
from zhizao.jobs.store import create_job
from zhizao.plans.models import AssignmentUnit, Plan, PlanTarget, PlanTask, TaskAssignment
from zhizao.projects.models import Project, ProjectPlan
from zhizao.reference.models import Unit
from zhizao.service.config import categories as service_config_categories
from zhizao.service.config import load_config
from zhizao.service.requests import file as file_request
from zhizao.tracking import tasks
from zhizao.tracking.attachments import check_file

MARKER = "越界标记"
ROLES = ("admin", "analyst", "district", "department", "enterprise", "anonymous")
RESTRICTED = ("district", "department", "enterprise")
OWN_UNIT, THEIR_UNIT = "市工业和信息化局", "市科技局"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@dataclass(frozen=True)
class Level:
    """An install level: the home region of the install, the district officer's region in it (ours) and
    another region at the same level (theirs), with the district government units of both."""

    name: str
    home_region: str
    own_region: str
    other_region: str
    own_government: str
    other_government: str
    roles: tuple[str, ...] = ("admin", "analyst", "district", "department", "enterprise", "anonymous")


# One entry per install level (ZHIZAO_HOME_REGION): a city's bureau with a district officer; a province's
# department with a city officer who sees the city and everything in it; a county's bureau, where the
# other scope is another department's and another firm's (the county has no second region of its level
# inside it, so a regional officer there sees the whole install: tests/auth/test_scope_levels.py).
LEVELS = [
    Level("city", "370200", "370211", "370212", "黄岛区政府", "崂山区政府"),
    Level("province", "370000", "370700", "370200", "黄岛区政府", "崂山区政府"),
    Level(
        "county", "370211", "370211", "370211", "黄岛区政府", "崂山区政府",
        roles=("admin", "analyst", "department", "enterprise", "anonymous"),
    ),
]  # fmt: skip
CASES = [(level, role) for level in LEVELS for role in ROLES if role in level.roles]


# ---- expectations --------------------------------------------------------------------------------------

LOGIN = "login"  # anonymous: 303 to /login for a page, 401 for the API


@dataclass(frozen=True)
class E:
    """What each role gets on a route called with the other scope's ids.

    `ok`: the roles that may act (their expected status is `status`); every other logged-in role gets
    `refused` (404 when the route names a thing the role may not see, 403 when the role may never do this,
    whatever the id). Anonymous users get LOGIN unless `public`. `form`/`json`/`files` are the body sent."""

    ok: tuple[str, ...]
    status: int | tuple[int, ...] = 200
    refused: int | tuple[int, ...] = 404
    public: int | tuple[int, ...] | None = None
    form: dict[str, str] = field(default_factory=dict)
    json: dict[str, Any] | None = None
    files: dict[str, tuple[str, bytes, str]] | None = None
    query: str = ""
    overrides: dict[str, int | tuple[int, ...]] = field(default_factory=dict)

    def expected(self, role: str) -> tuple[int, ...]:
        if role in self.overrides:
            value = self.overrides[role]
        elif role == "anonymous":
            value = self.public if self.public is not None else -1
        elif role in self.ok:
            value = self.status
        else:
            value = self.refused
        return value if isinstance(value, tuple) else (value,)


ALL = ("admin", "analyst", "district", "department", "enterprise")
READERS = ("admin", "analyst")
OFFICERS = ("admin", "analyst", "district")
ADMIN = ("admin",)
XLSX_FILE = {"file": ("x.xlsx", b"PK\x03\x04 not a workbook", "application/octet-stream")}

SERVICE_FILING = {"category_id": "{category_id}", "title": "诉求", "enterprise_id": "{their_enterprise}"}
SERVICE_VISIT = {"enterprise_id": "{their_enterprise}", "visited_on": "2024-06-03", "form": "onsite"}
SERVICE_ASSIGNMENT = {
    "enterprise_id": "{their_enterprise}",
    "officer_id": "{officer_id}",
    "level": "city",
    "valid_from": "2024-06-03",
}

EXPECTED: dict[str, E] = {
    # auth and account
    "GET /login": E(ALL, status=(200, 303), public=200),
    "POST /login": E(
        ALL, status=(400, 401), public=(400, 401), form={"username": "nobody", "password": "wrong"}
    ),
    "POST /logout": E(ALL, status=303, public=303),
    "GET /account/password": E(ALL),
    "POST /account/password": E(ALL, status=400, form={"current": "wrong", "new": "x", "repeat": "y"}),
    "POST /lang": E(ALL, status=303, public=303, form={"lang": "en", "next": "/"}),
    "GET /": E(ALL),  # an enterprise account sees its own firm there
    # enterprises
    "GET /enterprises": E(ALL),
    "GET /enterprises/export.xlsx": E(ALL),
    "GET /enterprises/{enterprise_id}": E(READERS),
    "GET /enterprises/{enterprise_id}/figure-history": E(READERS),
    "POST /enterprises/{enterprise_id}/figures/correct": E(
        ADMIN,
        status=303,
        form={"indicator_id": "tax", "year": "2024", "value": "1", "note": "越权更正"},
        overrides={"analyst": 403},
    ),
    "GET /api/v1/me": E(ALL),
    "GET /api/v1/enterprises": E(ALL),
    "GET /api/v1/enterprises/{enterprise_id}": E(READERS),
    "GET /api/v1/enterprises/{enterprise_id}/figures": E(READERS),
    "GET /api/v1/counts": E(ALL),
    # administration
    "GET /admin/users": E(ADMIN, refused=403),
    "POST /admin/users": E(
        ADMIN,
        status=303,
        refused=403,
        form={"username": "new-user", "password": "long-enough-9!", "role": "analyst"},
    ),
    "POST /admin/users/{user_id}/active": E(ADMIN, status=303, refused=403, form={"active": "true"}),
    "POST /admin/users/{user_id}/password": E(
        ADMIN, status=303, refused=403, form={"password": "another-one-9!"}
    ),
    "GET /admin/audit": E(ADMIN, refused=403),
    # enterprise service: the bureau acts; officers file and record for firms of their region (theirs: 404);
    # departments handle their own 诉求; an enterprise files for itself
    "GET /service": E(ALL),
    "GET /service/requests/new": E(ALL, overrides={"analyst": 404, "department": 404}),
    "POST /service/requests": E(
        ADMIN, status=303, form=SERVICE_FILING, overrides={"analyst": 403, "enterprise": 303}
    ),
    "GET /service/requests/{request_id}": E(READERS),
    "GET /service/requests/{request_id}/notice.docx": E(ADMIN, refused=403),  # overdue: the 催办通知
    "POST /service/requests/{request_id}/{action}": E(ADMIN, status=303, overrides={"analyst": 403}),
    "GET /service/coverage": E(("admin", "analyst", "district")),
    "GET /service/coverage/not-visited.xlsx": E(("admin", "analyst", "district")),
    "GET /service/firms": E(("admin", "district"), query="q=制造"),
    "GET /regional-index": E(("admin", "analyst", "district"), refused=403),
    "POST /service/visits": E(
        ADMIN,
        status=303,
        form=SERVICE_VISIT,
        overrides={"analyst": 403, "department": 403, "enterprise": 403},
    ),
    "POST /service/assignments": E(ADMIN, status=303, form=SERVICE_ASSIGNMENT, overrides={"analyst": 403}),
    "GET /service/analytics": E(("admin", "analyst", "district", "department")),
    "GET /portal": E(("enterprise",)),
    "GET /api/v1/service/requests": E(ALL),
    "GET /api/v1/service/requests/{request_id}": E(READERS),
    "POST /api/v1/service/requests": E(
        ADMIN,
        status=201,
        json={"category_id": "{category_id}", "title": "越权", "enterprise_id": "{their_enterprise}"},
        overrides={"analyst": 403, "enterprise": 201},  # an enterprise files for itself
    ),
    # a reply before 受理 (422 for the bureau) leaves the 诉求 pending for the page's accept after it
    "POST /api/v1/service/requests/{request_id}/actions": E(
        ADMIN, status=422, json={"action": "reply", "note": "越权答复"}, overrides={"analyst": 403}
    ),  # the enterprise's own portal; staff: 404
    "GET /service/import": E(("admin", "district"), refused=403),
    "POST /service/import": E(("admin", "district"), status=400, refused=403, files=XLSX_FILE),
    "POST /service/import/{token}/confirm": E((), refused=404, form={"fingerprint": "0" * 64}),
    "POST /service/policy-links": E(
        READERS, status=303, refused=403, form={"category_code": "01", "task_id": "{task_id}"}
    ),
    "POST /service/policy-links/{link_id}/delete": E(READERS, status=404, refused=403),
    "POST /admin/users/{user_id}/sessions/end": E(ADMIN, status=303, refused=403),
    "GET /admin/units": E(ADMIN, refused=403),
    "POST /admin/units/import": E(ADMIN, status=400, refused=403, files=XLSX_FILE),
    "GET /account/sessions": E(ALL),
    "POST /account/sessions/others": E(ALL, status=303),
    # industrial operations monitoring: the bureau and regional officers (their own firms and totals only)
    "GET /monitoring": E(("admin", "analyst", "district"), refused=403),
    "GET /monitoring/firms": E(("admin", "analyst", "district"), refused=403, query="month=2024-06"),
    "GET /monitoring/export.xlsx": E(("admin", "analyst", "district"), status=(200, 404), refused=403),
    "GET /monitoring/report.docx": E(("admin", "analyst", "district"), refused=403, query="month=2024-06"),
    "GET /monitoring/reconciliation": E(("admin", "analyst", "district"), refused=403),
    "GET /monitoring/parks": E(("admin", "analyst"), refused=403),
    "POST /monitoring/parks": E(("admin", "analyst"), status=400, refused=403, files=XLSX_FILE),
    "POST /monitoring/parks/{token}/confirm": E(("admin", "analyst"), status=404, refused=403),
    # plans
    "GET /plans": E(ALL),
    "GET /plans/new": E(READERS, refused=403),
    "POST /plans": E(READERS, status=400, refused=403, form={"text": ""}),
    "GET /plans/{plan_id}": E(READERS),
    "GET /plans/{plan_id}/export.xlsx": E(READERS),
    "GET /plans/{plan_id}/{items}/{item_id}": E(READERS),
    "GET /plans/{plan_id}/{items}/{item_id}/edit": E(READERS, refused=403),
    "POST /plans/{plan_id}/{items}/{item_id}/review": E(
        READERS, status=400, refused=403, form={"status": "accepted"}
    ),
    "POST /plans/{plan_id}/targets/{target_id}": E(
        READERS, status=400, refused=403, form={"indicator": "改名"}
    ),
    "POST /plans/{plan_id}/tasks/{task_id}": E(READERS, status=400, refused=403, form={"title": "改名"}),
    "POST /plans/{plan_id}/tasks/{task_id}/assignments": E(
        READERS, status=400, refused=403, form={"lead_units": "市科技局"}
    ),
    "POST /plans/{plan_id}/units": E(
        READERS, status=400, refused=403, form={"text": "某单位", "unit_id": ""}
    ),
    "POST /plans/{plan_id}/accept-all": E(READERS, status=400, refused=403),
    "POST /plans/{plan_id}/confirm": E(READERS, status=400, refused=403),
    "POST /plans/{plan_id}/heading": E(READERS, status=400, refused=403, form={"title": "改名"}),
    "POST /plans/{plan_id}/targets": E(
        READERS, status=400, refused=403, form={"indicator": "新增指标", "value": "5", "measure": "level"}
    ),
    "POST /plans/{plan_id}/tasks": E(READERS, status=400, refused=403, form={"title": "新增任务"}),
    # without a reason (400): reopening here would put the plan back in review for the routes after it
    "POST /plans/{plan_id}/reopen": E(READERS, status=400, refused=403, form={"reason": ""}),
    "POST /plans/{plan_id}/delete": E(ADMIN, status=303, refused=403, overrides={"analyst": 400}),
    # tracking
    "GET /tracking": E(ALL),
    "GET /tracking/plans/{plan_id}": E(READERS),
    "GET /tracking/plans/{plan_id}/bulletin": E(READERS, refused=403),
    "GET /tracking/plans/{plan_id}/bulletin.docx": E(READERS, refused=403, query="month=2024-06"),
    "GET /tracking/plans/{plan_id}/ledger.xlsx": E(READERS, refused=403, query="month=2024-06"),
    "GET /tracking/targets/{target_id}": E(READERS),
    "POST /tracking/targets/{target_id}/observations": E(
        READERS, status=400, refused=403, form={"period_type": "ytd", "year": "2024", "value": "1"}
    ),
    "POST /tracking/targets/{target_id}/link": E(
        READERS, status=303, refused=403, form={"new_name": "新指标"}
    ),
    "GET /tracking/observations/template.xlsx": E(READERS, refused=403),
    "POST /tracking/observations/import": E(READERS, status=400, refused=403, files=XLSX_FILE),
    "GET /tracking/tasks": E(ALL),
    "GET /tracking/tasks/{assignment_id}": E(READERS),
    "POST /tracking/tasks/{assignment_id}/reports": E(
        ADMIN,
        status=303,
        form={"text": "越权报送", "status": "推进中", "reported_on": "2024-06-20"},
        overrides={"analyst": 403, "district": 403, "enterprise": 403},
    ),
    "POST /tracking/tasks/{assignment_id}/urge": E(
        READERS, status=303, refused=403, form={"note": "请尽快报送"}
    ),
    "GET /tracking/targets": E(ALL),
    "GET /tracking/attachments/{attachment_id}": E(READERS),
    "GET /tracking/reminders": E(ALL),
    "GET /api/v1/tracking/plans/{plan_id}/progress": E(READERS),
    "GET /api/v1/tracking/targets/{target_id}/series": E(READERS),
    "GET /api/v1/tracking/assignments": E(ALL),
    "GET /api/v1/tracking/assignments/{assignment_id}/reports": E(READERS),
    "POST /api/v1/tracking/assignments/{assignment_id}/reports": E(
        ADMIN,
        status=201,
        json={"reported_on": "2024-06-20", "text": "越权报送", "status": "推进中"},
        overrides={"analyst": 403, "district": 403, "enterprise": 403},
    ),
    "GET /api/v1/tracking/alerts": E(ALL),
    # cultivation: officers see pools of their scope; an enterprise only its own view
    "GET /cultivation": E(OFFICERS, refused=403, overrides={"enterprise": 303}),
    "POST /cultivation/runs": E(READERS, status=303, refused=403),
    "GET /cultivation/programmes/{programme_id}": E(OFFICERS, refused=403),
    "GET /cultivation/programmes/{programme_id}/export.xlsx": E(OFFICERS, refused=403),
    "GET /cultivation/enterprises/{enterprise_id}": E(READERS),
    "GET /cultivation/mine": E(("enterprise",), refused=403),
    "GET /cultivation/mine/declare": E(("enterprise",), refused=403),
    "POST /cultivation/mine/declare": E(
        ("enterprise",), status=303, refused=403, form={"value__debt_ratio": "50"}
    ),
    "GET /cultivation/declarations": E(("admin", "district"), refused=403),
    "GET /cultivation/declarations/{declaration_id}/evidence": E(READERS),
    "POST /cultivation/declarations/{declaration_id}/review": E(
        ADMIN, status=303, refused=403, overrides={"district": 404}, form={"decision": "accept"}
    ),
    "GET /cultivation/benefits": E(OFFICERS, refused=403),
    "POST /cultivation/benefits": E(
        ADMIN, status=303, refused=403, form={"programme": "above-scale", "benefit": "新政策", "amount": "10"}
    ),
    "GET /cultivation/benefits/export.xlsx": E(OFFICERS, refused=403, query="benefit=规上奖励"),
    "POST /cultivation/mine/benefits/{entry_id}": E(
        (), refused=403, overrides={"enterprise": 404}, form={"decision": "confirm"}
    ),
    "POST /cultivation/programmes/{programme_id}/targets": E(  # 小升规 recognises no title: 400
        READERS, status=400, refused=403, form={"target_id": "{target_id}"}
    ),
    # evaluation
    "GET /evaluation": E(ALL),
    "GET /evaluation/new": E(READERS, refused=403),
    "POST /evaluation/runs": E(READERS, status=400, refused=403, form={"year": "2024"}),
    "GET /evaluation/runs/{run_id}": E(("admin", "analyst", "district", "enterprise")),
    "GET /evaluation/runs/{run_id}/export.xlsx": E(("admin", "analyst", "district", "enterprise")),
    "GET /evaluation/compare": E(
        ("admin", "analyst", "district", "enterprise"), query="a={run_id}&b={run_id}"
    ),
    "GET /evaluation/runs/{run_id}/enterprises/{enterprise_id}": E(READERS),
    "GET /evaluation/enterprises/{enterprise_id}": E(READERS, status=303),
    "GET /api/v1/evaluation/runs": E(ALL),
    "GET /api/v1/evaluation/runs/{run_id}": E(("admin", "analyst", "district", "enterprise")),
    "GET /api/v1/evaluation/runs/{run_id}/results": E(("admin", "analyst", "district", "enterprise")),
    "GET /api/v1/evaluation/runs/{run_id}/charts": E(("admin", "analyst", "district", "enterprise")),
    "GET /api/v1/evaluation/runs/{run_id}/enterprises/{enterprise_id}": E(READERS),
    # imports
    "GET /imports": E(("admin", "analyst", "district"), refused=403),
    "GET /imports/new": E(("admin", "analyst", "district"), refused=403),
    "POST /imports": E(
        ("admin", "analyst", "district"), status=400, refused=403, form={"kind": "figures"}, files=XLSX_FILE
    ),
    "GET /imports/uploads/{token}/report.xlsx": E((), refused=404),
    "POST /imports/uploads/{token}/confirm": E((), refused=404, form={"fingerprint": "0" * 64}),
    "POST /imports/{import_id}/rollback": E(("admin", "analyst", "district"), status=404, refused=403),
    "GET /imports/templates/{kind}.xlsx": E(("admin", "analyst", "district"), refused=403),
    # industry chains: every account sees a chain and its graph; the firms on it are scoped (their firm on
    # the chain never shows); a decision on another scope's firm is 404, an analyst may not decide (403)
    "GET /chains": E(ALL),
    "GET /chains/clusters": E(ALL),
    "GET /chains/{chain_id}": E(ALL),
    "GET /chains/{chain_id}/nodes/{node_code}": E(ALL),
    "POST /chains/members/{member_id}": E(
        ADMIN, status=303, form={"action": "reject"}, overrides={"analyst": 403}
    ),
    "GET /api/v1/chains/{chain_id}": E(ALL),
    # key projects: every role sees its own scope's (theirs is another region's, unit's and owner's)
    "GET /projects": E(ALL),
    "GET /projects/export.xlsx": E(ALL),
    "GET /projects/summary": E(ALL),
    "GET /projects/summary.xlsx": E(ALL),
    "GET /projects/form.xlsx": E(ALL, query="month=2024-07"),
    "POST /projects/import": E(ALL, status=400, files=XLSX_FILE),
    "GET /projects/{project_id}": E(READERS),
    "GET /imports/uploads/{token}/preview": E((), refused=(403, 404), overrides={"enterprise": 403}),
    # long work: a user sees its own jobs only (theirs belongs to another analyst), an administrator all
    "GET /jobs": E(ALL),
    "GET /jobs/{job_id}": E(ADMIN),
    # a job's result file: theirs made none (a preview), so 404 for all; owner and admin downloads are in
    # test_tracking_pages (the bulletin job)
    "GET /jobs/{job_id}/file": E((), refused=404),
}
# Routes outside the matrix: the API schema and its viewer (public by design), and static files.
NOT_CLASSIFIED = {"GET /openapi.json", "GET /docs", "GET /docs/oauth2-redirect"}


def route_keys(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every route the app serves, from its route table."""
    included = getattr(routing, "_IncludedRouter", None)

    def flat(routes: list[Any]) -> Iterator[tuple[str, str]]:
        for route in routes:
            if included and isinstance(route, included):  # FastAPI ≥ 0.16x resolves included routers lazily
                yield from flat(route.effective_candidates())
                continue
            original = getattr(route, "original_route", route)
            for method in sorted(getattr(original, "methods", None) or ()):
                if method != "HEAD":
                    yield method, getattr(route, "path", "")

    return list(dict.fromkeys(flat(app.routes)))


# ---- the world -----------------------------------------------------------------------------------------


@dataclass
class World:
    level: Level
    ids: dict[str, int | str]
    own_enterprise: int

    def missing(self) -> World:
        """The same world with every id pointing at nothing."""
        ids = {k: (2**31 - 1 if isinstance(v, int) else v) for k, v in self.ids.items()}
        return World(self.level, ids, self.own_enterprise)


def _unit(session: Session, name: str) -> int:
    found = session.scalar(select(Unit.id).where(Unit.name == name))
    assert found is not None, name
    return found


def build_world(session: Session, level: Level, upload_dir: Path) -> World:
    city = [
        add_enterprise(
            session,
            name=f"{MARKER}企业{i:02d}" if i % 2 else f"本区企业{i:02d}",
            region_code=level.other_region if i % 2 else level.own_region,
            figures=figures(i),
        )
        for i in range(8)
    ]
    theirs, ours = city[1], city[0]
    for firm in city:  # monthly output for the monitoring pages: their firms fall (warnings name them)
        for year, month in [(y, m) for y in (2023, 2024) for m in range(1, 7)]:
            value = 100.0 if year == 2023 else (60.0 if firm.region_code == level.other_region else 110.0)
            session.add(
                EnterpriseFigure(
                    enterprise_id=firm.id, indicator_id="output_value", year=year, month=month, value=value
                )
            )
    # a 累计 that does not add up to the 当月 values: the reconciliation page lists it, never to a district
    session.add(
        EnterpriseFigure(
            enterprise_id=theirs.id, indicator_id="output_value_ytd", year=2024, month=6, value=1.0
        )
    )
    plan = Plan(title=f"{MARKER}行动计划", year=2024, region_code=level.home_region, status="confirmed")
    plan.targets.append(
        PlanTarget(
            position=0,
            indicator=f"{MARKER}指标",
            measure="level",
            value=10,
            unit="家",
            qualifier="at_least",
            target_year=2024,
            text=f"{MARKER}目标",
            review_status="accepted",
        )
    )
    task = PlanTask(
        position=0, number="1", title=f"{MARKER}任务", text=f"{MARKER}任务", review_status="accepted"
    )
    assignment = TaskAssignment(deadline=date(2024, 12, 31), deadline_text="2024年底")
    for position, name in enumerate((THEIR_UNIT, level.other_government)):
        assignment.units.append(
            AssignmentUnit(position=position, role="lead", unit_text=name, unit_id=_unit(session, name))
        )
    task.assignments.append(assignment)
    plan.tasks.append(task)
    session.add(plan)
    session.flush()
    report = tasks.report_progress(
        session, Actor.system(), assignment.id, reported_on=date(2024, 6, 1), text=f"{MARKER}进展",
        status="推进中", uploads=[(f"{MARKER}.pdf", PDF)], upload_dir=upload_dir,
    )  # fmt: skip
    run = run_and_store(session, Actor.system(), "huaian-2024", 2024)
    cultivation = [load_programme("xiaoshenggui"), load_programme("above-scale")]
    outcomes = evaluate_database(session, Actor.system(), cultivation, date(2025, 6, 30))
    cultivation_run = store_run(session, Actor.system(), cultivation, date(2025, 6, 30), outcomes)
    evidence = check_file(f"{MARKER}.pdf", PDF)
    declaration = declare(session, Actor.system(), theirs.id, "debt_ratio", 40.0, 2024, evidence, upload_dir)
    entry = BenefitEntry(
        benefit="规上奖励", programme="above-scale", run_id=cultivation_run.id, enterprise_id=theirs.id,
        region_code=theirs.region_code, amount=10.0, clause=f"{MARKER}条款", evidence=[], listed_by="admin",
    )  # fmt: skip
    session.add(entry)
    service_config = f"categories:\n  - {{code: '01', name: 要素保障, department: {THEIR_UNIT}}}\n"
    category = service_config_categories(session, load_config(session, Actor.system(), service_config))[0]
    their_request = file_request(
        session, Actor.system(), enterprise_id=theirs.id, category_id=category.id,
        title=f"{MARKER}诉求", on=date(2024, 6, 3), channel="officer",
    )  # fmt: skip
    their_project = Project(
        name=f"{MARKER}项目", kind="重点项目", level="市级", region_code=level.other_region,
        enterprise_id=theirs.id, unit_id=_unit(session, THEIR_UNIT), start_actual=date(2024, 3, 1),
        owner_name=f"{MARKER}业主",
    )  # fmt: skip
    session.add(their_project)
    session.flush()
    session.add(ProjectPlan(project_id=their_project.id, year=2024, annual_plan=100))
    other_user = add_user(session, "other-analyst", "analyst")
    chain, chain_member = _chain_world(session, theirs)
    job = create_job(session, Actor.from_user(other_user), "import_preview", f"导入预览 {MARKER}.xlsx", {})
    ids: dict[str, int | str] = {
        "enterprise_id": theirs.id,
        "plan_id": plan.id,
        "item_id": plan.targets[0].id,
        "items": "targets",
        "target_id": plan.targets[0].id,
        "task_id": task.id,
        "assignment_id": assignment.id,
        "attachment_id": report.attachments[0].id,
        "run_id": run.id,
        "user_id": other_user.id,
        "import_id": 2**31 - 1,
        "token": "0" * 32,
        "kind": "figures",
        "request_id": their_request.id,
        "link_id": 2**31 - 1,
        "action": "accept",
        "category_id": category.id,
        "their_enterprise": theirs.id,
        "officer_id": other_user.id,
        "chain_id": chain,
        "node_code": "cells",
        "member_id": chain_member,
        "project_id": their_project.id,
        "programme_id": "xiaoshenggui",
        "declaration_id": declaration.id,
        "entry_id": entry.id,
        "job_id": job.id,
    }
    return World(level, ids, ours.id)


def _chain_world(session: Session, theirs: Any) -> tuple[int, int]:
    """A chain whose one node holds their firm (a member row), and a cluster of the whole home region."""
    definition = parse_definition(
        "code: matrix\nname: 测试产业链\nyear: 2024\nnodes:\n"
        "  - {code: cells, name: 电池, stage: midstream, industry_codes: ['3841']}\n"
    )
    chain = load_definition(session, Actor.system(), definition).chain
    member = add_member(session, Actor.system(), chain.id, 2024, "cells", theirs.id)
    load_clusters(
        session,
        Actor.system(),
        f"clusters:\n  - {{code: c, name: 集群, level: national, members: [{theirs.credit_code}]}}\n",
    )
    return chain.id, member.id


def _log_in(client: TestClient, session: Session, role: str, world: World) -> None:
    if role == "anonymous":
        return
    options: dict[str, Any] = {
        "district": {"region_code": world.level.own_region},
        "department": {"unit_name": OWN_UNIT},
        "enterprise": {"enterprise_id": world.own_enterprise},
    }.get(role, {})
    add_user(session, f"matrix-{role}", role, **options)
    assert login(client, f"matrix-{role}", PASSWORD).status_code == 303


def _is_page(response: httpx.Response) -> bool:
    return response.headers.get("content-type", "").startswith("text/html")


def _message(response: httpx.Response) -> str:
    """The error message of an error page or JSON (for the failure report)."""
    text = (
        response.text
        if response.headers.get("content-type", "").startswith(("text/", "application/json"))
        else ""
    )
    found = re.search(r'class="notification is-danger is-light">(.*?)</div>', text, re.S)
    return re.sub(r"<[^>]+>|\s+", " ", found.group(1) if found else text[:160]).strip()


def visible_text(response: httpx.Response) -> str:
    """What a reader of the response sees: the text of a page or JSON, the cells of a workbook, the
    paragraphs of a document."""
    kind = response.headers.get("content-type", "")
    if "spreadsheetml" in kind:
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        return "\n".join(
            str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row if v
        )
    if "wordprocessingml" in kind:
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            return archive.read("word/document.xml").decode("utf-8")
    if kind.startswith(("text/", "application/json")):
        return response.text
    return response.headers.get("content-disposition", "")


def _call(client: TestClient, method: str, path: str, spec: E, world: World, token: str) -> httpx.Response:
    url = path.format(**world.ids)
    if spec.query:
        url += "?" + spec.query.format(**world.ids)
    if method == "GET":
        return client.get(url)
    headers = {"X-CSRF-Token": token}
    if spec.json is not None:
        body = {k: v.format(**world.ids) if isinstance(v, str) else v for k, v in spec.json.items()}
        return client.request(method, url, json=body, headers=headers)
    form = {key: value.format(**world.ids) for key, value in spec.form.items()}
    return client.request(method, url, data=form | {"csrf_token": token}, files=spec.files)


@pytest.fixture
def level(request: pytest.FixtureRequest) -> Level:
    """The install level of the case (parametrized indirectly with the role, see CASES)."""
    found: Level = request.param
    return found


@pytest.fixture
def world(
    session: Session, app: FastAPI, tmp_path: Path, level: Level, home_region: Callable[[str | None], None]
) -> World:
    home_region(level.home_region)
    app.state.settings = Settings(
        secret_key="test-secret-key", upload_dir=tmp_path, home_region=level.home_region
    )
    return build_world(session, level, tmp_path)


def test_every_route_is_classified(app: FastAPI) -> None:
    keys = {f"{method} {path}" for method, path in route_keys(app)}
    missing = sorted(keys - set(EXPECTED) - NOT_CLASSIFIED)
    assert not missing, f"routes without an entry in EXPECTED (classify them): {missing}"
    stale = sorted(set(EXPECTED) - keys)
    assert not stale, f"entries in EXPECTED for routes that no longer exist: {stale}"


@pytest.mark.parametrize(
    ("level", "role"), CASES, indirect=["level"], ids=[f"{level.name}-{role}" for level, role in CASES]
)
def test_route_matrix(app: FastAPI, client: TestClient, session: Session, world: World, role: str) -> None:
    _log_in(client, session, role, world)
    token = _token(client, role)
    wrong: list[str] = []
    for method, path in sorted(route_keys(app), key=_order):
        key = f"{method} {path}"
        if key in NOT_CLASSIFIED or key not in EXPECTED:
            continue
        spec = EXPECTED[key]
        response = _call(client, method, path, spec, world, token)
        expected = spec.expected(role)
        if expected == (-1,):
            location = response.headers.get("location", "")
            api = path.startswith("/api/")
            good = (
                response.status_code == 401 if api else response.status_code == 303 and "/login" in location
            )
        else:
            good = response.status_code in expected
        if not good:
            wrong.append(f"{key}: {response.status_code}, expected {expected} {_message(response)!r}")
        title = re.search(r"<title>(.*?)</title>", response.text, re.S) if _is_page(response) else None
        if title and "<" in title.group(1):  # a template whose title block swallowed its page
            wrong.append(f"{key}: markup inside the page's <title>")
        if role in RESTRICTED and MARKER in visible_text(response):
            wrong.append(f"{key}: out-of-scope data ({MARKER}) in the response")
        if role in RESTRICTED and role not in spec.ok and "_id}" in path:
            missing = _call(client, method, path, spec, world.missing(), token)
            if missing.status_code != response.status_code:  # existence must not show
                wrong.append(
                    f"{key}: {response.status_code} for another scope's id, {missing.status_code} for none"
                )
        if key == "POST /logout":
            if role != "anonymous":
                _log_in_again(client, role)
            token = _token(client, role)
    assert not wrong, "\n".join(wrong)


LAST = ("/delete", "/rollback", "/logout", "/active", "/password")


def _order(key: tuple[str, str]) -> tuple[bool, bool]:
    """Reads first, then writes; the writes that remove or disable things last (no request undoes
    another's writes: the whole test is rolled back at its end)."""
    method, path = key
    return method != "GET", path.endswith(LAST)


def _token(client: TestClient, role: str) -> str:
    return csrf_from(client, "/login" if role == "anonymous" else "/account/password")


def _log_in_again(client: TestClient, role: str) -> None:
    assert login(client, f"matrix-{role}", PASSWORD).status_code == 303
