"""The whole demo city in one call: the synthetic enterprise registry (with the demo accounts), the three
sample policy documents as confirmed plans, Qingdao's real published figures against their targets, the
synthetic tracking activity (registry aggregates, made-up monthly series for the other 2024 targets, task
reports) and a stored evaluation run.

Each part lives with its own area (`demo.load`, `plans.demo`, `tracking.demo`, `tracking.demo_activity`,
`evaluation.demo`); this module only runs them in order, inside the caller's transaction, so the demo loads
whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.demo.accounts import demo_unit_usernames, link_enterprise_account, release_enterprise_account
from zhizao.demo.load import LoadResult, Progress, ensure_schema, load_demo
from zhizao.demo.population import DemoSpec
from zhizao.tracking.demo_activity import ActivityResult, load_demo_activity


@dataclass
class CityResult:
    registry: LoadResult
    plans: int = 0
    observations: int = 0
    target_links: int = 0
    activity: ActivityResult = field(default_factory=ActivityResult)
    evaluation_run_id: int | None = None


def load_demo_city(
    session: Session,
    actor: Actor,
    spec: DemoSpec,
    *,
    force: bool = False,
    progress: Progress | None = None,
    today: date | None = None,
    registry_only: bool = False,
) -> CityResult:
    """Load the demo city; with `registry_only`, only the enterprise registry and accounts (for
    benchmark-sized populations, where plans, tracking and a stored evaluation add nothing)."""
    from zhizao.evaluation.demo import store_demo_run
    from zhizao.plans.demo import load_sample_plans
    from zhizao.tracking.demo import load_real_stats

    ensure_schema(session)
    release_enterprise_account(session)  # its enterprise is about to be replaced
    result = CityResult(registry=load_demo(session, actor, spec, force=force, progress=progress))
    result.registry.accounts.append(link_enterprise_account(session, actor))
    if registry_only:
        return result
    result.plans = len(load_sample_plans(session, actor))
    stats = load_real_stats(session, actor)
    result.observations, result.target_links = stats["observations"], stats["links"]
    result.activity = load_demo_activity(session, actor, demo_unit_usernames(session), today)
    result.evaluation_run_id = store_demo_run(session, actor).id
    return result
