"""ConfigError, and the words it carries: TOML syntax errors and pydantic validation errors as
messages naming file, line and field.

The bottom of the portfolio file's modules: watcher.schemas and watcher.config import this one,
and it imports neither. watcher.config imports it on every start, for ConfigError, so it imports
neither pydantic nor tomllib (they are named here for the type check only).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import tomllib

    from pydantic import BaseModel, ValidationError

    # The model of the table a field path points into, to name the keys it takes
    # (watcher.schemas.model_for): the models are the schema's, not this module's.
    ModelFor = Callable[[Sequence[int | str]], type[BaseModel] | None]


class ConfigError(Exception):
    """The portfolio file cannot be used; str() is the message for the user."""


_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_HEADER = re.compile(r"^\s*\[(\[?)\s*([^\[\]]+?)\s*\]\]?\s*(#.*)?$")

# What each table of the file takes, to name the allowed keys after an unknown one.
_TABLE_WORDS = {
    "": "the file",
    "settings": "[settings]",
    "alerts": "[alerts]",
    "holdings": "a holding",
    "lots": "a lot",
    "other_assets": "an other asset",
    "conditions": "a condition",
    "figures": "a figure",
}


def syntax_error_message(path: Path, error: tomllib.TOMLDecodeError, source: str = "") -> str:
    text = str(error)
    where = ""
    match = _TOML_POSITION.search(text)
    if match:
        text = text[: match.start()]
        where = f"line {match.group(1)}, column {match.group(2)}: "
    elif text.endswith("(at end of document)"):
        text = text.removesuffix("(at end of document)").rstrip()
        where = f"line {max(1, len(source.splitlines()))} (end of the file): "
    return (
        f"Cannot read the portfolio file {path}\n"
        f"  {where}TOML syntax error: {text}"
    )


def field_path(loc: Sequence[int | str]) -> str:
    """('holdings', 0, 'shares') → 'holdings[0].shares'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out or "(top level)"


def _table_word(loc: Sequence[int | str]) -> str:
    parents = [part for part in loc[:-1] if isinstance(part, str)]
    if parents[:1] == ["companies"]:
        return {3: "a company", 4: "[companies.X.figures]"}.get(len(loc), "a figure")
    return _TABLE_WORDS.get(parents[-1] if parents else "", "this table")


# Fields whose value is a secret: an error names the field, never what was found in it.
SECRET_FIELDS = {"finnhub_token"}


def _describe(error: dict[str, Any], model_for: ModelFor) -> str:
    kind = error["type"]
    loc = error["loc"] or ("(top level)",)
    if loc and loc[-1] in SECRET_FIELDS:
        error = {key: value for key, value in error.items() if key != "input"}
    elif loc and str(loc[-1]).endswith("_url") and isinstance(error.get("input"), str):
        from watcher.quotes.redact import redact_url

        # A URL may carry a key in its query: never echo it.
        return f"must be an http:// or https:// URL (found {redact_url(error['input'])!r:.60})"
    if kind == "extra_forbidden":
        model = model_for(loc)
        allowed = ", ".join(model.model_fields) if model else ""
        what = "key"
        if loc[0] == "conditions" and len(loc) == 3:
            what = "condition"
        elif loc[0] == "companies" and len(loc) == 4:
            what = "figure"
        return f"unknown {what} {loc[-1]!r}; {_table_word(loc)} takes: {allowed}"
    if kind == "missing":
        return "is required but missing"
    found = error.get("input")
    if "input" not in error:
        found = None
    if kind == "float_type" and isinstance(found, str):
        if looks_numeric(found):
            return f"is a number; write it without quotes (found {found!r:.40})"
        return f"must be a number (found {found!r:.40})"
    if kind == "string_type" and isinstance(found, (int, float)):
        return f"is a text; write it in quotes (found {found!r:.40})"
    message = error["msg"]
    message = message.removeprefix("Value error, ")
    message = re.sub(r"^Input should be", "must be", message)
    message = re.sub(r"^String should", "must", message)
    if kind not in ("value_error", "assertion_error") and "input" in error:
        shown = repr(error["input"])
        if len(shown) > 40:
            shown = shown[:37] + "..."
        message += f" (found {shown})"
    return message


def looks_numeric(text: str) -> bool:
    """A text a user meant as a number (\"1000\", \"1_000\")."""
    try:
        float(text.replace("_", ""))
    except ValueError:
        return False
    return True


def _symbol_hint(raw: Any, loc: Sequence[int | str]) -> str:
    """' (NBIS)' for an entry of holdings or conditions, so the user finds it at once."""
    if len(loc) >= 2 and isinstance(loc[1], int) and isinstance(raw, dict):
        items = raw.get(loc[0])
        if isinstance(items, list) and loc[1] < len(items) and isinstance(items[loc[1]], dict):
            symbol = items[loc[1]].get("symbol")
            if isinstance(symbol, str):
                return f" ({symbol.strip().upper()[:20]})"
    return ""


def locate_line(text: str, loc: Sequence[int | str]) -> int | None:
    """Best guess of the 1-based line a field path points at, from table headers and keys."""
    lines = text.splitlines()
    headers: list[tuple[int, tuple[str, ...]]] = []
    for number, line in enumerate(lines):
        match = _HEADER.match(line)
        if match:
            name = tuple(p.strip().strip('"') for p in match.group(2).split("."))
            headers.append((number, name))
    header_lines = [number for number, _ in headers]

    def section_end(start: int) -> int:
        return next((n for n in header_lines if n > start), len(lines))

    start, end = 0, header_lines[0] if header_lines else len(lines)
    found: int | None = None
    path: list[str] = []
    parts = list(loc)
    index = 0
    while index < len(parts):
        part = parts[index]
        if isinstance(part, int):
            index += 1
            continue
        path.append(part)
        following = parts[index + 1] if index + 1 < len(parts) else None
        matches = [number for number, name in headers if name == tuple(path)]
        if matches:
            pick = following if isinstance(following, int) else 0
            if pick >= len(matches):
                break
            start = matches[pick]
            end = section_end(start)
            found = start + 1
            index += 2 if isinstance(following, int) else 1
            continue
        if any(name[: len(path)] == tuple(path) for _, name in headers):
            index += 1  # a deeper table header names this path: keep walking
            continue
        key = re.compile(rf'^\s*"?{re.escape(part)}"?\s*=')
        for number in range(start, end):
            if key.match(lines[number]):
                found = number + 1
                break
        break
    return found


def describe_validation_error(path: Path, text: str, raw: Any, error: ValidationError, model_for: ModelFor) -> str:
    problems: list[tuple[tuple[int | str, ...], str]] = []
    seen: set[tuple[Any, ...]] = set()
    for item in error.errors():
        loc = tuple(part for part in item["loc"] if not _is_union_tag(part))
        if loc not in seen:
            seen.add(loc)
            message = _describe({**item, "loc": loc}, model_for)
            if loc[-1:] == ("value",) and not _written_as_table(raw, loc[:-1]):
                loc = loc[:-1]  # the user wrote `pue = "high"`, not a table with a value key
            problems.append((loc, message))
    return describe_problems(path, text, raw, problems)


def describe_problems(
    path: Path, text: str, raw: Any, problems: Sequence[tuple[tuple[int | str, ...], str]]
) -> str:
    """One line per problem, in file order: 'line 5: holdings[0].shares (NBIS): …'."""
    located = []
    for loc, message in problems:
        line = locate_line(text, loc)
        where = f"line {line}: " if line else ""
        located.append((line or 0, f"  {where}{field_path(loc)}{_symbol_hint(raw, loc)}: {message}"))
    located.sort(key=lambda problem: problem[0])
    heading = "a problem" if len(located) == 1 else f"{len(located)} problems"
    return (
        f"The portfolio file {path} has {heading}:\n"
        + "\n".join(line for _, line in located)
    )


def _written_as_table(raw: Any, loc: Sequence[int | str]) -> bool:
    node = raw
    for part in loc:
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(node, dict)


def _is_union_tag(part: int | str) -> bool:
    # pydantic names a tried member of a union or a validator in brackets ("function-after[…]",
    # "list[str]"); plain words are the user's own keys, even "float" or "str".
    return isinstance(part, str) and "[" in part and part.endswith("]")
