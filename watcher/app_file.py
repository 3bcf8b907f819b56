"""The app's side of the portfolio file: noticing a save, applying it or showing its error, the editor."""

from __future__ import annotations

import subprocess
import threading
from typing import TYPE_CHECKING

from textual.app import SuspendNotSupported

from watcher.config import Config, ConfigError, load_config
from watcher.file_watch import POLL_SECONDS, editor_command, stamp
from watcher.fundamentals import companies_with
from watcher.quotes.provider import QuoteProvider

if TYPE_CHECKING:
    from watcher.app import NeowatchApp

    _Base = NeowatchApp
else:
    _Base = object


class PortfolioFileMixin(_Base):
    """neowatch never writes the file: it only reads it again when it changes."""

    _stop_watching: threading.Event

    def watch_portfolio_file(self) -> None:
        """Compare the file's stamp every second in a daemon thread; wake the UI only on a change.

        A plain daemon thread rather than a worker: it must never hold up quitting.
        """

        def watch() -> None:
            last = stamp(self.config.path)
            while not self._stop_watching.wait(POLL_SECONDS):
                now = stamp(self.config.path)
                if now != last:
                    last = now
                    try:
                        self.call_from_thread(self.reload_portfolio)
                    except RuntimeError:
                        return  # the app has stopped

        threading.Thread(target=watch, name="portfolio-file-watch", daemon=True).start()

    def reload_portfolio(self) -> None:
        """Apply a valid save at once; keep the last good portfolio and say why on a bad one."""
        try:
            new = load_config(self.config.path)
            provider = self._provider_for(new)
        except ConfigError as error:
            message = str(error)
            if message != self.file_error:
                self.notify("The portfolio file has an error: the last good version stays in use.",
                            severity="error", timeout=8)
            self.file_error = message
            return
        fixed = self.file_error is not None
        self.file_error = None
        if new == self.config:
            return
        self.apply_config(new, provider)
        self.notify(f"Reloaded {new.path.name}" + (": the error is fixed." if fixed else "."), timeout=4)

    def _provider_for(self, new: Config) -> QuoteProvider | None:
        """A new provider when the file changed what prices come from; ConfigError if it cannot be made."""
        if self.provider_factory is None or _provider_settings(new) == _provider_settings(self.config):
            return None
        return self.provider_factory(new)

    def apply_config(self, new: Config, provider: QuoteProvider | None = None) -> None:
        old = self.config
        self.config = new
        self.companies = companies_with(new.companies, self.sec.companies)
        if new.keys != old.keys:
            self.set_keymap(new.keys)
        if new.settings.theme != old.settings.theme and self.theme_name is None and new.settings.theme:
            self.use_theme(new.settings.theme)
        self.arming.margin_pct = new.alerts.hysteresis_pct
        new_provider = provider is not None
        if provider is not None:
            retired = self.provider
            self.provider = provider
            self.not_before = None  # the old provider's Retry-After binds only the old provider
            self.run_worker(retired.aclose(), group="retire-provider", exit_on_error=False)
        self.recompute()
        self.alert_on_crossings()
        new_symbols = set(new.symbols) - set(old.symbols)
        if new_symbols or (new.settings.sec_contact, new.settings.sec_url) != (old.settings.sec_contact, old.settings.sec_url):
            self.load_sec_figures()
        if new_provider or new_symbols or new.settings.refresh_interval != old.settings.refresh_interval:
            self.refresh_now()  # does nothing while a fetch runs; the next one sees the new file

    def action_edit_portfolio(self) -> None:
        command = editor_command()
        if command is None:
            self.notify(
                f"Set $VISUAL or $EDITOR to your editor, or edit {self.config.path} in another window: "
                "neowatch reloads it when it is saved.",
                severity="warning",
                timeout=10,
            )
            return
        try:
            with self.suspend():
                subprocess.run([*command, str(self.config.path)], check=False)
        except SuspendNotSupported:
            # No terminal to hand over (a test, a pipe): run it without suspending.
            subprocess.run([*command, str(self.config.path)], check=False, stdin=subprocess.DEVNULL)
        except OSError as error:
            self.notify(f"Could not start the editor {command[0]}: {error.strerror or error}", severity="error")
            return
        self.reload_portfolio()


def _provider_settings(config: Config) -> tuple[object, ...]:
    return (config.settings.provider, config.yahoo_url(), config.finnhub_url(), config.finnhub_token())
