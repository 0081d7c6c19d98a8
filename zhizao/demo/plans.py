"""The demo plans of a region: its real sample documents where the demo data names some, otherwise a plan
generated from the template document of its level with the region's names, marked 演示数据（虚构）."""

from __future__ import annotations

from importlib import resources

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.demo.regions import DemoRegion
from zhizao.plans.demo import load_plan_texts, load_sample_plans
from zhizao.plans.models import Plan
from zhizao.reference import regions
from zhizao.reference.units import level_word, short_name

_DISTRICT_WORDS = {
    frozenset("区"): "区",
    frozenset("县"): "县",
    frozenset("市"): "县(市)",
    frozenset("区县"): "区县",
    frozenset("区市"): "区(市)",
    frozenset("县市"): "县(市)",
}


def district_word(code: str) -> str:
    """How a region's documents name its next level as a group: 区(市), 县市区, 区县 ..."""
    words = frozenset(level_word(r.name)[-1:] for r in regions.children(code))
    return _DISTRICT_WORDS.get(words, "县市区")


def template_text(region: DemoRegion) -> str:
    level = "province" if region.level == "province" and not region.name.endswith("市") else "city"
    text = resources.files("zhizao.demo").joinpath("data", f"plan-template-{level}.txt").read_text("utf-8")
    short = short_name(region.name)
    return (
        text.replace("{full}", region.name)
        .replace("{p}", level_word(region.name))
        .replace("{district_word}", district_word(region.code))
        .replace("{zone}", f"{short}高新区管委会" if region.development_zone else "各开发区")
    )


def load_demo_plans(session: Session, actor: Actor, region: DemoRegion) -> list[Plan]:
    """The region's documents as confirmed plans (see the module docstring). Returns the plans added."""
    if region.documents:
        return load_sample_plans(session, actor, ((d.file, d.region_code) for d in region.documents))
    name = f"demo-plan-{region.code}.txt"
    return load_plan_texts(session, actor, [(name, template_text(region), region.code)])
