"""Workbooks out of the area: the progress of groups (the 调度 summary) and the project list, written with
`office.tables` (title, note, frozen header, filters, number formats)."""

from __future__ import annotations

import io
from collections.abc import Sequence

from openpyxl import Workbook

from zhizao.office.tables import AMOUNT, INTEGER, POINTS, Column, write_table
from zhizao.projects.facts import BASIS_LABELS
from zhizao.projects.progress import GROUP_LABELS, Progress, ProjectProgress

PROGRESS_COLUMNS = [
    Column("分组"),
    Column("项目数", INTEGER),
    Column("停缓建", INTEGER),
    Column("年度计划投资(万元)", AMOUNT),
    Column("本年完成投资(万元)", AMOUNT),
    Column("年度投资完成率(%)", POINTS),
    Column("时间进度(%)", POINTS),
    Column("与时间进度相比(百分点)", POINTS),
    Column("说明"),
    Column("状态"),
    Column("计划开工", INTEGER),
    Column("实际开工", INTEGER),
    Column("开工率(%)", POINTS),
    Column("计划竣工", INTEGER),
    Column("实际竣工", INTEGER),
    Column("竣工率(%)", POINTS),
    Column("正式施工", INTEGER),
    Column("建成投产", INTEGER),
    Column("投产率(%)", POINTS),
]


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def progress_workbook(result: Progress) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "调度汇总"
    rows = [
        [
            g.label,
            g.projects,
            g.suspended,
            g.year_plan,
            g.year_actual,
            g.completion_rate,
            g.time_progress,
            g.gap_pp,
            g.gap_text,
            g.status_label,
            g.planned_starts,
            g.actual_starts,
            g.start_rate,
            g.planned_completions,
            g.actual_completions,
            g.completion_count_rate,
            g.under_construction,
            g.in_production,
            g.production_rate,
        ]
        for g in result.groups
    ]
    mode = "截断" if result.rules.rounding == "truncate" else "四舍五入"
    note = (
        f"截至{result.period.end.isoformat()} · {GROUP_LABELS.get(result.group_by, '')} · "
        f"{BASIS_LABELS[result.basis]} · 比率保留{result.rules.decimals}位小数（{mode}）· "
        "停缓建项目不计入开工率、竣工率、投产率"
    )
    write_table(sheet, PROGRESS_COLUMNS, rows, title="重点项目调度汇总", note=note)
    return _save(workbook)


LIST_COLUMNS = [
    Column("项目名称"),
    Column("投资项目统一代码"),
    Column("项目类型"),
    Column("项目级别"),
    Column("所属区域"),
    Column("责任单位"),
    Column("包联领导"),
    Column("产业链"),
    Column("项目状态"),
    Column("计划总投资(万元)", AMOUNT),
    Column("年度计划投资(万元)", AMOUNT),
    Column("本年完成投资(万元)", AMOUNT),
    Column("自开始建设累计完成投资(万元)", AMOUNT),
    Column("年度投资完成率(%)", POINTS),
    Column("进度状态"),
]


def list_workbook(rows: Sequence[Sequence[object]], note: str) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "项目清单"
    write_table(sheet, LIST_COLUMNS, rows, title="重点项目清单", note=note)
    return _save(workbook)


def list_row(item: object, progress: ProjectProgress | None) -> list[object]:
    """A row of the list export from a `listing.Item`."""
    from zhizao.projects.listing import Item

    assert isinstance(item, Item)
    p = item.project
    return [
        p.name,
        p.code,
        p.kind,
        p.level,
        item.region_name,
        item.unit_name,
        p.leader,
        p.chain_code,
        item.stage_label,
        p.total_investment,
        progress.annual_plan if progress else None,
        progress.year_actual if progress else None,
        progress.cumulative if progress else None,
        progress.completion_rate if progress else None,
        progress.status_label if progress else "",
    ]
