"""Flows: approval toolset (delegations, sign lists, reminders)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    # "sequential" does not fit the 8 characters flow_tasks.mode had.
    with op.batch_alter_table('flow_tasks', schema=None) as batch_op:
        batch_op.alter_column('mode', existing_type=sa.String(length=8), type_=sa.String(length=16), existing_nullable=False)

    op.create_table('flow_task_origins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=False),
    sa.Column('on_behalf_of', sa.BigInteger(), nullable=True),
    sa.Column('resumes_task_id', sa.BigInteger(), nullable=True),
    sa.Column('added_by', sa.BigInteger(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['task_id'], ['flow_tasks.id'], name=op.f('fk_flow_task_origins_task_id_flow_tasks')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flow_task_origins_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_task_origins')),
    sa.UniqueConstraint('task_id', name=op.f('uq_flow_task_origins_task_id'))
    )
    with op.batch_alter_table('flow_task_origins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flow_task_origins_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('flow_delegations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.BigInteger(), nullable=False),
    sa.Column('delegate_id', sa.BigInteger(), nullable=False),
    sa.Column('definition_id', sa.Integer(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['definition_id'], ['flow_definitions.id'], name=op.f('fk_flow_delegations_definition_id_flow_definitions')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flow_delegations_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_delegations'))
    )
    with op.batch_alter_table('flow_delegations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_flow_delegations_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_index('ix_flow_delegations_user', ['tenant_id', 'user_id', 'ends_on'], unique=False)


def downgrade():
    with op.batch_alter_table('flow_delegations', schema=None) as batch_op:
        batch_op.drop_index('ix_flow_delegations_user')
        batch_op.drop_index(batch_op.f('ix_flow_delegations_tenant_id'))

    op.drop_table('flow_delegations')
    with op.batch_alter_table('flow_task_origins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_task_origins_tenant_id'))

    op.drop_table('flow_task_origins')
    with op.batch_alter_table('flow_tasks', schema=None) as batch_op:
        batch_op.alter_column('mode', existing_type=sa.String(length=16), type_=sa.String(length=8), existing_nullable=False)
