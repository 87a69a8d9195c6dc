"""`flask gs ...`: initialise the database, create tenants, load demo data, run the stack."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from flask_migrate import upgrade

from app.auth.demo_org import load_demo_org
from app.auth.scope import Scope
from app.auth.tenants import create_tenant
from app.errors import GreenShelfError
from app.extensions import db
from app.models import Tenant, User
from app.packages.seeding import install_template
from app.stack import run_stack

MIGRATIONS = Path(__file__).resolve().parent / "migrations"

gs = AppGroup("gs", help="GreenShelf administration.")


def _fail(exc: GreenShelfError) -> None:
    detail = "; ".join(f"{k}: {', '.join(v)}" for k, v in exc.errors.items())
    raise click.ClickException(f"{exc.message} {detail}".strip())


@gs.command("migrate")
def migrate_cmd() -> None:
    """Bring the platform's tables up to date."""
    upgrade(directory=str(MIGRATIONS))
    click.echo("Database schema is up to date.")


@gs.command("init")
@click.option("--tenant-slug", default="default", show_default=True)
@click.option("--tenant-name", default="GreenShelf", show_default=True)
@click.option("--timezone", default="Asia/Shanghai", show_default=True)
@click.option("--admin-username", default="admin", show_default=True)
@click.option(
    "--admin-password",
    envvar="GS_ADMIN_PASSWORD",
    default=None,
    help="Or set GS_ADMIN_PASSWORD; prompted for when neither is given.",
)
def init_cmd(tenant_slug, tenant_name, timezone, admin_username, admin_password) -> None:
    """Create the schema, a first tenant and its administrator (once)."""
    upgrade(directory=str(MIGRATIONS))
    if db.session.query(Tenant).filter_by(slug=tenant_slug).first() is not None:
        click.echo(f"Tenant '{tenant_slug}' exists already; nothing to do.")
        return
    if not admin_password:
        if not os.isatty(0):
            raise click.ClickException(
                "No administrator password: pass --admin-password or set GS_ADMIN_PASSWORD."
            )
        admin_password = click.prompt(
            "Administrator password", hide_input=True, confirmation_prompt=True
        )
    try:
        create_tenant(
            db.session, tenant_slug, tenant_name, admin_username, admin_password, timezone
        )
    except GreenShelfError as exc:
        _fail(exc)
    click.echo(f"Tenant '{tenant_slug}' created; administrator '{admin_username}'.")


@gs.command("demo")
@click.option("--tenant-slug", default="default", show_default=True)
@click.option(
    "--password",
    envvar="GS_DEMO_PASSWORD",
    default=None,
    help="Password for every demo user (or GS_DEMO_PASSWORD).",
)
def demo_cmd(tenant_slug, password) -> None:
    """Load the demo organisation (departments, roles, users) into a tenant."""
    if current_app.config["GS_PRODUCTION"]:
        raise click.ClickException("Demo users are refused in production mode (GS_PRODUCTION).")
    tenant = db.session.query(Tenant).filter_by(slug=tenant_slug).first()
    if tenant is None:
        raise click.ClickException(f"No tenant '{tenant_slug}': run `flask gs init` first.")
    if not password:
        raise click.ClickException(
            "Give the demo users a password: --password or GS_DEMO_PASSWORD."
        )
    admin = db.session.query(User).filter_by(tenant_id=tenant.id, username="admin").first()
    try:
        added = load_demo_org(Scope(db.session, tenant.id, admin), password)
    except GreenShelfError as exc:
        _fail(exc)
    click.echo(f"Demo organisation: {added} users added." if added else "Demo data exists already.")


@gs.command("seed")
@click.option("--tenant-slug", default="default", show_default=True)
@click.option("--template", default="expiry_disposal", show_default=True)
@click.option("--demo/--no-demo", default=True, help="Also load the demo records.")
def seed_cmd(tenant_slug, template, demo) -> None:
    """Install a template app from seeds/ (and its demo data) into a tenant."""
    tenant = db.session.query(Tenant).filter_by(slug=tenant_slug).first()
    if tenant is None:
        raise click.ClickException(f"No tenant '{tenant_slug}': run `flask gs init` first.")
    admin = db.session.query(User).filter_by(tenant_id=tenant.id, username="admin").first()
    started = time.monotonic()
    try:
        for line in install_template(
            Scope(db.session, tenant.id, admin), template, demo, progress=click.echo
        ):
            click.echo(line)
        click.echo(f"Seeded '{template}' in {time.monotonic() - started:.0f} s.")
    except GreenShelfError as exc:
        if exc.code == "demo_users_missing":
            raise click.ClickException(
                f"The demo users are missing in tenant '{tenant_slug}' "
                f"({', '.join(exc.details['usernames'] + exc.details.get('departments', []))}): "
                "run `flask gs demo` first, "
                "or seed with --no-demo."
            ) from None
        _fail(exc)


@gs.command("run")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def run_cmd(host, port) -> None:
    """Run web, worker and beat together until Ctrl-C."""
    raise SystemExit(run_stack(host, port, Path(current_app.config["INSTANCE_PATH"])))


def register(app: Flask) -> None:
    app.cli.add_command(gs)
