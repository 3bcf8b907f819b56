"""The price chart in a tiny app: closes, trigger, labels, messages, and colours on dark and light themes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from textual.color import Color

from watcher.quotes.provider import ChartRange, PriceHistory
from watcher.widgets.price_chart import PriceChart, readable, tick_positions

START = datetime(2024, 10, 1, 13, 30, tzinfo=UTC)


class ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PriceChart(tz=UTC)


def daily(chart_range: ChartRange = ChartRange.ONE_MONTH, count: int = 22, base: float = 100.0) -> PriceHistory:
    return PriceHistory("CRWV", chart_range, tuple((START + timedelta(days=i), base + i) for i in range(count)))


def intraday(count: int = 78) -> PriceHistory:
    points = tuple((START + timedelta(minutes=5 * i), 100 + i / 10) for i in range(count))
    return PriceHistory("CRWV", ChartRange.ONE_DAY, points)


async def drawn(
    history: PriceHistory | None, trigger: float | None = None, message: str | None = None
) -> tuple[PriceChart, Text]:
    """Mount a chart, show what is given, and return the chart with what it rendered."""
    app = ChartApp()
    async with app.run_test(size=(90, 24)) as pilot:
        chart = app.query_one(PriceChart)
        chart.show(history, trigger, message)
        await pilot.pause()
        rendered = chart.render()
        assert isinstance(rendered, Text)
        return chart, rendered


async def test_closes_are_drawn_with_a_title_and_date_labels() -> None:
    chart, rendered = await drawn(daily())
    assert chart.title == "CRWV · 1M"
    text = rendered.plain
    assert "CRWV · 1M" in text
    assert "01 Oct" in text and "22 Oct" in text  # first and last bar are labelled, as dates
    assert "buy trigger" not in text
    # The line itself: plotext draws it with block characters inside the frame.
    assert any(ch in text for ch in "▀▄▞▚▗▖▘▝")


async def test_the_trigger_is_a_labelled_line_kept_in_view() -> None:
    _, rendered = await drawn(daily(), trigger=90.0)  # below every close
    lines = rendered.plain.splitlines()
    [trigger_line] = [line for line in lines if "buy trigger 90.00" in line]
    assert "────" in trigger_line  # the horizontal line runs on past its label
    assert any(line.lstrip().startswith("12") for line in lines)  # and the top of the closes still shows


@pytest.mark.parametrize("trigger", [0.0, -5.0, float("nan"), None])
async def test_an_unusable_trigger_is_left_out(trigger: float | None) -> None:
    chart, rendered = await drawn(daily(), trigger=trigger)
    assert chart.trigger is None and "buy trigger" not in rendered.plain


async def test_intraday_ranges_label_times() -> None:
    _, rendered = await drawn(intraday())
    assert "CRWV · 1D" in rendered.plain
    assert "13:30" in rendered.plain and "19:55" in rendered.plain
    assert "Oct" not in rendered.plain


async def test_long_ranges_label_month_and_year() -> None:
    _, rendered = await drawn(daily(ChartRange.ONE_YEAR, count=60))
    assert "Oct 2024" in rendered.plain and "Nov 2024" in rendered.plain


async def test_a_message_stands_in_for_a_missing_history() -> None:
    app = ChartApp()
    async with app.run_test(size=(60, 12)) as pilot:
        chart = app.query_one(PriceChart)
        chart.show(None, 90.0, "loading…")
        await pilot.pause()
        assert chart.render().plain == "loading…"
        assert chart.title == ""
        assert "loading…" in app.export_screenshot()
        chart.show(daily(), 90.0)  # the answer arrives: the plot replaces the message
        await pilot.pause()
        assert "CRWV · 1M" in chart.render().plain
        chart.show(None, None, "Yahoo does not know CRWVX")
        await pilot.pause()
        assert chart.render().plain == "Yahoo does not know CRWVX"


async def test_a_history_without_points_shows_the_message() -> None:
    chart, rendered = await drawn(PriceHistory("CRWV", ChartRange.ONE_DAY, ()), message="no prices yet")
    assert chart.history is None and rendered.plain == "no prices yet"


async def test_a_message_beside_a_plot_joins_the_title_without_escapes() -> None:
    chart, rendered = await drawn(daily(), message="rate-limited\x1b[2J by Yahoo")
    assert chart.title == "CRWV · 1M — rate-limited[2J by Yahoo"
    assert chart.title in rendered.plain


async def test_a_single_point_still_draws() -> None:
    _, rendered = await drawn(daily(count=1), trigger=95.0)
    assert "01 Oct" in rendered.plain and "buy trigger 95.00" in rendered.plain


@pytest.mark.parametrize("theme", ["textual-dark", "textual-light", "solarized-light", "nord"])
async def test_colours_come_from_the_theme_and_stand_out_on_its_canvas(theme: str) -> None:
    app = ChartApp()
    async with app.run_test(size=(90, 24)) as pilot:
        app.theme = theme
        chart = app.query_one(PriceChart)
        chart.show(daily(), 90.0)
        await pilot.pause()
        rendered = chart.render()
        variables = app.theme_variables
        canvas = Color.parse(variables["surface"])
        used = {span.style.color.triplet for span in rendered.spans if span.style.color}
        for variable in ("primary", "warning"):
            expected = readable(Color.parse(variables[variable]), canvas)
            assert tuple(expected.rgb) in used, variable
            assert abs(expected.brightness - canvas.brightness) >= 0.3


def test_readable_shifts_colours_too_close_to_the_canvas() -> None:
    light, dark = Color.parse("#ffffff"), Color.parse("#1e1e1e")
    orange = Color.parse("#ffa62b")
    assert readable(orange, dark) == orange  # already stands out
    darker = readable(orange, light)
    assert darker.brightness < orange.brightness
    assert abs(darker.brightness - light.brightness) >= 0.3


@pytest.mark.parametrize(
    ("count", "width", "expected"),
    [(0, 80, []), (1, 80, [0]), (2, 80, [0, 1]), (78, 84, [0, 13, 26, 38, 51, 64, 77]), (78, 30, [0, 77])],
)
def test_tick_positions_spread_and_fit(count: int, width: int, expected: list[int]) -> None:
    assert tick_positions(count, width) == expected
