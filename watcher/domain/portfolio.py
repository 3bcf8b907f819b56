"""Positions, their value, P/L and weight in the whole portfolio (stocks, other assets, cash)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from watcher.domain.currency import Rates, listing, same_currency
from watcher.domain.quote import Quote


@dataclass(frozen=True, slots=True)
class Lot:
    shares: float
    cost_per_share: float


@dataclass(frozen=True, slots=True)
class Holding:
    symbol: str
    lots: tuple[Lot, ...]
    currency: str | None = None
    """The currency of cost_per_share; None: the listing's major currency (pounds for London)."""

    @property
    def shares(self) -> float:
        return sum(lot.shares for lot in self.lots)

    @property
    def cost_basis(self) -> float:
        """What was paid, in the cost currency."""
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
    currency: str | None = None
    """None: the base currency."""


@dataclass(frozen=True, slots=True)
class CashAmount:
    amount: float
    currency: str | None = None
    """None: the base currency."""


@dataclass(frozen=True, slots=True)
class Portfolio:
    holdings: tuple[Holding, ...] = ()
    other_assets: tuple[OtherAsset, ...] = ()
    cash: float = 0.0
    """Cash in the base currency."""
    foreign_cash: tuple[CashAmount, ...] = ()
    """Cash in other currencies, converted at the live rate."""

    def holding(self, symbol: str) -> Holding | None:
        return next((h for h in self.holdings if h.symbol == symbol), None)

    def currencies(self) -> set[str]:
        """The currencies the file names itself (costs, assets, cash); quotes add their own."""
        named = {h.currency for h in self.holdings} | {a.currency for a in self.other_assets}
        named |= {c.currency for c in self.foreign_cash}
        return {code for code in named if code}


@dataclass(frozen=True, slots=True)
class Position:
    """A holding valued at a price, in the base currency; a figure is None when it cannot be known."""

    holding: Holding
    price: float | None
    """The last price as quoted, in the listing's currency (pence for London)."""
    currency: str | None
    """The listing's currency as quoted ("GBp"), when known."""
    fx_rate: float | None
    """Base-currency units per unit of the listing's major currency (GBP → USD)."""
    market_value: float | None
    day_change: float | None
    cost: float | None
    """What was paid, in the base currency at today's rate."""
    profit: float | None
    profit_pct: float | None
    weight_pct: float | None
    unknown: str | None = None
    """Why the value is unknown, in words ("no price yet", "no GBP→USD rate")."""
    rate_stale: bool = False
    """The value rests on a rate the feed has not renewed in time: shown as stale, like a price."""

    @property
    def symbol(self) -> str:
        return self.holding.symbol


@dataclass(frozen=True, slots=True)
class PortfolioValue:
    positions: tuple[Position, ...]
    other_assets_total: float | None
    cash: float | None
    total: float | None
    """None while anything cannot be valued in the base currency: a weight needs the whole."""
    unpriced: tuple[str, ...]
    base_currency: str = "USD"
    missing: tuple[str, ...] = ()
    """Everything that keeps the total from being known, in words."""
    known_total: float = 0.0
    """The sum of what could be valued: the total is at least this much when incomplete."""

    @property
    def incomplete(self) -> bool:
        return bool(self.missing)

    def position(self, symbol: str) -> Position | None:
        return next((p for p in self.positions if p.symbol == symbol), None)

    @property
    def profit(self) -> float | None:
        """P/L on cost of all positions together; None while any is unknown."""
        profits = [p.profit for p in self.positions]
        if not profits or any(p is None for p in profits):
            return None
        return sum(p for p in profits if p is not None)

    @property
    def cost(self) -> float | None:
        costs = [p.cost for p in self.positions]
        if not costs or any(c is None for c in costs):
            return None
        return sum(c for c in costs if c is not None)

    @property
    def profit_pct(self) -> float | None:
        """P/L as a percentage of the positions' cost (not the portfolio's return)."""
        profit, cost = self.profit, self.cost
        return profit / cost * 100.0 if profit is not None and cost is not None and cost > 0 else None

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


def _value(holding: Holding, quote: Quote | None, rates: Rates) -> tuple[Position, str | None]:
    """The holding valued in the base currency, without its weight; and why it could not be."""
    if quote is None:
        reason = f"no price for {holding.symbol}"
        return Position(holding, None, None, None, None, None, None, None, None, None, "no price yet"), reason
    read = listing(quote.currency)
    if read is None:
        said = repr(quote.currency) if quote.currency else "no currency"
        words = f"the quote's currency is unknown ({said})"
        return (Position(holding, quote.price, quote.currency, None, None, None, None, None, None, None, words),
                f"{holding.symbol}: {words}")
    rate = rates.rate(read.major)
    cost = _in_base(holding.cost_basis, holding.currency or read.major, rates)
    if rate is None:
        words = f"no {read.major}→{rates.base} rate"
        return (Position(holding, quote.price, read.quoted, None, None, None, cost, None, None, None, words),
                f"{holding.symbol}: {words}")
    value = holding.shares * read.to_major(quote.price) * rate
    change = quote.day_change
    day = holding.shares * read.to_major(change) * rate if change is not None else None
    profit = value - cost if cost is not None else None
    position = Position(
        holding=holding,
        price=quote.price,
        currency=read.quoted,
        fx_rate=rate,
        market_value=value,
        day_change=day,
        cost=cost,
        profit=profit,
        profit_pct=profit / cost * 100.0 if profit is not None and cost else None,
        weight_pct=None,
        rate_stale=read.major in rates.stale,
    )
    return position, None


def value_portfolio(
    portfolio: Portfolio, quotes: Mapping[str, Quote], rates: Rates | None = None
) -> PortfolioValue:
    """Value every holding at its last quote in the base currency, and weigh it against the whole."""
    rates = rates or same_currency("USD")
    missing: list[str] = []
    unpriced: list[str] = []
    positions: list[Position] = []
    for holding in portfolio.holdings:
        position, why = _value(holding, quotes.get(holding.symbol), rates)
        positions.append(position)
        if position.price is None:
            unpriced.append(holding.symbol)
        if why:
            missing.append(why)
    other, other_missing = _sum(((a.value, a.currency) for a in portfolio.other_assets), rates, "other assets")
    foreign, cash_missing = _sum(((c.amount, c.currency) for c in portfolio.foreign_cash), rates, "cash")
    missing += other_missing + cash_missing
    cash = portfolio.cash + foreign if foreign is not None else None
    known = sum(p.market_value for p in positions if p.market_value is not None)
    known += (other or 0.0) + (cash if cash is not None else portfolio.cash)
    total = None if missing else known
    if total:
        positions = [
            replace(p, weight_pct=p.market_value / total * 100.0) if p.market_value is not None else p
            for p in positions
        ]
    return PortfolioValue(
        positions=tuple(positions),
        other_assets_total=other,
        cash=cash,
        total=total,
        unpriced=tuple(unpriced),
        base_currency=rates.base,
        missing=tuple(missing),
        known_total=known,
    )


def _in_base(amount: float, currency: str, rates: Rates) -> float | None:
    """An amount in a currency (a minor unit too: pence) in the base currency; None without a rate."""
    read = listing(currency)
    return rates.convert(read.to_major(amount), read.major) if read is not None else None


def _sum(amounts: Iterable[tuple[float, str | None]], rates: Rates, what: str) -> tuple[float | None, list[str]]:
    """Amounts in their currencies, summed in the base currency; None and why when a rate is missing."""
    total = 0.0
    missing = []
    for amount, currency in amounts:
        value = _in_base(amount, currency or rates.base, rates)
        if value is None:
            missing.append(f"{what}: no {currency}→{rates.base} rate")
        else:
            total += value
    return (None if missing else total), missing
