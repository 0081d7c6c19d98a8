"""schemathesis against /openapi.json, bounded: every operation of the JSON API gets a fixed number of
generated requests (valid ones, and ones that break the schema: ids past 2^31 and 2^63, NUL bytes, wrong
types), logged in as an administrator, with a fixed seed. None may end in a server error."""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from sqlalchemy.orm import Session

from tests.evaluation.city import add_city
from tests.web.conftest import TestClient, csrf_from
from zhizao.auth.scope import Actor
from zhizao.evaluation.runs import run_and_store

EXAMPLES = 20  # per operation and generation mode
BUDGET_SECONDS = 50.0


def _send(client: TestClient, case: Any, token: str) -> Any:
    kwargs = case.as_transport_kwargs(base_url="http://127.0.0.1", headers={"X-CSRF-Token": token})
    kwargs.pop("cookies", None)
    if isinstance(kwargs.get("data"), bytes | str):  # a raw body (httpx wants it as content)
        kwargs["content"] = kwargs.pop("data")
    return client.request(**kwargs)


def _fuzz(strategy: Any, client: TestClient, token: str, errors: list[str]) -> None:
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case: Any) -> None:
        try:
            response = _send(client, case, token)
        except Exception as exc:  # the test client re-raises what the app did not handle: a server error
            errors.append(f"{case.method} {case.formatted_path} -> {exc!r}: {case.as_curl_command()}")
            return
        if response.status_code >= 500:
            errors.append(
                f"{case.method} {case.formatted_path} -> {response.status_code}: {case.as_curl_command()}"
            )

    with contextlib.suppress(Unsatisfiable):  # nothing to break (no parameters): the positive run covers it
        check()


@pytest.mark.parametrize(
    "mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=["positive", "negative"]
)
def test_api_gives_no_server_error(
    app: FastAPI, as_user: Any, session: Session, mode: GenerationMode
) -> None:
    add_city(session, "模糊测试企业")
    run_and_store(session, Actor.system(), "huaian-2024", 2024)
    client = as_user("admin")
    token = csrf_from(client, "/account/password")
    schema = schemathesis.openapi.from_dict(app.openapi())  # /openapi.json itself is for signed-in users
    errors: list[str] = []
    started = time.monotonic()
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15  # the whole API is covered, not an empty schema

    for operation in operations:
        _fuzz(operation.as_strategy(generation_mode=mode), client, token, errors)
    elapsed = time.monotonic() - started
    assert not errors, "\n".join(dict.fromkeys(errors))
    assert elapsed < BUDGET_SECONDS, f"the fuzz took {elapsed:.0f} s"
