from __future__ import annotations

from typer.testing import CliRunner

from zhizao.cli import app


def test_calendar_add_workdays_prints_the_date(database: str) -> None:
    result = CliRunner().invoke(app, ["calendar", "add-workdays", "2025-09-26", "5"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2025-10-10"


def test_calendar_is_workday_prints_yes_or_no(database: str) -> None:
    saturday_make_up = CliRunner().invoke(app, ["calendar", "is-workday", "2026-02-28"])
    holiday = CliRunner().invoke(app, ["calendar", "is-workday", "2026-10-05"])
    assert saturday_make_up.output.strip() == "是"
    assert holiday.output.strip() == "否"


def test_calendar_set_overrides_a_day(database: str) -> None:
    assert (
        CliRunner()
        .invoke(app, ["calendar", "set", "2026-12-01", "--holiday", "--note", "本地节日"])
        .exit_code
        == 0
    )
    assert CliRunner().invoke(app, ["calendar", "is-workday", "2026-12-01"]).output.strip() == "否"
    listed = CliRunner().invoke(app, ["calendar", "show", "2026-11-30", "2026-12-06"])
    assert "2026-12-01\t休息日\t本地节日" in listed.output


def test_calendar_refuses_a_bad_date(database: str) -> None:
    result = CliRunner().invoke(app, ["calendar", "is-workday", "2026-13-01"])
    assert result.exit_code == 1 and "YYYY-MM-DD" in result.output
