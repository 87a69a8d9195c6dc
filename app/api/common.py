"""Schemas shared by several resources: pagination and list envelopes."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


def Id(**kwargs) -> fields.Int:  # noqa: N802 - reads like a field class
    """An object id: a positive integer the databases can hold."""
    return fields.Int(validate=validate.Range(min=1, max=2**63 - 1), **kwargs)


#: the last page anyone may ask for: page x page_size stays far inside what every database
#: holds as an offset
MAX_PAGE = 1_000_000


class PageArgs(Schema):
    page = fields.Int(load_default=1, validate=validate.Range(min=1, max=MAX_PAGE))
    page_size = fields.Int(load_default=20, validate=validate.Range(min=1, max=500))


def page_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """A {items, total, page, page_size} envelope around ``item_schema``."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item_schema)),
            "total": fields.Int(),
            "page": fields.Int(),
            "page_size": fields.Int(),
        },
        name=name,
    )


def list_of(item_schema: type[Schema], name: str) -> type[Schema]:
    """An {items} envelope around ``item_schema``."""
    return Schema.from_dict({"items": fields.List(fields.Nested(item_schema))}, name=name)
