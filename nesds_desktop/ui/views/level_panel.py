"""The live levels: the standard's level and why, then every section's level and shares met.

The section of the current criterion is opened out with its explanation and full shares,
so the room sees at once what the judgement just given did to its section.  All text is in
scrolling text browsers, so nothing is clipped however far the view is zoomed; the
standard's part is given the height its explanation and shares need (up to most of the
panel), and the panel a width of about 36 characters, so at 1366x768 they read in full.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QPushButton, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from nesds_desktop.domain.level_rule import LEVEL_RULE, LevelShare, SectionResult, StandardResult

CURRENT_MARK = "▶"
RULE_ANCHOR = "level-rule"
MIN_WIDTH_CHARS = 36  # "Share met: Minimum 35% · Progressing 5%" on one line, the explanation in few
MAX_STANDARD_SHARE = 0.6  # of the panel's height; the sections keep the rest
MIN_SECTIONS_HEIGHT_LINES = 6


def percent(share: LevelShare) -> str:
    """The share as a whole percentage rounded down (100% only when all are met), or "n/a" when none apply."""
    if not share.applicable:
        return "n/a"
    return f"{(2 * share.met + share.partly_met) * 100 // (2 * share.applicable)}%"


def compact_shares(shares: tuple[LevelShare, ...]) -> str:
    """E.g. "M 100% · P 25% · E 0%" (the letters are the ones in criterion references)."""
    return " · ".join(f"{share.level.letter} {percent(share)}" for share in shares)


def standard_html(result: StandardResult, show_rule: bool) -> str:
    shares = " · ".join(f"{share.level.label} {percent(share)}" for share in result.shares)
    rule = f"<h4><a name='{RULE_ANCHOR}'></a>The level rule</h4><p>{escape(LEVEL_RULE)}</p>" if show_rule else ""
    return (
        "<p style='margin-bottom:0'>Level of the standard</p>"
        f"<p style='font-size:x-large; margin-top:0'><b>{escape(result.level_label)}</b></p>"
        f"<p>{escape(result.explanation)}</p><p>Share met: {shares}</p>{rule}"
    )


def section_html(section: SectionResult, current: bool) -> str:
    mark = f"<a name='section-{section.number}'></a>{CURRENT_MARK} " if current else ""
    head = f"<b>{mark}{section.number}. {escape(section.title)}</b><br>Level: <b>{escape(section.level_label)}</b>"
    if not current:
        return f"<p>{head}<br>{escape(compact_shares(section.shares))}</p>"
    shares = "<br>".join(f"{share.level.label}: {escape(share.share_text)}" for share in section.shares)
    return (
        "<table width='100%' cellpadding='4' style='background-color:#eef3fb; border:1px solid #7d95b8'>"
        f"<tr><td>{head}<br>{shares}<br><i>{escape(section.explanation)}</i></td></tr></table>"
    )


def sections_html(result: StandardResult, current_section: int | None) -> str:
    return "".join(section_html(s, s.number == current_section) for s in result.sections)


class LevelPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: StandardResult | None = None
        self._shown_section: int | None = None
        self.standard_view = QTextBrowser()
        self.standard_view.setAccessibleName("Level of the standard and why")
        self.standard_view.setOpenLinks(False)
        self.sections_view = QTextBrowser()
        self.sections_view.setAccessibleName("Level of each section")
        self.sections_view.setOpenLinks(False)
        self.rule_button = QPushButton("Show the level r&ule")
        self.rule_button.setCheckable(True)
        self.rule_button.setAccessibleName("Show the level rule")
        self.rule_button.setAutoDefault(False)
        self.rule_button.toggled.connect(self._show_rule)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.standard_view)
        self.splitter.addWidget(self.sections_view)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.splitter, 1)
        layout.addWidget(self.rule_button)

    def rule_shown(self) -> bool:
        return self.rule_button.isChecked()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        # In characters of the current font, so a zoomed view keeps its explanation readable.
        hint = super().minimumSizeHint()
        return QSize(max(hint.width(), self.fontMetrics().averageCharWidth() * MIN_WIDTH_CHARS), hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_standard()

    def _fit_standard(self) -> None:
        """Give the standard's part the height its text needs, so the explanation is not cut off."""
        total = self.splitter.height()
        if total <= 0 or not self.isVisible():
            return
        view = self.standard_view
        document = view.document()
        document.setTextWidth(view.viewport().width())
        frame = view.height() - view.viewport().height()
        needed = int(document.size().height()) + frame + 2
        line = self.fontMetrics().lineSpacing()
        wanted = min(needed, int(total * MAX_STANDARD_SHARE), total - line * MIN_SECTIONS_HEIGHT_LINES)
        wanted = max(wanted, line * 4)
        if abs(self.splitter.sizes()[0] - wanted) > 2:
            self.splitter.setSizes([wanted, total - wanted - self.splitter.handleWidth()])

    def _show_rule(self, shown: bool) -> None:
        self.rule_button.setText("Hide the level r&ule" if shown else "Show the level r&ule")
        self._render_standard()
        if shown:
            self.standard_view.scrollToAnchor(RULE_ANCHOR)

    def apply_zoom(self) -> None:
        """Nothing to scale by hand: the browsers follow the view's font."""
        if self._result is not None:
            self.set_result(self._result, self._shown_section)

    def set_result(self, result: StandardResult, current_section: int | None) -> None:
        self._result = result
        self._render_standard()
        scroll = self.sections_view.verticalScrollBar().value()
        self.sections_view.setHtml(sections_html(result, current_section))
        if current_section is not None and current_section != self._shown_section:
            self.sections_view.scrollToAnchor(f"section-{current_section}")
        else:
            self.sections_view.verticalScrollBar().setValue(scroll)
        self._shown_section = current_section

    def _render_standard(self) -> None:
        if self._result is None:
            return
        scroll = self.standard_view.verticalScrollBar().value()
        self.standard_view.setHtml(standard_html(self._result, self.rule_shown()))
        if not self.rule_shown():  # the rule is long: read by scrolling, the panel keeps its shape
            self._fit_standard()
        self.standard_view.verticalScrollBar().setValue(scroll)
