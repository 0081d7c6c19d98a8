"""Index definition files (YAML): indicators with direction, unit, denominator, normalisation, target and
goalposts; aggregates forming the hierarchy indicator → pillar → (sub-index →) index; weights per level;
the pipeline's steps. Errors name each bad key as a dotted path, as method files do."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from zhizao.definition_files import parse_model, shipped_names, shipped_text
from zhizao.errors import InvalidInput

Normalisation = Literal[
    "minmax", "zscore", "rank", "borda", "percentile_rank", "dist_to_max", "dist_to_target", "goalposts"
]
Aggregation = Literal["arithmetic", "geometric", "harmonic", "generalised", "copeland"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Indicator(_Model):
    code: str
    name: str = ""
    parent: str
    direction: Literal[1, -1] = 1
    unit: str = ""
    denominator: str | None = None  # a data column to divide by
    weight: float = Field(default=1.0, ge=0)
    normalisation: Normalisation | None = None  # None: the definition's default
    target: float | None = None  # for dist_to_target
    goalposts: tuple[float, float] | None = None  # (lower, upper) in the indicator's units, for goalposts

    @model_validator(mode="after")
    def _needs(self) -> Indicator:
        if self.normalisation == "dist_to_target" and self.target is None:
            raise ValueError("dist_to_target needs a target")
        if self.normalisation == "goalposts" and (
            self.goalposts is None or self.goalposts[1] <= self.goalposts[0]
        ):
            raise ValueError("goalposts needs [lower, upper] with upper > lower")
        return self


class Source(_Model):
    """Where a data column comes from when the index is computed from the database (`regional.py`):
    exactly one of `registry` (an aggregate of the enterprise registry's yearly figures per region) and
    `series` (the observations of a tracked series, by name). A column without a source is read from the
    series named like the indicator."""

    registry: Literal["sum", "ratio", "count", "titles"] | None = None
    indicator: str | None = None  # sum: the catalogue indicator summed
    title: str | None = None  # titles: firms holding this title (gaoqi, zhuanjingtexin, …) at the year's end
    numerator: str | None = None  # ratio: Σ numerator / Σ denominator × scale
    denominator: str | None = None
    scale: float = 1.0
    above_scale: bool = False  # 规上 firms only
    series: str | None = None

    @model_validator(mode="after")
    def _one(self) -> Source:
        if (self.registry is None) == (self.series is None):
            raise ValueError("give exactly one of registry (sum, ratio, count) and series")
        if self.registry == "sum" and not self.indicator:
            raise ValueError("registry sum needs indicator")
        if self.registry == "ratio" and not (self.numerator and self.denominator):
            raise ValueError("registry ratio needs numerator and denominator")
        if self.registry == "titles" and not self.title:
            raise ValueError("registry titles needs title")
        return self


class Aggregate(_Model):
    code: str
    name: str = ""
    parent: str | None = None  # None for the index itself
    weight: float = Field(default=1.0, ge=0)


class Steps(_Model):
    impute: Literal["none", "mean", "median", "group_mean", "group_median", "previous"] = "none"
    impute_group: str | None = None  # data column holding each unit's group
    screen: float | None = Field(default=None, ge=0, le=1)  # keep units with at least this share of data
    treat: bool = True
    winmax: int = Field(default=5, ge=0)
    normalisation: Normalisation = "minmax"
    lower: float = 0.0  # min–max range
    upper: float = 100.0
    scale: float = 100.0  # dist_to_target, goalposts, percentile_rank and dist_to_max scores × scale
    panel: Literal["per_year", "pooled"] = "per_year"
    aggregation: Aggregation | list[Aggregation] = "arithmetic"  # one, or one per level bottom up
    p: float = 2.0  # generalised mean
    dat_thresh: float | None = Field(default=None, ge=0, le=1)

    @model_validator(mode="after")
    def _group(self) -> Steps:
        if self.impute in ("group_mean", "group_median") and not self.impute_group:
            raise ValueError(
                f"impute {self.impute} needs impute_group (the column holding each unit's group)"
            )
        return self


class IndexDefinition(_Model):
    name: str
    unit_column: str = "unit"
    year_column: str | None = None
    indicators: list[Indicator] = Field(min_length=1)
    aggregates: list[Aggregate] = Field(min_length=1)
    steps: Steps = Field(default_factory=Steps)
    sources: dict[str, Source] = Field(default_factory=dict)  # data column → where it comes from

    @model_validator(mode="after")
    def _tree(self) -> IndexDefinition:
        codes = [i.code for i in self.indicators] + [a.code for a in self.aggregates]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"codes used twice: {', '.join(dupes)}")
        known = {a.code for a in self.aggregates}
        for item in self.elements:
            if item.parent is not None and item.parent not in known:
                raise ValueError(f"{item.code}: parent {item.parent} is not an aggregate")
        roots = [a.code for a in self.aggregates if a.parent is None]
        if len(roots) != 1:
            raise ValueError(f"exactly one aggregate must have no parent (the index), found {len(roots)}")
        childless = known - {x.parent for x in self.elements}
        if childless:
            raise ValueError(f"aggregates with nothing under them: {', '.join(sorted(childless))}")
        return self

    @property
    def elements(self) -> list[Indicator | Aggregate]:
        return [*self.indicators, *self.aggregates]

    @property
    def parents(self) -> dict[str, str | None]:
        return {x.code: x.parent for x in self.elements}

    @property
    def weights(self) -> dict[str, float]:
        return {x.code: x.weight for x in self.elements}

    @property
    def index_code(self) -> str:
        return next(a.code for a in self.aggregates if a.parent is None)


def parse_definition(text: str, origin: str = "definition") -> IndexDefinition:
    return parse_model(IndexDefinition, text, kind="指数定义文件", origin=origin)


def shipped_definitions() -> list[str]:
    return shipped_names("zhizao.composite", "definitions")


def load_definition(name_or_path: str | Path) -> IndexDefinition:
    """A shipped definition by name (``regional-hqd``) or a YAML file by path."""
    path = Path(name_or_path)
    if path.is_file():
        return parse_definition(path.read_text(encoding="utf-8"), origin=str(path))
    name = str(name_or_path)
    if name in shipped_definitions():
        text = shipped_text("zhizao.composite", "definitions", name)
        return parse_definition(text, origin=name)
    raise InvalidInput(f"没有这个指数定义文件: {path} (内置定义: {', '.join(shipped_definitions())})")
