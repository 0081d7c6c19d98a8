"""Zip bombs and billion laughs sent to the web's upload forms: refused with a message, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from tests.office import bombs
from tests.web.conftest import TestClient, csrf_from
from zhizao.office.archives import BOMB

AsUser = Callable[..., TestClient]
XLSX_TYPE = "application/octet-stream"


def _post(client: TestClient, path: str, name: str, data: bytes, **fields: str) -> tuple[int, str]:
    token = csrf_from(client, "/")
    response = client.post(
        path, data={"csrf_token": token, **fields}, files={"file": (name, data, XLSX_TYPE)}
    )
    return response.status_code, response.text


def test_import_preview_refuses_xlsx_bombs(as_user: AsUser) -> None:
    client = as_user("admin")
    for data in (bombs.xlsx_bomb(), bombs.lying_xlsx()):
        status, text = _post(client, "/imports", "指标.xlsx", data, kind="figures")
        assert status == 400 and BOMB in text


def test_plan_upload_refuses_a_docx_bomb(as_user: AsUser) -> None:
    client = as_user("admin")
    status, text = _post(client, "/plans", "方案.docx", bombs.docx_bomb())
    assert status == 400 and BOMB in text


def test_observation_import_refuses_an_xlsx_bomb(as_user: AsUser) -> None:
    client = as_user("admin")
    status, text = _post(client, "/tracking/observations/import", "观测值.xlsx", bombs.xlsx_bomb())
    assert status == 400 and BOMB in text


def test_billion_laughs_give_no_server_error(as_user: AsUser) -> None:
    client = as_user("admin")
    assert _post(client, "/plans", "方案.docx", bombs.laughing_docx())[0] == 400
    assert _post(client, "/plans", "方案.html", bombs.laughing_html())[0] < 500
    assert _post(client, "/imports", "指标.xlsx", bombs.laughing_xlsx(), kind="figures")[0] == 400
    assert _post(client, "/tracking/observations/import", "观测值.xlsx", bombs.laughing_xlsx())[0] == 400
