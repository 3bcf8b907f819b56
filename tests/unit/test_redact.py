"""Masking secrets: known keys in any text, and key-like query values and passwords in URLs."""

from __future__ import annotations

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
