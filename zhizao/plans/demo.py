"""The demo's plans: policy documents read and stored as confirmed plans. Which documents belong to which
region is data (`zhizao/demo/data/regions.toml`); the real sample documents are shipped in
`zhizao/plans/samples/`."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import resources

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans.intake import create_plan_from_extraction
from zhizao.plans.models import Plan
from zhizao.plans.store import plan_titled


def sample_text(name: str) -> str:
    return resources.files("zhizao.plans.samples").joinpath(name).read_text(encoding="utf-8")


def load_plan_texts(session: Session, actor: Actor, documents: Iterable[tuple[str, str, str]]) -> list[Plan]:
    """Read each (file name, text, region code) and store it as a confirmed plan of that region; a plan
    whose title already exists is skipped. Returns the plans added."""
    from zhizao.plans.reading import parse_text

    added: list[Plan] = []
    for name, text, region_code in documents:
        data = parse_text(text).to_json()
        title = str(data.get("title") or "").strip() or name.rsplit(".", 1)[0]
        if plan_titled(session, title) is not None:
            continue
        plan = create_plan_from_extraction(
            session, actor, data, text, name, confirmed=True, region_code=region_code
        )
        added.append(plan)
    return added


def load_sample_plans(session: Session, actor: Actor, documents: Iterable[tuple[str, str]]) -> list[Plan]:
    """Store the sample documents (file name in `plans/samples`, region code) as confirmed plans."""
    return load_plan_texts(session, actor, ((name, sample_text(name), code) for name, code in documents))
