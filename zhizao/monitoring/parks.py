"""The registry of parks (园区、开发区) and saved firm lists (重点企业、倍增企业), imported from a file.

One row per member firm: 名称 (the park's or list's name), 统一社会信用代码 (the member), and optionally
级别 (国家级/省级…) and 行政区划代码. The file is read by the one reader (`imports.readers`); every row is
checked first and any error stops the import with its row and column, so nothing is half-written. The
header is found by the imports' one field map (`zhizao.imports.fieldmap`). The groups named in the file
get exactly the members the file lists (a park's membership is replaced).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput, Problems
from zhizao.imports import cells
from zhizao.imports.fieldmap import Field, FieldMap
from zhizao.imports.readers import open_table
from zhizao.monitoring.models import FirmGroup, FirmGroupMember
from zhizao.reference import home

KINDS = {"park": "园区", "list": "企业名单"}
FIELD_MAP = FieldMap(
    [
        Field("name", "名称", ("园区名称", "开发区名称", "名单名称", "园区"), required=True),
        Field("credit_code", "统一社会信用代码", ("信用代码", "社会信用代码"), required=True),
        Field("level", "级别", ("园区级别",)),
        Field("region_code", "行政区划代码", ("地区代码",)),
    ],
    anchors=("name", "credit_code"),
    duplicates="first",
    merged=False,
    not_found="未找到表头：需要「名称」和「统一社会信用代码」两列",
)


@dataclass
class ParkImport:
    groups: int
    members: int
    dry_run: bool


def import_groups(
    session: Session, actor: Actor, path: Path, kind: str = "park", dry_run: bool = False
) -> ParkImport:
    """Import parks (kind `park`) or saved lists (kind `list`) with their members. Administrators and
    analysts only."""
    require_role(actor, Role.ADMIN, Role.ANALYST)
    if kind not in KINDS:
        raise InvalidInput(f"不支持的类型 {kind}（park 或 list）")
    table = open_table(path)
    header = FIELD_MAP.find(table)
    problems = Problems()
    members: dict[str, set[str]] = defaultdict(set)
    details: dict[str, tuple[str, str | None]] = {}
    for number, row in table.rows():
        if number <= header.row or all(cells.is_empty(c) for c in row):
            continue
        values = FIELD_MAP.read(header, number, row)
        for message, column in values.problems:
            problems.error(message, number, FIELD_MAP.fields[column.field].label if column else None)
        name, code = values.text("name"), values.text("credit_code").upper()
        region = values.text("region_code") or None
        if region and not home.covers(region):
            problems.error(home.outside_message(region), number, "行政区划代码")
        if name and code:
            members[name].add(code)
            details.setdefault(name, (values.text("level"), region))
    known = {code: id_ for code, id_ in session.execute(select(Enterprise.credit_code, Enterprise.id))}
    for name, codes in members.items():
        for code in sorted(codes - known.keys()):
            problems.error(f"{name}：统一社会信用代码 {code} 不在企业名录中", None, "统一社会信用代码")
    if problems.errors:
        raise InvalidInput("未导入：" + "；".join(p.message for p in problems.errors[:20]), problems.items)
    total = sum(len(c) for c in members.values())
    if dry_run:
        return ParkImport(len(members), total, True)
    with acting_as(actor.username):
        for name, codes in members.items():
            level, region = details[name]
            group = session.scalar(select(FirmGroup).where(FirmGroup.kind == kind, FirmGroup.name == name))
            if group is None:
                group = FirmGroup(kind=kind, name=name, level=level, region_code=region, note="")
                session.add(group)
                session.flush()
            else:
                group.level, group.region_code = level or group.level, region or group.region_code
            session.execute(delete(FirmGroupMember).where(FirmGroupMember.group_id == group.id))
            session.add_all(FirmGroupMember(group_id=group.id, enterprise_id=known[c]) for c in codes)
            record(
                session,
                "import",
                "firm_groups",
                str(group.id),
                {"kind": kind, "name": name, "members": len(codes)},
            )
    session.flush()
    return ParkImport(len(members), total, False)


def list_groups(session: Session, kind: str = "park") -> list[tuple[FirmGroup, int]]:
    """The parks (or lists) with their member counts (names only: no firm data)."""
    from sqlalchemy import func

    stmt = (
        select(FirmGroup, func.count(FirmGroupMember.enterprise_id))
        .outerjoin(FirmGroupMember, FirmGroupMember.group_id == FirmGroup.id)
        .where(FirmGroup.kind == kind)
        .group_by(FirmGroup.id)
        .order_by(FirmGroup.name)
    )
    return [(g, int(n)) for g, n in session.execute(stmt)]
