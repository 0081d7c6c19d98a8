"""Plan → diff → apply. `preview()` reads and checks a whole file and compares it with the database without
writing; `apply()` does the same, refuses on any error, asks for confirmation of warnings and changed values,
then writes everything inside the caller's transaction (all or nothing).

Rows stream through in chunks: the file is read twice (once to check, once to write) instead of being held
in memory, so memory stays flat however long the file is. Re-importing a file changes nothing: values are
compared with what is stored, and an import that changes nothing is not recorded at all.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Table as SqlTable
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from zhizao.audit.log import record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.db.base import table_of, utcnow
from zhizao.enterprises.models import Enterprise, EnterpriseFigure
from zhizao.errors import InvalidInput, Problem
from zhizao.imports import validate
from zhizao.imports.headers import KEY_FIELDS, Catalogue, HeaderMap, map_header
from zhizao.imports.models import FigureChange, Import
from zhizao.imports.readers import Table, UnusableFile, formula_cells_without_value, open_table
from zhizao.imports.validate import FigureRow, Findings, Options

CHUNK = 2000
MAX_CHANGES_SHOWN = 2000
UNIT_HINT_RATIO = 1000  # a value this many times last year's (or less) suggests 元 was entered as 万元
KINDS = ("enterprises", "figures")
T = TypeVar("T")
Progress = Callable[[int], None]


@dataclass(frozen=True)
class Change:
    """One value that the import would change (old → new)."""

    row: int
    credit_code: str
    name: str
    field: str
    label: str
    year: int | None
    month: int
    old: object
    new: object


@dataclass
class Preview:
    kind: str
    filename: str
    sha256: str
    file_type: str
    rows_total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    warnings: int = 0
    problems: list[Problem] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    ignored_columns: tuple[str, ...] = ()
    fingerprint: str = ""

    @property
    def has_changes(self) -> bool:
        return self.created + self.updated > 0

    @property
    def needs_confirmation(self) -> bool:
        return self.warnings > 0 or self.updated > 0


@dataclass
class ImportResult:
    preview: Preview
    import_id: int | None = None


class ValidationFailed(InvalidInput):
    """The file has errors; nothing was written. Carries the preview (problems) for the report."""

    def __init__(self, preview: Preview) -> None:
        super().__init__(
            f"文件有{preview.errors}处错误，未导入任何数据"
            + (f"（另有{preview.warnings}处警告）" if preview.warnings else ""),
            preview.problems,
        )
        self.preview = preview


class NeedsConfirmation(InvalidInput):
    """Warnings or changed values that the user has not confirmed; nothing was written."""

    def __init__(self, preview: Preview) -> None:
        super().__init__("文件有警告或会修改已有数据，需要确认后才导入", preview.problems)
        self.preview = preview


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _same(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _open(session: Session, path: Path, kind: str, options: Options) -> tuple[Table, HeaderMap]:
    if kind not in KINDS:
        raise InvalidInput(f"未知的导入类型 {kind}（可选: {'、'.join(KINDS)}）")
    table = open_table(path)
    header = map_header(table, kind, Catalogue.load(session))
    if kind == "figures" and header.get("year") is None and options.year is None:
        raise UnusableFile("文件没有「年度」列，请增加「年度」列，或在导入时指定年度（--year）")
    return table, header


def preview(
    session: Session,
    actor: Actor,
    path: Path,
    kind: str,
    options: Options | None = None,
    *,
    filename: str | None = None,
    progress: Progress | None = None,
) -> Preview:
    """Check the whole file and compare it with the database. Writes nothing."""
    require_role(actor, Role.ADMIN, Role.ANALYST, Role.DISTRICT)
    options = options or Options()
    table, header = _open(session, path, kind, options)
    result, findings = _start(path, table, header, kind, filename)
    digest = hashlib.sha256()
    if kind == "figures":
        for chunk, plan in _figure_plans(session, actor, table, header, options, findings):
            _count(result, chunk, plan, digest)
            if progress:
                progress(len(chunk))
    else:
        enterprise_plan = _enterprise_plan(session, actor, table, header, options, findings)
        _count_enterprises(result, enterprise_plan, digest)
    _finish(result, findings, digest)
    return result


def _start(
    path: Path, table: Table, header: HeaderMap, kind: str, filename: str | None
) -> tuple[Preview, Findings]:
    result = Preview(kind, filename or path.name, file_sha256(path), table.file_type)
    result.ignored_columns = header.ignored
    findings = Findings()
    _formulas_without_value(table, header, findings)
    return result, findings


def _finish(result: Preview, findings: Findings, digest: hashlib._Hash) -> None:
    result.errors, result.warnings = findings.errors, findings.warnings
    result.problems = sorted(findings.problems.items, key=lambda p: (p.row or 0, p.column or ""))
    result.fingerprint = digest.hexdigest()
    if result.rows_total == 0 and not result.errors:
        raise UnusableFile("文件中没有数据行（只有表头）")


def _formulas_without_value(table: Table, header: HeaderMap, findings: Findings) -> None:
    if table.file_type != "xlsx":
        return
    for ref in formula_cells_without_value(table.path, table.sheet_name):
        letters = ref.rstrip("0123456789")
        row = int(ref[len(letters) :] or 0)
        if row > header.row:
            findings.problems.error(
                "公式没有计算结果：请在Excel中打开后保存，或将公式粘贴为数值", row, letters
            )
            findings.errors += 1


def _check_accepted(checked: Preview, confirmed: bool, expected_fingerprint: str | None) -> None:
    if checked.errors:
        raise ValidationFailed(checked)
    if expected_fingerprint is not None and expected_fingerprint != checked.fingerprint:
        raise InvalidInput("预览之后数据已发生变化，请重新预览后再确认导入")
    if checked.needs_confirmation and not confirmed:
        raise NeedsConfirmation(checked)


def apply(
    session: Session,
    actor: Actor,
    path: Path,
    kind: str,
    options: Options | None = None,
    *,
    filename: str | None = None,
    confirmed: bool = False,
    expected_fingerprint: str | None = None,
    progress: Progress | None = None,
    previewed: Preview | None = None,
) -> ImportResult:
    """Import a file: all of it, or nothing. Raises ValidationFailed, NeedsConfirmation or UnusableFile.

    `previewed`: the preview of this file made in the same transaction (refuses early without reading the
    file when that preview already says no, or returns when it found nothing to change).

    Figures are checked and written in the same single pass over the file, inside a savepoint that is
    rolled back when the file turns out to have errors, has changed since the preview (`expected_fingerprint`)
    or needs a confirmation that was not given."""
    options = options or Options()
    if previewed is not None:
        _check_accepted(previewed, confirmed, expected_fingerprint)
        if not previewed.has_changes:
            return ImportResult(previewed)
    if kind == "figures":
        return _apply_figures(
            session, actor, path, options, filename, confirmed, expected_fingerprint, progress
        )
    checked = previewed or preview(session, actor, path, kind, options, filename=filename, progress=progress)
    _check_accepted(checked, confirmed, expected_fingerprint)
    if not checked.has_changes:
        return ImportResult(checked)
    import_id = _insert_import(session, actor, checked)
    table, header = _open(session, path, kind, options)
    plan = _enterprise_plan(session, actor, table, header, options, Findings())
    summary = _write_enterprises(session, plan)
    session.execute(update(Import).where(Import.id == import_id).values(summary=summary))
    record(session, "import", "imports", str(import_id), _audit_changes(checked))
    return ImportResult(checked, import_id)


def _apply_figures(
    session: Session,
    actor: Actor,
    path: Path,
    options: Options,
    filename: str | None,
    confirmed: bool,
    expected_fingerprint: str | None,
    progress: Progress | None,
) -> ImportResult:
    require_role(actor, Role.ADMIN, Role.ANALYST, Role.DISTRICT)
    table, header = _open(session, path, "figures", options)
    result, findings = _start(path, table, header, "figures", filename)
    # The import row first: figure_changes refer to it, and (a write) it opens the transaction on SQLite,
    # so that the savepoint below is nested in it.
    import_id = _insert_import(session, actor, result)
    savepoint = session.begin_nested()
    digest = hashlib.sha256()
    try:
        for chunk, plan in _figure_plans(session, actor, table, header, options, findings, import_id):
            _count(result, chunk, plan, digest)
            if not findings.errors:  # after the first error the import is refused: only check the rest
                _write_figures(session, actor, import_id, plan)
            if progress:
                progress(len(chunk))
        _finish(result, findings, digest)
        _check_accepted(result, confirmed, expected_fingerprint)
    except BaseException:
        _discard(session, savepoint, import_id)
        raise
    if not result.has_changes:
        _discard(session, savepoint, import_id)
        return ImportResult(result)
    savepoint.commit()
    session.execute(update(Import).where(Import.id == import_id).values(**_import_counts(result)))
    record(session, "import", "imports", str(import_id), _audit_changes(result))
    return ImportResult(result, import_id)


def _discard(session: Session, savepoint: Any, import_id: int) -> None:
    if savepoint.is_active:
        savepoint.rollback()
    session.execute(delete(Import).where(Import.id == import_id))


def _audit_changes(checked: Preview) -> dict[str, object]:
    return {
        "kind": checked.kind,
        "filename": checked.filename,
        "sha256": checked.sha256,
        "rows": checked.rows_total,
        "created": checked.created,
        "updated": checked.updated,
        "unchanged": checked.unchanged,
        "warnings": checked.warnings,
    }


def _insert_import(session: Session, actor: Actor, checked: Preview) -> int:
    table = table_of(Import)
    values = {
        "kind": checked.kind,
        "filename": checked.filename[:255],
        "sha256": checked.sha256,
        "actor": actor.username,
        "created_at": utcnow(),
        "status": "applied",
        **_import_counts(checked),
    }
    return int(session.execute(insert(table).returning(table.c.id), values).scalar_one())


def _import_counts(checked: Preview) -> dict[str, object]:
    return {
        "rows_total": checked.rows_total,
        "rows_created": checked.created,
        "rows_updated": checked.updated,
        "rows_unchanged": checked.unchanged,
        "summary": {"warnings": checked.warnings, "ignored_columns": list(checked.ignored_columns)},
    }


# --- figures ---------------------------------------------------------------------------------------------


@dataclass
class FigurePlan:
    """What one chunk of rows does to the figures table."""

    creates: list[tuple[FigureRow, str, float]] = field(default_factory=list)
    updates: list[tuple[FigureRow, str, int, float, float]] = field(
        default_factory=list
    )  # row, ind, id, old, new
    unchanged: int = 0


Key = tuple[int, str, int, int]


def _existing(session: Session, rows: list[FigureRow], import_id: int | None) -> dict[Key, tuple[int, float]]:
    """Stored figures of the chunk's enterprises in its years and the years before, as they were before
    this import (`import_id`: values it has written in earlier chunks are replaced by the old ones)."""
    ids = sorted({r.enterprise_id for r in rows})
    years = sorted({r.year for r in rows} | {r.year - 1 for r in rows})
    f = EnterpriseFigure
    # `year + 0`: without statistics SQLite would pick the (year, indicator) index and scan a whole year
    # for every chunk (quadratic on large files); this way it looks up each enterprise in the unique index.
    query = select(f.id, f.enterprise_id, f.indicator_id, f.year, f.month, f.value, f.source).where(
        f.enterprise_id.in_(ids), (f.year + 0).in_(years)
    )
    existing: dict[Key, tuple[int, float]] = {}
    ours: list[Key] = []
    source = f"import:{import_id}"
    for fid, e, i, y, m, v, s in session.execute(query):
        existing[(e, i, y, m)] = (fid, v)
        if import_id is not None and s == source:
            ours.append((e, i, y, m))
    if ours:
        _as_before(session, existing, ours, import_id)
    return existing


def _as_before(
    session: Session, existing: dict[Key, tuple[int, float]], ours: list[Key], import_id: int | None
) -> None:
    """Put back the values that the running import has already overwritten (or remove what it created)."""
    c = FigureChange
    query = select(c.enterprise_id, c.indicator_id, c.year, c.month, c.old_value).where(
        c.import_id == import_id, c.enterprise_id.in_(sorted({k[0] for k in ours}))
    )
    before = {(e, i, y, m): old for e, i, y, m, old in session.execute(query)}
    for key in ours:
        old = before.get(key)
        if old is None:
            del existing[key]
        else:
            existing[key] = (existing[key][0], old)


def _figure_plans(
    session: Session,
    actor: Actor,
    table: Table,
    header: HeaderMap,
    options: Options,
    findings: Findings,
    import_id: int | None = None,
) -> Iterator[tuple[list[FigureRow], FigurePlan]]:
    reader = validate.FigureRows(header, validate.load_enterprises(session), actor, options, findings)
    for chunk in _batched(reader.read(table), CHUNK):
        existing = _existing(session, chunk, import_id)
        plan = FigurePlan()
        for row in chunk:
            for indicator_id, (value, column) in row.values.items():
                _unit_hint(findings, existing, row, indicator_id, value, column)
                stored = existing.get((row.enterprise_id, indicator_id, row.year, row.month))
                if stored is None:
                    plan.creates.append((row, indicator_id, value))
                elif _same(stored[1], value):
                    plan.unchanged += 1
                else:
                    plan.updates.append((row, indicator_id, stored[0], stored[1], value))
        yield chunk, plan


def _unit_hint(
    findings: Findings,
    existing: dict[Key, tuple[int, float]],
    row: FigureRow,
    indicator_id: str,
    value: float,
    column: validate.Column,
) -> None:
    previous = existing.get((row.enterprise_id, indicator_id, row.year - 1, row.month))
    if previous is None or previous[1] == 0 or value == 0:
        return
    ratio = abs(value / previous[1])
    if ratio >= UNIT_HINT_RATIO or ratio <= 1 / UNIT_HINT_RATIO:
        times = f"{ratio:,.0f}倍" if ratio >= 1 else f"1/{1 / ratio:,.0f}"
        findings.warning(f"是上年（{previous[1]:g}）的{times}，单位是否填错（元/万元）？", row.row, column)


def _count(result: Preview, chunk: list[FigureRow], plan: FigurePlan, digest: hashlib._Hash) -> None:
    result.rows_total += len(chunk)
    result.created += len(plan.creates)
    result.updated += len(plan.updates)
    result.unchanged += plan.unchanged
    for row, indicator_id, value in plan.creates:
        digest.update(f"c{row.enterprise_id},{indicator_id},{row.year},{row.month},{value!r};".encode())
    for row, indicator_id, _fid, old, new in plan.updates:
        digest.update(f"u{row.enterprise_id},{indicator_id},{row.year},{row.month},{old!r},{new!r};".encode())
        if len(result.changes) < MAX_CHANGES_SHOWN:
            column = row.values[indicator_id][1]
            label = column.indicator.label if column.indicator else indicator_id
            result.changes.append(
                Change(row.row, row.credit_code, row.name, indicator_id, label, row.year, row.month, old, new)
            )


FIGURE_COLUMNS = ("enterprise_id", "indicator_id", "year", "month", "value", "source", "updated_at")
CHANGE_COLUMNS = (
    "enterprise_id",
    "indicator_id",
    "year",
    "month",
    "old_value",
    "new_value",
    "import_id",
    "actor",
    "at",
    "reason",
    "note",
)


def _write_figures(session: Session, actor: Actor, import_id: int, plan: FigurePlan) -> None:
    now = utcnow()
    source = f"import:{import_id}"
    figures = table_of(EnterpriseFigure)
    if plan.creates:
        _insert_many(
            session,
            figures,
            FIGURE_COLUMNS,
            [(r.enterprise_id, ind, r.year, r.month, v, source, now) for r, ind, v in plan.creates],
        )
    if plan.updates:
        session.execute(
            update(figures)
            .where(figures.c.id == bindparam("figure_id"))
            .values(value=bindparam("new_value"), source=source, updated_at=now),
            [{"figure_id": fid, "new_value": new} for _r, _i, fid, _old, new in plan.updates],
        )
    who = actor.username
    history = [
        (r.enterprise_id, ind, r.year, r.month, None, v, import_id, who, now, "import", "")
        for r, ind, v in plan.creates
    ] + [
        (r.enterprise_id, ind, r.year, r.month, old, new, import_id, who, now, "import", "")
        for r, ind, _fid, old, new in plan.updates
    ]
    if history:
        _insert_many(session, table_of(FigureChange), CHANGE_COLUMNS, history)


def _insert_many(
    session: Session, table: SqlTable, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> None:
    """INSERT many rows of plain values through the driver's executemany.

    The same statement SQLAlchemy would compile, but the values skip its per-row parameter processing
    (which cost more than the database's own work on large imports); only columns whose type needs a
    conversion for this database (e.g. DateTime on SQLite) are converted."""
    connection = session.connection()
    dialect = connection.dialect
    compiled = insert(table).compile(dialect=dialect, column_keys=list(columns))
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns]
    if any(processors):
        rows = [
            tuple(
                p(v) if p is not None and v is not None else v for p, v in zip(processors, row, strict=True)
            )
            for row in rows
        ]
    if compiled.positional:
        order = [columns.index(name) for name in compiled.positiontup or ()]
        params: list[Any] = [tuple(row[i] for i in order) for row in rows]
    else:
        params = [dict(zip(columns, row, strict=True)) for row in rows]
    connection.exec_driver_sql(compiled.string, params)


def _change(
    enterprise_id: int,
    indicator_id: str,
    year: int,
    month: int,
    old: float | None,
    new: float | None,
    import_id: int | None,
    actor: Actor,
    at: object,
    reason: str = "import",
    note: str = "",
) -> dict[str, object]:
    return {
        "enterprise_id": enterprise_id,
        "indicator_id": indicator_id,
        "year": year,
        "month": month,
        "old_value": old,
        "new_value": new,
        "import_id": import_id,
        "actor": actor.username,
        "at": at,
        "reason": reason,
        "note": note[:400],
    }


# --- enterprises -----------------------------------------------------------------------------------------


@dataclass
class EnterprisePlan:
    creates: list[validate.EnterpriseRow] = field(default_factory=list)
    updates: list[tuple[validate.EnterpriseRow, int, dict[str, tuple[object, object]]]] = field(
        default_factory=list
    )
    unchanged: int = 0
    rows: int = 0


def _enterprise_plan(
    session: Session, actor: Actor, table: Table, header: HeaderMap, options: Options, findings: Findings
) -> EnterprisePlan:
    reader = validate.EnterpriseRows(session, header, actor, options, findings)
    rows = list(reader.read(table))
    plan = EnterprisePlan(rows=len(rows))
    enterprises = table_of(Enterprise)
    stored: dict[str, Any] = {}
    for batch in _batched([r.credit_code for r in rows], CHUNK):
        found = session.execute(select(enterprises).where(enterprises.c.credit_code.in_(batch)))
        stored.update({e.credit_code: e for e in found})
    for row in rows:
        existing = stored.get(row.credit_code)
        if existing is None:
            plan.creates.append(row)
            continue
        if actor.role is Role.DISTRICT and existing.region_code != actor.region_code:
            findings.error("该企业登记在其他区县，无权修改", row.row, header.get("credit_code"))
            continue
        diff = {
            name: (getattr(existing, name), value)
            for name, value in row.values.items()
            if getattr(existing, name) != value
        }
        if diff:
            plan.updates.append((row, existing.id, diff))
        else:
            plan.unchanged += 1
    return plan


def _count_enterprises(result: Preview, plan: EnterprisePlan, digest: hashlib._Hash) -> None:
    result.rows_total = plan.rows
    result.created, result.updated, result.unchanged = len(plan.creates), len(plan.updates), plan.unchanged
    for row in plan.creates:
        digest.update(f"c{row.credit_code}{sorted((k, str(v)) for k, v in row.values.items())};".encode())
    for row, _id, diff in plan.updates:
        digest.update(f"u{row.credit_code}{sorted((k, str(v)) for k, v in diff.items())};".encode())
        for name, (old, new) in diff.items():
            if len(result.changes) < MAX_CHANGES_SHOWN:
                label = KEY_FIELDS[name][0]
                result.changes.append(Change(row.row, row.credit_code, "", name, label, None, 0, old, new))


def _write_enterprises(session: Session, plan: EnterprisePlan) -> dict[str, object]:
    table = table_of(Enterprise)
    now = utcnow()
    created: list[int] = []
    if plan.creates:
        rows = [
            {
                "credit_code": r.credit_code,
                "name": r.values["name"],
                "region_code": r.values["region_code"],
                "industry_code": r.values["industry_code"],
                "established_on": r.values.get("established_on"),
                "above_scale": bool(r.values.get("above_scale", False)),
                "tags": r.values.get("tags", []),
                "created_at": now,
                "updated_at": now,
            }
            for r in plan.creates
        ]
        for batch in _batched(rows, CHUNK):
            created += [int(i) for i in session.execute(insert(table).returning(table.c.id), batch).scalars()]
    updated: dict[str, dict[str, list[object]]] = {}
    for _row, enterprise_id, diff in plan.updates:
        values = {name: new for name, (_old, new) in diff.items()}
        session.execute(update(table).where(table.c.id == enterprise_id).values(**values, updated_at=now))
        updated[str(enterprise_id)] = {
            name: [validate.as_json(old), validate.as_json(new)] for name, (old, new) in diff.items()
        }
    return {"created": created, "updated": updated}
