"""A headless Textual driver that quits a moment after start: lets `-X importtime` see a whole start-up.

Chosen with TEXTUAL_DRIVER=bench.exit_driver:ExitDriver, so neither app's code changes; the screen
output goes nowhere and stderr carries only the import timings.
"""

from __future__ import annotations

import asyncio
import os
import sys

from textual.drivers.headless_driver import HeadlessDriver

EXIT_AFTER_SECONDS = float(os.environ.get("BENCH_EXIT_AFTER", "1.5"))


class ExitDriver(HeadlessDriver):
    def _get_terminal_size(self) -> tuple[int, int]:
        return (160, 50)

    def start_application_mode(self) -> None:
        # Textual routes sys.stderr into its log while the app runs, and -X importtime writes to
        # sys.stderr: without this, every import made after start (the screens' widgets) goes unseen.
        self._app._capture_stderr = sys.__stderr__  # type: ignore[assignment]
        super().start_application_mode()
        asyncio.get_running_loop().call_later(EXIT_AFTER_SECONDS, self._app.exit)
