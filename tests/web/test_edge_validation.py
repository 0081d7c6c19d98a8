"""Input checked at the edge: ids out of range, NUL bytes in text are a 4xx, never a 500
(PostgreSQL integers end at 2^31−1, SQLite's at 2^63−1, and PostgreSQL text cannot hold NUL)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import TestClient, csrf_from
from zhizao.errors import InvalidInput
from zhizao.web.params import MAX_ID, parse_id

AsUser = Callable[..., TestClient]
HUGE = (MAX_ID + 1, 2**63, 2**64 + 5, 0, -1)


@pytest.mark.parametrize("value", HUGE)
def test_ids_out_of_range_in_paths_and_queries_are_refused(as_user: AsUser, value: int) -> None:
    client = as_user("admin")
    for path in (
        f"/enterprises/{value}",
        f"/api/v1/enterprises/{value}",
        f"/plans/{value}",
        f"/tracking/tasks/{value}",
        f"/api/v1/evaluation/runs/{value}",
        f"/tracking/tasks?plan_id={value}",
        f"/evaluation/compare?a={value}&b=1",
    ):
        status = client.get(path).status_code
        assert status in (400, 422), (path, status)


def test_largest_id_is_a_plain_not_found(as_user: AsUser) -> None:
    client = as_user("admin")
    assert client.get(f"/api/v1/enterprises/{MAX_ID}").status_code == 404
    assert client.get(f"/tracking/attachments/{MAX_ID}").status_code == 404


def test_nul_bytes_in_query_form_and_json_are_refused(as_user: AsUser) -> None:
    client = as_user("admin")
    assert client.get("/api/v1/enterprises?q=a%00b").status_code == 422
    assert client.get("/enterprises?q=%00").status_code == 400
    token = csrf_from(client, "/admin/users")
    form = {"username": "x\x00y", "password": "long-enough-9", "role": "analyst", "csrf_token": token}
    assert client.post("/admin/users", data=form).status_code == 400
    body = {"reported_on": "2024-06-01", "text": "a\u0000b", "status": "推进中"}
    response = client.post(
        "/api/v1/tracking/assignments/1/reports", json=body, headers={"X-CSRF-Token": token}
    )
    assert response.status_code == 422


def test_ordinary_text_still_passes(as_user: AsUser) -> None:
    client = as_user("admin")
    assert client.get("/api/v1/enterprises?q=%E6%99%BA%E9%80%A0").status_code == 200


def test_parse_id_accepts_ascii_digits_in_range_only() -> None:
    assert parse_id(" 42 ") == 42 and parse_id("") is None
    for bad in ("²", "٣", "0", str(MAX_ID + 1), "1e3", "-1"):
        with pytest.raises(InvalidInput):
            parse_id(bad)
