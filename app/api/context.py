"""Who is calling: session cookie or bearer token, the CSRF check, and the caller's scope."""

from __future__ import annotations

import secrets

from flask import Flask, Response, current_app, g, request, session
from flask_login import current_user, login_user, logout_user

from app.auth.scope import Scope
from app.auth.tokens import user_for_token
from app.errors import Forbidden, Unauthorized
from app.extensions import db, login_manager
from app.models import User

CSRF_COOKIE = "gs_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
CSRF_EXEMPT = {"/api/v1/auth/login"}


def _bearer() -> str | None:
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return None


def install_auth(app: Flask) -> None:
    login_manager.init_app(app)

    @login_manager.user_loader
    def _load(session_id: str):
        if _bearer() is not None:
            return None  # a bearer token wins over a cookie
        user_id = session_id.partition(":")[0]
        user = (
            db.session.get(User, int(user_id)) if user_id.isascii() and user_id.isdigit() else None
        )
        if user is None or not user.is_active or user.deleted_at is not None:
            return None
        return user if user.get_id() == session_id else None

    @login_manager.request_loader
    def _load_from_token(req):
        secret = _bearer()
        if secret is None:
            return None
        user = user_for_token(db.session, secret)
        if user is not None:
            g.auth_method = "token"
        return user

    @login_manager.unauthorized_handler
    def _unauthorized():
        raise Unauthorized("Please log in.")

    @app.before_request
    def _check_csrf():
        if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
            return None
        if request.path in CSRF_EXEMPT or _bearer() is not None:
            return None
        if not current_user.is_authenticated:
            return None  # the route answers 401
        sent = request.headers.get(CSRF_HEADER, "")
        expected = session.get("csrf", "")
        if not expected or not secrets.compare_digest(sent, expected):
            raise Forbidden(
                "Missing or wrong CSRF token: send the gs_csrf cookie's value in X-CSRF-Token.",
                code="csrf_failed",
            )
        return None


def start_session(user: User, response: Response) -> str:
    session.clear()
    login_user(user)
    token = secrets.token_urlsafe(32)
    session["csrf"] = token
    response.set_cookie(
        CSRF_COOKIE,
        token,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        samesite="Lax",
        httponly=False,
    )
    return token


def end_session(response: Response) -> None:
    logout_user()
    session.clear()
    response.delete_cookie(CSRF_COOKIE)


def current_scope() -> Scope:
    """The scope of the authenticated caller; 401 when nobody is logged in."""
    if not current_user.is_authenticated:
        raise Unauthorized("Please log in.")
    user = current_user._get_current_object()
    return Scope(db.session, user.tenant_id, user)


def csrf_token() -> str | None:
    return session.get("csrf")
