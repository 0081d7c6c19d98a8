"""Result types of a document reading. `Extraction.to_json()` is the shape of FORMAT.md plus source spans."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from zhizao.plans.reading.numbers import clean_number

Span = tuple[int, int]


@dataclass
class Target:
    """One quantified goal."""

    indicator: str
    measure: str  # level | growth | reduction | share | increase | rank
    value: float
    unit: str
    qualifier: str  # about | at_least | at_most | exact
    target_year: int | None
    base_year: int | None
    text: str
    span: Span = (0, 0)
    # how sure the reader is (0–1) and why, per field ("target_year": "年份取自所在段落开头的“到2025年”")
    confidence: float = 1.0
    reasons: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "indicator": self.indicator,
            "measure": self.measure,
            "value": clean_number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "target_year": self.target_year,
            "base_year": self.base_year,
            "text": self.text,
            "source_span": list(self.span),
            "confidence": self.confidence,
            "reasons": self.reasons,
        }


@dataclass
class Assignment:
    """One responsibility note: who leads, who is responsible, who cooperates, and by when."""

    lead_units: list[str] = field(default_factory=list)
    responsible_units: list[str] = field(default_factory=list)
    cooperating_units: list[str] = field(default_factory=list)
    deadline: str | None = None
    deadline_text: str | None = None
    text: str = ""
    span: Span = (0, 0)
    carries_forward: bool = False  # the note says 下同
    # how sure the reader is (0–1) and why, per field ("lead_units": "列第一位者为牵头单位")
    confidence: float = 1.0
    reasons: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "lead_units": self.lead_units,
            "responsible_units": self.responsible_units,
            "cooperating_units": self.cooperating_units,
            "deadline": self.deadline,
            "deadline_text": self.deadline_text,
            "text": self.text,
            "source_span": list(self.span),
            "confidence": self.confidence,
            "reasons": self.reasons,
        }


@dataclass
class Task:
    """One numbered item of work."""

    number: str
    path: list[str]
    title: str | None
    assignments: list[Assignment] = field(default_factory=list)
    span: Span = (0, 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "path": self.path,
            "title": self.title,
            "assignments": [a.to_json() for a in self.assignments],
            "source_span": list(self.span),
        }


@dataclass
class Extraction:
    """Everything read from one document."""

    title: str | None
    doc_number: str | None
    issuer: str | None
    year: int | None
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    # why the title and year were read as they were ("title": "取自首行", "year": "取自成文日期")
    reasons: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "year": self.year,
            "targets": [t.to_json() for t in self.targets],
            "tasks": [t.to_json() for t in self.tasks],
            "reasons": self.reasons,
        }
