"""One entry for every handling step of a 诉求 by name, so the pages and the JSON API take the same step
through the same library function (`zhizao.service.requests`) with the same checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from zhizao.auth.scope import Actor
from zhizao.errors import InvalidInput, NotFound
from zhizao.service import requests
from zhizao.service.models import ServiceRequest

ACTIONS = (
    "accept",
    "reply",
    "complete",
    "return",
    "transfer",
    "pause",
    "resume",
    "extension_request",
    "extension_approve",
    "callback",
)


@dataclass(frozen=True)
class Step:
    """What a step needs besides its name: the note (答复, 办理结果, 理由), the working days of an extension,
    the department of a transfer, and the two answers of a 回访."""

    note: str = ""
    days: int | None = None
    department_id: int | None = None
    resolved: bool = False
    satisfied: bool = False


def act(session: Session, actor: Actor, request_id: int, action: str, on: date, step: Step) -> ServiceRequest:
    """Take the step `action` on a 诉求 on day `on` (NotFound for an unknown action)."""
    note = step.note
    if action == "accept":
        return requests.accept(session, actor, request_id, on, note)
    if action == "reply":
        return requests.reply(session, actor, request_id, on, note)
    if action == "complete":
        return requests.complete(session, actor, request_id, on, note)
    if action == "return":
        return requests.return_request(session, actor, request_id, on, note)
    if action == "pause":
        return requests.pause(session, actor, request_id, on, note)
    if action == "resume":
        return requests.resume(session, actor, request_id, on, note)
    if action == "extension_request":
        return requests.request_extension(session, actor, request_id, on, step.days or 0, note)
    if action == "extension_approve":
        return requests.approve_extension(session, actor, request_id, on, note)
    if action == "transfer":
        if step.department_id is None:
            raise InvalidInput("请选择改派的部门")
        return requests.transfer(session, actor, request_id, on, step.department_id, note)
    if action == "callback":
        return requests.callback(
            session, actor, request_id, on, resolved=step.resolved, satisfied=step.satisfied, note=note
        )
    raise NotFound("找不到该操作")
