"""What the home cockpit shows of 亩产效益评价: the latest run's class counts over the actor's scope (each a
link to the run's results of that class), and for an enterprise account its own result in that run and
what to do next."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor
from zhizao.evaluation.models import EvaluationResult
from zhizao.evaluation.results import OUT_OF_SCOPE, visible_runs
from zhizao.evaluation.runs import scope

CLASS_ORDER = ("A", "B", "C", "D")


@dataclass
class EvaluationBoard:
    run_id: int
    title: str
    year: int
    rows: int
    counts: dict[str, int]  # class id -> enterprises ("" = not classified), A–D first

    def href(self, class_id: str) -> str:
        return f"/evaluation/runs/{self.run_id}?class_id={class_id}" if class_id else self.run_href

    @property
    def run_href(self) -> str:
        return f"/evaluation/runs/{self.run_id}"


def evaluation_board(session: Session, actor: Actor) -> EvaluationBoard | None:
    """The newest run with the class counts the actor may see; None when there is no run (or the role sees
    no results)."""
    runs = visible_runs(session, actor)
    if not runs:
        return None
    run = runs[0]
    order = {c: i for i, c in enumerate(CLASS_ORDER)}
    counts = dict(sorted(run.counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0])))
    return EvaluationBoard(run.id, run.method_title, run.year, run.rows, counts)


@dataclass
class OwnResult:
    """An enterprise account's own row in the latest run, and the next steps offered to it."""

    board: EvaluationBoard
    class_id: str | None
    class_label: str | None
    total: float | None
    rank: int | None
    group_size: int | None
    reasons: list[str]
    next_steps: list[tuple[str, str]] = field(default_factory=list)  # (text, address)


def own_result(session: Session, actor: Actor) -> OwnResult | None:
    """The enterprise account's result in the latest run (None for other roles or without a run)."""
    if actor.role is not Role.ENTERPRISE or actor.enterprise_id is None:
        return None
    board = evaluation_board(session, actor)
    if board is None:
        return None
    row = session.scalar(
        select(EvaluationResult).where(
            EvaluationResult.run_id == board.run_id,
            EvaluationResult.enterprise_id == actor.enterprise_id,
            scope(actor),
        )
    )
    explain = f"/evaluation/enterprises/{actor.enterprise_id}"
    steps: list[tuple[str, str]] = []
    if row is None:
        steps.append(("本企业未参加最近一次评价；如有疑问请联系所在地区工信部门", "/service"))
        return OwnResult(board, None, None, None, None, None, [], steps)
    if row.class_id in ("C", "D"):
        steps.append(("查看失分指标和与同行的差距", explain))
        steps.append(("申请帮扶：提出诉求，由服务专员对接", "/service"))
    else:
        steps.append(("查看评价说明（各指标得分）", explain))
    if row.reasons:
        steps.append(("核对被调整类别的原因", explain))
    steps.append(("核对本企业登记信息和历年数据", f"/enterprises/{actor.enterprise_id}"))
    return OwnResult(
        board,
        row.class_id or OUT_OF_SCOPE,
        row.class_label,
        row.total,
        row.rank,
        row.group_size,
        list(row.reasons or []),
        steps,
    )
