"""The demo's cultivation data, made up and marked so: titles held by a share of the firms (高企,
创新型, 专精特新, 小巨人; lists named 演示数据（虚构）), each 规上 firm's 预计全年工业总产值 for the current
year, and one stored run of every programme in force, so the 企业培育 pages, the pools and the 帮包 levels
have something to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.cultivation.models import EnterpriseTitle
from zhizao.cultivation.programme import in_force, shipped
from zhizao.cultivation.runs import evaluate_database, store_run
from zhizao.cultivation.titles import validity
from zhizao.enterprises.models import Enterprise, EnterpriseFigure

MARK = "演示数据（虚构）"
# Share of the 规上 firms holding each title (the larger firms first), as in a typical prefecture.
SHARES = {"gaoqi": 0.18, "chuangxinxing": 0.10, "zhuanjingtexin": 0.05, "xiaojuren": 0.006}


@dataclass
class DemoCultivation:
    titles: int = 0
    forecasts: int = 0
    run_id: int | None = None


def load_demo_cultivation(session: Session, actor: Actor, today: date, seed: int = 2024) -> DemoCultivation:
    result = DemoCultivation()
    rng = np.random.default_rng(seed)
    session.execute(delete(EnterpriseTitle).where(EnterpriseTitle.list_name == MARK))
    last_year = today.year - 1
    outputs: dict[int, float] = {
        e: v
        for e, v in session.execute(
            select(EnterpriseFigure.enterprise_id, EnterpriseFigure.value)
            .join(Enterprise, Enterprise.id == EnterpriseFigure.enterprise_id)
            .where(
                Enterprise.above_scale.is_(True),
                EnterpriseFigure.indicator_id == "output_value",
                EnterpriseFigure.year == last_year,
                EnterpriseFigure.month == 0,
            )
        )
    }
    if not outputs:
        return result
    ranked = sorted(outputs, key=lambda e: -outputs[e])
    rows = []
    for title, share in SHARES.items():
        pool = ranked[: max(1, int(len(ranked) * share * 3))]  # drawn from the larger firms
        for enterprise_id in rng.choice(pool, size=max(1, int(len(ranked) * share)), replace=False):
            year = int(rng.integers(today.year - 3, today.year))
            start, end = validity(year, date(year, 11, int(rng.integers(1, 28))))
            rows.append(
                {
                    "enterprise_id": int(enterprise_id),
                    "title": title,
                    "year": year,
                    "valid_from": start,
                    "valid_to": end,
                    "list_name": MARK,
                    "matched_by": "credit_code",
                    "actor": actor.username,
                }
            )
    session.execute(insert(EnterpriseTitle), rows)
    result.titles = len(rows)
    session.execute(
        delete(EnterpriseFigure).where(
            EnterpriseFigure.indicator_id == "output_value_expected", EnterpriseFigure.year == today.year
        )
    )
    growth = rng.lognormal(0.08, 0.25, len(outputs))
    forecasts = [
        {
            "enterprise_id": int(e),
            "indicator_id": "output_value_expected",
            "year": today.year,
            "month": 0,
            "value": round(float(outputs[e] * g), 1),
            "source": MARK,
        }
        for e, g in zip(outputs, growth, strict=True)
    ]
    session.execute(insert(EnterpriseFigure), forecasts)
    result.forecasts = len(forecasts)
    programmes = in_force(shipped(), today)
    outcomes = evaluate_database(session, actor, programmes, today)
    result.run_id = store_run(session, actor, programmes, today, outcomes).id
    session.flush()
    return result
