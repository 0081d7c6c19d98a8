"""`zhizao index regional` on a database of its own: the regions under home ranked, targets' origin said."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from tests.conftest import add_enterprise
from tests.web.test_regional_index_pages import FIGURES, held
from zhizao.cli import app
from zhizao.composite.demo import load_demo_index_series
from zhizao.db.session import session_scope


def test_index_regional_writes_the_ranking(
    database: str, home_region: Callable[[str | None], None], tmp_path: Path
) -> None:
    home_region("370200")
    with session_scope() as session:
        for k, region in enumerate(("370211", "370212", "370213")):
            figures = {
                name: value * (1 + 0.2 * k) ** (j + 1) for j, (name, value) in enumerate(FIGURES.items())
            }
            firm = add_enterprise(session, region_code=region, figures={2024: figures})
            session.add_all([held(firm.id, "gaoqi"), held(firm.id, "zhuanjingtexin")] if k else [])
        load_demo_index_series(session, (2024,))
    out = tmp_path / "index.csv"
    result = CliRunner().invoke(app, ["index", "regional", "--year", "2024", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "3 个地区" in result.output and "数据不足而未参与排名: 370202" in result.output
    assert "rd_intensity 目标值 2.2: 取自定义文件" in result.output
    table = pd.read_csv(out, dtype={"region_code": str})
    ranked = table[table["rank"].notna()]
    assert sorted(ranked.region_code) == ["370211", "370212", "370213"]
    assert sorted(ranked["rank"]) == [1, 2, 3]
    missing = CliRunner().invoke(app, ["index", "regional", "--year", "2019", "--out", str(out)])
    assert missing.exit_code == 1 and "没有任何数据" in missing.output
