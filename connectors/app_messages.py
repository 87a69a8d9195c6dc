"""What DingTalk work notifications and WeCom application messages share: an app's access
token, fetched with the app's key and secret, cached until shortly before it expires and
fetched again once when the platform says it is no longer valid, and a ``send_text``
action to a list of the platform's user ids.

A type names its platform's token endpoint, the query keys it takes, the codes that mean
"token invalid", and builds its own message body and send path.
"""

from __future__ import annotations

from typing import ClassVar
from urllib.parse import urlencode

from connectors.base import ConnectorType, check_errcode

SEND_TEXT = {
    "type": "object",
    "required": ["user_ids", "content"],
    "additionalProperties": False,
    "properties": {
        "user_ids": {"type": "array", "minItems": 1, "items": {"type": "string"}},
        "content": {"type": "string"},
    },
}


class AppMessenger(ConnectorType):
    #: the platform's name in error messages
    platform: ClassVar[str]
    default_base: ClassVar[str]
    #: path of the token endpoint below the base URL
    token_path: ClassVar[str]
    #: the token endpoint's query keys -> the config keys holding their values
    token_query: ClassVar[dict[str, str]]
    #: config keys that together tell one app's token from another's
    token_owner: ClassVar[tuple[str, ...]]
    #: errcodes meaning the token expired or was revoked: fetch a new one and send again
    token_errors: ClassVar[frozenset[int]]
    actions = {"send_text": SEND_TEXT}

    @property
    def base(self) -> str:
        return self.config.get("base_url", self.default_base).rstrip("/")

    def token(self, fresh: bool = False) -> str:
        key = ":".join([self.platform.lower(), *(str(self.config[k]) for k in self.token_owner)])
        cached = None if fresh else self.context.tokens.get(key)
        if cached:
            return cached
        query = urlencode({param: self.config[key] for param, key in self.token_query.items()})
        answer = self.context.transport.request("GET", f"{self.base}{self.token_path}?{query}")
        body = check_errcode(answer.json(), f"{self.platform} gettoken")
        self.context.tokens.put(key, body["access_token"], float(body.get("expires_in", 7200)))
        return body["access_token"]

    def send_with_token(self, path: str, payload: dict, what: str) -> dict:
        """POST ``payload`` to ``path`` (below the base URL) with the app's token; a token
        the platform no longer accepts is fetched again once."""
        for fresh in (False, True):
            url = f"{self.base}{path}?access_token={self.token(fresh)}"
            body = self.context.transport.post_json(url, payload).json()
            if body.get("errcode") not in self.token_errors:
                break
        return check_errcode(body, what)

    def test_connection(self) -> dict:
        self.token(fresh=True)
        return {"ok": True}
