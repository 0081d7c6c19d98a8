"""Plans: reading policy documents (行动计划, 实施意见, 工作方案) into targets and tasks, and keeping them.

The reading functions are loaded lazily so that importing `zhizao.plans.models` (the database models) does
not pull in the document readers.
"""

from __future__ import annotations

from typing import Any

__all__ = ["Extraction", "parse_document", "parse_text"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from zhizao.plans import reading

        return getattr(reading, name)
    raise AttributeError(name)
