from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.office.habits import assert_excel_habits
from zhizao.auth.scope import Actor
from zhizao.plans import export, intake, store
from zhizao.plans.models import Plan
from zhizao.reference.models import Unit

SOURCE = (
    "关于推进制造业发展的实施方案\n"
    "1. 推动设备更新。实施技改项目500个以上。(牵头单位:市工信局,责任单位:各区(市);完成时限:2025年6月底前)\n"
    "2. 培育专精特新企业。(市民营经济局牵头,市财政局配合,全年)\n"
)


def make_confirmed_plan(session: Session, actor: Actor) -> Plan:
    note1 = "牵头单位:市工信局,责任单位:各区(市);完成时限:2025年6月底前"
    task1, task2 = SOURCE.index("1. 推动"), SOURCE.index("2. 培育")
    data = {
        "title": "关于推进制造业发展的实施方案",
        "year": 2025,
        "targets": [
            {
                "indicator": "技改项目",
                "measure": "level",
                "value": 500,
                "unit": "个",
                "qualifier": "at_least",
                "target_year": 2025,
                "base_year": None,
                "text": "实施技改项目500个以上",
            },
            {
                "indicator": "工业增加值",
                "measure": "growth",
                "value": 6.5,
                "unit": "%",
                "qualifier": "about",
                "target_year": 2025,
                "base_year": None,
                "text": "增长6.5%左右",
            },
        ],
        "tasks": [
            {
                "number": "1",
                "path": ["1"],
                "title": "推动设备更新",
                "source_span": [task1, task2 - 1],
                "assignments": [
                    {
                        "lead_units": ["市工信局"],
                        "responsible_units": ["各区(市)"],
                        "deadline": "2025-06-30",
                        "deadline_text": "2025年6月底前",
                        "text": note1,
                    }
                ],
            },
            {
                "number": "2",
                "path": ["2"],
                "title": "培育专精特新企业",
                "source_span": [task2, len(SOURCE) - 1],
                "assignments": [
                    {
                        "lead_units": ["市民营经济局"],
                        "cooperating_units": ["市财政局"],
                        "deadline": "2025-12-31",
                        "deadline_text": "全年",
                        "text": "市民营经济局牵头,市财政局配合,全年",
                    }
                ],
            },
        ],
    }
    plan = intake.create_plan_from_extraction(session, actor, data, SOURCE, "方案.txt")
    store.set_review_status(session, actor, "target", plan.targets[1].id, "rejected")
    return store.confirm_plan(session, actor, plan.id, accept_pending=True)


def rows(sheet) -> list[list[object]]:  # type: ignore[no-untyped-def]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_export_plan_writes_task_table(session: Session, system: Actor) -> None:
    plan = make_confirmed_plan(session, system)

    filename, content = export.export_plan(session, system, plan.id)

    assert filename == "关于推进制造业发展的实施方案-任务分解表.xlsx"
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["任务分解表", "目标表"]
    sheet = book["任务分解表"]
    table = rows(sheet)
    assert table[0][0] == "关于推进制造业发展的实施方案任务分解表"
    assert_excel_habits(sheet, title=table[0][0], numbers=("序号",))
    assert table[2] == ["序号", "重点任务", "牵头单位", "责任单位", "配合单位", "完成时限"]
    assert table[3] == [
        1,
        "推动设备更新。实施技改项目500个以上。",
        "市工业和信息化局",
        "各区(市)",
        None,
        "2025年6月底前",
    ]
    assert table[4][2:] == ["市民营经济局", None, "市财政局", "全年"]
    assert sheet.freeze_panes == "A4"
    assert sheet["B4"].alignment.wrap_text
    assert sheet["B4"].border.left.style == "thin"
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.column_dimensions["B"].width == 60


def test_export_plan_writes_target_table_without_rejected(session: Session, system: Actor) -> None:
    plan = make_confirmed_plan(session, system)

    _, content = export.export_plan(session, system, plan.id)

    sheet = load_workbook(io.BytesIO(content))["目标表"]
    assert_excel_habits(sheet, title=sheet["A1"].value, numbers=("目标年份",))
    table = rows(sheet)
    assert table[2][:4] == ["序号", "指标", "类型", "目标值"]
    assert table[3:] == [[1, "技改项目", "达到", 500, "个", "以上", 2025, None, "实施技改项目500个以上"]]


def test_export_plan_filtered_by_unit(session: Session, system: Actor) -> None:
    plan = make_confirmed_plan(session, system)
    finance = session.scalars(select(Unit.id).where(Unit.name == "市财政局")).one()

    _, content = export.export_plan(session, system, plan.id, unit_id=finance)

    sheet = load_workbook(io.BytesIO(content))["任务分解表"]
    assert "筛选：市财政局" in sheet["A2"].value
    assert [r[1] for r in rows(sheet)[3:]] == ["培育专精特新企业。"]
