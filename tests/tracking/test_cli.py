from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from docx import Document
from typer.testing import CliRunner

from tests.conftest import migrate_for_region
from tests.tracking.conftest import GXJ, SWJ, build_sample
from zhizao.cli import app
from zhizao.config import get_settings
from zhizao.db.session import get_engine, session_scope


@pytest.fixture
def cli_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[int]:
    """A migrated SQLite file with the sample plan committed, used by the CLI through the settings."""
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    migrate_for_region(url)
    monkeypatch.setenv("ZHIZAO_DATABASE_URL", url)
    monkeypatch.setenv("ZHIZAO_UPLOAD_DIR", str(tmp_path / "uploads"))
    get_settings.cache_clear()
    get_engine.cache_clear()
    with session_scope() as session:
        plan_id = build_sample(session).plan.id
    yield plan_id
    get_engine().dispose()
    get_engine.cache_clear()
    get_settings.cache_clear()


def test_remind_prints_alerts_by_unit(cli_db: int) -> None:
    result = CliRunner().invoke(app, ["remind", "--as-of", "2024-07-01"])
    assert result.exit_code == 0, result.output
    assert GXJ in result.output
    assert "[逾期]" in result.output
    only = CliRunner().invoke(app, ["remind", "--as-of", "2024-07-01", "--unit", SWJ, "--json"])
    assert only.exit_code == 0, only.output
    assert '"due_soon"' in only.output
    assert GXJ not in only.output


def test_remind_rejects_bad_date_and_unknown_unit(cli_db: int) -> None:
    assert CliRunner().invoke(app, ["remind", "--as-of", "2024-13-01"]).exit_code == 1
    assert CliRunner().invoke(app, ["remind", "--unit", "不存在的局"]).exit_code == 1


def test_report_bulletin_and_ledger_write_files(cli_db: int, tmp_path: Path) -> None:
    docx_path, xlsx_path = tmp_path / "通报.docx", tmp_path / "台账.xlsx"
    masthead = ["--number", "X工信督〔2024〕6号", "--cc", "市政府办公厅", "--cc", "市委督查室"]
    made = CliRunner().invoke(
        app,
        [
            "report",
            "bulletin",
            "--plan",
            str(cli_db),
            "--month",
            "2024-06",
            "--out",
            str(docx_path),
            *masthead,
        ],
    )
    assert made.exit_code == 0, made.output
    doc = Document(str(docx_path))
    assert "X工信督〔2024〕6号" in [p.text for p in doc.paragraphs]
    assert doc.tables[-1].rows[0].cells[0].text == "抄送：市政府办公厅，市委督查室。"
    made = CliRunner().invoke(app, ["report", "ledger", "--plan", str(cli_db), "--out", str(xlsx_path)])
    assert made.exit_code == 0, made.output
    assert xlsx_path.read_bytes()[:2] == b"PK"
    bad = CliRunner().invoke(app, ["report", "bulletin", "--plan", "999", "--month", "2024-6x", "--out", "x"])
    assert bad.exit_code == 1
