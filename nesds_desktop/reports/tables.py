"""Data tables that run over pages cleanly: header row repeated, no row taller than a page.

reportlab can only break a table between rows (its in-row splitting misplaces repeated
headers), and a row taller than the frame stops the build.  So text the user typed, which
may be any length, is cut into pieces of a dozen lines and each piece after the
first goes in a continuation row of its own: drawn without a rule or padding between them,
the pieces read as one cell, and the table can break between any two of them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table

from nesds_desktop.reports import palette
from nesds_desktop.reports.fonts import FontSet
from nesds_desktop.reports.layout import FRAME_HEIGHT, Styles, table_style

#: A piece of long text fills at most this many lines (a row this tall is a fifth of a page), so a
#: table breaking before a piece leaves little space unused at the foot of a page.
LINES_PER_PIECE = 12
CELL_PADDING = 4.0
# A generous average character width (in ems), so estimates err towards shorter pieces.
_AVERAGE_CHARACTER_WIDTH = 0.62


@dataclass(frozen=True)
class LongText:
    """Plain text the user typed, for one cell."""

    text: str
    style: ParagraphStyle | None = None
    empty: str = ""
    """Mark-up shown when there is no text."""
    after: Flowable | None = None
    """Shown under the last piece, e.g. a secondary line."""


#: What a table cell holds: a flowable, a list of them, or user text to cut into pieces.
Cell: TypeAlias = "Flowable | list[Flowable] | LongText"


def mark_up(text: str) -> str:
    """Plain text as paragraph mark-up: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in text.strip().splitlines())


def text_pieces(text: str, chars_per_line: int, lines: int = LINES_PER_PIECE) -> list[str]:
    """``text`` cut, at line breaks where it can and else at spaces, into pieces estimated to
    wrap to at most ``lines`` lines of ``chars_per_line`` characters."""
    chars_per_line = max(chars_per_line, 1)
    pieces: list[str] = []
    current: list[str] = []
    used = 0
    for line in text.strip().splitlines():
        for segment in _segments(line, chars_per_line * lines):
            need = max(1, math.ceil(len(segment) / chars_per_line))
            if current and used + need > lines:
                pieces.append("\n".join(current))
                current, used = [], 0
            current.append(segment)
            used += need
    if current:
        pieces.append("\n".join(current))
    return pieces


def _segments(line: str, limit: int) -> list[str]:
    """``line`` in parts of at most ``limit`` characters: cut after the last sentence that ends
    in the second half of the limit, else at the last space (a word longer than that is cut)."""
    parts = []
    while len(line) > limit:
        window = line[: limit + 1]
        sentence_end = max(window.rfind(mark) for mark in (". ", "; ", "? ", "! ", ": "))
        if sentence_end >= limit // 2:
            cut = sentence_end + 1
        else:
            cut = window.rfind(" ")
            if cut <= 0:
                cut = limit
        parts.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    parts.append(line)
    return parts


def chars_per_line(width: float, style: ParagraphStyle) -> int:
    return int((width - 2 * CELL_PADDING) / (style.fontSize * _AVERAGE_CHARACTER_WIDTH))


def data_table(
    header: Sequence[str] | None,
    records: Sequence[Sequence[Cell]],
    widths: Sequence[float],
    styles: Styles,
    fonts: FontSet,
) -> Table:
    """A table with one record per item; the header row, if any, is repeated on every page."""
    rows: list[list[Cell | str]] = []
    commands: list[tuple[object, ...]] = []
    if header is not None:
        rows.append([Paragraph(escape(label), styles.cell_head) for label in header])
        commands += [
            ("BACKGROUND", (0, 0), (-1, 0), palette.LIGHT_FILL),
            ("LINEABOVE", (0, 0), (-1, 0), 0.6, palette.BORDER),
            ("LINEBELOW", (0, 0), (-1, 0), 0.9, palette.TEXT),
        ]
    for record in records:
        first = len(rows)
        rows.extend(_record_rows(record, widths, styles))
        last = len(rows) - 1
        commands.append(("LINEBELOW", (0, last), (-1, last), 0.4, palette.LIGHT_BORDER))
        if last > first:  # continuation rows: no gap between the pieces
            commands.append(("BOTTOMPADDING", (0, first), (-1, last - 1), 0))
            commands.append(("TOPPADDING", (0, first + 1), (-1, last), 0))
    style = table_style(
        fonts,
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5),
            *commands,
        ],
    )
    repeat = 1 if header is not None else 0
    table = Table(rows, colWidths=list(widths), repeatRows=repeat, hAlign="LEFT", style=style)
    # The height of the header and first row, measured on those rows alone (cheaper than the
    # whole table): keep_with_start keeps a heading with at least that much of the table.
    start = Table(rows[: repeat + 1], colWidths=list(widths), style=style)
    table.start_height = start.wrap(sum(widths), FRAME_HEIGHT)[1]
    return table


def _record_rows(record: Sequence[Cell], widths: Sequence[float], styles: Styles) -> list[list[Cell | str]]:
    columns: list[list[Cell | str]] = []
    for cell, width in zip(record, widths, strict=True):
        if isinstance(cell, LongText):
            columns.append(_long_cell(cell, width, styles))
        else:
            columns.append([cell])
    height = max(len(column) for column in columns)
    return [[column[i] if i < len(column) else "" for column in columns] for i in range(height)]


def _long_cell(cell: LongText, width: float, styles: Styles) -> list[Cell | str]:
    style = cell.style or styles.cell
    pieces = [mark_up(piece) for piece in text_pieces(cell.text, chars_per_line(width, style))]
    flowables: list[Cell | str] = [Paragraph(piece, style) for piece in pieces or [cell.empty]]
    if cell.after is not None:
        flowables[-1] = [flowables[-1], cell.after]
    return flowables
