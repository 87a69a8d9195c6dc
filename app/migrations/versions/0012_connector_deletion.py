"""Connectors, inbound hooks and ERP syncs can be deleted, keeping their history

The delivery log, the inbound receipts and the sync run log point at these rows, so a
deleted one stays: ``deleted_at`` hides it (and makes it "not found" everywhere it is
looked up by id), and its key is renamed to free the key for a new one.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

TABLES = ('connectors', 'inbound_hooks', 'connector_syncs')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('deleted_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('deleted_at')
