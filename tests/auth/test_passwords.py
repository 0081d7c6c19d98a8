"""The password policy: length, not the user name, not a common password; on create, change and reset."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from zhizao.auth.passwords import check_password_policy, common_passwords
from zhizao.auth.scope import Actor
from zhizao.auth.users import change_password, create_user, reset_password
from zhizao.demo.accounts import DEMO_PASSWORD, demo_accounts, enterprise_account
from zhizao.errors import InvalidInput


@pytest.mark.parametrize(
    ("password", "username", "rule"),
    [
        ("12345678", "li", "至少10位"),
        ("1234567890", "li", "过于常见"),
        ("Password123", "li", "过于常见"),
        ("zhangsan-2024", "zhangsan", "用户名"),
        ("ZhangSan2024!", "zhangsan", "用户名"),
        ("wang-xiaoming", "wang-xiaoming", "用户名"),
    ],
)
def test_refuse_weak_password(password: str, username: str, rule: str) -> None:
    with pytest.raises(InvalidInput, match=rule):
        check_password_policy(password, username)


def test_accept_strong_password() -> None:
    check_password_policy("correct-horse-9", "li")


def test_common_password_list_is_shipped() -> None:
    assert len(common_passwords()) > 10_000 and "qwertyuiop" in common_passwords()


def test_demo_password_passes_policy() -> None:
    for region in ("370200", "370700", "370000"):
        for account in (*demo_accounts(region), enterprise_account(region)):
            check_password_policy(DEMO_PASSWORD, account.username)


def test_policy_applies_to_create_change_and_reset(session: Session, system: Actor) -> None:
    with pytest.raises(InvalidInput, match="至少10位"):
        create_user(session, system, "li", "12345678", "analyst")
    with pytest.raises(InvalidInput, match="用户名"):
        create_user(session, system, "zhang-wei-01", "zhang-wei-01", "analyst")
    user = create_user(session, system, "li", "correct-horse-9", "analyst")
    me = Actor.from_user(user)
    with pytest.raises(InvalidInput, match="过于常见"):
        change_password(session, me, "correct-horse-9", "1q2w3e4r5t", "1q2w3e4r5t")
    with pytest.raises(InvalidInput, match="用户名"):
        reset_password(session, system, user.id, "li-li-li-li-li")
