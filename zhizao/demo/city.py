"""A whole demo region in one call: the synthetic enterprise registry (with the region's units and the demo
accounts), the region's documents as confirmed plans (real samples where the demo data names them, else a
generated plan marked 演示数据（虚构）), the real published figures the data holds for it against their
targets, the synthetic tracking activity (registry aggregates, made-up monthly series for the other 2024
targets, task reports), a stored evaluation run and synthetic key projects with their monthly 调度.

Each part lives with its own area (`demo.load`, `plans.demo`, `tracking.demo`, `tracking.demo_activity`,
`evaluation.demo`, `projects.demo`); this module only runs them in order, inside the caller's transaction,
so the demo loads whole or not at all."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.cultivation.demo import DemoCultivation, load_demo_cultivation
from zhizao.demo.accounts import demo_unit_usernames, link_enterprise_account, release_enterprise_account
from zhizao.demo.load import LoadResult, Progress, ensure_schema, load_demo
from zhizao.demo.population import DemoSpec
from zhizao.demo.regions import DemoRegion, demo_region
from zhizao.service.demo import DemoService, load_demo_service
from zhizao.tracking.demo_activity import ActivityResult, load_demo_activity


@dataclass
class CityResult:
    region: DemoRegion
    registry: LoadResult
    plans: int = 0
    observations: int = 0
    target_links: int = 0
    activity: ActivityResult = field(default_factory=ActivityResult)
    evaluation_run_id: int | None = None
    index_observations: int = 0
    service: DemoService = field(default_factory=DemoService)
    cultivation: DemoCultivation = field(default_factory=DemoCultivation)
    projects: int = 0


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
    """Load the demo of `spec.region_code`; with `registry_only`, only the enterprise registry and accounts
    (for benchmark-sized populations, where plans, tracking and a stored evaluation add nothing)."""
    from zhizao.chains.demo import load_demo_chains
    from zhizao.composite.demo import load_demo_index_series
    from zhizao.demo.plans import load_demo_plans
    from zhizao.evaluation.demo import store_demo_run
    from zhizao.projects.demo import load_demo_projects
    from zhizao.tracking.demo import load_real_stats

    region = demo_region(spec.region_code)
    ensure_schema(session)
    release_enterprise_account(session)  # its enterprise is about to be replaced
    registry = load_demo(session, actor, spec, force=force, progress=progress)
    result = CityResult(region=region, registry=registry)
    result.registry.accounts.append(link_enterprise_account(session, actor, region.code))
    if registry_only:
        return result
    result.plans = len(load_demo_plans(session, actor, region))
    stats = load_real_stats(session, actor, region.code)
    result.observations, result.target_links = stats["observations"], stats["links"]
    usernames = demo_unit_usernames(session)
    result.activity = load_demo_activity(session, actor, region.code, usernames, today)
    result.evaluation_run_id = store_demo_run(session, actor).id
    result.index_observations = load_demo_index_series(session, spec.years, spec.seed)
    result.cultivation = load_demo_cultivation(session, actor, today or date.today(), spec.seed)
    result.service = load_demo_service(session, actor, today or date.today(), spec.seed)
    load_demo_chains(session, actor, region.code)
    result.projects = load_demo_projects(session, actor, today)
    return result
