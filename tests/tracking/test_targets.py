from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.orm import Session

from tests.tracking.conftest import GXJ, SamplePlan, department
from zhizao.auth.scope import Actor
from zhizao.errors import Forbidden, InvalidInput
from zhizao.tracking import linking, targets
from zhizao.tracking import observations as obs
from zhizao.tracking.progress import Status


def test_normalise_folds_short_names_and_noise() -> None:
    assert linking.normalise("全市规上工业增加值同比增长") == linking.normalise("规模以上工业增加值")
    assert linking.similarity("规模以上工业增加值", "全市规模以上工业增加值比上年增长") == 1.0


def test_suggest_ranks_series_by_name_similarity(session: Session, sample: SamplePlan) -> None:
    good = obs.ensure_series(session, "全市规上工业增加值增速", "%")
    obs.ensure_series(session, "高技术制造业增加值增速", "%")
    obs.ensure_series(session, "软件业务收入增速", "%")
    found = linking.suggest(session, sample.growth.id)
    assert found[0].series_id == good.id
    assert found[0].score == 1.0
    assert all(s.name != "软件业务收入增速" for s in found)


def test_plan_progress_without_link_is_no_data(session: Session, system: Actor, sample: SamplePlan) -> None:
    rows = targets.plan_progress(session, system, sample.plan.id, date(2024, 6, 30))
    assert [r.progress.status for r in rows] == [Status.NO_DATA, Status.NO_DATA]
    assert rows[0].progress.note == "尚未关联监测指标"


def test_plan_progress_uses_confirmed_link_and_plan_thresholds(
    session: Session, system: Actor, sample: SamplePlan
) -> None:
    series = obs.ensure_series(session, "规上工业增加值增速", "%")
    for month, value in ((3, 7.0), (6, 5.5)):
        obs.record_observation(
            session, system, obs.ObservationInput(series.id, "370200", "ytd", 2024, month, value)
        )
    link = linking.confirm_link(session, system, sample.growth.id, series.id)
    assert link.confirmed_by == "system"
    rows = targets.plan_progress(session, system, sample.plan.id, date(2024, 6, 30))
    assert rows[0].series_name == "规上工业增加值增速"
    assert rows[0].progress.status is Status.LAGGING  # 5.5 vs 6.5±0.5: 0.5 point short
    assert rows[0].points[-1].value == 5.5
    targets.update_settings(session, system, sample.plan.id, rate_yellow=1.0)
    rows = targets.plan_progress(session, system, sample.plan.id, date(2024, 6, 30))
    assert rows[0].progress.status is Status.ON_TRACK
    assert targets.plan_progress(session, system, sample.plan.id, date(2024, 4, 15))[0].progress.status is (
        Status.ON_TRACK
    )


def test_update_settings_checks_values(session: Session, system: Actor, sample: SamplePlan) -> None:
    with pytest.raises(InvalidInput):
        targets.update_settings(session, system, sample.plan.id, lag_yellow=20, lag_red=10)
    with pytest.raises(InvalidInput):
        targets.update_settings(session, system, sample.plan.id, colour=1)
    with pytest.raises(Forbidden):
        targets.update_settings(session, department(session, GXJ), sample.plan.id, lag_red=10)


def test_confirm_link_needs_editor(session: Session, sample: SamplePlan) -> None:
    series = obs.ensure_series(session, "规上工业增加值增速", "%")
    with pytest.raises(Forbidden):
        linking.confirm_link(session, department(session, GXJ), sample.growth.id, series.id)
