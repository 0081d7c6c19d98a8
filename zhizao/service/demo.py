"""The demo's enterprise service, made up and marked so: the example configuration (when none is loaded),
服务专员 for a share of the 规上 firms, first-quarter visits, and the 诉求 they raised in every state — so
the service pages, the coverage and the overdue list have something to show. Every visit's findings and
every 诉求's text start with 演示数据（虚构）."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from importlib import resources

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.models import User
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput, NotFound
from zhizao.reference import workdays
from zhizao.service import assignments, config, requests, visits
from zhizao.service.visits import Problem

MARK = "演示数据（虚构）"
FINDINGS = ("生产经营正常，订单饱满", "用工紧张，招工难", "新产线建设进展顺利", "原材料价格上涨，利润承压")
PROBLEMS = ("新建厂房用地指标", "技改项目用能指标", "流动资金贷款", "申报专精特新的条件", "出口退税进度")


@dataclass
class DemoService:
    categories: int = 0
    assignments: int = 0
    visits: int = 0
    requests: int = 0


def _example_config(session: Session, actor: Actor) -> int:
    try:
        config.current_version(session)
        return 0
    except NotFound:
        text = resources.files("zhizao.service").joinpath("data", "example.yaml").read_text("utf-8")
        try:
            with session.begin_nested():
                version = config.load_config(session, actor, text)
        except InvalidInput:
            return 0  # the example names departments this region's unit list does not have: no 诉求 then
        return len(config.categories(session, version))


def load_demo_service(session: Session, actor: Actor, today: date, seed: int = 2024) -> DemoService:
    """Add the demo's service data as of `today` (visits in the last complete first quarter)."""
    result = DemoService(categories=_example_config(session, actor))
    officers = list(
        session.scalars(
            select(User).where(User.role.in_([Role.ADMIN.value, Role.DISTRICT.value])).order_by(User.id)
        )
    )
    if not officers:
        return result
    rng = np.random.default_rng(seed)
    calendar = workdays.load(session)
    year = today.year if today >= date(today.year, 4, 1) else today.year - 1
    quarter = [date(year, 1, 1) + timedelta(days=d) for d in range(90)]
    quarter = [d for d in quarter if calendar.is_workday(d)]
    firms = list(
        session.execute(
            select(Enterprise.id, Enterprise.region_code)
            .where(Enterprise.above_scale.is_(True))
            .order_by(Enterprise.id)
        )
    )
    try:
        leaves = [c for c in config.categories(session) if c.parent_id is not None]
    except NotFound:
        leaves = []  # no configuration: visits without 诉求
    chosen: list[int] = (
        [int(i) for i in rng.choice(len(firms), size=min(len(firms), 400), replace=False)] if firms else []
    )
    for k, index in enumerate(sorted(chosen)):
        firm_id, region = firms[index]
        officer = next(
            (o for o in officers if o.region_code and region.startswith(o.region_code[:6])), officers[0]
        )
        level = ("city", "district", "town")[min(int(rng.integers(0, 10)) // 4, 2)]
        assignments.assign(
            session,
            actor,
            enterprise_id=firm_id,
            officer_id=officer.id,
            level=level,
            valid_from=date(year, 1, 1),
            basis=MARK,
            contact=f"办公电话 {86000000 + officer.id}（演示，虚构）",
        )
        result.assignments += 1
        if k % 5 == 4:
            continue  # not every firm was visited: the coverage page lists the rest
        raised = (
            [
                Problem(
                    category_id=leaves[int(rng.integers(0, len(leaves)))].id, title=f"{MARK}{PROBLEMS[k % 5]}"
                )
            ]
            if leaves and k % 3 == 0
            else []
        )
        visit, filed = visits.record(
            session,
            actor,
            enterprise_id=firm_id,
            visited_on=quarter[int(rng.integers(0, len(quarter)))],
            form=("onsite", "phone", "meeting", "online")[k % 4],
            findings=f"{MARK}{FINDINGS[k % 4]}",
            officer_id=officer.id,
            problems=raised,
        )
        result.visits += 1
        for request in filed:
            result.requests += 1
            _progress(session, actor, request.id, visit.visited_on, calendar, k, today)
    session.flush()
    return result


def _progress(
    session: Session,
    actor: Actor,
    request_id: int,
    filed: date,
    calendar: workdays.WorkCalendar,
    k: int,
    today: date,
) -> None:
    """Move a 诉求 on: most are done and called back, some still open, a few left overdue."""
    stage = k % 6
    if stage == 0:
        return  # 待受理 (and overdue by now)
    accepted = calendar.add_workdays(filed, 1)
    requests.accept(session, actor, request_id, accepted, f"{MARK}已受理")
    if stage == 1:
        return  # 办理中
    replied = calendar.add_workdays(filed, 2)
    requests.reply(session, actor, request_id, replied, f"{MARK}已联系企业，正在协调")
    done = calendar.add_workdays(filed, 4 + k % 12)
    if done > today:
        return
    requests.complete(session, actor, request_id, done, f"{MARK}已协调解决")
    if stage == 5:
        return  # 已办结, waiting for the call-back
    called = calendar.add_workdays(done, 2)
    if called <= today:
        requests.callback(
            session,
            actor,
            request_id,
            called,
            resolved=stage != 4,
            satisfied=stage != 4,
            note=f"{MARK}企业回访",
        )
