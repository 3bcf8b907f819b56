"""A table's rows as data: cells by key, their order, and a version per row that changes only
when the row reads differently. The version is what a drawn line is kept under."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text


def same_cell(old: object, new: object) -> bool:
    """Equal as shown: rich's Text compares only text and spans, not its own style (a theme change)."""
    if old is new:
        return True
    if isinstance(old, Text) and isinstance(new, Text):
        # A style written as text and the same style as a Style object count as different:
        # the cell is drawn once more, never left wrong.
        return (
            old.plain == new.plain
            and old.justify == new.justify
            and old.style == new.style
            and old.spans == new.spans
        )
    return old == new


class KeyedRows:
    """Rows of cells by key, in order. Each row has a version that changes when its cells read
    differently: the key under which its drawn line is kept."""

    def __init__(self) -> None:
        self.order: list[str] = []
        self.cells: dict[str, Sequence[Text]] = {}
        self.version: dict[str, int] = {}
        self._versions = 0

    def put(self, key: str, cells: Sequence[Text]) -> bool:
        """Keep `cells` as `key`'s row; True when they read differently from before."""
        old = self.cells.get(key)
        if old is not None and len(old) == len(cells) and all(same_cell(a, b) for a, b in zip(old, cells, strict=True)):
            return False
        self.cells[key] = cells
        # One count for all rows: a row that leaves and comes back never meets its old lines.
        self._versions += 1
        self.version[key] = self._versions
        return True

    def arrange(self, order: Sequence[str]) -> bool:
        """The rows in `order`, any other dropped; True when the order changed.

        Every key in `order` must have been `put`: a row without cells could not be drawn.
        """
        wanted = list(order)
        if wanted == self.order:
            return False
        missing = [key for key in wanted if key not in self.cells]
        if missing:
            raise KeyError(f"rows without cells: {', '.join(missing)}")
        for gone in set(self.order) - set(wanted):
            self.cells.pop(gone, None)
            self.version.pop(gone, None)
        self.order = wanted
        return True

    def index(self, key: str) -> int:
        return self.order.index(key)
