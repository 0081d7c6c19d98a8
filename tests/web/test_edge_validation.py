"""Input checked at the edge: ids out of range, NUL bytes in text are a 4xx, never a 500
(PostgreSQL integers end at 2^31−1, SQLite's at 2^63−1, and PostgreSQL text cannot hold NUL)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.web.conftest import TestClient, csrf_from
from zhizao.errors import InvalidInput
from zhizao.web import validation
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


def test_validation_errors_speak_chinese_on_pages_and_in_the_api(as_user: AsUser) -> None:
    client = as_user("analyst")
    page = client.get("/enterprises?page=0&per_page=abc")
    assert page.status_code == 400
    assert (
        "页码" in page.text
        and "不能小于 1" in page.text
        and "每页条数" in page.text
        and "应为整数" in page.text
    )
    assert "Input should" not in page.text
    api = client.get("/api/v1/enterprises?page=abc").json()
    assert api["detail"] == "输入有误"
    assert api["problems"][0]["message"] == "应为整数" and api["problems"][0]["column"] == "页码"


def test_validation_messages_by_error_type() -> None:
    from zhizao.web.validation import field_name, message

    assert message({"type": "missing"}) == "必须填写"
    assert message({"type": "less_than_equal", "ctx": {"le": 200}}) == "不能大于 200"
    assert message({"type": "value_error", "ctx": {"error": "月份应为 1-12"}}) == "月份应为 1-12"
    assert message({"type": "something_new", "msg": "Input is odd"}) == "取值不正确"
    assert (
        field_name(("query", "year")) == "年份"
        and field_name(("body", "items", 0, "region_code")) == "地区代码"
    )


@pytest.mark.parametrize(
    ("kind", "ctx", "expected"),
    [
        ("greater_than_equal", {"ge": 1}, "不能小于 1"),
        ("greater_than", {"gt": 0}, "应大于 0"),
        ("less_than_equal", {"le": 200}, "不能大于 200"),
        ("less_than", {"lt": 10}, "应小于 10"),
        ("string_too_long", {"max_length": 100}, "最多 100 个字符"),
        ("string_too_short", {"min_length": 2}, "至少 2 个字符"),
        ("too_long", {"max_length": 5}, "最多 5 项"),
        ("literal_error", {"expected": "'plan' or 'baseline'"}, "应为以下之一：'plan' or 'baseline'"),
        ("int_parsing", {}, "应为整数"),
        ("something_new", {}, "取值不正确"),
    ],
)
def test_validation_messages_in_chinese(kind: str, ctx: dict[str, object], expected: str) -> None:
    assert validation.message({"type": kind, "ctx": ctx, "msg": "English"}) == expected
