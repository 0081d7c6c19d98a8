"""jobs (long work off the request) and indexes for a registry of a million enterprises

On PostgreSQL: a trigram GIN index for name fragments (pg_trgm), a pattern index for credit-code prefixes,
and (column, id) indexes for every sort of the enterprise list, so a page is an index walk. The
PostgreSQL-only indexes are created here by hand and left out of `alembic check` (see env.py).

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-01 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | Sequence[str] | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SORT_INDEXES = {  # name -> columns; declared on the model too
    'ix_enterprises_established_on_id': ['established_on', 'id'],
    'ix_enterprises_region_code_id': ['region_code', 'id'],
    'ix_enterprises_industry_code_id': ['industry_code', 'id'],
    'ix_enterprises_name_id': ['name', 'id'],
    'ix_enterprises_region_code_name_id': ['region_code', 'name', 'id'],  # a region's firms by name
}


def upgrade() -> None:
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=1000), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('result_url', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('started_at', sa.DateTime(), nullable=True),
    sa.Column('finished_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['users.id'], name=op.f('fk_jobs_owner_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_owner_id'), ['owner_id'], unique=False)
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        for name, columns in SORT_INDEXES.items():
            batch_op.create_index(name, columns, unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS pg_trgm')
        op.execute('CREATE INDEX ix_enterprises_name_trgm ON enterprises USING gin (name gin_trgm_ops)')
        op.execute(
            'CREATE INDEX ix_enterprises_credit_code_prefix ON enterprises (credit_code text_pattern_ops)'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX IF EXISTS ix_enterprises_credit_code_prefix')
        op.execute('DROP INDEX IF EXISTS ix_enterprises_name_trgm')
    with op.batch_alter_table('enterprises', schema=None) as batch_op:
        for name in SORT_INDEXES:
            batch_op.drop_index(name)
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_jobs_owner_id'))
    op.drop_table('jobs')
