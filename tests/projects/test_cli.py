"""`zhizao projects`: import with --dry-run/--yes and exit statuses, progress as JSON/table/xlsx, the form,
baselines, reminders, 达效 and settings."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from tests.cli.conftest import database  # noqa: F401  (the CLI tests' own database)
from tests.projects.conftest import HEADER, row, write_rows
from zhizao.cli import app
from zhizao.projects.models import Project, ProjectMonth

runner = CliRunner()
JSON_KEYS = {
    "year_plan",
    "year_actual",
    "completion_rate",
    "time_progress",
    "gap_pp",
    "status",
    "planned_starts",
    "actual_starts",
    "start_rate",
}


def _count(url: str, model: type) -> int:
    engine = create_engine(url)
    with Session(engine) as session:
        found = session.scalar(select(func.count()).select_from(model)) or 0
    engine.dispose()
    return found


def test_import_dry_run_then_apply_then_progress(database: str, tmp_path: Path) -> None:  # noqa: F811
    path = write_rows(
        tmp_path / "dd.xlsx",
        HEADER,
        [
            row(month=10, year_actual=6000, cumulative=6000),
            row(
                name="技改一号",
                code="2026-370212-34-03-000002",
                kind="技改项目",
                region="370212",
                annual=1000,
                month=10,
                year_actual=900,
                cumulative=900,
                start_planned=date(2026, 2, 1),
                start_actual=date(2026, 2, 1),
            ),
        ],
    )
    dry = runner.invoke(app, ["projects", "import", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "--dry-run: 未写入" in dry.output and _count(database, Project) == 0
    done = runner.invoke(app, ["projects", "import", str(path), "--yes"])
    assert done.exit_code == 0 and "已导入" in done.output, done.output
    assert (_count(database, Project), _count(database, ProjectMonth)) == (2, 2)
    result = runner.invoke(
        app, ["projects", "progress", "--as-of", "2026-10-31", "--group-by", "kind", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    groups = {g["key"]: g for g in data["groups"]}
    assert set(groups["重点项目"]) >= JSON_KEYS
    assert (groups["重点项目"]["completion_rate"], groups["重点项目"]["gap_pp"]) == (50.0, -33.3)
    assert (groups["技改项目"]["completion_rate"], groups["技改项目"]["status"]) == (90.0, "ahead")
    table = runner.invoke(app, ["projects", "progress", "--as-of", "2026-10-31", "--group-by", "region"])
    assert table.exit_code == 0 and "重点项目调度汇总 截至2026-10-31" in table.output
    out = tmp_path / "p.xlsx"
    xlsx = runner.invoke(
        app, ["projects", "progress", "--as-of", "2026-10-31", "--format", "xlsx", "--out", str(out)]
    )
    assert xlsx.exit_code == 0 and load_workbook(out).active["A1"].value == "重点项目调度汇总"  # type: ignore[index]


def test_import_bad_file_exits_1_with_report(database: str, tmp_path: Path) -> None:  # noqa: F811
    path = write_rows(tmp_path / "bad.xlsx", HEADER, [row(kind="未知类型")])
    result = runner.invoke(app, ["projects", "import", str(path), "--yes"])
    assert result.exit_code == 1
    assert (tmp_path / "bad-错误报告.xlsx").exists() and _count(database, Project) == 0
    unusable = tmp_path / "x.xlsx"
    unusable.write_bytes(b"not a workbook")
    assert runner.invoke(app, ["projects", "import", str(unusable)]).exit_code == 2


def test_form_baseline_remind_effect_settings(database: str, tmp_path: Path) -> None:  # noqa: F811
    path = write_rows(tmp_path / "dd.xlsx", HEADER, [row(month=6)])
    assert runner.invoke(app, ["projects", "import", str(path), "--yes"]).exit_code == 0
    out = tmp_path / "form.xlsx"
    result = runner.invoke(app, ["projects", "form", "--month", "2026-07", "--out", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert "1 个项目" in runner.invoke(app, ["projects", "baseline", "--year", "2026"]).output
    remind = runner.invoke(app, ["projects", "remind", "--month", "2026-07", "--today", "2026-08-20"])
    assert remind.exit_code == 0 and "2026-08-07" in remind.output and "2026年7月调度未报送" in remind.output
    assert runner.invoke(app, ["projects", "effect", "--as-of", "2026-12-31"]).exit_code == 0
    changed = runner.invoke(
        app, ["projects", "settings", "--add-kind", "专项债项目", "--rounding", "truncate"]
    )
    assert changed.exit_code == 0 and "专项债项目" in changed.output and "截断" in changed.output
    bad = runner.invoke(app, ["projects", "settings", "--rounding", "ceil"])
    assert bad.exit_code == 1
