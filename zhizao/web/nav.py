"""The top navigation: one list. An area adds its page with one `NavItem(...)` line below."""

from __future__ import annotations

from dataclasses import dataclass

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    label: str  # Chinese source string; translated through the catalogue (locales/en.json)
    path: str
    roles: frozenset[Role] = ALL_ROLES


NAV_ITEMS: list[NavItem] = [
    NavItem("首页", "/"),
    NavItem("企业名录", "/enterprises"),
    # Areas add their pages here, one line each.
    NavItem("计划", "/plans", frozenset({Role.ADMIN, Role.ANALYST, Role.DISTRICT, Role.DEPARTMENT})),
    NavItem("督查督办", "/tracking", frozenset({Role.ADMIN, Role.ANALYST, Role.DISTRICT, Role.DEPARTMENT})),
    NavItem("工业运行监测", "/monitoring", frozenset({Role.ADMIN, Role.ANALYST, Role.DISTRICT})),
    NavItem("亩产效益评价", "/evaluation", ALL_ROLES - {Role.DEPARTMENT}),
    NavItem("数据导入", "/imports", frozenset({Role.ADMIN, Role.ANALYST, Role.DISTRICT})),
    NavItem("企业服务", "/service"),
    NavItem("我的企业门户", "/portal", frozenset({Role.ENTERPRISE})),
    NavItem("高质量发展指数", "/regional-index", frozenset({Role.ADMIN, Role.ANALYST, Role.DISTRICT})),
    NavItem("产业链", "/chains"),
    NavItem("重点项目", "/projects"),
    NavItem("企业培育", "/cultivation", ALL_ROLES - {Role.DEPARTMENT}),
    NavItem("我的任务", "/jobs"),
    NavItem("用户管理", "/admin/users", frozenset({Role.ADMIN})),
    NavItem("单位清单", "/admin/units", frozenset({Role.ADMIN})),
    NavItem("审计日志", "/admin/audit", frozenset({Role.ADMIN})),
]


def nav_for(actor: Actor | None) -> list[NavItem]:
    if actor is None:
        return []
    return [item for item in NAV_ITEMS if actor.role in item.roles]
