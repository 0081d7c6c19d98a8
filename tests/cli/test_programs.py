from __future__ import annotations

import csv
import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.cultivation.models import CultivationRun
from zhizao.db.session import make_engine
from zhizao.enterprises.models import Enterprise


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_programs_list_shows_versions_of_the_day() -> None:
    output = _invoke("programs", "list", "--as-of", "2026-04-01")
    assert "zhuanjingtexin-2026" in output and "2026-04-01" in output


def test_programs_run_writes_one_row_per_enterprise_and_programme(database: str, tmp_path: Path) -> None:
    _invoke("demo", "--size", "40", "--registry-only", "--region", "370200")
    out = tmp_path / "above.csv"
    _invoke(
        "programs", "run", "--program", "above-scale", "--as-of", "2026-06-30", "--out", str(out), "--store"
    )
    with out.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 40
    assert list(rows[0]) == ["credit_code", "program", "status", "level", "criteria"]
    criteria = json.loads(rows[0]["criteria"])
    assert {"id", "status", "value", "threshold", "gap", "source"} <= set(criteria[0])
    again = _invoke("programs", "run", "--program", "above-scale", "--as-of", "2026-06-30", "--store")
    assert "没有变化" in again
    engine = make_engine(database)
    with Session(engine) as session:
        assert len(session.scalars(select(CultivationRun)).all()) == 2
        code = session.scalars(select(Enterprise.credit_code)).first()
    engine.dispose()
    explained = _invoke("programs", "explain", str(code), "--program", "sme", "--as-of", "2026-06-30")
    assert "企业规模" in explained


def test_programs_run_rejects_a_bad_date(database: str) -> None:
    result = CliRunner().invoke(app, ["programs", "run", "--as-of", "2026-13-01"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output


def test_programs_titles_import_and_due(database: str, tmp_path: Path) -> None:
    _invoke("demo", "--size", "5", "--registry-only", "--region", "370200")
    engine = make_engine(database)
    with Session(engine) as session:
        code = session.scalars(select(Enterprise.credit_code)).first()
    engine.dispose()
    listing = tmp_path / "名单.csv"
    listing.write_text(f"统一社会信用代码,企业名称\n{code},\n,查无此企业\n", encoding="utf-8")
    options = ("--title", "gaoqi", "--year", "2024")
    dry = _invoke("programs", "titles-import", str(listing), *options, "--dry-run")
    assert "试运行" in dry and "第3行 未匹配" in dry
    _invoke("programs", "titles-import", str(listing), *options)
    due = _invoke("programs", "titles-due", "--as-of", "2026-10-01", "--days", "120")
    assert "高新技术企业" in due and "2026-12-31" in due
