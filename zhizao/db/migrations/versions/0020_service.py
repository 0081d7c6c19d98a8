"""service: the 帮包 officer's contact; imported 诉求's external reference; 诉求 categories linked to plan tasks (policy issues)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-01 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0020'
down_revision: str | Sequence[str] | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('service_assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact', sa.String(length=100), server_default='', nullable=False))
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('external_ref', sa.String(length=60), nullable=True))
        batch_op.create_index(batch_op.f('ix_service_requests_external_ref'), ['external_ref'], unique=False)
    op.create_table('service_policy_links',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_code', sa.String(length=20), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=400), nullable=False),
    sa.Column('created_by', sa.String(length=60), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['plan_tasks.id'], name=op.f('fk_service_policy_links_task_id_plan_tasks'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_policy_links')),
    sa.UniqueConstraint('category_code', 'task_id', name=op.f('uq_service_policy_links_category_code_task_id'))
    )
    with op.batch_alter_table('service_policy_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_policy_links_task_id'), ['task_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('service_policy_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_policy_links_task_id'))
    op.drop_table('service_policy_links')
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_requests_external_ref'))
        batch_op.drop_column('external_ref')
    with op.batch_alter_table('service_assignments', schema=None) as batch_op:
        batch_op.drop_column('contact')
