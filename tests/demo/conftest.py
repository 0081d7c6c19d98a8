"""A generated population shared by the demo tests (generated once; no database needed)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from zhizao.demo.population import INDICATORS, DemoSpec, generate

QINGDAO = "370200"  # the default demo region: the shipped demo data files hold its documents and figures


@dataclass
class Population:
    """Every chunk of a generated population joined together; figure enterprises are global indexes."""

    spec: DemoSpec
    enterprises: list[dict]
    figure_enterprise: np.ndarray
    figure_indicator: np.ndarray
    figure_year: np.ndarray
    figure_month: np.ndarray
    figure_value: np.ndarray

    def annual(self, indicator: str, year: int) -> np.ndarray:
        """One value per enterprise (NaN where the figure is absent)."""
        out = np.full(len(self.enterprises), np.nan)
        mask = (
            (self.figure_indicator == INDICATORS.index(indicator))
            & (self.figure_year == year)
            & (self.figure_month == 0)
        )
        out[self.figure_enterprise[mask]] = self.figure_value[mask]
        return out


def collect(spec: DemoSpec) -> Population:
    enterprises: list[dict] = []
    parts: list[tuple[np.ndarray, ...]] = []
    for chunk in generate(spec):
        enterprises += chunk.enterprise_rows()
        parts.append(
            (
                chunk.fig_enterprise + chunk.start,
                chunk.fig_indicator,
                chunk.fig_year,
                chunk.fig_month,
                chunk.fig_value,
            )
        )
    arrays = [np.concatenate([p[i] for p in parts]) for i in range(5)]
    return Population(spec, enterprises, *arrays)


@pytest.fixture(scope="session")
def population() -> Population:
    return collect(
        DemoSpec(
            size=3000, region_code=QINGDAO, seed=2024, current_year=2026, through_month=12, chunk_size=1000
        )
    )


@pytest.fixture
def small_spec() -> DemoSpec:
    return DemoSpec(
        size=300, region_code=QINGDAO, seed=11, current_year=2026, through_month=3, chunk_size=128
    )
