"""Who neowatch declares itself as to the SEC, and where the SEC is: light enough for start-up."""

from __future__ import annotations

import re
from collections.abc import Mapping

SEC_CONTACT_ENV = "NEOWATCH_SEC_CONTACT"
SEC_URL_ENV = "NEOWATCH_SEC_URL"
NO_CONTACT_REASON = (
    "the SEC source is off: set NEOWATCH_SEC_CONTACT or settings.sec_contact to your e-mail; "
    "the SEC requires it"
)
BAD_CONTACT_REASON = (
    "the SEC source is off: the contact in NEOWATCH_SEC_CONTACT or settings.sec_contact holds "
    "no e-mail address on one line; the SEC requires one"
)
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")


def sec_contact(setting: str | None, environ: Mapping[str, str]) -> str | None:
    """The contact to declare: NEOWATCH_SEC_CONTACT wins over the portfolio file, like the URLs."""
    return (environ.get(SEC_CONTACT_ENV) or "").strip() or (setting or "").strip() or None


def sec_base_url(setting: str | None, environ: Mapping[str, str]) -> str | None:
    return (environ.get(SEC_URL_ENV) or "").strip() or (setting or "").strip() or None


def contact_problem(contact: str | None) -> str | None:
    """Why this contact cannot be sent, in words; None when it can."""
    if contact is None or not contact.strip():
        return NO_CONTACT_REASON
    # A control character would break the header (or smuggle another one into it).
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in contact) or not _EMAIL.search(contact):
        return BAD_CONTACT_REASON
    return None
