"""Login abuse: throttling per (account, address), per address and per account; unknown users answered
like real ones; audit entries for logins, failures and lockouts."""

from __future__ import annotations

import statistics
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.models import AuditEntry
from zhizao.auth.scope import Actor
from zhizao.auth.throttle import wait_seconds
from zhizao.auth.users import authenticate, create_user, reset_password
from zhizao.config import Settings
from zhizao.db.base import utcnow
from zhizao.errors import NotAuthenticated

PASSWORD = "right-horse-battery"
# Small thresholds keep the test fast (each try is an Argon2 verification); the rules are the same.
SETTINGS = Settings(
    secret_key="unused", login_max_failures=2, login_address_max_failures=4, login_account_max_failures=3
)


def _try(session: Session, username: str, password: str, address: str, now: datetime) -> str:
    """'ok', or the message of the refusal."""
    try:
        authenticate(session, username, password, address=address, now=now, settings=SETTINGS)
    except NotAuthenticated as exc:
        return exc.message
    return "ok"


def _fail(session: Session, username: str, address: str, now: datetime, times: int) -> None:
    for _ in range(times):
        assert _try(session, username, "wrong-guess-1", address, now) != "ok"


@pytest.fixture
def ana(session: Session, system: Actor) -> str:
    create_user(session, system, "ana", PASSWORD, "analyst")
    return "ana"


def test_lock_only_the_failing_address(session: Session, ana: str) -> None:
    now = utcnow()
    _fail(session, ana, "10.0.0.66", now, SETTINGS.login_max_failures)
    assert "锁定" in _try(session, ana, PASSWORD, "10.0.0.66", now)  # the attacker's address waits
    assert _try(session, ana, PASSWORD, "10.0.0.7", now) == "ok"  # the real user elsewhere is not locked out


def test_wait_doubles_with_each_further_failure(session: Session, ana: str) -> None:
    now = utcnow()
    _fail(session, ana, "10.0.0.66", now, SETTINGS.login_max_failures)
    first = SETTINGS.login_lockout_seconds
    assert f"{first} 秒" in _try(session, ana, PASSWORD, "10.0.0.66", now)
    later = now + timedelta(seconds=first + 1)
    _fail(session, ana, "10.0.0.66", later, 1)
    assert f"{2 * first} 秒" in _try(session, ana, PASSWORD, "10.0.0.66", later)
    assert _try(session, ana, PASSWORD, "10.0.0.66", later + timedelta(seconds=2 * first + 1)) == "ok"


def test_many_addresses_delay_account_only_briefly(session: Session, ana: str) -> None:
    """An attacker with many addresses, guessing every 30 s, slows everyone down on the account, but the real
    user never waits more than a minute: the account cannot be locked out."""
    now = utcnow()
    waits = []
    for i in range(16):
        now += timedelta(seconds=30)
        _try(session, ana, "wrong-guess-1", f"10.1.{i}.1", now)
        waits.append(wait_seconds(session, SETTINGS, ana, "10.0.0.7", now))
    assert 30 < max(waits) <= SETTINGS.login_account_max_delay
    assert _try(session, ana, PASSWORD, "10.0.0.7", now + timedelta(seconds=max(waits))) == "ok"


def test_lock_spraying_address_on_every_account(session: Session, system: Actor, ana: str) -> None:
    now = utcnow()
    for i in range(SETTINGS.login_address_max_failures):
        _fail(session, f"guess-{i}", "10.0.0.66", now, 1)
    assert "锁定" in _try(session, ana, PASSWORD, "10.0.0.66", now)
    assert _try(session, ana, PASSWORD, "10.0.0.7", now) == "ok"


def test_unknown_user_gets_same_message_and_lockout(session: Session, ana: str) -> None:
    now = utcnow()
    assert _try(session, "nobody", "wrong-guess-1", "10.0.0.5", now) == _try(
        session, ana, "wrong-guess-1", "10.0.0.5", now
    )
    _fail(session, "nobody", "10.0.0.6", now, SETTINGS.login_max_failures)
    _fail(session, ana, "10.0.0.6", now, SETTINGS.login_max_failures)
    assert _try(session, "nobody", "x", "10.0.0.6", now) == _try(session, ana, "x", "10.0.0.6", now)


def test_unknown_user_takes_as_long_as_wrong_password(session: Session, ana: str) -> None:
    def timed(username: str, address: str) -> float:
        start = time.perf_counter()
        _try(session, username, "wrong-guess-1", address, utcnow())
        return time.perf_counter() - start

    known = statistics.median(timed(ana, f"10.2.0.{i}") for i in range(3))
    unknown = statistics.median(timed("nobody", f"10.3.0.{i}") for i in range(3))
    assert unknown > 0.5 * known  # an Argon2 verification in both cases (without it: ~1 % of the time)


def test_disabled_user_answered_like_wrong_password(session: Session, system: Actor) -> None:
    user = create_user(session, system, "gone", PASSWORD, "analyst")
    user.is_active = False
    session.flush()
    assert _try(session, "gone", PASSWORD, "10.0.0.5", utcnow()) == "用户名或密码错误"


def test_admin_reset_clears_failures(session: Session, system: Actor, ana: str) -> None:
    now = utcnow()
    _fail(session, ana, "10.0.0.7", now, SETTINGS.login_max_failures)
    user_id = session.scalar(select(AuditEntry.entity_key).where(AuditEntry.action == "lockout"))
    assert user_id
    reset_password(session, system, int(user_id), "fresh-start-99")
    assert _try(session, ana, "fresh-start-99", "10.0.0.7", now) == "ok"


def test_audit_logins_failures_and_lockouts(session: Session, ana: str) -> None:
    now = utcnow()
    _fail(session, ana, "10.0.0.66", now, SETTINGS.login_max_failures)
    _fail(session, "nobody", "10.0.0.66", now, 1)
    assert _try(session, ana, PASSWORD, "10.0.0.7", now) == "ok"
    entries = session.scalars(select(AuditEntry).where(AuditEntry.entity == "users")).all()
    actions = [e.action for e in entries]
    assert actions.count("login_failure") == SETTINGS.login_max_failures + 1
    assert actions.count("lockout") == 1 and actions.count("login") == 1
    lockout = next(e for e in entries if e.action == "lockout")
    assert lockout.actor == "ana" and lockout.changes["address"] == "10.0.0.66"
    unknown = next(e for e in entries if e.changes.get("username") == "nobody")
    assert unknown.entity_key == "" and PASSWORD not in str([e.changes for e in entries])
