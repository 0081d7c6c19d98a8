"""The review page shows how sure the reader was of each item and why, and can put the unsure ones first."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans import intake, store
from zhizao.plans.models import Plan

SOURCE = "关于推进示例产业发展的实施方案\n到2026年,示例产业规模达到500亿元,培育示例企业30家。\n"


def _target(indicator: str, value: float, confidence: float, reasons: dict[str, str]) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "measure": "level",
        "value": value,
        "unit": "亿元",
        "qualifier": "exact",
        "target_year": 2026,
        "text": f"{indicator}{value}",
        "confidence": confidence,
        "reasons": reasons,
    }


def _plan(session: Session) -> Plan:
    data = {
        "title": "关于推进示例产业发展的实施方案",
        "year": 2024,
        "reasons": {"year": "年份取自文件标题"},
        "targets": [
            _target("示例产业规模", 500, 0.95, {"target_year": "年份取自所在句子的“到2026年”"}),
            _target("示例企业", 30, 0.55, {"target_year": "年份取自文件的规划期"}),
        ],
        "tasks": [],
    }
    return intake.create_plan_from_extraction(session, Actor.system(), data, SOURCE, "方案.txt")


def _order(html: str, keys: list[str]) -> list[str]:
    return sorted(keys, key=html.index)


def test_review_page_shows_confidence_and_reasons(session: Session, as_user: Any) -> None:
    plan = _plan(session)
    page = as_user("analyst").get(f"/plans/{plan.id}")

    assert page.status_code == 200
    assert "年份：年份取自文件标题" in page.text
    assert "目标年份：年份取自所在句子的“到2026年”" in page.text
    assert "把握 95%" in page.text and "待核实 · 把握 55%" in page.text
    assert re.search(r'id="uncertain-count"[^>]*>1 条待核实', page.text)
    assert _order(page.text, ["示例产业规模", "示例企业"]) == ["示例产业规模", "示例企业"]


def test_review_page_puts_uncertain_items_first(session: Session, as_user: Any) -> None:
    plan = _plan(session)
    page = as_user("analyst").get(f"/plans/{plan.id}?order=uncertain")

    assert page.status_code == 200
    assert _order(page.text, ["<strong>示例产业规模", "<strong>示例企业"]) == [
        "<strong>示例企业",
        "<strong>示例产业规模",
    ]
    assert "<strong>待核实优先</strong>" in page.text


def test_review_page_refuses_an_unknown_order(session: Session, as_user: Any) -> None:
    plan = _plan(session)
    assert as_user("analyst").get(f"/plans/{plan.id}?order=random").status_code == 400


def test_review_page_shows_why_each_lead_was_read(session: Session, as_user: Any) -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n一、重点任务\n"
        "(一)推进设备更新。实施改造。(牵头单位:市工业和信息化局;责任单位:市财政局)\n"
        "(二)培育企业。加大支持。(责任单位:市发展改革委、市财政局,列首位者为牵头单位)\n"
        "(三)优化服务。提升效率。(责任单位:市商务局、市市场监管局)\n"
    )
    plan = intake.import_text(session, Actor.system(), text, "方案.txt")
    client = as_user("analyst")

    page = client.get(f"/plans/{plan.id}?order=uncertain").text

    assert "牵头单位：注明“牵头单位”" in page
    assert "牵头单位：列第一位者为牵头单位" in page
    assert "牵头单位：未注明牵头单位,责任单位视为牵头" in page
    tasks = ["推进设备更新", "培育企业", "优化服务"]
    assert _order(page, [f"<strong>{t}</strong>" for t in tasks])[0] == "<strong>优化服务</strong>"
    document = client.get(f"/plans/{plan.id}").text
    assert _order(document, [f"<strong>{t}</strong>" for t in tasks]) == [
        f"<strong>{t}</strong>" for t in tasks
    ]


def test_review_page_drops_the_doubt_once_a_person_edits_the_units(session: Session, as_user: Any) -> None:
    text = (
        "关于推进示例工作的实施方案\n2024年3月1日\n一、重点任务\n"
        "(一)推进设备更新。实施改造。(责任单位:市商务局、市市场监管局)\n"
    )
    plan = intake.import_text(session, Actor.system(), text, "方案.txt")
    assignment = plan.tasks[0].assignments[0]
    assert assignment.confidence is not None and assignment.confidence < 0.8

    store.update_assignment(session, Actor.system(), assignment.id, {"lead_units": "市商务局"})
    page = as_user("analyst").get(f"/plans/{plan.id}").text

    assert "待核实" not in page.replace("待核实优先", "")
    assert "责任单位视为牵头" not in page
