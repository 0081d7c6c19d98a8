"""Plan → diff → apply. `preview()` reads and checks a whole file and compares it with the database without
writing; `apply()` does the same, refuses on any error, asks for confirmation of warnings and changed values,
then writes everything inside the caller's transaction (all or nothing).

A figures file is read once per preview and once per import, in chunks of rows, and checked as whole
columns (`figures`): only its typed values are held, not its rows as Python values. Re-importing a file
changes nothing: values are compared with what is stored, and an import that changes nothing is not
recorded at all.

The parts: `outcome` (the preview, the result, the refusals), `plan` (rows compared with what is stored),
`figures` (a figures file checked and compared as columns), `tally` (counts and the confirmation
fingerprint), `writes` (figures with their history, enterprises).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from zhizao.audit.log import record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.db.base import table_of, utcnow
from zhizao.errors import InvalidInput
from zhizao.imports.figures import plan_figures
from zhizao.imports.headers import Catalogue, HeaderMap, map_header
from zhizao.imports.models import Import
from zhizao.imports.outcome import ImportResult, Preview, check_accepted
from zhizao.imports.plan import enterprise_plan
from zhizao.imports.readers import Table, UnusableFile, formula_cells_without_value, open_table
from zhizao.imports.tally import tally_enterprises, tally_figures
from zhizao.imports.validate import Findings, Options
from zhizao.imports.writes import write_enterprises, write_figures

KINDS = ("enterprises", "figures")
Progress = Callable[[int], None]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


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
        figures = plan_figures(session, actor, table, header, options, findings, progress=progress)
        tally_figures(result, figures)
        digest.update(figures.fingerprint.encode())
    else:
        planned = enterprise_plan(session, actor, table, header, options, findings)
        tally_enterprises(result, planned, digest)
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

    Figures are checked in full before anything is written, inside a savepoint that is rolled back when the
    file has errors, has changed since the preview (`expected_fingerprint`), needs a confirmation that was
    not given, or a write fails."""
    options = options or Options()
    if previewed is not None:
        check_accepted(previewed, confirmed, expected_fingerprint)
        if not previewed.has_changes:
            return ImportResult(previewed)
    if kind == "figures":
        return _apply_figures(
            session, actor, path, options, filename, confirmed, expected_fingerprint, progress
        )
    checked = previewed or preview(session, actor, path, kind, options, filename=filename, progress=progress)
    check_accepted(checked, confirmed, expected_fingerprint)
    if not checked.has_changes:
        return ImportResult(checked)
    import_id = _insert_import(session, actor, checked)
    table, header = _open(session, path, kind, options)
    plan = enterprise_plan(session, actor, table, header, options, Findings())
    summary = write_enterprises(session, plan)
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
        planned = plan_figures(session, actor, table, header, options, findings, lock=True, progress=progress)
        tally_figures(result, planned)
        digest.update(planned.fingerprint.encode())
        _finish(result, findings, digest)
        check_accepted(result, confirmed, expected_fingerprint)
        if result.has_changes:
            write_figures(session, actor, import_id, planned)
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
