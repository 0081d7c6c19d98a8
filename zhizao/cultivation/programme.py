"""The programme file: a declarative, versioned description of one cultivation programme's rule set.

A programme (专精特新中小企业, 小升规 candidate, 三级帮包 …) is YAML a policy officer can read: who issued it
under which 文号, when it is in force and for new applications or renewals, and its criteria as a tree
(``all`` / ``any`` / ``not``, ``scored`` groups with sub-floors; a 直通 alternative is an ``any`` branch).
Every criterion names the data it reads (a catalogue indicator, an enterprise attribute, a title held or a
declared fact), the period, the threshold or band table and the clause it comes from. Thresholds may carry a
value history keyed by effective date. Errors name the key (``criteria.all.2.threshold``).
See docs/cultivation.md for every key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zhizao.definition_files import parse_model, shipped_names, shipped_text
from zhizao.errors import InvalidInput

ATTRIBUTES: frozenset[str] = frozenset(
    {
        "industrial",  # GB/T 4754 门类 B, C or D
        "above_scale",  # 规上 flag of the registry
        "age_years",  # whole years from 成立日期 to the as-of date
        "age_days",  # days from 成立日期 to the as-of date
        "size_class",  # 大型/中型/小型/微型 by 从业人员 and 营业收入 (国统字〔2017〕213号, industry row)
    }
)
PERIODS = Literal[
    "last_year",  # the last completed fiscal year before the as-of date (上年度)
    "year_before",  # the year before that
    "this_year",  # the as-of year (forecasts such as 预计全年工业总产值)
    "avg_2y",  # mean of the last two completed years
    "avg_3y",  # mean of the last three completed years
    "sum_2y",  # total of the last two completed years
    "sum_3y",
    "min_2y",  # the smaller of the last two years (a bar to clear "in each year")
    "q1",  # January–March (sum of single-month figures) of the latest year whose Q1 is complete
    "eval_month",  # the single month of the as-of date
    "base_year",  # the programme's `monitor.base_year`
]
CHANGES = Literal["growth", "avg_growth_2y", "cagr_2y", "delta"]
OPS = Literal[">=", ">", "<=", "<", "==", "between", "in", "is"]
TITLES: frozenset[str] = frozenset(
    {
        "gaoqi",  # 高新技术企业
        "kejixing",  # 科技型中小企业
        "chuangxinxing",  # 创新型中小企业
        "zhuanjingtexin",  # 专精特新中小企业
        "xiaojuren",  # 专精特新"小巨人"
        "danxiangguanjun",  # 制造业单项冠军
        "beizeng",  # 倍增 培育企业 (a monitored group)
    }
)


Application = Literal["new", "renewal"]


def _both() -> list[Application]:
    return ["new", "renewal"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Model):
    title: str
    url: str = ""
    confidence: Literal["confirmed", "third-party", "reported", "recalled", "inferred"] = "third-party"
    note: str = ""


Threshold = float | str | bool | list[float] | list[str]


class Data(_Model):
    """What a criterion reads. Exactly one of indicator / attribute / title / declared / manual."""

    indicator: str | None = None
    attribute: str | None = None
    title: str | None = None
    declared: str | None = None
    manual: bool = False
    period: PERIODS = "last_year"
    per: str | None = None  # divide by this indicator of the same period
    percent: bool = False  # × 100 (a ratio or a share in per cent)
    change: CHANGES | None = None  # growth (%) or delta against the period before
    minus: Data | None = None  # value − this other datum (预计全年产值 − 上年产值)
    relative_to: PERIODS | None = None  # value ÷ the same indicator in this period (a multiple of the base)
    value_type: Literal["number", "bool"] = "number"  # declared facts: a number or yes/no

    @model_validator(mode="after")
    def _one_kind(self) -> Data:
        kinds = [k for k in ("indicator", "attribute", "title", "declared") if getattr(self, k)]
        if self.manual:
            kinds.append("manual")
        if len(kinds) != 1:
            raise ValueError("give exactly one of indicator, attribute, title, declared, manual")
        if self.attribute is not None and self.attribute not in ATTRIBUTES:
            raise ValueError(
                f"unknown attribute {self.attribute!r}; use one of {', '.join(sorted(ATTRIBUTES))}"
            )
        if self.title is not None and self.title not in TITLES:
            raise ValueError(f"unknown title {self.title!r}; use one of {', '.join(sorted(TITLES))}")
        if (self.per or self.change or self.minus or self.relative_to) and self.indicator is None:
            raise ValueError("per, change, minus and relative_to apply to an indicator")
        if self.change and self.period not in ("last_year", "q1", "this_year", "eval_month"):
            raise ValueError("change needs a single period: last_year, q1, this_year or eval_month")
        return self

    @property
    def kind(self) -> str:
        for k in ("indicator", "attribute", "title", "declared"):
            if getattr(self, k):
                return k
        return "manual"

    def indicators(self) -> set[str]:
        found = {x for x in (self.indicator, self.per) if x}
        return found | (self.minus.indicators() if self.minus else set())


class Band(_Model):
    """One row of a band table: lower bound `min` (inclusive unless `min_exclusive`), upper `max` (exclusive
    unless `max_inclusive`), and what the band gives (points for a scored item, a level label)."""

    min: float | None = None
    max: float | None = None
    min_exclusive: bool = False
    max_inclusive: bool = False
    points: float = 0.0
    level: str | None = None


class Criterion(_Model):
    """A leaf: one test of one datum."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    clause: str = ""
    data: Data
    op: OPS | None = None
    threshold: Threshold | dict[date, Threshold] | None = None  # a value, or values by effective date
    schedule: bool = False  # the threshold is the monitored group's 序时 multiple on the as-of date
    unit: str = ""
    bands: list[Band] = Field(default_factory=list)  # scored items: points; graded programmes: level
    missing: Literal["unknown", "manual_review"] = "unknown"  # what an absent datum means
    alt: Criterion | None = None  # an alternative reading that also passes (研发投入 或 研发强度)
    note: str = ""

    @model_validator(mode="after")
    def _test(self) -> Criterion:
        if self.data.manual:
            return self
        if self.op is None and not self.bands:
            raise ValueError("give op and threshold, or bands")
        if self.op is not None and self.threshold is None and not self.schedule:
            raise ValueError(f"op {self.op!r} needs a threshold")
        if self.schedule:
            return self
        values = self.threshold.values() if isinstance(self.threshold, dict) else [self.threshold]
        for value in values:
            if self.op == "between" and not (isinstance(value, list) and len(value) == 2):
                raise ValueError("between needs [lower, upper)")
            if self.op == "in" and not isinstance(value, list):
                raise ValueError("in needs a list")
            if self.op == "is" and not isinstance(value, bool):
                raise ValueError("is needs true or false")
            if self.op in (">=", ">", "<=", "<") and not isinstance(value, int | float):
                raise ValueError(f"{self.op} needs a number")
        return self

    def readings(self) -> list[Criterion]:
        """This criterion and its alternatives."""
        return [self, *(self.alt.readings() if self.alt else [])]

    def threshold_on(self, as_of: date) -> Threshold | None:
        """The threshold in force on `as_of` (the latest dated value not after it)."""
        if not isinstance(self.threshold, dict):
            return self.threshold
        dated = sorted(d for d in self.threshold if d <= as_of)
        return self.threshold[dated[-1]] if dated else None


class ScoredGroup(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    min: float | None = None  # the group's sub-floor (创新能力 ≥ 20)
    items: list[Criterion]

    @field_validator("items")
    @classmethod
    def _banded(cls, items: list[Criterion]) -> list[Criterion]:
        for item in items:
            if not item.bands and not item.data.manual:
                raise ValueError(f"scored item {item.id!r} needs bands with points")
        return items


class Scored(_Model):
    """A points model: the total must reach `min_total` and every group its own floor."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    label: str
    clause: str = ""
    min_total: float
    groups: list[ScoredGroup]


class Node(_Model):
    """A tree node: exactly one of all / any / not / scored / criterion / ref."""

    all: list[Node] | None = None
    any: list[Node] | None = None
    not_: Node | None = Field(default=None, alias="not")
    scored: Scored | None = None
    criterion: Criterion | None = None
    label: str = ""  # a name for a branch (直通条件)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="before")
    @classmethod
    def _leaf(cls, data: Any) -> Any:
        if isinstance(data, dict) and "id" in data and "data" in data:
            return {"criterion": data}
        return data

    @model_validator(mode="after")
    def _one(self) -> Node:
        given = [x for x in (self.all, self.any, self.not_, self.scored, self.criterion) if x is not None]
        if len(given) != 1:
            raise ValueError("a node is exactly one of all, any, not, scored or a criterion (id, data)")
        if (self.all is not None and not self.all) or (self.any is not None and not self.any):
            raise ValueError("all / any need at least one node")
        return self

    def leaves(self) -> list[Criterion]:
        if self.criterion is not None:
            return [self.criterion]
        if self.scored is not None:
            return [c for g in self.scored.groups for c in g.items]
        if self.not_ is not None:
            return self.not_.leaves()
        return [c for n in (self.all or self.any or []) for c in n.leaves()]


class Level(_Model):
    """A graded programme's level: the band label of one criterion (size class, 帮包 level)."""

    criterion: str
    labels: list[str] = Field(default_factory=list)  # in order, highest first


class RankTerm(_Model):
    label: str
    data: Data
    weight: float = Field(gt=0)
    divide_by: float = Field(default=1.0, gt=0)
    cap: float | None = None  # the term value/divide_by is never above this


class Ranking(_Model):
    """How candidates are ranked: Σ weight × min(value / divide_by, cap); a missing or negative term is 0."""

    label: str = "排序得分"
    terms: list[RankTerm]
    estimate: bool = False  # the official ranking is not published: this one is an estimate
    pool_factor: float | None = None  # pool size = ceil(factor × annual target)


class Monitor(_Model):
    """A monitored group (倍增): base year, the multiple to reach and in how many years."""

    base_year: int
    multiple: float = Field(gt=1)
    years: int = Field(ge=1)


class Programme(_Model):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    family: str = ""  # rule sets of one programme share a family; the as-of date picks one
    name: str
    issuer: str
    document: str  # 文号
    effective_from: date
    effective_to: date | None = None  # the last day for new applications (None: open)
    renewal_to: date | None = None  # the last day for renewals, when it differs from effective_to
    applies_to: list[Application] = Field(default_factory=_both)
    title: str | None = None  # the title this programme recognises (a held title is read by criteria)
    sources: list[Source] = Field(min_length=1)
    notes: list[str] = Field(default_factory=list)
    criteria: Node
    level: Level | None = None
    ranking: Ranking | None = None
    monitor: Monitor | None = None

    @model_validator(mode="after")
    def _references(self) -> Programme:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        ids = [r.id for c in self.criteria.leaves() for r in c.readings()]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"criterion ids must be unique: {dupes}")
        if self.title is not None and self.title not in TITLES:
            raise ValueError(f"unknown title {self.title!r}")
        by_id = {c.id: c for c in self.criteria.leaves()}
        if self.level is not None:
            target = by_id.get(self.level.criterion)
            if target is None or not (target.bands or target.data.attribute == "size_class"):
                raise ValueError(f"level.criterion {self.level.criterion!r} is not a banded criterion")
        uses_base = any(_uses_base(c.data) or c.schedule for c in by_id.values())
        if uses_base and self.monitor is None:
            raise ValueError("period base_year needs monitor.base_year")
        return self

    @property
    def family_id(self) -> str:
        return self.family or self.id

    def in_force(self, as_of: date, application: str = "new") -> bool:
        last = self.renewal_to if application == "renewal" and self.renewal_to else self.effective_to
        ends = last is None or as_of <= last
        return self.effective_from <= as_of and ends and application in self.applies_to

    def leaves(self) -> list[Criterion]:
        return self.criteria.leaves()

    def indicators(self) -> set[str]:
        return {i for c in self.leaves() for i in c.data.indicators()}

    def digest(self) -> str:
        canonical = json.dumps(self.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _uses_base(data: Data) -> bool:
    base = data.period == "base_year" or data.relative_to == "base_year"
    return base or (data.minus is not None and _uses_base(data.minus))


def parse_programme(text: str, *, origin: str = "programme") -> Programme:
    """Validate programme YAML; every error names its key as a dotted path."""
    return parse_model(Programme, text, kind="培育项目文件", origin=origin, key=_key)


def _key(loc: Sequence[int | str]) -> str:
    """A dotted key as the file spells it (the tree's internal `criterion` wrapper left out)."""
    return ".".join("not" if x == "not_" else str(x) for x in loc if x not in ("criterion", "function-after"))


def shipped_ids() -> list[str]:
    return shipped_names("zhizao.cultivation", "programmes")


def load_programme(name_or_path: str | Path) -> Programme:
    """A shipped programme by id (``zhuanjingtexin-2026``) or a YAML file by path."""
    path = Path(name_or_path)
    if path.suffix.lower() in {".yaml", ".yml"} and path.exists():
        return parse_programme(path.read_text(encoding="utf-8"), origin=str(path))
    name = str(name_or_path)
    if name in shipped_ids():
        text = shipped_text("zhizao.cultivation", "programmes", name)
        return parse_programme(text, origin=name)
    raise InvalidInput(f"没有这个培育项目: {name} (已有: {', '.join(shipped_ids())}; 或给出 .yaml 文件)")


def shipped() -> list[Programme]:
    return [load_programme(i) for i in shipped_ids()]


def in_force(
    programmes: list[Programme], as_of: date, application: str = "new", only: str | None = None
) -> list[Programme]:
    """The rule sets in force on `as_of`: one per family. `only` picks a programme id or a family."""
    chosen: dict[str, Programme] = {}
    for p in programmes:
        if only is not None and only not in (p.id, p.family_id):
            continue
        if only == p.id or p.in_force(as_of, application):
            best = chosen.get(p.family_id)
            if best is None or p.effective_from > best.effective_from:
                chosen[p.family_id] = p
    return sorted(chosen.values(), key=lambda p: p.id)
