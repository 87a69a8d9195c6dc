"""Flows: service action runs, incidents, due timers, start triggers

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def _owned():
    """The columns every tenant-owned, timestamped table carries."""
    return [
        sa.Column('tenant_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade():
    op.create_table('flow_action_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('engine_task_id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=255), nullable=False),
    sa.Column('node_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('max_attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('leased_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('delivery_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.JSON(), nullable=True),
    sa.Column('last_error', sa.String(length=2000), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    *_owned(),
    sa.ForeignKeyConstraint(['delivery_id'], ['deliveries.id'], name=op.f('fk_flow_action_runs_delivery_id_deliveries')),
    sa.ForeignKeyConstraint(['instance_id'], ['flow_instances.id'], name=op.f('fk_flow_action_runs_instance_id_flow_instances')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flow_action_runs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_action_runs'))
    )
    with op.batch_alter_table('flow_action_runs', schema=None) as batch_op:
        batch_op.create_index('ix_flow_action_runs_due', ['status', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_flow_action_runs_instance', ['instance_id', 'engine_task_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flow_action_runs_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('flow_incidents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=False),
    sa.Column('node_id', sa.String(length=255), nullable=False),
    sa.Column('node_name', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('error', sa.String(length=2000), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.BigInteger(), nullable=True),
    *_owned(),
    sa.ForeignKeyConstraint(['instance_id'], ['flow_instances.id'], name=op.f('fk_flow_incidents_instance_id_flow_instances')),
    sa.ForeignKeyConstraint(['run_id'], ['flow_action_runs.id'], name=op.f('fk_flow_incidents_run_id_flow_action_runs')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flow_incidents_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_incidents'))
    )
    with op.batch_alter_table('flow_incidents', schema=None) as batch_op:
        batch_op.create_index('ix_flow_incidents_list', ['tenant_id', 'status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flow_incidents_instance_id'), ['instance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_flow_incidents_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('flow_timers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('instance_id', sa.Integer(), nullable=False),
    sa.Column('engine_task_id', sa.String(length=36), nullable=False),
    sa.Column('node_id', sa.String(length=255), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('fired', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('leased_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.String(length=2000), nullable=True),
    *_owned(),
    sa.ForeignKeyConstraint(['instance_id'], ['flow_instances.id'], name=op.f('fk_flow_timers_instance_id_flow_instances')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flow_timers_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_timers'))
    )
    with op.batch_alter_table('flow_timers', schema=None) as batch_op:
        batch_op.create_index('ix_flow_timers_due', ['status', 'due_at'], unique=False)
        batch_op.create_index('ix_flow_timers_instance', ['instance_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_flow_timers_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('flow_triggers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('definition_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('event', sa.String(length=16), nullable=False),
    *_owned(),
    sa.ForeignKeyConstraint(['definition_id'], ['flow_definitions.id'], name=op.f('fk_flow_triggers_definition_id_flow_definitions')),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_flow_triggers_form_id_forms')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_flow_triggers_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_flow_triggers')),
    sa.UniqueConstraint('definition_id', 'event', name=op.f('uq_flow_triggers_definition_id_event'))
    )
    with op.batch_alter_table('flow_triggers', schema=None) as batch_op:
        batch_op.create_index('ix_flow_triggers_form', ['tenant_id', 'form_id', 'event'], unique=False)
        batch_op.create_index(batch_op.f('ix_flow_triggers_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('flow_triggers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_triggers_tenant_id'))
        batch_op.drop_index('ix_flow_triggers_form')

    op.drop_table('flow_triggers')
    with op.batch_alter_table('flow_timers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_timers_tenant_id'))
        batch_op.drop_index('ix_flow_timers_instance')
        batch_op.drop_index('ix_flow_timers_due')

    op.drop_table('flow_timers')
    with op.batch_alter_table('flow_incidents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_incidents_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_flow_incidents_instance_id'))
        batch_op.drop_index('ix_flow_incidents_list')

    op.drop_table('flow_incidents')
    with op.batch_alter_table('flow_action_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_flow_action_runs_tenant_id'))
        batch_op.drop_index('ix_flow_action_runs_instance')
        batch_op.drop_index('ix_flow_action_runs_due')

    op.drop_table('flow_action_runs')
