"""当月/累计 reconciliation: the months in which a firm's reported 累计 fell from the month before, or did not
agree with the sum of its reported 当月 values (`series.monthly_series` flags both), listed with the firm,
the month and the numbers, by the district the firm is in. Read through the actor's scope (`data`), so a
district officer sees its own firms' flags only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ibis.backends import BaseBackend
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor, viewing_region
from zhizao.evaluation.backends import BackendName, connect
from zhizao.monitoring import data
from zhizao.monitoring.analysis import Inputs
from zhizao.monitoring.results import number
from zhizao.monitoring.series import monthly_series
from zhizao.reference import home

KINDS = {"cum_falls": "累计值回落", "mismatch": "累计与当月之和不符"}


@dataclass
class ReconciliationFlag:
    enterprise_id: int
    credit_code: str
    name: str
    region_code: str
    month: int
    kind: str  # cum_falls | mismatch
    reported_cum: float | None  # the 累计 as reported this month
    previous_cum: float | None  # the 累计 reported the month before (cum_falls)
    month_sum: float | None  # Σ reported 当月 of months 1..month (mismatch)
    district: str = ""
    district_name: str = ""

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def find_flags(
    con: BaseBackend, inputs: Inputs, *, year: int, month: int, indicator: str = "output_value"
) -> list[ReconciliationFlag]:
    """The flagged (firm, month) pairs of `year`, months 1..`month`, in firm and month order."""
    series = monthly_series(inputs.figures, indicator, through_month=month)
    flagged = series.filter(series.year == year, series.month <= month, series.cum_falls | series.mismatch)
    f = inputs.firms
    firms = f.select(f_id=f.enterprise_id, credit_code=f.credit_code, name=f.name, region_code=f.region_code)
    rows = flagged.join(firms, flagged.enterprise_id == firms.f_id).order_by(
        ["region_code", "credit_code", "month"]
    )
    found: list[ReconciliationFlag] = []
    for r in con.execute(rows.drop("f_id")).itertuples(index=False):
        for kind in ("cum_falls", "mismatch"):
            if bool(getattr(r, kind)):
                found.append(
                    ReconciliationFlag(
                        enterprise_id=int(r.enterprise_id),
                        credit_code=str(r.credit_code),
                        name=str(r.name),
                        region_code=str(r.region_code),
                        month=int(r.month),
                        kind=kind,
                        reported_cum=number(r.reported_cum),
                        previous_cum=number(r.previous_cum) if kind == "cum_falls" else None,
                        month_sum=number(r.month_sum) if kind == "mismatch" else None,
                    )
                )
    return found


def reconciliation_flags(
    session: Session,
    actor: Actor,
    year: int,
    month: int,
    *,
    indicator: str = "output_value",
    backend: BaseBackend | BackendName | None = None,
) -> list[ReconciliationFlag]:
    """The actor's firms' flags, each with the district (one level below the viewing region) it is in,
    in the region's order."""
    firms = data.load_firms(session, actor, year)
    figures = data.load_figures(session, actor, year, [indicator])
    inputs = Inputs.of(figures, firms)
    con = backend if isinstance(backend, BaseBackend) else connect(backend or "duckdb")
    found = find_flags(con, inputs, year=year, month=month, indicator=indicator)
    places = home.group_under(session, viewing_region(actor), {f.region_code for f in found})
    for flag in found:
        place = places[flag.region_code]
        flag.district, flag.district_name = place.code, place.name
    order = home.region_order(session, viewing_region(actor))
    return sorted(found, key=lambda f: (order.get(f.district, 10**6), f.district, f.credit_code, f.month))


def flags_by_district(flags: list[ReconciliationFlag]) -> dict[str, list[ReconciliationFlag]]:
    grouped: dict[str, list[ReconciliationFlag]] = defaultdict(list)
    for flag in flags:
        grouped[flag.district_name or flag.district].append(flag)
    return dict(grouped)
