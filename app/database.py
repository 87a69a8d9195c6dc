"""Binds the database: SQLite in WAL mode by default, PostgreSQL in production, audit hooks."""

from __future__ import annotations

from flask import Flask
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.audit import log as audit_log
from app.extensions import db


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _sqlite_savepoint(conn, _name) -> None:
    """Open the transaction before its first savepoint.

    Python's sqlite3 begins a transaction by itself only before INSERT, UPDATE or DELETE,
    so a savepoint taken after reads alone would open the transaction itself, and its
    release would commit everything: a record saved in a savepoint would stay even when
    the rest of the request failed and rolled back.
    """
    dbapi_connection = conn.connection.dbapi_connection
    if not dbapi_connection.in_transaction:
        dbapi_connection.execute("BEGIN")


def init_database(app: Flask) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgres://"):
        uri = "postgresql://" + uri[len("postgres://") :]
    if uri.startswith("postgresql://"):
        uri = "postgresql+psycopg://" + uri[len("postgresql://") :]
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    db.init_app(app)
    audit_log.install(FlaskSession)
    if uri.startswith("sqlite"):
        with app.app_context():
            engine: Engine = db.engine
            if not event.contains(engine, "connect", _sqlite_pragmas):
                event.listen(engine, "connect", _sqlite_pragmas)
                event.listen(engine, "savepoint", _sqlite_savepoint)
