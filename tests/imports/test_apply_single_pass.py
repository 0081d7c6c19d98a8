"""Figures are checked and written in one pass over the file, in chunks, inside a savepoint: what an earlier
chunk wrote must not leak into the checks of a later chunk, and a refusal found late leaves nothing behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import add_enterprise, new_credit_code
from tests.imports.conftest import write_xlsx
from zhizao.auth.scope import Actor
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import InvalidInput
from zhizao.imports import apply as importing
from zhizao.imports import plan as planning
from zhizao.imports.models import FigureChange, Import
from zhizao.imports.outcome import NeedsConfirmation, ValidationFailed


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(planning, "CHUNK", 2)


def _count(session: Session, model: type) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_apply_figures_error_in_a_late_chunk_writes_nothing(
    session: Session, system: Actor, tmp_path: Path, small_chunks: None
) -> None:
    firms = [add_enterprise(session) for _ in range(4)]
    rows = [[f.credit_code, 2024, 10 + i] for i, f in enumerate(firms)] + [[new_credit_code(), 2024, 1]]
    path = write_xlsx(tmp_path / "f.xlsx", [["统一社会信用代码", "年度", "税收(万元)"], *rows])
    before = (_count(session, EnterpriseFigure), _count(session, FigureChange), _count(session, Import))
    with pytest.raises(ValidationFailed) as caught:
        importing.apply(session, system, path, "figures")
    assert caught.value.preview.errors == 1 and caught.value.preview.rows_total == 4
    after = (_count(session, EnterpriseFigure), _count(session, FigureChange), _count(session, Import))
    assert after == before


def test_apply_figures_unconfirmed_change_in_a_late_chunk_writes_nothing(
    session: Session, system: Actor, tmp_path: Path, small_chunks: None
) -> None:
    firms = [add_enterprise(session) for _ in range(4)]
    changed = add_enterprise(session, figures={2024: {"tax": 1.0}})
    rows = [[f.credit_code, 2024, 10] for f in firms] + [[changed.credit_code, 2024, 2]]
    path = write_xlsx(tmp_path / "f.xlsx", [["统一社会信用代码", "年度", "税收(万元)"], *rows])
    before = (_count(session, EnterpriseFigure), _count(session, Import))
    with pytest.raises(NeedsConfirmation):
        importing.apply(session, system, path, "figures")
    assert (_count(session, EnterpriseFigure), _count(session, Import)) == before
    result = importing.apply(session, system, path, "figures", confirmed=True)
    assert result.import_id is not None
    assert (result.preview.created, result.preview.updated) == (4, 1)


def test_apply_figures_checks_against_values_before_the_import_across_chunks(
    session: Session, system: Actor, tmp_path: Path, small_chunks: None
) -> None:
    # 2023 is stored as 1.0; the file sets 2023 to 2000 (row 2) and 2024 to 2000 (row 4, a later chunk).
    # Compared with the stored 2023 value, row 4 is 2000× last year, as the preview says; compared with what
    # the import itself wrote a chunk earlier it would not be.
    firm = add_enterprise(session, figures={2023: {"tax": 1.0}})
    other = add_enterprise(session)
    rows = [[firm.credit_code, 2023, 2000], [other.credit_code, 2023, 5], [firm.credit_code, 2024, 2000]]
    path = write_xlsx(tmp_path / "f.xlsx", [["统一社会信用代码", "年度", "税收(万元)"], *rows])
    checked = importing.preview(session, system, path, "figures")
    result = importing.apply(session, system, path, "figures", confirmed=True)
    assert result.preview.warnings == checked.warnings >= 1
    assert result.preview.fingerprint == checked.fingerprint
    assert [p.row for p in result.preview.problems] == [p.row for p in checked.problems]


def test_apply_figures_with_fingerprint_of_an_outdated_preview_is_refused(
    session: Session, system: Actor, tmp_path: Path
) -> None:
    firm = add_enterprise(session, figures={2024: {"tax": 1.0}})
    path = write_xlsx(
        tmp_path / "f.xlsx", [["统一社会信用代码", "年度", "税收(万元)"], [firm.credit_code, 2024, 3]]
    )
    checked = importing.preview(session, system, path, "figures")
    importing.apply(session, system, path, "figures", confirmed=True)
    with pytest.raises(InvalidInput, match="预览之后数据已发生变化"):
        importing.apply(
            session, system, path, "figures", confirmed=True, expected_fingerprint=checked.fingerprint
        )
