"""An import and a correction writing the first value of the same figure at the same time, each on its own
connection: the import either waits and updates that value (SQLite: one writer at a time) or refuses with a
clear message (PostgreSQL: the other insert won), never a unique-key error, and history stays true."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from sqlalchemy import select

from tests.conftest import add_enterprise
from tests.enterprises.test_figures_concurrency import run_together
from tests.imports.conftest import write_csv
from zhizao.auth.scope import Actor
from zhizao.db.session import make_engine, session_scope
from zhizao.enterprises.figures import correct_figure
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.errors import InvalidInput
from zhizao.imports import apply as importing
from zhizao.imports.models import FigureChange
from zhizao.imports.writes import CONCURRENT_CHANGE


def test_import_and_correction_of_a_new_figure_do_not_collide(fresh_db_url: str, tmp_path: Path) -> None:
    engine = make_engine(fresh_db_url)
    system = Actor.system()
    try:
        with session_scope(engine) as session:
            enterprise = add_enterprise(session, region_code="370211")
        path = write_csv(
            tmp_path / "f.csv", [["社会信用代码", "年份", "税收(万元)"], [enterprise.credit_code, 2024, 7]]
        )
        corrected = threading.Event()
        refused: list[InvalidInput] = []

        def correction() -> None:
            with session_scope(engine) as session:
                correct_figure(session, system, enterprise.id, "tax", 2024, 5.0, "先录入")
                corrected.set()
                time.sleep(1.0)  # the import starts meanwhile and reaches its insert

        def importer() -> None:
            corrected.wait()
            try:
                with session_scope(engine) as session:
                    importing.apply(session, system, path, "figures", confirmed=True)
            except InvalidInput as exc:
                refused.append(exc)

        assert run_together([correction, importer]) == []
        with session_scope(engine) as session:
            c = FigureChange
            history = session.execute(select(c.old_value, c.new_value, c.reason).order_by(c.id)).all()
            value = session.scalar(select(EnterpriseFigure.value))
    finally:
        engine.dispose()
    if refused:  # PostgreSQL: both inserted; the correction committed first
        assert not fresh_db_url.startswith("sqlite")
        assert refused[0].message == CONCURRENT_CHANGE
        assert [tuple(h) for h in history] == [(None, 5.0, "manual")]
        assert value == 5.0
    else:
        assert [tuple(h) for h in history] == [(None, 5.0, "manual"), (5.0, 7.0, "import")]
        assert value == 7.0
