"""The COINr ASEM reference vectors (../shared/composite-indicators/coinr_asem) as numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest


@dataclass(frozen=True)
class Asem:
    folder: Path
    meta: pd.DataFrame
    codes: list[str]  # the 49 indicators, in iMeta order
    directions: np.ndarray
    targets: np.ndarray
    parents: dict[str, str | None]
    weights: dict[str, float]

    def table(self, name: str) -> pd.DataFrame:
        """A reference CSV indexed by unit code (files come in different row orders)."""
        frame = pd.read_csv(self.folder / name)
        return frame.set_index("uCode").sort_index() if "uCode" in frame.columns else frame

    def matrix(self, name: str) -> np.ndarray:
        return self.table(name)[self.codes].to_numpy(dtype=float)


@pytest.fixture(scope="session")
def asem(shared_dir: Path) -> Asem:
    folder = shared_dir / "composite-indicators" / "coinr_asem"
    meta = pd.read_csv(folder / "input_ASEM_iMeta.csv")
    tree = meta[meta.Type.isin(["Indicator", "Aggregate"])]
    ind = meta[meta.Type == "Indicator"]
    return Asem(
        folder=folder,
        meta=meta,
        codes=list(ind.iCode),
        directions=ind.Direction.to_numpy(dtype=int),
        targets=ind.Target.to_numpy(dtype=float),
        parents={r.iCode: (r.Parent if isinstance(r.Parent, str) else None) for r in tree.itertuples()},
        weights={r.iCode: float(r.Weight) for r in tree.itertuples()},
    )
