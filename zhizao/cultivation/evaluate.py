"""Population evaluation: every enterprise × one programme as Ibis expressions over the wide facts.

A criterion's state is an ordinal, so a tree is arithmetic: met 0, manual_review 1, unknown 2, not_met 3;
``all`` is the greatest of its children, ``any`` the least, ``not`` swaps met and not_met. A scored group
is met when its points with every unknown item at 0 already reach every floor, not met when even with every
unknown item at its maximum they cannot. The programme's status follows from its root: eligible,
manual_review, possible (only missing data stands between it and eligible), not_eligible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import ibis
import ibis.expr.types as ir

from zhizao.cultivation.facts import Calendar, Inputs, column, programme_needs, wide_facts
from zhizao.cultivation.programme import Band, Criterion, Data, Node, Programme, Scored
from zhizao.tracking.schedule import Period, elapsed_share

MET, MANUAL, UNKNOWN, NOT_MET = 0, 1, 2, 3
CRITERION_STATES = ("met", "manual_review", "unknown", "not_met")
PROGRAMME_STATES = ("eligible", "manual_review", "possible", "not_eligible")
ROUND = 6  # decimals kept of a computed value before it meets a threshold


def calendar_of(programme: Programme, as_of: date) -> Calendar:
    return Calendar(as_of, programme.monitor.base_year if programme.monitor else None)


def schedule_multiple(programme: Programme, as_of: date) -> float:
    """The multiple a monitored group should have reached by the last completed year (序时进度, linear)."""
    monitor = programme.monitor
    assert monitor is not None
    period = Period.years(monitor.base_year + 1, monitor.base_year + monitor.years)
    share = elapsed_share(period, date(as_of.year - 1, 12, 31))
    return round(1 + (monitor.multiple - 1) * share, 4)


def threshold_of(criterion: Criterion, programme: Programme, as_of: date) -> object:
    if criterion.schedule:
        return schedule_multiple(programme, as_of)
    return criterion.threshold_on(as_of)


@dataclass
class _Compiler:
    table: ir.Table
    cal: Calendar
    programme: Programme

    # values -------------------------------------------------------------------------------------
    def slot(self, indicator: str, period: str, back: int = 0) -> ir.FloatingValue:
        return self.table[column(self.cal.slot(indicator, period, back))]

    def period_value(self, indicator: str, period: str) -> ir.FloatingValue:
        if period in ("q1", "eval_month", "last_year", "year_before", "this_year", "base_year"):
            return self.slot(indicator, period)
        cols = [self.table[column((indicator, y, "0"))] for y in self.cal.years(period)]
        if period == "min_2y":
            a, b = cols
            return (a + b - (a - b).abs()) / 2
        total = cols[0]
        for c in cols[1:]:
            total = total + c
        return total / len(cols) if period.startswith("avg") else total

    def ratio(self, data: Data, indicator: str, period: str) -> ir.FloatingValue:
        if data.per is None:
            return self.period_value(indicator, period)
        scale = 100.0 if data.percent else 1.0
        if period == "min_2y":
            a, b = (self.ratio(data, indicator, p) for p in ("last_year", "year_before"))
            return (a + b - (a - b).abs()) / 2
        return self.period_value(indicator, period) * scale / self.period_value(data.per, period).nullif(0)

    def value(self, data: Data) -> ir.Value:
        if data.manual:
            return ibis.null("float64")
        if data.attribute is not None:
            return self.attribute(data.attribute)
        if data.title is not None:
            return self.table[f"t__{data.title}"]
        if data.declared is not None:
            declared = self.table[f"d__{data.declared}"]
            return declared != 0 if data.value_type == "bool" else declared
        assert data.indicator is not None
        v = self.number(data, data.indicator)
        if data.minus is not None:
            other = self.value(data.minus)
            assert isinstance(other, ir.NumericValue)
            v = v - other
        if data.relative_to is not None:
            v = v / self.period_value(data.indicator, data.relative_to).nullif(0)
        return v.round(ROUND)  # a computed 15 % is 15, not 14.999999999

    def number(self, data: Data, indicator: str) -> ir.FloatingValue:
        v = self.ratio(data, indicator, data.period)
        if data.change is None:
            return v
        if data.change == "delta":
            return v - self.slot(indicator, data.period, 1)
        if data.change == "growth":
            return self._growth(indicator, data.period, 0)
        if data.change == "avg_growth_2y":
            return (self._growth(indicator, data.period, 0) + self._growth(indicator, data.period, 1)) / 2
        old = self.slot(indicator, data.period, 2).nullif(0)
        return ((v / old).sqrt() - 1) * 100  # cagr_2y

    def _growth(self, indicator: str, period: str, back: int) -> ir.FloatingValue:
        new = self.slot(indicator, period, back)
        old = self.slot(indicator, period, back + 1).nullif(0)
        return (new / old - 1) * 100

    def attribute(self, name: str) -> ir.Value:
        t = self.table
        if name == "size_class":
            return _size_class(self.slot("employees", "last_year"), self.slot("revenue", "last_year"))
        if name == "age_years":
            return (t.age_days / 365.25).floor().cast("float64")
        return t[name]

    # stage 2: states and points from the value columns ------------------------------------------
    def reading_state(self, c: Criterion, v: ir.Value) -> ir.IntegerValue:
        if c.data.manual:
            return ibis.literal(MANUAL)
        missing = ibis.literal(MANUAL if c.missing == "manual_review" else UNKNOWN)
        test = self.test(c, v)
        if test is None:  # banded only: known data is met
            return ibis.ifelse(v.isnull(), missing, MET)
        return ibis.cases((v.isnull(), missing), (test, MET), else_=NOT_MET)

    def test(self, c: Criterion, v: ir.Value) -> ir.BooleanValue | None:
        t = threshold_of(c, self.programme, self.cal.as_of)
        if c.op is None:
            return None
        if c.op == "is":
            return v == ibis.literal(bool(t))
        if c.op == "in":
            assert isinstance(t, list)
            return v.isin(t)
        if c.op == "between":
            assert isinstance(t, list)
            return (v >= t[0]) & (v < t[1])
        ops = {">=": v.__ge__, ">": v.__gt__, "<=": v.__le__, "<": v.__lt__, "==": v.__eq__}
        return ops[c.op](t)

    def reading_points(self, c: Criterion, v: ir.Value) -> ir.NumericValue:
        if c.data.manual or not c.bands:
            return ibis.null("float64")
        if v.type().is_boolean():
            v = v.cast("float64")
        cases = [(_in_band(v, b), b.points) for b in c.bands]
        return ibis.ifelse(v.isnull(), ibis.null("float64"), ibis.cases(*cases, else_=0.0))


def _in_band(v: ir.Value, b: Band) -> ir.BooleanValue:
    conds: list[ir.BooleanValue] = []
    if b.min is not None:
        conds.append(v > b.min if b.min_exclusive else v >= b.min)
    if b.max is not None:
        conds.append(v <= b.max if b.max_inclusive else v < b.max)
    return _all(conds) if conds else ibis.literal(True)


def _all(conds: list[ir.BooleanValue]) -> ir.BooleanValue:
    out = conds[0]
    for c in conds[1:]:
        out = out & c
    return out


def _any(conds: list[ir.BooleanValue]) -> ir.BooleanValue:
    if not conds:
        return ibis.literal(False)
    out = conds[0]
    for c in conds[1:]:
        out = out | c
    return out


def _size_class(employees: ir.FloatingValue, revenue: ir.FloatingValue) -> ir.StringValue:
    """Industry row of 国统字〔2017〕213号: 大中小型 need both lower bounds, 微型 either (万元, persons)."""
    return ibis.cases(
        ((employees < 20) | (revenue < 300), "微型"),
        (employees.isnull() | revenue.isnull(), ibis.null("string")),
        ((employees >= 1000) & (revenue >= 40000), "大型"),
        ((employees >= 300) & (revenue >= 2000), "中型"),
        else_="小型",
    )


def facts_for(inputs: Inputs, programmes: list[Programme], as_of: date) -> ir.Table:
    """The wide facts every programme in `programmes` reads (size classes read 从业人员 and 营业收入)."""
    cals = {p.id: calendar_of(p, as_of) for p in programmes}
    slots, titles, keys = programme_needs(programmes, cals)
    for p in programmes:
        if any(c.data.attribute == "size_class" for c in p.leaves()):
            cal = cals[p.id]
            slots |= {cal.slot("employees", "last_year"), cal.slot("revenue", "last_year")}
    return wide_facts(inputs, slots, titles, keys, as_of)


KEYS = ("enterprise_id", "credit_code", "region_code", "industry_code")


def prefix(programme: Programme) -> str:
    return programme.id.replace("-", "_") + "::"


def _readings(programme: Programme) -> list[Criterion]:
    return [r for leaf in programme.leaves() for r in leaf.readings()]


def _stage_values(facts: ir.Table, programme: Programme, as_of: date) -> dict[str, ir.Value]:
    """Every reading's value, the level's value and each rank term, from the facts."""
    comp = _Compiler(facts, calendar_of(programme, as_of), programme)
    head = prefix(programme)
    out = {f"{head}v__{c.id}": comp.value(c.data) for c in _readings(programme)}
    for i, term in enumerate(programme.ranking.terms if programme.ranking else []):
        out[f"{head}rank__{i}"] = comp.value(term.data).cast("float64")
    return out


def _stage_leaves(table: ir.Table, programme: Programme, as_of: date) -> dict[str, ir.Value]:
    """Each leaf's state (the best of its readings) and points, from the value columns."""
    comp = _Compiler(table, calendar_of(programme, as_of), programme)
    head = prefix(programme)
    out: dict[str, ir.Value] = {}
    for leaf in programme.leaves():
        states, points = [], []
        for r in leaf.readings():
            v = table[f"{head}v__{r.id}"]
            states.append(comp.reading_state(r, v))
            points.append(comp.reading_points(r, v))
        out[f"{head}s__{leaf.id}"] = states[0] if len(states) == 1 else ibis.least(*states)
        if leaf.bands:
            best = points[0]
            for other in points[1:]:
                best = ibis.cases(
                    (best.isnull(), other), (other.isnull(), best), (other > best, other), else_=best
                )
            out[f"{head}p__{leaf.id}"] = best
    return out


def _top(c: Criterion) -> float:
    return max((b.points for r in c.readings() for b in r.bands), default=0.0)


def _stage_tree(table: ir.Table, programme: Programme) -> dict[str, ir.Value]:
    """Scored groups and the root, from the leaf columns."""
    head = prefix(programme)
    out: dict[str, ir.Value] = {}

    def node(n: Node) -> ir.IntegerValue:
        if n.criterion is not None:
            return table[f"{head}s__{n.criterion.id}"]
        if n.scored is not None:
            return scored(n.scored)
        if n.not_ is not None:
            inner = node(n.not_)
            return ibis.cases((inner == MET, NOT_MET), (inner == NOT_MET, MET), else_=inner)
        children = [node(child) for child in (n.all or n.any or [])]
        if len(children) == 1:
            return children[0]
        return ibis.greatest(*children) if n.all is not None else ibis.least(*children)

    def scored(s: Scored) -> ir.IntegerValue:
        total_lo: ir.NumericValue = ibis.literal(0.0)
        total_hi: ir.NumericValue = ibis.literal(0.0)
        floors_met: list[ir.BooleanValue] = []
        floors_failed: list[ir.BooleanValue] = []
        open_unknown: list[ir.BooleanValue] = []
        for g in s.groups:
            lo: ir.NumericValue = ibis.literal(0.0)
            hi: ir.NumericValue = ibis.literal(0.0)
            for item in g.items:
                pts = table[f"{head}p__{item.id}"]
                lo = lo + pts.fill_null(0.0)
                hi = hi + pts.fill_null(_top(item))
                open_unknown.append(pts.isnull() & (table[f"{head}s__{item.id}"] == UNKNOWN))
            out[f"{head}p__{s.id}__{g.id}"] = lo
            if g.min is not None:
                floors_met.append(lo >= g.min)
                floors_failed.append(hi < g.min)
            total_lo, total_hi = total_lo + lo, total_hi + hi
        out[f"{head}p__{s.id}"] = total_lo
        out[f"{head}v__{s.id}"] = total_lo
        met = _all([*floors_met, total_lo >= s.min_total])
        failed = _any([*floors_failed, total_hi < s.min_total])
        state = ibis.cases((met, MET), (failed, NOT_MET), (_any(open_unknown), UNKNOWN), else_=MANUAL)
        out[f"{head}s__{s.id}"] = state
        return state

    out[f"{head}root"] = node(programme.criteria)
    return out


def _stage_outcome(table: ir.Table, programme: Programme) -> dict[str, ir.Value]:
    head = prefix(programme)
    root = table[f"{head}root"]
    status = ibis.cases(*[(root == i, name) for i, name in enumerate(PROGRAMME_STATES)], else_="not_eligible")
    level: ir.Value = ibis.null("string")
    if programme.level is not None:
        c = next(x for x in programme.leaves() if x.id == programme.level.criterion)
        v = table[f"{head}v__{c.id}"]
        if c.bands:
            cases = [(_in_band(v, b), b.level or "") for b in c.bands]
            level = ibis.ifelse(
                v.isnull(), ibis.null("string"), ibis.cases(*cases, else_=ibis.null("string"))
            )
        else:
            level = v
    score: ir.Value = ibis.null("float64")
    if programme.ranking is not None:
        score = ibis.literal(0.0)
        for i, term in enumerate(programme.ranking.terms):
            part = table[f"{head}rank__{i}"] / term.divide_by
            if term.cap is not None:
                part = ibis.ifelse(part > term.cap, term.cap, part)
            part = ibis.ifelse(part < 0, 0.0, part)
            score = score + term.weight * part.fill_null(0.0)
    return {
        f"{head}status": status,
        f"{head}level": ibis.ifelse(root == NOT_MET, ibis.null("string"), level.cast("string")),
        f"{head}score": score.cast("float64"),
    }


def evaluate_population(inputs: Inputs, programmes: list[Programme], as_of: date) -> ir.Table:
    """Every enterprise × every programme as one expression, built in stages (values, leaves, tree,
    outcome) so each stage reads the previous one's columns and the query stays linear in the rules.
    One row per enterprise; each programme's columns under its prefix (``sme::status``, ``sme::s__id``)."""
    table = facts_for(inputs, programmes, as_of)
    facts_columns = set(table.columns)
    stages = (
        lambda t, p: _stage_values(t, p, as_of),
        lambda t, p: _stage_leaves(t, p, as_of),
        _stage_tree,
        _stage_outcome,
    )
    for stage in stages:
        columns: dict[str, ir.Value] = {}
        for p in programmes:
            columns |= stage(table, p)
        table = table.mutate(**columns)
    keep = [c for c in table.columns if c not in facts_columns and not c.endswith("::root")]
    return table.select(*KEYS, *keep)


def evaluate_programme(inputs: Inputs, programme: Programme, as_of: date) -> ir.Table:
    """One programme's outcome, its columns without the prefix."""
    head = prefix(programme)
    table = evaluate_population(inputs, [programme], as_of)
    return table.rename({c.removeprefix(head): c for c in table.columns if c.startswith(head)})
