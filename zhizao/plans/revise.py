"""Revising a plan beyond its items: the heading (title, 文号, 发文机关, year), a target or task the reader
missed, reopening a confirmed plan (with a reason, audited), and what to say before a plan is confirmed
(a document that reads like a news item, or has no goals; which items are still pending).

Like `store`, every change is made under the acting person's name and audited."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput, NotFound, Problems
from zhizao.plans.fields import MEASURES, QUALIFIERS, read_choice, read_number, read_year
from zhizao.plans.models import Plan, PlanTarget, PlanTask
from zhizao.plans.store import EDITORS, _plan_in_review

HEADING_FIELDS = ("title", "doc_number", "issuer", "year")
# Words of a news report or a meeting notice rather than a plan (an 实施方案 sets goals and assigns tasks).
_NEWS = re.compile(r"(召开|举行|举办|出席|会见|调研|走访|座谈会|签约仪式|报道|记者|新闻|日前|近日|据悉|讯)")
_PLAN_WORDS = re.compile(r"(方案|计划|规划|意见|措施|办法|要点|行动|纲要)")


def require_item_in_plan(session: Session, actor: Actor, kind: str, plan_id: int, item_id: int) -> None:
    """NotFound unless the target or task `item_id` belongs to plan `plan_id` (the plan in the address):
    an item is never changed through another plan's address."""
    require_role(actor, *EDITORS)  # before the lookup: a refused role learns nothing of what exists
    if kind not in ("target", "task"):
        raise InvalidInput(f"条目类型无效: {kind}")
    item = session.get(PlanTarget, item_id) if kind == "target" else session.get(PlanTask, item_id)
    if item is None or item.plan_id != plan_id:
        raise NotFound(f"计划 {plan_id} 中没有条目 {item_id}")


def update_heading(session: Session, actor: Actor, plan_id: int, changes: Mapping[str, Any]) -> Plan:
    """Edit the plan's title, 文号 (doc_number), 发文机关 (issuer) or year while it is in review."""
    plan = _plan_in_review(session, actor, plan_id)
    problems = Problems()
    values: dict[str, Any] = {}
    for key, raw in changes.items():
        text = str(raw or "").strip()
        if key == "title":
            values[key] = text[:300]
            if not text:
                problems.error("标题不能为空", None, key)
        elif key == "doc_number":
            values[key] = text[:100] or None
        elif key == "issuer":
            values[key] = text[:200] or None
        elif key == "year":
            values[key] = read_year(text, problems, None, key) if text else None
        else:
            problems.error(f"不能修改的字段: {key}", None, key)
    if problems.errors:
        raise InvalidInput("计划信息修改有误", problems.items)
    with acting_as(actor.username):
        for key, value in values.items():
            setattr(plan, key, value)
        session.flush()
    return plan


def add_target(session: Session, actor: Actor, plan_id: int, values: Mapping[str, Any]) -> PlanTarget:
    """Add a target the reader missed (accepted: a person wrote it)."""
    plan = _plan_in_review(session, actor, plan_id)
    problems = Problems()
    indicator = str(values.get("indicator") or "").strip()[:200]
    if not indicator:
        problems.error("指标名称不能为空", None, "indicator")
    measure = read_choice(values.get("measure") or "level", MEASURES, problems, None, "measure")
    qualifier = read_choice(values.get("qualifier") or "exact", QUALIFIERS, problems, None, "qualifier")
    number = read_number(values.get("value"), problems, None, "value")
    if number is None and not problems.errors:
        problems.error("请填写目标值", None, "value")
    year_text = str(values.get("target_year") or "").strip()
    target_year = read_year(year_text, problems, None, "target_year") if year_text else plan.year
    if problems.errors:
        raise InvalidInput("新增目标有误", problems.items)
    text = str(values.get("text") or "").strip() or f"{indicator}{number:g}{values.get('unit') or ''}"
    with acting_as(actor.username):
        target = PlanTarget(
            position=len(plan.targets),
            indicator=indicator,
            measure=measure,
            value=number,
            unit=str(values.get("unit") or "").strip()[:30],
            qualifier=qualifier,
            target_year=target_year,
            text=text,
            review_status="accepted",
        )
        plan.targets.append(target)
        session.flush()
    return target


def add_task(session: Session, actor: Actor, plan_id: int, values: Mapping[str, Any]) -> PlanTask:
    """Add a task the reader missed (accepted; its units and deadline are added on the task card)."""
    plan = _plan_in_review(session, actor, plan_id)
    title = str(values.get("title") or "").strip()[:300]
    text = str(values.get("text") or "").strip()
    if not title and not text:
        raise InvalidInput("请填写任务名称或内容")
    with acting_as(actor.username):
        task = PlanTask(
            position=len(plan.tasks),
            number=str(values.get("number") or "").strip()[:20] or str(len(plan.tasks) + 1),
            title=title or None,
            text=text or title,
            review_status="accepted",
        )
        plan.tasks.append(task)
        session.flush()
    return task


def reopen_plan(session: Session, actor: Actor, plan_id: int, reason: str) -> Plan:
    """Put a confirmed plan back in review (to correct it), with the reason in the audit log. Its items
    stay accepted and its task reports stay; tracking leaves it out until it is confirmed again."""
    require_role(actor, *EDITORS)
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"计划 {plan_id} 不存在")
    if plan.status != "confirmed":
        raise InvalidInput("只有已确认的计划可以退回修改")
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("请填写退回修改的原因")
    with acting_as(actor.username):
        record(
            session,
            "reopen",
            "plans",
            str(plan.id),
            {
                "原因": reason[:500],
                "原确认人": plan.confirmed_by,
                "原确认时间": plan.confirmed_at.isoformat(timespec="seconds") if plan.confirmed_at else None,
            },
        )
        plan.status = "review"
        session.flush()
    return plan


@dataclass
class Readiness:
    """What to tell the reviewer before confirming: warnings about the document and the pending items."""

    warnings: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)  # labels of the items still 待审核

    @property
    def blocked(self) -> bool:
        return bool(self.pending)


def readiness(plan: Plan) -> Readiness:
    """Warnings about a plan in review: it has no goals at all, or reads like a news item."""
    found = Readiness()
    kept_targets = [t for t in plan.targets if t.review_status != "rejected"]
    kept_tasks = [t for t in plan.tasks if t.review_status != "rejected"]
    if not kept_targets and not kept_tasks:
        found.warnings.append("未读取到任何量化目标或任务：这份文件可能不是实施方案或行动计划。")
    elif not kept_targets:
        found.warnings.append("未读取到量化目标：督查时只能跟踪任务，不能对照目标值。")
    head = f"{plan.title}\n{(plan.source_text or '')[:300]}"
    if len(_NEWS.findall(head)) >= 1 and not _PLAN_WORDS.search(plan.title or ""):
        found.warnings.append(
            "这份文件读起来像新闻报道或会议消息，而不是政策文件；请确认是否应作为计划导入。"
        )
    for target in plan.targets:
        if target.review_status == "pending":
            found.pending.append(f"目标：{target.indicator}")
    for task in plan.tasks:
        if task.review_status == "pending":
            label = task.title or (task.text or "")[:40]
            found.pending.append(f"任务 {task.number}：{label}".strip())
    return found
