"""Sensitivity of the classes to the weights (and optionally the benchmark multiplier).

The pipeline runs once; its indicator matrix (normalised scores, raw ratios to benchmark, weights) is
materialised and every perturbed run is numpy arithmetic over that matrix, vectorised over runs in chunks:
no run rebuilds the pipeline. Per run, each indicator's weights are multiplied by U(1 − a, 1 + a) and
rescaled so each enterprise's weights keep their sum; with ``benchmark_noise`` b, statistical benchmarks
(mean/max × k) of ratio and inverse indicators are multiplied by U(1 − b, 1 + b). Ranking, tie-breaks,
quotas and tag adjustments follow the same rules as the pipeline.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zhizao.evaluation.method import Method
from zhizao.evaluation.pipeline import EvaluationResult
from zhizao.evaluation.steps.classify import quota_cutoffs
from zhizao.evaluation.steps.common import col, scope_columns


@dataclass
class SensitivityResult:
    per_enterprise: pd.DataFrame  # credit_code, class, share_<class>..., rank_min, rank_max, stable
    stable_share: float  # share of graded enterprises whose class never changes
    runs: int


@dataclass
class _Matrix:
    frame: pd.DataFrame  # graded rows, sorted by group then tie-break order
    norm: np.ndarray  # n × K base normalised scores (missing rule applied)
    ratio: np.ndarray  # n × K x / B (NaN where not applicable)
    weight: np.ndarray  # n × K
    perturbable: np.ndarray  # n × K: benchmark noise applies to this cell
    starts: np.ndarray  # group boundaries in the sorted rows


def _matrix(result: EvaluationResult) -> _Matrix:
    method = result.method
    keys = scope_columns(method.ranking.scope)
    inds = method.indicators
    wanted = {"credit_code", "class", "group_size", "adjust_points", "adj_down", "adj_forced", *keys}
    wanted |= {tb.field for tb in method.ranking.tie_break}
    wanted |= {col(i.id, p) for i in inds for p in ("norm", "ratio", "weight", "missing", "negative")}
    t = result.table
    frame = result.execute(t.filter(t.graded).select(sorted(wanted)))
    order = [*keys, *(tb.field for tb in method.ranking.tie_break), "credit_code"]
    ascending = [True] * len(keys) + [tb.order == "asc" for tb in method.ranking.tie_break] + [True]
    frame = frame.sort_values(order, ascending=ascending, na_position="last", kind="stable").reset_index(
        drop=True
    )
    group_id = (
        frame.groupby(keys, sort=False, dropna=False).ngroup().to_numpy() if keys else np.zeros(len(frame))
    )
    starts = np.flatnonzero(np.r_[True, group_id[1:] != group_id[:-1], True]) if len(frame) else np.array([0])
    perturbable = np.column_stack(
        [
            (method.benchmark_of(i).method != "fixed")
            & (method.scoring_of(i).method in ("ratio", "inverse"))
            & ~frame[col(i.id, "missing")].to_numpy(bool)
            & ~frame[col(i.id, "negative")].to_numpy(bool)
            for i in inds
        ]
    )
    return _Matrix(
        frame=frame,
        norm=frame[[col(i.id, "norm") for i in inds]].to_numpy(float),
        ratio=frame[[col(i.id, "ratio") for i in inds]].to_numpy(float),
        weight=frame[[col(i.id, "weight") for i in inds]].to_numpy(float),
        perturbable=perturbable,
        starts=starts,
    )


def _norm_under(method: Method, m: _Matrix, k: int, factor: np.ndarray) -> np.ndarray:
    """n × R normalised scores of indicator k when its benchmark is multiplied by `factor` (R,)."""
    ind = method.indicators[k]
    scoring = method.scoring_of(ind)
    r = m.ratio[:, k : k + 1] / factor[None, :]
    n = r if scoring.method == "ratio" else np.maximum(2 - r, 0) / 2
    n = np.maximum(n, scoring.floor)
    if scoring.cap is not None:
        n = np.minimum(n, scoring.cap)
    return np.where(m.perturbable[:, k : k + 1], n, m.norm[:, k : k + 1])


def _scores(method: Method, m: _Matrix, w_factor: np.ndarray, b_factor: np.ndarray | None) -> np.ndarray:
    """n × R totals for R runs (factors are R × K)."""
    total_w = m.weight.sum(axis=1, keepdims=True)
    run_w = m.weight @ w_factor.T  # n × R: the perturbed weight sum, before rescaling
    scale = np.divide(total_w, run_w, out=np.ones_like(run_w), where=run_w > 0)
    scores = np.zeros_like(run_w)
    for k in range(m.weight.shape[1]):
        n = m.norm[:, k : k + 1] if b_factor is None else _norm_under(method, m, k, b_factor[:, k])
        scores += n * m.weight[:, k : k + 1] * w_factor[None, :, k]
    return scores * scale + m.frame["adjust_points"].to_numpy(float)[:, None]


def _ranks(scores: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """1-based rank within each group; rows are pre-sorted by tie-break, so a stable sort keeps it."""
    ranks = np.empty(scores.shape, dtype=np.int64)
    for lo, hi in itertools.pairwise(starts):
        order = np.argsort(-scores[lo:hi], axis=0, kind="stable")
        block = np.empty_like(order)
        np.put_along_axis(block, order, np.arange(1, hi - lo + 1)[:, None], axis=0)
        ranks[lo:hi] = block
    return ranks


def _classes(method: Method, m: _Matrix, ranks: np.ndarray, scores: np.ndarray) -> np.ndarray:
    classes = method.classes
    last = len(classes.items) - 1
    if classes.mode == "quota":
        size = m.frame["group_size"].to_numpy(np.int64)[:, None]
        idx = np.full(ranks.shape, last, dtype=np.int64)
        for i, cutoff in reversed(list(enumerate(quota_cutoffs(classes)[:-1]))):
            idx = np.where(ranks <= (size * cutoff + 5000) // 10000, i, idx)
    else:
        idx = np.full(ranks.shape, last, dtype=np.int64)
        for i, item in reversed(list(enumerate(classes.items[:-1]))):
            idx = np.where(scores >= item.min_score, i, idx)
    idx = np.minimum(idx + m.frame["adj_down"].to_numpy(np.int64)[:, None], last)
    forced = m.frame["adj_forced"].to_numpy(np.int64)[:, None]
    return np.where(forced >= 0, forced, idx)


def sensitivity(
    result: EvaluationResult,
    runs: int = 100,
    weight_noise: float = 0.25,
    benchmark_noise: float = 0.0,
    seed: int = 0,
    chunk: int = 50,
    progress: Callable[[int], None] | None = None,
) -> SensitivityResult:
    """Perturb weights `runs` times; per enterprise the share of runs in each class and the rank interval."""
    method = result.method
    m = _matrix(result)
    n, k = m.weight.shape
    n_classes = len(method.classes.items)
    rng = np.random.default_rng(seed)
    counts = np.zeros((n, n_classes), dtype=np.int64)
    rank_min = np.full(n, np.iinfo(np.int64).max)
    rank_max = np.zeros(n, dtype=np.int64)
    for done in range(0, runs, chunk):
        r = min(chunk, runs - done)
        w_factor = rng.uniform(1 - weight_noise, 1 + weight_noise, size=(r, k))
        b_factor = (
            rng.uniform(1 - benchmark_noise, 1 + benchmark_noise, size=(r, k)) if benchmark_noise else None
        )
        scores = _scores(method, m, w_factor, b_factor)
        ranks = _ranks(scores, m.starts)
        idx = _classes(method, m, ranks, scores)
        for c in range(n_classes):
            counts[:, c] += (idx == c).sum(axis=1)
        rank_min = np.minimum(rank_min, ranks.min(axis=1, initial=rank_min.max()))
        rank_max = np.maximum(rank_max, ranks.max(axis=1, initial=0))
        if progress is not None:
            progress(r)
    out = pd.DataFrame({"credit_code": m.frame["credit_code"], "class": m.frame["class"]})
    for c, item in enumerate(method.classes.items):
        out[f"share_{item.id}"] = counts[:, c] / runs
    out["rank_min"], out["rank_max"] = rank_min, rank_max
    out["stable"] = counts.max(axis=1) == runs
    stable_share = float(out["stable"].mean()) if n else 1.0
    return SensitivityResult(per_enterprise=out, stable_share=stable_share, runs=runs)
