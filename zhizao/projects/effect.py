"""达效 after 竣工: the 投入产出比 of completed projects, and the list of projects completed but not yet 达效.

投入产出比 (no official definition is known; this is the installation's working definition, stated on every
page and export that shows it): 达效年新增产值 / 计划总投资, both in 万元. 新增产值 is, in order:
1. the figure entered for the project (`new_output`, e.g. from the owner's 达效 report);
2. else the owner's 工业总产值 in the 达效 year minus its 工业总产值 in the year before 开工, from the
   registry's figures (营业收入 when the firm has no 工业总产值 for both years).
The 达效 year is the project's `effect_year`, else the year of its actual 达效 date, else the year after 竣工.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.enterprises.models import EnterpriseFigure
from zhizao.projects.facts import load_projects
from zhizao.projects.models import Project

DEFINITION = (
    "投入产出比 = 达效年新增产值 ÷ 计划总投资（万元/万元）。新增产值取项目填报值；未填报时取业主企业达效年"
    "工业总产值减开工前一年工业总产值（无工业总产值时用营业收入）。尚无官方定义，此为本系统口径。"
)
BASIS_LABELS = {
    "entered": "项目填报",
    "output_value": "企业工业总产值",
    "revenue": "企业营业收入",
    "": "无数据",
}


@dataclass(frozen=True)
class Effect:
    project: Project
    effect_year: int | None
    new_output: float | None
    basis: str  # entered | output_value | revenue | ""
    ratio: float | None

    @property
    def basis_label(self) -> str:
        return BASIS_LABELS[self.basis]


def effect_year(project: Project) -> int | None:
    if project.effect_year:
        return project.effect_year
    if project.effect_actual:
        return project.effect_actual.year
    if project.complete_actual:
        return project.complete_actual.year + 1
    return None


def _annual(session: Session, enterprise_id: int, indicator: str, years: tuple[int, int]) -> dict[int, float]:
    rows = session.execute(
        select(EnterpriseFigure.year, EnterpriseFigure.value).where(
            EnterpriseFigure.enterprise_id == enterprise_id,
            EnterpriseFigure.indicator_id == indicator,
            EnterpriseFigure.month == 0,
            EnterpriseFigure.year.in_(years),
        )
    )
    return {int(y): float(v) for y, v in rows if v is not None}


def effect_of(session: Session, project: Project) -> Effect:
    year = effect_year(project)
    if project.new_output is not None:
        new, basis = project.new_output, "entered"
    elif year and project.enterprise_id and project.start_actual:
        before = project.start_actual.year - 1
        new, basis = None, ""
        for indicator in ("output_value", "revenue"):
            values = _annual(session, project.enterprise_id, indicator, (before, year))
            if before in values and year in values:
                new, basis = values[year] - values[before], indicator
                break
    else:
        new, basis = None, ""
    total = project.total_investment
    ratio = round(new / total, 2) if new is not None and total else None
    return Effect(project, year, new, basis, ratio)


def completed(session: Session, actor: Actor, as_of: date) -> list[Effect]:
    """The 达效 of every project the actor sees that was completed by `as_of`."""
    return [
        effect_of(session, p)
        for p in load_projects(session, actor)
        if p.complete_actual is not None and p.complete_actual <= as_of
    ]


def not_yet_effective(session: Session, actor: Actor, as_of: date) -> list[Project]:
    """竣工未达效: completed by `as_of`, not 达效 by then (earliest completion first)."""
    found = [
        p
        for p in load_projects(session, actor)
        if p.complete_actual is not None
        and p.complete_actual <= as_of
        and (p.effect_actual is None or p.effect_actual > as_of)
    ]
    return sorted(found, key=lambda p: (p.complete_actual or as_of, p.id))
