"""Aggregation up a hierarchy (indicator → pillar → sub-index → index), level by level, as COINr does.

The hierarchy is given as ``parents`` (code → parent code) and ``weights`` (code → weight within its
parent; missing codes weigh 1). Scores are a dict code → array over units.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from zhizao.composite._checks import Array
from zhizao.composite.aggregate import aggregate
from zhizao.errors import InvalidInput


def levels_of(parents: Mapping[str, str | None], leaves: Sequence[str]) -> list[list[str]]:
    """The aggregate codes of each level above the leaves, bottom up (level 2, level 3, ...)."""
    depth: dict[str, int] = {code: 1 for code in leaves}
    pending = list(leaves)
    while pending:
        nxt = []
        for code in pending:
            parent = parents.get(code)
            if parent is None:
                continue
            if parent in leaves:
                raise InvalidInput(f"hierarchy: {parent} is both an indicator and a parent")
            d = depth[code] + 1
            if depth.get(parent, 0) not in (0, d):
                raise InvalidInput(f"hierarchy: {parent} is reached at two different levels")
            if parent not in depth:
                depth[parent] = d
                nxt.append(parent)
            if d > 20:
                raise InvalidInput("hierarchy: a cycle in the parents")
        pending = nxt
    top = max(depth.values())
    return [sorted(c for c, d in depth.items() if d == level) for level in range(2, top + 1)]


def root_of(parents: Mapping[str, str | None], leaves: Sequence[str]) -> str:
    """The one top code of the hierarchy (the index)."""
    levels = levels_of(parents, leaves)
    roots = [c for c in (levels[-1] if levels else leaves) if parents.get(c) is None]
    if len(roots) != 1:
        raise InvalidInput(f"hierarchy: expected one top element, found {', '.join(roots) or 'none'}")
    return roots[0]


def aggregate_hierarchy(
    scores: Mapping[str, Array],
    parents: Mapping[str, str | None],
    weights: Mapping[str, float] | None = None,
    methods: str | Sequence[str] = "arithmetic",
    p: float = 2.0,
    dat_thresh: float | None = None,
) -> dict[str, Array]:
    """Every aggregate's score: each level aggregates its children's scores with their weights.

    ``methods`` is one aggregation for every level or one per level above the indicators (bottom up).
    ``dat_thresh`` applies at every level (COINr's ``dat_thresh``).
    """
    weights = weights or {}
    leaves = list(scores)
    levels = levels_of(parents, leaves)
    per_level = [methods] * len(levels) if isinstance(methods, str) else list(methods)
    if len(per_level) != len(levels):
        raise InvalidInput(f"methods: {len(per_level)} given for {len(levels)} levels")
    out: dict[str, Array] = dict(scores)
    for codes, method in zip(levels, per_level, strict=True):
        for code in codes:
            children = [c for c in out if parents.get(c) == code]
            matrix = np.column_stack([out[c] for c in children])
            w = np.array([weights.get(c, 1.0) for c in children])
            out[code] = aggregate(matrix, w, method, p=p, dat_thresh=dat_thresh)
    return out


def effective_weights(
    parents: Mapping[str, str | None], weights: Mapping[str, float] | None = None
) -> dict[str, float]:
    """Each element's share of the index: its weight within its parent (weights of siblings divided by
    their sum) times its parent's effective weight; the index has 1 (COINr ``get_eff_weights``)."""
    weights = weights or {}
    siblings: dict[str | None, float] = {}
    for code, parent in parents.items():
        siblings[parent] = siblings.get(parent, 0.0) + weights.get(code, 1.0)
    out: dict[str, float] = {}

    def share(code: str) -> float:
        if code not in out:
            parent = parents.get(code)
            if parent is None:
                out[code] = 1.0
            else:
                total = siblings[parent]
                out[code] = (weights.get(code, 1.0) / total if total > 0 else 0.0) * share(parent)
        return out[code]

    for code in parents:
        share(code)
    return out


def group_ranks(score: Array, groups: Sequence[object] | np.ndarray) -> Array:
    """Rank 1 = best within each group (ties share the better rank; a missing score gets no rank)."""
    from zhizao.composite.mcda import rank_descending

    g = np.asarray(groups)
    if g.shape[0] != score.shape[0]:
        raise InvalidInput(f"groups: {g.shape[0]} given for {score.shape[0]} units")
    out = np.full(score.shape, np.nan)
    for value in np.unique(g):
        rows = g == value
        out[rows] = rank_descending(score[rows])
    return out
