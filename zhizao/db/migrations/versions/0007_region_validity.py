"""regions: valid_from, valid_to, successor_code (abolished codes kept for old data)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 15:05:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('regions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('valid_from', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('valid_to', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('successor_code', sa.String(length=6), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE ... DROP COLUMN (SQLite >= 3.35 has it): a batch copy of `regions` would have to
    # drop a table that other tables' foreign keys point at.
    op.drop_column('regions', 'successor_code')
    op.drop_column('regions', 'valid_to')
    op.drop_column('regions', 'valid_from')
