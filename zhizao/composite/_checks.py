"""Input checks shared by every method: arrays in, `InvalidInput` with a clear message out.

Policy on weights (one rule everywhere): weights must be finite and non-negative with a positive sum; they
are then divided by their sum, so ``[2, 1, 1]`` means ``[0.5, 0.25, 0.25]``. Nothing is refused for not
summing to 1.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from zhizao.errors import InvalidInput

Array = NDArray[np.float64]


def as_matrix(matrix: ArrayLike, *, allow_nan: bool = False, name: str = "matrix") -> Array:
    """A 2-D float array (alternatives × criteria); a 1-D input is one criterion."""
    try:
        m = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{name}: not numeric ({exc})") from exc
    if m.ndim == 1:
        m = m[:, None]
    if m.ndim != 2:
        raise InvalidInput(f"{name}: expected a 2-D array (alternatives × criteria), got {m.ndim} dimensions")
    if m.shape[0] == 0 or m.shape[1] == 0:
        raise InvalidInput(f"{name}: empty ({m.shape[0]} × {m.shape[1]})")
    if np.isinf(m).any():
        raise InvalidInput(f"{name}: contains an infinite value")
    if not allow_nan and np.isnan(m).any():
        rows, cols = np.nonzero(np.isnan(m))
        raise InvalidInput(
            f"{name}: missing value (NaN) at row {rows[0] + 1}, column {cols[0] + 1}; impute or drop it first"
        )
    return m


def as_weights(weights: ArrayLike, n: int, *, name: str = "weights") -> Array:
    """Non-negative finite weights, one per criterion, divided by their sum."""
    w = np.asarray(weights, dtype=float).ravel()
    if w.shape[0] != n:
        raise InvalidInput(f"{name}: {w.shape[0]} given for {n} criteria")
    if not np.isfinite(w).all():
        raise InvalidInput(f"{name}: must be finite")
    if (w < 0).any():
        raise InvalidInput(f"{name}: must not be negative")
    total = w.sum()
    if total <= 0:
        raise InvalidInput(f"{name}: sum to zero")
    return w / total


def as_types(types: ArrayLike | None, n: int) -> NDArray[np.int64]:
    """Criterion types: 1 benefit (higher is better), −1 cost (lower is better). None: all benefit."""
    if types is None:
        return np.ones(n, dtype=np.int64)
    t = np.asarray(types).ravel()
    if t.shape[0] != n:
        raise InvalidInput(f"types: {t.shape[0]} given for {n} criteria")
    if not np.isin(t, (1, -1)).all():
        raise InvalidInput("types: each must be 1 (benefit) or -1 (cost)")
    return t.astype(np.int64)


def per_criterion(value: float | Sequence[float] | ArrayLike | None, n: int, name: str) -> Array | None:
    """A scalar broadcast to every criterion, or one value per criterion."""
    if value is None:
        return None
    v = np.asarray(value, dtype=float).ravel()
    if v.shape[0] == 1:
        return np.full(n, v[0])
    if v.shape[0] != n:
        raise InvalidInput(f"{name}: {v.shape[0]} given for {n} criteria")
    return v


def choice(value: str, allowed: Sequence[str], name: str) -> str:
    if value not in allowed:
        raise InvalidInput(f"{name}: {value!r} is not one of {', '.join(allowed)}")
    return value


def require_positive(m: Array, method: str) -> None:
    if (m[~np.isnan(m)] <= 0).any():
        raise InvalidInput(f"{method}: every value must be positive")


def require_non_negative(m: Array, method: str) -> None:
    if (m[~np.isnan(m)] < 0).any():
        raise InvalidInput(f"{method}: every value must be non-negative")
