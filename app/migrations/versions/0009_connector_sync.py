"""Connectors: inbound webhooks, ERP pull sync, outbound events

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 03:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('inbound_hooks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('flow_id', sa.Integer(), nullable=True),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('key_fields', sa.JSON(), nullable=False),
    sa.Column('secret', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_inbound_hooks_actor_id_users')),
    sa.ForeignKeyConstraint(['app_id'], ['apps.id'], name=op.f('fk_inbound_hooks_app_id_apps')),
    sa.ForeignKeyConstraint(['flow_id'], ['flow_definitions.id'], name=op.f('fk_inbound_hooks_flow_id_flow_definitions')),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_inbound_hooks_form_id_forms')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_inbound_hooks_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_hooks')),
    sa.UniqueConstraint('tenant_id', 'app_id', 'key', name=op.f('uq_inbound_hooks_tenant_id_app_id_key'))
    )
    with op.batch_alter_table('inbound_hooks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_hooks_app_id'), ['app_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inbound_hooks_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('inbound_receipts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hook_id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.String(length=128), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['hook_id'], ['inbound_hooks.id'], name=op.f('fk_inbound_receipts_hook_id_inbound_hooks')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_inbound_receipts_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_receipts')),
    sa.UniqueConstraint('hook_id', 'delivery_id', name=op.f('uq_inbound_receipts_hook_id_delivery_id'))
    )
    with op.batch_alter_table('inbound_receipts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_receipts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('connector_syncs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('connector_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('inputs', sa.JSON(), nullable=False),
    sa.Column('rows_path', sa.String(length=500), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('mapping', sa.JSON(), nullable=False),
    sa.Column('key_fields', sa.JSON(), nullable=False),
    sa.Column('schedule', sa.String(length=100), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('last_run_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_connector_syncs_actor_id_users')),
    sa.ForeignKeyConstraint(['connector_id'], ['connectors.id'], name=op.f('fk_connector_syncs_connector_id_connectors')),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_connector_syncs_form_id_forms')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_connector_syncs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connector_syncs')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_connector_syncs_tenant_id_key'))
    )
    with op.batch_alter_table('connector_syncs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_connector_syncs_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('connector_sync_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sync_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('trigger', sa.String(length=16), nullable=False),
    sa.Column('fetched', sa.Integer(), nullable=False),
    sa.Column('created', sa.Integer(), nullable=False),
    sa.Column('updated', sa.Integer(), nullable=False),
    sa.Column('unchanged', sa.Integer(), nullable=False),
    sa.Column('failed', sa.Integer(), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('message', sa.String(length=2000), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['sync_id'], ['connector_syncs.id'], name=op.f('fk_connector_sync_runs_sync_id_connector_syncs')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_connector_sync_runs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_connector_sync_runs')),
    )
    with op.batch_alter_table('connector_sync_runs', schema=None) as batch_op:
        batch_op.create_index('ix_connector_sync_runs_log', ['tenant_id', 'sync_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_connector_sync_runs_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('connector_sync_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_connector_sync_runs_tenant_id'))
        batch_op.drop_index('ix_connector_sync_runs_log')

    op.drop_table('connector_sync_runs')
    with op.batch_alter_table('connector_syncs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_connector_syncs_tenant_id'))

    op.drop_table('connector_syncs')
    with op.batch_alter_table('inbound_receipts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_receipts_tenant_id'))

    op.drop_table('inbound_receipts')
    with op.batch_alter_table('inbound_hooks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inbound_hooks_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_inbound_hooks_app_id'))

    op.drop_table('inbound_hooks')
