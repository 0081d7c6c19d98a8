"""The method file: a declarative description of one 亩产效益 evaluation scheme.

A method is YAML or TOML that a policy officer can read and edit. It is validated here; every error names
the key it is about (``pools.1.min_land_mu``), so a bad file is a clear message, never a traceback.
See docs/method-reference.md for every key.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zhizao.definition_files import parse_model, shipped_names, shipped_text
from zhizao.errors import InvalidInput

FIGURE_FIELDS: tuple[str, ...] = (
    "land_mu",
    "tax",
    "revenue",
    "output_value",
    "value_added",
    "profit",
    "energy_tce",
    "electricity",
    "emission_eq",
    "rd_expense",
    "employees",
)
"""Canonical figure ids (zhizao/reference/data/indicators.csv) an indicator may divide."""

TIE_BREAK_FIELDS: frozenset[str] = frozenset({*FIGURE_FIELDS, "credit_code"})
SCOPE_FIELDS = Literal["region", "pool"]


def _region_and_pool() -> list[SCOPE_FIELDS]:
    return ["region", "pool"]


def _pool_only() -> list[SCOPE_FIELDS]:
    return ["pool"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    title: str
    url: str = ""
    note: str = ""


class Pool(_Model):
    """A group evaluated on its own: 规上, 规下 with land ≥ N 亩, ... The first matching pool wins."""

    id: str
    label: str
    above_scale: bool | None = None
    min_land_mu: float | None = Field(default=None, ge=0)
    weights: dict[str, float] | None = None  # indicator id -> weight; None = every indicator's own weight


class TClassRules(_Model):
    """Enterprises in a pool that are put in class T (evaluated, not graded)."""

    label: str = "暂不评价类"
    industry_divisions: list[str] = Field(default_factory=list)
    max_age_years: int | None = Field(default=None, ge=1)
    tags: list[str] = Field(default_factory=list)

    @field_validator("industry_divisions")
    @classmethod
    def _two_digits(cls, value: list[str]) -> list[str]:
        for item in value:
            if not (len(item) == 2 and item.isdigit()):
                raise ValueError(f"industry division must be two digits (GB/T 4754), got {item!r}")
        return value


class Benchmark(_Model):
    """The reference value B of an indicator."""

    method: Literal["fixed", "mean", "max"] = "mean"
    multiplier: float = Field(default=1.0, gt=0)
    year: Literal["previous", "current"] = "previous"
    scope: list[SCOPE_FIELDS] = Field(default_factory=_region_and_pool)
    population: Literal["graded", "all"] = "graded"
    values: dict[str, float] = Field(default_factory=dict)  # fixed: pool id -> value, or "*" for all pools

    @model_validator(mode="after")
    def _fixed_needs_values(self) -> Benchmark:
        if self.method == "fixed" and not self.values:
            raise ValueError("a fixed benchmark needs `values` (pool id or '*' -> value)")
        return self


class Scoring(_Model):
    """How an indicator value becomes a normalised score n; the indicator score is n × weight."""

    method: Literal["ratio", "inverse", "minmax"] = "ratio"
    floor_points: float = Field(default=20.0, ge=0, lt=100)  # minmax: the worst firm gets this share
    scope: list[SCOPE_FIELDS] = Field(default_factory=_pool_only)  # minmax: where min/max come from
    cap: float | None = Field(default=None, gt=0)  # n never above this (a multiple of the weight)
    floor: float = Field(default=0.0, ge=0)  # n never below this (a multiple of the weight)


class Missing(_Model):
    """What a missing indicator (no data, zero or missing denominator, no benchmark) scores."""

    rule: Literal["zero", "pool_mean", "penalty"] = "zero"
    points: float = Field(default=0.0, ge=0)  # penalty: points subtracted from the total
    scope: list[SCOPE_FIELDS] = Field(default_factory=_pool_only)  # pool_mean: mean over this group


class Indicator(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    numerator: str
    denominator: str
    unit: str = ""
    direction: Literal["higher", "lower"] = "higher"
    weight: float = Field(default=0.0, ge=0)
    benchmark: Benchmark | None = None  # None = the method's default benchmark
    scoring: Scoring | None = None
    missing: Missing | None = None

    @field_validator("numerator", "denominator")
    @classmethod
    def _canonical(cls, value: str) -> str:
        if value not in FIGURE_FIELDS:
            raise ValueError(f"unknown field {value!r}; use one of {', '.join(FIGURE_FIELDS)}")
        return value


class Adjustment(_Model):
    """A bonus, penalty or veto on an enterprise tag. Exactly one of points / downgrade / force_class."""

    tag: str
    label: str = ""
    points: float | None = None
    downgrade: int | None = Field(default=None, ge=1)
    force_class: str | None = None

    @model_validator(mode="after")
    def _one_action(self) -> Adjustment:
        actions = [x for x in (self.points, self.downgrade, self.force_class) if x is not None]
        if len(actions) != 1:
            raise ValueError("give exactly one of points, downgrade, force_class")
        return self


class TieBreak(_Model):
    field: str
    order: Literal["desc", "asc"] = "desc"

    @field_validator("field")
    @classmethod
    def _known(cls, value: str) -> str:
        if value not in TIE_BREAK_FIELDS:
            raise ValueError(f"unknown tie-break field {value!r}")
        return value


class Ranking(_Model):
    scope: list[SCOPE_FIELDS] = Field(default_factory=_region_and_pool)
    tie_break: list[TieBreak] = Field(default_factory=list)


class Policy(_Model):
    text: str = ""
    parameters: dict[str, Any] = Field(default_factory=dict)
    illustrative: bool = False  # True when the amounts are not taken from a source


class ClassDef(_Model):
    id: str
    label: str
    share: float | None = Field(default=None, gt=0, le=1)  # quota: this class's share of the group
    min_score: float | None = None  # threshold: lowest total that still gets this class
    policy: Policy = Field(default_factory=Policy)


class Classes(_Model):
    mode: Literal["quota", "threshold"] = "quota"
    quota_base: Literal["graded", "pool"] = "graded"  # n = graded firms, or graded + T of the group
    items: list[ClassDef]

    @model_validator(mode="after")
    def _consistent(self) -> Classes:
        if len(self.items) < 2:
            raise ValueError("give at least two classes")
        if self.mode == "quota":
            if any(c.share is None for c in self.items):
                raise ValueError("quota mode: every class needs a share")
            total = sum(Decimal(str(c.share)) for c in self.items)
            if total != 1:
                raise ValueError(f"quota shares must add up to 1, they add up to {total}")
        elif any(c.min_score is None for c in self.items[:-1]):
            raise ValueError("threshold mode: every class but the last needs min_score")
        return self


class Method(_Model):
    id: str
    title: str
    description: str = ""
    sources: list[Source] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)  # shown to users, e.g. "weights are illustrative"
    pools: list[Pool]
    t_class: TClassRules = Field(default_factory=TClassRules)
    indicators: list[Indicator]
    benchmark: Benchmark = Field(default_factory=Benchmark)
    scoring: Scoring = Field(default_factory=Scoring)
    missing: Missing = Field(default_factory=Missing)
    adjustments: list[Adjustment] = Field(default_factory=list)
    ranking: Ranking = Field(default_factory=Ranking)
    classes: Classes

    @model_validator(mode="after")
    def _references(self) -> Method:
        ids = [i.id for i in self.indicators]
        if len(set(ids)) != len(ids):
            raise ValueError("indicator ids must be unique")
        class_ids = {c.id for c in self.classes.items}
        for pool in self.pools:
            unknown = set(pool.weights or {}) - set(ids)
            if unknown:
                raise ValueError(f"pool {pool.id!r} weights an unknown indicator: {sorted(unknown)}")
        for ind in self.indicators:
            bench = self.benchmark_of(ind)
            if bench.method == "fixed" and "*" not in bench.values:
                weighted = {p.id for p in self.pools if self.weight(p, ind) > 0}
                missing = weighted - set(bench.values)
                if missing and self.scoring_of(ind).method != "minmax":
                    raise ValueError(
                        f"indicator {ind.id!r}: fixed benchmark has no value for {sorted(missing)}"
                    )
            if self.scoring_of(ind).method == "ratio" and ind.direction == "lower":
                raise ValueError(f"indicator {ind.id!r}: lower-is-better needs scoring inverse or minmax")
        for adj in self.adjustments:
            if adj.force_class is not None and adj.force_class not in class_ids:
                raise ValueError(f"adjustment {adj.tag!r} forces unknown class {adj.force_class!r}")
        return self

    def benchmark_of(self, indicator: Indicator) -> Benchmark:
        return indicator.benchmark or self.benchmark

    def scoring_of(self, indicator: Indicator) -> Scoring:
        return indicator.scoring or self.scoring

    def missing_of(self, indicator: Indicator) -> Missing:
        return indicator.missing or self.missing

    def weight(self, pool: Pool, indicator: Indicator) -> float:
        """The weight of `indicator` in `pool`; 0 means the indicator does not count there."""
        if pool.weights is None:
            return indicator.weight
        return pool.weights.get(indicator.id, 0.0)

    def digest(self) -> str:
        """A stable hash of the method's content, so a stored run names exactly what produced it."""
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def with_weights(self, weights: dict[str, float]) -> Method:
        """A copy with some indicator weights replaced (in every pool that weights them)."""
        unknown = set(weights) - {i.id for i in self.indicators}
        if unknown:
            raise InvalidInput(f"未知指标: {', '.join(sorted(unknown))}")
        data = self.model_dump()
        for ind in data["indicators"]:
            ind["weight"] = weights.get(ind["id"], ind["weight"])
        for pool in data["pools"]:
            if pool["weights"] is not None:
                pool["weights"] = {k: weights.get(k, v) for k, v in pool["weights"].items()}
        return Method.model_validate(data)


def preset_names() -> list[str]:
    return shipped_names("zhizao.evaluation", "presets")


def load_method(name_or_path: str | Path) -> Method:
    """A shipped preset by name (``huaian-2024``) or a YAML/TOML method file by path."""
    path = Path(name_or_path)
    if path.suffix.lower() in {".yaml", ".yml", ".toml"} and path.exists():
        return parse_method(
            path.read_text(encoding="utf-8"), toml=path.suffix.lower() == ".toml", origin=str(path)
        )
    name = str(name_or_path)
    if name in preset_names():
        text = shipped_text("zhizao.evaluation", "presets", name)
        return parse_method(text, origin=name)
    raise InvalidInput(
        f"没有这个评价方法: {name} (预置方法: {', '.join(preset_names())}; 或给出 .yaml/.toml 文件)"
    )


def parse_method(text: str, *, toml: bool = False, origin: str = "method") -> Method:
    """Validate method text; errors name each bad key as a dotted path."""
    return parse_model(Method, text, kind="方法文件", origin=origin, toml=toml)
