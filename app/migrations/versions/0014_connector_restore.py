"""Deleted connectors, inbound hooks and ERP syncs keep the key they had, so they can be restored

A deleted row's key is renamed to ``~<id>~<key>`` cut to 40 characters, which can lose the
end of a long key; ``deleted_key`` keeps it whole. Rows deleted before it stay NULL.

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-26 14:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

TABLES = ('connectors', 'inbound_hooks', 'connector_syncs')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('deleted_key', sa.String(length=40), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('deleted_key')
