"""Assessment > Move to a Newer Release: what happens to every answer, then the move on Apply.

The service works out the preview (nothing is written); the dialog lists the answers carried
over as they were, those carried over to be confirmed (and why: reworded, moved, split,
merged), the new criteria that start unanswered, and the answers archived with the
assessment (never deleted).  **Apply** migrates in one transaction; errors go through
Feedback and leave the store as it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from nesds_desktop.services.release_migration_service import (
    ArchivedPreview,
    ArchiveReason,
    CriterionPreview,
    ItemMoves,
    MigrationPreview,
    ReleaseMigrationService,
)
from nesds_desktop.ui.feedback import Feedback


class ReleaseMigrationDialog(QDialog):
    def __init__(
        self,
        service: ReleaseMigrationService,
        assessment_id: int,
        releases: Sequence[str],
        feedback: Feedback,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.service = service
        self.assessment_id = assessment_id
        self.feedback = feedback
        self.preview: MigrationPreview | None = None
        #: The migration as made, once applied.
        self.migrated: MigrationPreview | None = None
        self.setWindowTitle("Move to a newer release")
        self.setAccessibleName("Move to a newer catalogue release")

        self.release_combo = QComboBox()
        self.release_combo.addItems(list(releases))
        self.release_combo.setAccessibleName("Newer release")
        release_label = QLabel("Move &to release:")
        release_label.setBuddy(self.release_combo)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.summary_label.setTextFormat(Qt.TextFormat.RichText)
        self.summary_label.setAccessibleName("What moving does")
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        self.details.setAccessibleName("Every answer and what happens to it")
        details_label = QLabel("&What happens to each answer:")
        details_label.setBuddy(self.details)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.apply_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.apply_button.setText("&Apply")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        row = QHBoxLayout()
        row.addWidget(release_label)
        row.addWidget(self.release_combo, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.summary_label)
        layout.addWidget(details_label)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        if len(releases) < 2:
            release_label.hide()
            self.release_combo.hide()

        self.release_combo.currentTextChanged.connect(self._show_preview)
        self._show_preview(self.release_combo.currentText())
        self.resize(900, 640)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        (self.release_combo if self.release_combo.isVisible() else self.details).setFocus()

    def _show_preview(self, release_id: str) -> None:
        self.preview = None
        try:
            self.preview = self.service.preview(self.assessment_id, release_id)
        except Exception as error:  # no crosswalk path, a damaged release, a locked store
            self.summary_label.setText(f"<p>The move to {escape(release_id)} cannot be shown: {escape(str(error))}</p>")
            self.details.clear()
        else:
            self.summary_label.setText(summary_html(self.preview))
            self.details.setHtml(details_html(self.preview))
        self.apply_button.setEnabled(self.preview is not None)

    def accept(self) -> None:
        if self.preview is None:
            return
        try:
            self.migrated = self.service.migrate(self.assessment_id, self.preview.to_release)
        except Exception as error:  # refused, or a locked or damaged store: nothing was changed
            self.feedback.error("The assessment was not moved", f"{error}\n\nNothing in the store was changed.")
            return
        super().accept()


def summary_html(preview: MigrationPreview) -> str:
    steps = " → ".join(escape(r) for r in preview.path)
    counts = (
        f"{len(preview.carried)} carried over, <b>{len(preview.to_confirm)} to confirm</b>, "
        f"{len(preview.new)} new and not yet answered, {len(preview.archived)} archived"
    )
    return (
        f"<p><b>{escape(preview.assessment_title)}</b> moves from {escape(preview.from_release)} to "
        f"<b>{escape(preview.to_release)}</b> (crosswalks {steps}).</p>"
        f"<p>Criteria: {counts}. Level: {escape(preview.level_before)} now; "
        f"<b>{escape(preview.level_after)}</b> after the move.</p>"
        f"<p>Nothing is changed until you choose <b>Apply</b>; {escape(preview.from_release)} stays in the store "
        "with the archived answers. The assessment's tab is closed and opened again on the new release.</p>"
    )


def details_html(preview: MigrationPreview) -> str:
    parts = [
        _table(
            f"Carried over, to confirm in the next workshop ({len(preview.to_confirm)})",
            [(c.new_ref, _judged(c), _why(c)) for c in preview.to_confirm],
            ("Criterion", "Answer carried", "Why it is to confirm"),
        ),
        _table(
            f"New criteria, not yet answered ({len(preview.new)})",
            [(c.new_ref, c.note or "Added in this release", "") for c in preview.new],
            ("Criterion", "Note", ""),
        ),
        _table(
            f"Archived with the assessment, not deleted ({len(preview.archived)})",
            [(a.old_ref, a.judgement.label, _archived_why(a)) for a in preview.archived],
            ("Criterion", "Answer", "Why, and where it is kept"),
        ),
        _table(
            f"Carried over as they were ({len(preview.carried)})",
            [(c.new_ref, _judged(c), "") for c in preview.carried],
            ("Criterion", "Answer", ""),
        ),
    ]
    if preview.not_answered_before:
        refs = ", ".join(c.new_ref for c in preview.not_answered_before)
        parts.append(
            f"<h3>Not answered in {escape(preview.from_release)} either ({len(preview.not_answered_before)})</h3>"
            f"<p>{escape(refs)}</p>"
        )
    parts.append(
        f"<h3>Evidence references and actions</h3><p>Evidence references: {escape(_moves(preview.evidence))}<br>"
        f"Actions: {escape(_moves(preview.actions))}</p>"
    )
    return "".join(parts)


def _table(title: str, rows: Sequence[tuple[str, str, str]], headings: tuple[str, str, str]) -> str:
    head = f"<h3>{escape(title)}</h3>"
    if not rows:
        return f"{head}<p>None.</p>"
    wanted = [h for h in headings if h]
    cells = "".join(
        "<tr>" + "".join(f"<td style='padding: 1px 14px 1px 0'>{escape(v)}</td>" for v in row[: len(wanted)]) + "</tr>"
        for row in rows
    )
    header = "".join(f"<th align='left' style='padding-right: 14px'>{escape(h)}</th>" for h in wanted)
    return f"{head}<table><tr>{header}</tr>{cells}</table>"


def _judged(criterion: CriterionPreview) -> str:
    judgement = criterion.judgement
    words = f"{judgement.symbol} {judgement.label}" if judgement is not None else "—"
    return f"{words}, with notes" if criterion.notes else words


def _why(criterion: CriterionPreview) -> str:
    reason = criterion.reason[:1].upper() + criterion.reason[1:]  # not capitalize(): it lowers the references
    return f"{reason}: {criterion.note}" if criterion.note else reason


def _archived_why(archived: ArchivedPreview) -> str:
    if archived.reason is ArchiveReason.MERGED_NOT_CARRIED:
        why = f"Merged into {archived.merged_into or 'a criterion'}, which carries another criterion's answer"
    else:
        why = archived.reason.label
    kept = f"{why}; kept as {archived.archived_ref}"
    return f"{kept}. {archived.note}" if archived.note else kept


def _moves(moves: ItemMoves) -> str:
    parts = [f"{moves.unchanged} unchanged", f"{moves.moved} moved to a new reference"]
    if moves.copied:
        parts.append(f"{moves.copied} copied to the parts of split criteria")
    parts.append(f"{moves.archived} kept with archived answers")
    return ", ".join(parts) + "."
