"""Properties of clean_text and inert: any string, markup or escape comes out as one inert line."""

from __future__ import annotations

import io
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from tests.property.conftest import light, tally
from watcher import format as fmt
from watcher.quotes import yahoo_parse
from watcher.text import ELLIPSIS, clean_text
from watcher.widgets.cells import inert

# What a hostile or careless source sends: Rich markup, ANSI and OSC escapes, bidi overrides,
# zero-width and byte-order marks, every kind of line break, a lone surrogate (JSON allows
# "\ud800"), wide and combining characters.
FRAGMENTS = [
    "[bold]", "[/bold]", "[/]", "[link=x]", "[link=https://evil.example/?q=1]click[/link]",
    "[red on white]", "\\[escaped]", "[@click=app.quit]", ":warning:",
    "\x1b[31m", "\x1b[0m", "\x1b]0;title\x07", "\x1b]8;;https://x\x1b\\", "\x1bP+q\x1b\\", "\x9b2J",
    "\u202e", "\u202d", "\u2066", "\u2069", "\u200b", "\u200d", "\ufeff", "\u00ad",
    "\r\n", "\n", "\r", "\t", "\v", "\f", "\x00", "\x07", "\x7f", "\x85", "\u2028", "\u2029",
    "\ud800", "\udfff", "\ue000", "\U000f0000",
    "👍🏽", "e\u0301", "漢字", "Ａ", " ", "   ", "\u00a0", "\u3000", "…",
    "NBIS", "Apple Inc.", "a b",
]


def _alphabet() -> st.SearchStrategy[str]:
    # Every code point, surrogates and private use included: st.text() leaves surrogates out.
    return st.characters(codec=None, categories=None)


hostile = st.lists(
    st.sampled_from(FRAGMENTS) | st.text(_alphabet(), max_size=12), max_size=30
).map("".join)
# 10,000 characters and more, cheaply: a fragment repeated, with a hostile head and tail.
long_strings = st.builds(
    lambda head, body, n, tail: head + body * n + tail,
    hostile,
    st.sampled_from(FRAGMENTS) | st.text(_alphabet(), min_size=1, max_size=5),
    st.integers(100, 10_000),
    hostile,
)
any_string = st.text(_alphabet()) | hostile | long_strings
limits = st.integers(1, 300)
CLEANERS = [
    pytest.param(clean_text, id="watcher.text"),
    pytest.param(yahoo_parse.clean_text, id="yahoo_parse"),
]


def is_shown_char(ch: str) -> bool:
    # Cc control, Cf format (bidi, zero width), Cs surrogate, Co private use, Cn unassigned.
    return unicodedata.category(ch)[0] != "C"


def reference(value: str) -> str:
    """The whole string cleaned, without any cap: what every result must be a prefix of."""
    spaced = "".join(" " if ch.isspace() else ch for ch in value)
    return " ".join("".join(ch for ch in spaced if is_shown_char(ch)).split())


def assert_one_clean_line(result: str | None, limit: int) -> None:
    if result is None:
        return
    assert isinstance(result, str) and result
    assert len(result) <= limit
    assert all(is_shown_char(ch) for ch in result), ascii(result)
    assert not any(ch.isspace() and ch != " " for ch in result), ascii(result)
    assert result == result.strip() and "  " not in result


@pytest.mark.parametrize("clean", CLEANERS)
@given(value=any_string, limit=limits)
@example(value="\x1b[31mred\x1b[0m [bold]x[/bold] \u202eevil", limit=80)
@example(value="\x1b]0;t\x07" * 2_000, limit=80)
@example(value="a" * 10_000, limit=80)
def test_clean_text_gives_one_short_line_without_control_or_format_characters(clean, value, limit) -> None:
    result = clean(value, limit)
    tally("None" if result is None else "truncated" if result.endswith(ELLIPSIS) else "text")
    assert_one_clean_line(result, limit)


@pytest.mark.parametrize("clean", CLEANERS)
@given(value=any_string, limit=limits)
def test_clean_text_only_removes_and_folds_never_invents(clean, value, limit) -> None:
    result = clean(value, limit)
    full = reference(value)
    if result is None:
        # Nothing worth showing in the part examined.
        tally("None")
        assert not reference(value[: limit * 8])
        return
    kept = result.removesuffix(ELLIPSIS) if clean is clean_text else result
    assert full.startswith(kept.rstrip()), (ascii(kept), ascii(full[:limit]))
    if len(value) <= limit * 8 and len(full) <= limit:
        tally("whole")
        assert result == full  # short enough: nothing lost, markup kept as typed
    else:
        tally("capped")


@pytest.mark.parametrize("clean", CLEANERS)
@light()
@given(value=any_string, limit=limits)
def test_clean_text_is_idempotent(clean, value, limit) -> None:
    once = clean(value, limit)
    assert clean(once, limit) == once if once is not None else clean(once, limit) is None


@pytest.mark.parametrize("clean", CLEANERS)
@light()
@given(value=any_string, tail=any_string, limit=st.integers(1, 60))
def test_clean_text_reads_only_a_bounded_prefix(clean, value, tail, limit) -> None:
    # What lies beyond limit * 8 characters never changes the result: a 10 MB name costs
    # no more than a short one.
    head = (value + "x" * (limit * 8))[: limit * 8]
    assert clean(head + "y" + tail, limit) == clean(head + "z" + value, limit)


@pytest.mark.parametrize("clean", CLEANERS)
@light()
@given(value=st.none() | st.integers() | st.floats() | st.binary() | st.lists(st.text()))
def test_clean_text_of_anything_but_a_string_is_none(clean, value) -> None:
    assert clean(value, 80) is None


@light()
@given(value=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=40), limit=st.integers(40, 80))
@example(value="[bold]x[/bold][link=x]y[/link]", limit=40)
def test_printable_ascii_passes_unchanged(value, limit) -> None:
    # Markup is text like any other: "[bold]" stays "[bold]", nothing is interpreted or eaten.
    assert clean_text(value, limit) == (value or None)


@given(value=st.none() | any_string, limit=limits)
@example(value="[bold]x[/bold] [link=https://x]y[/link] [red]z", limit=80)
@example(value="\x1b[31mred\x1b]0;t\x07", limit=40)
def test_inert_renders_the_literal_characters(value, limit) -> None:
    text = inert(value, limit)
    clean = clean_text(value, limit)
    assert isinstance(text, Text)
    if clean is None:
        tally("dash")
        assert text.plain == fmt.DASH
        return
    tally("text")
    assert text.plain == clean
    assert text.spans == [] and not text.style  # no style came from markup in the value
    # And printed: exactly those characters reach the terminal, no escape made or passed.
    out = io.StringIO()
    console = Console(file=out, width=10_000, color_system=None, force_terminal=True, legacy_windows=False)
    console.print(text, end="", soft_wrap=True, no_wrap=True, overflow="ignore", crop=False)
    assert out.getvalue() == clean


@given(value=st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1), limit=st.integers(-5, 0))
@example(value="NBIS", limit=0)  # clean_text("NBIS", 0) == "…"
def test_clean_text_respects_a_limit_of_zero(value, limit) -> None:
    result = clean_text(value, limit)
    assert result is None or len(result) <= max(limit, 0)
