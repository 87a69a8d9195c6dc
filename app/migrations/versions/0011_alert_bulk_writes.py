"""Alerts: fired levels kept on the alert, bulk-written tables without per-row key checks

A scan of a million batches writes hundreds of thousands of alerts, history rows and
to-dos in a few statements. Every foreign key on those tables made PostgreSQL run one
lookup per key per written row (about 2.4 million for a million batches, most of the
scan's time), and the separate ``action_firings`` table one more row and index entry per
alert. The scan writes these rows from ids it has just read inside the same transaction,
rules and forms are archived rather than deleted, so the keys are kept by the writer:

- ``alerts.fired`` holds the levels whose actions have fired as bits (yellow 2, red 4,
  expired 8) and ``alerts.fired_at`` when the last of them was claimed; a conditional
  update claims a level once, ever, as the unique key of ``action_firings`` did;
- the foreign keys of ``alerts``, ``alert_events`` and ``todos`` go, and so do their
  single-column tenant indexes, which the board and inbox indexes already lead with;
  the history gets an index on (tenant, time) instead, which the outbound alert events
  look their rows up by.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 07:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BITS = {'yellow': 2, 'red': 4, 'expired': 8}
# Children first: SQLite rebuilds a table to drop a key, and cannot drop the old alerts
# table while another table's key still points at it.
CHILD_KEYS = {
    'alert_events': [('tenant_id', 'tenants'), ('alert_id', 'alerts')],
    'todos': [
        ('tenant_id', 'tenants'),
        ('alert_id', 'alerts'),
        ('rule_id', 'rules'),
        ('form_id', 'forms'),
        ('candidate_role_id', 'roles'),
    ],
}
ALERT_KEYS = [('tenant_id', 'tenants'), ('rule_id', 'rules'), ('form_id', 'forms')]


def _bit():
    return 'CASE f.level ' + ' '.join(f"WHEN '{k}' THEN {v}" for k, v in BITS.items()) + ' ELSE 0 END'


def _drop_keys(table, keys):
    with op.batch_alter_table(table, schema=None) as batch_op:
        for column, target in keys:
            batch_op.drop_constraint(f'fk_{table}_{column}_{target}', type_='foreignkey')
        batch_op.drop_index(f'ix_{table}_tenant_id')


def _add_keys(batch_op, table, keys):
    batch_op.create_index(f'ix_{table}_tenant_id', ['tenant_id'], unique=False)
    for column, target in keys:
        batch_op.create_foreign_key(f'fk_{table}_{column}_{target}', target, [column], ['id'])


def upgrade():
    for table, keys in CHILD_KEYS.items():
        _drop_keys(table, keys)
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.create_index('ix_alert_events_at', ['tenant_id', 'at'], unique=False)
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('fired', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('fired_at', sa.DateTime(timezone=True), nullable=True))
    op.execute(
        'UPDATE alerts SET '
        f'fired = (SELECT coalesce(sum({_bit()}), 0) FROM action_firings f WHERE f.alert_id = alerts.id), '
        'fired_at = (SELECT max(f.at) FROM action_firings f WHERE f.alert_id = alerts.id)'
    )
    with op.batch_alter_table('action_firings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_firings_tenant_id'))
    op.drop_table('action_firings')
    _drop_keys('alerts', ALERT_KEYS)


def downgrade():
    op.create_table('action_firings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_action_firings')),
    sa.UniqueConstraint('alert_id', 'level', name=op.f('uq_action_firings_alert_id_level'))
    )
    for level, bit in BITS.items():
        op.execute(
            'INSERT INTO action_firings (tenant_id, alert_id, level, at) '
            f"SELECT tenant_id, id, '{level}', coalesce(fired_at, level_since) FROM alerts "
            f'WHERE fired & {bit} <> 0'
        )
    # The parent first, rebuilt while no other table's key points at it.
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_column('fired_at')
        batch_op.drop_column('fired')
        _add_keys(batch_op, 'alerts', ALERT_KEYS)
    with op.batch_alter_table('alert_events', schema=None) as batch_op:
        batch_op.drop_index('ix_alert_events_at')
    for table, keys in CHILD_KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            _add_keys(batch_op, table, keys)
    with op.batch_alter_table('action_firings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_firings_tenant_id'), ['tenant_id'], unique=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_action_firings_alert_id_alerts'), 'alerts', ['alert_id'], ['id']
        )
        batch_op.create_foreign_key(
            batch_op.f('fk_action_firings_tenant_id_tenants'), 'tenants', ['tenant_id'], ['id']
        )
