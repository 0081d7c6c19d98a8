"""The cluster registry (产业集群): level, region, member firms, totals against scale thresholds (千亿级,
500亿级) and the level each cluster aims for, and the ladder (省级 → 国家级 → 世界级).

Clusters are declared in a YAML file (a list under `clusters:`); members are the credit codes the file lists,
or else the firms of the cluster's region whose GB/T 4754 class falls under its industry codes. Totals are
over the member firms the actor may see."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.chains import analytics
from zhizao.chains.definition import CODE_PATTERN, check_industry_codes
from zhizao.chains.figures import default_backend, inputs_for
from zhizao.chains.members import rule_clause, visible
from zhizao.chains.models import Cluster, ClusterMember
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput, Problem
from zhizao.reference import home, regions
from zhizao.reference.data_files import region_names

LEVELS: dict[str, str] = {
    "provincial_yanzhen": "省级雁阵形产业集群",
    "provincial_advanced": "省级先进制造业集群",
    "national": "国家级先进制造业集群",
    "world_candidate": "世界级集群（培育）",
}
"""Cluster levels, lowest rung of the ladder first."""
SCALES: tuple[tuple[str, float], ...] = (("千亿级", 1000.0), ("500亿级", 500.0))
"""Scale bands by total 工业总产值 in 亿元, largest first."""
LevelKey = Literal["provincial_yanzhen", "provincial_advanced", "national", "world_candidate"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClusterSpec(_Model):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    level: LevelKey
    region: str | None = None
    chain: str = ""
    industry_codes: list[str] = Field(default_factory=list)
    members: list[str] = Field(default_factory=list)  # credit codes
    target_level: LevelKey | None = None
    target_scale: float | None = Field(default=None, gt=0)  # 亿元
    target_year: int | None = Field(default=None, ge=2000, le=2100)
    note: str = ""

    @field_validator("industry_codes")
    @classmethod
    def _industries(cls, value: list[str]) -> list[str]:
        return check_industry_codes(value)

    @field_validator("region")
    @classmethod
    def _region(cls, value: str | None) -> str | None:
        if value is not None and value not in region_names():
            raise ValueError(f"不是行政区划代码: {value!r}")
        return value


class ClusterFile(_Model):
    clusters: list[ClusterSpec] = Field(min_length=1)


def parse_clusters(text: str, origin: str = "clusters") -> ClusterFile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise InvalidInput(f"{origin}: 无法解析集群文件: {exc}") from exc
    if not isinstance(data, dict):
        raise InvalidInput(f"{origin}: 集群文件的顶层必须是键值表 (clusters: [...])")
    try:
        parsed = ClusterFile.model_validate(data)
    except ValidationError as exc:
        problems = [Problem(e["msg"], column=".".join(str(x) for x in e["loc"])) for e in exc.errors()]
        keys = "; ".join(f"{p.column}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"{origin}: 集群文件有误 — {keys}", problems) from exc
    codes = [c.code for c in parsed.clusters]
    if len(set(codes)) != len(codes):
        raise InvalidInput(f"{origin}: 集群代码重复")
    return parsed


def load_clusters(
    session: Session, actor: Actor, text: str, origin: str = "clusters"
) -> list[tuple[Cluster, int]]:
    """Create or update each cluster of the file and replace its members: (cluster, member count)."""
    require_role(actor, Role.ADMIN)
    parsed = parse_clusters(text, origin)
    problems: list[Problem] = []
    for i, spec in enumerate(parsed.clusters):
        if spec.region and not home.covers(spec.region):
            problems.append(Problem(home.outside_message(spec.region), column=f"clusters.{i}.region"))
        if not spec.members and not spec.industry_codes:
            problems.append(Problem("给出 members 或 industry_codes", column=f"clusters.{i}"))
        for j, code in enumerate(spec.members):
            if session.scalar(select(Enterprise.id).where(Enterprise.credit_code == code)) is None:
                problems.append(Problem(f"企业库中没有该企业: {code}", column=f"clusters.{i}.members.{j}"))
    if problems:
        keys = "; ".join(f"{p.column}: {p.message}" for p in problems[:5])
        raise InvalidInput(f"{origin}: 集群文件有误 — {keys}", problems)
    loaded = []
    with acting_as(actor.username):
        for spec in parsed.clusters:
            cluster = session.scalar(select(Cluster).where(Cluster.code == spec.code)) or Cluster(
                code=spec.code
            )
            cluster.name, cluster.level, cluster.region_code = spec.name, spec.level, spec.region
            cluster.chain_code, cluster.industry_codes = spec.chain, list(spec.industry_codes)
            cluster.target_level, cluster.target_scale = spec.target_level or "", spec.target_scale
            cluster.target_year, cluster.note = spec.target_year, spec.note
            session.add(cluster)
            session.flush()
            loaded.append((cluster, _replace_members(session, cluster, spec)))
    return loaded


def _replace_members(session: Session, cluster: Cluster, spec: ClusterSpec) -> int:
    session.execute(delete(ClusterMember).where(ClusterMember.cluster_id == cluster.id))
    if spec.members:
        ids = list(session.scalars(select(Enterprise.id).where(Enterprise.credit_code.in_(spec.members))))
    else:
        stmt = rule_clause(spec.industry_codes)
        if spec.region:
            stmt = stmt.where(regions.within_clause(Enterprise.region_code, spec.region))
        ids = list(session.scalars(stmt))
    session.add_all(ClusterMember(cluster_id=cluster.id, enterprise_id=i) for i in ids)
    session.flush()
    return len(ids)


@dataclass
class ClusterRow:
    cluster: Cluster
    firms: int
    above_scale_firms: int
    output_yi: float  # 工业总产值, 亿元
    tax_yi: float

    @property
    def level_label(self) -> str:
        return LEVELS.get(self.cluster.level, self.cluster.level)

    @property
    def target_label(self) -> str:
        return LEVELS.get(self.cluster.target_level, "")

    @property
    def scale(self) -> str:
        return next((label for label, floor in SCALES if self.output_yi >= floor), "")

    @property
    def target_share(self) -> float | None:
        scale = self.cluster.target_scale
        return self.output_yi / scale if scale else None

    @property
    def region_name(self) -> str:
        return region_names().get(self.cluster.region_code or "", "")


def cluster_rows(session: Session, actor: Actor, year: int) -> list[ClusterRow]:
    """Every cluster with its totals of `year` over the member firms the actor may see, ladder order."""
    clusters = list(session.scalars(select(Cluster)))
    membership = (
        select(ClusterMember.cluster_id, ClusterMember.enterprise_id)
        .join(Enterprise, Enterprise.id == ClusterMember.enterprise_id)
        .where(visible(actor))
    )
    data = inputs_for(session, membership, year)
    table = analytics.total_table(default_backend(), data)
    found = {str(r["group"]): r for r in table.to_dict("records")}
    order = list(LEVELS)
    rows = []
    for cluster in clusters:
        r: dict[str, Any] = found.get(str(cluster.id), {})
        rows.append(
            ClusterRow(
                cluster,
                int(r.get("firms", 0)),
                int(r.get("above_scale_firms", 0)),
                float(r.get("output_value", 0.0)) / 1e4,
                float(r.get("tax", 0.0)) / 1e4,
            )
        )
    return sorted(
        rows, key=lambda r: (-order.index(r.cluster.level) if r.cluster.level in order else 0, -r.output_yi)
    )


def ladder_options(rows: list[ClusterRow]) -> dict[str, Any]:
    """ECharts options of the cluster ladder: one bar per cluster (工业总产值, 亿元), coloured by level, with
    the
    500亿级 and 千亿级 thresholds as lines."""
    colours = {
        "provincial_yanzhen": "#9ec5fe",
        "provincial_advanced": "#5b8def",
        "national": "#2f5fc4",
        "world_candidate": "#c9302c",
    }
    ordered = list(reversed(rows))
    return {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 160, "right": 40},
        "xAxis": {"type": "value", "name": "亿元"},
        "yAxis": {"type": "category", "data": [r.cluster.name for r in ordered]},
        "series": [
            {
                "type": "bar",
                "data": [
                    {
                        "value": round(r.output_yi, 2),
                        "itemStyle": {"color": colours.get(r.cluster.level, "#888")},
                    }
                    for r in ordered
                ],
                "markLine": {
                    "symbol": "none",
                    "data": [{"xAxis": floor, "name": label} for label, floor in SCALES],
                    "label": {"formatter": "{b}"},
                },
            }
        ],
    }
