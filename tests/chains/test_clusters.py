"""The cluster registry: members by rule or by list, totals against the scale thresholds, the ladder."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from tests.chains.conftest import OURS, ChainWorld
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.chains import clusters
from zhizao.errors import InvalidInput

FILE = f"""
clusters:
  - {{code: batteries, name: 电池集群, level: provincial_advanced, industry_codes: ["384"],
     target_level: national, target_scale: 0.2}}
  - {{code: local-cars, name: 整车集群, level: national, region: "{OURS}", industry_codes: ["36"]}}
"""


def test_load_clusters_and_ladder(session: Session, system: Actor, world: ChainWorld) -> None:
    loaded = clusters.load_clusters(session, system, FILE)
    assert [(c.code, n) for c, n in loaded] == [("batteries", 2), ("local-cars", 1)]
    rows = clusters.cluster_rows(session, system, 2024)
    assert [r.cluster.code for r in rows] == ["local-cars", "batteries"]  # higher level first
    batteries = rows[1]
    assert batteries.output_yi == pytest.approx(0.13) and batteries.target_share == pytest.approx(0.65)
    assert batteries.level_label == "省级先进制造业集群" and batteries.scale == ""
    options = clusters.ladder_options(rows)
    assert options["series"][0]["markLine"]["data"][0] == {"xAxis": 1000.0, "name": "千亿级"}
    district = clusters.cluster_rows(session, Actor("d", Role.DISTRICT, region_code=OURS), 2024)
    assert next(r for r in district if r.cluster.code == "batteries").firms == 1


def test_refuse_bad_cluster_file(session: Session, system: Actor, world: ChainWorld) -> None:
    with pytest.raises(InvalidInput) as caught:
        clusters.load_clusters(
            session, system, FILE.replace("level: national, region", "level: galactic, region")
        )
    assert caught.value.problems[0].column == "clusters.1.level"
    with pytest.raises(InvalidInput, match=r"members\.0"):
        clusters.load_clusters(
            session, system, "clusters:\n  - {code: x, name: X, level: national, members: [NOPE]}\n"
        )
