"""Serves the built console (/) and mobile app (/m) from frontend/dist.

The build writes a Brotli (``.br``) and a gzip (``.gz``) copy beside every text asset; a
browser that accepts one gets it with its ``Content-Encoding``, any other the file itself,
and the answer says ``Vary: Accept-Encoding`` so caches keep the two apart. Hashed assets
are cached for a year, the HTML pages never without asking again.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from flask import Flask, abort, request, send_from_directory

MISSING = (
    "<!doctype html><meta charset=utf-8><title>GreenShelf</title>"
    "<p>The console has not been built yet: run <code>make run</code> "
    "(or <code>npm --prefix frontend run build</code>).</p>"
)
#: the precompressed copies the build makes, best first
ENCODINGS = (("br", ".br"), ("gzip", ".gz"))
YEAR = 365 * 24 * 3600
mimetypes.add_type("application/manifest+json", ".webmanifest")


def send_static(directory: Path, filename: str, max_age: int | None = None):
    """A built file, precompressed when the browser accepts the copy the build made."""
    accepted = request.accept_encodings
    for coding, suffix in ENCODINGS:
        if accepted[coding] and (directory / f"{filename}{suffix}").is_file():
            mimetype = mimetypes.guess_type(filename)[0] or "application/octet-stream"
            response = send_from_directory(
                directory, f"{filename}{suffix}", max_age=max_age, mimetype=mimetype
            )
            response.headers["Content-Encoding"] = coding
            break
    else:
        response = send_from_directory(directory, filename, max_age=max_age)
    response.vary.add("Accept-Encoding")
    return response


def register_web(app: Flask) -> None:
    dist = Path(app.config["GS_FRONTEND_DIST"])

    def page(relative: str):
        if not (dist / relative).exists():
            return MISSING, 200
        response = send_static(dist, relative)
        response.headers["Cache-Control"] = "no-cache"
        return response

    @app.get("/assets/<path:filename>")
    def assets(filename: str):
        return send_static(dist / "assets", filename, max_age=YEAR)

    @app.get("/m")
    @app.get("/m/")
    @app.get("/m/<path:rest>")
    def mobile(rest: str = ""):
        if rest and (dist / "m" / rest).is_file():
            return send_static(dist / "m", rest)
        return page("m/index.html")

    @app.get("/")
    @app.get("/<path:rest>")
    def console(rest: str = ""):
        if rest.startswith("api/"):
            abort(404)
        if rest and (dist / rest).is_file():
            return send_static(dist, rest)
        return page("index.html")
