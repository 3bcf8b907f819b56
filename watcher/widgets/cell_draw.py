"""One table cell drawn straight to styled segments: padded, aligned and cut to its column.

Most cells are one styled string, drawn as one segment without going through Rich's renderer;
only a cell with spans (a styled part, rare) is rendered by Rich.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Literal, cast

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

CELL_PADDING = 1
"""Blank cells each side of a cell's text."""


def cell_segments(cell: Text, width: int, style: Style, cursor: bool = False) -> list[Segment]:
    """One cell, padded and aligned to `width`: its text in its own style over the row's.

    On a cursor row the cursor's colour wins over the cell's (and its spans'), but a cell's own
    background (the BUY mark) and weight stay.
    """
    pad = Segment(" " * CELL_PADDING, style)
    if cell.spans:
        return [pad, *_rendered(cell, width, style, cursor), pad]
    text = cell.plain
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    gap = width - cell_len(text)
    if cell.justify == "right":
        text = " " * gap + text
    elif cell.justify == "center":
        text = " " * (gap // 2) + text + " " * (gap - gap // 2)
    else:
        text += " " * gap
    return [pad, Segment(text, style + _own(cell.style, cursor)), pad]


def _own(style: str | Style | None, cursor: bool) -> Style:
    """A cell's own style as drawn: on the cursor row only its background and weight."""
    own = style if isinstance(style, Style) else Style.parse(style) if style else Style.null()
    return Style(bgcolor=own.bgcolor, bold=own.bold) if cursor else own


Justify = Literal["left", "center", "right", "full"]


def _rendered(cell: Text, width: int, style: Style, cursor: bool) -> list[Segment]:
    justify = cast(Justify, cell.justify or "left")
    line = Text(cell.plain, style=cell.style, spans=cell.spans, justify=justify, no_wrap=True, end="")
    line.truncate(width, overflow="ellipsis")
    line.align("left" if justify == "full" else justify, width)
    return [Segment(seg.text, style + _own(seg.style, cursor)) for seg in line.render(_console())]


@cache
def _console() -> Console:
    # Made for the first cell with spans only; plain cells never need one.
    from rich.console import Console

    return Console(width=200, color_system="truecolor", legacy_windows=False)
