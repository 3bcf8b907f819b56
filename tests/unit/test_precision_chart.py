"""The price chart's axis and trigger label write prices as everywhere else: 0.0123, not 0.01."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.app import App, ComposeResult

from watcher.quotes.provider import ChartRange, PriceHistory
from watcher.widgets.price_chart import PriceChart, price_axis

START = datetime(2024, 10, 1, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("bottom", "top", "labels"),
    [
        # From 1 up, two decimals, as plotext wrote the sample's chart (the snapshot stays).
        (128.1, 133.3, ["128.10", "128.97", "129.83", "130.70", "131.57", "132.43", "133.30"]),
        (1190.0, 1260.0, ["1,190.00", "1,201.67", "1,213.33", "1,225.00", "1,236.67", "1,248.33", "1,260.00"]),
        # SNDL: four significant digits, not 0.01 seven times.
        (0.011755, 0.012745, ["0.01175", "0.01192", "0.01209", "0.01225", "0.01241", "0.01258", "0.01274"]),
        # Zeros kept so the labels line up, never past the fourth significant digit.
        (0.0095, 0.0105, ["0.009500", "0.009667", "0.009833", "0.01000", "0.01017", "0.01033", "0.01050"]),
        # Across 1: "1.02", not a padded "1.0200" that would claim digits 1.0167 does not have.
        (0.95, 1.05, ["0.9500", "0.9667", "0.9833", "1.00", "1.02", "1.03", "1.05"]),
        # A coin: not 0.00.
        (0.000012, 0.0000125, [
            "0.00001200", "0.00001208", "0.00001217", "0.00001225", "0.00001233", "0.00001242", "0.00001250",
        ]),
    ],
)
def test_axis_labels_are_prices_at_their_precision(bottom: float, top: float, labels: list[str]) -> None:
    ticks, shown = price_axis(bottom, top)
    assert shown == labels
    assert ticks[0] == pytest.approx(bottom) and ticks[-1] == pytest.approx(top)


def test_a_range_finer_than_a_cent_gets_one_label_not_several_that_read_the_same() -> None:
    ticks, labels = price_axis(100.0, 100.004)
    assert labels == ["100.00"] and ticks == [100.0]
    assert price_axis(0.0, 0.0) == ([0.0], ["0.00"])


@pytest.mark.parametrize(("bottom", "top"), [(float("nan"), 1.0), (0.0, float("inf")), (2.0, 1.0)])
def test_no_labels_for_an_unusable_range(bottom: float, top: float) -> None:
    assert price_axis(bottom, top) == ([], [])


class ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PriceChart(tz=UTC)


async def rendered_axis(closes: list[float], trigger: float | None) -> tuple[str, list[str]]:
    """What a mounted chart of `closes` draws, and its price labels from top to bottom."""
    app = ChartApp()
    async with app.run_test(size=(90, 24)) as pilot:
        chart = app.query_one(PriceChart)
        points = tuple((START + timedelta(days=i), close) for i, close in enumerate(closes))
        chart.show(PriceHistory("TEST", ChartRange.ONE_MONTH, points), trigger)
        await pilot.pause()
        text = chart.render().plain
    lines = [line for line in text.splitlines() if "┤" in line and "buy trigger" not in line]
    return text, [line.split("┤")[0].strip() for line in lines]


async def test_a_sub_dollar_chart_labels_its_axis_and_trigger_at_their_precision() -> None:
    text, axis = await rendered_axis([0.0118 + i * 0.0001 for i in range(10)], 0.0125)
    assert "buy trigger 0.0125" in text  # not "0.01"
    assert axis == ["0.01274", "0.01258", "0.01241", "0.01225", "0.01209", "0.01192", "0.01175"]


async def test_a_chart_from_1_up_labels_its_axis_as_the_grid_writes_prices() -> None:
    # A flat day of a four-digit price: plotext's own labels would read 1200.00473, 1200.00390 …
    _, axis = await rendered_axis([1200.0 + i * 0.0005 for i in range(10)], None)
    assert axis and set(axis) <= {"1,200.00", "1,200.01"}, axis
    assert len(axis) == len(set(axis))  # no two labels that read the same
