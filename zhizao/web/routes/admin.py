"""Administration pages: users (list, add, enable/disable, reset password, sign out everywhere), the unit
list (view, import) and the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, UploadFile
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.responses import RedirectResponse, Response

from zhizao.audit.log import acting_as
from zhizao.audit.queries import audit_page
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.auth.sessions import sign_out_everywhere
from zhizao.auth.users import create_user, list_users, reset_password, set_user_active
from zhizao.enterprises.registry import region_choices
from zhizao.errors import InvalidInput
from zhizao.plans.units import all_units
from zhizao.reference.models import Unit
from zhizao.reference.unit_import import HEADER, import_units_upload
from zhizao.web.deps import CurrentActor, SessionDep
from zhizao.web.files import read_upload, upload_limit
from zhizao.web.params import Id, parse_id
from zhizao.web.templating import render

router = APIRouter(prefix="/admin", tags=["pages"], include_in_schema=False)


def _users_context(session: Session, actor: Actor) -> dict[str, object]:
    return {
        "users": list_users(session, actor),
        "roles": list(Role),
        "regions": region_choices(session, actor),
        "units": list(session.scalars(select(Unit.name).order_by(Unit.name))),
    }


@router.get("/users")
def users_page(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    context = _users_context(session, actor) | {"message": None, "problems": [], "form": {}}
    return render(request, "admin/users.html", context)


@router.post("/users")
def users_add(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    username: Annotated[str, Form(min_length=1, max_length=60)],
    password: Annotated[str, Form(max_length=200)],
    role: Annotated[str, Form()],
    display_name: Annotated[str, Form(max_length=100)] = "",
    region_code: Annotated[str, Form()] = "",
    unit_name: Annotated[str, Form()] = "",
    enterprise_id: Annotated[str, Form()] = "",
) -> Response:
    require_role(actor, Role.ADMIN)
    form = {"username": username, "display_name": display_name, "role": role, "region_code": region_code}
    try:
        with acting_as(actor.username):
            create_user(
                session,
                actor,
                username.strip(),
                password,
                role,
                region_code=region_code or None,
                unit_name=unit_name or None,
                enterprise_id=parse_id(enterprise_id, "企业编号"),
                display_name=display_name.strip(),
            )
    except InvalidInput as exc:
        session.rollback()
        context = _users_context(session, actor) | {
            "message": exc.message,
            "problems": exc.problems,
            "form": form,
        }
        return render(request, "admin/users.html", context, status_code=400)
    return RedirectResponse("/admin/users", status_code=303)


def _user_action_failed(request: Request, session: Session, actor: Actor, exc: InvalidInput) -> Response:
    session.rollback()
    context = _users_context(session, actor) | {"message": exc.message, "problems": exc.problems, "form": {}}
    return render(request, "admin/users.html", context, status_code=400)


@router.post("/users/{user_id}/active")
def users_set_active(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    user_id: Id,
    active: Annotated[bool, Form()],
) -> Response:
    try:
        set_user_active(session, actor, user_id, active)
    except InvalidInput as exc:
        return _user_action_failed(request, session, actor, exc)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/users/{user_id}/password")
def users_reset_password(
    request: Request,
    session: SessionDep,
    actor: CurrentActor,
    user_id: Id,
    password: Annotated[str, Form(max_length=200)],
) -> Response:
    try:
        reset_password(session, actor, user_id, password)
    except InvalidInput as exc:
        return _user_action_failed(request, session, actor, exc)
    return RedirectResponse("/admin/users", status_code=303)


UNIT_KIND_LABELS = {"department": "部门", "district": "下级政府", "other": "其他"}


def _units_context(session: Session, actor: Actor) -> dict[str, object]:
    require_role(actor, Role.ADMIN)
    units = all_units(session)
    names = {u.id: u.name for u in units}
    return {
        "units": units,
        "parents": {u.id: names.get(u.parent_id, "") for u in units if u.parent_id},
        "kind_labels": UNIT_KIND_LABELS,
        "columns": HEADER,
        "message": None,
        "problems": [],
        "imported": None,
    }


@router.get("/units")
def units_page(request: Request, session: SessionDep, actor: CurrentActor) -> Response:
    return render(request, "admin/units.html", _units_context(session, actor))


@router.post("/units/import")
def units_import(
    request: Request, session: SessionDep, actor: CurrentActor, file: UploadFile | None = None
) -> Response:
    require_role(actor, Role.ADMIN)
    try:
        if file is None or not file.filename:
            raise InvalidInput("请选择单位清单文件 (.xlsx 或 .csv)")
        content = read_upload(file, upload_limit(request))
        with acting_as(actor.username):
            result = import_units_upload(session, actor, file.filename, content)
    except InvalidInput as exc:
        session.rollback()
        context = _units_context(session, actor) | {"message": exc.message, "problems": exc.problems}
        return render(request, "admin/units.html", context, status_code=400)
    return render(request, "admin/units.html", _units_context(session, actor) | {"imported": result})


@router.post("/users/{user_id}/sessions/end")
def users_sign_out_everywhere(session: SessionDep, actor: CurrentActor, user_id: Id) -> Response:
    """End every session of the user at once (a lost laptop, a suspected stolen cookie)."""
    sign_out_everywhere(session, actor, user_id)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/audit")
def audit_log(
    request: Request, session: SessionDep, actor: CurrentActor, page: Annotated[int, Query(ge=1)] = 1
) -> Response:
    return render(request, "admin/audit.html", {"page": audit_page(session, actor, page)})
