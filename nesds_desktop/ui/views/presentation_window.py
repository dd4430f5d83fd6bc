"""The presentation view: what the room sees on the projector, in large type.

A second top-level window, put on a second screen when there is one.  It shows the
criterion the facilitator is on (reference, level, statement), its judgement as symbol and
words, and the live level of every section and of the standard with its explanation.  It
follows the facilitator (``follow``) and reads the store again after every committed
change while it is shown.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QGuiApplication, QHideEvent, QKeySequence, QScreen, QShowEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QVBoxLayout, QWidget
from shiboken6 import Shiboken

from nesds_desktop._version import APP_NAME
from nesds_desktop.domain.catalogue import Criterion, Section, Standard
from nesds_desktop.domain.level_rule import StandardResult
from nesds_desktop.domain.records import AssessmentSummary, CriterionAnswer
from nesds_desktop.services.workbook_service import NotFoundError, WorkbookService

MIN_ZOOM = 0.5
MAX_ZOOM = 3.0
ZOOM_STEP = 1.15

# Point sizes at zoom 1: chosen so a 1366x768 projector shows a long statement and all sections.
_SIZES = {"context": 15.0, "ref": 30.0, "statement": 24.0, "judgement": 30.0, "levels": 15.0, "standard": 19.0}

ScreenT = TypeVar("ScreenT")


def presentation_screen(screens: Sequence[ScreenT], facilitator_screen: ScreenT | None) -> ScreenT | None:
    """The screen for the room: the first one the facilitator is not using; None with one screen."""
    if len(screens) < 2:
        return None
    return next((screen for screen in screens if screen != facilitator_screen), None)


def _label(name: str, *, wrap: bool = True) -> QLabel:
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
    return label


class PresentationWindow(QWidget):
    #: True when the window is shown, False when hidden or closed (by F5, Escape or the user).
    shownChanged = Signal(bool)  # noqa: N815 (Qt naming)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle(f"{APP_NAME} — Presentation")
        self.setAccessibleName("Presentation view")
        self.service: WorkbookService | None = None
        self.assessment_id: int | None = None
        self.ref: str | None = None
        self.zoom = 1.0
        self._summary: AssessmentSummary | None = None
        self._standard: Standard | None = None
        self._listening = False

        self.context_label = _label("context")
        self.ref_label = _label("ref")
        self.section_label = _label("section")
        self.statement_label = _label("statement")
        self.judgement_label = _label("judgement")
        self.judgement_label.setAccessibleName("Judgement")
        self.standard_label = _label("standard")
        self.explanation_label = _label("explanation")
        self.sections_label = _label("sections")
        self.sections_label.setTextFormat(Qt.TextFormat.RichText)
        self.sections_label.setAccessibleName("Section levels")

        criterion_box = QVBoxLayout()
        criterion_box.setSpacing(14)
        criterion_box.addWidget(self.ref_label)
        criterion_box.addWidget(self.section_label)
        criterion_box.addWidget(self.statement_label)
        criterion_box.addSpacing(10)
        criterion_box.addWidget(self.judgement_label)
        criterion_box.addStretch(1)

        levels_box = QVBoxLayout()
        levels_box.setSpacing(10)
        levels_box.addWidget(self.standard_label)
        levels_box.addWidget(self.explanation_label)
        levels_box.addSpacing(6)
        levels_box.addWidget(self.sections_label)
        levels_box.addStretch(1)
        levels_frame = QFrame()
        levels_frame.setFrameShape(QFrame.Shape.NoFrame)
        levels_frame.setObjectName("levels")
        levels_frame.setLayout(levels_box)

        columns = QHBoxLayout()
        columns.setSpacing(36)
        columns.addLayout(criterion_box, 3)
        columns.addWidget(levels_frame, 2)

        page = QWidget()
        page.setObjectName("page")
        page_layout = QVBoxLayout(page)
        page_layout.setContentsMargins(36, 24, 36, 24)
        page_layout.addWidget(self.context_label)
        page_layout.addSpacing(8)
        page_layout.addLayout(columns, 1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll_area)

        # High contrast, dark text on white: readable on a washed-out projector.
        self.setStyleSheet(
            "#page { background: white; } QLabel { color: black; }"
            "#levels { border-left: 3px solid #1f3864; padding-left: 18px; }"
            "#context { color: #333333; }"
        )
        self._add_action("Larger Text", "Ctrl++", self.zoom_in, "Ctrl+=")
        self._add_action("Smaller Text", "Ctrl+-", self.zoom_out)
        self._add_action("Normal Text Size", "Ctrl+0", lambda: self.set_zoom(1.0))
        self._add_action("Hide Presentation", "Esc", self.close, "F5")
        self._apply_fonts()
        self._show_nothing()
        self.resize(1024, 640)

    def _add_action(self, text: str, key: str, slot: object, *more: str) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key), *(QKeySequence(k) for k in more)])
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    # -- what it shows --------------------------------------------------------------------------
    def show_assessment(self, service: WorkbookService, assessment_id: int, ref: str | None = None) -> None:
        """Show this assessment, at ``ref`` (or its first criterion)."""
        self.service = service
        self.assessment_id = assessment_id
        self._summary = service.get_assessment(assessment_id)
        self._standard = service.standard(self._summary.release_id, self._summary.standard_code)
        if ref is None:
            ref = next((c.ref for c in self._standard.criteria()), None)
        self.ref = ref
        self._listen(self.isVisible())
        self.refresh()

    def clear(self) -> None:
        """No assessment is open."""
        self._listen(False)
        self.service = None
        self.assessment_id = None
        self.ref = None
        self._summary = None
        self._standard = None
        self._show_nothing()

    def follow(self, ref: str | None) -> None:
        """The facilitator moved to ``ref``."""
        if ref is None or ref == self.ref:
            return
        self.ref = ref
        self.refresh()

    def refresh(self) -> None:
        service, assessment_id = self.service, self.assessment_id
        if service is None or assessment_id is None or self._standard is None:
            self._show_nothing()
            return
        try:
            self._summary = service.get_assessment(assessment_id)
            result = service.result(assessment_id)
            answer = service.answer(assessment_id, self.ref) if self.ref else None
        except NotFoundError:
            self.clear()
            return
        summary = self._summary
        self.context_label.setText(
            f"{summary.authority.name} · {summary.standard_code} {summary.standard_title} · {summary.round.label}"
            f" · {summary.answered} of {summary.total} criteria answered"
        )
        found = self._criterion(self.ref)
        if found is None:
            self.ref_label.setText("No criterion chosen")
            self.section_label.clear()
            self.statement_label.clear()
            self.judgement_label.clear()
            section_number = None
        else:
            section, criterion = found
            section_number = section.number
            self.ref_label.setText(f"{criterion.ref} · {criterion.level.label}")
            self.section_label.setText(f"Section {section.number}: {section.title}")
            self.statement_label.setText(criterion.statement)
            self.judgement_label.setText(_judgement_text(answer or CriterionAnswer(criterion.ref)))
        self._show_levels(result, section_number)
        self.setWindowTitle(f"{APP_NAME} — Presentation — {summary.authority.name} · {summary.standard_code}")

    def _criterion(self, ref: str | None) -> tuple[Section, Criterion] | None:
        if ref is None or self._standard is None:
            return None
        for section in self._standard.sections:
            for criterion in section.criteria:
                if criterion.ref == ref:
                    return section, criterion
        return None

    def _show_levels(self, result: StandardResult, current_section: int | None) -> None:
        self.standard_label.setText(f"Standard level: {result.level_label}")
        self.explanation_label.setText(result.explanation)
        rows = []
        for section in result.sections:
            current = section.number == current_section
            marker = "▶" if current else ""
            weight = "font-weight: bold;" if current else ""
            rows.append(
                f"<tr style='{weight}'><td style='padding-right: 6px;'>{marker}</td>"
                f"<td style='padding-right: 8px;'>{section.number}.</td>"
                f"<td style='padding-right: 16px;'>{escape(section.title)}</td>"
                f"<td style='white-space: nowrap;'>{escape(section.level_label)}</td></tr>"
            )
        self.sections_label.setText(f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>")
        self.sections_label.setAccessibleDescription(
            "; ".join(f"section {s.number}, {s.title}: {s.level_label}" for s in result.sections)
        )

    def _show_nothing(self) -> None:
        self.context_label.setText("No assessment is open.")
        self.ref_label.setText("Open an assessment to present it here.")
        for label in (
            self.section_label,
            self.statement_label,
            self.judgement_label,
            self.standard_label,
            self.explanation_label,
            self.sections_label,
        ):
            label.clear()

    # -- live updates ---------------------------------------------------------------------------
    def _listen(self, on: bool) -> None:
        service = self.service
        if service is None:
            self._listening = False
            return
        if on and not self._listening:
            service.listeners.append(self._on_store_changed)
        elif not on and self._listening and self._on_store_changed in service.listeners:
            service.listeners.remove(self._on_store_changed)
        self._listening = on

    def _on_store_changed(self, assessment_id: int) -> None:
        if not Shiboken.isValid(self):  # the window is gone: stop listening
            if self.service is not None and self._on_store_changed in self.service.listeners:
                self.service.listeners.remove(self._on_store_changed)
            return
        if assessment_id == self.assessment_id:
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._listen(True)
        self.refresh()
        self.shownChanged.emit(True)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self._listen(False)
        super().hideEvent(event)
        self.shownChanged.emit(False)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self._listen(False)
        super().closeEvent(event)

    # -- zoom -----------------------------------------------------------------------------------
    def zoom_in(self) -> None:
        self.set_zoom(self.zoom * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.set_zoom(self.zoom / ZOOM_STEP)

    def set_zoom(self, factor: float) -> None:
        self.zoom = min(MAX_ZOOM, max(MIN_ZOOM, factor))
        self._apply_fonts()

    def _apply_fonts(self) -> None:
        base = QFont(self.font())
        for name, size in _SIZES.items():
            font = QFont(base)
            font.setPointSizeF(size * self.zoom)
            font.setBold(name in {"ref", "judgement", "standard"})
            label = self.findChild(QLabel, name)
            if label is not None:
                label.setFont(font)
        for name, source in (("section", "context"), ("explanation", "levels"), ("sections", "levels")):
            font = QFont(base)
            font.setPointSizeF(_SIZES[source] * self.zoom * (1.1 if name == "section" else 1.0))
            label = self.findChild(QLabel, name)
            if label is not None:
                label.setFont(font)

    # -- where it goes --------------------------------------------------------------------------
    def place(self, facilitator_screen: QScreen | None) -> QScreen | None:
        """Put the window on a screen the facilitator is not using, full screen; None when there is none."""
        screen = presentation_screen(QGuiApplication.screens(), facilitator_screen)
        if screen is None:
            return None
        self.setScreen(screen)
        self.setGeometry(screen.availableGeometry())
        return screen

    def toggle(self, facilitator_screen: QScreen | None) -> bool:
        """Show (on the room's screen when there is one) or hide; True when now shown."""
        if self.isVisible():
            self.hide()
            return False
        if self.place(facilitator_screen) is not None:
            self.showFullScreen()
        else:
            self.show()  # a newly shown window comes up in front: no raise needed
        return True


def _judgement_text(answer: CriterionAnswer) -> str:
    judgement = answer.judgement
    text = f"{judgement.symbol}  {judgement.label}"
    if answer.to_confirm:
        text += "  (from the last round: to confirm)"
    return text
