"""The bundled analysis' fundamentals, read from package data and merged with the user's figures."""

from __future__ import annotations

import tomllib
from datetime import date
from functools import cache
from importlib import resources

from pydantic import BaseModel, ConfigDict, Field

from watcher.config import CompanyModel, Symbol
from watcher.domain.fundamentals import Company, merge_companies


class _Defaults(BaseModel):
    model_config = ConfigDict(extra="forbid")
    as_of: date | None = None
    source: str


class _FundamentalsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    defaults: _Defaults
    companies: dict[Symbol, CompanyModel] = Field(default_factory=dict)


@cache
def bundled_companies() -> dict[str, Company]:
    """The four companies of the analysis, every figure with its as-of date and source."""
    text = resources.files("watcher").joinpath("data/fundamentals.toml").read_text("utf-8")
    data = _FundamentalsFile.model_validate(tomllib.loads(text))
    return {
        symbol: company.to_domain(symbol, data.defaults.as_of, data.defaults.source)
        for symbol, company in data.companies.items()
    }


def companies_for(overrides: dict[str, Company]) -> dict[str, Company]:
    return merge_companies(bundled_companies(), overrides)
