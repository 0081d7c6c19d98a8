"""The installation's service configuration, versioned: the 诉求 category tree (大类/小类), each category's
responsible department, co-departments and time limits in working days, and the escalation ladder.

A configuration is a YAML file (see `data/example.yaml`); loading it adds a new version and leaves the old
ones in place, so a 诉求 keeps the limits it was filed under. A 小类 inherits its 大类's department and limits
where it names none."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput, NotFound, Problems
from zhizao.plans.units import find_unit
from zhizao.service.models import ServiceCategory, ServiceConfigVersion

DEFAULT_LIMITS = {"contact": 1, "reply": 3, "complete": 13}
DEFAULT_ESCALATION = {"cuiban_after": 1, "tongbao_after": 5}
EXAMPLE = Path(__file__).parent / "data" / "example.yaml"


@dataclass(frozen=True)
class Ladder:
    """催办 `cuiban_after` working days after expiry; 通报 `tongbao_after` working days after the 催办."""

    cuiban_after: int
    tongbao_after: int


def _limits(
    entry: dict[str, Any], inherited: dict[str, int], where: str, problems: Problems
) -> dict[str, int]:
    limits = dict(inherited)
    for key, value in (entry.get("limits") or {}).items():
        if key not in DEFAULT_LIMITS:
            problems.error(f"{where}: 未知时限 {key!r}（可用 contact/reply/complete）")
        elif not isinstance(value, int) or value < 0:
            problems.error(f"{where}: 时限 {key} 应为非负整数工作日")
        else:
            limits[key] = value
    if limits["contact"] > limits["reply"] or limits["reply"] > limits["complete"]:
        problems.error(f"{where}: 时限应满足 首次联系 ≤ 答复 ≤ 办结")
    return limits


def _unit_id(session: Session, name: str | None, where: str, problems: Problems) -> int | None:
    if not name:
        return None
    try:
        return find_unit(session, str(name)).id
    except NotFound as exc:
        problems.error(f"{where}: {exc.message}")
        return None


def load_config(session: Session, actor: Actor, text: str) -> ServiceConfigVersion:
    """Check a YAML configuration and store it as the next version; nothing is written if it has errors."""
    require_role(actor, Role.ADMIN)
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise InvalidInput(f"配置不是有效的 YAML: {exc}") from None
    problems = Problems()
    escalation = {**DEFAULT_ESCALATION, **(data.get("escalation") or {})}
    if any(not isinstance(v, int) or v < 1 for v in escalation.values()) or set(escalation) != set(
        DEFAULT_ESCALATION
    ):
        problems.error("escalation: 应为 cuiban_after 与 tongbao_after 两个正整数工作日")
    rows: list[tuple[dict[str, Any], str | None, int | None, list[int], dict[str, int]]] = []
    seen: set[str] = set()
    for top in data.get("categories") or []:
        top_code, where = str(top.get("code", "")), f"大类 {top.get('name', '?')}"
        dept = _unit_id(session, top.get("department"), where, problems)
        co = [u for n in top.get("co_departments") or [] if (u := _unit_id(session, n, where, problems))]
        limits = _limits(top, DEFAULT_LIMITS, where, problems)
        rows.append((top, None, dept, co, limits))
        for child in top.get("children") or []:
            cwhere = f"小类 {child.get('name', '?')}"
            cdept = (
                _unit_id(session, child.get("department"), cwhere, problems)
                if child.get("department")
                else dept
            )
            cco = [
                u for n in child.get("co_departments") or [] if (u := _unit_id(session, n, cwhere, problems))
            ]
            rows.append((child, top_code, cdept, cco or co, _limits(child, limits, cwhere, problems)))
    for entry, _parent, dept, _co, _lim in rows:
        code, name = str(entry.get("code", "")), str(entry.get("name", ""))
        if not code or not name:
            problems.error("每个类别都要有 code 与 name")
        if code in seen:
            problems.error(f"类别代码重复: {code}")
        seen.add(code)
        if dept is None and entry.get("department") is None and _parent is None:
            problems.error(f"大类 {name}: 缺少责任部门 department")
    if not rows:
        problems.error("配置中没有任何类别 (categories)")
    if problems.errors:
        raise InvalidInput("服务配置有误，未载入", problems.items)
    number = (session.scalar(select(func.max(ServiceConfigVersion.version))) or 0) + 1
    version = ServiceConfigVersion(version=number, note=str(data.get("note", "")), escalation=escalation)
    session.add(version)
    session.flush()
    ids: dict[str, int] = {}
    for entry, parent, dept, co, limits in rows:
        category = ServiceCategory(
            config_id=version.id,
            code=str(entry["code"]),
            name=str(entry["name"]),
            parent_id=ids[parent] if parent else None,
            department_id=dept,
            co_department_ids=co,
            contact_days=limits["contact"],
            reply_days=limits["reply"],
            complete_days=limits["complete"],
        )
        session.add(category)
        session.flush()
        ids[category.code] = category.id
    return version


def current_version(session: Session) -> ServiceConfigVersion:
    version = session.scalars(
        select(ServiceConfigVersion).order_by(ServiceConfigVersion.version.desc()).limit(1)
    ).first()
    if version is None:
        raise NotFound("尚未载入企业服务配置（zhizao service load-config FILE）")
    return version


def categories(session: Session, version: ServiceConfigVersion | None = None) -> list[ServiceCategory]:
    """The categories of a version (default the current one), 大类 each followed by its 小类."""
    version = version or current_version(session)
    rows = session.scalars(
        select(ServiceCategory).where(ServiceCategory.config_id == version.id).order_by(ServiceCategory.code)
    ).all()
    return list(rows)


def category_label(session: Session, category: ServiceCategory) -> str:
    if category.parent_id is None:
        return category.name
    parent = session.get(ServiceCategory, category.parent_id)
    return f"{parent.name} / {category.name}" if parent else category.name


def ladder_for(session: Session, category: ServiceCategory) -> Ladder:
    version = session.get(ServiceConfigVersion, category.config_id)
    escalation = {**DEFAULT_ESCALATION, **(version.escalation if version else {})}
    return Ladder(escalation["cuiban_after"], escalation["tongbao_after"])
