"""Every number of the portfolio file has a ceiling: a huge one is a ConfigError naming line,
field and bound, and `neowatch check` exits 2 on it (never 1, which a script reads as a buy)."""

from __future__ import annotations

from pathlib import Path

import pytest

from watcher import __main__ as cli
from watcher.config import ConfigError, load_config
from watcher.schemas import MAX_REFRESH_SECONDS


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "portfolio.toml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    message = str(raised.value)
    assert str(path) in message
    assert "Traceback" not in message
    return message


def test_a_huge_refresh_interval_names_its_line_field_and_bound(tmp_path: Path) -> None:
    path = write(tmp_path, '[settings]\nprovider = "demo"\nrefresh_interval = 1e308\n')
    message = error_of(path)
    assert "line 3: settings.refresh_interval" in message
    assert f"less than or equal to {MAX_REFRESH_SECONDS}" in message


def test_the_longest_refresh_interval_is_a_day(tmp_path: Path) -> None:
    path = write(tmp_path, "[settings]\nrefresh_interval = 86400\n")
    assert load_config(path).settings.refresh_interval == 86_400
    assert "settings.refresh_interval" in error_of(write(tmp_path, "[settings]\nrefresh_interval = 86401\n"))


def test_check_exits_2_on_a_huge_refresh_interval(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, '[settings]\nprovider = "demo"\nrefresh_interval = 1e308\n')
    assert cli.main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 3: settings.refresh_interval" in err
    assert "OverflowError" not in err and "Traceback" not in err


HUGE = [
    ("cash = 1e308\n", "line 1: cash", "1000000000000000"),
    ("cash = { amount = 2e15 }\n", "line 1: cash[0].amount", "1000000000000000"),
    ('cash = [{ amount = 1, currency = "EUR" }, { amount = 1e300 }]\n', "cash[1].amount", "1000000000000000"),
    ('[[holdings]]\nsymbol = "X"\nshares = 1e308\ncost_per_share = 1\n', "line 3: holdings[0].shares", "1000000000000"),
    ('[[holdings]]\nsymbol = "X"\nshares = 1\ncost_per_share = 1e13\n', "line 4: holdings[0].cost_per_share",
     "1000000000000"),
    ('[[holdings]]\nsymbol = "X"\nlots = [{ shares = 1e13, cost_per_share = 1 }]\n',
     "line 3: holdings[0].lots[0].shares", "1000000000000"),
    ('[[holdings]]\nsymbol = "X"\nlots = [{ shares = 1, cost_per_share = 1e300 }]\n',
     "line 3: holdings[0].lots[0].cost_per_share", "1000000000000"),
    ('[[other_assets]]\nname = "Funds"\nvalue = 1e300\n', "line 3: other_assets[0].value", "1000000000000000"),
    ('[[conditions]]\nsymbol = "X"\nlabel = "buy"\nprice_below = 1e300\n', "line 4: conditions[0].price_below",
     "1000000000000"),
    ('[[conditions]]\nsymbol = "X"\nlabel = "buy"\nprice_above = 1e300\n', "line 4: conditions[0].price_above",
     "1000000000000"),
    ('[[conditions]]\nsymbol = "X"\nlabel = "buy"\nmcap_to_arr_below = 1e7\n',
     "line 4: conditions[0].mcap_to_arr_below", "1000000"),
    ('[[conditions]]\nsymbol = "X"\nlabel = "buy"\nmax_weight = 101\n', "line 4: conditions[0].max_weight", "100"),
    ("[alerts]\nhysteresis_pct = 1e308\n", "line 2: alerts.hysteresis_pct", "20"),
    ("[settings]\nstale_after_refreshes = 1000000\n", "line 2: settings.stale_after_refreshes", "100"),
    ("[settings]\nfigure_max_age_months = 100000\n", "line 2: settings.figure_max_age_months", "120"),
    ("[companies.X.figures]\nmarket_cap = 1e300\n", "line 2: companies.X.figures.market_cap", "1000000000000000"),
    ("[companies.X.figures]\narr_now = { value = -1e300 }\n", "line 2: companies.X.figures.arr_now.value",
     "greater than or equal to -1000000000000000"),
]


@pytest.mark.parametrize(("text", "where", "bound"), HUGE, ids=[where for _, where, _ in HUGE])
def test_every_number_of_the_file_is_bounded(tmp_path: Path, text: str, where: str, bound: str) -> None:
    message = error_of(write(tmp_path, text))
    assert where in message
    assert bound in message


def test_numbers_at_their_bounds_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, """\
cash = 1e15

[settings]
refresh_interval = 86400

[[holdings]]
symbol = "X"
shares = 1e12
cost_per_share = 1e12

[[other_assets]]
name = "Funds"
value = 1e15

[[conditions]]
symbol = "X"
label = "buy"
price_below = 1e12
mcap_to_arr_below = 1e6

[companies.X.figures]
market_cap = 1e15
""")
    config = load_config(path)
    assert config.portfolio.cash == 1e15
    assert config.portfolio.holdings[0].shares == 1e12
