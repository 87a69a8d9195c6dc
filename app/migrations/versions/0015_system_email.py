"""Rule and flow emails go through the delivery log, on each tenant's system email connector

Emails were rows of their own outbox (``email_deliveries``), sent by a task of their own.
They are now deliveries of a built-in email connector per tenant, key ``system_email``,
which sends through the installation's mail server (GS_SMTP_*). The upgrade:

- renames a connector a user made under the now reserved key to ``system_email_<id>``;
- makes the system email connector of each tenant with unsent emails and moves every
  pending or retrying email onto it as a pending delivery (its Message-ID kept, so a
  receiver can tell a resent copy); emails already sent or given up on are not kept;
- drops ``email_deliveries``. Other tenants get their connector with their first email.

The downgrade recreates the outbox and moves the system email connector's unsent
deliveries back into it, marking them dead in the log so they are not sent twice.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-27 09:00:00

"""
from datetime import datetime, timezone

from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None

KEY = 'system_email'
LABEL = {'zh': '系统邮件', 'en': 'System email'}
UNSENT = ('pending', 'retrying')
MOVED_BACK = 'Moved back to the email outbox by a downgrade.'

connectors = sa.table(
    'connectors',
    sa.column('id', sa.Integer),
    sa.column('tenant_id', sa.Integer),
    sa.column('key', sa.String),
    sa.column('type', sa.String),
    sa.column('label', sa.JSON),
    sa.column('config', sa.JSON),
    sa.column('enabled', sa.Boolean),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('updated_at', sa.DateTime(timezone=True)),
)
deliveries = sa.table(
    'deliveries',
    sa.column('id', sa.Integer),
    sa.column('tenant_id', sa.Integer),
    sa.column('connector_id', sa.Integer),
    sa.column('action', sa.String),
    sa.column('inputs', sa.JSON),
    sa.column('idempotency_key', sa.String),
    sa.column('status', sa.String),
    sa.column('attempts', sa.Integer),
    sa.column('max_attempts', sa.Integer),
    sa.column('last_error', sa.String),
    sa.column('next_attempt_at', sa.DateTime(timezone=True)),
    sa.column('finished_at', sa.DateTime(timezone=True)),
    sa.column('created_at', sa.DateTime(timezone=True)),
    sa.column('updated_at', sa.DateTime(timezone=True)),
)
outbox = sa.table(
    'email_deliveries',
    sa.column('id', sa.Integer),
    sa.column('tenant_id', sa.Integer),
    sa.column('to_address', sa.String),
    sa.column('subject', sa.String),
    sa.column('body', sa.String),
    sa.column('status', sa.String),
    sa.column('attempts', sa.Integer),
    sa.column('error', sa.String),
    sa.column('created_at', sa.DateTime(timezone=True)),
)


def _system_connector(conn, tenant_id, now):
    conn.execute(
        connectors.insert().values(
            tenant_id=tenant_id, key=KEY, type='email', label=LABEL, config={}, enabled=True,
            created_at=now, updated_at=now,
        )
    )
    return conn.scalar(
        sa.select(connectors.c.id).where(
            connectors.c.tenant_id == tenant_id, connectors.c.key == KEY
        )
    )


def upgrade():
    conn = op.get_bind()
    now = datetime.now(timezone.utc)
    taken = conn.execute(sa.select(connectors.c.id).where(connectors.c.key == KEY)).scalars()
    for connector_id in list(taken):
        conn.execute(
            connectors.update()
            .where(connectors.c.id == connector_id)
            .values(key=f'{KEY}_{connector_id}'[:40], updated_at=now)
        )
    unsent = conn.execute(
        sa.select(outbox).where(outbox.c.status.in_(UNSENT)).order_by(outbox.c.id)
    ).all()
    mailers = {}
    for row in unsent:
        if row.tenant_id not in mailers:
            mailers[row.tenant_id] = _system_connector(conn, row.tenant_id, now)
        inputs = {
            'to': [row.to_address],
            'subject': row.subject or 'GreenShelf',
            'text': row.body,
            'message_id': f'<delivery-{row.id}@greenshelf>',
        }
        conn.execute(
            deliveries.insert().values(
                tenant_id=row.tenant_id, connector_id=mailers[row.tenant_id],
                action='send_mail', inputs=inputs, idempotency_key=f'email-outbox-{row.id}',
                status='pending', attempts=0, max_attempts=5, last_error=row.error,
                next_attempt_at=now, created_at=row.created_at, updated_at=now,
            )
        )
    with op.batch_alter_table('email_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_email_deliveries_tenant_id'))
    op.drop_table('email_deliveries')


def downgrade():
    op.create_table('email_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('to_address', sa.String(length=254), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('body', sa.String(length=20000), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('error', sa.String(length=1000), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('tenant_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['tenant_id'], ['tenants.id'], name=op.f('fk_email_deliveries_tenant_id_tenants')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_email_deliveries'))
    )
    with op.batch_alter_table('email_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_email_deliveries_tenant_id'), ['tenant_id'], unique=False)

    conn = op.get_bind()
    now = datetime.now(timezone.utc)
    unsent = conn.execute(
        sa.select(deliveries.c.id, deliveries.c.tenant_id, deliveries.c.inputs,
                  deliveries.c.last_error, deliveries.c.created_at)
        .join(connectors, connectors.c.id == deliveries.c.connector_id)
        .where(
            connectors.c.key == KEY,
            deliveries.c.action == 'send_mail',
            deliveries.c.status.in_((*UNSENT, 'sending')),
        )
        .order_by(deliveries.c.id)
    ).all()
    for row in unsent:
        inputs = row.inputs or {}
        for address in inputs.get('to') or []:
            conn.execute(
                outbox.insert().values(
                    tenant_id=row.tenant_id, to_address=address[:254],
                    subject=(inputs.get('subject') or 'GreenShelf')[:300],
                    body=(inputs.get('text') or '')[:20000], status='pending', attempts=0,
                    error=(row.last_error or None) and row.last_error[:1000],
                    created_at=row.created_at,
                )
            )
        conn.execute(
            deliveries.update()
            .where(deliveries.c.id == row.id)
            .values(status='dead', last_error=MOVED_BACK, finished_at=now, updated_at=now)
        )
