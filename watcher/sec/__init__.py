"""SEC EDGAR as a keyless source of shares outstanding and revenue, per company."""

from watcher.sec.facts import (
    AnnualRevenue,
    QuarterRevenue,
    SecFigures,
    SecUnavailable,
    SharesFigure,
    TtmRevenue,
    pick_figures,
)
from watcher.sec.source import (
    NO_CONTACT_REASON,
    SEC_CONTACT_ENV,
    SEC_URL_ENV,
    contact_problem,
    sec_base_url,
    sec_contact,
    sec_figures,
    to_figures,
)

__all__ = [
    "NO_CONTACT_REASON",
    "SEC_CONTACT_ENV",
    "SEC_URL_ENV",
    "AnnualRevenue",
    "QuarterRevenue",
    "SecFigures",
    "SecUnavailable",
    "SharesFigure",
    "TtmRevenue",
    "contact_problem",
    "pick_figures",
    "sec_base_url",
    "sec_contact",
    "sec_figures",
    "to_figures",
]
