"""The price chart's axis and trigger label write prices as everywhere else: 0.0123, not 0.01."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from textual.app import App, ComposeResult

from watcher.quotes.provider import ChartRange, PriceHistory
from watcher.widgets.price_chart import PriceChart, price_labels, price_ticks

START = datetime(2024, 10, 1, 13, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("low", "high", "count", "labels"),
    [
        (88.45, 122.55, 5, ["90.00", "100.00", "110.00", "120.00"]),
        (1190.0, 1260.0, 5, ["1,200.00", "1,220.00", "1,240.00", "1,260.00"]),
        (0.0114, 0.0131, 5, ["0.0115", "0.0120", "0.0125", "0.0130"]),  # SNDL: not 0.01 four times
        (0.0095, 0.0105, 5, ["0.0095", "0.0100", "0.0105"]),  # the same decimals on every label
        (0.95, 1.05, 5, ["0.95", "1.00", "1.05"]),  # across 1
        (0.000012, 0.0000125, 5, ["0.0000120", "0.0000122", "0.0000124"]),  # a coin: not 0.00
    ],
)
def test_axis_labels_are_round_prices_at_the_price_s_precision(
    low: float, high: float, count: int, labels: list[str]
) -> None:
    ticks = price_ticks(low, high, count)
    assert all(low <= tick <= high for tick in ticks)
    assert price_labels(ticks) == labels


def test_a_range_finer_than_a_cent_gets_one_label_not_several_that_read_the_same() -> None:
    ticks = price_ticks(100.0, 100.004, 5)
    assert price_labels(ticks) == ["100.00"]
    assert price_labels(price_ticks(100.001, 100.004, 5)) == ["100.00"]  # the middle, to the cent


@pytest.mark.parametrize(("low", "high"), [(float("nan"), 1.0), (0.0, float("inf")), (2.0, 1.0)])
def test_no_ticks_for_an_unusable_range(low: float, high: float) -> None:
    assert price_ticks(low, high, 5) == []


class ChartApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PriceChart(tz=UTC)


async def test_a_sub_dollar_chart_labels_its_axis_and_trigger_at_their_precision() -> None:
    closes = tuple((START + timedelta(days=i), 0.0118 + i * 0.0001) for i in range(10))
    app = ChartApp()
    async with app.run_test(size=(90, 24)) as pilot:
        chart = app.query_one(PriceChart)
        chart.show(PriceHistory("SNDL", ChartRange.ONE_MONTH, closes), 0.0125)
        await pilot.pause()
        text = chart.render().plain
    assert "buy trigger 0.0125" in text
    axis = [line.split("┤")[0].strip() for line in text.splitlines() if "┤" in line and "buy trigger" not in line]
    # Round prices, top to bottom, not plotext's own 0.01176, 0.01201 …
    assert axis == ["0.0126", "0.0124", "0.0122", "0.0120", "0.0118"]
