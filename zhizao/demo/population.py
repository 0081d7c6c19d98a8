"""The synthetic enterprise population of a demo region, generated in chunks.

Each chunk of enterprises is drawn with numpy from a Generator seeded by (seed, chunk number), so the same
seed, size and chunk size always give the same rows, and a million enterprises never live in memory at once.
Sizes are log-normal; every figure is derived from revenue with industry-specific ratios and noise, so the
figures are correlated the way real ones are. A few outliers and missing values are put in on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np

from zhizao.demo.names import make_names
from zhizao.demo.profiles import SEASON, industry_table, region_probabilities
from zhizao.demo.regions import demo_region
from zhizao.enterprises.credit_code import CHARSET
from zhizao.enterprises.credit_code_arrays import as_grid, complete_all
from zhizao.evaluation.method import FIGURE_FIELDS

INDICATORS = FIGURE_FIELDS  # every canonical figure (reference/data/indicators.csv), in that order
MONTHLY_INDICATORS = ("revenue", "output_value", "value_added", "tax", "electricity", "energy_tce")
# Benchmark-sized cities keep monthly figures for fewer indicators, so a million enterprises load in minutes.
LARGE_SIZE = 100_000
LARGE_MONTHLY_INDICATORS = ("revenue", "electricity")
ABOVE_SCALE_SHARE = 5 / 6
ABOVE_SCALE_REVENUE = 2000.0  # 万元: the 规上 threshold
MIN_LAND_BELOW_SCALE = 3.0  # 亩: 规下 enterprises in the evaluation pool have at least 3 亩
TAGS = ("高新技术企业", "专精特新", "小巨人", "在建", "搬迁")

_K = {name: k for k, name in enumerate(INDICATORS)}
_CODE_SPACE = 31**7
_CODE_STEP = 1_000_003  # coprime with 31: index -> organisation code is a bijection, so codes are unique


def _last_complete_month() -> int:
    return date.today().month - 1


@dataclass(frozen=True)
class DemoSpec:
    """What to generate. `current_year` is the year being reported on monthly; annual figures cover the
    three years before it, monthly figures its months 1..`through_month`."""

    size: int = 6000
    seed: int = 2024
    region_code: str = ""  # the prefecture or province (demo.regions); required to generate
    current_year: int = field(default_factory=lambda: date.today().year)
    through_month: int | None = None  # default: the last complete month (12 for a past year)
    chunk_size: int = 10_000
    monthly_indicators: tuple[str, ...] = MONTHLY_INDICATORS

    @classmethod
    def sized(cls, size: int, seed: int = 2024, region_code: str = "") -> DemoSpec:
        """The spec for a region of `size` enterprises (fewer monthly indicators above LARGE_SIZE)."""
        monthly = LARGE_MONTHLY_INDICATORS if size > LARGE_SIZE else MONTHLY_INDICATORS
        return cls(size=size, seed=seed, region_code=region_code, monthly_indicators=monthly)

    @property
    def years(self) -> tuple[int, int, int]:
        y = self.current_year
        return (y - 3, y - 2, y - 1)

    @property
    def months(self) -> range:
        if self.through_month is not None:
            last = self.through_month
        elif self.current_year < date.today().year:
            last = 12
        else:
            last = _last_complete_month()
        return range(1, max(0, min(12, last)) + 1)


@dataclass
class DemoChunk:
    """A slice of the population: enterprise columns, and figures as parallel arrays whose `fig_enterprise`
    indexes the enterprises of this chunk (0-based)."""

    start: int
    credit_code: list[str]
    name: list[str]
    region_code: np.ndarray
    industry_code: np.ndarray
    established_on: np.ndarray  # datetime64[D]
    above_scale: np.ndarray  # bool
    tags: list[list[str]]
    fig_enterprise: np.ndarray  # int
    fig_indicator: np.ndarray  # int, index into INDICATORS
    fig_year: np.ndarray
    fig_month: np.ndarray
    fig_value: np.ndarray

    def __len__(self) -> int:
        return len(self.credit_code)

    @property
    def figure_count(self) -> int:
        return len(self.fig_value)

    def enterprise_rows(self) -> list[dict[str, Any]]:
        """The enterprises as dicts with `Enterprise` column names."""
        founded = self.established_on.astype(object)
        return [
            {
                "credit_code": self.credit_code[i],
                "name": self.name[i],
                "region_code": str(self.region_code[i]),
                "industry_code": str(self.industry_code[i]),
                "established_on": founded[i],
                "above_scale": bool(self.above_scale[i]),
                "tags": self.tags[i],
            }
            for i in range(len(self))
        ]

    def figure_tuples(self, enterprise_ids: np.ndarray) -> Iterator[tuple[int, str, int, int, float]]:
        """(enterprise_id, indicator_id, year, month, value) for every figure, given the database ids of
        this chunk's enterprises in order."""
        ids = enterprise_ids[self.fig_enterprise].tolist()
        indicators = [INDICATORS[k] for k in self.fig_indicator.tolist()]
        return zip(
            ids,
            indicators,
            self.fig_year.tolist(),
            self.fig_month.tolist(),
            self.fig_value.tolist(),
            strict=True,
        )


def generate(spec: DemoSpec) -> Iterator[DemoChunk]:
    """The population of `spec`, chunk by chunk."""
    if spec.size < 1:
        raise ValueError("size must be positive")
    if not spec.region_code:
        raise ValueError("region_code is required")
    for number, start in enumerate(range(0, spec.size, spec.chunk_size)):
        n = min(spec.chunk_size, spec.size - start)
        yield _chunk(spec, np.random.default_rng([spec.seed, number]), start, n)


def _credit_codes(seed: int, start: int, regions: np.ndarray) -> list[str]:
    index = np.arange(start, start + len(regions), dtype=np.int64)
    org = (index * _CODE_STEP + (seed * 7919) % _CODE_SPACE) % _CODE_SPACE
    digits = np.empty((len(index), 7), dtype=np.int64)
    for position in range(6, -1, -1):
        digits[:, position] = org % 31
        org //= 31
    chars = np.frombuffer(CHARSET.encode("ascii"), dtype=np.uint8)[digits]
    prefix = as_grid([f"91{region}MA" for region in regions.tolist()], 10)
    return complete_all(np.concatenate([prefix, chars], axis=1))


def _chunk(spec: DemoSpec, rng: np.random.Generator, start: int, n: int) -> DemoChunk:
    table = industry_table(spec.region_code)
    district_codes, district_p = region_probabilities(spec.region_code)
    ind = rng.choice(len(table.codes), n, p=table.probabilities)
    region_idx = np.empty(n, dtype=np.int64)
    cluster = table.cluster[ind]
    for row in range(district_p.shape[0]):
        mask = cluster == row - 1
        region_idx[mask] = rng.choice(len(district_codes), int(mask.sum()), p=district_p[row])
    regions = district_codes[region_idx]
    industries = table.codes[ind]
    above = rng.random(n) < ABOVE_SCALE_SHARE

    young = rng.random(n) < 0.03
    age_days = np.where(
        young,
        rng.integers(20, 730, n),
        (np.clip(rng.gamma(2.5, 6.0, n), 2.0, 40.0) * 365.25).astype(np.int64),
    )
    established = np.datetime64(f"{spec.current_year}-01-01") - age_days.astype("timedelta64[D]")
    founded_year = established.astype("datetime64[Y]").astype(np.int64) + 1970

    values, present, rd_rate = _annual(spec, rng, table, ind, above, founded_year)
    tags = _tags(rng, above, rd_rate, young)
    parts = [
        _pieces(values[k][j], present[k][j], k, year, 0)
        for k in range(len(INDICATORS))
        for j, year in enumerate(spec.years)
    ]
    parts += _monthly(spec, rng, values, present, above, founded_year)
    fig_e, fig_k, fig_y, fig_m, fig_v = (np.concatenate([p[i] for p in parts]) for i in range(5))
    order = np.lexsort((fig_m, fig_y, fig_k, fig_e))  # enterprise by enterprise: index-friendly inserts
    fig_e, fig_k, fig_y, fig_m, fig_v = (a[order] for a in (fig_e, fig_k, fig_y, fig_m, fig_v))
    return DemoChunk(
        start=start,
        credit_code=_credit_codes(spec.seed, start, regions),
        name=make_names(rng, regions, industries, demo_region(spec.region_code).places),
        region_code=regions,
        industry_code=industries,
        established_on=established,
        above_scale=above,
        tags=tags,
        fig_enterprise=fig_e,
        fig_indicator=fig_k,
        fig_year=fig_y,
        fig_month=fig_m,
        fig_value=fig_v,
    )


def _pieces(value: np.ndarray, present: np.ndarray, k: int, year: int, month: int) -> tuple[np.ndarray, ...]:
    idx = np.flatnonzero(present)
    m = len(idx)
    decimals = 0 if INDICATORS[k] == "employees" else 2
    return (
        idx,
        np.full(m, k, dtype=np.int64),
        np.full(m, year, dtype=np.int64),
        np.full(m, month, dtype=np.int64),
        np.round(value[idx], decimals),
    )


def _annual(
    spec: DemoSpec,
    rng: np.random.Generator,
    table: Any,
    ind: np.ndarray,
    above: np.ndarray,
    founded_year: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """values[k, j, i] and present[k, j, i] for indicator k, year j, enterprise i; and each R&D rate."""
    n = len(ind)
    latest = np.where(
        above,
        ABOVE_SCALE_REVENUE + rng.lognormal(np.log(6000.0), 1.3, n),
        np.clip(rng.lognormal(np.log(700.0), 0.7, n), 50.0, ABOVE_SCALE_REVENUE - 10.0),
    )
    growth = rng.normal(0.05, 0.12, n)
    revenue = np.empty((3, n))
    revenue[2] = latest
    for j in (1, 0):
        revenue[j] = revenue[j + 1] / np.clip(1 + growth + rng.normal(0, 0.05, n), 0.5, 2.0)

    output_ratio = np.clip(rng.normal(1.0, 0.06, n), 0.8, 1.25)
    va_share = np.clip(rng.normal(table.value_added[ind], 0.04), 0.15, 0.5)
    tax_rate = rng.uniform(0.03, 0.06, n) * rng.lognormal(0.0, 0.2, n)
    margin = rng.normal(0.06, 0.06, n)
    shared = rng.normal(0.0, 1.0, n)  # one noise drives both energy and electricity intensity
    energy_int = table.energy[ind] * np.exp(0.45 * shared)
    elec_int = table.electricity[ind] * np.exp(0.35 * shared + 0.2 * rng.normal(0.0, 1.0, n))
    emission_int = table.emission[ind] * rng.lognormal(0.0, 0.6, n)
    rd_zero = rng.random(n) < np.where(above, 0.35, 0.7)
    rd_rate = np.where(rd_zero, 0.0, np.clip(rng.lognormal(np.log(0.025), 0.6, n), 0.001, 0.2))
    head = np.maximum(
        np.where(above, 20, 5), latest / (table.revenue_per_head[ind] * rng.lognormal(0, 0.35, n))
    )
    land = revenue[2] * output_ratio / (table.density[ind] * rng.lognormal(0.0, 0.6, n))
    land = np.where(
        above, np.maximum(land, 0.5), np.maximum(land, MIN_LAND_BELOW_SCALE + rng.uniform(0, 2, n))
    )
    land = np.where(rng.random(n) < 0.003, land * 10, land)  # a few idle or oversized plots

    values = np.empty((len(INDICATORS), 3, n))
    for j in range(3):
        noise = lambda s: rng.normal(1.0, s, n)  # noqa: E731
        output = revenue[j] * output_ratio * noise(0.03)
        values[_K["revenue"], j] = revenue[j]
        values[_K["output_value"], j] = output
        values[_K["value_added"], j] = output * va_share * noise(0.03)
        values[_K["tax"], j] = revenue[j] * tax_rate * noise(0.1)
        values[_K["profit"], j] = revenue[j] * (margin + rng.normal(0.0, 0.02, n))
        values[_K["energy_tce"], j] = output * energy_int * noise(0.05)
        values[_K["electricity"], j] = output * elec_int * noise(0.05)
        values[_K["emission_eq"], j] = output * emission_int * noise(0.1)
        values[_K["rd_expense"], j] = revenue[j] * rd_rate * noise(0.1)
        values[_K["employees"], j] = np.maximum(1, head * np.sqrt(revenue[j] / latest))
        values[_K["land_mu"], j] = land
    refund = rng.random(n) < 0.003  # a net tax refund (negative tax) in one year
    values[_K["tax"], rng.integers(0, 3, n)[refund], np.flatnonzero(refund)] *= -0.4

    missing_p = np.full((len(INDICATORS), 1), 0.01)
    missing_p[_K["revenue"]] = 0.003
    missing_p[_K["emission_eq"]] = 0.06
    missing_p[_K["rd_expense"]] = 0.03
    present = rng.random((len(INDICATORS), 3, n)) >= missing_p[:, :, None]
    founded = np.array(spec.years)[:, None] >= founded_year[None, :]
    present &= founded[None, :, :]
    return values, present, rd_rate


def _monthly(
    spec: DemoSpec,
    rng: np.random.Generator,
    values: np.ndarray,
    present: np.ndarray,
    above: np.ndarray,
    founded_year: np.ndarray,
) -> list[tuple[np.ndarray, ...]]:
    """当月 values of the current year for 规上 enterprises (规下 report annually)."""
    months = spec.months
    n = len(above)
    if not len(months):
        return []
    growth = np.clip(rng.normal(0.05, 0.08, n), -0.5, 1.0)
    reporting = above & (founded_year < spec.current_year)
    parts = []
    for name in spec.monthly_indicators:
        k = _K[name]
        annual = values[k, 2] * (1 + growth)
        for m in months:
            value = annual * SEASON[m - 1] / SEASON.sum() * rng.normal(1.0, 0.06, n)
            keep = reporting & (rng.random(n) >= 0.01)
            parts.append(_pieces(value, keep, k, spec.current_year, m))
    return parts + _last_year_monthly(spec, rng.spawn(1)[0], values, present, reporting)


PRIOR_MONTHLY_INDICATORS = ("revenue", "output_value", "electricity")


def _last_year_monthly(
    spec: DemoSpec,
    rng: np.random.Generator,
    values: np.ndarray,
    present: np.ndarray,
    reporting: np.ndarray,
) -> list[tuple[np.ndarray, ...]]:
    """当月 values of all twelve months of the year before, summing to about its annual figure, so that the
    monitoring page has a year-on-year base. Drawn from a child generator (spawning does not advance the
    chunk's), so every other figure stays what it was."""
    n = len(reporting)
    if not len(spec.months) or not n:
        return []
    parts = []
    for name in (i for i in spec.monthly_indicators if i in PRIOR_MONTHLY_INDICATORS):
        k = _K[name]
        annual = values[k, 2]
        keep_year = reporting & present[k, 2]
        for m in range(1, 13):
            value = annual * SEASON[m - 1] / SEASON.sum() * rng.normal(1.0, 0.06, n)
            parts.append(_pieces(value, keep_year & (rng.random(n) >= 0.005), k, spec.current_year - 1, m))
    return parts


def _tags(
    rng: np.random.Generator, above: np.ndarray, rd_rate: np.ndarray, young: np.ndarray
) -> list[list[str]]:
    n = len(above)
    high_tech = above & (rng.random(n) < np.clip(rd_rate * 9, 0, 0.8))
    specialised = above & (rd_rate > 0) & (rng.random(n) < 0.12)
    giant = specialised & (rng.random(n) < 0.12)
    building = rng.random(n) < np.where(young, 0.2, 0.005)
    moving = ~building & (rng.random(n) < 0.004)
    flags = np.vstack([high_tech, specialised, giant, building, moving]).T
    return [[TAGS[t] for t in np.flatnonzero(row)] for row in flags]
