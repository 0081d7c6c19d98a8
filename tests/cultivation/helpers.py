"""Building the engine's input frames for one or a few enterprises, by hand."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from ibis.backends import BaseBackend

from zhizao.cultivation.programme import Programme, load_programme
from zhizao.cultivation.runs import Outcome, evaluate_frames


def firm(
    eid: int,
    *,
    industry: str = "3311",
    above_scale: bool = False,
    established: date | None = date(2015, 1, 1),
    region: str = "370202",
    figures: dict[tuple[str, int] | tuple[str, int, int], float] | None = None,
    declared: dict[str, float] | None = None,
    titles: dict[str, tuple[date, date]] | None = None,
) -> dict[str, Any]:
    return {
        "enterprise": {
            "enterprise_id": eid,
            "credit_code": f"C{eid:017d}",
            "name": f"企业{eid}",
            "region_code": region,
            "industry_code": industry,
            "established_on": established,
            "above_scale": above_scale,
        },
        "figures": [
            {
                "enterprise_id": eid,
                "indicator_id": k[0],
                "year": k[1],
                "month": k[2] if len(k) > 2 else 0,
                "value": v,
            }
            for k, v in (figures or {}).items()
        ],
        "declared": [{"enterprise_id": eid, "key": k, "value": v} for k, v in (declared or {}).items()],
        "titles": [
            {"enterprise_id": eid, "title": t, "valid_from": a, "valid_to": b}
            for t, (a, b) in (titles or {}).items()
        ],
    }


def frames(firms: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    columns = {
        "figures": ["enterprise_id", "indicator_id", "year", "month", "value"],
        "declared": ["enterprise_id", "key", "value"],
        "titles": ["enterprise_id", "title", "valid_from", "valid_to"],
    }
    out = {"enterprises": pd.DataFrame([f["enterprise"] for f in firms])}
    for name, cols in columns.items():
        out[name] = pd.DataFrame([row for f in firms for row in f[name]], columns=cols)
    return out


def evaluate(
    programme: str | Programme, firms: list[dict[str, Any]], as_of: date, backend: BaseBackend | None = None
) -> dict[int, Outcome]:
    p = load_programme(programme) if isinstance(programme, str) else programme
    return {o.enterprise_id: o for o in evaluate_frames(frames(firms), [p], as_of, backend)}


def criterion(outcome: Outcome, cid: str) -> dict[str, Any]:
    return next(c for c in outcome.criteria if c["id"] == cid)
