"""The bundled analysis: four companies, figures as FIGURES.md states them, each dated and sourced."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.ui.conftest import config_from
from watcher.config import USER_FIGURE_SOURCE, load_config
from watcher.domain.fundamentals import FIGURE_KIND_BY_KEY, Company, Figure
from watcher.fundamentals import bundled_companies, companies_with

DATA = Path(__file__).resolve().parents[1] / "data" / "config"
AS_OF_CAP = date(2025, 9, 24)


def test_the_four_companies_of_the_analysis() -> None:
    companies = bundled_companies()
    assert set(companies) == {"CRWV", "NBIS", "IREN", "CIFR"}
    assert companies["CRWV"].name == "CoreWeave"
    assert companies["NBIS"].name == "Nebius"
    assert companies["CIFR"].name == "Cipher Mining"
    assert companies["CRWV"].tier == companies["NBIS"].tier
    assert companies["IREN"].tier == companies["CIFR"].tier != companies["CRWV"].tier


def test_every_figure_has_an_as_of_date_a_source_and_a_known_kind() -> None:
    for symbol, company in bundled_companies().items():
        assert company.figures, symbol
        for key, figure in company.figures.items():
            assert key in FIGURE_KIND_BY_KEY, (symbol, key)
            assert isinstance(figure.as_of, date), (symbol, key)
            assert figure.source.strip(), (symbol, key)
            assert figure.source != USER_FIGURE_SOURCE


@pytest.mark.parametrize(
    ("symbol", "key", "value"),
    [
        ("CRWV", "market_cap", 65.2e9),
        ("NBIS", "market_cap", 27e9),
        ("IREN", "market_cap", 11.4e9),
        ("CIFR", "market_cap", 5.6e9),
        ("CRWV", "arr_end_2025", 18e9),
        ("NBIS", "arr_end_2025", 1e9),
        ("IREN", "arr_end_2025", 225e6),
        ("IREN", "arr_now", 26e6),
        ("CIFR", "arr_now", 0),
        ("NBIS", "pue", 1.13),
        ("IREN", "pue", 1.2),
        ("CIFR", "power_now_mw", 477),
        ("IREN", "power_now_mw", 810),
        ("NBIS", "power_now_mw", 220),
        ("CRWV", "power_end_2026_mw", 2200),
        ("IREN", "power_end_2026_mw", 2300),
        ("NBIS", "power_end_2026_mw", 1000),
        ("CIFR", "power_end_2026_mw", 1000),
        ("CIFR", "power_price_cents_kwh", 3.1),
        ("IREN", "power_price_cents_kwh", 3.5),
        ("CRWV", "revenue_q2_2025", 1.2e9),
        ("NBIS", "revenue_q2_2025", 0.105e9),
        ("IREN", "revenue_q2_2025", 0.187e9),
        ("CIFR", "revenue_q2_2025", 0.04e9),
        ("CRWV", "revenue_fy2025", 5.25e9),
        ("NBIS", "revenue_fy2025", 0.54e9),
        ("CIFR", "mining_gross_margin_pct", 64.8),
        ("IREN", "mining_gross_margin_pct", 70.9),
        ("CIFR", "ytd_gain_pct", 200),
        ("IREN", "ytd_gain_pct", 380),
        ("NBIS", "ytd_gain_pct", 300),
        ("CRWV", "ytd_gain_pct", 230),
    ],
)
def test_figures_equal_the_analysis(symbol: str, key: str, value: float) -> None:
    assert bundled_companies()[symbol].number(key) == pytest.approx(value)


def test_market_caps_are_as_of_2025_09_24() -> None:
    for symbol, company in bundled_companies().items():
        assert company.figure("market_cap").as_of == AS_OF_CAP, symbol


def test_clustermax_ratings_are_texts() -> None:
    companies = bundled_companies()
    assert companies["CRWV"].figure("clustermax").value == "Platinum"
    assert companies["NBIS"].figure("clustermax").value == "Gold"
    assert companies["IREN"].figure("clustermax").value == "Underperform"
    assert companies["CIFR"].figure("clustermax").value is None  # not rated in the source


def test_figures_the_analysis_does_not_state_are_absent_or_empty() -> None:
    companies = bundled_companies()
    assert companies["CIFR"].number("arr_end_2025") is None  # no NeoCloud revenue yet
    assert companies["CRWV"].number("pue") is None
    assert companies["CRWV"].number("power_now_mw") is None  # "largest of the four", no number
    assert companies["CRWV"].number("shares_outstanding") is None


def test_a_users_figure_wins_and_is_labelled_as_theirs(tmp_path: Path) -> None:
    config = config_from(
        "[companies.NBIS.figures]\narr_end_2025 = 1.2e9\n"
        "market_cap = { value = 30e9, as_of = 2025-10-01, source = \"my broker\" }\n",
        tmp_path / "p.toml",
    )
    nbis = companies_with(config.companies)["NBIS"]
    arr = nbis.figure("arr_end_2025")
    assert arr.value == pytest.approx(1.2e9)
    assert arr.source == "your portfolio file"
    cap = nbis.figure("market_cap")
    assert (cap.value, cap.as_of, cap.source) == (30e9, date(2025, 10, 1), "my broker")
    # Figures the user did not give stay the analysis'.
    assert nbis.number("pue") == pytest.approx(1.13)
    assert nbis.figure("pue").source != "your portfolio file"
    # The bundled data is not changed by the merge.
    assert bundled_companies()["NBIS"].number("arr_end_2025") == pytest.approx(1e9)


def test_a_users_company_is_added_beside_the_four() -> None:
    config = load_config(DATA / "good_lots.toml")
    companies = companies_with(config.companies)
    assert set(companies) == {"CRWV", "NBIS", "IREN", "CIFR", "ORCL"}
    assert companies["ORCL"].name == "Oracle"
    assert companies["ORCL"].number("market_cap") == pytest.approx(800e9)


def test_overrides_keep_the_bundled_name_tier_and_view_when_not_given_in_the_domain() -> None:
    bundled = bundled_companies()["CRWV"]
    override = Company("CRWV", "", figures={"software": Figure("SUNK", None, "mine")})
    merged = companies_with({"CRWV": override})["CRWV"]
    assert merged.name == "CoreWeave"
    assert merged.tier == bundled.tier and merged.view == bundled.view
    assert merged.figure("software").value == "SUNK"


def test_figures_from_the_portfolio_file_keep_the_bundled_company_name() -> None:
    config = load_config(DATA / "good_lots.toml")  # [companies.CRWV.figures] only, no name
    assert companies_with(config.companies)["CRWV"].name == "CoreWeave"
