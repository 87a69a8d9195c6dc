"""The built console as a browser gets it: precompressed copies to a browser that accepts
them, the file itself to one that does not, a year of cache for hashed assets and none
for the pages, and a robots.txt that is not the app's page."""

from __future__ import annotations

import gzip

import pytest
from flask import Flask

from app.web import register_web

SCRIPT = b"console.log('GreenShelf');\n" * 200
BROTLI = b"\x1b\x8f brotli bytes as the build wrote them"  # served as they are


@pytest.fixture
def client(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "console-abc123.js").write_bytes(SCRIPT)
    (assets / "console-abc123.js.gz").write_bytes(gzip.compress(SCRIPT))
    (assets / "console-abc123.js.br").write_bytes(BROTLI)
    (assets / "plain-abc123.css").write_bytes(b"body{}")
    (tmp_path / "index.html").write_text("<!doctype html><title>GreenShelf</title>")
    (tmp_path / "robots.txt").write_text("User-agent: *\nDisallow: /\n")
    app = Flask(__name__)
    app.config["GS_FRONTEND_DIST"] = str(tmp_path)
    register_web(app)
    return app.test_client()


def test_a_browser_that_accepts_brotli_gets_the_brotli_copy(client):
    response = client.get("/assets/console-abc123.js", headers={"Accept-Encoding": "br, gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in response.headers["Vary"]
    assert response.mimetype == "text/javascript"
    assert response.data == BROTLI
    assert response.cache_control.max_age == 365 * 24 * 3600


def test_gzip_when_only_gzip_is_accepted_and_the_file_itself_otherwise(client):
    zipped = client.get("/assets/console-abc123.js", headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(zipped.data) == SCRIPT
    plain = client.get("/assets/console-abc123.js", headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers and plain.data == SCRIPT
    assert "Accept-Encoding" in plain.headers["Vary"]
    refused = client.get("/assets/console-abc123.js", headers={"Accept-Encoding": "br;q=0"})
    assert "Content-Encoding" not in refused.headers and refused.data == SCRIPT


def test_a_file_without_copies_goes_out_as_it_is(client):
    response = client.get("/assets/plain-abc123.css", headers={"Accept-Encoding": "br, gzip"})
    assert "Content-Encoding" not in response.headers and response.data == b"body{}"


def test_pages_are_asked_again_and_robots_are_told_to_stay_out(client):
    page = client.get("/records/2", headers={"Accept-Encoding": "br, gzip"})
    assert page.status_code == 200 and b"<title>GreenShelf</title>" in page.data
    assert page.headers["Cache-Control"] == "no-cache"
    robots = client.get("/robots.txt")
    assert robots.mimetype == "text/plain" and b"Disallow: /" in robots.data
    assert client.get("/api/v1/nothing").status_code == 404
