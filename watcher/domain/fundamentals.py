"""Company fundamentals: every figure with its value, as-of date and source."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from enum import Enum


class Unit(str, Enum):
    USD = "usd"
    MEGAWATT = "mw"
    CENTS_PER_KWH = "cents_kwh"
    RATIO = "ratio"
    PERCENT = "pct"
    SHARES = "shares"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class FigureKind:
    key: str
    label: str
    unit: Unit


# The figures neowatch knows, in the order the detail screen lists them.
FIGURE_KINDS: tuple[FigureKind, ...] = (
    FigureKind("clustermax", "ClusterMAX rating", Unit.TEXT),
    FigureKind("power_now_mw", "Power operating now", Unit.MEGAWATT),
    FigureKind("power_end_2026_mw", "Power at end-2026", Unit.MEGAWATT),
    FigureKind("power_price_cents_kwh", "Power price", Unit.CENTS_PER_KWH),
    FigureKind("pue", "PUE", Unit.RATIO),
    FigureKind("revenue_q2_2025", "Revenue Q2-2025", Unit.USD),
    FigureKind("revenue_fy2025", "Revenue FY2025 (expected)", Unit.USD),
    FigureKind("revenue_quarter", "Revenue, latest quarter", Unit.USD),
    FigureKind("revenue_ttm", "Revenue, trailing 12 months", Unit.USD),
    FigureKind("revenue_annual", "Revenue, latest fiscal year", Unit.USD),
    FigureKind("arr_now", "GPU-cloud ARR now", Unit.USD),
    FigureKind("arr_end_2025", "GPU-cloud ARR end-2025", Unit.USD),
    FigureKind("market_cap", "Market cap", Unit.USD),
    FigureKind("shares_outstanding", "Shares outstanding", Unit.SHARES),
    FigureKind("mining_gross_margin_pct", "Mining gross margin", Unit.PERCENT),
    FigureKind("ytd_gain_pct", "Share price, 2025 YTD", Unit.PERCENT),
    FigureKind("software", "Software", Unit.TEXT),
)
FIGURE_KIND_BY_KEY = {kind.key: kind for kind in FIGURE_KINDS}


@dataclass(frozen=True, slots=True)
class Figure:
    """One fundamental: a number or a text, never shown without its date and source."""

    value: float | str | None
    as_of: date | None
    source: str
    note: str | None = None

    @property
    def number(self) -> float | None:
        if isinstance(self.value, (int, float)) and not isinstance(self.value, bool):
            return float(self.value)
        return None


@dataclass(frozen=True, slots=True)
class Company:
    symbol: str
    name: str
    tier: str | None = None
    view: str | None = None
    """The analyst's view of the company, in a sentence."""
    notes: str | None = None
    """The user's own notes or thesis."""
    figures: dict[str, Figure] = field(default_factory=dict)

    def figure(self, key: str) -> Figure | None:
        return self.figures.get(key)

    def number(self, key: str) -> float | None:
        figure = self.figures.get(key)
        return figure.number if figure else None

    def merged(self, override: Company) -> Company:
        """This company with the override's name, tier, view and figures winning."""
        return replace(
            self,
            name=override.name or self.name,
            tier=override.tier or self.tier,
            view=override.view or self.view,
            notes=override.notes or self.notes,
            figures={**self.figures, **override.figures},
        )


def months_old(as_of: date | None, today: date) -> int | None:
    """Whole months from `as_of` to `today` (a figure of 2025-09-25 is 14 months old on 2026-11-26)."""
    if as_of is None:
        return None
    months = (today.year - as_of.year) * 12 + today.month - as_of.month
    if today.day < as_of.day:
        months -= 1
    return max(0, months)


def is_old(figure: Figure | None, today: date, max_months: int) -> bool:
    """Older than the threshold; a figure without a date counts as old: nobody can say how old."""
    if figure is None or figure.value is None:
        return False
    age = months_old(figure.as_of, today)
    return age is None or age > max_months


def merge_companies(
    bundled: dict[str, Company], overrides: dict[str, Company]
) -> dict[str, Company]:
    """The bundled companies with the user's figures applied, plus the user's own companies."""
    merged = dict(bundled)
    for symbol, override in overrides.items():
        if symbol in merged:
            merged[symbol] = merged[symbol].merged(override)
        else:
            merged[symbol] = override if override.name else replace(override, name=symbol)
    return merged
