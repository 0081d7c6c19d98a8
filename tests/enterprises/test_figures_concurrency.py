"""Concurrent corrections of one figure, each writer with its own connection on a database of the test's
own: the history records only transitions that happened, and first inserts of one key never collide."""

from __future__ import annotations

import threading
from collections.abc import Callable

from sqlalchemy import select

from tests.conftest import add_enterprise
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.db.session import make_engine, session_scope
from zhizao.enterprises.figures import correct_figure
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.imports.models import FigureChange

WRITERS = 8
ROUNDS = 25


def run_together(workers: list[Callable[[], None]]) -> list[BaseException]:
    """Start the workers at once, each on its own thread; return what they raised."""
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        start.wait()
        try:
            work()
        except BaseException as exc:  # collected and asserted on by the test
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_concurrent_corrections_of_one_figure_keep_a_true_history(fresh_db_url: str) -> None:
    engine = make_engine(fresh_db_url)
    try:
        with session_scope(engine) as session:
            enterprise_id = add_enterprise(session, region_code="370211").id
        officer = Actor("huangdao", Role.DISTRICT, region_code="370211")

        def writer(n: int) -> Callable[[], None]:
            def work() -> None:
                for i in range(ROUNDS):
                    # Every seventh correction removes the value, so later ones insert it again.
                    value = None if i % 7 == 3 else float(n * 1000 + i)
                    with session_scope(engine) as session:
                        correct_figure(session, officer, enterprise_id, "tax", 2024, value, f"第{n}人第{i}次")

            return work

        assert run_together([writer(n) for n in range(WRITERS)]) == []

        with session_scope(engine) as session:
            c = FigureChange
            history = session.execute(
                select(c.old_value, c.new_value).where(c.enterprise_id == enterprise_id).order_by(c.id)
            ).all()
            f = EnterpriseFigure
            final = session.scalar(select(f.value).where(f.enterprise_id == enterprise_id))
    finally:
        engine.dispose()
    assert len(history) >= WRITERS * ROUNDS * 0.8  # few corrections repeat the value already there
    assert history[0].old_value is None
    wrong = [k for k in range(1, len(history)) if history[k].old_value != history[k - 1].new_value]
    assert wrong == [], f"{len(wrong)} of {len(history)} history entries record a value that was not there"
    assert final == history[-1].new_value
