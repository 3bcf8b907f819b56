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
# Labels on the price axis: as many as plotext would draw.
PRICE_LABELS = 7

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


def price_axis(bottom: float, top: float, count: int = PRICE_LABELS) -> tuple[list[float], list[str]]:
    """Labels for the price axis, evenly spaced from `bottom` to `top` as plotext spaces its own,
    written as prices are everywhere else (0.0118, not 0.01), under 1 with their zeros kept so
    they line up. Where the range is finer than a price is written, each label is shown once.
    """
    if not (math.isfinite(bottom) and math.isfinite(top)) or top < bottom:
        return [], []
    step = (top - bottom) / (count - 1) if count > 1 else 0.0
    ticks = [bottom + i * step for i in range(max(count, 1))]
    decimals = max(len(fmt.price(tick).partition(".")[2]) for tick in ticks)
    labels = [fmt.price(tick, min_decimals=decimals) for tick in ticks]
    shown: dict[str, float] = {}
    for tick, label in zip(ticks, labels, strict=True):
        shown.setdefault(label, tick)
    return list(shown.values()), list(shown)


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
        plt.yticks(*price_axis(bottom, top))
        plt.xlim(0, len(xs) - 1) if len(xs) > 1 else plt.xlim(-0.5, 0.5)
        ticks = tick_positions(len(times), self.size.width)
        form = TICK_FORMATS[history.range]
        plt.xticks([float(i) for i in ticks], [times[i].astimezone(self.tz).strftime(form) for i in ticks])
        plt.title(self.title)
