"""The JSON shapes of the service API (`/api/v1/service`): a 诉求 as lists show it, one with its history,
filing one, and one handling step. Built from the same rows the pages render (`listing`)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from zhizao.service import listing, requests

MAX_ID = 2_147_483_647  # ids are 32-bit integers in the database (as zhizao.web.params)
ActionName = Literal[
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
]


class RequestPublic(BaseModel):
    id: int
    enterprise_id: int
    enterprise: str
    category: str
    department_id: int | None
    department: str
    channel: str
    title: str
    status: str
    status_label: str
    filed_on: date
    contact_due: date
    reply_due: date
    complete_due: date
    days_left: int | None = Field(description="剩余工作日（负数为超期）；暂停计时或已办结时为空")
    overdue: bool
    clock: str

    @classmethod
    def of(cls, row: listing.Row) -> RequestPublic:
        r = row.request
        return cls(
            id=r.id,
            enterprise_id=r.enterprise_id,
            enterprise=row.enterprise,
            category=row.category,
            department_id=r.department_id,
            department=row.department,
            channel=r.channel,
            title=r.title,
            status=r.status,
            status_label=requests.STATUS_LABELS[r.status],
            filed_on=r.filed_on,
            contact_due=r.contact_due,
            reply_due=r.reply_due,
            complete_due=r.complete_due,
            days_left=row.clock.days_left,
            overdue=row.clock.overdue,
            clock=row.clock.label,
        )


class EventPublic(BaseModel):
    kind: str
    label: str
    on: date
    actor: str
    department: str
    note: str


class RequestDetail(RequestPublic):
    body: str
    events: list[EventPublic]
    actions: list[str] = Field(description="当前账号可以对该诉求执行的操作")

    @classmethod
    def of_page(cls, page: listing.RequestPage) -> RequestDetail:
        events = [
            EventPublic(
                kind=e.event.kind,
                label=e.label,
                on=e.event.on,
                actor=e.event.actor,
                department=e.department,
                note=e.event.note,
            )
            for e in page.events
        ]
        base = RequestPublic.of(page.row).model_dump()
        return cls(**base, body=page.row.request.body, events=events, actions=page.actions)


class RequestCreate(BaseModel):
    """A new 诉求: an enterprise account files for itself (enterprise_id ignored); an officer names the
    firm."""

    category_id: int = Field(ge=1, le=MAX_ID)
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(default="", max_length=5000)
    enterprise_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class RequestAction(BaseModel):
    """One handling step: `complete` is 办结 (close); `note` is the 答复, the result or the reason."""

    action: ActionName
    note: str = Field(default="", max_length=1000)
    days: int | None = Field(default=None, ge=1, le=365, description="延期的工作日数 (extension_request)")
    department_id: int | None = Field(default=None, ge=1, le=MAX_ID, description="改派的部门 (transfer)")
    resolved: bool = False
    satisfied: bool = False
