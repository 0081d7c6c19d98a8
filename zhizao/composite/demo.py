"""Synthetic yearly observations, per region one level below home, for the columns of the shipped regional
index that the registry cannot give (patents, 高新技术企业数, 绿色工厂数, shares of GDP, ...), so the demo's
指标体系 page has something to rank. Every value is marked 演示数据（虚构） as its source, as the other
synthetic demo series are."""

from __future__ import annotations

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhizao.composite.definition import load_definition
from zhizao.composite.regional import data_columns, series_name
from zhizao.reference import home
from zhizao.tracking.models import Observation
from zhizao.tracking.observations import ensure_series

SOURCE = "演示数据（虚构）"
# Plausible yearly ranges for a district or county; a column not listed here is not generated.
RANGES: dict[str, tuple[float, float]] = {
    "invention_patents": (300, 8000),
    "population_10k": (40, 160),
    "hitech_firms": (40, 600),
    "manufacturing_share": (18, 42),
    "hitech_output_share": (25, 65),
    "specialised_firms": (10, 260),
    "water_intensity": (6, 26),
    "green_factories": (1, 30),
    "digital_core_share": (4, 16),
    "smart_factories": (3, 60),
    "cloud_firms": (100, 2000),
    "export_share": (4, 32),
    "fdi_manufacturing": (3000, 90000),
}


def load_demo_index_series(session: Session, years: tuple[int, ...], seed: int = 2024) -> int:
    """Replace the synthetic observations of the shipped index's series for `years`; return how many."""
    defn = load_definition("regional-hqd")
    places = home.next_level(session, home.home_region_code())
    rng = np.random.default_rng(seed)
    units = {i.code: i.unit for i in defn.indicators}
    count = 0
    for column in data_columns(defn):
        source = defn.sources.get(column)
        if (source is not None and source.registry) or column not in RANGES:
            continue
        series = ensure_series(session, series_name(defn, column), units.get(column, ""))
        session.execute(
            delete(Observation).where(Observation.series_id == series.id, Observation.source == SOURCE)
        )
        taken = {
            (region, year)
            for region, year in session.execute(
                select(Observation.region_code, Observation.year).where(
                    Observation.series_id == series.id, Observation.period_type == "year"
                )
            )
        }
        low, high = RANGES[column]
        level = rng.uniform(low, high, len(places))
        for k, year in enumerate(sorted(years)):
            drift = 1 + 0.06 * k + rng.normal(0, 0.03, len(places))
            for place, value in zip(places, level * drift, strict=True):
                if (place.code, year) in taken:
                    continue  # a real value stays
                session.add(
                    Observation(
                        series_id=series.id,
                        region_code=place.code,
                        period_type="year",
                        year=year,
                        period=0,
                        value=round(float(value), 2),
                        source=SOURCE,
                        entered_by="system",
                    )
                )
                count += 1
    session.flush()
    return count
