"""Marshmallow's nested messages become flat field paths a form can show."""

from __future__ import annotations

import pytest

from app.api.errors import flatten


@pytest.mark.parametrize(
    "messages, expected",
    [
        ({"json": {"name": ["Missing."]}}, {"name": ["Missing."]}),
        (
            {"json": {"role_ids": {"0": ["Not a valid integer."]}}},
            {"role_ids.0": ["Not a valid integer."]},
        ),
        ({"query": {"page": ["Too small."]}}, {"query.page": ["Too small."]}),
        ({"json": {"_schema": ["Invalid input type."]}}, {"_body": ["Invalid input type."]}),
        ({"json": ["Invalid JSON body."]}, {"_body": ["Invalid JSON body."]}),
        ({"json": {"rows": [{"qty": ["Negative."]}]}}, {"rows.0.qty": ["Negative."]}),
        ({"json": {"a": {"b": {"c": ["Deep."]}}}}, {"a.b.c": ["Deep."]}),
    ],
)
def test_flatten(messages, expected):
    assert flatten(messages) == expected
