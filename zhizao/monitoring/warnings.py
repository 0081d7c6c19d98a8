"""Early warnings (预警) on firms as of a month, each with the evidence a visit needs, listed by district.

- `output_drop`: the firm's 1–M月 累计 output fell by more than `Thresholds.output_drop` on last year's;
- `electricity_drop`: its 累计 electricity fell by more than `Thresholds.electricity_drop` (a leading sign);
- `falling_months`: its 当月 output was below last year's in M and in M−1 (two falling months in a row);
- `stopped`: it reported in M−1 (or in M of last year) and not in M;
- `heavy_drag`: a firm whose base weighs at least `Thresholds.weight` of the total's and that fell, so that
  it moves the total by itself (its 拉动 in pp is the evidence).

The thresholds are parameters (CLI options, page form); the defaults are the usual 20 % and 3 %.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import ibis
import ibis.expr.types as ir
from ibis.backends import BaseBackend

from zhizao.monitoring.analysis import BESIDE, Inputs, _records, materialise
from zhizao.monitoring.growth import firm_periods, group_sums, month_index, needed_points
from zhizao.monitoring.results import growth_pct, number
from zhizao.monitoring.series import series_at

KIND_LABELS = {
    "output_drop": "累计产值大幅下降",
    "electricity_drop": "累计用电量大幅下降",
    "falling_months": "连续两个月同比下降",
    "stopped": "停报（本月未报送）",
    "heavy_drag": "大企业拖累总量",
}


@dataclass(frozen=True)
class Thresholds:
    output_drop: float = 0.20  # share of last year's 累计
    electricity_drop: float = 0.20
    weight: float = 0.03  # share of the total's base


@dataclass
class FirmWarning:
    enterprise_id: int
    credit_code: str
    name: str
    region_code: str
    kind: str
    label: str
    evidence: str
    numbers: dict[str, float | None] = field(default_factory=dict)
    district: str = ""
    district_name: str = ""

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _firm_table(inputs: Inputs) -> ir.Table:
    f = inputs.firms
    return f.select(f_id=f.enterprise_id, credit_code=f.credit_code, name=f.name, region_code=f.region_code)


def _with_firm(t: ir.Table, inputs: Inputs) -> ir.Table:
    f = _firm_table(inputs)
    return t.join(f, t.enterprise_id == f.f_id).drop("f_id")


def find_warnings(
    con: BaseBackend,
    inputs: Inputs,
    *,
    year: int,
    month: int,
    indicator: str = "output_value",
    thresholds: Thresholds | None = None,
) -> list[FirmWarning]:
    """Every warning as of `month` of `year`, firm by firm (no district names yet: `by_district`)."""
    th = thresholds or Thresholds()
    months = [month - 1, month] if month > 1 else [month]
    series = series_at(inputs.figures, indicator, needed_points(year, months))
    periods = materialise(con, firm_periods(series, inputs.firms, year, months))
    total = _records(con.execute(group_sums(periods.filter(periods.month == month), None)))
    total_prev = number(total[0]["value_cum_prev"]) if total else None
    now = periods.filter(periods.month == month)
    found: list[FirmWarning] = []
    found += _drops(con, _with_firm(now, inputs), "output_drop", th.output_drop)
    if indicator != BESIDE:
        points = needed_points(year, [month])
        elec = firm_periods(series_at(inputs.figures, BESIDE, points), inputs.firms, year, [month])
        found += _drops(con, _with_firm(elec, inputs), "electricity_drop", th.electricity_drop)
    if month > 1:
        found += _falling(con, inputs, periods, month)
    found += _stopped(con, inputs, series, now, year, month)
    if total_prev and total_prev > 0:
        found += _heavy(con, _with_firm(now, inputs), total_prev, th.weight)
    return sorted(found, key=lambda w: (w.region_code, w.kind, w.credit_code))


def _warning(r: dict[str, Any], kind: str, evidence: str, **numbers: float | None) -> FirmWarning:
    return FirmWarning(
        int(r["enterprise_id"]),
        str(r["credit_code"]),
        str(r["name"]),
        str(r["region_code"]),
        kind,
        KIND_LABELS[kind],
        evidence,
        numbers,
    )


def _drops(con: BaseBackend, rows: ir.Table, kind: str, share: float) -> list[FirmWarning]:
    hit = rows.filter(
        (rows.status == "same")
        & (rows.value_cum_prev > 0)
        & (rows.value_cum < rows.value_cum_prev * (1 - share))
    )
    what = "累计产值" if kind == "output_drop" else "累计用电量"
    out = []
    for r in _records(con.execute(hit)):
        c, p = number(r["value_cum"]), number(r["value_cum_prev"])
        g = growth_pct(c, p)
        out.append(
            _warning(r, kind, f"{what}{c:,.1f}，上年同期{p:,.1f}，同比{_pct(g)}", value=c, base=p, growth=g)
        )
    return out


def _falling(con: BaseBackend, inputs: Inputs, periods: ir.Table, month: int) -> list[FirmWarning]:
    def falls(m: int) -> ir.Table:
        p = periods.filter(
            (periods.month == m)
            & periods.value_month.notnull()
            & periods.value_month_prev.notnull()
            & (periods.value_month < periods.value_month_prev)
        )
        return p.select("enterprise_id", **{f"now_{m}": p.value_month, f"prev_{m}": p.value_month_prev})

    a, b = falls(month - 1), falls(month)
    b = b.rename(b_id="enterprise_id")
    both = _with_firm(a.join(b, a.enterprise_id == b.b_id).drop("b_id"), inputs)
    out = []
    for r in _records(con.execute(both)):
        g1 = growth_pct(number(r[f"now_{month - 1}"]), number(r[f"prev_{month - 1}"]))
        g2 = growth_pct(number(r[f"now_{month}"]), number(r[f"prev_{month}"]))
        text = f"{month - 1}月当月同比{_pct(g1)}，{month}月当月同比{_pct(g2)}"
        out.append(_warning(r, "falling_months", text, growth_before=g1, growth=g2))
    return out


def _stopped(
    con: BaseBackend, inputs: Inputs, series: ir.Table, now: ir.Table, year: int, month: int
) -> list[FirmWarning]:
    t = series.year * 12 + series.month - 1
    reported = series.filter(t == month_index(year, month)).select(r_id=series.enterprise_id)
    before = series.filter(t == month_index(year, month) - 1).select("enterprise_id")
    exits = now.filter(now.status == "exit").select("enterprise_id")
    missing = before.union(exits, distinct=True) if month > 1 else exits
    missing = missing.anti_join(reported, missing.enterprise_id == reported.r_id)
    out = []
    for r in _records(con.execute(_with_firm(missing, inputs))):
        text = f"{month - 1 if month > 1 else month}月或上年同期有报送，{month}月未报送"
        out.append(_warning(r, "stopped", text))
    return out


def _heavy(con: BaseBackend, rows: ir.Table, total_prev: float, weight: float) -> list[FirmWarning]:
    hit = rows.filter(
        (rows.status == "same")
        & (rows.value_cum_prev >= total_prev * weight)
        & (rows.value_cum < rows.value_cum_prev)
    )
    hit = hit.mutate(pp=hit.delta / total_prev * 100, share=hit.value_cum_prev / total_prev * 100)
    out = []
    for r in _records(con.execute(hit.order_by([ibis.asc("pp"), "enterprise_id"]))):
        pp, share = number(r["pp"]), number(r["share"])
        g = growth_pct(number(r["value_cum"]), number(r["value_cum_prev"]))
        text = f"占总量基数{share:.1f}%，同比{_pct(g)}，拉低总量{abs(pp or 0):.2f}个百分点"
        out.append(_warning(r, "heavy_drag", text, share=share, contribution_pp=pp, growth=g))
    return out
