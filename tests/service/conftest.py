"""Service fixtures: departments, a loaded configuration, firms in two districts and the accounts that act
on them (the bureau, a district officer, two departments, two enterprises)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy.orm import Session

from tests.cli.conftest import database  # noqa: F401  (the CLI tests' own database)
from tests.conftest import add_enterprise
from tests.web.conftest import app, client  # noqa: F401  (the web app and its client)
from zhizao.auth.models import User
from zhizao.auth.scope import Actor
from zhizao.auth.users import create_user
from zhizao.enterprises.models import Enterprise
from zhizao.reference.models import Unit
from zhizao.service import config
from zhizao.service.models import ServiceCategory

PASSWORD = "correct-horse-9"
CONFIG = """
note: 测试配置
escalation: {cuiban_after: 1, tongbao_after: 5}
categories:
  - code: "01"
    name: 要素保障
    department: 测试发改委
    limits: {contact: 1, reply: 2, complete: 13}
    children:
      - {code: "0101", name: 用地, department: 测试资规局, co_departments: [测试发改委]}
  - code: "03"
    name: 政策咨询
    department: 测试工信局
    limits: {contact: 1, reply: 3, complete: 3}
"""


@dataclass
class World:
    units: dict[str, Unit]
    categories: dict[str, ServiceCategory]
    firm_a: Enterprise  # 370211
    firm_b: Enterprise  # 370211
    firm_c: Enterprise  # 370212, another district
    users: dict[str, User]

    def actor(self, name: str) -> Actor:
        return Actor.from_user(self.users[name])


@pytest.fixture
def world(session: Session) -> World:
    units = {}
    for name in ("测试发改委", "测试资规局", "测试工信局"):
        unit = Unit(name=name, kind="department")
        session.add(unit)
        units[name] = unit
    session.flush()
    version = config.load_config(session, Actor.system(), CONFIG)
    categories = {c.code: c for c in config.categories(session, version)}
    firm_a = add_enterprise(session, name="甲制造有限公司", region_code="370211")
    firm_b = add_enterprise(session, name="乙制造有限公司", region_code="370211")
    firm_c = add_enterprise(session, name="丙制造有限公司", region_code="370212")
    system = Actor.system()
    users = {
        "admin": create_user(session, system, "svc-admin", PASSWORD, "admin"),
        "officer": create_user(session, system, "svc-officer", PASSWORD, "district", region_code="370211"),
        "officer_c": create_user(
            session, system, "svc-officer-c", PASSWORD, "district", region_code="370212"
        ),
        "fgw": create_user(session, system, "svc-fgw", PASSWORD, "department", unit_name="测试发改委"),
        "zgj": create_user(session, system, "svc-zgj", PASSWORD, "department", unit_name="测试资规局"),
        "gxj": create_user(session, system, "svc-gxj", PASSWORD, "department", unit_name="测试工信局"),
        "firm_a": create_user(session, system, "svc-firm-a", PASSWORD, "enterprise", enterprise_id=firm_a.id),
        "firm_b": create_user(session, system, "svc-firm-b", PASSWORD, "enterprise", enterprise_id=firm_b.id),
    }
    session.flush()
    return World(units, categories, firm_a, firm_b, firm_c, users)
