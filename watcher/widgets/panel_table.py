"""A titled table of fixed columns that only displays: the base of the read-only panels."""

from __future__ import annotations

from watcher.widgets.line_table import LineTable


class PanelTable(LineTable):
    """Subclasses name their columns (COLUMNS) and title (TITLE); the rows come from their `show`."""
