"""Template installs: the gallery's installs of ``seeds/`` apps, with their progress

``template_installs`` holds one row per install of a template app (from the console's
gallery or ``flask gs seed``): its status, step, how many demo records are written of how
many, the app it made, and the lines it reported.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-10 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('template_installs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('template', sa.String(length=64), nullable=False),
    sa.Column('demo', sa.Boolean(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('step', sa.String(length=16), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('processed', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.String(length=1000), nullable=False),
    sa.Column('errors', sa.JSON(), nullable=False),
    sa.Column('lines', sa.JSON(), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_template_installs_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_template_installs'))
    )
    with op.batch_alter_table('template_installs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_template_installs_tenant_id'), ['tenant_id'], unique=False)


def downgrade():
    with op.batch_alter_table('template_installs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_template_installs_tenant_id'))

    op.drop_table('template_installs')
