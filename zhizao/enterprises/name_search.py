"""Finding a name fragment anywhere in the names, through an index on either database.

PostgreSQL: `ILIKE '%…%'` served by the trigram GIN index (migration 0018). SQLite: the FTS5 table
`enterprises_fts` with the trigram tokenizer (migration 0020, kept in sync by triggers) for fragments of
three characters or more; shorter fragments, and SQLite versions without the trigram tokenizer (no table),
keep the `LIKE` scan, which gives the same rows.
"""

from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import ColumnElement, Engine, Select, literal_column, select, table, text
from sqlalchemy.orm import Session

from zhizao.enterprises.models import Enterprise

FTS_TABLE = "enterprises_fts"
TRIGRAM = 3  # the trigram index finds fragments of at least this many characters

_known: weakref.WeakKeyDictionary[Engine, bool] = weakref.WeakKeyDictionary()


def has_name_index(session: Session) -> bool:
    """Whether this database has the SQLite FTS5 name index (checked once per engine)."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    if isinstance(bind, Engine) and bind in _known:
        return _known[bind]
    found = (
        session.scalar(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": FTS_TABLE}
        )
        is not None
    )
    if isinstance(bind, Engine):
        _known[bind] = found
    return found


def _like_pattern(fragment: str) -> str:
    escaped = fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def name_clause(fragment: str, *, name_index: bool = False) -> ColumnElement[bool]:
    """Enterprises whose name contains `fragment` (case-insensitive); through the FTS5 index where
    `name_index` says the database has it and the fragment is long enough for a trigram."""
    if name_index and len(fragment) >= TRIGRAM:
        phrase = '"' + fragment.replace('"', '""') + '"'  # one FTS5 string: the fragment, literally
        matching: Select[tuple[Any]] = (
            select(literal_column("rowid"))
            .select_from(table(FTS_TABLE))
            .where(text(f"{FTS_TABLE} MATCH :phrase").bindparams(phrase=phrase))
        )
        return Enterprise.id.in_(matching)
    return Enterprise.name.ilike(_like_pattern(fragment), escape="\\")
