"""Keys made for people: a form's, field's, rule's, flow's or connector's key from its label.

A caller who gives no key gets one made from the label: Chinese words become pinyin
(退货数量 -> ``tuihuo_shuliang``), other text snake_case (``Return quantity`` ->
``return_quantity``), cut to fit ``form_engine.schema.KEY_PATTERN`` and made unique among
its siblings with a numeric suffix (``_2``, ``_3``...). This module only makes keys; it
never checks a key a person typed (the schemas do).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from pypinyin import lazy_pinyin

from app.auth.scope import Scope
from form_engine.schema import RESERVED

MAX_LENGTH = 40
LANGUAGES = ("zh", "en")
_HAN = re.compile(r"[\u3400-\u9fff]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


@lru_cache(maxsize=1)
def _segmenter():
    """jieba cuts Chinese into words, so each word's syllables stay together; loading its
    dictionary takes a moment, so only the first Chinese label pays for it."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _words(text: str) -> list[str]:
    if not _HAN.search(text):
        return _NOT_WORD.split(_CAMEL.sub("_", text).lower())
    words = []
    for token in _segmenter().lcut(text):
        if _HAN.search(token):
            # jieba keeps four-character compounds whole (商品名称); two words read better
            parts = [token[:2], token[2:]] if len(token) == 4 else [token]
            words.extend("".join(lazy_pinyin(part, errors="ignore")) for part in parts)
        else:
            words.extend(_NOT_WORD.split(_CAMEL.sub("_", token).lower()))
    return words


def slug(text: str) -> str:
    """Text as a key without the uniqueness suffix; '' when nothing of it can be spelled
    in a-z and 0-9."""
    ascii_text = unicodedata.normalize("NFKD", text)
    words = [_NOT_WORD.sub("", w.encode("ascii", "ignore").decode()) for w in _words(ascii_text)]
    joined = "_".join(w for w in words if w)
    return joined[:MAX_LENGTH].rstrip("_")


def label_texts(label: Any, language: str = "zh") -> list[str]:
    """A label's texts, the caller's language first (a label is a text or {zh, en})."""
    if isinstance(label, str):
        return [label]
    if not isinstance(label, dict):
        return []
    order = [language, *(lang for lang in LANGUAGES if lang != language)]
    return [label[lang] for lang in order if isinstance(label.get(lang), str)]


def make_key(label: Any, taken: Iterable[str] = (), *, language: str = "zh", fallback: str) -> str:
    """A free key for something with this label: from the first of its texts that can be
    spelled, else ``fallback``; suffixed ``_2``, ``_3``... past the keys ``taken``."""
    base = next((s for s in map(slug, label_texts(label, language)) if s), "") or fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"[:MAX_LENGTH].rstrip("_")
    used = set(taken) | RESERVED
    if base not in used:
        return base
    n = 2
    while True:
        suffix = f"_{n}"
        key = f"{base[: MAX_LENGTH - len(suffix)].rstrip('_')}{suffix}"
        if key not in used:
            return key
        n += 1


def free_key(scope: Scope, model: type, label: Any, language: str, fallback: str) -> str:
    """A key for a new ``model`` row (app, form, rule, flow) made from its label, past the
    keys of the tenant's other rows."""
    taken = scope.session.scalars(scope.select(model, model.key))
    return make_key(label, taken, language=language, fallback=fallback)


def fill_field_keys(fields: list, language: str = "zh") -> list:
    """The fields (and sub-table columns) of a draft, each without a key given one from its
    label, unique among its siblings; fields that have a key keep it."""
    if not isinstance(fields, list):
        return fields
    taken = {f["key"] for f in fields if isinstance(f, dict) and isinstance(f.get("key"), str)}
    filled = []
    for field in fields:
        if isinstance(field, dict):
            field = dict(field)
            if not field.get("key"):
                field["key"] = make_key(
                    field.get("label"), taken, language=language, fallback="field"
                )
                taken.add(field["key"])
            if isinstance(field.get("fields"), list):
                field["fields"] = fill_field_keys(field["fields"], language)
        filled.append(field)
    return filled
