"""The portfolio file: the analyst's sample, a good file with every form, and bad files in words."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from watcher.config import USER_FIGURE_SOURCE, YAHOO_URL_ENV, ConfigError, load_config

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "config"
SAMPLE = ROOT / "sample_portfolio.toml"


def error_of(name: str) -> str:
    path = DATA / name
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert str(path) in message, "the message names the file"
    assert "Traceback" not in message
    return message


# --- the sample the user starts from ----------------------------------------------


def test_sample_holds_the_analysts_situation() -> None:
    config = load_config(SAMPLE)
    nbis = config.portfolio.holding("NBIS")
    assert nbis is not None
    assert nbis.shares == 90
    assert nbis.average_cost == pytest.approx(28.0)
    other = sum(asset.value for asset in config.portfolio.other_assets)
    assert other + config.portfolio.cash == pytest.approx(91_000)
    assert {"CRWV", "IREN", "CIFR"} <= set(config.watchlist)
    assert len(config.conditions) == 1
    crwv = config.conditions[0]
    assert crwv.symbol == "CRWV"
    assert crwv.price_below == 133
    assert crwv.label  # a label the user reads in the conditions panel
    assert config.settings.refresh_interval == 60
    assert config.settings.provider == ("yahoo",)
    assert config.settings.yahoo_url is None
    assert config.symbols == ("NBIS", "CRWV", "IREN", "CIFR")


# --- a good file with lots, lower-case symbols and the user's own figures -----------


@pytest.fixture(scope="module")
def good():
    return load_config(DATA / "good_lots.toml")


def test_lots_are_read_in_order(good) -> None:
    nbis = good.portfolio.holding("NBIS")
    assert nbis is not None
    assert [(lot.shares, lot.cost_per_share) for lot in nbis.lots] == [(60, 20.0), (30, 44.0)]
    assert nbis.average_cost == pytest.approx(28.0)
    assert good.portfolio.cash == 1000
    assert [(a.name, a.value) for a in good.portfolio.other_assets] == [("Index funds", 9000)]


def test_symbols_in_lower_case_are_normalised_to_upper_case(good) -> None:
    assert good.portfolio.holding("NBIS") is not None
    assert good.watchlist == ("CRWV", "IREN")
    assert good.conditions[0].symbol == "CRWV"
    assert "ORCL" in good.companies and "orcl" not in good.companies
    assert good.symbols == ("NBIS", "CRWV", "IREN")


def test_every_condition_clause_is_read(good) -> None:
    condition = good.conditions[0]
    assert condition.label == "starter below 133 and cheap on ARR"
    assert (condition.price_below, condition.mcap_to_arr_below, condition.max_weight) == (133, 5, 10)
    assert condition.price_above is None


def test_settings_are_read(good) -> None:
    assert good.settings.refresh_interval == 30
    assert good.settings.provider == ("demo",)


def test_a_figure_as_a_number_a_text_or_a_table(good) -> None:
    crwv = good.companies["CRWV"]
    table = crwv.figure("shares_outstanding")
    assert table.value == pytest.approx(490e6)
    assert table.as_of == date(2025, 11, 10)
    assert table.source == "10-Q"
    assert table.note == "diluted"
    number = crwv.figure("arr_end_2025")
    assert number.value == pytest.approx(20e9)
    assert number.source == USER_FIGURE_SOURCE
    text = crwv.figure("software")
    assert text.value == "SUNK"
    assert text.source == USER_FIGURE_SOURCE


def test_a_company_of_the_users_own(good) -> None:
    orcl = good.companies["ORCL"]
    assert orcl.name == "Oracle"
    assert orcl.tier == "Hyperscaler"
    assert orcl.number("market_cap") == pytest.approx(800e9)
    assert orcl.figure("market_cap").as_of == date(2025, 9, 24)


def test_the_environment_variable_wins_over_the_files_yahoo_url(good) -> None:
    assert good.settings.yahoo_url == "http://127.0.0.1:9/from-file"
    assert good.yahoo_url(environ={}) == "http://127.0.0.1:9/from-file"
    env = {YAHOO_URL_ENV: "http://127.0.0.1:8765"}
    assert good.yahoo_url(environ=env) == "http://127.0.0.1:8765"
    sample = load_config(SAMPLE)
    assert sample.yahoo_url(environ={}) is None
    assert sample.yahoo_url(environ=env) == "http://127.0.0.1:8765"


def test_yahoo_url_reads_the_process_environment_by_default(good, monkeypatch) -> None:
    monkeypatch.setenv(YAHOO_URL_ENV, "http://127.0.0.1:8766")
    assert good.yahoo_url() == "http://127.0.0.1:8766"
    monkeypatch.delenv(YAHOO_URL_ENV)
    assert good.yahoo_url() == "http://127.0.0.1:9/from-file"


def test_an_empty_file_is_an_empty_portfolio(tmp_path: Path) -> None:
    path = tmp_path / "empty.toml"
    path.write_text("# nothing yet\n")
    config = load_config(path)
    assert config.portfolio.holdings == () and config.conditions == () and config.symbols == ()
    assert config.settings.refresh_interval == 60 and config.settings.provider == ("yahoo",)


# --- bad files: file, line, field path and what was expected -------------------------

BAD_FILES = [
    # (file, line, field path, words of what is expected)
    ("bad_negative_shares.toml", 10, "holdings[1].shares (CRWV)", ["greater than 0", "-5"]),
    (
        "bad_unknown_key.toml",
        5,
        "settings.refresh_every",
        ["unknown key 'refresh_every'", "refresh_interval, stale_after_refreshes, provider, yahoo_url"],
    ),
    ("bad_wrong_type.toml", 5, "holdings[0].shares (NBIS)", ["write it without quotes", "'90'"]),
    ("bad_interval_too_short.toml", 3, "settings.refresh_interval", ["greater than or equal to 5", "2"]),
    ("bad_no_clause.toml", 3, "conditions[0] (CRWV)", ["at least one of price_below, price_above"]),
    ("bad_lots_and_shares.toml", 1, "holdings[0] (NBIS)", ["either shares and cost_per_share, or lots"]),
    ("bad_figure_table_date_in_quotes.toml", 6, "companies.CRWV.figures.market_cap.as_of", ["valid date"]),
]


@pytest.mark.parametrize(("name", "line", "field", "expected"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_file_is_reported_with_line_field_and_expectation(
    name: str, line: int, field: str, expected: list[str]
) -> None:
    message = error_of(name)
    assert f"line {line}: {field}:" in message
    for words in expected:
        assert words in message


def test_unknown_condition_key_names_the_clauses_a_condition_takes() -> None:
    message = error_of("bad_unknown_condition.toml")
    assert "line 6: conditions[0].price_under (CRWV):" in message
    assert "unknown condition 'price_under'" in message
    for clause in ("price_below", "price_above", "mcap_to_arr_below", "max_weight"):
        assert clause in message


def test_syntax_error_gives_tomls_line_and_column() -> None:
    message = error_of("bad_syntax.toml")
    assert "line 6, column 24:" in message
    assert "TOML syntax error" in message


def test_syntax_error_at_the_end_of_the_file_names_the_last_line() -> None:
    message = error_of("bad_unterminated.toml")
    assert "line 2 (end of the file)" in message
    assert "TOML syntax error" in message


def test_several_problems_are_counted_and_listed_by_line() -> None:
    message = error_of("bad_several_problems.toml")
    assert "has 3 problems" in message
    lines = [int(n) for n in re.findall(r"^  line (\d+): ", message, flags=re.MULTILINE)]
    assert lines == [1, 4, 5]
    assert "cash: must be greater than or equal to 0" in message
    assert "settings.provider[0]: must be 'yahoo', 'finnhub' or 'demo' (found 'google')" in message


def test_duplicate_holding_is_rejected_in_words() -> None:
    message = error_of("bad_duplicate_holding.toml")
    assert re.search(r"NBIS is (held twice|already held)", message)
    assert "lots" in message  # the way to write two purchases of one stock


def test_duplicate_holding_names_the_second_holding_and_its_line() -> None:
    message = error_of("bad_duplicate_holding.toml")
    assert re.search(r"line [67]: holdings\[1\]", message)


def test_unknown_figure_is_rejected_with_the_known_figures() -> None:
    message = error_of("bad_unknown_figure.toml")
    assert re.search(r"line \d+: companies\.CRWV\.figures", message)
    assert "unknown figure 'price_to_sales'" in message
    assert "arr_end_2025" in message and "market_cap" in message


def test_a_text_for_a_numeric_figure_is_rejected() -> None:
    message = error_of("bad_text_for_number.toml")
    assert re.search(r"line \d+: companies\.CRWV\.figures", message)
    assert "market_cap" in message
    assert "number" in message


def test_a_number_for_a_text_figure_is_rejected() -> None:
    message = error_of("bad_number_for_text.toml")
    assert re.search(r"line 2: companies\.IREN\.figures", message)
    assert "clustermax" in message
    assert re.search(r"\b(text|string)\b", message)


@pytest.mark.parametrize(
    ("name", "figure"),
    [("bad_unknown_figure.toml", "price_to_sales"), ("bad_text_for_number.toml", "market_cap")],
)
def test_a_bad_figure_is_located_on_its_own_line(name: str, figure: str) -> None:
    # Line 4 is the [companies.CRWV.figures] header; the bad figure is on line 6.
    assert f"line 6: companies.CRWV.figures.{figure}" in error_of(name)


def test_a_figure_table_with_a_bad_date_is_one_problem_about_the_date() -> None:
    message = error_of("bad_figure_table_date_in_quotes.toml")
    assert "has a problem:" in message
    assert "valid number" not in message


def load_text(folder: Path, text: str) -> None:
    """load_config of a file holding `text`."""
    path = folder / "p.toml"
    path.write_text(text, "utf-8")
    load_config(path)


def test_strict_types_refuse_a_quoted_number_and_a_boolean(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"line 1: cash: is a number; write it without quotes"):
        load_text(tmp_path, 'cash = "1000"\n')
    with pytest.raises(ConfigError, match=r"line 1: cash: must be a valid number"):
        load_text(tmp_path, "cash = true\n")
    with pytest.raises(ConfigError, match=r"line 1: cash: must be a valid number, a \{ amount .* \(found 'lots'\)"):
        load_text(tmp_path, 'cash = "lots"\n')
    with pytest.raises(ConfigError, match=r"line 1: cash: must be a finite number"):
        load_text(tmp_path, "cash = inf\n")


def test_a_symbol_that_is_not_a_ticker_is_rejected(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"line 1: watchlist\[1\]:"):
        load_text(tmp_path, 'watchlist = ["CRWV", "not a symbol"]\n')


def test_a_missing_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.toml"
    with pytest.raises(ConfigError, match="no such file") as raised:
        load_config(path)
    assert str(path) in str(raised.value)


def test_a_binary_file_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "portfolio.toml"
    path.write_bytes(b"\xff\xfe\x00cash = 1")
    with pytest.raises(ConfigError, match="not a text file"):
        load_config(path)
