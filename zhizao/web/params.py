"""Input checked at the edge, so no request reaches the database with a value it cannot hold.

- Ids: one annotated type for every id in a path (`Id`) or a query (`QueryId`, `OptionalQueryId`): a whole
  number from 1 to 2^31−1, the range of a PostgreSQL `integer` primary key (SQLite would take up to 2^63−1,
  but one rule for both keeps the answer the same on either database). Out of range is a 400/422, never a
  500 from the driver.
- Ids typed into forms (`parse_id`): ASCII digits only (`"²".isdigit()` is true, `int("²")` fails), in range.
- Text: a NUL byte in the path, the query string, a form field or a JSON body is refused (PostgreSQL cannot
  store it in text), as is a query string that is not UTF-8. Uploaded files are bytes and are not checked
  here; their readers check them.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import Path, Query, Request
from starlette.datastructures import UploadFile

from zhizao.errors import InvalidInput

MAX_ID = 2**31 - 1  # PostgreSQL integer
_DIGITS = re.compile(r"[0-9]{1,10}")
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
NUL_MESSAGE = "输入中含有不允许的控制字符 (NUL)"

Id = Annotated[int, Path(ge=1, le=MAX_ID, description="编号 (1 至 2147483647)")]
QueryId = Annotated[int, Query(ge=1, le=MAX_ID, description="编号 (1 至 2147483647)")]
OptionalQueryId = Annotated[int | None, Query(ge=1, le=MAX_ID, description="编号 (1 至 2147483647)")]


def parse_id(text: str | None, what: str = "编号") -> int | None:
    """An id typed into a form: None when blank, InvalidInput unless 1–2^31−1 in ASCII digits."""
    value = (text or "").strip()
    if not value:
        return None
    if not _DIGITS.fullmatch(value) or not 1 <= int(value) <= MAX_ID:
        raise InvalidInput(f"{what}应为 1 至 {MAX_ID} 之间的整数")
    return int(value)


def _has_nul(text: str) -> bool:
    return "\x00" in text


async def reject_bad_text(request: Request) -> None:
    """App-wide dependency: refuse NUL bytes in the path, the query, form fields and JSON bodies (400 for
    pages, 422 for the API, through the usual InvalidInput handler)."""
    raw_query: bytes = request.scope.get("query_string", b"")
    try:
        raw_query.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("查询参数不是有效的 UTF-8 文本") from None
    if _has_nul(request.url.path) or any(
        _has_nul(k) or _has_nul(v) for k, v in request.query_params.multi_items()
    ):
        raise InvalidInput(NUL_MESSAGE)
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    content_type = request.headers.get("content-type", "")
    if content_type.startswith(FORM_TYPES):
        form = await request.form()
        for key, value in form.multi_items():
            name = value.filename or "" if isinstance(value, UploadFile) else value
            if _has_nul(key) or _has_nul(name):
                raise InvalidInput(NUL_MESSAGE)
    elif "json" in content_type:
        body = await request.body()
        if b"\x00" in body or b"\\u0000" in body:
            raise InvalidInput(NUL_MESSAGE)
