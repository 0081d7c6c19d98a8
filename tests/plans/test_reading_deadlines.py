"""One deadline grammar: the document reader and a person's edit on the review page read every phrasing
alike."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans import intake, store
from zhizao.plans.reading import parse_text
from zhizao.plans.reading.deadlines import is_open_ended, read_deadline

PLAN_YEAR = 2024
# (deadline as written, the day it means in a 2024 plan; None: open-ended or recurring)
PHRASINGS = [
    ("一季度", date(2024, 3, 31)),
    ("第一季度", date(2024, 3, 31)),
    ("上半年", date(2024, 6, 30)),
    ("第三季度", date(2024, 9, 30)),
    ("三季度末", date(2024, 9, 30)),
    ("下半年", date(2024, 12, 31)),
    ("年底前", date(2024, 12, 31)),
    ("全年", date(2024, 12, 31)),
    ("6月底前", date(2024, 6, 30)),
    ("2024年6月底前", date(2024, 6, 30)),
    ("2025年上半年", date(2025, 6, 30)),
    ("2025年底", date(2025, 12, 31)),
    ("2024年11月15日前", date(2024, 11, 15)),
    ("2024年至2026年", date(2026, 12, 31)),
    ("长期坚持", None),
    ("持续推进", None),
    ("常态化推进", None),
    ("每年", None),
    ("每年年底前", None),
    ("每季度", None),
]


def _document(deadline_text: str) -> str:
    return (
        f"关于推进示例工作的实施方案\n{PLAN_YEAR}年3月1日\n一、重点任务\n"
        f"(一)推进设备更新。实施技改项目。(牵头单位:市示例局;完成时限:{deadline_text})\n"
        "(二)培育企业。(市示例局负责;完成时限:全年)\n"
    )


@pytest.mark.parametrize(("text", "expected"), PHRASINGS)
def test_read_deadline_reads_each_phrasing(text: str, expected: date | None) -> None:
    assert read_deadline(text, PLAN_YEAR) == expected
    assert is_open_ended(text) is (expected is None)


def test_read_deadline_takes_typed_dates() -> None:
    assert read_deadline("2025-06-30", None) == date(2025, 6, 30)
    assert read_deadline("2025/6/30", None) == date(2025, 6, 30)
    assert read_deadline("2025-02", None) == date(2025, 2, 28)
    assert read_deadline("2025-02-30", None) is None


def test_read_deadline_without_a_year_names_no_day() -> None:
    assert read_deadline("年底前", None) is None
    assert read_deadline("", PLAN_YEAR) is None


def test_reader_and_review_edit_agree_on_every_phrasing(session: Session, system: Actor) -> None:
    for text, expected in PHRASINGS:
        extraction = parse_text(_document(text))
        assert extraction.year == PLAN_YEAR
        note = extraction.tasks[0].assignments[0]
        assert note.deadline_text == text
        read = date.fromisoformat(note.deadline) if note.deadline else None
        assert read == expected, text

        data = extraction.to_json()
        plan = intake.create_plan_from_extraction(session, system, data, _document(text), "x.txt")
        stored = plan.tasks[0].assignments[0]
        assert stored.deadline == expected, text
        edited = store.update_assignment(session, system, stored.id, {"deadline": "", "deadline_text": text})
        assert edited.deadline == expected, text
