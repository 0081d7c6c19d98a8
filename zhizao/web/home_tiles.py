"""The home cockpit: one list of tiles. An area adds its tile with one `HomeTile(...)` line below (like
`nav.py`): a key, a title, the partial template that draws it, the library function that gathers its data
for the actor (returning None when there is nothing to show), and the roles that see it. The page draws the
tiles of the actor's role in this order; every number a tile shows links to the list behind it.

A tile's data is kept per scope (role, region, unit, enterprise), language and day until the data changes
or HOME_TILE_TTL seconds pass (`zhizao.audit.summaries`): a second view of the home page reads the kept
summaries instead of running the monitoring analysis, the evaluation board and the counts again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from sqlalchemy.orm import Session

from zhizao.audit.summaries import kept
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.enterprises.dashboard import division_chart_options, home_summary, region_chart_options
from zhizao.enterprises.registry import get_enterprise
from zhizao.evaluation.board import evaluation_board, own_result
from zhizao.reference import home
from zhizao.tracking.board import target_board, task_board
from zhizao.tracking.urges import urged_board

HOME_TILE_TTL = 300.0  # seconds a tile's summary is reused while the data does not change
OFFICE = frozenset({Role.ADMIN, Role.ANALYST})
REGION = frozenset({Role.ADMIN, Role.ANALYST, Role.DISTRICT})


@dataclass(frozen=True)
class HomeContext:
    session: Session
    actor: Actor
    today: date
    language: str = "zh"
    gettext: Callable[[str], str] = str


Gather = Callable[[HomeContext], Any]


@dataclass(frozen=True)
class HomeTile:
    key: str
    title: str  # Chinese source string; translated through the catalogue
    template: str  # a partial under templates/, given `data` (what `gather` returned) and `tile`
    gather: Gather
    roles: frozenset[Role]


def _own_firm(ctx: HomeContext) -> Any:
    if ctx.actor.enterprise_id is None:
        return None
    return {
        "firm": get_enterprise(ctx.session, ctx.actor, ctx.actor.enterprise_id),
        "result": own_result(ctx.session, ctx.actor),
    }


def _enterprises(ctx: HomeContext) -> Any:
    summary = home_summary(ctx.session, ctx.actor)
    _ = ctx.gettext
    charts = {
        "regions": region_chart_options(summary, _("各地区企业数"), lang=ctx.language),
        "divisions": division_chart_options(summary, _("各行业大类企业数"), other_label=_("其他")),
    }
    return {"summary": summary, "charts": charts}


def _tasks(ctx: HomeContext) -> Any:
    return task_board(ctx.session, ctx.actor, ctx.today)


def _urged(ctx: HomeContext) -> Any:
    return urged_board(ctx.session, ctx.actor)


def _evaluation(ctx: HomeContext) -> Any:
    return evaluation_board(ctx.session, ctx.actor)


def _projects(ctx: HomeContext) -> Any:
    from zhizao.projects.progress import STATUS_CSS, STATUS_LABELS, status_counts

    counts = status_counts(ctx.session, ctx.actor, ctx.today)
    if not any(counts.values()):
        return None
    return {"counts": counts, "labels": STATUS_LABELS, "css": STATUS_CSS, "total": sum(counts.values())}


def _monitoring(ctx: HomeContext) -> Any:
    from zhizao.monitoring.queries import cockpit_tile

    return cockpit_tile(ctx.session, ctx.actor)


def _chains(ctx: HomeContext) -> Any:
    from zhizao.chains.cockpit import chain_tile

    tile = chain_tile(ctx.session, ctx.actor)
    return tile if tile.chains else None


def _targets(ctx: HomeContext) -> Any:
    board = target_board(ctx.session, ctx.actor, ctx.today)
    return board if board.total else None


HOME_TILES: list[HomeTile] = [
    HomeTile("own", "本企业", "home/_own.html", _own_firm, frozenset({Role.ENTERPRISE})),
    HomeTile("urged", "被催办任务", "home/_urged.html", _urged, frozenset({Role.DEPARTMENT})),
    HomeTile("targets", "目标进展", "home/_targets.html", _targets, REGION),
    HomeTile("tasks", "任务预警", "home/_tasks.html", _tasks, REGION | {Role.DEPARTMENT}),
    HomeTile("evaluation", "亩产效益评价", "home/_evaluation.html", _evaluation, REGION),
    HomeTile("enterprises", "企业概况", "home/_enterprises.html", _enterprises, REGION),
    HomeTile("monitoring", "工业运行", "home/_monitoring.html", _monitoring, REGION),
    HomeTile("projects", "重点项目", "home/_projects.html", _projects, REGION | {Role.DEPARTMENT}),
    HomeTile("chains", "产业链", "home/_chains.html", _chains, REGION),
    # Areas add their tiles here, one line each.
]


@dataclass(frozen=True)
class DrawnTile:
    tile: HomeTile
    data: Any


def tiles_for(ctx: HomeContext) -> list[DrawnTile]:
    """The actor's tiles with their data, leaving out those with nothing to show."""
    drawn = []
    actor = ctx.actor
    scope = (actor.role, actor.region_code, actor.unit_id, actor.enterprise_id, home.home_region_code())
    for tile in HOME_TILES:
        if actor.role not in tile.roles:
            continue
        key = ("home-tile", tile.key, *scope, ctx.language, ctx.today)
        data = kept(ctx.session, key, partial(tile.gather, ctx), HOME_TILE_TTL)
        if data is not None:
            drawn.append(DrawnTile(tile, data))
    return drawn
