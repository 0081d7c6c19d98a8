"""Imports every model module so that `Base.metadata` is complete (Alembic, tests).

Each area keeps its tables in its own `models.py`; adding an area means one import line here.
"""

import zhizao.audit.log
import zhizao.audit.models
import zhizao.auth.models
import zhizao.chains.models
import zhizao.cultivation.models
import zhizao.enterprises.models
import zhizao.evaluation.models
import zhizao.imports.models
import zhizao.jobs.models
import zhizao.monitoring.models
import zhizao.plans.models
import zhizao.projects.models
import zhizao.reference.models
import zhizao.service.models
import zhizao.tracking.models
import zhizao.tracking.urge_models
from zhizao.db.base import Base

__all__ = ["Base"]
