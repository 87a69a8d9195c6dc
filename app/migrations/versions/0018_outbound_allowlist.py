"""Outbound allow-list per tenant: private hosts and networks its connectors may call

``outbound_allow_entries`` holds the hosts, addresses and CIDR networks an administrator
allows in the console, besides the installation's GS_OUTBOUND_ALLOWLIST.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-12 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('outbound_allow_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('entry', sa.String(length=255), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_outbound_allow_entries_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbound_allow_entries')),
    sa.UniqueConstraint('tenant_id', 'entry', name=op.f('uq_outbound_allow_entries_tenant_id_entry'))
    )
    with op.batch_alter_table('outbound_allow_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbound_allow_entries_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('outbound_allow_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbound_allow_entries_tenant_id'))

    op.drop_table('outbound_allow_entries')
