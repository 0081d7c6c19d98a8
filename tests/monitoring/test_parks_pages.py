"""Parks and firm lists imported from the web: the file is checked first (nothing written, problems listed
with their row and column), then imported on confirmation and audited; only the bureau may import."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.web.conftest import app, as_user, client, csrf_from  # noqa: F401  (the web fixtures)
from zhizao.audit.models import AuditEntry
from zhizao.monitoring.models import FirmGroup, FirmGroupMember

from .conftest import HUANGDAO, Stored


def _file(rows: list[str]) -> dict[str, tuple[str, bytes, str]]:
    text = "园区名称,统一社会信用代码,园区级别\n" + "\n".join(rows) + "\n"
    return {"file": ("园区名录.csv", text.encode("utf-8"), "text/csv")}


def _members(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(FirmGroupMember)) or 0)


def test_parks_import_previews_then_writes_on_confirmation(
    session: Session,
    stored: Stored,
    as_user: Callable[..., Any],  # noqa: F811
) -> None:
    web = as_user("analyst")
    token = csrf_from(web, "/account/password")
    rows = [f"示例高新区,{stored.up.credit_code},国家级", f"示例高新区,{stored.down.credit_code},国家级"]
    preview = web.post("/monitoring/parks", data={"kind": "park", "csrf_token": token}, files=_file(rows))
    assert preview.status_code == 200
    assert "将导入 1 个园区，共 2 家成员企业" in preview.text
    assert _members(session) == 0  # checked only
    confirm = re.search(r'action="(/monitoring/parks/[0-9a-f]{32}/confirm)"', preview.text)
    assert confirm is not None
    done = web.post(confirm.group(1), data={"csrf_token": token})
    assert done.status_code == 303 and done.headers["location"] == "/monitoring/parks?done=1"
    assert _members(session) == 2
    park = session.scalars(select(FirmGroup)).one()
    assert (park.name, park.level, park.kind) == ("示例高新区", "国家级", "park")
    audit = session.scalars(
        select(AuditEntry).where(AuditEntry.entity == "firm_groups", AuditEntry.action == "import")
    ).one()
    assert (audit.actor, audit.changes["members"]) == ("analyst-user", 2)
    listing = web.get("/monitoring/parks?done=1").text
    assert "示例高新区" in listing and "已导入 1 个园区或名单" in listing
    again = web.post(confirm.group(1), data={"csrf_token": token})  # the upload is gone once used
    assert again.status_code == 404


def test_parks_import_lists_problems_and_writes_nothing(
    session: Session,
    stored: Stored,
    as_user: Callable[..., Any],  # noqa: F811
) -> None:
    web = as_user("admin")
    token = csrf_from(web, "/account/password")
    rows = [f"示例高新区,{stored.up.credit_code},", ",91370211MA0000000X,"]
    response = web.post("/monitoring/parks", data={"kind": "park", "csrf_token": token}, files=_file(rows))
    assert response.status_code == 400
    assert "名称不能为空" in response.text and "未写入任何数据" in response.text
    assert "confirm" not in response.text
    assert _members(session) == 0


def test_district_may_not_import_parks(
    stored: Stored,
    as_user: Callable[..., Any],  # noqa: F811
) -> None:
    web = as_user("district", region_code=HUANGDAO)
    assert web.get("/monitoring/parks").status_code == 403
    token = csrf_from(web, "/account/password")
    response = web.post("/monitoring/parks", data={"kind": "park", "csrf_token": token}, files=_file([]))
    assert response.status_code == 403
