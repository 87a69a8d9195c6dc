"""How a deleted connector, inbound hook or ERP sync keeps its key: renamed ``~<id>~<key>``
(cut to the key length) so that a new row may take the key, with the whole key kept apart
in ``deleted_key``. Plain functions of a row's columns, for whoever shows or restores it."""

from __future__ import annotations

#: a deleted row's key starts with this (user keys cannot), which frees the key
DELETED = "~"
#: how long a key may be (the kept, renamed key is cut to it)
KEY_LENGTH = 40


def renamed(row_id: int, key: str) -> str:
    """The key a row takes when it is deleted."""
    return f"{DELETED}{row_id}~{key}"[:KEY_LENGTH]


def kept_key(key: str, deleted_key: str | None, deleted: bool) -> tuple[str, bool]:
    """The key a row had before it was deleted (its own key while live), and whether that
    is the whole key: a row deleted before whole keys were kept has only the renamed key,
    whose end may have been cut."""
    if not deleted:
        return key, True
    if deleted_key is not None:
        return deleted_key, True
    return key.split("~", 2)[-1], len(key) < KEY_LENGTH
