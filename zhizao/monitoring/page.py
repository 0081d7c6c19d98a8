"""What the monitoring page shows, gathered once: the page, the workbook and the document render it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, require_role
from zhizao.enterprises.models import Indicator
from zhizao.errors import InvalidInput
from zhizao.monitoring import charts, data
from zhizao.monitoring.groupings import GROUP_LABELS, GroupBy, is_group_by
from zhizao.monitoring.queries import Report, by_district, monthly_report
from zhizao.monitoring.series import CUMULATIVE_SUFFIX
from zhizao.monitoring.warnings import FirmWarning, Thresholds


def parse_month(text: str) -> tuple[int, int]:
    try:
        year, month = (int(x) for x in text.split("-"))
    except ValueError:
        raise InvalidInput(f"月份格式应为 YYYY-MM：{text}") from None
    if not (1990 <= year <= 2100 and 1 <= month <= 12):
        raise InvalidInput(f"月份格式应为 YYYY-MM：{text}")
    return year, month


def indicators(session: Session) -> list[tuple[str, str]]:
    """The catalogue indicators a month can be analysed on (their 累计 twins are read with them)."""
    rows = session.execute(select(Indicator.id, Indicator.label).order_by(Indicator.sort_order))
    return [(i, label) for i, label in rows if not i.endswith(CUMULATIVE_SUFFIX)]


@dataclass
class MonitoringPage:
    month: str  # YYYY-MM, "" when there are no monthly figures
    indicator: str
    by: str
    indicators: list[tuple[str, str]]
    groupings: dict[str, str]
    report: Report | None = None
    charts: dict[str, Any] = field(default_factory=dict)
    districts: dict[str, list[FirmWarning]] = field(default_factory=dict)
    links: dict[str, str] = field(default_factory=dict)


def firms_link(month: str, indicator: str, by: str, group: str | None) -> str:
    query = {"month": month, "indicator": indicator}
    if group is not None:
        query |= {"by": by, "group": group}
    return "/monitoring/firms?" + urlencode(query)


def monitoring_page(
    session: Session,
    actor: Actor,
    month: str = "",
    indicator: str = "output_value",
    by: str = "region",
    thresholds: Thresholds | None = None,
) -> MonitoringPage:
    require_role(actor, *data.READERS)
    if not is_group_by(by):
        raise InvalidInput(f"不支持的分组 {by}")
    known = indicators(session)
    if indicator not in {i for i, _ in known}:
        raise InvalidInput(f"未知指标 {indicator}")
    page = MonitoringPage("", indicator, by, known, dict(GROUP_LABELS))
    if month:
        year, number = parse_month(month)
    else:
        latest = data.latest_month(session, actor, indicator)
        if latest is None:
            return page
        year, number = latest
    page.month = f"{year:04d}-{number:02d}"
    group_by: GroupBy = by
    page.report = monthly_report(
        session, actor, year, number, indicator=indicator, by=group_by, thresholds=thresholds
    )
    a = page.report.analysis
    page.links = {g.group: firms_link(page.month, indicator, by, g.group) for g in a.groups}
    page.charts = {
        "growth": charts.growth_options(a, page.links),
        "waterfall": charts.waterfall_options(a, page.links),
        "breadth": charts.breadth_options(a),
    }
    page.districts = by_district(page.report.warnings)
    return page
