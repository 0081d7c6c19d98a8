"""Imports every model module so that `Base.metadata` is complete (Alembic, tests).

Each later area adds its own `models.py` and one import line here.
"""

import zhizao.audit.log  # noqa: F401  (registers the audit listeners)
import zhizao.evaluation.models  # noqa: F401
import zhizao.tracking.models  # noqa: F401
from zhizao.audit.models import AppMeta, AuditEntry
from zhizao.auth.models import User
from zhizao.db.base import Base
from zhizao.enterprises.models import Enterprise, EnterpriseFigure, Indicator
from zhizao.imports.models import FigureChange, Import
from zhizao.plans.models import AssignmentUnit, Plan, PlanTarget, PlanTask, TaskAssignment, UnitMapping
from zhizao.reference.models import Industry, Region, Unit

__all__ = [
    "AppMeta",
    "AuditEntry",
    "Base",
    "Enterprise",
    "EnterpriseFigure",
    "FigureChange",
    "Import",
    "Indicator",
    "Industry",
    "Region",
    "Unit",
    "User",
    "AssignmentUnit",
    "Plan",
    "PlanTarget",
    "PlanTask",
    "TaskAssignment",
    "UnitMapping",
]
