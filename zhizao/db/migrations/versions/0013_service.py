"""service: 服务专员 assignments, visits, the versioned 诉求 categories and the 诉求 with their events

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-01 15:33:40.288488
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0013'
down_revision: str | Sequence[str] | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('service_config_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('loaded_at', sa.DateTime(), nullable=False),
    sa.Column('escalation', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_config_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_service_config_versions_version'))
    )
    op.create_table('service_categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('config_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('co_department_ids', sa.JSON(), nullable=False),
    sa.Column('contact_days', sa.Integer(), nullable=False),
    sa.Column('reply_days', sa.Integer(), nullable=False),
    sa.Column('complete_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['config_id'], ['service_config_versions.id'], name=op.f('fk_service_categories_config_id_service_config_versions')),
    sa.ForeignKeyConstraint(['department_id'], ['units.id'], name=op.f('fk_service_categories_department_id_units')),
    sa.ForeignKeyConstraint(['parent_id'], ['service_categories.id'], name=op.f('fk_service_categories_parent_id_service_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_categories'))
    )
    with op.batch_alter_table('service_categories', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_categories_config_id'), ['config_id'], unique=False)

    op.create_table('service_assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=10), nullable=False),
    sa.Column('basis', sa.String(length=200), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_to', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_service_assignments_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_service_assignments_officer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_assignments'))
    )
    with op.batch_alter_table('service_assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_assignments_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_assignments_officer_id'), ['officer_id'], unique=False)

    op.create_table('service_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('officer_id', sa.Integer(), nullable=False),
    sa.Column('visited_on', sa.Date(), nullable=False),
    sa.Column('form', sa.String(length=20), nullable=False),
    sa.Column('findings', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_service_visits_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['officer_id'], ['users.id'], name=op.f('fk_service_visits_officer_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_visits'))
    )
    with op.batch_alter_table('service_visits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_visits_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_visits_officer_id'), ['officer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_visits_visited_on'), ['visited_on'], unique=False)

    op.create_table('service_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('enterprise_id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('visit_id', sa.Integer(), nullable=True),
    sa.Column('channel', sa.String(length=10), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('lawful', sa.Boolean(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('filed_on', sa.Date(), nullable=False),
    sa.Column('clock_start', sa.Date(), nullable=False),
    sa.Column('paused_since', sa.Date(), nullable=True),
    sa.Column('paused_workdays', sa.Integer(), nullable=False),
    sa.Column('extension_days', sa.Integer(), nullable=False),
    sa.Column('extension_requested', sa.Integer(), nullable=False),
    sa.Column('contacted_on', sa.Date(), nullable=True),
    sa.Column('replied_on', sa.Date(), nullable=True),
    sa.Column('completed_on', sa.Date(), nullable=True),
    sa.Column('contact_due', sa.Date(), nullable=False),
    sa.Column('reply_due', sa.Date(), nullable=False),
    sa.Column('complete_due', sa.Date(), nullable=False),
    sa.Column('original_due', sa.Date(), nullable=False),
    sa.Column('workdays_taken', sa.Integer(), nullable=True),
    sa.Column('on_time', sa.Boolean(), nullable=True),
    sa.Column('resolved', sa.Boolean(), nullable=True),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.Column('reopen_count', sa.Integer(), nullable=False),
    sa.Column('return_reason', sa.String(length=400), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['service_categories.id'], name=op.f('fk_service_requests_category_id_service_categories')),
    sa.ForeignKeyConstraint(['department_id'], ['units.id'], name=op.f('fk_service_requests_department_id_units')),
    sa.ForeignKeyConstraint(['enterprise_id'], ['enterprises.id'], name=op.f('fk_service_requests_enterprise_id_enterprises'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['visit_id'], ['service_visits.id'], name=op.f('fk_service_requests_visit_id_service_visits')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_requests'))
    )
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_requests_category_id'), ['category_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_complete_due'), ['complete_due'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_enterprise_id'), ['enterprise_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_service_requests_status'), ['status'], unique=False)

    op.create_table('service_request_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('on', sa.Date(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=60), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=1000), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['department_id'], ['units.id'], name=op.f('fk_service_request_events_department_id_units')),
    sa.ForeignKeyConstraint(['request_id'], ['service_requests.id'], name=op.f('fk_service_request_events_request_id_service_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_request_events'))
    )
    with op.batch_alter_table('service_request_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_service_request_events_request_id'), ['request_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('service_request_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_request_events_request_id'))

    op.drop_table('service_request_events')
    with op.batch_alter_table('service_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_requests_status'))
        batch_op.drop_index(batch_op.f('ix_service_requests_enterprise_id'))
        batch_op.drop_index(batch_op.f('ix_service_requests_department_id'))
        batch_op.drop_index(batch_op.f('ix_service_requests_complete_due'))
        batch_op.drop_index(batch_op.f('ix_service_requests_category_id'))

    op.drop_table('service_requests')
    with op.batch_alter_table('service_visits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_visits_visited_on'))
        batch_op.drop_index(batch_op.f('ix_service_visits_officer_id'))
        batch_op.drop_index(batch_op.f('ix_service_visits_enterprise_id'))

    op.drop_table('service_visits')
    with op.batch_alter_table('service_assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_assignments_officer_id'))
        batch_op.drop_index(batch_op.f('ix_service_assignments_enterprise_id'))

    op.drop_table('service_assignments')
    with op.batch_alter_table('service_categories', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_service_categories_config_id'))

    op.drop_table('service_categories')
    op.drop_table('service_config_versions')
