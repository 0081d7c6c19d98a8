"""Password hashing with Argon2 (argon2-cffi) and the password policy.

The policy applies to every password a person chooses or is given (new account, own change, admin reset):
at least `MIN_PASSWORD_LENGTH` characters, not the user name and not containing it (nor contained in it),
and not on the list of common passwords. That list (`common-passwords.txt.gz`, 19,640 lowercased entries)
is the one Django ships for its CommonPasswordValidator (BSD-3-Clause), compiled from leaked-password
corpora by Royce Williams.
"""

from __future__ import annotations

import gzip
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from zhizao.errors import InvalidInput

MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS_FILE = Path(__file__).with_name("common-passwords.txt.gz")

_hasher = PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    """Verified against when the user name is unknown, so that answer takes as long as a wrong password.

    Made on first use, not at import: an Argon2 hash costs a second of CPU every command would pay."""
    return _hasher.hash("zhizao-no-such-user-placeholder")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_verify(password: str) -> None:
    """Spend the time of one verification (for an unknown or disabled user)."""
    verify_password(_dummy_hash(), password)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as file:
        return frozenset(line.strip() for line in file if line.strip())


def check_password_policy(password: str, username: str, *, label: str = "密码") -> None:
    """Raise InvalidInput (in Chinese, naming the rule) when `password` may not be used for `username`."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"{label}至少{MIN_PASSWORD_LENGTH}位")
    folded, name = password.casefold(), username.strip().casefold()
    if name and (name in folded or folded in name):
        raise InvalidInput(f"{label}不能包含用户名")
    if folded in common_passwords():
        raise InvalidInput(f"{label}过于常见，请换一个不易猜到的密码")
