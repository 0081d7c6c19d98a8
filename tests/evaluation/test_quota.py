"""The quota rule: rank r of n gets the first class with r ≤ round_half_up(c × n)."""

from __future__ import annotations

from ibis.backends import BaseBackend

from tests.evaluation.conftest import enterprise, make_method, run
from zhizao.evaluation.method import load_method
from zhizao.evaluation.steps.classify import quota_cutoffs


def counts(frame, column: str = "class") -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {k: int(v) for k, v in frame[column].value_counts().sort_index().items()}


def test_classify_hundred_enterprises_splits_20_40_35_5(backend: BaseBackend) -> None:
    rows = [enterprise(f"E{i:03d}", tax=float(i + 1)) for i in range(100)]
    out = run(backend, rows, make_method())
    assert counts(out) == {"A": 20, "B": 40, "C": 35, "D": 5}
    assert out.loc["E099", "rank"] == 1
    assert out.loc["E099", "class"] == "A"
    assert out.loc["E000", "class"] == "D"


def test_classify_small_groups_rounds_half_up(backend: BaseBackend) -> None:
    """One region per group size (ranked per region), so one evaluation checks them all."""
    sizes = {"R7": 7, "R5": 5, "R30": 30, "R1": 1}
    expected = {
        "R7": {"A": 1, "B": 3, "C": 3},  # 1.4→1, 4.2→4, 6.65→7
        "R5": {"A": 1, "B": 2, "C": 2},  # 1, 3, 4.75→5
        "R30": {"A": 6, "B": 12, "C": 11, "D": 1},  # 6, 18, 28.5→29 (half rounds up)
        "R1": {"B": 1},  # 0.2→0, 0.6→1
    }
    rows = [
        enterprise(f"{region}-{i:02d}", region_code=region, tax=float(i + 1))
        for region, n in sizes.items()
        for i in range(n)
    ]
    out = run(backend, rows, make_method(ranking={"scope": ["region"]}))
    for region, classes in expected.items():
        assert counts(out[out["region_code"] == region]) == classes, region


def test_quota_cutoffs_are_exact_basis_points() -> None:
    assert quota_cutoffs(load_method("huaian-2024").classes) == [2000, 6000, 9500, 10000]


def test_classify_quota_base_pool_counts_t_firms(backend: BaseBackend) -> None:
    """Jining-style: the quota n includes the group's T firms (A = 20% of graded + T)."""
    method = make_method(
        t_class={"industry_divisions": ["44"]},
        classes={**make_method().classes.model_dump(), "quota_base": "pool"},
    )
    rows = [enterprise(f"E{i:03d}", tax=float(i + 1)) for i in range(8)]
    rows += [enterprise(f"T{i}", industry_code="4411") for i in range(2)]
    out = run(backend, rows, method)
    assert out.loc["E000", "group_size"] == 10
    assert counts(out) == {"A": 2, "B": 4, "C": 2, "T": 2}
