from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput
from zhizao.monitoring.models import FirmGroupMember
from zhizao.monitoring.parks import import_groups, list_groups
from zhizao.monitoring.queries import run_analysis

from .conftest import YEAR, Stored

ADMIN = Actor.system()


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "parks.csv"
    path.write_text("园区名称,统一社会信用代码,园区级别\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_import_parks_and_analyse_by_park(session: Session, stored: Stored, tmp_path: Path) -> None:
    path = _csv(
        tmp_path,
        [f"示例高新区,{stored.up.credit_code},国家级", f"示例高新区,{stored.down.credit_code},国家级"],
    )
    result = import_groups(session, ADMIN, path)
    assert (result.groups, result.members) == (1, 2)
    assert [(g.name, g.level, n) for g, n in list_groups(session)] == [("示例高新区", "国家级", 2)]
    (park,) = run_analysis(session, ADMIN, YEAR, 3, by="park").groups
    assert park.name == "示例高新区" and park.growth == pytest.approx(-5.0)
    assert park.value_cum == pytest.approx(360 + 210) and park.firms == 2


def test_import_parks_refuses_unknown_firm_and_writes_nothing(
    session: Session, stored: Stored, tmp_path: Path
) -> None:
    path = _csv(tmp_path, [f"示例高新区,{stored.up.credit_code},", "示例高新区,91370211MA0000000X,"])
    with pytest.raises(InvalidInput, match="不在企业名录中"):
        import_groups(session, ADMIN, path)
    assert session.scalar(select(func.count()).select_from(FirmGroupMember)) == 0
