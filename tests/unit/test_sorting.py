"""Sorting the grid: ClusterMAX by rank, best first ascending; the unrated always last."""

from __future__ import annotations

from datetime import date

import pytest

from watcher.domain.fundamentals import Company, Figure
from watcher.domain.overview import CompanyRow
from watcher.domain.sorting import sort_rows
from watcher.fundamentals import bundled_companies

AS_OF = date(2025, 3, 31)


def row(symbol: str, rating: str | None = None, *, rated: bool = True) -> CompanyRow:
    figures = {"clustermax": Figure(rating, AS_OF, "test")} if rated else {}
    company = Company(symbol, symbol, figures=figures)
    return CompanyRow(symbol, company, None, None, None, False, None, None, False)


def symbols(rows: list[CompanyRow]) -> list[str]:
    return [r.symbol for r in rows]


# File order deliberately neither alphabetical nor by rank.
ROWS = [
    row("SLVR", "Silver"),
    row("UNDR", "Underperform"),
    row("NONE", None),  # in the file, "not rated"
    row("PLAT", "Platinum"),
    row("BRNZ", "Bronze"),
    row("GOLD", "Gold"),
    row("NOFIG", rated=False),
]


def test_clustermax_ascending_is_best_first() -> None:
    # Alphabetically this would be Bronze, Gold, Platinum, Silver, Underperform.
    assert symbols(sort_rows(ROWS, "clustermax")) == ["PLAT", "GOLD", "SLVR", "BRNZ", "UNDR", "NONE", "NOFIG"]


def test_clustermax_descending_is_worst_first_and_the_unrated_still_last() -> None:
    assert symbols(sort_rows(ROWS, "clustermax", reverse=True)) == [
        "UNDR", "BRNZ", "SLVR", "GOLD", "PLAT", "NONE", "NOFIG",
    ]


@pytest.mark.parametrize("rating", ["Diamond", "", "n/a"])
def test_a_rating_that_is_no_tier_goes_last_with_the_unrated(rating: str) -> None:
    rows = [row("ODD", rating), row("UNDR", "Underperform"), row("GOLD", "Gold")]
    assert symbols(sort_rows(rows, "clustermax")) == ["GOLD", "UNDR", "ODD"]
    assert symbols(sort_rows(rows, "clustermax", reverse=True)) == ["UNDR", "GOLD", "ODD"]


def test_a_tier_is_read_whatever_its_case_and_spacing() -> None:
    rows = [row("B", " gold "), row("A", "PLATINUM"), row("C", "silver")]
    assert symbols(sort_rows(rows, "clustermax")) == ["A", "B", "C"]


def test_equal_ratings_keep_a_stable_order_by_symbol() -> None:
    rows = [row("ZZZ", "Gold"), row("AAA", "Gold"), row("MMM", "Platinum")]
    assert symbols(sort_rows(rows, "clustermax")) == ["MMM", "AAA", "ZZZ"]


def test_the_bundled_ratings_sort_by_rank() -> None:
    companies = bundled_companies()
    rows = [
        CompanyRow(symbol, companies[symbol], None, None, None, False, None, None, False)
        for symbol in ("IREN", "CIFR", "NBIS", "CRWV")
    ]
    # CRWV Platinum, NBIS Gold, IREN Underperform, CIFR not rated.
    assert symbols(sort_rows(rows, "clustermax")) == ["CRWV", "NBIS", "IREN", "CIFR"]
