"""Page furniture shared by reports: A4 pages, running header, "Page x of y", bookmarks, styles.

"Page x of y" needs the page count before any page is written, so :class:`_DeferredCanvas`
keeps every finished page in memory and writes them all when the document is saved.  The
recipe usually breaks bookmarks (a bookmark binds to the page being written, and while
pages are held back that is always the first), so the canvas also holds back each page's
bookmarks and binds them as that page is really written.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, BinaryIO

from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    PageTemplate,
    Paragraph,
    TableStyle,
)

from nesds_desktop.reports import palette
from nesds_desktop.reports.fonts import FontSet, register_fonts

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN_LEFT = MARGIN_RIGHT = 20 * mm
MARGIN_TOP = 23 * mm
MARGIN_BOTTOM = 18 * mm
FRAME_WIDTH = PAGE_WIDTH - MARGIN_LEFT - MARGIN_RIGHT
FRAME_HEIGHT = PAGE_HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
HEADER_BASELINE = PAGE_HEIGHT - 14 * mm
FOOTER_BASELINE = 11 * mm
LANGUAGE = "en-GB"

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class DocumentInfo:
    """What the PDF says about itself (metadata) and on every page (header and footer)."""

    title: str
    author: str
    subject: str
    creator: str
    header_left: str
    header_right: str
    footer_left: str
    keywords: tuple[str, ...] = ()
    language: str = LANGUAGE


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    body_secondary: ParagraphStyle
    lead: ParagraphStyle
    note: ParagraphStyle
    eyebrow: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    h1: ParagraphStyle
    h1_tight: ParagraphStyle
    h2: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_secondary: ParagraphStyle
    cell_head: ParagraphStyle
    figure_label: ParagraphStyle
    figure_value: ParagraphStyle


def make_styles(fonts: FontSet) -> Styles:
    regular, bold = fonts.regular, fonts.bold
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=9.5, leading=13.5, textColor=palette.TEXT, spaceAfter=5, alignment=TA_LEFT
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=8.5, leading=10.5, spaceAfter=0)
    return Styles(
        body=body,
        body_secondary=ParagraphStyle("body_secondary", parent=body, textColor=palette.SECONDARY_TEXT),
        lead=ParagraphStyle("lead", parent=body, spaceAfter=3),
        note=ParagraphStyle(
            "note", parent=body, fontSize=8, leading=10.5, textColor=palette.SECONDARY_TEXT, spaceAfter=2
        ),
        eyebrow=ParagraphStyle(
            "eyebrow", parent=body, fontSize=8.5, leading=11, textColor=palette.SECONDARY_TEXT, spaceAfter=3
        ),
        title=ParagraphStyle("title", parent=body, fontName=bold, fontSize=18, leading=22, spaceAfter=3),
        subtitle=ParagraphStyle("subtitle", parent=body, fontSize=12, leading=15, spaceAfter=4),
        h1=ParagraphStyle("h1", parent=body, fontName=bold, fontSize=15, leading=19, spaceBefore=16, spaceAfter=7),
        h1_tight=ParagraphStyle(
            "h1_tight", parent=body, fontName=bold, fontSize=15, leading=19, spaceBefore=6, spaceAfter=7
        ),
        h2=ParagraphStyle("h2", parent=body, fontName=bold, fontSize=11, leading=14, spaceBefore=8, spaceAfter=3),
        cell=cell,
        cell_bold=ParagraphStyle("cell_bold", parent=cell, fontName=bold),
        cell_secondary=ParagraphStyle("cell_secondary", parent=cell, textColor=palette.SECONDARY_TEXT),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=bold),
        figure_label=ParagraphStyle("figure_label", parent=cell, textColor=palette.SECONDARY_TEXT),
        figure_value=ParagraphStyle(
            "figure_value", parent=body, fontName=bold, fontSize=13.5, leading=17, spaceBefore=2, spaceAfter=0
        ),
    )


def table_style(fonts: FontSet, commands: Sequence[tuple[Any, ...]]) -> TableStyle:
    """A table style whose cells start in the bundled font: reportlab sets each cell's font
    even when the cell holds a paragraph, and its default is Helvetica (not embedded)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), fonts.regular), *commands])


def keep_with_start(heading: Flowable, *following: Flowable) -> list[Flowable]:
    """``heading`` and ``following``, moved to a new page unless the heading fits there with
    the start of what follows (up to and including a data table's header and first row).

    Rather than reportlab's keepWithNext, which moves a heading and a long table together to
    the next page even when the table would then break anyway, leaving a page nearly empty.
    """
    needed = _height(heading)
    for flowable in following:
        start_height = getattr(flowable, "start_height", None)
        if start_height is not None:  # a data table (tables.data_table): it may break after any row
            needed += flowable.getSpaceBefore() + start_height
            break
        needed += _height(flowable)
    return [CondPageBreak(needed), heading, *following]


def _height(flowable: Flowable) -> float:
    return float(flowable.wrap(FRAME_WIDTH, FRAME_HEIGHT)[1] + flowable.getSpaceBefore() + flowable.getSpaceAfter())


class Heading(Paragraph):  # type: ignore[misc]  # reportlab has no type hints
    """A heading that is also an outline bookmark (the PDF's navigable table of contents)."""

    def __init__(self, text: str, style: ParagraphStyle, *, outline_title: str, outline_level: int, key: str) -> None:
        super().__init__(text, style)
        self.outline_title = outline_title
        self.outline_level = outline_level
        self.key = key

    def draw(self) -> None:
        super().draw()
        # Origin is the flowable's bottom left: the bookmark opens with the heading at the top.
        self.canv.bookmarkHorizontal(self.key, 0, self.height + 6)
        self.canv.addOutlineEntry(self.outline_title, self.key, level=self.outline_level, closed=False)


class _DeferredCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
    """Holds finished pages back until the end, so each footer can say "Page x of y"."""

    def __init__(self, *args: Any, fonts: FontSet, footer: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._fonts = fonts
        self._footer = footer
        self._held_pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[tuple[str, dict[str, Any]]] = []

    def bookmarkPage(self, key: str, **kwargs: Any) -> None:  # noqa: N802 (reportlab's name)
        self._page_bookmarks.append((key, kwargs))

    def showPage(self) -> None:  # noqa: N802 (reportlab's name)
        self._held_pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for state in self._held_pages:
            self.__dict__.update(state)
            for key, kwargs in self._page_bookmarks:
                Canvas.bookmarkPage(self, key, **kwargs)
            self._draw_footer(total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_footer(self, total: int) -> None:
        # Drawn last on the page, so text extraction and reflow read it after the body.
        self.saveState()
        self.setStrokeColor(palette.BORDER)
        self.setLineWidth(0.5)
        self.line(MARGIN_LEFT, FOOTER_BASELINE + 9, PAGE_WIDTH - MARGIN_RIGHT, FOOTER_BASELINE + 9)
        self.setFont(self._fonts.regular, 7.5)
        self.setFillColor(palette.SECONDARY_TEXT)
        self.drawString(MARGIN_LEFT, FOOTER_BASELINE, self._footer)
        self.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, FOOTER_BASELINE, f"Page {self._pageNumber} of {total}")
        self.restoreState()


def _draw_header(canvas: Canvas, info: DocumentInfo, fonts: FontSet) -> None:
    """The running header: the council, the document and the round."""
    canvas.saveState()
    canvas.setFont(fonts.bold, 8)
    canvas.setFillColor(palette.TEXT)
    canvas.drawString(MARGIN_LEFT, HEADER_BASELINE, info.header_left)
    canvas.setFont(fonts.regular, 8)
    canvas.setFillColor(palette.SECONDARY_TEXT)
    canvas.drawRightString(PAGE_WIDTH - MARGIN_RIGHT, HEADER_BASELINE, info.header_right)
    canvas.setStrokeColor(palette.ACCENT)
    canvas.setLineWidth(1)
    canvas.line(MARGIN_LEFT, HEADER_BASELINE - 5, PAGE_WIDTH - MARGIN_RIGHT, HEADER_BASELINE - 5)
    canvas.restoreState()


def build_pdf(
    target: BinaryIO,
    story: Sequence[Flowable],
    info: DocumentInfo,
    *,
    fonts: FontSet | None = None,
    progress: ProgressCallback | None = None,
) -> int:
    """Lay ``story`` out on A4 pages into ``target``; returns the number of pages."""
    fonts = fonts or register_fonts()
    doc = BaseDocTemplate(
        target,
        pagesize=A4,
        leftMargin=MARGIN_LEFT,
        rightMargin=MARGIN_RIGHT,
        topMargin=MARGIN_TOP,
        bottomMargin=MARGIN_BOTTOM,
        title=info.title,
        author=info.author,
        subject=info.subject,
        creator=info.creator,
        producer=info.creator,
        keywords=list(info.keywords),
        lang=info.language,
        displayDocTitle=True,
        # The canvas starts every page in this font: without it, Helvetica (not embedded) is named.
        initialFontName=fonts.regular,
        initialFontSize=9.5,
        initialLeading=13.5,
    )
    frame = Frame(
        MARGIN_LEFT, MARGIN_BOTTOM, FRAME_WIDTH, FRAME_HEIGHT, leftPadding=0, rightPadding=0, topPadding=0,
        bottomPadding=0, id="body",
    )  # fmt: skip
    doc.addPageTemplates(
        [PageTemplate(id="page", frames=[frame], onPage=lambda canvas, _doc: _draw_header(canvas, info, fonts))]
    )
    if progress is not None:
        doc.setProgressCallBack(_progress_adapter(progress, len(story)))

    def make_canvas(*args: Any, **kwargs: Any) -> _DeferredCanvas:
        canvas = _DeferredCanvas(*args, fonts=fonts, footer=info.footer_left, **kwargs)
        canvas.showOutline()  # the viewer opens with the bookmarks shown
        return canvas

    doc.build(list(story), canvasmaker=make_canvas)
    return int(doc.page)


def _progress_adapter(progress: ProgressCallback, total: int) -> Callable[[str, int], None]:
    def report(kind: str, value: int) -> None:
        if kind == "PROGRESS":
            progress(min(value, total), total)
        elif kind == "FINISHED":
            progress(total, total)

    return report
