"""Properties of the portfolio loader: any text gives a Config that keeps its promises, or a ConfigError in words.

Each text goes through what load_config does with a text it has not seen before: the full check
(watcher.schemas.check_portfolio) and the Config built from its result (watcher.config.build_config);
without a file, so that any path can be named in the messages.

Three sources of input: arbitrary text; documents built from a grammar of the portfolio
file's own tables and keys with values of every type (nan, inf, negative, huge, unicode,
control characters); and edits of the real sample_portfolio.toml of the kind a user makes
(a line deleted, duplicated, replaced or uncommented, a sign changed, a number quoted).
"""

from __future__ import annotations

import math
import re
import string
import unicodedata
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests.property.conftest import light, tally
from watcher.config import Config, ConfigError, build_config
from watcher.domain.fundamentals import FIGURE_KINDS
from watcher.schemas import check_portfolio

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "sample_portfolio.toml").read_text(encoding="utf-8")
GOOD_LOTS = (ROOT / "tests" / "data" / "config" / "good_lots.toml").read_text(encoding="utf-8")
SYMBOL = re.compile(r"^[A-Z0-9^][A-Z0-9.\-=^]{0,19}$")
PATHS = st.sampled_from([
    Path("/home/ana/.config/neowatch/portfolio.toml"),
    Path("C:/Users/Zoë Ünal/portfolio file.toml"),
    Path("portfolio.toml"),
])
# pydantic names the member of a union it tried with these; the loader strips them from an
# error's location, so as keys they hit a known bug (see the xfail test at the end). The
# grammar leaves them out so the other properties keep testing everything else.
UNION_TAG_KEYS = ("float", "int", "str", "FigureModel", "function-after")
# tomllib recurses once per nested array or inline table, and ~330 levels overflow the stack
# (xfail test at the end); the grammar's values nest a few levels at most.


# --- TOML text from Python values ------------------------------------------------------


def toml_string(text: str) -> str:
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch != "\t" and (ord(ch) < 0x20 or ord(ch) == 0x7F):
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan" if math.copysign(1, value) > 0 else "-nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def toml_table(header: str, body: dict[str, object]) -> str:
    lines = [header] if header else []
    lines += [f"{toml_key(k)} = {toml_value(v)}" for k, v in body.items()]
    return "\n".join(lines)


# --- values of every type, biased towards what each key takes --------------------------

HOSTILE_TEXT = st.sampled_from([
    "", " ", "NBIS", " crwv ", "BRK.B", "^GSPC", "EURUSD=X", "GS2C.DE", "ÄÖÜ", "ı", "ß", "a b",
    "\x1b[31mred", "\x1b]0;t\x07", "[bold]x[/]", "\u202eevil", "\u200b", "line\nbreak", "\x00",
    "x" * 81, "y" * 300, "{symbol} at {price}", "{nope}", "🙂" * 30,
])
texts = st.text(max_size=40) | HOSTILE_TEXT
good_numbers = st.integers(1, 10**6) | st.floats(0.01, 1e7, allow_nan=False)
bad_numbers = st.sampled_from([
    0, -0.0, -1, -1e-9, 4.999, 1e-320, 5e-324, 1e308, 2**63 - 1, -(2**63), 10**30, 10**400,
    math.nan, -math.nan, math.inf, -math.inf,
]) | st.floats() | st.integers()
scalars = (
    st.none().map(lambda _: "")  # TOML has no null: an empty text stands in
    | st.booleans()
    | st.integers(-(10**30), 10**30)
    | st.floats()
    | texts
    | st.dates()
)
extra_keys = st.sampled_from(["unknown", "Shares", "symbol ", "prices_below", "ünïcode", "a.b"])
any_value = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.text(string.ascii_lowercase + "_", min_size=1, max_size=8), inner, max_size=3),
    max_leaves=8,
)


def now_and_then(rare: st.SearchStrategy, otherwise: st.SearchStrategy, one_in: int = 5) -> st.SearchStrategy:
    """`rare` one time in `one_in`. (st.one_of(a, a, b) is no weighting: it drops the repeats.)

    The rare pick is a middle number, not 1: Hypothesis favours the least value, and 1 came
    up twice as often as it should.
    """
    middle = one_in // 2 + 1
    return st.integers(1, one_in).flatmap(lambda n: rare if n == middle else otherwise)


class Grammar:
    """The portfolio file's tables and keys, with values for each key.

    A careless grammar mixes in wrong values of every type, a dropped key or an unknown one;
    a careful one keeps to what each key takes (its texts still hostile: escapes, bidi
    overrides, 300 characters), so that a fair share of documents loads and the promises
    of a Config get checked, not only the errors.
    """

    def __init__(self, careful: bool) -> None:
        self.careful = careful
        num = self.pick(good_numbers)
        pool = ["NBIS", "crwv", " iren ", "CIFR", "BRK.B", "^GSPC", "ORCL", "nvda"]
        symbol = self.pick(st.sampled_from(pool), texts)
        label = self.pick(
            st.sampled_from(["small starter position", "Index funds", "10-Q", "estimate"])
            | HOSTILE_TEXT.filter(lambda t: t.strip("\u200b\x00 ")),
            texts,
        )
        lot = self.table({"shares": num, "cost_per_share": num})
        position = self.table({"shares": num, "cost_per_share": num}) | self.table(
            {"lots": self.pick(st.lists(lot, min_size=1, max_size=3), any_value)}
        )
        holding = st.builds(lambda s, p: {"symbol": s, **p}, symbol, position)
        if careful:
            # Each symbol once (drawn first, so no example is thrown away for a repeat), or
            # now and then one holding written twice: refused.
            once = st.lists(st.sampled_from(pool), max_size=3, unique_by=lambda s: s.strip().upper()).flatmap(
                lambda chosen: st.tuples(*(position.map(lambda p, s=s: {"symbol": s, **p}) for s in chosen)).map(list)
            )
            self.holdings = now_and_then(holding.map(lambda h: [h, h]), otherwise=once)
        else:
            self.holdings = st.lists(holding, max_size=3)
        self.other_assets = st.lists(self.table({"name": label, "value": num}), max_size=3)
        clauses = {
            "price_below": num,
            "price_above": num,
            "mcap_to_arr_below": num,
            "max_weight": self.pick(st.floats(0.1, 100)),
        }
        self.conditions = st.lists(
            self.table(
                {"symbol": symbol, "label": label, "price_below": num},
                {k: v for k, v in clauses.items() if k != "price_below"},
            )
            if careful
            else self.table({"symbol": symbol, "label": label}, clauses),
            max_size=3,
        )
        providers = st.sampled_from(["yahoo", "finnhub", "demo"])
        self.settings = self.table({}, {
            "refresh_interval": self.pick(st.integers(5, 3600) | st.floats(5, 1e5)),
            "stale_after_refreshes": self.pick(st.integers(1, 100)),
            "provider": self.pick(
                providers | st.lists(providers, min_size=1, max_size=3, unique=True),
                st.sampled_from(["Yahoo", "stooq", ""]) | st.lists(providers, max_size=4),
            ),
            "yahoo_url": self.pick(st.sampled_from(["https://query1.finance.yahoo.com", "http://127.0.0.1:9"]), texts),
            "finnhub_url": self.pick(st.sampled_from(["https://finnhub.io/api/v1"]), texts),
            "finnhub_token": self.pick(st.text(string.ascii_letters + string.digits, min_size=1, max_size=40), texts),
        })
        placeholders = st.sampled_from(["BUY {symbol}", "{label} at {price}", "{trigger} {distance} {time}"])
        self.alerts = self.table({}, {
            "toast": self.pick(st.booleans(), any_value),
            "bell": self.pick(st.booleans(), any_value),
            "desktop": self.pick(st.booleans(), any_value),
            "command": self.pick(
                st.lists(placeholders | texts, max_size=3).map(lambda rest: ["notify-send", *rest]),
                st.lists(self.pick(placeholders, texts), max_size=4),
            ),
            "hysteresis_pct": self.pick(st.floats(0, 20)),
        })
        figure_keys = {kind.key: kind.unit.value for kind in FIGURE_KINDS}

        def figure(unit: str) -> st.SearchStrategy:
            value = self.pick(texts if unit == "text" else st.floats(-1e12, 1e12) | st.integers(-10**12, 10**12))
            table = st.fixed_dictionaries(
                {}, optional={"value": value, "as_of": self.pick(st.dates(), any_value), "source": label, "note": label}
            )
            return value | table

        self.figures = st.sampled_from(sorted(figure_keys)).flatmap(
            lambda key: st.tuples(st.just(key), figure(figure_keys[key]))
        )
        if not careful:
            self.figures = self.figures | st.tuples(extra_keys, any_value)
        self.companies = st.dictionaries(
            symbol.filter(lambda s: isinstance(s, str) and bool(s.strip())),
            st.tuples(
                self.table({}, {"name": label, "tier": label, "view": texts, "notes": texts}),
                st.none() | st.lists(self.figures, max_size=4).map(dict),
            ),
            max_size=3,
        )
        self.cash = num
        self.watchlist = self.pick(st.lists(symbol, max_size=4), any_value)

    def pick(self, good: st.SearchStrategy, bad: st.SearchStrategy = bad_numbers) -> st.SearchStrategy:
        """Careful: the good values only. Careless: good ones most of the time, not always."""
        return good if self.careful else now_and_then(st.one_of(bad, any_value), otherwise=good, one_in=4)

    def table(self, required: dict, optional: dict | None = None) -> st.SearchStrategy[dict]:
        """A table with its keys; careless, sometimes one dropped and sometimes an unknown one added."""
        base = st.fixed_dictionaries(required, optional=optional or {})
        if self.careful:
            return base

        def vary(entry: dict, drop: int | None, extra: tuple[str, object] | None) -> dict:
            entry = dict(entry)
            if drop is not None and entry:
                entry.pop(sorted(entry)[drop % len(entry)])
            if extra is not None:
                entry[extra[0]] = extra[1]
            return entry

        return st.builds(
            vary,
            base,
            now_and_then(st.integers(0, 9), otherwise=st.none()),
            now_and_then(st.tuples(extra_keys, any_value), otherwise=st.none()),
        )

    @st.composite
    def document(draw: st.DrawFn, self: Grammar) -> str:  # noqa: N805 - composite's draw comes first
        """A portfolio file: plain keys first, then the tables, in TOML syntax."""
        top: dict[str, object] = {}
        if draw(st.booleans()):
            top["cash"] = draw(self.cash)
        if draw(st.booleans()):
            top["watchlist"] = draw(self.watchlist)
        if not self.careful and draw(st.integers(0, 9)) == 0:
            top[draw(extra_keys)] = draw(any_value)
        parts = [toml_table("", top)]
        if draw(st.booleans()):
            parts.append(toml_table("[settings]", draw(self.settings)))
        if draw(st.booleans()):
            parts.append(toml_table("[alerts]", draw(self.alerts)))
        tables = (("holdings", self.holdings), ("other_assets", self.other_assets), ("conditions", self.conditions))
        for name, strategy in tables:
            for entry in draw(strategy):
                parts.append(toml_table(f"[[{name}]]", entry))
        for symbol, (company, figs) in draw(self.companies).items():
            parts.append(toml_table(f"[companies.{toml_key(symbol)}]", company))
            if figs is not None:
                parts.append(toml_table(f"[companies.{toml_key(symbol)}.figures]", figs))
        return "\n\n".join(parts) + "\n"


CAREFUL, CARELESS = Grammar(careful=True), Grammar(careful=False)
documents = st.one_of(CAREFUL.document(), CARELESS.document())


# --- edits a user makes to the real sample -------------------------------------------

NUMBER = re.compile(r"(?<![\w.\"])(\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w\"])")


def edit(text: str, op: str, at: int, other: int, replacement: str) -> str:
    lines = text.splitlines()
    if not lines:
        return replacement
    i, j = at % len(lines), other % len(lines)
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    elif op == "replace":
        lines[i] = replacement
    elif op == "insert":
        lines.insert(i, replacement)
    elif op == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif op == "uncomment":
        commented = [n for n, line in enumerate(lines) if line.lstrip().startswith("#")]
        if commented:
            n = commented[at % len(commented)]
            lines[n] = re.sub(r"^\s*#\s?", "", lines[n])
    elif op in ("negate", "quote", "blow up"):
        found = [
            (n, m) for n, line in enumerate(lines) if not line.lstrip().startswith("#") for m in NUMBER.finditer(line)
        ]
        if found:
            n, match = found[at % len(found)]
            new = {"negate": "-" + match.group(1), "quote": f'"{match.group(1)}"', "blow up": "1e400"}[op]
            lines[n] = lines[n][: match.start()] + new + lines[n][match.end():]
    return "\n".join(lines) + "\n"


replacement_lines = (
    st.builds(lambda k, v: f"{toml_key(k)} = {toml_value(v)}",
              st.sampled_from(["cash", "shares", "symbol", "label", "price_below", "refresh_interval",
                               "provider", "finnhub_token", "name", "value", "watchlist", "max_weight"]),
              any_value)
    | st.sampled_from(["[settings]", "[alerts]", "[[holdings]]", "[[conditions]]", "[[other_assets]]",
                       "[companies.CRWV]", "[companies.CRWV.figures]", "[settings", "[[holdings]", "=",
                       "cash =", 'symbol = "NBIS', "lots = [", "}", ""])
    | st.text(max_size=30)
)
EDITS = ["delete", "duplicate", "replace", "insert", "swap", "uncomment", "negate", "quote", "blow up"]
edits = st.tuples(st.sampled_from(EDITS), st.integers(0, 500), st.integers(0, 500), replacement_lines)


@st.composite
def edited_samples(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([SAMPLE, SAMPLE, GOOD_LOTS]))
    for op, at, other, replacement in draw(st.lists(edits, min_size=1, max_size=4)):
        text = edit(text, op, at, other, replacement)
    return text


# --- what every outcome must satisfy ------------------------------------------------------


def shown_cleanly(label: str, limit: int = 80) -> bool:
    return (
        0 < len(label) <= limit
        and label == label.strip()
        and all(unicodedata.category(ch)[0] != "C" for ch in label)
        and "\n" not in label
    )


def check_config(config: Config, path: Path) -> None:
    assert config.path == path
    portfolio = config.portfolio
    assert math.isfinite(portfolio.cash) and portfolio.cash >= 0
    symbols = [h.symbol for h in portfolio.holdings] + list(config.watchlist)
    symbols += [c.symbol for c in config.conditions] + list(config.companies)
    for symbol in symbols:
        assert SYMBOL.match(symbol) and symbol == symbol.upper(), symbol
    assert len({h.symbol for h in portfolio.holdings}) == len(portfolio.holdings)
    for holding in portfolio.holdings:
        assert holding.lots and holding.shares > 0 and math.isfinite(holding.shares)
        for lot in holding.lots:
            assert 0 < lot.shares <= 1e12
            assert 0 <= lot.cost_per_share <= 1e12
    for asset in portfolio.other_assets:
        assert shown_cleanly(asset.name)
        assert 0 <= asset.value <= 1e15
    for condition in config.conditions:
        clauses = [condition.price_below, condition.price_above, condition.mcap_to_arr_below, condition.max_weight]
        assert any(c is not None for c in clauses)
        assert all(0 < c <= 1e12 for c in clauses if c is not None)
        assert condition.max_weight is None or condition.max_weight <= 100
        assert shown_cleanly(condition.label)
    for company in config.companies.values():
        for text in (company.name, company.tier):
            assert not text or shown_cleanly(text)
        for figure in company.figures.values():
            assert figure.source is None or shown_cleanly(figure.source)
            assert figure.note is None or shown_cleanly(figure.note)
            assert not isinstance(figure.value, float) or -1e15 <= figure.value <= 1e15
    settings = config.settings
    assert 5 <= settings.refresh_interval <= 86_400
    assert 1 <= settings.stale_after_refreshes <= 100
    assert settings.provider and len(set(settings.provider)) == len(settings.provider)
    assert 0 <= config.alerts.hysteresis_pct <= 20
    assert config.alerts.command is None or config.alerts.command[0].strip()


def check_error(error: ConfigError, path: Path) -> str:
    message = str(error)
    assert str(path) in message
    assert "Traceback" not in message and 'File "' not in message
    assert "pydantic" not in message.lower() and "errors.pydantic.dev" not in message
    # `from None` or raised outside an except: no chained traceback behind the message.
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    return message


def parse(text: str, path: Path) -> Config:
    """The Config of a text checked in full, as load_config builds it; or ConfigError."""
    return build_config(path, check_portfolio(text, path))


def load(text: str, path: Path) -> Config | ConfigError:
    """parse's outcome; anything but a Config or a ConfigError fails the property."""
    try:
        config = parse(text, path)
    except ConfigError as error:
        check_error(error, path)
        message = str(error)
        tally("ConfigError (syntax)" if "TOML syntax error" in message else
              "ConfigError (held twice)" if "is already held" in message else "ConfigError")
        return error
    assert isinstance(config, Config)
    check_config(config, path)
    tally("Config")
    return config


# --- the properties ---------------------------------------------------------------------


@given(text=st.text(), path=PATHS)
@example(text="", path=Path("portfolio.toml"))
@example(text="\ufeffcash = 1", path=Path("portfolio.toml"))
@example(text="cash = 1\x00", path=Path("portfolio.toml"))
def test_any_text_gives_a_config_or_a_config_error(text: str, path: Path) -> None:
    load(text, path)


@given(text=documents, path=PATHS)
def test_grammar_documents_give_a_config_that_keeps_its_promises_or_a_config_error(text: str, path: Path) -> None:
    load(text, path)


@given(text=edited_samples(), path=PATHS)
@example(text=SAMPLE, path=Path("portfolio.toml"))
@example(text=SAMPLE.replace("cash = 15000", "cash = -15000"), path=Path("portfolio.toml"))
@example(text=SAMPLE.replace("shares = 90", 'shares = "90"'), path=Path("portfolio.toml"))
def test_edited_sample_gives_a_config_or_a_config_error(text: str, path: Path) -> None:
    load(text, path)


@light()
@given(document=documents, path=PATHS)
def test_a_document_that_loads_still_loads_with_its_comments_and_blank_lines_changed(document: str, path: Path) -> None:
    # Comments and blank lines carry no meaning: the outcome must not depend on them.
    first = load(document, path)
    spaced = "# a comment\n\n" + document.replace("\n[", "\n\n# a section\n[")
    second = load(spaced, path)
    assert isinstance(first, Config) == isinstance(second, Config)
    if isinstance(first, Config):
        assert first.portfolio == second.portfolio and first.conditions == second.conditions


# --- the secret key never reaches a message ----------------------------------------------

tokens = st.text(string.ascii_letters + string.digits, min_size=16, max_size=40).filter(
    lambda t: not t.isdigit()
)
TOKEN_FORMS = [
    'finnhub_token = "{t}"',
    "finnhub_token = '{t}'",
    'finnhub_token = """{t}"""',
    'finnhub_token = "  {t}  "',
    'finnhub_token = "{t}{t}{t}{t}{t}{t}{t}{t}{t}{t}{t}{t}{t}"',  # over 200 characters
    'finnhub_token = ["{t}"]',
    'finnhub_token = {{ key = "{t}" }}',
    'finnhub_token = "{t}',  # unterminated
    "finnhub_token = {t}",  # unquoted
    'finnhub_token = "{t}\x01"',  # a raw control character: a syntax error
    'finnhub_token = "{t}"\nfinnhub_token = "{t}"',  # twice
]
TOKEN_PLACES = ["[settings]", "", "[alerts]", "[[holdings]]", "[settings.finnhub_token]", "[companies.CRWV]"]
OTHER_MISTAKES = ["", "refresh_interval = 1", 'provider = "nope"', "cash = -1", "unknown = 1", "["]


@st.composite
def files_with_a_token(draw: st.DrawFn) -> tuple[str, str]:
    token = draw(tokens)
    form = draw(st.sampled_from(TOKEN_FORMS)).replace("{t}", token)
    place = draw(st.sampled_from(TOKEN_PLACES))
    mistake = draw(st.sampled_from(OTHER_MISTAKES))
    base = draw(st.sampled_from(["", SAMPLE, GOOD_LOTS]))
    if place == "[settings]" and mistake.split(" ")[0] in ("refresh_interval", "provider"):
        block = f"[settings]\n{form}\n{mistake}"
    else:
        block = f"{mistake}\n{place}\n{form}" if place else f"{form}\n{mistake}"
    # The block goes first when it has plain keys, else at the end.
    text = block + "\n" + base if not place else base + "\n" + block
    return token, text


@given(case=files_with_a_token(), path=PATHS)
@example(case=("s3cretT0kenValue1234", '[settings]\nfinnhub_token = ["s3cretT0kenValue1234"]'), path=Path("p.toml"))
@example(
    case=("s3cretT0kenValue1234", "[settings]\nfinnhub_token = " + '"' + "s3cretT0kenValue1234" * 11 + '"'),
    path=Path("p.toml"),
)
def test_the_finnhub_token_never_appears_in_an_error(case: tuple[str, str], path: Path) -> None:
    token, text = case
    outcome = load(text, path)
    if isinstance(outcome, ConfigError):
        assert token not in str(outcome)
        assert token[:12] not in str(outcome)  # not even the start of it, as a cut-off "found '…'"
    else:
        assert token not in repr(outcome.settings)


# --- known bugs: each fails today, and is expected to -------------------------------------


@given(key=st.sampled_from(UNION_TAG_KEYS), table_name=st.sampled_from(["", "[settings]", "[alerts]", "[[holdings]]"]))
@example(key="float", table_name="")  # `float = 1` → IndexError: tuple index out of range
def test_a_key_named_like_a_union_tag_is_reported_as_unknown(key: str, table_name: str) -> None:
    text = f"{table_name}\n{toml_key(key)} = 1\n"
    with pytest.raises(ConfigError) as caught:
        parse(text, Path("p.toml"))
    assert f"unknown key {key!r}" in str(caught.value) or f"unknown condition {key!r}" in str(caught.value)


@given(depth=st.integers(400, 3_000), brackets=st.sampled_from([("[", "]"), ("{a=", "}")]))
@example(depth=1_000, brackets=("[", "]"))  # cash = [[[[…]]]]
def test_deeply_nested_values_give_a_config_error(depth: int, brackets: tuple[str, str]) -> None:
    opening, closing = brackets
    text = "cash = " + opening * depth + "1" + closing * depth
    try:
        parse(text, Path("p.toml"))
    except ConfigError:
        pass
    except RecursionError:
        # Re-raised without its thousand frames, which take seconds to report.
        raise AssertionError(f"RecursionError escaped the check at depth {depth}") from None
