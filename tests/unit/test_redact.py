"""Masking secrets: known keys in any text, and key-like query values and passwords in URLs."""

from __future__ import annotations

import base64
from urllib.parse import quote, quote_plus

import pytest

from watcher.quotes.redact import MASK, redact, redact_url


def test_every_occurrence_of_each_secret_is_masked() -> None:
    text = "key abc123 refused; retry with abc123 or xyz"
    assert redact(text, ["abc123", "xyz"]) == "key *** refused; retry with *** or ***"


def test_the_url_encoded_forms_are_masked_too() -> None:
    secret = "a b/c+d="
    text = f"GET /quote?token=a%20b%2Fc%2Bd%3D and form a+b%2Fc%2Bd%3D and plain {secret}"
    redacted = redact(text, [secret])
    assert redacted == f"GET /quote?token={MASK} and form {MASK} and plain {MASK}"


def test_a_secret_inside_a_longer_secret_leaves_nothing_readable() -> None:
    assert redact("token=abcdef", ["abc", "abcdef"]) == "token=***"


def test_empty_secrets_and_no_secrets_change_nothing() -> None:
    assert redact("nothing to hide", ["", ""]) == "nothing to hide"
    assert redact("nothing to hide", []) == "nothing to hide"


@pytest.mark.parametrize("name", ["token", "apikey", "api_key", "key", "crumb", "Token", "APIKEY"])
def test_key_like_query_values_are_masked(name: str) -> None:
    url = f"https://example.com/q?symbol=AAPL&{name}=s3cr3t&x=1#top"
    assert redact_url(url) == f"https://example.com/q?symbol=AAPL&{name}={MASK}&x=1#top"


def test_first_parameter_and_a_url_inside_a_sentence() -> None:
    text = "Client error for url 'https://finnhub.io/api/v1/quote?token=s3cr3t' (401)"
    assert redact_url(text) == f"Client error for url 'https://finnhub.io/api/v1/quote?token={MASK}' (401)"


def test_parameters_that_only_end_like_a_key_name_are_kept() -> None:
    url = "https://example.com/q?monkey=1&keyboard=2&symbol=AAPL"
    assert redact_url(url) == url


def test_a_password_in_the_url_is_masked() -> None:
    url = "http://me:hunter2@proxy.example:8080/api?symbol=AAPL"
    assert redact_url(url) == f"http://me:{MASK}@proxy.example:8080/api?symbol=AAPL"


def test_a_url_without_secrets_is_unchanged() -> None:
    url = "https://finnhub.io/api/v1/quote?symbol=AAPL"
    assert redact_url(url) == url


KEY = "sk_SECRET_c1fh+T0KEN/9z"


def b64(data: bytes, urlsafe: bool = False, padded: bool = True) -> str:
    encoded = (base64.urlsafe_b64encode if urlsafe else base64.b64encode)(data).decode()
    return encoded if padded else encoded.rstrip("=")


@pytest.mark.parametrize(
    "form",
    [
        KEY,
        quote(KEY, safe=""),
        quote_plus(KEY),
        quote(KEY, safe="/+"),
        "sk%5FSECRET%5Fc1fh%2BT0KEN%2F9z",  # _ is unreserved: quote() never writes %5F, servers do
        "sk%5fSECRET%5fc1fh%2bT0KEN%2f9z",  # lower-case hex digits
        "".join(f"%{byte:02X}" for byte in KEY.encode()),  # every character encoded
        b64(KEY.encode()),
        b64(KEY.encode(), padded=False),
        b64(KEY.encode(), urlsafe=True),
        b64(KEY.encode(), urlsafe=True, padded=False),
    ],
)
def test_every_encoding_of_a_key_is_masked(form: str) -> None:
    redacted = redact(f'{{"error": "Invalid API key {form}."}}', [KEY])
    assert redacted == f'{{"error": "Invalid API key {MASK}."}}'


@pytest.mark.parametrize("prefix", [b"", b"u:", b"us:", b"use:"])
@pytest.mark.parametrize("urlsafe", [False, True])
def test_a_key_inside_a_longer_base64_text_leaves_no_readable_piece(prefix: bytes, urlsafe: bool) -> None:
    # As in a Basic authorization echoed back: user:key, encoded whole.
    encoded = b64(prefix + KEY.encode() + b"!", urlsafe=urlsafe)
    redacted = redact(f"Authorization: Basic {encoded}", [KEY])
    assert MASK in redacted
    before, after = redacted.removeprefix("Authorization: Basic ").split(MASK)
    # What is left is what the bytes around the key need: the prefix's characters, "!" and padding.
    assert len(before) <= -(-8 * len(prefix) // 6) and len(after) <= 4


def test_a_space_in_a_key_may_be_a_plus_or_percent_20() -> None:
    assert redact("a+b and a%20b and a b", ["a b"]) == f"{MASK} and {MASK} and {MASK}"


def test_short_secrets_mask_no_base64_lookalikes() -> None:
    # A 3-character key's base64 is 4 characters: too short to tell from ordinary text.
    assert redact("YWJj is here; abc is not", ["abc"]) == f"YWJj is here; {MASK} is not"


def test_redacting_twice_changes_nothing_more() -> None:
    once = redact(f"{KEY} {quote(KEY)} {b64(KEY.encode())}", [KEY])
    assert redact(once, [KEY]) == once == f"{MASK} {MASK} {MASK}"
