"""Importing 诉求 from a file (an Excel or CSV export of a 12345 政企通 hotline, or a list kept by hand): all
rows or nothing, with the imports' preview, problems by row and column, confirmation and history.

The columns are one `FieldMap` (`zhizao.imports.fieldmap`): 工单编号 (optional; a number imported
before is skipped with a warning, so the same export imports once), 统一社会信用代码 or 企业名称 (the
firm, which must be one the user may file for), 诉求类别 (a 小类 or 大类 of the current configuration,
by code or name), 诉求标题, 诉求内容 and 提交日期 (the day the clock starts). `preview()` reads and
checks everything without writing; `apply()` refuses on any error, asks for confirmation of warnings,
then files every row through `requests.file` (channel 导入) inside a savepoint, with one `imports` row
(kind `service_requests`), audited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, require_role
from zhizao.enterprises.models import Enterprise
from zhizao.errors import NotFound
from zhizao.imports import cells
from zhizao.imports.apply import file_sha256
from zhizao.imports.fieldmap import Field, FieldMap, RowValues
from zhizao.imports.models import Import
from zhizao.imports.outcome import ImportResult, Preview, check_accepted
from zhizao.imports.readers import UnusableFile, open_table
from zhizao.imports.validate import Findings
from zhizao.service import config, requests
from zhizao.service.models import ServiceCategory, ServiceRequest

KIND = "service_requests"
IMPORTERS = (Role.ADMIN, Role.DISTRICT)
FIELD_MAP = FieldMap(
    [
        Field(
            "title",
            "诉求标题",
            ("标题", "工单标题", "诉求事项", "主题", "事项"),
            required=True,
            max_length=200,
        ),
        Field(
            "category",
            "诉求类别",
            ("类别", "诉求分类", "问题类别", "问题分类", "诉求小类", "小类", "业务类别", "类别编码"),
            required=True,
        ),
        Field("external_ref", "工单编号", ("工单号", "诉求编号", "受理编号", "编号"), max_length=60),
        Field(
            "credit_code",
            "统一社会信用代码",
            ("社会信用代码", "信用代码", "统一信用代码", "纳税人识别号", "企业信用代码"),
        ),
        Field("name", "企业名称", ("诉求企业", "诉求单位", "单位名称", "企业", "来电单位")),
        Field("body", "诉求内容", ("内容", "问题描述", "诉求描述", "工单内容", "来电内容", "具体诉求")),
        Field(
            "filed_on",
            "提交日期",
            ("登记日期", "受理日期", "来电日期", "来电时间", "诉求日期", "提交时间", "登记时间", "日期"),
            required=True,
            kind="date",
        ),
    ],
    anchors=("title", "category"),
)


@dataclass(frozen=True)
class Op:
    """One 诉求 the import files."""

    row: int
    enterprise_id: int
    category_id: int
    title: str
    body: str
    filed_on: date
    external_ref: str | None


@dataclass
class Planned:
    preview: Preview
    ops: list[Op]


class _Lookups:
    """The firms the actor may file for, and the categories of the current configuration."""

    def __init__(self, session: Session, actor: Actor) -> None:
        firms = session.execute(select(Enterprise.id, Enterprise.credit_code, Enterprise.name)).all()
        self.by_code = {code: id_ for id_, code, _name in firms}
        self.by_name: dict[str, list[int]] = {}
        for id_, _code, name in firms:
            self.by_name.setdefault(name, []).append(id_)
        clause = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
        self.allowed = set(session.scalars(select(Enterprise.id).where(clause)))
        try:
            categories = config.categories(session)
        except NotFound:
            raise UnusableFile("尚未加载诉求类别配置，请先加载（zhizao service load-config）") from None
        self.categories: dict[str, list[ServiceCategory]] = {}
        for category in categories:
            for key in (category.code, category.name):
                self.categories.setdefault(key, []).append(category)


def _firm(values: RowValues, found: _Lookups, findings: Findings) -> int | None:
    code, name = values.text("credit_code").upper(), values.text("name")
    column = values.columns.get("credit_code") if code else values.columns.get("name")
    if code:
        firm = found.by_code.get(code)
        if firm is None:
            findings.error(f"统一社会信用代码 {code} 不在企业名录中", values.number, column)
            return None
    elif name:
        matches = found.by_name.get(name, [])
        if len(matches) != 1:
            what = "不在企业名录中" if not matches else "有同名企业，请填写统一社会信用代码"
            findings.error(f"企业「{name}」{what}", values.number, column)
            return None
        firm = matches[0]
    else:
        findings.error("请填写统一社会信用代码或企业名称", values.number, None)
        return None
    if firm not in found.allowed:
        findings.error("该企业不在本账号的范围内，不能为其登记诉求", values.number, column)
        return None
    return firm


def _category(values: RowValues, found: _Lookups, findings: Findings) -> int | None:
    key = values.text("category")
    if not key:
        return None
    matches = found.categories.get(key, [])
    column = values.columns.get("category")
    if not matches:
        findings.error(f"未知的诉求类别「{cells.show(key)}」（填写类别编码或名称）", values.number, column)
        return None
    if len(matches) > 1:
        findings.error(f"类别名称「{key}」不唯一，请填写类别编码", values.number, column)
        return None
    return matches[0].id


class _Planner:
    def __init__(self, session: Session, actor: Actor, today: date, findings: Findings) -> None:
        self.session, self.today, self.findings = session, today, findings
        self.found = _Lookups(session, actor)
        self.seen_refs: dict[str, int] = {}

    def plan(self, values: RowValues) -> Op | None:
        f, number = self.findings, values.number
        for message, column in values.problems:
            f.error(message, number, column)
        firm = _firm(values, self.found, f)
        category = _category(values, self.found, f)
        filed_on = values.values.get("filed_on")
        if isinstance(filed_on, date) and filed_on > self.today:
            f.error(f"提交日期 {filed_on} 晚于今天", number, values.columns.get("filed_on"))
        ref = values.text("external_ref") or None
        if ref and ref in self.seen_refs:
            column = values.columns.get("external_ref")
            f.error(f"工单编号与第{self.seen_refs[ref]}行重复", number, column)
            return None
        if ref:
            self.seen_refs[ref] = number
        if firm is None or category is None or not isinstance(filed_on, date) or values.problems:
            return None
        if ref and self._imported(ref):
            f.warning(f"工单编号 {ref} 已导入过，本行跳过", number, values.columns.get("external_ref"))
            return None
        title = values.text("title")
        return Op(number, firm, category, title, values.text("body"), filed_on, ref)

    def _imported(self, ref: str) -> bool:
        stmt = select(ServiceRequest.id).where(ServiceRequest.external_ref == ref).limit(1)
        return self.session.scalar(stmt) is not None


def _plan(session: Session, actor: Actor, path: Path, filename: str | None, today: date) -> Planned:
    require_role(actor, *IMPORTERS)
    table = open_table(path)
    header = FIELD_MAP.find(table)
    if header.get("credit_code") is None and header.get("name") is None:
        raise UnusableFile("缺少「统一社会信用代码」或「企业名称」列（至少需要其中一列）")
    findings = Findings()
    planner = _Planner(session, actor, today, findings)
    result = Preview(KIND, filename or path.name, file_sha256(path), table.file_type)
    result.ignored_columns = header.ignored
    digest = hashlib.sha256()
    ops: list[Op] = []
    for number, row in table.rows():
        if number <= header.row or all(cells.is_empty(c) for c in row):
            continue
        result.rows_total += 1
        op = planner.plan(FIELD_MAP.read(header, number, row))
        if op is None:
            result.unchanged += 1
            continue
        ops.append(op)
        result.created += 1
        digest.update(repr(op).encode())
    if result.rows_total == 0:
        raise UnusableFile("文件中没有数据行（只有表头）")
    result.errors, result.warnings = findings.errors, findings.warnings
    result.problems = sorted(findings.problems.items, key=lambda p: (p.row or 0, p.column or ""))
    result.fingerprint = digest.hexdigest()
    return Planned(result, ops)


def preview(
    session: Session, actor: Actor, path: Path, *, filename: str | None = None, today: date | None = None
) -> Preview:
    """Check the whole file against the registry and the configuration. Writes nothing."""
    return _plan(session, actor, path, filename, today or date.today()).preview


def apply(
    session: Session,
    actor: Actor,
    path: Path,
    *,
    filename: str | None = None,
    confirmed: bool = False,
    expected_fingerprint: str | None = None,
    today: date | None = None,
) -> ImportResult:
    """File every 诉求 of the file, or none. Raises ValidationFailed, NeedsConfirmation, UnusableFile."""
    planned = _plan(session, actor, path, filename, today or date.today())
    checked = planned.preview
    check_accepted(checked, confirmed, expected_fingerprint)
    if not planned.ops:
        return ImportResult(checked)
    savepoint = session.begin_nested()
    try:
        with acting_as(actor.username):
            row = _import_row(actor, checked)
            session.add(row)
            session.flush()
            for op in planned.ops:
                _file(session, actor, op)
            record(
                session,
                "import",
                "imports",
                str(row.id),
                {"kind": KIND, "filename": checked.filename, "rows": checked.rows_total},
            )
            session.flush()
    except BaseException:
        savepoint.rollback()
        raise
    savepoint.commit()
    return ImportResult(checked, row.id)


def _import_row(actor: Actor, checked: Preview) -> Import:
    return Import(
        kind=KIND,
        filename=checked.filename[:255],
        sha256=checked.sha256,
        actor=actor.username,
        status="applied",
        rows_total=checked.rows_total,
        rows_created=checked.created,
        rows_updated=0,
        rows_unchanged=checked.unchanged,
        summary={"warnings": checked.warnings, "ignored_columns": list(checked.ignored_columns)},
    )


def _file(session: Session, actor: Actor, op: Op) -> None:
    filed = requests.file(
        session,
        actor,
        enterprise_id=op.enterprise_id,
        category_id=op.category_id,
        title=op.title,
        body=op.body,
        on=op.filed_on,
        channel="import",
    )
    filed.external_ref = op.external_ref
    session.flush()
