"""Credit codes by the column: check characters of many codes at once (NumPy), for the import's checks and
the demo's generated codes. The rule is `credit_code`'s (GB 32100-2015); this is its array form."""

from __future__ import annotations

import numpy as np

from zhizao.enterprises.credit_code import CHARSET, WEIGHTS

INVALID = 99  # the value of a byte outside the code's character set
_VALUES = np.full(256, INVALID, dtype=np.int64)
for _index, _char in enumerate(CHARSET):
    _VALUES[ord(_char)] = _index
_WEIGHTS = np.array(WEIGHTS, dtype=np.int64)
_CHARS = np.frombuffer(CHARSET.encode("ascii"), dtype=np.uint8)


def as_grid(codes: list[str], width: int) -> np.ndarray:
    """ASCII codes of `width` characters each as a (len, width) uint8 array."""
    return np.frombuffer("".join(codes).encode("ascii"), dtype=np.uint8).reshape(-1, width)


def check_bytes(first17: np.ndarray) -> np.ndarray:
    """The check character (as an ASCII byte) of each row of a (n, 17) uint8 array of valid characters."""
    remainder = 31 - (_VALUES[first17] @ _WEIGHTS) % 31
    return _CHARS[remainder % 31]


def has_valid_check(codes: np.ndarray) -> np.ndarray:
    """Whether each row of a (n, 18) uint8 array of valid characters ends with its check character."""
    return np.asarray(check_bytes(codes[:, :17]) == codes[:, 17], dtype=bool)


def complete_all(first17: np.ndarray) -> list[str]:
    """Codes from a (n, 17) uint8 array of their first characters, the check character appended."""
    codes = np.concatenate([first17, check_bytes(first17)[:, None]], axis=1).astype(np.uint8)
    return np.ascontiguousarray(codes).view("S18").ravel().astype(str).tolist()
