"""A merged assessment file as one undo step on the merged assessment's stack.

The merge dialog makes the merge through :class:`ExchangeService` first; the window then
pushes this command, so its first ``redo`` is skipped (as for every workbook command).
Undo asks the service to put the assessment back as it was before the merge, redo to make
the merge again, each in one transaction.  When the service refuses (an item the merge
wrote was changed since, or the store is locked) the command reports it and marks itself
obsolete, so the stack drops a step it can no longer honour.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QUndoCommand

from nesds_desktop.services.exchange_service import AppliedMerge, ExchangeService

Notify = Callable[[str | None], None]
Report = Callable[[str, Exception], None]


class MergeCommand(QUndoCommand):
    def __init__(
        self,
        service: ExchangeService,
        applied: AppliedMerge,
        assessment_id: int,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__(f"Merge {Path(applied.source).name}")
        self.service = service
        self.applied = applied
        self.assessment_id = assessment_id
        self._notify = notify
        self._report = report
        self._already_done = True

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False  # the dialog made the merge before the command was pushed
            return
        self._run("Redo", lambda: self.service.redo(self.applied, self.assessment_id))

    def undo(self) -> None:
        self._run("Undo", lambda: self.service.undo(self.applied, self.assessment_id))

    def _run(self, verb: str, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception as error:  # refused (changed since), or a locked or damaged store
            self.setObsolete(True)
            self._report(f"{verb} {self.text()}", error)
        self._notify(None)
