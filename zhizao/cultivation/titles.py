"""Titles held (高企, 创新型, 专精特新, 小巨人, 单项冠军 …): published lists imported, a ladder per
enterprise, 复核 alerts before a title expires.

A list (认定名单) is read with the one reader of `zhizao.imports` (Excel or CSV): a column of 统一社会信用代码
and/or 企业名称. A row found by credit code is matched; a row found only by its exact name is matched too but
written only when the importer confirms name matches; anything else is reported unmatched. A title is valid
for three years from its recognition date (1 January of the list's year unless a date is given).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from zhizao.audit.log import acting_as, record
from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, enterprise_clause, require_role
from zhizao.cultivation.models import EnterpriseTitle
from zhizao.cultivation.programme import TITLES
from zhizao.db.base import table_of
from zhizao.db.upsert import insert_new
from zhizao.enterprises.models import Enterprise
from zhizao.errors import InvalidInput, NotFound
from zhizao.imports import cells
from zhizao.imports.readers import open_table

TITLE_LABELS = {
    "kejixing": "科技型中小企业",
    "chuangxinxing": "创新型中小企业",
    "zhuanjingtexin": "专精特新中小企业",
    "xiaojuren": '专精特新"小巨人"企业',
    "danxiangguanjun": "制造业单项冠军",
    "gaoqi": "高新技术企业",
    "beizeng": "倍增培育企业",
}
LADDER = ("kejixing", "chuangxinxing", "zhuanjingtexin", "xiaojuren", "danxiangguanjun")
VALID_YEARS = 3
CODE_HEADERS = ("统一社会信用代码", "信用代码", "社会信用代码", "credit_code")
NAME_HEADERS = ("企业名称", "名称", "单位名称", "企业", "name")


@dataclass
class ListRow:
    row: int
    credit_code: str
    name: str


@dataclass
class TitleImport:
    """What an import found: rows matched by code, by name (to confirm), and unmatched."""

    title: str
    year: int
    by_code: list[tuple[ListRow, int]] = field(default_factory=list)
    by_name: list[tuple[ListRow, int]] = field(default_factory=list)
    unmatched: list[ListRow] = field(default_factory=list)
    written: int = 0


def validity(year: int, recognised_on: date | None = None) -> tuple[date, date]:
    """Three years from the recognition date (1 January of the list's year when no date is given)."""
    start = recognised_on or date(year, 1, 1)
    try:
        end = start.replace(year=start.year + VALID_YEARS) - timedelta(days=1)
    except ValueError:  # 29 February
        end = date(start.year + VALID_YEARS, 2, 28)
    return start, end


def read_list(path: Path) -> list[ListRow]:
    """The rows of a published list: credit code and/or name per row (header row first)."""
    table = open_table(path)
    rows = table.rows()
    header: list[str] | None = None
    out: list[ListRow] = []
    for number, row in rows:
        texts = [cells.text(c).strip() for c in row]
        if header is None:
            if any(t in CODE_HEADERS or t in NAME_HEADERS for t in texts):
                header = texts
            continue
        values = dict(zip(header, texts, strict=False))
        code = next((values[h] for h in CODE_HEADERS if values.get(h)), "").upper()
        name = next((values[h] for h in NAME_HEADERS if values.get(h)), "")
        if code or name:
            out.append(ListRow(number, code, name))
    if header is None:
        raise InvalidInput("名单没有表头：需要 统一社会信用代码 或 企业名称 列")
    return out


def match_list(session: Session, title: str, year: int, rows: list[ListRow]) -> TitleImport:
    if title not in TITLES:
        raise InvalidInput(f"未知称号 {title} (可用: {', '.join(sorted(TITLES))})")
    found = TitleImport(title, year)
    codes = {r.credit_code for r in rows if r.credit_code}
    names = {r.name for r in rows if r.name}
    by_code = (
        dict(
            session.execute(
                select(Enterprise.credit_code, Enterprise.id).where(Enterprise.credit_code.in_(codes))
            ).all()
        )
        if codes
        else {}
    )
    by_name: dict[str, list[int]] = {}
    if names:
        for name, eid in session.execute(
            select(Enterprise.name, Enterprise.id).where(Enterprise.name.in_(names))
        ):
            by_name.setdefault(name, []).append(eid)
    for r in rows:
        if r.credit_code in by_code:
            found.by_code.append((r, by_code[r.credit_code]))
        elif len(by_name.get(r.name, [])) == 1:
            found.by_name.append((r, by_name[r.name][0]))
        else:
            found.unmatched.append(r)
    return found


def import_titles(
    session: Session,
    actor: Actor,
    path: Path,
    title: str,
    year: int,
    *,
    list_name: str = "",
    recognised_on: date | None = None,
    confirm_names: bool = False,
    dry_run: bool = False,
) -> TitleImport:
    """Import a published list. Name matches are written only with `confirm_names`. Idempotent per
    (enterprise, title, year)."""
    require_role(actor, Role.ADMIN)
    found = match_list(session, title, year, read_list(path))
    if dry_run:
        return found
    valid_from, valid_to = validity(year, recognised_on)
    chosen = found.by_code + (found.by_name if confirm_names else [])
    table = table_of(EnterpriseTitle)
    for r, eid in chosen:
        values = {
            "enterprise_id": eid,
            "title": title,
            "year": year,
            "valid_from": valid_from,
            "valid_to": valid_to,
            "list_name": (list_name or path.name)[:200],
            "matched_by": "credit_code" if r.credit_code else "name",
            "actor": actor.username,
        }
        if insert_new(session, table, values) is not None:
            found.written += 1
    if found.written:
        from zhizao.cultivation.targets import refresh_title_targets  # targets reads this module's labels

        refresh_title_targets(session, date.today(), title)
    with acting_as(actor.username):
        record(
            session,
            "import",
            "enterprise_titles",
            f"{title},{year}",
            {"list": list_name or path.name, "written": found.written, "unmatched": len(found.unmatched)},
        )
    return found


@dataclass
class Rung:
    title: str
    label: str
    year: int
    valid_to: date
    state: str  # valid | expiring | expired

    @property
    def state_label(self) -> str:
        return {"valid": "有效", "expiring": "即将到期，需复核", "expired": "已过期"}[self.state]


def ladder(
    session: Session, actor: Actor, enterprise_id: int, as_of: date, warn_days: int = 180
) -> list[Rung]:
    """The titles an enterprise holds or held, latest per title, up the ladder (高企 and 倍增 last)."""
    visible = enterprise_clause(actor, Enterprise.id, Enterprise.region_code)
    if session.scalar(select(Enterprise.id).where(Enterprise.id == enterprise_id, visible)) is None:
        raise NotFound("企业不存在")
    latest: dict[str, EnterpriseTitle] = {}
    query = select(EnterpriseTitle).where(EnterpriseTitle.enterprise_id == enterprise_id)
    for t in session.scalars(query.order_by(EnterpriseTitle.valid_to)):
        latest[t.title] = t
    order = {name: i for i, name in enumerate((*LADDER, "gaoqi", "beizeng"))}
    return [
        Rung(t.title, TITLE_LABELS[t.title], t.year, t.valid_to, _state(t.valid_to, as_of, warn_days))
        for t in sorted(latest.values(), key=lambda t: order.get(t.title, 99))
    ]


def _state(valid_to: date, as_of: date, warn_days: int) -> str:
    if valid_to < as_of:
        return "expired"
    return "expiring" if (valid_to - as_of).days <= warn_days else "valid"


@dataclass
class RenewalAlert:
    enterprise_id: int
    credit_code: str
    name: str
    region_code: str
    title: str
    valid_to: date
    days_left: int


def renewal_alerts(session: Session, actor: Actor, as_of: date, warn_days: int = 180) -> list[RenewalAlert]:
    """Titles that expire within `warn_days` of `as_of` (复核 due), in the actor's scope, soonest first."""
    e, t = Enterprise, EnterpriseTitle
    horizon = as_of + timedelta(days=warn_days)
    query = (
        select(e.id, e.credit_code, e.name, e.region_code, t.title, t.valid_to)
        .join(t, t.enterprise_id == e.id)
        .where(enterprise_clause(actor, e.id, e.region_code), t.valid_to >= as_of, t.valid_to <= horizon)
        .order_by(t.valid_to, e.credit_code)
    )
    renewed = {
        (eid, title)
        for eid, title in session.execute(select(t.enterprise_id, t.title).where(t.valid_to > horizon))
    }
    return [
        RenewalAlert(
            r.id, r.credit_code, r.name, r.region_code, r.title, r.valid_to, (r.valid_to - as_of).days
        )
        for r in session.execute(query)
        if (r.id, r.title) not in renewed
    ]
