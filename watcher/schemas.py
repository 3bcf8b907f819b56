"""What each TOML file neowatch reads may hold, as pydantic models; and the checks that use them.

Imported only to check a text not checked before (see watcher.validated): pydantic costs a
start more than anything else of neowatch's own. A check returns plain data (JSON types, dates
as ISO text), which watcher.config, watcher.fundamentals and watcher.themes turn into their
objects without pydantic.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from watcher.alerting import PLACEHOLDERS
from watcher.domain.fundamentals import FIGURE_KINDS, Unit
from watcher.keys import KEY_IDS
from watcher.text import clean_text
from watcher.toml_errors import (
    ConfigError,
    describe_problems,
    describe_validation_error,
    looks_numeric,
    syntax_error_message,
)


def _normalise_symbol(value: Any) -> Any:
    return value.strip().upper() if isinstance(value, str) else value


Symbol = Annotated[
    str,
    BeforeValidator(_normalise_symbol),
    StringConstraints(pattern=r"^[A-Z0-9^][A-Z0-9.\-=^]{0,19}$"),
]
def _clean_label(value: Any) -> Any:
    # A label is shown in toasts and hooks too: escapes and control characters never pass.
    return clean_text(value, 80) or "" if isinstance(value, str) else value


Label = Annotated[
    str,
    BeforeValidator(_clean_label),
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
]
BaseUrl = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s]+$")]
IsoCurrency = Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")]
"""A currency's ISO 4217 code: "USD", "EUR", "GBP"."""
Currency = Annotated[str, StringConstraints(pattern=r"^([A-Z]{3}|GBp|GBX|ILA|ZAc)$")]
"""An ISO code, or a minor unit as exchanges quote in it: GBp/GBX (pence), ILA (agorot), ZAc (cents)."""


# --- bounds: every number the file may hold has a ceiling ---------------------------------
# A number past these is a typo (or a test of the app), never a portfolio: it is refused with
# its line and field, where it would otherwise overflow a timer or a sum far from the file.

MAX_REFRESH_SECONDS = 86_400
"""A day: a watcher refreshed less often than daily is not watching; a timer and the stale
mark (the interval times stale_after_refreshes) stay well within what a clock holds."""
MAX_SHARES = 1e12
"""A trillion shares: more than any company has issued (the largest count a few tens of billions)."""
MAX_PRICE = 1e12
"""A price per share (a cost or a trigger): above any listing in any currency, a Berkshire A
share counted in dong (about 2e10) included."""
MAX_AMOUNT = 1e15
"""A thousand trillion, for an amount of money (cash, an other asset): beyond any portfolio in
any currency, and below 2**53, so a float still holds the amount to a fraction of a unit."""
MAX_MULTIPLE = 1e6
"""Market cap ÷ ARR: a multiple above a million is no valuation."""
MAX_FIGURE = 1e15
"""A figure's value, either sign (USD, MW, shares, percent …): the largest company figures are
some 1e13."""


class _Model(BaseModel):
    # strict: "28" is not a number and 1 is not a text; the file says what it means.
    # allow_inf_nan: 1e400 and nan are not amounts.
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


class LotModel(_Model):
    shares: float = Field(gt=0, le=MAX_SHARES)
    """Number of shares bought in this lot; at most 1e12 (MAX_SHARES)."""
    cost_per_share: float = Field(ge=0, le=MAX_PRICE)
    """Price paid per share (see the holding's currency); at most 1e12 (MAX_PRICE)."""


class HoldingModel(_Model):
    symbol: Symbol
    """Ticker, e.g. "NBIS"."""
    shares: float | None = Field(default=None, gt=0, le=MAX_SHARES)
    """Shares held, at most 1e12; give either shares and cost_per_share, or lots."""
    cost_per_share: float | None = Field(default=None, ge=0, le=MAX_PRICE)
    """Average price paid per share, in the listing's currency as you say it (pounds for a
    London listing quoted in pence), unless `currency` names another; at most 1e12."""
    lots: list[LotModel] | None = None
    """Purchases one by one, instead of shares and cost_per_share."""
    currency: Currency | None = None
    """The currency of cost_per_share, when it is not the listing's."""

    @model_validator(mode="after")
    def _one_form(self) -> HoldingModel:
        simple = self.shares is not None or self.cost_per_share is not None
        if simple and self.lots:
            raise ValueError("give either shares and cost_per_share, or lots, not both")
        if self.lots is not None and not self.lots:
            raise ValueError("lots is empty: list at least one lot")
        if not self.lots and (self.shares is None or self.cost_per_share is None):
            raise ValueError("a holding needs shares and cost_per_share (or lots)")
        return self


class OtherAssetModel(_Model):
    name: Label
    """What it is, e.g. "Index funds"."""
    value: float = Field(ge=0, le=MAX_AMOUNT)
    """What it is worth now, in the base currency unless `currency` names another; at most 1e15."""
    currency: Currency | None = None
    """The currency of value, when it is not the base currency."""


class CashModel(_Model):
    amount: float = Field(ge=0, le=MAX_AMOUNT)
    """How much; at most 1e15 (MAX_AMOUNT)."""
    currency: Currency | None = None
    """In which currency, e.g. "EUR"; the base currency when not given."""


CASH_FORMS = "a valid number, a { amount = …, currency = \"EUR\" } table, or a list of such tables"


def _cash_tables(value: Any) -> Any:
    # One form to check, a list of tables; a plain amount (the base currency) is said about as
    # `cash` itself, as it was written.
    if isinstance(value, list):
        return [_cash_table(item) for item in value]
    return [_cash_table(value)]


def _cash_table(value: Any) -> Any:
    if isinstance(value, dict):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"must be a finite number (found {value!r:.40})")
        if value < 0:
            raise ValueError(f"must be greater than or equal to 0 (found {value!r:.40})")
        if value > MAX_AMOUNT:
            raise ValueError(f"must be less than or equal to {MAX_AMOUNT:.0f} (found {value!r:.40})")
        return {"amount": float(value)}
    if isinstance(value, str) and looks_numeric(value):
        raise ValueError(f"is a number; write it without quotes (found {value!r:.40})")
    raise ValueError(f"must be {CASH_FORMS} (found {value!r:.40})")


class ConditionModel(_Model):
    symbol: Symbol
    """The ticker the condition watches."""
    label: Label
    """What the buy would be, e.g. "small starter position"."""
    price_below: float | None = Field(default=None, gt=0, le=MAX_PRICE)
    """Met while the price is below this, in the listing's currency as you say it (pounds for
    London); at most 1e12."""
    price_above: float | None = Field(default=None, gt=0, le=MAX_PRICE)
    """Met while the price is above this, in the listing's currency as you say it; at most 1e12."""
    mcap_to_arr_below: float | None = Field(default=None, gt=0, le=MAX_MULTIPLE)
    """Met while live market cap ÷ end-2025 ARR is below this multiple; at most 1e6."""
    max_weight: float | None = Field(default=None, gt=0, le=100)
    """Percent of the whole portfolio (at most 100): not met once the position weighs this much."""

    @model_validator(mode="after")
    def _has_clause(self) -> ConditionModel:
        clauses = (self.price_below, self.price_above, self.mcap_to_arr_below, self.max_weight)
        if all(c is None for c in clauses):
            raise ValueError(
                "a condition needs at least one of price_below, price_above, "
                "mcap_to_arr_below, max_weight"
            )
        return self


class FigureModel(_Model):
    value: float | None = Field(default=None, ge=-MAX_FIGURE, le=MAX_FIGURE)
    """A number in the figure's unit (USD, MW, shares …), between -1e15 and 1e15; absent when not known."""
    as_of: date | None = None
    """The day the figure describes."""
    source: Label | None = None
    """Where it comes from."""
    note: Label | None = None
    """A qualifier: "estimate", "company target"."""


class TextFigureModel(FigureModel):
    value: Annotated[str, StringConstraints(max_length=200)] | None = None  # type: ignore[assignment]
    """A text, such as a rating."""


def _as_figure_table(value: Any) -> Any:
    # A bare number or text is shorthand for a table with only its value.
    return value if isinstance(value, dict) else {"value": value}


# One optional field per known figure, so that an unknown figure or a value of the wrong
# kind is reported at its own key (and line), not for the whole table.
FiguresModel = create_model(  # type: ignore[call-overload]
    "FiguresModel",
    __base__=_Model,
    **{
        kind.key: (
            Annotated[
                (TextFigureModel if kind.unit is Unit.TEXT else FigureModel) | None,
                BeforeValidator(_as_figure_table),
            ],
            None,
        )
        for kind in FIGURE_KINDS
    },
)


class CompanyModel(_Model):
    name: Label | None = None
    tier: Label | None = None
    view: Annotated[str, StringConstraints(max_length=500)] | None = None
    """The analyst's view of the company, in a sentence."""
    notes: Annotated[str, StringConstraints(max_length=4000)] | None = None
    """Your notes or thesis for the ticker, shown in its detail."""
    figures: FiguresModel = Field(default_factory=FiguresModel)  # type: ignore[valid-type]
    """Figures by key, each a number, a text or a table {value, as_of, source, note}."""


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


class AlertSettingsModel(_Model):
    toast: bool = True
    """A notice on screen when a condition becomes met."""
    bell: bool = True
    """The terminal bell."""
    desktop: bool = False
    """A desktop notification; needs the optional extra: pip install 'neowatch[desktop]'."""
    command: list[Annotated[str, StringConstraints(max_length=500)]] | None = Field(
        default=None, min_length=1
    )
    """A program and its arguments, run without a shell; {symbol} {label} {price} {trigger}
    {distance} {time} are replaced by the alert's values."""
    hysteresis_pct: float = Field(default=0.5, ge=0, le=20)
    """After firing, a condition re-arms only once it misses its trigger by this % of it; at most
    20 (a wider margin would keep a fired condition from ever re-arming on a normal swing)."""

    @field_validator("command")
    @classmethod
    def _known_placeholders(cls, command: list[str] | None) -> list[str] | None:
        for argument in command or ():
            for name in _PLACEHOLDER.findall(argument):
                if name not in PLACEHOLDERS:
                    known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                    raise ValueError(f"unknown placeholder {{{name}}}; known: {known}")
        if command is not None and not command[0].strip():
            raise ValueError("the first item must name the program to run")
        return command


ProviderName = Literal["yahoo", "finnhub", "demo"]


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


def _default_providers() -> list[ProviderName]:
    return ["yahoo"]


class SettingsModel(_Model):
    base_currency: IsoCurrency = "USD"
    """Every amount is converted to this currency at a live rate for values and weights."""
    refresh_interval: float = Field(default=60, ge=5, le=MAX_REFRESH_SECONDS)
    """Seconds between refreshes; at least 5, at most 86400 (a day)."""
    stale_after_refreshes: int = Field(default=2, ge=1, le=100)
    """A price is marked stale once this many refreshes (1 to 100) have gone by without a new one."""
    provider: Annotated[list[ProviderName], BeforeValidator(_as_list)] = Field(
        default_factory=_default_providers, min_length=1
    )
    """Where prices come from: "yahoo" (keyless), "finnhub" (a free key), "demo" (simulated);
    a list is a fallback order: ["yahoo", "finnhub"] asks Finnhub for what Yahoo failed."""
    yahoo_url: BaseUrl | None = None
    """Base URL of Yahoo's chart API, for a proxy; NEOWATCH_YAHOO_URL wins over it."""
    finnhub_url: BaseUrl | None = None
    """Base URL of Finnhub's API; NEOWATCH_FINNHUB_URL wins over it."""
    figure_max_age_months: int = Field(default=6, ge=1, le=120)
    """A fundamental older than this many months is marked old."""
    sec_contact: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=200)] | None = None
    """Your e-mail, sent in the User-Agent of requests to the SEC (they require it); without it,
    and without NEOWATCH_SEC_CONTACT, figures from SEC filings are off."""
    sec_url: BaseUrl | None = None
    """Replaces both SEC hosts, for a proxy; NEOWATCH_SEC_URL wins over it."""
    theme: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    """A theme's name: neowatch-dark, neowatch-light, neowatch-high-contrast, one of Textual's,
    or a file of your own in the config folder's themes/; --theme wins over it."""
    finnhub_token: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ] | None = Field(default=None, repr=False)
    """Finnhub API key; NEOWATCH_FINNHUB_TOKEN wins over it. Never shown or logged."""

    @field_validator("provider")
    @classmethod
    def _each_once(cls, names: list[str]) -> list[str]:
        if len(set(names)) != len(names):
            raise ValueError("a provider is named twice in the fallback order")
        return names


KeyList = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]


class PortfolioFile(_Model):
    settings: SettingsModel = Field(default_factory=SettingsModel)
    keys: dict[str, KeyList] = Field(default_factory=dict)
    """Remapped keys: a key id (as `?` lists them) = "f5" or "f5,ctrl+r"."""
    groups: dict[Label, list[Symbol]] = Field(default_factory=dict)
    """Named groups of symbols; Tab cycles them."""

    @field_validator("keys")
    @classmethod
    def _known_key_ids(cls, keys: dict[str, str]) -> dict[str, str]:
        for key_id in keys:
            if key_id not in KEY_IDS:
                raise ValueError(f"no key has the id {key_id!r}; ids: {', '.join(KEY_IDS)}")
        return keys
    alerts: AlertSettingsModel = Field(default_factory=AlertSettingsModel)
    """How a condition that becomes met is announced."""
    holdings: list[HoldingModel] = Field(default_factory=list)
    other_assets: list[OtherAssetModel] = Field(default_factory=list)
    cash: Annotated[list[CashModel], BeforeValidator(_cash_tables)] = Field(default_factory=list)
    """Cash: an amount in the base currency, or { amount = 5000, currency = "EUR" }, or a list
    of such tables."""
    watchlist: list[Symbol] = Field(default_factory=list)
    """Symbols followed without a position."""
    conditions: list[ConditionModel] = Field(default_factory=list)
    companies: dict[Symbol, CompanyModel] = Field(default_factory=dict)
    """Your own figures: they win over the bundled analysis, or add a company."""


# --- the portfolio file ---------------------------------------------------------------

_TABLE_MODELS: dict[str, type[BaseModel]] = {
    "": PortfolioFile,
    "settings": SettingsModel,
    "alerts": AlertSettingsModel,
    "holdings": HoldingModel,
    "lots": LotModel,
    "other_assets": OtherAssetModel,
    "conditions": ConditionModel,
}


def model_for(loc: Sequence[int | str]) -> type[BaseModel] | None:
    """The model of the table a field path points into, to name the keys it takes."""
    if len(loc) >= 2 and loc[0] == "companies":
        by_depth: dict[int, type[BaseModel]] = {3: CompanyModel, 4: FiguresModel}
        return by_depth.get(len(loc), FigureModel)
    parents = [part for part in loc[:-1] if isinstance(part, str)]
    return _TABLE_MODELS.get(parents[-1] if parents else "")


def _duplicate_holdings(model: PortfolioFile) -> list[tuple[tuple[int | str, ...], str]]:
    """A symbol held twice would be counted twice in every weight: each repeat is a problem."""
    first: dict[str, int] = {}
    problems: list[tuple[tuple[int | str, ...], str]] = []
    for index, holding in enumerate(model.holdings):
        if holding.symbol in first:
            problems.append((
                ("holdings", index, "symbol"),
                f"{holding.symbol} is already held in holdings[{first[holding.symbol]}]; "
                "list its purchases as lots of one holding",
            ))
        else:
            first[holding.symbol] = index
    return problems


def check_portfolio(text: str, path: Path) -> dict[str, Any]:
    """The contents of a portfolio file, checked; ConfigError names every problem in words."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(syntax_error_message(path, error, text)) from None
    except RecursionError:
        raise ConfigError(
            f"Cannot read the portfolio file {path}\n  a value is nested too deeply (arrays or tables within "
            "each other hundreds of times)"
        ) from None
    try:
        model = PortfolioFile.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(describe_validation_error(path, text, raw, error, model_for)) from None
    duplicates = _duplicate_holdings(model)
    if duplicates:
        raise ConfigError(describe_problems(path, text, raw, duplicates))
    return model.model_dump(mode="json")


# --- the bundled fundamentals -----------------------------------------------------------


class _Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: date | None = None
    source: str


class FundamentalsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    defaults: _Defaults
    companies: dict[Symbol, CompanyModel] = Field(default_factory=dict)


def check_fundamentals(text: str) -> dict[str, Any]:
    """The contents of the bundled fundamentals file, checked (it ships with neowatch)."""
    return FundamentalsFile.model_validate(tomllib.loads(text)).model_dump(mode="json")


# --- theme files ------------------------------------------------------------------------


# What a colour is, Textual says (watcher.themes passes its parser in): this module, like the
# rest of the files' layer, runs without Textual.
ColourCheck = Callable[[str], bool]


def _colour(value: str, info: ValidationInfo) -> str:
    is_colour: ColourCheck = (info.context or {})["is_colour"]
    if not is_colour(value):
        raise ValueError(f"{value!r} is not a colour (write e.g. \"#4EA1FF\" or \"red\")")
    return value


class ThemeFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = None
    """Defaults to the file's name without .toml."""
    dark: bool = True
    primary: str
    secondary: str | None = None
    accent: str | None = None
    foreground: str | None = None
    background: str | None = None
    surface: str | None = None
    panel: str | None = None
    success: str | None = None
    warning: str | None = None
    error: str | None = None
    variables: dict[str, str] = Field(default_factory=dict)

    @field_validator(
        "primary", "secondary", "accent", "foreground", "background", "surface", "panel",
        "success", "warning", "error",
    )
    @classmethod
    def _is_colour(cls, value: str | None, info: ValidationInfo) -> str | None:
        return None if value is None else _colour(value, info)

    @field_validator("variables")
    @classmethod
    def _variables_are_colours(cls, variables: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        for value in variables.values():
            _colour(value, info)
        return variables


def check_theme(text: str, path: Path, is_colour: ColourCheck) -> dict[str, Any]:
    """The contents of a theme file, checked, each colour by `is_colour`; ValueError is a sentence naming the file."""
    try:
        model = ThemeFile.model_validate(tomllib.loads(text), context={"is_colour": is_colour})
    except tomllib.TOMLDecodeError as error:
        raise ValueError(f"theme file {path} is not valid TOML: {error}") from None
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        message = first["msg"].removeprefix("Value error, ")
        raise ValueError(f"theme file {path}: {where}: {message}") from None
    return model.model_dump(mode="json")
