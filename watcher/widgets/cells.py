"""Table cells as rich Text: remote strings made inert, gains and losses told by sign and colour."""

from __future__ import annotations

import re

from rich.text import Text

from watcher import format as fmt

GAIN = "green"
LOSS = "red"
BUY = "bold black on green"
STALE = "yellow"
MUTED = "dim"

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def inert(value: str | None, limit: int = 40) -> Text:
    """A string from the network or the file, shown as typed: no markup, no escapes, capped."""
    if not value:
        return Text(fmt.DASH, style=MUTED)
    clean = _UNSAFE.sub("", value).strip()
    if len(clean) > limit:
        clean = clean[: limit - 1] + "…"
    return Text(clean)


def right(value: str, style: str = "") -> Text:
    return Text(value, style=style, justify="right")


def signed(value: float | None, text: str) -> Text:
    """Right-aligned; green for a gain, red for a loss, the sign always there too."""
    if value is None or text == fmt.DASH:
        return right(fmt.DASH, MUTED)
    return right(text, GAIN if value > 0 else LOSS if value < 0 else "")


def plain(text: str) -> Text:
    return right(text, MUTED if text == fmt.DASH else "")
