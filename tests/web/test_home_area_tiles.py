"""The areas' cockpit tiles on the home page: key projects by status (each count a link to the list behind
it), for the roles that see them; nothing drawn where an area has nothing to show."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise
from tests.web.conftest import TestClient
from zhizao.auth.scope import Actor
from zhizao.monitoring import queries
from zhizao.projects.demo import load_demo_projects
from zhizao.projects.progress import status_counts

AsUser = Callable[..., TestClient]


def test_project_tile_counts_match_the_library_and_link_to_the_list(
    as_user: AsUser, session: Session, home_region: Callable[[str | None], None]
) -> None:
    home_region("370200")
    for k in range(12):
        add_enterprise(session, name=f"项目业主{k}有限公司", region_code="370211" if k % 2 else "370212")
    today = date.today()
    assert load_demo_projects(session, Actor.system(), today) > 0
    page = as_user("analyst").get("/").text
    tile = page.split('id="project-statuses"')[1].split("</div>")[0]
    shown = {
        key: int(n)
        for key, n in re.findall(r'data-status="(\w+)">[^<]*<strong class="ml-1 count">(\d+)', tile)
    }
    expected = {k: n for k, n in status_counts(session, Actor.system(), today).items() if n}
    assert shown == expected
    assert all(f'href="/projects?status={key}"' in tile for key in shown)
    assert "产业链 " not in page  # no chain loaded: no chain tile


def test_no_project_tile_without_projects(as_user: AsUser, home_region: Callable[[str | None], None]) -> None:
    home_region("370200")
    assert 'id="project-statuses"' not in as_user("analyst").get("/").text


def test_second_home_view_reads_the_kept_summaries(
    as_user: AsUser, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []
    analysis = queries.cockpit_tile

    def counted(session: Session, actor: Actor, indicator: str = "output_value") -> object:
        calls.append(actor.username)
        return analysis(session, actor, indicator)

    monkeypatch.setattr(queries, "cockpit_tile", counted)
    add_enterprise(session, name="驾驶舱缓存示例有限公司")
    client = as_user("analyst")
    first = client.get("/").text
    assert client.get("/").text.count("驾驶舱") == first.count("驾驶舱") and len(calls) == 1  # not again
    add_enterprise(session, name="驾驶舱缓存示例二有限公司")  # a change (audited): computed afresh
    client.get("/")
    assert len(calls) == 2
    client.cookies.clear()
    as_user("district", region_code="370211").get("/")  # another scope computes its own
    client.get("/")
    assert calls == ["analyst-user", "analyst-user", "district-user"]
