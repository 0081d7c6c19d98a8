"""One suite, every backend: the whole population × every shipped programme gives identical outcomes."""

from datetime import date

import ibis
from ibis.backends import BaseBackend

from zhizao.cultivation.programme import shipped
from zhizao.cultivation.runs import evaluate_frames
from zhizao.cultivation.synthetic import population


def _key(outcomes: list) -> list[tuple]:
    return [
        (
            o.enterprise_id,
            o.programme,
            o.status,
            o.level,
            None if o.score is None else round(o.score, 6),
            o.criteria,
        )
        for o in sorted(outcomes, key=lambda o: (o.programme, o.enterprise_id))
    ]


def test_population_outcomes_identical_on_every_backend(backend: BaseBackend) -> None:
    frames = population(120)
    programmes = shipped()
    as_of = date(2026, 6, 30)
    reference = evaluate_frames(frames, programmes, as_of, ibis.duckdb.connect())
    outcomes = evaluate_frames(frames, programmes, as_of, backend)
    assert _key(outcomes) == _key(reference)
    statuses = {o.status for o in outcomes}
    assert {"eligible", "not_eligible", "possible"} <= statuses
