from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from tests.conftest import migrate_for_region
from zhizao.cli import app
from zhizao.config import get_settings
from zhizao.db.session import get_engine, session_scope

from .conftest import HUANGDAO, store_firms


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrate_for_region(url)
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", url)
    get_settings.cache_clear()
    get_engine.cache_clear()
    with session_scope() as session:
        store_firms(session)
    yield
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_monitor_run_json_shape(cli_db: None) -> None:
    result = CliRunner().invoke(app, ["monitor", "run", "--month", "2025-03", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    keys = {"value_cum", "value_cum_prev", "growth", "contribution_pp", "growth_breadth"}
    assert keys <= set(data["total"]) and all(keys <= set(g) for g in data["groups"])
    by_group = {g["group"]: g for g in data["groups"]}
    assert by_group[HUANGDAO]["contribution_pp"] == pytest.approx(10.0)
    assert data["total"]["growth"] == pytest.approx(-5.0)


def test_monitor_run_table_warnings_and_report(cli_db: None, tmp_path: Path) -> None:
    runner = CliRunner()
    table = runner.invoke(app, ["monitor", "run", "--month", "2025-03", "--group-by", "division"])
    assert table.exit_code == 0 and "合计" in table.output
    warnings = runner.invoke(app, ["monitor", "warnings", "--month", "2025-03"])
    assert warnings.exit_code == 0 and "累计用电量大幅下降" in warnings.output
    out = tmp_path / "运行分析.docx"
    report = runner.invoke(app, ["report", "operations", "--month", "2025-03", "--out", str(out)])
    assert report.exit_code == 0, report.output
    assert "工业运行分析" in Document(io.BytesIO(out.read_bytes())).paragraphs[0].text


def test_monitor_run_refuses_bad_input(cli_db: None) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["monitor", "run", "--month", "2025-13"]).exit_code != 0
    bad = runner.invoke(app, ["monitor", "run", "--month", "2025-03", "--group-by", "colour"])
    assert bad.exit_code != 0 and "不支持的分组" in bad.output
