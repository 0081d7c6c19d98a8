"""COINr's winsorise-then-log treatment over Ibis tables (DuckDB, PySpark): the same values, decisions,
rounds and skew/kurtosis as COINr's reference outputs and the numpy `treat`."""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from ibis.backends import BaseBackend

import zhizao.composite as zc
from zhizao.composite.treat_table import treat_table
from zhizao.errors import InvalidInput

from .conftest import Asem


def treated(backend: BaseBackend, frame: pd.DataFrame, columns: list[str], winmax: int = 5):  # type: ignore[no-untyped-def]
    table = ibis.memtable(pa.Table.from_pandas(frame.assign(__row=range(len(frame))), preserve_index=False))
    out, details = treat_table(backend, table, columns, winmax=winmax)
    got = backend.execute(out).sort_values("__row").reset_index(drop=True)
    return got[columns].to_numpy(dtype=float), details


def test_treat_table_matches_coinr_and_numpy(backend: BaseBackend, asem: Asem) -> None:
    screened = asem.table("example_coin_dset_Screened.csv").reset_index()
    got, details = treated(backend, screened, asem.codes)
    np.testing.assert_allclose(got, asem.matrix("example_coin_dset_Treated.csv"), rtol=1e-9, atol=1e-12)
    dets = asem.table("example_coin_treat_dets_table.csv").set_index("iCode")
    points = pd.read_csv(asem.folder / "example_coin_treated_points.csv", keep_default_na=False)
    _, by_numpy = zc.treat(screened[asem.codes].to_numpy(dtype=float), winmax=5)
    for code, mine in zip(asem.codes, by_numpy, strict=True):
        d, row = details[code], dets.loc[code]
        assert d.skew_before == pytest.approx(row["check_SkewKurt0.Skew"], rel=1e-9)
        assert d.kurt_before == pytest.approx(row["check_SkewKurt0.Kurt"], rel=1e-9)
        assert (d.how == "none") == bool(row["check_SkewKurt0.Pass"])
        assert (d.how, d.n_winsorised) == (mine.how, mine.n_winsorised), code
        if d.how != "none":
            assert d.n_winsorised == row["winsorise.nwin"]
            assert d.skew_after == pytest.approx(row["check_SkewKurt1.Skew"], rel=1e-9)
            assert d.kurt_after == pytest.approx(row["check_SkewKurt1.Kurt"], rel=1e-9)
        assert d.n_points == sum(flag != "" for flag in points[code]), code
    assert sum(d.how == "winsorise" for d in details.values()) == 15


def test_treat_table_winsorises_then_matches_the_vignette(backend: BaseBackend, asem: Asem) -> None:
    reference = pd.read_csv(asem.folder / "treat_example_Flights_Goods_Services_treated.csv")
    raw = pd.read_csv(asem.folder / "input_ASEM_iData.csv")[["Flights", "Goods", "Services"]]
    got, details = treated(backend, raw, ["Flights", "Goods", "Services"])
    np.testing.assert_allclose(got, reference.to_numpy(dtype=float), rtol=1e-9)
    assert [(d.how, d.n_winsorised) for d in details.values()] == [
        ("winsorise", 1),
        ("winsorise", 2),
        ("none", 0),
    ]


def test_treat_table_falls_back_to_the_log_of_the_original(backend: BaseBackend) -> None:
    x = np.array([1.0] * 20 + [50.0, 60.0, 1000.0, np.nan])
    got, details = treated(backend, pd.DataFrame({"x": x}), ["x"], winmax=1)
    (expected, (numpy_detail,)) = zc.treat(x[:, None], winmax=1)
    np.testing.assert_allclose(got, expected, rtol=1e-15, equal_nan=True)
    d = details["x"]
    assert (d.how, d.n_winsorised, d.n_points) == ("log", 1, 23)
    assert d.skew_after == pytest.approx(numpy_detail.skew_after, rel=1e-9)
    assert d.kurt_after == pytest.approx(numpy_detail.kurt_after, rel=1e-9)


def test_treat_table_leaves_short_and_constant_columns(backend: BaseBackend) -> None:
    frame = pd.DataFrame({"short": [1.0, 100.0, np.nan, np.nan, np.nan], "flat": [3.0] * 5})
    got, details = treated(backend, frame, ["short", "flat"])
    np.testing.assert_array_equal(got, frame.to_numpy(), strict=False)
    assert {d.how for d in details.values()} == {"none"}
    with pytest.raises(InvalidInput, match="winmax"):
        treat_table(backend, ibis.memtable(frame), ["flat"], winmax=-1)
