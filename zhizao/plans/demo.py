"""The demo's plans: the three sample policy documents shipped in `zhizao/plans/samples/`, read and stored
as confirmed plans."""

from __future__ import annotations

from importlib import resources

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.plans.intake import create_plan_from_extraction
from zhizao.plans.models import Plan
from zhizao.plans.store import plan_titled

SAMPLES = (
    "qingdao-2024-nine-actions.txt",
    "qingdao-14th-fyp-manufacturing-news.txt",
    "shandong-2022-2025-advanced-manufacturing.txt",
)


def sample_text(name: str) -> str:
    return resources.files("zhizao.plans.samples").joinpath(name).read_text(encoding="utf-8")


def load_sample_plans(session: Session, actor: Actor) -> list[Plan]:
    """Read each sample document and store it as a confirmed plan; a plan whose title already exists is
    skipped. Returns the plans added."""
    from zhizao.plans.reading import parse_text

    added: list[Plan] = []
    for name in SAMPLES:
        text = sample_text(name)
        data = parse_text(text).to_json()
        title = str(data.get("title") or "").strip() or name.rsplit(".", 1)[0]
        if plan_titled(session, title) is not None:
            continue
        added.append(create_plan_from_extraction(session, actor, data, text, name, confirmed=True))
    return added
