"""The chain pages as each role sees them: the 七个一 checklist and the map on the chain page, a district's
totals of its own region, a node's firms (the map's click, an htmx fragment), a decision, the ladder."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.chains.conftest import OURS, ChainWorld, chain_yaml
from tests.web.conftest import csrf_from
from zhizao.auth.scope import Actor
from zhizao.chains import clusters, members, store
from zhizao.chains.definition import parse_definition

Login = Callable[..., TestClient]


def _map(html: str) -> dict:
    found = re.search(r'<script type="application/json" id="chain-map-options">(.*?)</script>', html, re.S)
    assert found
    return json.loads(found.group(1))


def test_chain_page_shows_checklist_map_and_gaps(
    session: Session, system: Actor, world: ChainWorld, as_user: Login
) -> None:
    store.load_definition(session, system, parse_definition(chain_yaml(2023)), "")
    members.assign_by_rule(session, system, world.chain, 2023)
    members.assign_by_rule(session, system, world.chain, 2024)
    members.add_member(session, system, world.chain.id, 2024, "materials", world.unrelated.id)
    client = as_user("admin")
    page = client.get(f"/chains/{world.chain.id}")
    assert page.status_code == 200
    assert "一个主导部门" in page.text and "市工业和信息化局" in page.text
    assert (
        f'href="/projects?chain={world.chain.code}"' in page.text
    )  # the chain's projects, in the projects area
    options = _map(page.text)
    nodes = {n["id"]: n for n in options["series"][0]["data"]}
    assert nodes["vehicles"]["itemStyle"]["color"] == "#f0ad4e"  # 弱链: one firm
    assert nodes["cells"]["symbolSize"] > nodes["materials"]["symbolSize"]
    diff = page.text.split('id="chain-diff"')[1].split("</ul>")[0]
    assert "补链" in diff and "本区食品厂" in diff
    assert {"source": "cells", "target": "vehicles"}.items() <= options["series"][0]["links"][1].items()
    gaps = page.text.split('id="chain-gaps"')[1]
    assert "整车" in gaps and "弱链" in gaps
    listing = client.get("/chains")
    assert "测试产业链" in listing.text


def test_district_sees_its_region_only(
    session: Session, system: Actor, world: ChainWorld, as_user: Login
) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    client = as_user("district", region_code=OURS)
    data = client.get(f"/api/v1/chains/{world.chain.id}").json()
    assert data["totals"]["firms"] == 2 and data["totals"]["output_value"] == 2000.0
    fragment = client.get(f"/chains/{world.chain.id}/nodes/cells?year=2024", headers={"HX-Request": "true"})
    assert "本区电池一厂" in fragment.text and "他区电池二厂" not in fragment.text
    assert "<html" not in fragment.text


def test_enterprise_sees_only_itself(
    session: Session, system: Actor, world: ChainWorld, as_user: Login
) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    client = as_user("enterprise", enterprise_id=world.cells_ours.id)
    data = client.get(f"/api/v1/chains/{world.chain.id}").json()
    assert data["totals"]["firms"] == 1 and {n["gap"] for n in data["nodes"]} == {None}
    page = client.get(f"/chains/{world.chain.id}/nodes/cells")
    assert "本区电池一厂" in page.text and "他区电池二厂" not in page.text


def test_decide_from_node_page(session: Session, system: Actor, world: ChainWorld, as_user: Login) -> None:
    members.assign_by_rule(session, system, world.chain, 2024)
    client = as_user("district", region_code=OURS)
    row = next(
        r for r in members.member_rows(session, system, world.chain.id, 2024) if r.name == "本区电池一厂"
    )
    token = csrf_from(client, f"/chains/{world.chain.id}")
    response = client.post(
        f"/chains/members/{row.id}", data={"action": "move", "node_code": "materials", "csrf_token": token}
    )
    assert response.status_code == 303 and response.headers["location"].endswith("/nodes/materials?year=2024")
    assert [r.name for r in members.member_rows(session, system, world.chain.id, 2024, "materials")] == [
        "本区电池一厂"
    ]


def test_cluster_ladder_page(session: Session, system: Actor, world: ChainWorld, as_user: Login) -> None:
    clusters.load_clusters(
        session,
        system,
        "clusters:\n  - {code: b, name: 电池集群, level: national, industry_codes: ['384']}\n",
    )
    page = as_user("admin").get("/chains/clusters?year=2024")
    assert page.status_code == 200 and "电池集群" in page.text and "国家级先进制造业集群" in page.text
    assert 'data-chart="chart-ladder"' in page.text
