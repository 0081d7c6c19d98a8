"""daily: 催办 records on task assignments

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-01 19:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0019'
down_revision: str | Sequence[str] | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('task_urges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=False),
    sa.Column('author', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['task_assignments.id'], name=op.f('fk_task_urges_assignment_id_task_assignments'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['unit_id'], ['units.id'], name=op.f('fk_task_urges_unit_id_units')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_task_urges'))
    )
    with op.batch_alter_table('task_urges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_task_urges_assignment_id'), ['assignment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('task_urges', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_task_urges_assignment_id'))
    op.drop_table('task_urges')
