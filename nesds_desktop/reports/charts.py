"""The level-by-section chart: a table of sections whose level columns hold bars.

Each row names a section and its level in words; under Minimum, Progressing and Excellent
a bar drawn with reportlab graphics shows the share of that level's applicable criteria
met (partly met counting half), with the percentage written beside it.  So the chart
reads without colour, its figures are in a table, and every label is in the bundled font.
"""

from __future__ import annotations

from collections.abc import Sequence
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.platypus import Paragraph, Table

from nesds_desktop.domain.level_rule import LevelShare, StandardResult
from nesds_desktop.domain.levels import Level
from nesds_desktop.reports import palette
from nesds_desktop.reports.fonts import FontSet
from nesds_desktop.reports.layout import FRAME_WIDTH, Styles, table_style

LABEL_SIZE = 7.5
BAR_HEIGHT = 7.0
CELL_HEIGHT = 10.0
PERCENT_WIDTH = 26.0
SECTION_WIDTH = 196.0
LEVEL_WIDTH = 70.0
_LEVELS = tuple(Level)


def share_bar(share: LevelShare, fonts: FontSet, width: float, *, bold: bool = False) -> Drawing:
    """A bar ``width`` points wide filled to ``share``'s share, with the percentage after it."""
    drawing = Drawing(width, CELL_HEIGHT, initialFontName=fonts.regular, initialFontSize=LABEL_SIZE)
    track = width - PERCENT_WIDTH - 4
    y = (CELL_HEIGHT - BAR_HEIGHT) / 2
    value = share.share
    if value is None:
        drawing.add(_label(0, "none apply", fonts.regular, palette.SECONDARY_TEXT))
        return drawing
    drawing.add(
        Rect(0, y, track, BAR_HEIGHT, fillColor=palette.LIGHT_FILL, strokeColor=palette.BORDER, strokeWidth=0.4)
    )
    if value > 0:
        drawing.add(Rect(0, y, track * value, BAR_HEIGHT, fillColor=palette.ACCENT, strokeColor=None))
    drawing.add(_label(width, _percent(share), fonts.bold if bold else fonts.regular, palette.TEXT, anchor="end"))
    return drawing


def level_by_section_chart(result: StandardResult, fonts: FontSet, styles: Styles, width: float = FRAME_WIDTH) -> Table:
    """One row per section and a last row for the standard; the header row repeats if it splits."""
    bar_width = (width - SECTION_WIDTH - LEVEL_WIDTH) / len(_LEVELS)
    inner = bar_width - 8  # the cell's padding

    def row(label: str, level_label: str, shares: Sequence[LevelShare], *, total: bool) -> list[object]:
        text_style = styles.cell_bold if total else styles.cell
        return [
            Paragraph(escape(label), text_style),
            Paragraph(escape(level_label), styles.cell_bold),
            *(share_bar(share, fonts, inner, bold=total) for share in shares),
        ]

    header = [
        Paragraph("Section", styles.cell_head),
        Paragraph("Level", styles.cell_head),
        *(Paragraph(level.label, styles.cell_head) for level in _LEVELS),
    ]
    rows: list[list[object]] = [header]
    rows.extend(
        row(f"{section.number}  {section.title}", section.level_label, section.shares, total=False)
        for section in result.sections
    )
    rows.append(row("Standard (all sections)", result.level_label, result.shares, total=True))
    table = Table(
        rows, colWidths=[SECTION_WIDTH, LEVEL_WIDTH, *([bar_width] * len(_LEVELS))], repeatRows=1, hAlign="LEFT"
    )
    table.setStyle(
        table_style(
            fonts,
            [
                ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
                ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
                ("BACKGROUND", (0, 0), (-1, 0), palette.LIGHT_FILL),
                ("LINEABOVE", (0, 0), (-1, 0), 0.6, palette.BORDER),
                ("LINEBELOW", (0, 0), (-1, 0), 0.9, palette.TEXT),
                ("LINEBELOW", (0, 1), (-1, -2), 0.4, palette.LIGHT_BORDER),
                ("LINEABOVE", (0, -1), (-1, -1), 0.9, palette.TEXT),
                ("LINEBELOW", (0, -1), (-1, -1), 0.6, palette.BORDER),
                ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ],
        )
    )
    return table


def _percent(share: LevelShare) -> str:
    """Rounded down, like the level rule's share text, so 100% only ever means all met."""
    applicable = share.applicable
    return f"{(2 * share.met + share.partly_met) * 100 // (2 * applicable)}%" if applicable else ""


def _label(x: float, text: str, font: str, colour: object, *, anchor: str = "start") -> String:
    return String(x, (CELL_HEIGHT - LABEL_SIZE) / 2 + 1, text, fontName=font, fontSize=LABEL_SIZE,
                  fillColor=colour, textAnchor=anchor)  # fmt: skip
