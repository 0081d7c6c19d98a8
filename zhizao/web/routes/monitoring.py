"""Industrial operations monitoring pages (工业运行监测): the month's analysis by a grouping with its charts
and warnings, the firms behind any number, and the same tables as a workbook and as the 工业运行分析 .docx.

Routes parse input and render; the data, the scope and every rule come from `zhizao.monitoring`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from zhizao.auth.scope import require_role
from zhizao.monitoring import data
from zhizao.monitoring.document import operations_report
from zhizao.monitoring.groupings import GROUP_LABELS, is_group_by
from zhizao.monitoring.page import monitoring_page, parse_month
from zhizao.monitoring.queries import group_firms
from zhizao.monitoring.reconciliation import flags_by_district, reconciliation_flags
from zhizao.monitoring.tables import workbook
from zhizao.monitoring.warnings import Thresholds
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import DOCX, XLSX, download
from zhizao.web.templating import render

router = APIRouter(prefix="/monitoring", tags=["pages"], include_in_schema=False)


def _share(value: str, default: float) -> float:
    try:
        number = float(value)
    except ValueError:
        return default
    return number / 100 if 0 < number < 100 else default


@router.get("")
def monitoring(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    month: str = "",
    indicator: str = "output_value",
    by: str = "region",
    output_drop: str = "20",
    electricity_drop: str = "20",
    weight: str = "3",
) -> Response:
    thresholds = Thresholds(_share(output_drop, 0.2), _share(electricity_drop, 0.2), _share(weight, 0.03))
    page = monitoring_page(session, actor, month, indicator, by, thresholds)
    return render(request, "monitoring/index.html", {"page": page, "thresholds": thresholds})


@router.get("/firms")
def firms(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    month: str,
    indicator: str = "output_value",
    by: str = "",
    group: str = "",
) -> Response:
    require_role(actor, *data.READERS)
    year, number = parse_month(month)
    grouping = by if is_group_by(by) and group else None
    rows = group_firms(session, actor, year, number, indicator=indicator, by=grouping, group=group or None)
    context = {
        "rows": rows,
        "month": month,
        "indicator": indicator,
        "by_label": GROUP_LABELS.get(by, ""),
        "group": group,
    }
    return render(request, "monitoring/firms.html", context)


@router.get("/reconciliation")
def reconciliation(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    month: str = "",
    indicator: str = "output_value",
) -> Response:
    require_role(actor, *data.READERS)
    if not month:
        latest = data.latest_month(session, actor, indicator)
        month = f"{latest[0]:04d}-{latest[1]:02d}" if latest else ""
    flags = []
    if month:
        year, number = parse_month(month)
        flags = reconciliation_flags(session, actor, year, number, indicator=indicator)
    context = {
        "month": month,
        "indicator": indicator,
        "districts": flags_by_district(flags),
        "count": len(flags),
    }
    return render(request, "monitoring/reconciliation.html", context)


@router.get("/export.xlsx")
def export(
    session: SessionDep,
    actor: CurrentActor,
    month: str = "",
    by: str = "region",
    indicator: str = "output_value",
) -> Response:
    page = monitoring_page(session, actor, month, indicator, by)
    if page.report is None:
        return Response("暂无月度数据", status_code=404)
    content = workbook(page.report, f"{page.month} 工业运行监测")
    return download(content, XLSX, f"monitoring-{page.month}.xlsx", f"工业运行监测-{page.month}.xlsx")


@router.get("/report.docx")
def report(session: SessionDep, actor: CurrentActor, month: str, indicator: str = "output_value") -> Response:
    require_role(actor, *data.READERS)
    year, number = parse_month(month)
    content = operations_report(session, actor, year, number, indicator)
    return download(content, DOCX, f"operations-{month}.docx", f"工业运行分析-{month}.docx")
