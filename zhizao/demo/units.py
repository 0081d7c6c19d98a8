"""The organisation list of a demo region: the template units, the region's own units from its data file
(if it has one), a synthetic 高新区 marked 演示, and no units of another region that nothing refers to."""

from __future__ import annotations

from importlib import resources

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.demo.regions import DemoRegion
from zhizao.reference.models import Unit
from zhizao.reference.unit_import import import_units
from zhizao.reference.units import UnitSpec, short_name, units_for_region, write_units

SYNTHETIC_UNIT_MARK = "（演示）"


def development_zone(region: DemoRegion) -> UnitSpec:
    """A plausible 开发区管委会 of a city, clearly marked as made up (the real ones come from an import)."""
    short = short_name(region.name)
    name = f"{short}高新技术产业开发区管委会{SYNTHETIC_UNIT_MARK}"
    aliases = (f"{short}高新技术产业开发区管委会", f"{short}高新区管委会", "高新区管委会", "高新区")
    return UnitSpec(name, "other", region.code, aliases, "development_zone")


def load_demo_units(session: Session, actor: Actor, region: DemoRegion) -> int:
    """Write the region's units and drop other regions' units nothing refers to. Returns units written."""
    specs = units_for_region(region.code)
    if region.development_zone and region.level == "city":
        specs.append(development_zone(region))
    written = write_units(session, specs)
    keep = {spec.name for spec in specs}
    if region.units_file:
        with resources.as_file(resources.files("zhizao.demo").joinpath("data", region.units_file)) as path:
            imported = import_units(session, actor, path)
        written += len(imported.created) + len(imported.updated)
        keep.update(imported.created + imported.updated)
    _drop_other_units(session, keep)
    return written


def _drop_other_units(session: Session, keep: set[str]) -> None:
    """Units from an earlier demo of another place (they have a region) that no user, plan or report
    refers to; units added by hand (no region) stay."""
    for unit in list(session.scalars(select(Unit).order_by(Unit.id.desc()))):
        if unit.region_code is None or unit.name in keep:
            continue
        try:
            with session.begin_nested():
                session.delete(unit)
        except IntegrityError:
            continue  # still referred to: kept
