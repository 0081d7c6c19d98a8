"""`zhizao plan ...`: policy documents (行动计划, 实施意见, 工作方案) read into targets and tasks."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer
from rich.table import Table

from zhizao.cli.common import console, echo_json, handle_errors
from zhizao.plans.reading import Extraction, parse_document

app = typer.Typer(help="政策文件 (policy documents): 读取量化目标与任务分工.", no_args_is_help=True)

_MEASURES = {"level": "达到", "growth": "增长", "reduction": "降低", "share": "占比", "increase": "新增"}
_MEASURES["rank"] = "排名"
_QUALIFIERS = {"about": "左右", "at_least": "以上", "at_most": "以内", "exact": ""}


def _sure(confidence: float, reason: str | None) -> str:
    """How sure the reader was, and why the lead units are what they are: 70% 未注明牵头单位,…"""
    return f"{confidence:.0%} {reason}" if reason else f"{confidence:.0%}"


class OutputFormat(StrEnum):
    json = "json"
    table = "table"


def _render_tables(extraction: Extraction) -> None:
    console.print(f"[bold]{extraction.title or '(无标题)'}[/bold]")
    details = [extraction.doc_number, extraction.issuer, str(extraction.year) if extraction.year else None]
    console.print(" · ".join(d for d in details if d) or "")
    if extraction.reasons.get("goals"):
        console.print(extraction.reasons["goals"])
    targets = Table(title=f"量化目标 ({len(extraction.targets)})", show_lines=False)
    for column in ("指标", "类型", "目标值", "年份", "原文"):
        targets.add_column(column)
    for t in extraction.targets:
        value = f"{t.value:g}{t.unit}{_QUALIFIERS[t.qualifier]}"
        targets.add_row(t.indicator, _MEASURES[t.measure], value, str(t.target_year or ""), t.text)
    console.print(targets)
    tasks = Table(title=f"任务 ({len(extraction.tasks)})")
    for column in ("编号", "任务", "牵头单位", "责任单位", "配合单位", "完成时限", "把握"):
        tasks.add_column(column)
    for task in extraction.tasks:
        label = "/".join(task.path)
        if not task.assignments:
            tasks.add_row(label, task.title or "", "", "", "", "", "")
        for i, a in enumerate(task.assignments):
            deadline = a.deadline or a.deadline_text or ""
            tasks.add_row(
                label if i == 0 else "",
                (task.title or "") if i == 0 else "",
                "、".join(a.lead_units),
                "、".join(a.responsible_units),
                "、".join(a.cooperating_units),
                deadline,
                _sure(a.confidence, a.reasons.get("lead_units")),
            )
    console.print(tasks)


@app.command("parse")
@handle_errors
def parse(
    file: Path = typer.Argument(
        ..., help="政策文件: .txt (UTF-8/GBK)、.docx、.html、带文字层的 .pdf,或 .doc/.wps(需 LibreOffice)"
    ),
    output_format: OutputFormat = typer.Option(
        OutputFormat.table, "--format", "-f", help="输出格式: json (FORMAT.md 格式) 或 table (表格)"
    ),
) -> None:
    """读取政策文件, 列出量化目标和任务分工 (read a policy document into targets and tasks)."""
    extraction = parse_document(file)
    if output_format is OutputFormat.json:
        echo_json(extraction.to_json())
    else:
        _render_tables(extraction)
