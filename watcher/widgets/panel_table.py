"""A titled table of fixed columns that only displays: the base of the read-only panels."""

from __future__ import annotations

from typing import ClassVar

from watcher.widgets.table_sync import SyncedTable


class PanelTable(SyncedTable):
    """Subclasses name their columns and title; the rows come from their `show`."""

    DEFAULT_CSS = """
    PanelTable { height: auto; }
    """
    COLUMNS: ClassVar[tuple[tuple[str, str], ...]] = ()
    """(key, header) pairs."""
    TITLE: ClassVar[str] = ""

    def __init__(self, *, selectable: bool = False, **kwargs: object) -> None:
        if selectable:
            super().__init__(cursor_type="row", zebra_stripes=True, **kwargs)  # type: ignore[arg-type]
        else:
            super().__init__(cursor_type="none", show_cursor=False, **kwargs)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self.border_title = self.TITLE
        for key, label in self.COLUMNS:
            self.add_column(label, key=key)
