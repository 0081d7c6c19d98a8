"""Importing the monthly 调度 form: all rows or nothing, with the imports' preview, messages, confirmation
and history.

`preview()` reads and checks the whole file and compares it with the database without writing; `apply()`
does the same, refuses on any error (`ValidationFailed`), asks for confirmation of warnings and of changed
plans or reports (`NeedsConfirmation`), then writes everything inside a savepoint: the projects a file names
for the first time (created by their first row), field changes, the year's plan, the month's report, and one
`project_changes` row per changed value, all tied to one `imports` row (kind `projects`).

A project is found by its 投资项目统一代码, else by its name and region (by name alone when that is unique).
A row counts as new when its month's report is new; as changed when it alters a stored report or the plan of
a known project (计划总投资, 年度计划投资, planned dates) — those need confirmation, like changed figures.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from zhizao.audit.log import record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role, sees_region
from zhizao.db.base import table_of, utcnow
from zhizao.enterprises.models import Enterprise
from zhizao.imports.apply import file_sha256
from zhizao.imports.models import Import
from zhizao.imports.outcome import Change, ImportResult, Preview, check_accepted
from zhizao.imports.readers import UnusableFile, open_table
from zhizao.imports.validate import Findings
from zhizao.projects import settings as project_settings
from zhizao.projects.columns import FIELDS, label, map_columns
from zhizao.projects.models import Project, ProjectChange, ProjectMonth, ProjectPlan
from zhizao.projects.rows import Row, RowReader
from zhizao.projects.store import scope_clause

KIND = "projects"
WRITERS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT, Role.DEPARTMENT, Role.ENTERPRISE)
CREATORS = (Role.ADMIN, Role.ANALYST, Role.DISTRICT)
# row field -> Project attribute
PROJECT_FIELDS = {
    "name": "name",
    "code": "code",
    "kind": "kind",
    "level": "level",
    "region": "region_code",
    "owner_code": "enterprise_id",
    "owner_name": "owner_name",
    "unit": "unit_id",
    "leader": "leader",
    "chain_code": "chain_code",
    "node_code": "node_code",
    "total_investment": "total_investment",
    "start_planned": "start_planned",
    "start_actual": "start_actual",
    "complete_planned": "complete_planned",
    "complete_actual": "complete_actual",
    "effect_planned": "effect_planned",
    "effect_actual": "effect_actual",
    "new_output": "new_output",
    "suspend_reason": "suspend_reason",
}
PLAN_FIELDS = ("total_investment", "start_planned", "complete_planned", "annual_plan")
MONTH_FIELDS = ("year_actual", "cumulative", "stage", "issues")
NEW_PROJECT_NEEDS = ("kind", "level", "region")


@dataclass
class Op:
    """What one row writes."""

    row: Row
    key: tuple[str, ...]
    project_id: int | None  # None: a project this file creates
    name: str
    code: str
    fields: dict[str, tuple[object, object]] = field(default_factory=dict)  # attribute → (old, new)
    plan: tuple[float | None, float] | None = None  # (old, new) 年度计划投资
    month: dict[str, tuple[object, object]] = field(default_factory=dict)  # (old, new)
    month_new: bool = True
    counts_as_update: bool = False


@dataclass
class Planned:
    preview: Preview
    ops: list[Op]


def _same(old: object, new: object) -> bool:
    if isinstance(old, float | int) and isinstance(new, float | int):
        return abs(float(old) - float(new)) < 1e-6
    return old == new


class Planner:
    """Compares the rows with what is stored (and with the rows before them in the file)."""

    def __init__(self, session: Session, actor: Actor, findings: Findings) -> None:
        self.session = session
        self.actor = actor
        self.findings = findings
        self.by_code: dict[str, Project] = {}
        self.by_name: dict[str, list[Project]] = {}
        for p in session.scalars(select(Project)):
            if p.code:
                self.by_code[p.code] = p
            self.by_name.setdefault(p.name, []).append(p)
        self.visible = set(session.scalars(select(Project.id).where(scope_clause(actor))))
        self.state: dict[tuple[str, ...], dict[str, object]] = {}  # project key → current attributes
        self.ids: dict[tuple[str, ...], int | None] = {}
        self.months: dict[tuple[str, ...], dict[tuple[int, int], dict[str, object]]] = {}
        self.plans: dict[tuple[str, ...], dict[int, float]] = {}
        self.seen: dict[tuple[tuple[str, ...], int, int], int] = {}

    def _find(self, row: Row) -> tuple[tuple[str, ...], Project | None] | None:
        v = row.values
        code, name, region = str(v.get("code", "")), str(v.get("name", "")), v.get("region")
        if code and code in self.by_code:
            return ("code", code), self.by_code[code]
        same = [
            p
            for p in self.by_name.get(name, [])
            if (region is None or p.region_code == region) and not (code and p.code)
        ]
        if code:  # a code not stored yet: the project of that name and region that has no code, or a new one
            return ("code", code), same[0] if len(same) == 1 else None
        if len(same) > 1:
            self.findings.error(
                "同名项目有多个，请填写投资项目统一代码或所属区域", row.number, row.columns.get("name")
            )
            return None
        if same:
            return ("name", name, same[0].region_code), same[0]
        return ("name", name, str(region or "")), None

    def plan_row(self, row: Row) -> Op | None:
        if "name" not in row.values or "year" not in row.values or "month" not in row.values:
            return None
        found = self._find(row)
        if found is None:
            return None
        key, project = found
        if key not in self.state and not self._start(row, key, project):
            return None
        period = (row.year, row.month)
        if (key, *period) in self.seen:
            self.findings.error(
                f"与第{self.seen[(key, *period)]}行重复（同一项目、年度、月份）",
                row.number,
                row.columns.get("month"),
            )
            return None
        self.seen[(key, *period)] = row.number
        return self._op(row, key)

    def _start(self, row: Row, key: tuple[str, ...], project: Project | None) -> bool:
        """The first row of a project in the file: check it may be written, load its stored state."""
        f, v = self.findings, row.values
        if project is not None:
            if self.actor.role not in WRITERS or project.id not in self.visible:
                f.error("该项目不在本账号的范围内，无权报送", row.number, row.columns.get("name"))
                return False
            self.state[key] = {attr: getattr(project, attr) for attr in PROJECT_FIELDS.values()}
            self.state[key]["stage"] = project.stage
            self.state[key]["suspended_on"] = project.suspended_on
            self.ids[key] = project.id
            self.months[key] = {
                (m.year, m.month): {name: getattr(m, name) for name in MONTH_FIELDS}
                for m in self.session.scalars(
                    select(ProjectMonth).where(ProjectMonth.project_id == project.id)
                )
            }
            self.plans[key] = dict(
                self.session.execute(
                    select(ProjectPlan.year, ProjectPlan.annual_plan).where(
                        ProjectPlan.project_id == project.id
                    )
                ).all()
            )
            return True
        missing = [label(n) for n in NEW_PROJECT_NEEDS if n not in v]
        if missing:
            f.error(f"新项目（首次报送）须填写: {'、'.join(missing)}", row.number, row.columns.get("name"))
            return False
        if self.actor.role not in CREATORS or not sees_region(self.actor, str(v["region"])):
            f.error("无权在该区域新建项目", row.number, row.columns.get("region"))
            return False
        self.state[key] = dict.fromkeys(PROJECT_FIELDS.values()) | {"stage": "reserve", "suspended_on": None}
        self.ids[key], self.months[key], self.plans[key] = None, {}, {}
        return True

    def _op(self, row: Row, key: tuple[str, ...]) -> Op:
        state, v = self.state[key], row.values
        known = self.ids[key] is not None
        op = Op(row, key, self.ids[key], str(v["name"]), str(v.get("code", "") or state.get("code") or ""))
        for field_id, attr in PROJECT_FIELDS.items():
            if field_id not in v:
                continue
            new = self.enterprises_id(v[field_id]) if field_id == "owner_code" else v[field_id]
            if new is None or _same(state.get(attr), new):
                continue
            if field_id == "region" and known and not sees_region(self.actor, str(new)):
                self.findings.error("无权把项目改到该区域", row.number, row.columns.get("region"))
                continue
            op.fields[attr] = (state.get(attr), new)
            state[attr] = new
            if known and field_id in PLAN_FIELDS:
                op.counts_as_update = True
        self._status(op, state)
        if "annual_plan" in v:
            old_plan = self.plans[key].get(row.year)
            new_plan = float(v["annual_plan"])  # type: ignore[arg-type]
            if old_plan is None or not _same(old_plan, new_plan):
                op.plan = (old_plan, new_plan)
                self.plans[key][row.year] = new_plan
                op.counts_as_update = op.counts_as_update or (known and old_plan is not None)
        self._month(op, key, state)
        return op

    def enterprises_id(self, code: object) -> int | None:
        return self.session.scalar(select(Enterprise.id).where(Enterprise.credit_code == str(code)))

    def _status(self, op: Op, state: dict[str, object]) -> None:
        status = op.row.values.get("status")
        if status is None:
            return
        if status == "suspended":
            if state.get("suspended_on") is None:
                op.fields["suspended_on"] = (None, op.row.period_end)
                state["suspended_on"] = op.row.period_end
            return
        if state.get("suspended_on") is not None:
            op.fields["suspended_on"] = (state["suspended_on"], None)  # 复工
            state["suspended_on"] = None
        if state.get("stage") != status:
            op.fields["stage"] = (state.get("stage"), status)
            state["stage"] = status

    def _month(self, op: Op, key: tuple[str, ...], state: dict[str, object]) -> None:
        row, v = op.row, op.row.values
        months = self.months[key]
        new = {
            "year_actual": v.get("year_actual"),
            "cumulative": v.get("cumulative"),
            "stage": "suspended" if state.get("suspended_on") else state.get("stage") or "",
            "issues": v.get("issues", ""),
        }
        stored = months.get((row.year, row.month))
        op.month_new = stored is None
        for name in MONTH_FIELDS:
            old = stored.get(name) if stored else None
            if stored is None or not _same(old, new[name]):
                op.month[name] = (old, new[name])
        if stored is not None and op.month:
            op.counts_as_update = True
        earlier = [m for (y, m) in months if y == row.year and m < row.month]
        if earlier:
            before = months[(row.year, max(earlier))]
            for name, what in (("year_actual", "本年完成投资"), ("cumulative", "自开始建设累计完成投资")):
                old_value, new_value = before.get(name), new[name]
                if (
                    isinstance(old_value, float)
                    and isinstance(new_value, float)
                    and new_value < old_value - 1e-6
                ):
                    self.findings.warning(
                        f"{what}小于{max(earlier)}月报送的{old_value:g}，请核实",
                        row.number,
                        row.columns.get(name),
                    )
        months[(row.year, row.month)] = new


def _plan(session: Session, actor: Actor, path: Path, filename: str | None) -> Planned:
    require_role(actor, *WRITERS)
    table = open_table(path)
    header, factors = map_columns(table)
    rules = project_settings.load(session)
    findings = Findings()
    enterprises = {
        code: (id_, name)
        for code, id_, name in session.execute(select(Enterprise.credit_code, Enterprise.id, Enterprise.name))
    }
    reader = RowReader(session, header, factors, rules, findings, enterprises)
    planner = Planner(session, actor, findings)
    result = Preview(KIND, filename or path.name, file_sha256(path), table.file_type)
    result.ignored_columns = header.ignored
    digest = hashlib.sha256()
    ops: list[Op] = []
    for row in reader.read(table):
        result.rows_total += 1
        errors_before = findings.errors
        op = planner.plan_row(row)
        if op is None or findings.errors > errors_before:
            continue
        ops.append(op)
        _tally(result, op, digest)
    result.errors, result.warnings = findings.errors, findings.warnings
    result.problems = sorted(findings.problems.items, key=lambda p: (p.row or 0, p.column or ""))
    result.fingerprint = digest.hexdigest()
    if result.rows_total == 0 and not result.errors:
        raise UnusableFile("文件中没有数据行（只有表头）")
    return Planned(result, ops)


def _tally(result: Preview, op: Op, digest: Any) -> None:
    changed = bool(op.fields or op.plan or op.month)
    if op.counts_as_update:
        result.updated += 1
    elif changed:
        result.created += 1
    else:
        result.unchanged += 1
    digest.update(
        repr(
            (
                op.key,
                op.row.year,
                op.row.month,
                sorted(op.fields.items(), key=str),
                op.plan,
                sorted(op.month.items(), key=str),
            )
        ).encode()
    )
    if op.project_id is None:
        return
    labels = {attr: FIELDS[f][0] for f, attr in PROJECT_FIELDS.items()} | {
        "stage": "项目状态",
        "suspended_on": "停缓建日期",
    }
    for attr, (old, new) in op.fields.items():
        if old is not None:
            result.changes.append(
                Change(op.row.number, op.code, op.name, attr, labels[attr], op.row.year, 0, old, new)
            )
    if op.plan and op.plan[0] is not None:
        result.changes.append(
            Change(op.row.number, op.code, op.name, "annual_plan", "年度计划投资", op.row.year, 0, *op.plan)
        )
    if not op.month_new:
        for name, (old, new) in op.month.items():
            result.changes.append(
                Change(
                    op.row.number,
                    op.code,
                    op.name,
                    name,
                    MONTH_LABELS[name],
                    op.row.year,
                    op.row.month,
                    old,
                    new,
                )
            )


MONTH_LABELS = {
    "year_actual": "本年完成投资",
    "cumulative": "自开始建设累计完成投资",
    "stage": "项目状态",
    "issues": "存在问题",
}


def preview(session: Session, actor: Actor, path: Path, *, filename: str | None = None) -> Preview:
    """Check the whole file and compare it with the database. Writes nothing."""
    return _plan(session, actor, path, filename).preview


def apply(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    filename: str | None = None,
    confirmed: bool = False,
    expected_fingerprint: str | None = None,
) -> ImportResult:
    """Import a 调度 file: all of it or nothing. Raises ValidationFailed, NeedsConfirmation, UnusableFile."""
    planned = _plan(session, actor, path, filename)
    checked = planned.preview
    check_accepted(checked, confirmed, expected_fingerprint)
    if not checked.has_changes:
        return ImportResult(checked)
    savepoint = session.begin_nested()
    try:
        import_id = _insert_import(session, actor, checked)
        _write(session, actor, import_id, planned.ops)
        session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    record(
        session,
        "import",
        "imports",
        str(import_id),
        {
            "kind": KIND,
            "filename": checked.filename,
            "rows": checked.rows_total,
            "created": checked.created,
            "updated": checked.updated,
        },
    )
    return ImportResult(checked, import_id)


def _insert_import(session: Session, actor: Actor, checked: Preview) -> int:
    table = table_of(Import)
    values = {
        "kind": KIND,
        "filename": checked.filename[:255],
        "sha256": checked.sha256,
        "actor": actor.username,
        "created_at": utcnow(),
        "status": "applied",
        "rows_total": checked.rows_total,
        "rows_created": checked.created,
        "rows_updated": checked.updated,
        "rows_unchanged": checked.unchanged,
        "summary": {"warnings": checked.warnings, "ignored_columns": list(checked.ignored_columns)},
    }
    return int(session.execute(insert(table).returning(table.c.id), values).scalar_one())


def _write(session: Session, actor: Actor, import_id: int, ops: list[Op]) -> None:
    created: dict[tuple[str, ...], Project] = {}
    for op in ops:
        project = created.get(op.key) if op.project_id is None else session.get(Project, op.project_id)
        if project is None:
            project = Project(name=op.name, kind="", level="", region_code="")
            session.add(project)
            created[op.key] = project
        for attr, (_old, new) in op.fields.items():
            setattr(project, attr, new)
        session.flush()
        changes: list[tuple[str, int | None, object, object]] = [
            (attr, None, old, new) for attr, (old, new) in op.fields.items()
        ]
        if op.plan is not None:
            _upsert_plan(session, project.id, op.row.year, op.plan[1])
            changes.append(("annual_plan", 0, op.plan[0], op.plan[1]))
        if op.month:
            _upsert_month(session, project.id, op, import_id)
            changes += [(name, op.row.month, old, new) for name, (old, new) in op.month.items()]
        for attr, month, old, new in changes:
            session.add(
                ProjectChange(
                    project_id=project.id,
                    field=attr,
                    year=op.row.year,
                    month=month or 0,
                    old_value=_text(old),
                    new_value=_text(new),
                    import_id=import_id,
                    actor=actor.username,
                    reason="import",
                )
            )


def _upsert_plan(session: Session, project_id: int, year: int, value: float) -> None:
    found = session.scalars(
        select(ProjectPlan).where(ProjectPlan.project_id == project_id, ProjectPlan.year == year)
    ).first()
    if found is None:
        session.add(ProjectPlan(project_id=project_id, year=year, annual_plan=value))
    else:
        found.annual_plan = value


def _upsert_month(session: Session, project_id: int, op: Op, import_id: int) -> None:
    values = {name: new for name, (_old, new) in op.month.items()}
    found = session.scalars(
        select(ProjectMonth).where(
            ProjectMonth.project_id == project_id,
            ProjectMonth.year == op.row.year,
            ProjectMonth.month == op.row.month,
        )
    ).first()
    if found is None:
        session.add(
            ProjectMonth(
                project_id=project_id, year=op.row.year, month=op.row.month, import_id=import_id, **values
            )
        )
    else:
        session.execute(
            update(ProjectMonth)
            .where(ProjectMonth.id == found.id)
            .values(**values, import_id=import_id, reported_at=utcnow())
        )
        session.expire(found)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)[:400]
