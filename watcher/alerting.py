"""Alert channels beyond the screen: a command hook run without a shell, and desktop notices."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from watcher import format as fmt
from watcher.domain.conditions import ConditionStatus, clause_rule

COMMAND_TIMEOUT_SECONDS = 10.0
PLACEHOLDERS = ("symbol", "label", "price", "trigger", "distance", "time")
"""What an alert command's arguments may name in braces: the keys of Alert.values()."""
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True, slots=True)
class Alert:
    """A condition that just became met, with the values a channel may show."""

    symbol: str
    label: str
    price: float | None
    rule: str
    """The clauses, e.g. "price < 133"."""
    distance: str
    """e.g. "3.5 % below 133"."""
    fired_at: datetime

    @property
    def title(self) -> str:
        return f"BUY {self.symbol}"

    @property
    def message(self) -> str:
        return f"{self.label} — {self.distance}"

    def values(self) -> dict[str, str]:
        return {
            "symbol": self.symbol,
            "label": self.label,
            "price": fmt.plain_number(self.price) if self.price is not None else "",
            "trigger": self.rule,
            "distance": self.distance,
            "time": self.fired_at.isoformat(timespec="seconds"),
        }


def alert_for(status: ConditionStatus, price: float | None, fired_at: datetime) -> Alert:
    return Alert(
        symbol=status.condition.symbol,
        label=status.condition.label,
        price=price,
        rule=" and ".join(clause_rule(clause) for clause in status.clauses),
        distance="; ".join(clause.distance for clause in status.clauses),
        fired_at=fired_at,
    )


def expand_command(template: Sequence[str], values: Mapping[str, str]) -> list[str]:
    """Each argument with its placeholders replaced, once: a value is never read as a template."""
    return [
        _PLACEHOLDER.sub(lambda match: values.get(match.group(1), match.group(0)), argument)
        for argument in template
    ]


async def run_command(argv: Sequence[str], timeout: float = COMMAND_TIMEOUT_SECONDS) -> str | None:
    """Run the hook without a shell; None when it succeeded, else what went wrong, in words."""
    program = argv[0]
    try:
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
        )
    except FileNotFoundError:
        return f"alert command not found: {program}"
    except PermissionError:
        return f"alert command is not executable: {program}"
    except OSError as error:
        return f"alert command {program} could not start ({error.strerror or error})"
    try:
        _, errors = await asyncio.wait_for(process.communicate(), timeout)
    except TimeoutError:
        process.kill()
        await process.wait()
        return f"alert command {program} ran over {timeout:g} s and was stopped"
    if process.returncode != 0:
        said = _UNPRINTABLE.sub(" ", errors.decode("utf-8", "replace")).strip()[:120]
        return f"alert command {program} failed (exit {process.returncode})" + (f": {said}" if said else "")
    return None


async def send_desktop_notification(title: str, message: str) -> str | None:
    """A desktop notice through the optional desktop-notifier package; None when sent."""
    try:
        from desktop_notifier import DesktopNotifier
    except ImportError:
        return "desktop notifications need the optional extra: pip install 'neowatch[desktop]'"
    try:
        await DesktopNotifier(app_name="neowatch").send(title=title, message=message)
    except Exception as error:  # noqa: BLE001 - a missing notification daemon must not stop alerts
        return f"desktop notification failed ({type(error).__name__})"
    return None


async def send_out(alert: Alert, desktop: bool, command: Sequence[str] | None) -> list[str]:
    """The channels that leave the screen: a desktop notice, the user's command; what went wrong."""
    problems = []
    if desktop:
        problems.append(await send_desktop_notification(alert.title, alert.message))
    if command:
        problems.append(await run_command(expand_command(command, alert.values())))
    return [problem for problem in problems if problem]
