"""webscale: an FTS5 index of enterprise names on SQLite (trigram tokenizer), kept in sync by triggers;
a (region, credit code) index, so a district's list by credit code is an index walk of its own firms;
a partial index of the years of annual figures (month 0), so the export's year choice is a few index
probes instead of a scan past every monthly row of the latest year

On SQLite 3.34 and later a name fragment of three characters or more is found through the trigram index
instead of a LIKE scan of every name. Older SQLite versions have no trigram tokenizer: the table is not
made and name search keeps its LIKE scan (`zhizao.enterprises.search` checks which is there). PostgreSQL
has its trigram GIN index since 0018: nothing to do there.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-01 23:40:00
"""

import sqlite3
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0022'
down_revision: str | Sequence[str] | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
    'enterprises_fts_insert': 'AFTER INSERT ON enterprises BEGIN '
    'INSERT INTO enterprises_fts(rowid, name) VALUES (new.id, new.name); END',
    'enterprises_fts_delete': 'AFTER DELETE ON enterprises BEGIN '
    "INSERT INTO enterprises_fts(enterprises_fts, rowid, name) VALUES ('delete', old.id, old.name); END",
    'enterprises_fts_update': 'AFTER UPDATE OF name ON enterprises BEGIN '
    "INSERT INTO enterprises_fts(enterprises_fts, rowid, name) VALUES ('delete', old.id, old.name); "
    'INSERT INTO enterprises_fts(rowid, name) VALUES (new.id, new.name); END',
}


def _has_trigram() -> bool:
    return sqlite3.sqlite_version_info >= (3, 34, 0)


def upgrade() -> None:
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.create_index('ix_enterprises_region_code_credit_code', ['region_code', 'credit_code'], unique=False)
    with op.batch_alter_table('enterprise_figures', schema=None) as batch_op:
        batch_op.create_index(
            'ix_enterprise_figures_annual_year',
            ['year'],
            unique=False,
            postgresql_where=sa.text('month = 0'),
            sqlite_where=sa.text('month = 0'),
        )
    if op.get_bind().dialect.name != 'sqlite' or not _has_trigram():
        return
    op.execute(
        "CREATE VIRTUAL TABLE enterprises_fts USING fts5("
        "name, content='enterprises', content_rowid='id', tokenize='trigram')"
    )
    op.execute("INSERT INTO enterprises_fts(enterprises_fts) VALUES ('rebuild')")
    for name, body in TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {body}')


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for name in TRIGGERS:
            op.execute(f'DROP TRIGGER IF EXISTS {name}')
        op.execute('DROP TABLE IF EXISTS enterprises_fts')
    with op.batch_alter_table('enterprise_figures', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprise_figures_annual_year')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        batch_op.drop_index('ix_enterprises_region_code_credit_code')
