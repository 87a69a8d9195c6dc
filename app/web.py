"""Serves the built console (/) and mobile app (/m) from frontend/dist."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, abort, send_from_directory

MISSING = (
    "<!doctype html><meta charset=utf-8><title>GreenShelf</title>"
    "<p>The console has not been built yet: run <code>make run</code> "
    "(or <code>npm --prefix frontend run build</code>).</p>"
)


def register_web(app: Flask) -> None:
    dist = Path(app.config["GS_FRONTEND_DIST"])

    def page(relative: str):
        if not (dist / relative).exists():
            return MISSING, 200
        response = send_from_directory(dist, relative)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/assets/<path:filename>")
    def assets(filename: str):
        return send_from_directory(dist / "assets", filename, max_age=31536000)

    @app.get("/m")
    @app.get("/m/")
    @app.get("/m/<path:rest>")
    def mobile(rest: str = ""):
        if rest and (dist / "m" / rest).is_file():
            return send_from_directory(dist / "m", rest)
        return page("m/index.html")

    @app.get("/")
    @app.get("/<path:rest>")
    def console(rest: str = ""):
        if rest.startswith("api/"):
            abort(404)
        if rest and (dist / rest).is_file():
            return send_from_directory(dist, rest)
        return page("index.html")
