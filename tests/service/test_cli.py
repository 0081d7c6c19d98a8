"""`zhizao service load-config / categories / overdue` on a database of their own."""

from __future__ import annotations

from datetime import date

from typer.testing import CliRunner

from tests.conftest import add_enterprise
from tests.service.conftest import CONFIG
from zhizao.auth.scope import Actor
from zhizao.cli import app
from zhizao.db.session import session_scope
from zhizao.reference.models import Unit
from zhizao.service import config, requests


def test_service_overdue_prints_next_step_and_records(database: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with session_scope() as session:
        session.add_all(Unit(name=n, kind="department") for n in ("测试发改委", "测试资规局", "测试工信局"))
    path = tmp_path / "service.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    loaded = CliRunner().invoke(app, ["service", "load-config", str(path)])
    assert loaded.exit_code == 0, loaded.output
    assert "第 1 版" in loaded.output
    listed = CliRunner().invoke(app, ["service", "categories"])
    assert "政策咨询" in listed.output and "办结 3 个工作日" in listed.output
    with session_scope() as session:
        firm = add_enterprise(session, name="甲制造有限公司")
        [category] = [c for c in config.categories(session) if c.code == "03"]
        requests.file(
            session,
            Actor.system(),
            enterprise_id=firm.id,
            category_id=category.id,
            title="咨询",
            on=date(2025, 9, 26),
        )
    before = CliRunner().invoke(app, ["service", "overdue", "--as-of", "2025-09-30"])
    assert "没有超期诉求" in before.output
    out = tmp_path / "notices"
    due = CliRunner().invoke(
        app, ["service", "overdue", "--as-of", "2025-10-09", "--record", "--notices", str(out)]
    )
    assert due.exit_code == 0, due.output
    assert "超期 1 个工作日" in due.output and "已记录 1 条" in due.output
    assert [p.name for p in out.iterdir()] == ["催办-1-2025-10-09.docx"]
    after = CliRunner().invoke(app, ["service", "overdue", "--as-of", "2025-10-10"])
    assert "已: 催办" in after.output and "2025-10-15 通报" in after.output


def test_service_load_config_refuses_unknown_department(database: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "bad.yaml"
    path.write_text("categories:\n  - {code: '01', name: 用地, department: 不存在的局}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["service", "load-config", str(path)])
    assert result.exit_code == 1 and "不存在的局" in result.output


def test_service_import_checks_then_files(database: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    with session_scope() as session:
        session.add_all(Unit(name=n, kind="department") for n in ("测试发改委", "测试资规局", "测试工信局"))
        config.load_config(session, Actor.system(), CONFIG)
        firm = add_enterprise(session, name="甲制造有限公司")
        code = firm.credit_code
    header = "工单编号,统一社会信用代码,诉求类别,诉求标题,提交日期\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{header}G1,{code},99,咨询,2025-03-03\n", "utf-8")
    refused = CliRunner().invoke(app, ["service", "import", str(bad)])
    assert refused.exit_code == 1 and "未知的诉求类别" in refused.output
    good = tmp_path / "good.csv"
    good.write_text(f"{header}G1,{code},03,咨询,2025-03-03\n", "utf-8")
    assert "--dry-run" in CliRunner().invoke(app, ["service", "import", str(good), "--dry-run"]).output
    done = CliRunner().invoke(app, ["service", "import", str(good)])
    assert done.exit_code == 0 and "已登记 1 件诉求" in done.output, done.output
    again = CliRunner().invoke(app, ["service", "import", str(good), "--yes"])
    assert "没有需要登记的诉求" in again.output
    unusable = tmp_path / "x.csv"
    unusable.write_text("a,b\n1,2\n", "utf-8")
    assert CliRunner().invoke(app, ["service", "import", str(unusable)]).exit_code == 2
