"""Flows: the path each instance took, pruned from its live state

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('flow_passed_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('task_id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=255), nullable=False),
    sa.Column('node_type', sa.String(length=40), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['instance_id'], ['flow_instances.id'], name=op.f('fk_flow_passed_steps_instance_id_flow_instances')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flow_passed_steps_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_passed_steps'))
    )
    with op.batch_alter_table('flow_passed_steps', schema=None) as batch_op:
        batch_op.create_index('ix_flow_passed_steps_instance', ['instance_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flow_passed_steps_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('flow_passed_steps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_passed_steps_tenant_id'))
        batch_op.drop_index('ix_flow_passed_steps_instance')

    op.drop_table('flow_passed_steps')
