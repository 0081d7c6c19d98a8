"""The entry points pages, the CLI and reports call: an actor, a month, a grouping; the database read through
the actor's scope (`data`), the analysis run on a backend (DuckDB unless told otherwise)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, viewing_region
from zhizao.evaluation.backends import BackendName, connect
from zhizao.monitoring import data
from zhizao.monitoring.analysis import BESIDE, analyse, firms_behind
from zhizao.monitoring.groupings import GroupBy
from zhizao.monitoring.results import Analysis, FirmResult
from zhizao.monitoring.warnings import FirmWarning, Thresholds, find_warnings
from zhizao.reference import home


@dataclass
class Report:
    """A month's analysis with what sits beside it: the official figure and the warnings."""

    analysis: Analysis
    official: tuple[str, float] | None = None
    warnings: list[FirmWarning] = field(default_factory=list)


def _con(backend: BaseBackend | BackendName | None) -> BaseBackend:
    if isinstance(backend, BaseBackend):
        return backend
    return connect(backend or "duckdb")


def run_analysis(
    session: Session,
    actor: Actor,
    year: int,
    month: int,
    *,
    indicator: str = "output_value",
    by: GroupBy = "region",
    backend: BaseBackend | BackendName | None = None,
    top: int = 10,
) -> Analysis:
    inputs = data.load_inputs(session, actor, year, [indicator, BESIDE], by)
    return analyse(_con(backend), inputs, year=year, month=month, indicator=indicator, by=by, top=top)


def district_warnings(
    session: Session,
    actor: Actor,
    year: int,
    month: int,
    *,
    indicator: str = "output_value",
    thresholds: Thresholds | None = None,
    backend: BaseBackend | BackendName | None = None,
) -> list[FirmWarning]:
    """The warnings, each with the district (one level below the viewing region) it is to be visited in."""
    inputs = data.load_inputs(session, actor, year, [indicator, BESIDE], "division")
    found = find_warnings(
        _con(backend), inputs, year=year, month=month, indicator=indicator, thresholds=thresholds
    )
    places = home.group_under(session, viewing_region(actor), {w.region_code for w in found})
    for w in found:
        place = places[w.region_code]
        w.district, w.district_name = place.code, place.name
    order = home.region_order(session, viewing_region(actor))
    return sorted(found, key=lambda w: (order.get(w.district, 10**6), w.district, w.kind, w.credit_code))


def by_district(warnings: list[FirmWarning]) -> dict[str, list[FirmWarning]]:
    grouped: dict[str, list[FirmWarning]] = defaultdict(list)
    for w in warnings:
        grouped[w.district_name or w.district].append(w)
    return dict(grouped)


def monthly_report(
    session: Session,
    actor: Actor,
    year: int,
    month: int,
    *,
    indicator: str = "output_value",
    by: GroupBy = "region",
    thresholds: Thresholds | None = None,
    backend: BaseBackend | BackendName | None = None,
) -> Report:
    con = _con(backend)
    analysis = run_analysis(session, actor, year, month, indicator=indicator, by=by, backend=con)
    return Report(
        analysis,
        data.official_growth(session, actor, year, month),
        district_warnings(
            session, actor, year, month, indicator=indicator, thresholds=thresholds, backend=con
        ),
    )


def group_firms(
    session: Session,
    actor: Actor,
    year: int,
    month: int,
    *,
    indicator: str = "output_value",
    by: GroupBy | None = None,
    group: str | None = None,
    backend: BaseBackend | BackendName | None = None,
) -> list[FirmResult]:
    """The firms behind a group's numbers (drill-down), only among the actor's firms."""
    inputs = data.load_inputs(session, actor, year, [indicator], by or "division")
    return firms_behind(
        _con(backend), inputs, year=year, month=month, indicator=indicator, by=by, group=group
    )


@dataclass(frozen=True)
class Tile:
    """For a cockpit tile: the latest month's total growth, 增长面 and warning count."""

    year: int
    month: int
    growth: float | None
    growth_breadth: float | None
    warnings: int


def cockpit_tile(session: Session, actor: Actor, indicator: str = "output_value") -> Tile | None:
    """The latest reported month's like-for-like 累计 growth and warning count (None: no monthly figures)."""
    latest = data.latest_month(session, actor, indicator)
    if latest is None:
        return None
    year, month = latest
    con = connect("duckdb")
    analysis = run_analysis(session, actor, year, month, indicator=indicator, by="scale", backend=con, top=0)
    warnings = district_warnings(session, actor, year, month, indicator=indicator, backend=con)
    return Tile(year, month, analysis.total.growth, analysis.total.growth_breadth, len(warnings))
