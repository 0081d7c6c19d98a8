"""monitoring: parks and saved firm lists (firm_groups) and their members

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-01 19:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | Sequence[str] | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('firm_groups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=6), nullable=True),
    sa.Column('level', sa.String(length=40), nullable=False),
    sa.Column('note', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_firm_groups_region_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_firm_groups')),
    sa.UniqueConstraint('kind', 'name', name=op.f('uq_firm_groups_kind_name'))
    )
    op.create_table('firm_group_members',
    sa.Column('group_id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_firm_group_members_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['group_id'], ['firm_groups.id'], name=op.f('fk_firm_group_members_group_id_firm_groups'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('group_id', 'enterprise_id', name=op.f('pk_firm_group_members'))
    )
    with op.batch_alter_table('firm_group_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_firm_group_members_enterprise_id'), ['enterprise_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('firm_group_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_firm_group_members_enterprise_id'))
    op.drop_table('firm_group_members')
    op.drop_table('firm_groups')
