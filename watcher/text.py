"""Strings from the network or the file made safe to show: no escapes, no control characters, capped."""

from __future__ import annotations

import unicodedata

ELLIPSIS = "…"


def clean_text(value: object, limit: int = 80) -> str | None:
    """One printable line: control and format characters (ANSI/OSC escapes, bidi overrides) go.

    Line breaks and tabs become spaces, runs of spaces fold, and the result is capped at
    `limit` characters with an ellipsis. Only a bounded prefix is examined, so a
    10,000-character string costs no more than a short one.
    """
    if not isinstance(value, str) or limit <= 0:
        return None
    spaced = (" " if ch.isspace() else ch for ch in value[: limit * 8])
    kept = "".join(ch for ch in spaced if unicodedata.category(ch)[0] != "C")
    text = " ".join(kept.split())
    if len(text) > limit or len(value) > limit * 8:
        text = text[: max(0, limit - 1)].rstrip() + ELLIPSIS
    return text or None
