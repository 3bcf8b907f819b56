"""Table cells as rich Text: remote strings made inert, gains and losses told by sign and colour."""

from __future__ import annotations

from rich.text import Text

from watcher import format as fmt
from watcher.text import clean_text

GAIN = "green"
LOSS = "red"
BUY = "bold black on green"
STALE = "yellow"
MUTED = "dim"

def inert(value: str | None, limit: int = 40) -> Text:
    """A string from the network or the file, shown as typed: no markup, no escapes, capped."""
    clean = clean_text(value, limit)
    if not clean:
        return Text(fmt.DASH, style=MUTED)
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
