"""plans_leads: how sure the reader was of each extracted item, and why (shown on the review page)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-01 23:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | Sequence[str] | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reasons', sa.JSON(), nullable=True))
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('reasons', sa.JSON(), nullable=True))
    with op.batch_alter_table('task_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('reasons', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('task_assignments', schema=None) as batch_op:
        batch_op.drop_column('reasons')
        batch_op.drop_column('confidence')
    with op.batch_alter_table('plan_targets', schema=None) as batch_op:
        batch_op.drop_column('reasons')
        batch_op.drop_column('confidence')
    with op.batch_alter_table('plans', schema=None) as batch_op:
        batch_op.drop_column('reasons')
