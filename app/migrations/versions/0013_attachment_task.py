"""Files attached to a flow decision remember the task, so the flow's people may read them

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-26 11:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('task_id', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_column('task_id')
