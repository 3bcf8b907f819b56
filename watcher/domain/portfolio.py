"""Positions, their value, P/L and weight in the whole portfolio (stocks, other assets, cash)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from watcher.domain.quote import Quote


@dataclass(frozen=True, slots=True)
class Lot:
    shares: float
    cost_per_share: float


@dataclass(frozen=True, slots=True)
class Holding:
    symbol: str
    lots: tuple[Lot, ...]

    @property
    def shares(self) -> float:
        return sum(lot.shares for lot in self.lots)

    @property
    def cost_basis(self) -> float:
        return sum(lot.shares * lot.cost_per_share for lot in self.lots)

    @property
    def average_cost(self) -> float | None:
        shares = self.shares
        return self.cost_basis / shares if shares else None


@dataclass(frozen=True, slots=True)
class OtherAsset:
    """Anything held that neowatch does not price: entered as an amount."""

    name: str
    value: float


@dataclass(frozen=True, slots=True)
class Portfolio:
    holdings: tuple[Holding, ...] = ()
    other_assets: tuple[OtherAsset, ...] = ()
    cash: float = 0.0

    def holding(self, symbol: str) -> Holding | None:
        return next((h for h in self.holdings if h.symbol == symbol), None)


@dataclass(frozen=True, slots=True)
class Position:
    """A holding valued at a price; every figure is None when the price is unknown."""

    holding: Holding
    price: float | None
    market_value: float | None
    day_change: float | None
    profit: float | None
    profit_pct: float | None
    weight_pct: float | None

    @property
    def symbol(self) -> str:
        return self.holding.symbol


@dataclass(frozen=True, slots=True)
class PortfolioValue:
    positions: tuple[Position, ...]
    other_assets_total: float
    cash: float
    total: float | None
    """None while any holding has no price: a weight needs the whole."""
    unpriced: tuple[str, ...]

    def position(self, symbol: str) -> Position | None:
        return next((p for p in self.positions if p.symbol == symbol), None)

    @property
    def profit(self) -> float | None:
        """P/L of all positions together; None while any is unpriced."""
        if self.unpriced or not self.positions:
            return None
        return sum(p.profit or 0.0 for p in self.positions)

    @property
    def profit_pct(self) -> float | None:
        profit = self.profit
        cost = sum(p.holding.cost_basis for p in self.positions)
        return profit / cost * 100.0 if profit is not None and cost > 0 else None

    @property
    def day_change(self) -> float | None:
        """Today's change of all positions; None when any position's change is unknown."""
        changes = [p.day_change for p in self.positions]
        if not changes or any(change is None for change in changes):
            return None
        return sum(c for c in changes if c is not None)

    def weight_pct(self, symbol: str) -> float | None:
        """Weight of `symbol` in the whole portfolio; 0 for a symbol not held."""
        position = self.position(symbol)
        if position is None:
            return 0.0 if self.total else None
        return position.weight_pct


def value_portfolio(portfolio: Portfolio, quotes: Mapping[str, Quote]) -> PortfolioValue:
    """Value every holding at its last quote and weigh it against the whole portfolio."""
    other_total = sum(asset.value for asset in portfolio.other_assets)
    values: dict[str, float] = {}
    unpriced: list[str] = []
    for holding in portfolio.holdings:
        quote = quotes.get(holding.symbol)
        if quote is None:
            unpriced.append(holding.symbol)
        else:
            values[holding.symbol] = holding.shares * quote.price
    total = None if unpriced else sum(values.values()) + other_total + portfolio.cash

    positions = []
    for holding in portfolio.holdings:
        quote = quotes.get(holding.symbol)
        if quote is None:
            positions.append(Position(holding, None, None, None, None, None, None))
            continue
        value = values[holding.symbol]
        change = quote.day_change
        cost = holding.cost_basis
        positions.append(
            Position(
                holding=holding,
                price=quote.price,
                market_value=value,
                day_change=change * holding.shares if change is not None else None,
                profit=value - cost,
                profit_pct=(value - cost) / cost * 100.0 if cost > 0 else None,
                weight_pct=value / total * 100.0 if total else None,
            )
        )
    return PortfolioValue(
        positions=tuple(positions),
        other_assets_total=other_total,
        cash=portfolio.cash,
        total=total,
        unpriced=tuple(unpriced),
    )
