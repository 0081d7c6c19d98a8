"""The monthly bulletin (督查通报) as a .docx in the GB/T 9704-2012 layout of official documents.

The layout (page, grid of 22 lines of 28 characters, fonts, page numbers, 版头 and 版记) is
`zhizao.office.official`; this module writes the bulletin's content into it:

- 版头: 发文机关标志 ("<issuer>文件" in red), 份号 and 密级 when given, the 发文字号 and the red rule;
- the title, 主送 and one prose section each on the overall state, the targets (the lagging ones named
  with their gap), the tasks (each lagging or overdue task with its full title, deadline and the reason
  from its latest report) and the units that did not report;
- 附件说明, 落款 (the issuer's full name and the date), the two annex tables (every target; tasks by
  unit) on pages of their own, and 版记 (抄送, 印发机关和日期).

`official_document`, `body_paragraph`, `set_font`, `title_font` and the font constants stay importable from
here for the notices that share the layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from datetime import date

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, require_role
from zhizao.office.official import (
    BODY_FONT,
    BODY_SIZE,
    CHARS,
    HEADING_FONTS,
    LATIN_FONT,
    LINES,
    MARGINS_MM,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_SIZE,
    TABLE_SIZE,
    TITLE_FALLBACK,
    TITLE_FONT,
    TITLE_SIZE,
    Masthead,
    add_colophon,
    body_paragraph,
    heading,
    installed_fonts,
    official_document,
    page_break,
    set_font,
    table,
    title_font,
    title_paragraph,
)
from zhizao.reference import home
from zhizao.tracking.cockpit import default_as_of, month_choices
from zhizao.tracking.ledger import REPORT_ROLES
from zhizao.tracking.monthly import TASK_CATEGORIES, PlanMonth, month_as_of, plan_month
from zhizao.tracking.progress import STATUS_COLOURS, STATUS_LABELS, Status, is_amount
from zhizao.tracking.targets import TargetProgress, get_plan
from zhizao.tracking.tasks import AssignmentView
from zhizao.tracking.text import one_line, task_title

__all__ = [
    "BODY_FONT",
    "BODY_SIZE",
    "CHARS",
    "HEADING_FONTS",
    "LATIN_FONT",
    "LINES",
    "MARGINS_MM",
    "PAGE_NUMBER_FONT",
    "PAGE_NUMBER_SIZE",
    "TABLE_SIZE",
    "TITLE_FALLBACK",
    "TITLE_FONT",
    "TITLE_SIZE",
    "BulletinForm",
    "BulletinResult",
    "Masthead",
    "body_paragraph",
    "build_bulletin",
    "bulletin_form",
    "default_issuer",
    "installed_fonts",
    "official_document",
    "one_line",
    "render",
    "set_font",
    "task_title",
    "title_font",
]

TARGET_ANNEX = "目标完成情况表"
UNIT_ANNEX = "重点任务分单位推进情况表"


@dataclass
class BulletinResult:
    data: bytes
    notes: list[str] = field(default_factory=list)


def default_issuer() -> str:
    """The home region's industry and IT bureau (X省工业和信息化厅, Y市工业和信息化局 …)."""
    return home.bureau_name(home.home_region_code())


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _masthead(issuer: str, as_of: date, given: Masthead | None) -> Masthead:
    """The given masthead with what it leaves out filled from the issuer and the month."""
    given = given or Masthead()
    return replace(
        given,
        organ=given.organ or f"{issuer}文件",
        number=given.number or f"督查通报〔{as_of.year}〕第{as_of.month}期",
        printer=given.printer or f"{issuer}办公室",
        printed_on=given.printed_on or chinese_date(as_of),
    )


@dataclass(frozen=True)
class BulletinForm:
    """What the bulletin's download form offers: the plan's months and the masthead each month defaults to."""

    plan_id: int
    plan_title: str
    months: list[str]  # YYYY-MM
    month: str  # the one chosen (default: the latest)
    defaults: Masthead  # for the chosen month


def bulletin_form(
    session: Session, actor: Actor, plan_id: int, today: date, month: str | None = None
) -> BulletinForm:
    """The form's choices for a plan: administrators and analysts only; NotFound for a plan out of scope."""
    require_role(actor, *REPORT_ROLES)
    plan = get_plan(session, actor, plan_id)
    as_of = default_as_of(plan.year, today)
    months = month_choices(plan.year or as_of.year, today)
    chosen = month if month in months else f"{as_of.year}-{as_of.month:02d}"
    year, number = (int(part) for part in chosen.split("-"))
    defaults = _masthead(default_issuer(), month_as_of(year, number), None)
    return BulletinForm(plan.id, plan.title, months, chosen, defaults)


def _number(value: float, unit: str) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".") + unit


def _gap_text(t: TargetProgress) -> str:
    """How far a lagging target is behind, in words: its latest value and its gap."""
    p = t.progress
    if p.latest is None:
        return "本期尚无数据"
    latest = f"{p.latest.label}为{_number(p.latest.value, t.spec.unit)}"
    if p.completion is not None and is_amount(t.spec):
        behind = f"，落后序时进度{abs(p.gap):.1f}个百分点" if p.gap is not None and p.gap < 0 else ""
        return f"{latest}，完成目标的{p.completion:.1%}{behind}"
    if t.spec.measure == "rank":
        return f"{p.latest.label}位列第{p.latest.value:g}位，目标前{t.spec.value:g}位"
    if p.gap is not None:
        side = "高于" if p.gap > 0 else "低于"
        return f"{latest}，{side}目标{abs(p.gap):.1f}个百分点"
    return latest


def _overall(doc: DocumentObject, month: PlanMonth) -> None:
    counts, tasks = month.target_counts, month.task_counts
    target_part = "、".join(f"{STATUS_LABELS[s]}{counts[s.value]}项" for s in Status if counts[s.value])
    task_part = "、".join(f"{label}{tasks[key]}项" for key, label in TASK_CATEGORIES.items() if tasks[key])
    heading(doc, "一、总体情况", 1)
    body_paragraph(
        doc,
        f"截至{month.as_of.year}年{month.as_of.month}月底，序时进度为{month.schedule:.1%}。"
        f"《{month.plan.title}》共确定量化目标{len(month.targets)}项，其中{target_part or '暂无'}；"
        f"任务分工{len(month.assignments)}项，其中{task_part or '暂无'}。"
        f"本月有{len(month.silent_units)}个单位未报送进展。",
    )


def _targets_section(doc: DocumentObject, month: PlanMonth) -> None:
    heading(doc, "二、目标完成情况", 1)
    by_status: dict[Status, list[TargetProgress]] = {s: [] for s in Status}
    for t in month.targets:
        by_status[t.progress.status].append(t)
    good = by_status[Status.COMPLETED] + by_status[Status.ON_TRACK]
    parts = [f"{len(good)}项目标已完成或达到序时进度"] if good else []
    if by_status[Status.COMPLETED]:
        names = "、".join(t.indicator for t in by_status[Status.COMPLETED])
        parts.append(f"其中{names}已完成全年目标")
    body_paragraph(doc, "，".join(parts) + "。" if parts else "本月尚无达到序时进度的目标。")
    for status, words in ((Status.SEVERE, "严重滞后"), (Status.LAGGING, "滞后")):
        lagging = by_status[status]
        if not lagging:
            continue
        items = "；".join(f"{t.indicator}（目标{t.target_label}），{_gap_text(t)}" for t in lagging)
        body_paragraph(doc, f"{words}的目标{len(lagging)}项：{items}。")
    if by_status[Status.NO_DATA]:
        names = "、".join(t.indicator for t in by_status[Status.NO_DATA])
        body_paragraph(doc, f"{names}本期尚无数据，请相关单位及时报送。")
    body_paragraph(doc, "各项目标完成情况详见附件1。")


def _task_title(month: PlanMonth, view: AssignmentView) -> str:
    task = next((t for t in month.plan.tasks if t.id == view.task_id), None)
    title = task_title(task.title, task.text) if task is not None else view.task_title
    return f"{view.task_number} {title}".strip() if view.task_number else title


def _deadline(view: AssignmentView) -> str:
    if view.deadline is not None:
        return chinese_date(view.deadline)
    return view.deadline_text or "未明确"


def _tasks_section(doc: DocumentObject, month: PlanMonth) -> None:
    heading(doc, "三、重点任务推进情况", 1)
    heading(doc, "（一）分单位情况", 2)
    behind = [u for u in month.units if u.counts["lagging"] or u.counts["overdue"]]
    if behind:
        parts = []
        for u in behind:
            counts = "、".join(
                f"{TASK_CATEGORIES[k]}{u.counts[k]}项" for k in ("overdue", "lagging") if u.counts[k]
            )
            parts.append(f"{u.unit_name}牵头{u.total}项，其中{counts}")
        body_paragraph(doc, "；".join(parts) + "。其余单位任务均按计划推进。各单位情况详见附件2。")
    else:
        body_paragraph(doc, "各单位牵头任务均按计划推进。各单位情况详见附件2。")
    lagging = [v for v in month.assignments if month.categories[v.id] in ("overdue", "lagging")]
    heading(doc, "（二）逾期和滞后任务", 2)
    if not lagging:
        body_paragraph(doc, "本月无逾期或滞后任务。")
        return
    for number, v in enumerate(lagging, start=1):
        category = TASK_CATEGORIES[month.categories[v.id]]
        text = f"{number}．{v.owner[1]}牵头的“{_task_title(month, v)}”，完成时限{_deadline(v)}，{category}。"
        latest = v.latest
        if latest is None:
            text += "至今未报送进展。"
        else:
            reason = one_line(latest.text).rstrip("。") or "未说明"
            text += f"最近一次报送（{chinese_date(latest.reported_on)}，{v.status.label}）：{reason}。"
        body_paragraph(doc, text)


def _annex_heading(doc: DocumentObject, number: int, title: str) -> None:
    page_break(doc)
    heading(doc, f"附件{number}", 1).paragraph_format.first_line_indent = 0
    body_paragraph(doc, "", indent=False)
    title_paragraph(doc, title, title_font()[0])
    body_paragraph(doc, "", indent=False)


def _target_rows(month: PlanMonth) -> tuple[list[list[str]], dict[tuple[int, int], str]]:
    order = list(Status)
    ordered = sorted(month.targets, key=lambda t: order.index(t.progress.status))
    rows, colours = [], {}
    for number, t in enumerate(ordered, start=1):
        p = t.progress
        latest = f"{_number(p.latest.value, t.spec.unit)}\n{p.latest.label}" if p.latest else "—"
        if p.completion is not None:
            done = f"{p.completion:.1%}"
        elif p.gap is not None:
            done = f"{p.gap:+.1f}个百分点"
        else:
            done = "—"
        schedule = "—" if p.schedule is None else f"{p.schedule:.1%}"
        rows.append([str(number), t.indicator, t.target_label, latest, done, schedule, p.label])
        colours[(number, 6)] = STATUS_COLOURS[p.status]
    return rows, colours


def _annexes(doc: DocumentObject, month: PlanMonth) -> None:
    _annex_heading(doc, 1, f"《{month.plan.title}》{TARGET_ANNEX}")
    rows, colours = _target_rows(month)
    table(
        doc,
        ["序号", "指标", "目标", "最新值", "完成度或差距", "序时进度", "状态"],
        rows,
        widths_mm=[13, 38, 24, 28, 20, 15, 18],
        colours=colours,
        centred=(0, 4, 5, 6),
    )
    _annex_heading(doc, 2, UNIT_ANNEX)
    unit_rows = [
        [u.unit_name, str(u.total), *(str(u.counts[k]) for k in TASK_CATEGORIES)] for u in month.units
    ]
    table(
        doc,
        ["责任单位", "任务数", *TASK_CATEGORIES.values()],
        unit_rows,
        widths_mm=[52, 20, 20, 24, 20, 20],
        centred=(1, 2, 3, 4, 5),
    )


def render(
    month: PlanMonth,
    issuer: str | None = None,
    font_for_title: str | None = None,
    masthead: Masthead | None = None,
) -> bytes:
    """The bulletin as .docx; `issuer` (default: the home region's bureau) heads the document and signs it in
    full; `masthead` sets the 发文字号, 份号, 密级, 抄送 and 印发机关 (defaults from the issuer and month)."""
    issuer = issuer or default_issuer()
    head = _masthead(issuer, month.as_of, masthead)
    doc = official_document(head)
    title_paragraph(
        doc, f"{issuer}关于《{month.plan.title}》落实情况的督查通报", font_for_title or TITLE_FONT
    )
    body_paragraph(
        doc, f"（{month.as_of.year}年{month.as_of.month}月）", indent=False, align=WD_ALIGN_PARAGRAPH.CENTER
    )
    body_paragraph(doc, "各有关单位：", indent=False)
    body_paragraph(
        doc, f"现将{month.as_of.year}年{month.as_of.month}月《{month.plan.title}》落实情况通报如下。"
    )
    _overall(doc, month)
    _targets_section(doc, month)
    _tasks_section(doc, month)
    heading(doc, "四、未按时报送单位", 1)
    silent = month.silent_units
    body_paragraph(
        doc, "、".join(silent) + "。请上述单位于下月5日前补报。" if silent else "各单位均已按时报送。"
    )
    body_paragraph(doc, "")
    body_paragraph(doc, f"附件：1．{TARGET_ANNEX}")
    body_paragraph(doc, f"　　　2．{UNIT_ANNEX}")
    body_paragraph(doc, "")
    body_paragraph(doc, "")
    body_paragraph(doc, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    body_paragraph(doc, chinese_date(month.as_of), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _annexes(doc, month)
    add_colophon(doc, head)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def build_bulletin(
    session: Session,
    actor: Actor,
    plan_id: int,
    year: int,
    month: int,
    issuer: str | None = None,
    masthead: Masthead | None = None,
) -> BulletinResult:
    """The bulletin of a plan for a month (as of the month's last day): administrators and analysts only;
    NotFound for a plan out of scope."""
    require_role(actor, *REPORT_ROLES)
    summary = plan_month(session, actor, plan_id, month_as_of(year, month))
    font, note = title_font()
    return BulletinResult(render(summary, issuer, font, masthead), [note] if note else [])
