"""The SEC fact-picking rules against recorded companyfacts bodies (tests/data/sec/PROVENANCE.md)."""

from __future__ import annotations

import copy
import json
from datetime import date
from functools import cache
from pathlib import Path

import pytest

from watcher.domain.fundamentals import Figure
from watcher.sec import SecFigures, SecUnavailable, pick_figures, to_figures
from watcher.sec.facts import latest_by_period, parse_cik, reporting_currency, units_of
from watcher.sec.source import normal_ticker, parse_tickers, sec_base_url, sec_contact

DATA = Path(__file__).parent.parent / "data" / "sec"
CRWV = "companyfacts_CRWV_CIK0001769628_trimmed_by_source.json"
MRVL = "companyfacts_MRVL_CIK0001835632_full_wire.json"
GOOGL = "companyfacts_GOOGL_CIK0001652044_multiclass_no_dei_shares_full_wire.json"
LPA = "companyfacts_LPA_CIK0001997711_ifrs-full_20F.json"
TICKERS = "company_tickers_2024-05-14_full.json"
CRWV_REVENUE = ("us-gaap", "RevenueFromContractWithCustomerExcludingAssessedTax")


@cache
def _recorded(name: str) -> str:
    return (DATA / name).read_text("utf-8")


def body(name: str) -> dict:
    """A fresh copy each time: tests edit bodies to build variants."""
    return json.loads(_recorded(name))


def figures(name_or_body: str | dict) -> SecFigures:
    result = pick_figures(body(name_or_body) if isinstance(name_or_body, str) else name_or_body)
    assert isinstance(result, SecFigures), result
    return result


def as_filed_by(data: dict, day: str) -> dict:
    """The body as the SEC served it on `day`: every fact filed later dropped."""
    data = copy.deepcopy(data)
    for tags in data["facts"].values():
        for node in tags.values():
            node["units"] = {u: [f for f in rows if f["filed"] <= day] for u, rows in node["units"].items()}
    return data


def _days(row: dict) -> int:
    return (date.fromisoformat(row["end"]) - date.fromisoformat(row["start"])).days


def revenue_rows(data: dict, taxonomy: str, tag: str, unit: str = "USD") -> list[dict]:
    return data["facts"][taxonomy][tag]["units"][unit]


# -- CoreWeave: calendar quarters, restated rounding --------------------------------------


def test_crwv_latest_quarter_is_the_second_quarter_of_2026() -> None:
    q = figures(CRWV).quarter_revenue
    assert q is not None
    assert (q.start, q.end, q.value) == (date(2026, 4, 1), date(2026, 6, 30), 2_575_000_000)
    assert (q.form, q.filed, q.derived) == ("10-Q", date(2026, 8, 12), None)
    assert q.tag == "us-gaap:RevenueFromContractWithCustomerExcludingAssessedTax"


def test_crwv_ttm_is_last_year_plus_ytd_minus_last_years_ytd() -> None:
    ttm = figures(CRWV).ttm_revenue
    assert ttm is not None
    # 5,131,000,000 + 4,653,000,000 - 2,194,000,000; the four-quarter sum would be 7,589,580,000.
    assert ttm.value == 7_590_000_000
    assert ttm.end == date(2026, 6, 30)
    assert "5,131,000,000" in ttm.how and "4,653,000,000" in ttm.how and "2,194,000,000" in ttm.how


def test_a_restated_value_replaces_the_first_one_whatever_the_order() -> None:
    data = body(CRWV)
    rows = revenue_rows(data, *CRWV_REVENUE)
    rows.reverse()  # the restatement now comes first: the filing date must decide, not the order
    periods = {(f.start, f.end): f for f in latest_by_period(units_of(data, *CRWV_REVENUE)["USD"])}
    assert periods[(date(2025, 1, 1), date(2025, 3, 31))].value == 982_000_000  # not 981,632,000
    assert periods[(date(2025, 1, 1), date(2025, 6, 30))].value == 2_194_000_000  # not 2,194,420,000
    assert figures(data).ttm_revenue.value == 7_590_000_000


def test_crwv_annual_revenue_and_its_filing() -> None:
    annual = figures(CRWV).annual_revenue
    assert annual is not None
    assert (annual.value, annual.start, annual.end) == (5_131_000_000, date(2025, 1, 1), date(2025, 12, 31))
    assert (annual.form, annual.filed, annual.unit) == ("10-K", date(2026, 3, 2), "USD")


def test_a_fact_on_a_non_periodic_form_is_never_the_latest_quarter() -> None:
    data = body(CRWV)
    newer = {"start": "2026-07-01", "end": "2026-09-30", "val": 1, "accn": "x", "fy": None, "fp": None,
             "form": "DEF 14A", "filed": "2026-10-01", "frame": "CY2026Q3"}
    revenue_rows(data, *CRWV_REVENUE).append(newer)
    revenue_rows(data, *CRWV_REVENUE).append({**newer, "form": "8-K"})
    assert figures(data).quarter_revenue.value == 2_575_000_000


def test_fp_is_ignored_the_duration_decides() -> None:
    # A 10-Q whose filer typed "FY" (edgartools' snow_facts) is still a quarter.
    data = body(CRWV)
    for row in revenue_rows(data, *CRWV_REVENUE):
        if row["end"] == "2026-06-30":
            row["fp"], row["fy"] = "FY", 2099
    fig = figures(data)
    assert fig.quarter_revenue.value == 2_575_000_000 and fig.ttm_revenue.value == 7_590_000_000


def test_crwv_has_no_share_count_in_its_trimmed_facts() -> None:
    assert "EntityCommonStockSharesOutstanding" not in body(CRWV)["facts"]["dei"]
    assert figures(CRWV).shares is None


def test_cik_as_a_string_or_an_int() -> None:
    assert figures(CRWV).cik == 1_769_628  # "0001769628" in the body
    assert figures(MRVL).cik == 1_835_632  # 1835632 in the body
    assert parse_cik(True) is None and parse_cik("CIK12") is None and parse_cik("0000000000") is None


def test_empty_units_and_null_labels_are_no_trouble() -> None:
    data = body(CRWV)
    assert data["facts"]["ffd"]["NetFeeAmt"]["units"] == {}
    assert units_of(data, "ffd", "NetFeeAmt") == {}
    assert units_of(data, "us-gaap", "NoSuchTag") == {}


# -- Marvell: a fiscal year ending late January ------------------------------------------


def test_mrvl_latest_quarter_ttm_and_shares() -> None:
    fig = figures(MRVL)
    q = fig.quarter_revenue
    assert (q.start, q.end, q.value) == (date(2026, 2, 1), date(2026, 5, 2), 2_417_800_000)
    # 8,194,600,000 + 2,417,800,000 - 1,895,300,000
    assert fig.ttm_revenue.value == 8_717_100_000
    assert fig.shares is not None
    assert (fig.shares.value, fig.shares.as_of) == (874_800_000, date(2026, 5, 21))
    assert fig.shares.tag == "dei:EntityCommonStockSharesOutstanding"
    assert (fig.shares.form, fig.shares.filed) == ("10-Q", date(2026, 5, 28))


def test_mrvl_fiscal_year_is_not_the_calendar_year() -> None:
    annual = figures(MRVL).annual_revenue
    assert (annual.start, annual.end, annual.value) == (date(2025, 2, 2), date(2026, 1, 31), 8_194_600_000)


def test_mrvl_fiscal_q4_is_the_year_minus_nine_months() -> None:
    # Right after the 10-K, the newest quarter is one no filing reports.
    fig = figures(as_filed_by(body(MRVL), "2026-03-11"))
    q = fig.quarter_revenue
    assert q.value == 8_194_600_000 - 5_975_900_000 == 2_218_700_000
    assert (q.start, q.end) == (date(2025, 11, 2), date(2026, 1, 31))
    assert (q.form, q.filed) == ("10-K", date(2026, 3, 11))
    assert q.derived is not None and "nine months" in q.derived
    # When the newest fact is the year, the TTM is the year.
    assert fig.ttm_revenue.value == 8_194_600_000 and fig.ttm_revenue.end == date(2026, 1, 31)


def test_no_ttm_when_the_last_year_is_long_gone() -> None:
    data = body(MRVL)
    node = data["facts"]["us-gaap"]["RevenueFromContractWithCustomerExcludingAssessedTax"]["units"]
    # Every fiscal year after early 2024 goes missing: the newest one left ends 2024-02-03.
    node["USD"] = [f for f in node["USD"] if not (_days(f) > 300 and f["end"] > "2024-06-01")]
    fig = figures(data)
    assert fig.annual_revenue.end == date(2024, 2, 3)
    assert fig.ttm_revenue is None
    assert fig.quarter_revenue.value == 2_417_800_000


# -- Alphabet: several share classes, two revenue tags -----------------------------------


def test_googl_shares_fall_back_to_the_balance_sheet_count_and_say_so() -> None:
    data = body(GOOGL)
    assert list(data["facts"]["dei"]) == ["EntityPublicFloat"]
    shares = figures(data).shares
    assert (shares.value, shares.as_of) == (12_116_000_000, date(2026, 3, 31))
    assert shares.tag == "us-gaap:CommonStockSharesOutstanding"
    assert "us-gaap:CommonStockSharesOutstanding" in to_figures(figures(data))["shares_outstanding"].note


def test_weighted_average_is_the_last_fallback() -> None:
    data = body(GOOGL)
    del data["facts"]["us-gaap"]["CommonStockSharesOutstanding"]
    shares = figures(data).shares
    assert shares.tag == "us-gaap:WeightedAverageNumberOfSharesOutstandingBasic"
    assert (shares.value, shares.as_of, shares.basis) == (12_099_000_000, date(2026, 3, 31), "weighted average, basic")


def test_a_cover_count_years_behind_the_others_is_passed_over() -> None:
    data = body(MRVL)
    dei = data["facts"]["dei"]["EntityCommonStockSharesOutstanding"]["units"]
    dei["shares"] = [f for f in dei["shares"] if f["end"] < "2023-01-01"]
    shares = figures(data).shares
    assert shares.tag == "us-gaap:CommonStockSharesOutstanding"
    assert shares.as_of == date(2026, 1, 31)


def test_googl_revenue_comes_from_the_tag_with_the_newest_period() -> None:
    fig = figures(GOOGL)
    assert fig.quarter_revenue.tag == "us-gaap:Revenues"
    assert (fig.quarter_revenue.end, fig.quarter_revenue.value) == (date(2026, 3, 31), 109_896_000_000)
    assert fig.ttm_revenue.value == 402_836_000_000 + 109_896_000_000 - 90_234_000_000


# -- Logistic Properties of the Americas: a 20-F filer under IFRS ------------------------


def test_lpa_is_annual_only() -> None:
    fig = figures(LPA)
    assert fig.annual_only is True
    assert fig.quarter_revenue is None and fig.ttm_revenue is None
    annual = fig.annual_revenue
    assert (annual.value, annual.end, annual.form) == (43_862_372, date(2024, 12, 31), "20-F")
    assert annual.tag == "ifrs-full:Revenue"  # first in line, not RevenueFromContractsWithCustomers


def test_lpa_says_annual_only_in_words() -> None:
    shown = to_figures(figures(LPA))
    assert shown["revenue_quarter"].value == "annual only, as of 2024-12-31"
    assert shown["revenue_ttm"].value == "annual only, as of 2024-12-31"
    assert "annual only, as of 2024-12-31" in shown["revenue_annual"].note
    assert shown["revenue_annual"].value == 43_862_372


def test_lpa_shares_from_the_amended_20f() -> None:
    shares = figures(LPA).shares
    assert (shares.value, shares.as_of) == (31_668_601, date(2025, 4, 2))
    assert (shares.form, shares.filed) == ("20-F/A", date(2025, 4, 7))


def test_lpa_reports_in_usd_and_names_its_other_currency() -> None:
    data = body(LPA)
    assert set(data["facts"]["ifrs-full"]["ProceedsFromSalesOfInvestmentProperty"]["units"]) == {"COP", "USD"}
    fig = figures(data)
    assert fig.currency == "USD" and "COP" in fig.other_currencies


def test_revenue_in_two_currencies_is_never_mixed() -> None:
    data = body(LPA)
    node = data["facts"]["ifrs-full"]["Revenue"]["units"]
    # The same history in pesos, bigger and one year newer: it must not leak into the USD figures.
    node["COP"] = [{**f, "val": f["val"] * 4000} for f in node["USD"]]
    node["COP"].append({**node["COP"][-1], "start": "2025-01-01", "end": "2025-12-31", "filed": "2026-04-01"})
    fig = figures(data)
    assert fig.currency == "USD"
    assert (fig.annual_revenue.value, fig.annual_revenue.unit) == (43_862_372, "USD")


def test_a_filer_reporting_in_another_currency_is_shown_in_it_not_as_dollars() -> None:
    data = body(LPA)
    for tags in data["facts"].values():
        for node in tags.values():
            if "USD" in node["units"]:
                node["units"]["RUB"] = node["units"].pop("USD")
    assert reporting_currency(data) == "RUB"
    fig = figures(data)
    assert fig.currency == "RUB" and fig.annual_revenue.unit == "RUB"
    shown = to_figures(fig)["revenue_annual"]
    assert shown.value == "43,862,372 RUB" and shown.number is None


# -- The ticker list, odd bodies and the mapping to figures ------------------------------


def test_ticker_list_maps_share_classes_to_one_cik() -> None:
    tickers = parse_tickers(json.loads(_recorded(TICKERS)))
    assert tickers["GOOGL"] == tickers["GOOG"] == 1_652_044
    assert tickers[normal_ticker("brk.b")] == 1_067_983
    assert "CRWV" not in tickers and "NBIS" not in tickers  # listed after this snapshot
    assert parse_tickers([1, 2]) == {} and parse_tickers({"0": {"ticker": "X", "cik_str": "?"}}) == {}


@pytest.mark.parametrize("data", [None, [], {"cik": 1}, {"facts": []}])
def test_a_body_without_facts_is_a_stated_state(data: object) -> None:
    result = pick_figures(data, "XYZ")
    assert isinstance(result, SecUnavailable) and "XYZ" in result.reason


def test_broken_facts_are_skipped_not_raised() -> None:
    data = body(CRWV)
    revenue_rows(data, *CRWV_REVENUE).extend([
        {"start": "2026-07-01", "end": "2026-09-30", "val": True, "form": "10-Q", "filed": "2026-11-01"},
        {"start": "2026-07-01", "end": "2026-09-30", "val": 5, "form": "10-Q", "filed": "not a date"},
        {"start": "2026-10-01", "end": "2026-07-01", "val": 5, "form": "10-Q", "filed": "2026-11-01"},
        {"end": "2026-09-30", "val": float("nan"), "form": "10-Q", "filed": "2026-11-01"},
        "not a fact",
    ])
    assert figures(data).quarter_revenue.value == 2_575_000_000


def test_to_figures_carries_period_end_and_filing() -> None:
    shown = to_figures(figures(CRWV))
    assert set(shown) == {"revenue_quarter", "revenue_ttm", "revenue_annual"}
    assert shown["revenue_quarter"] == Figure(
        2_575_000_000, date(2026, 6, 30), "SEC 10-Q filed 2026-08-12", "2026-04-01 to 2026-06-30")
    assert shown["revenue_ttm"].as_of == date(2026, 6, 30) and shown["revenue_ttm"].number == 7_590_000_000
    assert shown["revenue_annual"].source == "SEC 10-K filed 2026-03-02"
    mrvl = to_figures(figures(MRVL))["shares_outstanding"]
    assert (mrvl.value, mrvl.as_of, mrvl.source) == (874_800_000, date(2026, 5, 21), "SEC 10-Q filed 2026-05-28")


def test_the_environment_wins_over_the_portfolio_file() -> None:
    env = {"NEOWATCH_SEC_CONTACT": " env@example.com ", "NEOWATCH_SEC_URL": "http://127.0.0.1:9"}
    assert sec_contact("file@example.com", env) == "env@example.com"
    assert sec_contact("file@example.com", {}) == "file@example.com"
    assert sec_contact("  ", {"NEOWATCH_SEC_CONTACT": ""}) is None
    assert sec_base_url(None, env) == "http://127.0.0.1:9" and sec_base_url(None, {}) is None
