"""API answers gzipped for browsers that accept it.

A JSON answer larger than ``SMALLEST`` bytes goes out gzipped at a fast level when the
request says ``Accept-Encoding: gzip``, with ``Vary: Accept-Encoding`` on every JSON answer
so a cache never hands the gzipped body to a client that did not ask for it. Small answers,
streamed ones (exports, files) and answers already encoded are left as they are. Level 5
costs a page of records under a millisecond or two for a body six to twelve times smaller
(``bench/api_compression.py`` measures both against sending it plain).
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

SMALLEST = 1024
LEVEL = 5


def gzipped(response: Response) -> Response:
    """The answer gzipped when it is JSON, big enough, and the browser accepts gzip."""
    if response.mimetype != "application/json" or response.direct_passthrough:
        return response
    response.vary.add("Accept-Encoding")
    if (
        response.status_code < 200
        or response.status_code in (204, 304)
        or "Content-Encoding" in response.headers
        or not request.accept_encodings["gzip"]
    ):
        return response
    body = response.get_data()
    if len(body) <= SMALLEST:
        return response
    response.set_data(gzip.compress(body, compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    return response


def install_compression(app: Flask) -> None:
    app.after_request(gzipped)
