"""The 累计 forms of the catalogue are found by the import's header matching."""

from __future__ import annotations

from sqlalchemy.orm import Session

from zhizao.imports.headers import Catalogue


def test_match_cumulative_headers(session: Session) -> None:
    catalogue = Catalogue.load(session)
    found = {
        h: catalogue.match(h)
        for h in ("1-6月工业总产值(万元)", "1—12月累计用电量", "工业总产值累计", "当月工业总产值")
    }
    assert {h: m[0].id if m else None for h, m in found.items()} == {
        "1-6月工业总产值(万元)": "output_value_ytd",
        "1—12月累计用电量": "electricity_ytd",
        "工业总产值累计": "output_value_ytd",
        "当月工业总产值": "output_value",
    }
