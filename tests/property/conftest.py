"""Property tests: one reproducible Hypothesis profile, and how many examples each property ran.

The "ci" profile is derandomized and keeps no example database: the same command on the same
tree runs the same examples. Not across different selections, though: Hypothesis mixes in
literals it harvests from the project's modules that happen to be imported, so `pytest` (all
tests) and `pytest tests/property` draw somewhat different examples, and any new literal in
watcher/ shifts them. A failure therefore prints its example and a @reproduce_failure blob.
For a longer, random hunt:

    HYPOTHESIS_PROFILE=hunt python -m pytest tests/property

The terminal summary of every run lists the examples each property executed (generation,
explicit examples and shrinking all count) and what they came to, e.g. "Config 120,
ConfigError 180", so a property that silently stopped exercising its target is visible. A
property whose function never ran is a failure, not a pass.
"""

from __future__ import annotations

import functools
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings

HERE = Path(__file__).resolve().parent

settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,  # a CI failure comes with @reproduce_failure(...) to replay it anywhere
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "hunt",
    max_examples=5_000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

EXAMPLES: Counter[str] = Counter()
"""Examples executed, by test node id."""
OUTCOMES: dict[str, Counter[str]] = {}
"""What the examples came to, by test node id, as the tests report it through tally()."""
_running: list[str] = []


def light() -> settings:
    """A third of the profile's examples, for a property that is cheap to satisfy or a
    side-check of a main one; applied as a decorator: @light()."""
    return settings(max_examples=max(30, settings().max_examples // 3))


def tally(outcome: str) -> None:
    """Record what one example came to ("Quote", "QuoteFailure", "ConfigError" …)."""
    if _running:
        OUTCOMES.setdefault(_running[-1], Counter())[outcome] += 1


def pytest_configure(config: pytest.Config) -> None:
    # --hypothesis-profile and HYPOTHESIS_PROFILE still win; otherwise CI's profile.
    chosen = config.getoption("hypothesis_profile", None) or os.environ.get("HYPOTHESIS_PROFILE")
    settings.load_profile(chosen or "ci")


def _counting(inner: Any) -> Any:
    @functools.wraps(inner)
    def run(*args: Any, **kwargs: Any) -> Any:
        if _running:
            EXAMPLES[_running[-1]] += 1
        return inner(*args, **kwargs)

    run._counts_examples = True  # type: ignore[attr-defined]
    return run


def _is_ours(item: pytest.Item) -> bool:
    return HERE in Path(str(item.path)).resolve().parents


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Hypothesis reads `.hypothesis.inner_test` when the test runs, and lets plugins wrap it.
    for item in items:
        handle = getattr(getattr(item, "obj", None), "hypothesis", None)
        if _is_ours(item) and handle is not None and not getattr(handle.inner_test, "_counts_examples", False):
            handle.inner_test = _counting(handle.inner_test)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    is_property = getattr(getattr(item, "obj", None), "hypothesis", None) is not None
    if not (_is_ours(item) and is_property):
        return (yield)
    _running.append(item.nodeid)
    EXAMPLES[item.nodeid] += 0  # listed even if it runs none
    try:
        result = yield
    finally:
        _running.pop()
    if EXAMPLES[item.nodeid] == 0:
        raise AssertionError(f"{item.nodeid} ran no examples: the property tested nothing")
    return result


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not EXAMPLES:
        return
    profile = settings.get_current_profile_name()
    terminalreporter.write_sep("-", f"hypothesis examples per property (profile {profile!r})")
    width = max(len(f"{n:,}") for n in EXAMPLES.values())
    for nodeid, count in EXAMPLES.items():
        outcomes = OUTCOMES.get(nodeid)
        detail = ""
        if outcomes:
            detail = "  [" + ", ".join(f"{name} {n}" for name, n in outcomes.most_common()) + "]"
        terminalreporter.write_line(f"{count:>{width},} {nodeid.rsplit('/', 1)[-1]}{detail}")
    total = sum(EXAMPLES.values())
    terminalreporter.write_line(f"{total:,} examples in {len(EXAMPLES)} properties")
