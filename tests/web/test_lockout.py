"""The lockout message says how long to wait, in the page's language."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.web.conftest import add_user, csrf_from
from zhizao.auth.users import wait_text
from zhizao.web.i18n import LANG_COOKIE


def _fail(client: TestClient, times: int) -> str:
    text = ""
    for _ in range(times):
        token = csrf_from(client)
        response = client.post("/login", data={"username": "lu", "password": "wrong-1", "csrf_token": token})
        text = response.text
    return text


def test_lockout_message_says_how_long_in_chinese_and_english(client: TestClient, session: Session) -> None:
    add_user(session, "lu", "analyst")
    limit = client.app.state.settings.login_max_failures  # type: ignore[attr-defined]
    seconds = client.app.state.settings.login_lockout_seconds  # type: ignore[attr-defined]
    text = _fail(client, limit + 1)
    assert re.search(r"请 (29\d|300) 秒（约 5 分钟） 后再试", text), seconds  # a second may have passed
    client.cookies.set(LANG_COOKIE, "en")
    text = _fail(client, 1)
    assert "please try again in" in text and "seconds" in text


def test_wait_text_gives_minutes_for_long_waits() -> None:
    assert wait_text(30) == "30 秒"
    assert wait_text(300) == "300 秒（约 5 分钟）"
    assert wait_text(300, english=True) == "300 seconds (about 5 minutes)"
