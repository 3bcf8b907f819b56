"""Table cells as rich Text: remote strings made inert, gains and losses told by sign and colour."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from watcher import format as fmt
from watcher.text import clean_text

MUTED = "dim"


@dataclass(frozen=True, slots=True)
class Colours:
    """The app's own colours as Rich styles, taken from the theme's variables."""

    gain: str = "green"
    loss: str = "red"
    buy: str = "bold black on green"
    stale: str = "yellow"

    @classmethod
    def from_theme(cls, variables: dict[str, str]) -> Colours:
        default = cls()
        alert, text = variables.get("alert"), variables.get("alert-text")
        return cls(
            gain=variables.get("gain", default.gain),
            loss=variables.get("loss", default.loss),
            buy=f"bold {text} on {alert}" if alert and text else default.buy,
            stale=variables.get("stale", default.stale),
        )


_current = Colours()


def colours() -> Colours:
    """The colours of the theme in use; the app sets them whenever the theme changes."""
    return _current


def use_colours(new: Colours) -> None:
    global _current
    _current = new

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
    return right(text, _current.gain if value > 0 else _current.loss if value < 0 else "")


def plain(text: str) -> Text:
    return right(text, MUTED if text == fmt.DASH else "")
