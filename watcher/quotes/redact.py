"""Keeping secrets out of shown text: mask known keys, and the key-like parts of a URL."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

MASK = "***"

# The query parameters that carry a key in the APIs neowatch knows (Finnhub's token,
# Alpha Vantage's apikey, Yahoo's crumb) and in most others.
SECRET_PARAMETERS = ("token", "apikey", "api_key", "key", "crumb")

# A secret parameter's value runs to the next parameter, fragment or whitespace; the name is
# matched case-insensitively because servers treat `Token=` and `token=` alike.
_SECRET_QUERY = re.compile(
    r"(?i)([?&;](?:" + "|".join(map(re.escape, SECRET_PARAMETERS)) + r")=)[^&;#\s'\"<>]*"
)
# A password in the authority part (https://user:password@host) is as secret as a token.
_URL_PASSWORD = re.compile(r"(//[^/?#@:\s]*:)[^/?#@\s]*@")


def _forms(secret: str) -> set[str]:
    """The secret as written, and as it reads once put into a URL."""
    return {secret, quote(secret, safe=""), quote_plus(secret, safe="")}


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each non-empty secret (plain or URL-encoded) masked."""
    forms = {form for secret in secrets if secret for form in _forms(secret)}
    # Longest first: a secret's encoded form may contain the plain one, or the other way round,
    # and masking the shorter first would leave the rest of the longer one readable.
    for form in sorted(forms, key=len, reverse=True):
        text = text.replace(form, MASK)
    return text


def redact_url(url: str) -> str:
    """`url` (or a text holding URLs) with key-like query values and any password masked."""
    return _URL_PASSWORD.sub(r"\1" + MASK + "@", _SECRET_QUERY.sub(r"\1" + MASK, url))
