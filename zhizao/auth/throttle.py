"""Login throttling: failures counted per (account, address), per address and per account.

Why three counters, and why the account-wide one is short:
- `pair:<user>|<address>`: after `login_max_failures` failures on one account from one address, *that
  address* waits `login_lockout_seconds`, doubling with each further failure up to
  `login_lockout_max_seconds`. The real user, from their own address, is not affected.
- `addr:<address>`: after `login_address_max_failures` failures from one address over any accounts (password
  spraying), that address waits, with the same doubling.
- `user:<user>`: after `login_account_max_failures` failures on one account from any addresses (an
  attacker with many addresses), every address waits, but at most `login_account_max_delay` seconds
  (doubling from 1 s).
  The cap is what keeps a known account, the administrator's included, from being locked out: the real user
  waits a minute at worst, while the guessing rate stays at about one try a minute.

Counters forget after a quiet spell as long as the longest wait. The user name is the one typed, known or not,
so an unknown name is throttled, and answered, exactly like a real one. A successful login clears the pair and
account counters (not the address one: a working login must not launder a spraying address).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhizao.auth.models import LoginThrottle
from zhizao.config import Settings


@dataclass(frozen=True)
class Rule:
    key: str
    threshold: int
    first_wait: float
    max_wait: float


def _rules(settings: Settings, username: str, address: str) -> list[Rule]:
    name = username.strip().casefold()[:60]
    address = address[:45] or "unknown"
    return [
        Rule(
            f"pair:{name}|{address}",
            settings.login_max_failures,
            settings.login_lockout_seconds,
            settings.login_lockout_max_seconds,
        ),
        Rule(
            f"addr:{address}",
            settings.login_address_max_failures,
            settings.login_lockout_seconds,
            settings.login_lockout_max_seconds,
        ),
        Rule(f"user:{name}", settings.login_account_max_failures, 1, settings.login_account_max_delay),
    ]


def wait_seconds(session: Session, settings: Settings, username: str, address: str, now: datetime) -> int:
    """Seconds this address must still wait before trying `username` again (0: may try now)."""
    waits = [0.0]
    for rule in _rules(settings, username, address):
        row = session.get(LoginThrottle, rule.key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            waits.append((row.locked_until - now).total_seconds())
    return int(max(waits) + 0.999)


def record_failure(
    session: Session, settings: Settings, username: str, address: str, now: datetime
) -> list[str]:
    """Count one failed login; return the keys that have just started a wait (for the audit log)."""
    _purge(session, settings, now)
    locked: list[str] = []
    for rule in _rules(settings, username, address):
        row = _counter(session, rule.key, now)
        quiet = now - row.last_failure_at > timedelta(seconds=rule.max_wait)
        if quiet and not _waiting(row, now):
            row.failures = 0  # a quiet spell: start over
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= rule.threshold:
            wait = min(rule.first_wait * 2 ** (row.failures - rule.threshold), rule.max_wait)
            row.locked_until = now + timedelta(seconds=wait)
            locked.append(rule.key)
    session.flush()
    return locked


def _counter(session: Session, key: str, now: datetime) -> LoginThrottle:
    """The counter row of `key`, created if missing (two first failures at once: one insert wins)."""
    row = session.get(LoginThrottle, key, with_for_update=True)
    if row is not None:
        return row
    try:
        with session.begin_nested():
            row = LoginThrottle(key=key, failures=0, last_failure_at=now)
            session.add(row)
    except IntegrityError:
        row = session.get(LoginThrottle, key, with_for_update=True, populate_existing=True)
        assert row is not None
    return row


def _purge(session: Session, settings: Settings, now: datetime) -> None:
    """Forget counters quiet for longer than any wait (every typed name and address leaves one)."""
    horizon = now - timedelta(
        seconds=max(settings.login_lockout_max_seconds, settings.login_account_max_delay)
    )
    quiet = (LoginThrottle.locked_until.is_(None)) | (LoginThrottle.locked_until < now)
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < horizon, quiet))


def _waiting(row: LoginThrottle, now: datetime) -> bool:
    return row.locked_until is not None and row.locked_until > now


def record_success(session: Session, settings: Settings, username: str, address: str) -> None:
    pair, _address, account = _rules(settings, username, address)
    session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_([pair.key, account.key])))


def clear_account(session: Session, username: str) -> None:
    """Forget every failure on `username` (an administrator reset the password or re-enabled the account)."""
    name = username.strip().casefold()[:60]
    session.execute(
        delete(LoginThrottle).where(
            (LoginThrottle.key == f"user:{name}")
            | LoginThrottle.key.startswith(f"pair:{name}|", autoescape=True)
        )
    )
