"""The chain definition file: one industry chain (链长制) and its graph for one year, in YAML.

A policy officer reads and edits it. It is validated here; every error names the key it is about
(``nodes.2.industry_codes.0``), so a bad file is a clear message, never a traceback. The keys are in
docs/chains.md; `zhizao/chains/definitions/` ships two generic examples.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from zhizao.definition_files import parse_model, shipped_names, shipped_text
from zhizao.errors import InvalidInput
from zhizao.reference.data_files import industry_names

CODE_PATTERN = r"^[a-z0-9][a-z0-9_-]{0,39}$"
STAGES: dict[str, str] = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
CHECKLIST: dict[str, str] = {
    "leader": "一名领导包靠",
    "department": "一个主导部门",
    "team": "一个专班",
    "scheme": "一套方案",
    "projects": "一批重点项目",
    "park": "一个支撑园区",
    "platforms": "一批创新平台",
}
"""The "七个一" of 链长制, in their usual order."""

_PRODUCT_CODE = re.compile(r"^\d{2,10}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


@cache
def _industry_codes() -> frozenset[str]:
    return frozenset(industry_names())


def check_industry_codes(value: list[str]) -> list[str]:
    """GB/T 4754-2017 division, group or class codes (2-4 digits) of the shipped table; ValueError else."""
    for item in value:
        if not (item.isdigit() and 2 <= len(item) <= 4) or item not in _industry_codes():
            raise ValueError(f"不是 GB/T 4754-2017 的大类、中类或小类代码: {item!r}")
    return value


class ChecklistEntry(_Model):
    """One of the 七个一: what it is, whether it is in place, and what in zhizao it is linked to."""

    text: str = ""
    done: bool = False
    units: list[str] = Field(default_factory=list)  # unit names (or their short names)
    tasks: list[int] = Field(default_factory=list)  # plan task ids
    projects: list[str] = Field(default_factory=list)  # project codes (the projects area)


class Node(_Model):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    stage: Literal["upstream", "midstream", "downstream"]
    industry_codes: list[str] = Field(default_factory=list)
    product_codes: list[str] = Field(default_factory=list)

    @field_validator("industry_codes")
    @classmethod
    def _known_industries(cls, value: list[str]) -> list[str]:
        return check_industry_codes(value)

    @field_validator("product_codes")
    @classmethod
    def _product_shape(cls, value: list[str]) -> list[str]:
        for item in value:
            if not _PRODUCT_CODE.match(item):
                raise ValueError(f"统计用产品分类代码应为2-10位数字: {item!r}")
        return value


class Edge(_Model):
    source: str = Field(alias="from")
    target: str = Field(alias="to")
    relation: str = Field(default="供给", max_length=20)


class ChainDefinition(_Model):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=100)
    year: int = Field(ge=2000, le=2100)
    leader: str = ""
    lead_department: str = ""
    team: str = ""
    parks: list[str] = Field(default_factory=list)
    platforms: list[str] = Field(default_factory=list)
    description: str = ""
    checklist: dict[str, ChecklistEntry] = Field(default_factory=dict)
    nodes: list[Node] = Field(min_length=1)
    edges: list[Edge] = Field(default_factory=list)

    @field_validator("checklist")
    @classmethod
    def _seven(cls, value: dict[str, ChecklistEntry]) -> dict[str, ChecklistEntry]:
        unknown = sorted(set(value) - set(CHECKLIST))
        if unknown:
            raise ValueError(f"未知的七个一条目 {unknown}; 可用 {', '.join(CHECKLIST)}")
        return value

    @model_validator(mode="after")
    def _graph(self) -> ChainDefinition:
        codes = [n.code for n in self.nodes]
        duplicated = sorted({c for c in codes if codes.count(c) > 1})
        if duplicated:
            raise ValueError(f"节点代码重复: {duplicated}")
        known = set(codes)
        pairs: set[tuple[str, str]] = set()
        for i, edge in enumerate(self.edges):
            for end in (edge.source, edge.target):
                if end not in known:
                    raise ValueError(f"edges.{i}: 未知节点 {end!r}")
            if edge.source == edge.target:
                raise ValueError(f"edges.{i}: 节点不能连向自身 ({edge.source})")
            if (edge.source, edge.target) in pairs:
                raise ValueError(f"edges.{i}: 重复的连线 {edge.source} → {edge.target}")
            pairs.add((edge.source, edge.target))
        cycle = _cycle(codes, pairs)
        if cycle:
            raise ValueError(f"连线成环: {' → '.join(cycle)}")
        return self


def _cycle(codes: list[str], pairs: set[tuple[str, str]]) -> list[str]:
    """A cycle of the graph as a path (first node repeated at the end), or [] when it has none."""
    after: dict[str, list[str]] = {c: [] for c in codes}
    for source, target in sorted(pairs):
        after[source].append(target)
    state: dict[str, int] = {}  # 1 on the path, 2 done

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = 1
        for nxt in after[node]:
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], node, nxt] if nxt in path else [node, nxt]
            if nxt not in state:
                found = visit(nxt, [*path, node])
                if found:
                    return found
        state[node] = 2
        return []

    for code in codes:
        if code not in state:
            found = visit(code, [])
            if found:
                return found
    return []


def example_names() -> list[str]:
    return shipped_names("zhizao.chains", "definitions")


def example_text(name: str) -> str:
    if name not in example_names():
        raise InvalidInput(f"没有这个示例产业链: {name} (示例: {', '.join(example_names())})")
    return shipped_text("zhizao.chains", "definitions", name)


def read_definition(name_or_path: str | Path) -> tuple[ChainDefinition, str]:
    """A shipped example by name or a YAML file by path: (the definition, its text as given)."""
    path = Path(name_or_path)
    if path.suffix.lower() in {".yaml", ".yml"}:
        if not path.exists():
            raise InvalidInput(f"文件不存在: {path}")
        text = path.read_text(encoding="utf-8")
        return parse_definition(text, origin=str(path)), text
    text = example_text(str(name_or_path))
    return parse_definition(text, origin=str(name_or_path)), text


def parse_definition(text: str, *, origin: str = "chain") -> ChainDefinition:
    """Validate a chain definition; errors name each bad key as a dotted path."""
    return parse_model(ChainDefinition, text, kind="产业链定义文件", origin=origin)
