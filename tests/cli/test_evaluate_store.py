from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from zhizao.cli import app
from zhizao.db.session import make_engine
from zhizao.evaluation.models import EvaluationResult, EvaluationRun


def _evaluate(out: Path, *extra: str) -> str:
    args = ["evaluate", "--method", "huaian-2024", "--year", "2025", "--out", str(out), "--store", *extra]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    return result.output


def test_evaluate_database_figures_and_store_runs_then_compare(database: str, tmp_path: Path) -> None:
    loaded = CliRunner().invoke(app, ["demo", "--size", "300", "--registry-only", "--region", "370200"])
    assert loaded.exit_code == 0, loaded.output
    _evaluate(tmp_path / "a.csv")
    _evaluate(tmp_path / "b.csv", "--weight", "tax_per_mu=80")
    with (tmp_path / "a.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 300
    engine = make_engine(database)
    with Session(engine) as session:
        runs = session.scalars(select(EvaluationRun).order_by(EvaluationRun.id)).all()
        assert [r.method_id for r in runs] == ["huaian-2024", "huaian-2024"]
        assert runs[0].method_hash != runs[1].method_hash
        assert runs[0].input_fingerprint == runs[1].input_fingerprint
        stored = session.scalar(
            select(func.count()).select_from(EvaluationResult).where(EvaluationResult.run_id == runs[0].id)
        )
        assert stored == 300
        first, second = runs[0].id, runs[1].id
    engine.dispose()
    compared = CliRunner().invoke(app, ["evaluation-compare", str(first), str(second)])
    assert compared.exit_code == 0, compared.output
    assert f"批次 {first} → {second}" in compared.output and "方法不同, 数据相同" in compared.output
