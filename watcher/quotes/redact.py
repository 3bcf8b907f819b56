"""Keeping secrets out of shown text: mask known keys in any encoding, and the key-like parts of a URL."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable

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


# A base64 piece shorter than this could match ordinary text; a real key's pieces are longer.
_MIN_BASE64_PIECE = 8


def _percent_pattern(secret: str) -> str:
    """A pattern for the secret with any of its characters percent-encoded (in either case of
    hex digit), a space also as "+": `sk%5FSECRET` is `sk_SECRET` though quote() never writes it."""
    parts = []
    for char in secret:
        encoded = "".join(f"%(?i:{byte:02X})" for byte in char.encode("utf-8"))
        plus = "|\\+" if char == " " else ""
        parts.append(f"(?:{re.escape(char)}|{encoded}{plus})")
    return "".join(parts)


def _base64_forms(secret: str) -> set[str]:
    """The secret base64-encoded, standard and URL-safe, with and without padding; and the part
    of it that stays the same wherever in a longer encoded text it sits (a `user:key` pair)."""
    data = secret.encode("utf-8")
    forms: set[str] = set()
    for offset in range(3):  # the three ways the secret's bytes can line up with base64's groups
        encoded = base64.b64encode(bytes(offset) + data).decode("ascii")
        bare = encoded.rstrip("=")
        # Characters made only of the secret's bits: none of the leading bytes', none of what follows.
        piece = bare[-(-8 * offset // 6) : 8 * (offset + len(data)) // 6]
        candidates = {piece} | ({encoded, bare} if offset == 0 else set())
        for form in candidates:
            if len(form.rstrip("=")) >= _MIN_BASE64_PIECE:
                forms |= {form, form.translate(_URLSAFE)}
    return forms


_URLSAFE = str.maketrans("+/", "-_")


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of each non-empty secret masked: as written, percent-encoded
    (any characters, either hex case, "+" for a space) and base64-encoded (standard or URL-safe,
    padded or not)."""
    known = sorted({secret for secret in secrets if secret}, key=len, reverse=True)
    # Longest first: a secret's encoded form may contain the plain one, or the other way round,
    # and masking the shorter first would leave the rest of the longer one readable.
    for form in sorted({form for secret in known for form in _base64_forms(secret)}, key=len, reverse=True):
        text = text.replace(form, MASK)
    for secret in known:
        text = re.sub(_percent_pattern(secret), MASK, text)
    return text


def redact_url(url: str) -> str:
    """`url` (or a text holding URLs) with key-like query values and any password masked."""
    return _URL_PASSWORD.sub(r"\1" + MASK + "@", _SECRET_QUERY.sub(r"\1" + MASK, url))
