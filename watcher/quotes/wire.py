"""Reading what a provider sent: a header by name, and JSON that hostile nesting cannot crash."""

from __future__ import annotations

import json
from collections.abc import Mapping

Headers = Mapping[str, str]

# The longest wait a Retry-After is taken for: past an hour a provider is asked again (and
# may ask again to wait). A header of 1e15 s or a date in 2099 is a broken server, not a plan.
MAX_RETRY_AFTER_SECONDS = 3600.0


def header(headers: Headers | None, name: str) -> str | None:
    """A header's value, the name matched in any case."""
    for key, value in (headers or {}).items():
        if key.lower() == name:
            return value
    return None


def decode_json(body: bytes) -> object:
    """The JSON value of a body, or raise ValueError (RecursionError covers hostile nesting)."""
    try:
        return json.loads(body)
    except RecursionError as exc:
        raise ValueError("too deeply nested") from exc
