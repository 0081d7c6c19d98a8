"""The 催办通知 and the 通报 of an overdue 诉求 as .docx, in the bulletin's GB/T 9704 layout (the page setup
is `zhizao.tracking.bulletin.official_document`, shared, not copied)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date

from docx.enum.text import WD_ALIGN_PARAGRAPH
from sqlalchemy.orm import Session

from zhizao.auth.roles import Role
from zhizao.auth.scope import Actor, require_role
from zhizao.errors import InvalidInput, NotFound
from zhizao.office.official import title_paragraph
from zhizao.service import escalation
from zhizao.tracking.bulletin import body_paragraph, default_issuer, official_document, title_font

TITLES = {"cuiban": "关于督促办理企业诉求的通知", "tongbao": "关于企业诉求超期未办结情况的通报"}


@dataclass
class Notice:
    data: bytes
    filename: str
    notes: list[str] = field(default_factory=list)


def _chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def notice(
    session: Session, actor: Actor, request_id: int, as_of: date, kind: str, issuer: str | None = None
) -> Notice:
    """The notice of step `kind` ("cuiban" or "tongbao") for a 诉求 overdue on `as_of` (the bureau only),
    signed by `issuer` (default: the home region's industry and IT bureau, as the bulletin)."""
    issuer = issuer or default_issuer()
    require_role(actor, Role.ADMIN)
    if kind not in TITLES:
        raise InvalidInput(f"未知的文书类型: {kind}")
    found = [o for o in escalation.overdue(session, actor, as_of) if o.request_id == request_id]
    if not found:
        raise NotFound(f"截至 {as_of} 该诉求未超期")
    item = found[0]
    font, note = title_font()
    doc = official_document()
    title_paragraph(doc, TITLES[kind], font)
    body_paragraph(doc, "")
    if kind == "cuiban":
        body_paragraph(doc, f"{item.department}：", indent=False)
        body_paragraph(
            doc,
            f"{item.enterprise}提出的诉求“{item.title}”（编号 {item.request_id}）办结时限为"
            f"{_chinese_date(item.due)}，截至{_chinese_date(as_of)}已超期{item.days_overdue}个工作日。",
        )
        body_paragraph(doc, "请抓紧办理，尽快办结并将办理结果答复企业、反馈我局。")
    else:
        body_paragraph(doc, "各有关单位：", indent=False)
        body_paragraph(
            doc,
            f"{item.department}承办的{item.enterprise}诉求“{item.title}”（编号 {item.request_id}）办结时限为"
            f"{_chinese_date(item.due)}，经催办后截至{_chinese_date(as_of)}仍未办结，"
            f"已超期{item.days_overdue}个工作日。现予通报。",
        )
        body_paragraph(doc, f"请{item.department}立即办结，并书面说明超期原因。")
    body_paragraph(doc, "")
    body_paragraph(doc, issuer, indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    body_paragraph(doc, _chinese_date(as_of), indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    filename = f"{escalation.STEP_LABELS[kind]}-{item.request_id}-{as_of.isoformat()}.docx"
    return Notice(out.getvalue(), filename, [note] if note else [])
