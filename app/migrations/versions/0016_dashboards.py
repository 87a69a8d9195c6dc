"""Self-service dashboards: charts, dashboards, and data generations for cached results

``charts`` hold a chart definition over one form; ``dashboards`` lay charts out with global
filters and say which roles may view and edit them. ``data_generations`` count, per tenant
and source (``form:<id>``, ``rule:<id>``), the commits that changed a source's data: cached
chart results name the generations they were computed at.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 17:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('charts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.Integer(), nullable=False),
    sa.Column('form_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('definition', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.id'], name=op.f('fk_charts_app_id_apps')),
    sa.ForeignKeyConstraint(['form_id'], ['forms.id'], name=op.f('fk_charts_form_id_forms')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_charts_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_charts')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_charts_tenant_id_key'))
    )
    with op.batch_alter_table('charts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_charts_app_id'), ['app_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_charts_form_id'), ['form_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_charts_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('dashboards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('app_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('label', sa.JSON(), nullable=False),
    sa.Column('layout', sa.JSON(), nullable=False),
    sa.Column('filters', sa.JSON(), nullable=False),
    sa.Column('refresh_seconds', sa.Integer(), nullable=True),
    sa.Column('viewer_role_ids', sa.JSON(), nullable=False),
    sa.Column('editor_role_ids', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.BigInteger(), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['app_id'], ['apps.id'], name=op.f('fk_dashboards_app_id_apps')),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_dashboards_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dashboards')),
    sa.UniqueConstraint('tenant_id', 'key', name=op.f('uq_dashboards_tenant_id_key'))
    )
    with op.batch_alter_table('dashboards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_dashboards_app_id'), ['app_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_dashboards_tenant_id'), ['tenant_id'], unique=False)

    op.create_table('data_generations',
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=64), nullable=False),
    sa.Column('generation', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('tenant_id', 'source', name=op.f('pk_data_generations'))
    )


def downgrade():
    op.drop_table('data_generations')
    with op.batch_alter_table('dashboards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_dashboards_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_dashboards_app_id'))
    op.drop_table('dashboards')
    with op.batch_alter_table('charts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_charts_tenant_id'))
        batch_op.drop_index(batch_op.f('ix_charts_form_id'))
        batch_op.drop_index(batch_op.f('ix_charts_app_id'))
    op.drop_table('charts')
