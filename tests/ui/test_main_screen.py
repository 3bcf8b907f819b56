"""The main screen driven as a user would: prices, weights, BUY, refresh, keys."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import DataTable, Static

from tests.ui.conftest import ANALYST_PRICES, FixedProvider, cell_text, rate_limited, settle, toasts
from watcher.app import NeowatchApp, make_app
from watcher.domain.quote import FailureKind, QuoteFailure
from watcher.screens.detail import DetailScreen
from watcher.screens.help import KeysScreen
from watcher.screens.main import MainScreen
from watcher.widgets.company_grid import CompanyGrid
from watcher.widgets.line_table import LineTable
from watcher.widgets.status_line import StatusLine

SIZE = (160, 50)


async def test_grid_shows_each_company_with_its_live_price(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert grid.symbols == ["NBIS", "CRWV", "IREN", "CIFR"]
        assert cell_text(grid, "CRWV", "price") == "128.40"
        assert cell_text(grid, "NBIS", "price") == "100.00"
        assert cell_text(grid, "CRWV", "name") == "CoreWeave"
        # 128.40 against a previous close of 130.00
        assert cell_text(grid, "CRWV", "day") == "-1.2 %"
        # Scaled from the analysis' $65.2 B at a close of 133 on 2025-09-24.
        assert cell_text(grid, "CRWV", "mcap") == f"${65.2 * 128.40 / 133:.1f} B"
        assert cell_text(grid, "CRWV", "method") == "scaled"
        # The ARR behind the ratio is from 2025: older than 6 months, so marked with a *.
        assert cell_text(grid, "CRWV", "ratio") == f"{65.2e9 * 128.40 / 133 / 18e9:.1f}×*"
        assert cell_text(grid, "NBIS", "pue") == "1.13*"


async def test_a_figure_from_the_users_file_dated_this_month_is_not_marked_old(clock, tmp_path) -> None:  # noqa: ANN001
    from tests.ui.conftest import SAMPLE, config_from

    text = SAMPLE.read_text() + "\n[companies.NBIS.figures]\npue = { value = 1.1, as_of = 2026-11-01 }\n"
    app = make_app(config_from(text, tmp_path / "p.toml"), FixedProvider(clock), clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "NBIS", "pue").strip() == "1.10"
        assert "* figure older than 6 months" in str(app.screen.query_one("#title").render())


async def test_nbis_weighs_nine_percent_of_the_whole_portfolio(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        panel = app.screen.query_one("#portfolio", LineTable)
        assert cell_text(panel, "pos:NBIS", "weight") == "9.0 %"
        assert cell_text(panel, "pos:NBIS", "value") == "$9,000"
        assert cell_text(panel, "pos:NBIS", "pl_pct") == "+257 %"
        assert cell_text(panel, "total", "value") == "$100,000"


async def test_met_condition_marks_buy_on_the_row_and_in_the_panel(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "CRWV", "signal").strip() == "BUY"
        assert cell_text(grid, "NBIS", "signal").strip() == ""
        conditions = app.screen.query_one("#conditions", LineTable)
        row = conditions.row_keys[0]
        assert cell_text(conditions, row, "state").strip() == "BUY"
        assert cell_text(conditions, row, "distance") == "3.5 % below 133"


async def test_no_buy_above_the_trigger(sample_config, clock) -> None:  # noqa: ANN001
    provider = FixedProvider(clock, rounds=[{"CRWV": 140.0, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}])
    app = make_app(sample_config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "CRWV", "signal").strip() == ""
        conditions = app.screen.query_one("#conditions", LineTable)
        row = conditions.row_keys[0]
        assert cell_text(conditions, row, "state") == "not met"
        assert cell_text(conditions, row, "distance") == "5.3 % above 133"


async def test_toast_and_bell_once_per_crossing(sample_config, clock) -> None:  # noqa: ANN001
    others = {"NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}
    path = [140.0, 128.0, 127.0, 126.0, 139.0, 131.0]
    provider = FixedProvider(clock, rounds=[{"CRWV": p, **others} for p in path])
    app = make_app(sample_config, provider, clock=clock)
    bells: list[int] = []
    titled: list[str] = []
    app.bell = lambda: bells.append(1)  # type: ignore[method-assign]
    original_notify = app.notify

    def notify(message: str, **kwargs: object) -> None:
        titled.append(f"{kwargs.get('title', '')}: {message}")
        original_notify(message, **kwargs)  # type: ignore[arg-type]

    app.notify = notify  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for _ in path[1:]:
            app.refresh_now()
            await settle(app, pilot)
        assert provider.calls == len(path)
    # Crossed below 133 twice (140→128 and 139→131): two alerts, not one per refresh.
    assert len(bells) == 2
    buy_toasts = [t for t in titled if t.startswith("BUY CRWV")]
    assert len(buy_toasts) == 2
    assert "small starter position" in buy_toasts[0]


async def test_first_fetch_waits_for_the_first_paint(sample_config, clock) -> None:  # noqa: ANN001
    provider = FixedProvider(clock)
    app = make_app(sample_config, provider, clock=clock)
    seen_at_fetch: list[int] = []
    original = provider.fetch_quotes

    async def fetch(symbols):  # noqa: ANN001, ANN202
        grid = app.screen.query_one("#grid", CompanyGrid)
        seen_at_fetch.append(grid.row_count)
        return await original(symbols)

    provider.fetch_quotes = fetch  # type: ignore[method-assign]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    assert isinstance(seen_at_fetch[0], int) and seen_at_fetch[0] == 4


async def test_refresh_key_never_overlaps_a_running_fetch(app: NeowatchApp, provider: FixedProvider) -> None:
    provider.gate = asyncio.Event()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert provider.calls == 1 and provider.in_flight == 1
        await pilot.press("r")
        await pilot.press("r")
        await pilot.pause()
        assert provider.calls == 1
        provider.gate.set()
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert provider.calls == 2
        assert provider.max_in_flight == 1


async def test_a_failed_symbol_keeps_its_last_price_and_says_why(sample_config, clock) -> None:  # noqa: ANN001
    limited = QuoteFailure("IREN", FailureKind.RATE_LIMITED, "rate-limited by Yahoo (HTTP 429)", 40)
    rounds = [dict({"CRWV": 128.4, "NBIS": 100.0, "IREN": 40.0, "CIFR": 14.0}),
              {"CRWV": 128.4, "NBIS": 100.0, "IREN": limited, "CIFR": 14.0}]
    provider = FixedProvider(clock, rounds=rounds)
    app = make_app(sample_config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.refresh_now()
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "IREN", "price") == "40.00"
        status = str(app.screen.query_one(StatusLine).render())
        assert "IREN: rate-limited by Yahoo (HTTP 429)" in status
        assert "RATE-LIMITED BY YAHOO" in status


async def test_old_prices_are_marked_stale(app: NeowatchApp, clock) -> None:  # noqa: ANN001
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert "STALE" not in cell_text(grid, "CRWV", "age")
        clock.advance(121)  # two 60 s refreshes missed
        app.recompute()
        await pilot.pause()
        assert cell_text(grid, "CRWV", "age") == "STALE 2m"
        assert "STALE: CIFR, CRWV, IREN, NBIS" in str(app.screen.query_one(StatusLine).render())


async def test_enter_opens_the_detail_and_escape_returns(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "enter")
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.symbol == "CRWV"
        heading = str(app.screen.query_one("#heading", Static).render())
        assert "CoreWeave" in heading
        await pilot.press("right_square_bracket")
        assert app.screen.symbol == "IREN"
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_j_and_k_move_in_the_grid(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        grid = app.screen.query_one("#grid", CompanyGrid)
        await pilot.press("j", "j")
        assert grid.cursor_row == 2
        await pilot.press("k")
        assert grid.cursor_row == 1


async def test_question_mark_lists_the_keys(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, KeysScreen)
        table = app.screen.query_one(DataTable)
        described = {table.get_row_at(index)[1].plain for index in range(table.row_count)}
        wanted = {"Refresh", "Quit", "Keys", "open the company's detail", "scroll the grid sideways (the symbol stays)"}
        assert wanted <= described
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_q_quits_cleanly_and_closes_the_provider(app: NeowatchApp, provider: FixedProvider) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code in (None, 0)
    assert provider.closed


async def test_a_retry_after_is_honoured_by_the_refresh_key_and_the_timer(sample_config, clock) -> None:  # noqa: ANN001
    limited = rate_limited(120)
    provider = FixedProvider(clock, rounds=[limited, dict(limited)])
    app = make_app(sample_config, provider, clock=clock)
    shown = toasts(app)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("r")
        await settle(app, pilot)
        assert provider.calls == 1  # Yahoo asked for 120 s: the key does not hammer it
        assert any("backing off" in t and "120 s" in t for t in shown)
        # The next scheduled refresh waits for the Retry-After, not the 60 s interval.
        assert app._next_refresh is not None
        assert app.session.feed.seconds_to_wait() == 120
        status = str(app.screen.query_one(StatusLine).render())
        assert "failed" in status and "last good never" in status
        clock.advance(121)
        await pilot.press("r")
        await settle(app, pilot)
        assert provider.calls == 2


async def test_the_wait_counts_down_in_the_status_line(sample_config, clock) -> None:  # noqa: ANN001
    limited = rate_limited(120)
    provider = FixedProvider(clock, rounds=[limited, dict(ANALYST_PRICES)])
    app = make_app(sample_config, provider, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        status = str(app.screen.query_one(StatusLine).render())
        assert "retrying in 120 s" in status
        clock.advance(35)
        app._count_down()  # what the one-second tick calls
        await pilot.pause()
        status = str(app.screen.query_one(StatusLine).render())
        assert "retrying in 85 s" in status and "retrying in 120 s" not in status
        # The refresh key says the same wait as the line.
        shown = toasts(app)
        await pilot.press("r")
        await pilot.pause()
        assert any("next try is in 85 s" in t for t in shown)
        clock.advance(90)
        app.refresh_now()
        await settle(app, pilot)
        assert provider.calls == 2
        assert "retrying" not in str(app.screen.query_one(StatusLine).render())  # prices came: no wait


async def test_escape_from_a_detail_leaves_the_grid_on_the_company_last_shown(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("enter", "right_square_bracket", "right_square_bracket", "escape")
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert grid.cursor_row == 2  # NBIS → CRWV → IREN


async def test_the_tables_keep_a_bounded_render_cache(app: NeowatchApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        drawn = list(app.screen.query(LineTable))
        assert len(drawn) == 3  # the grid, the portfolio and the conditions
        assert isinstance(drawn[0], CompanyGrid)
        # Textual's DataTable would keep up to 10,000 rendered cells each, growing for hours.
        assert not app.screen.query(DataTable)
        for table in drawn:
            assert 0 < table.kept_lines <= table.kept_lines_limit <= 1000
        await pilot.press("enter")  # the detail: the peers and the fundamentals
        await pilot.pause()
        drawn = list(app.screen.query(LineTable))
        assert {table.id for table in drawn} == {"peers", "figures"}
        assert not app.screen.query(DataTable)
        for table in drawn:
            assert 0 < table.kept_lines <= table.kept_lines_limit <= 1000


async def test_a_stale_age_under_a_minute_fits_its_column(app: NeowatchApp, clock) -> None:  # noqa: ANN001
    from dataclasses import replace

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        # A 5 s interval: stale after 10 s, so 59 s is stale and still counted in seconds.
        settings = replace(app.session.config.settings, refresh_interval=5)
        app.session.config = replace(app.session.config, settings=settings)
        clock.advance(59)
        app.recompute()
        await pilot.pause()
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "CRWV", "age") == "STALE 59s"
        assert grid.column_width("age") >= len("STALE 59s")


async def test_a_row_as_last_shown_is_not_formatted_again(
    app: NeowatchApp, clock, monkeypatch: pytest.MonkeyPatch  # noqa: ANN001
) -> None:
    import watcher.widgets.company_grid as grid_module

    formatted: list[str] = []
    real = grid_module.row_cells

    def counting(row):  # noqa: ANN001, ANN202 - a CompanyRow, its cells
        formatted.append(row.symbol)
        return real(row)

    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(grid_module, "row_cells", counting)
        app.recompute()  # nothing moved
        await pilot.pause()
        assert formatted == []
        clock.advance(30)  # every age moves: every row is formatted again, and shows it
        app.recompute()
        await pilot.pause()
        assert sorted(formatted) == ["CIFR", "CRWV", "IREN", "NBIS"]
        grid = app.screen.query_one("#grid", CompanyGrid)
        assert cell_text(grid, "CRWV", "age") == "30s"
        formatted.clear()
        app.choose_theme("neowatch-light")  # new colours: every row is drawn in them
        await pilot.pause()
        assert sorted(formatted) == ["CIFR", "CRWV", "IREN", "NBIS"]
