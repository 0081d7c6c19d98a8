"""Roles and what each may do. The scope rules (which rows) are in `scope.py`."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"  # everything, user management
    ANALYST = "analyst"  # read all, run analyses
    DISTRICT = "district"  # read and edit enterprises of their region and the regions inside it
    DEPARTMENT = "department"  # their own unit's tasks
    ENTERPRISE = "enterprise"  # only itself


ROLE_LABELS = {
    Role.ADMIN: "管理员",
    Role.ANALYST: "分析员",
    Role.DISTRICT: "地区工作人员",
    Role.DEPARTMENT: "部门工作人员",
    Role.ENTERPRISE: "企业用户",
}


def parse_role(value: str) -> Role:
    from zhizao.errors import InvalidInput

    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise InvalidInput(f"未知角色 {value!r}，可选: {allowed}") from None
