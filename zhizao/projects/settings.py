"""The installation's project settings: the kinds of project (a list it can extend), the status bands in
percentage points, how published rates are rounded (round half up or truncate, and to how many decimals)
and the working day of the next month by which the monthly 调度 is due."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput
from zhizao.projects.models import ProjectSettings

DEFAULT_KINDS = ("重点项目", "技改项目", "招商项目")
LEVELS = ("省级", "市级", "区级")
LEVEL_ALIASES = {
    "省": "省级",
    "省重点": "省级",
    "市": "市级",
    "市重点": "市级",
    "区": "区级",
    "县": "区级",
    "县级": "区级",
    "区(市)级": "区级",
    "区县级": "区级",
}
ROUNDING = ("round", "truncate")


@dataclass(frozen=True)
class Settings:
    kinds: tuple[str, ...] = DEFAULT_KINDS
    ahead_pp: float = 5.0
    lagging_pp: float = 5.0
    severe_pp: float = 15.0
    rounding: str = "round"
    decimals: int = 1
    report_workday: int = 5


def load(session: Session) -> Settings:
    row = session.get(ProjectSettings, 1)
    if row is None:
        return Settings()
    return Settings(
        tuple(row.kinds or DEFAULT_KINDS),
        row.ahead_pp,
        row.lagging_pp,
        row.severe_pp,
        row.rounding,
        row.decimals,
        row.report_workday,
    )


def update(
    session: Session,
    actor: Actor,
    *,
    add_kinds: tuple[str, ...] = (),
    ahead_pp: float | None = None,
    lagging_pp: float | None = None,
    severe_pp: float | None = None,
    rounding: str | None = None,
    decimals: int | None = None,
    report_workday: int | None = None,
) -> Settings:
    """Change the settings (administrators only); a kind once added stays (projects may use it)."""
    require_role(actor, Role.ADMIN)
    current = load(session)
    row = session.get(ProjectSettings, 1)
    if row is None:
        row = ProjectSettings(id=1, kinds=list(current.kinds))
        session.add(row)
    kinds = list(row.kinds or DEFAULT_KINDS)
    for kind in add_kinds:
        kind = kind.strip()
        if not kind or len(kind) > 20:
            raise InvalidInput("项目类型名称应为1至20个字")
        if kind not in kinds:
            kinds.append(kind)
    row.kinds = kinds
    lagging = current.lagging_pp if lagging_pp is None else lagging_pp
    severe = current.severe_pp if severe_pp is None else severe_pp
    ahead = current.ahead_pp if ahead_pp is None else ahead_pp
    if min(lagging, severe, ahead) < 0 or severe < lagging:
        raise InvalidInput("状态阈值应为非负的百分点，且严重滞后阈值不小于滞后阈值")
    if rounding is not None and rounding not in ROUNDING:
        raise InvalidInput("取舍方式应为 round（四舍五入）或 truncate（截断）")
    if decimals is not None and not 0 <= decimals <= 4:
        raise InvalidInput("小数位数应为0至4")
    if report_workday is not None and not 1 <= report_workday <= 20:
        raise InvalidInput("报送期限应为次月第1至20个工作日")
    row.ahead_pp, row.lagging_pp, row.severe_pp = ahead, lagging, severe
    row.rounding = rounding or current.rounding
    row.decimals = current.decimals if decimals is None else decimals
    row.report_workday = current.report_workday if report_workday is None else report_workday
    session.flush()
    return load(session)


def level_of(text: str) -> str | None:
    value = text.strip()
    return value if value in LEVELS else LEVEL_ALIASES.get(value)
