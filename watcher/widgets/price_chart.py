"""A line chart of one symbol's closes over a range, with its buy trigger drawn across it."""

from __future__ import annotations

import math
from datetime import tzinfo

from rich.text import Text
from textual.app import RenderResult
from textual.color import Color, ColorParseError
from textual_plotext import PlotextPlot

from watcher import format as fmt
from watcher.domain.quote import is_plausible_price
from watcher.quotes.provider import ChartRange, PriceHistory

# Used only when the app's theme cannot be read; both stay legible on dark and light canvases.
FALLBACK_PRICE = (0, 130, 200)
FALLBACK_TRIGGER = (200, 100, 20)
# Colours closer than this in brightness to the canvas are shifted until they stand out.
MIN_BRIGHTNESS_GAP = 0.3
# One x label takes about this many cells with the gap to its neighbour.
LABEL_CELLS = 12
MAX_LABELS = 7
# The price axis: at most this many labels, one per this many rows of the widget.
MAX_PRICE_LABELS = 6
ROWS_PER_PRICE_LABEL = 3

TICK_FORMATS = {
    ChartRange.ONE_DAY: "%H:%M",
    ChartRange.FIVE_DAYS: "%a %H:%M",
    ChartRange.ONE_MONTH: "%d %b",
    ChartRange.SIX_MONTHS: "%d %b",
    ChartRange.YEAR_TO_DATE: "%d %b",
    ChartRange.ONE_YEAR: "%b %Y",
    ChartRange.FIVE_YEARS: "%b %Y",
}


def _printable(text: str) -> str:
    # Plotext's output is read back as ANSI: an escape inside a title would be obeyed, not shown.
    return "".join(ch for ch in text if ch.isprintable())


def readable(colour: Color, canvas: Color) -> Color:
    """`colour`, darkened on a light canvas or lightened on a dark one until it stands out."""
    for _ in range(4):
        if abs(colour.brightness - canvas.brightness) >= MIN_BRIGHTNESS_GAP:
            break
        colour = colour.darken(0.15) if canvas.brightness > 0.5 else colour.lighten(0.15)
    return colour


def tick_positions(count: int, width: int) -> list[int]:
    """Indexes of the bars to label: evenly spread, first and last included, as many as fit."""
    if count <= 0:
        return []
    labels = max(2, min(MAX_LABELS, width // LABEL_CELLS, count))
    if count == 1:
        return [0]
    return sorted({round(i * (count - 1) / (labels - 1)) for i in range(labels)})


def price_ticks(low: float, high: float, count: int) -> list[float]:
    """Round prices inside [low, high] for about `count` labels: steps of 1, 2 or 5 × 10ⁿ.

    A step is never finer than the axis' prices are written (a cent from 1 up, four significant
    digits below), so no two labels read the same. With no round price inside, the middle.
    """
    if not (math.isfinite(low) and math.isfinite(high)) or high < low:
        return []
    top = max(abs(low), abs(high))
    finest = 0.01 if top >= 1 or top == 0 else 10.0 ** (math.floor(math.log10(top)) - 3)
    raw = max((high - low) / max(count - 1, 1), finest)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(power * m for m in (1, 2, 5, 10) if power * m >= raw * (1 - 1e-9))
    first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
    if first > last:
        return [(low + high) / 2]
    return [k * step for k in range(first, last + 1)]


def price_labels(ticks: list[float]) -> list[str]:
    """Each tick as a price is written elsewhere, padded with zeros to the longest's decimals."""
    labels = [fmt.price(tick) for tick in ticks]
    positional = [label for label in labels if "." in label and "e" not in label]
    decimals = max((len(label.partition(".")[2]) for label in positional), default=0)
    return [
        f"{label}{'0' * (decimals - len(label.partition('.')[2]))}" if label in positional else label
        for label in labels
    ]


class PriceChart(PlotextPlot):
    """Draws what `show` was given; it never fetches. A message stands in while there is no history."""

    DEFAULT_CSS = """
    PriceChart {
        min-height: 8;
        content-align: center middle;
    }
    """

    def __init__(
        self,
        *,
        tz: tzinfo | None = None,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name for it
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.tz = tz
        """Where the x labels' times are read; None is the computer's own zone."""
        self._history: PriceHistory | None = None
        self._trigger: float | None = None
        self._message: str | None = None

    @property
    def history(self) -> PriceHistory | None:
        return self._history

    @property
    def trigger(self) -> float | None:
        return self._trigger

    @property
    def message(self) -> str | None:
        return self._message

    @property
    def title(self) -> str:
        """The chart's heading: symbol and range, and the message when it sits beside a plot."""
        if self._history is None:
            return ""
        title = f"{self._history.symbol} · {self._history.range.value}"
        return _printable(f"{title} — {self._message}" if self._message else title)

    def show(self, history: PriceHistory | None, trigger: float | None, message: str | None = None) -> None:
        """Draw `history` with `trigger` across it, or only `message` ("loading…", a failure) without one."""
        self._history = history if history is not None and history.points else None
        self._trigger = float(trigger) if trigger is not None and is_plausible_price(trigger) else None
        self._message = message
        self.refresh()

    def render(self) -> RenderResult:
        if self._history is None:
            return Text(_printable(self._message or ""), justify="center")
        self._draw(self._history)
        return super().render()

    def _theme_colour(self, variable: str, fallback: tuple[int, int, int]) -> tuple[int, int, int]:
        variables = self.app.theme_variables
        try:
            colour = Color.parse(variables[variable])
            canvas = Color.parse(variables["surface"])
        except (KeyError, ColorParseError):
            return fallback
        return readable(colour, canvas).rgb

    def _draw(self, history: PriceHistory) -> None:
        plt = self.plt
        plt.clear_figure()
        times = [when for when, _ in history.points]
        closes = [close for _, close in history.points]
        # Bars are placed by their order, not their time: nights and weekends would otherwise
        # take most of a 5-day chart's width and show nothing.
        xs = list(range(len(closes)))
        plt.plot(xs, closes, color=self._theme_colour("primary", FALLBACK_PRICE))
        low, high = min(closes), max(closes)
        if self._trigger is not None:
            # The trigger is always in view, so the distance to it reads off the chart.
            low, high = min(low, self._trigger), max(high, self._trigger)
            colour = self._theme_colour("warning", FALLBACK_TRIGGER)
            plt.hline(self._trigger, colour)
            plt.text(f"buy trigger {fmt.price(self._trigger)}", x=0, y=self._trigger, color=colour, alignment="left")
        pad = (high - low) * 0.05 or abs(high) * 0.01 or 1.0
        # Prices are never negative: the axis stops at zero rather than label prices that cannot be.
        bottom, top = (max(low - pad, 0.0) if low >= 0 else low - pad), high + pad
        plt.ylim(bottom, top)
        count = max(2, min(MAX_PRICE_LABELS, self.size.height // ROWS_PER_PRICE_LABEL))
        yticks = price_ticks(bottom, top, count)
        plt.yticks(yticks, price_labels(yticks))
        plt.xlim(0, len(xs) - 1) if len(xs) > 1 else plt.xlim(-0.5, 0.5)
        ticks = tick_positions(len(times), self.size.width)
        form = TICK_FORMATS[history.range]
        plt.xticks([float(i) for i in ticks], [times[i].astimezone(self.tz).strftime(form) for i in ticks])
        plt.title(self.title)
