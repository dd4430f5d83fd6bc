"""Undo steps for the workbook: each QUndoCommand calls the WorkbookService, which commits at once.

The view makes the change through the service first and pushes the command only when that
succeeded, so a failed save never leaves a step on the stack; the command therefore skips its
first ``redo``.  Later undo and redo go to the service again, then tell the view which
criterion they touched so it can refresh and show it.

A removed evidence reference or action comes back with a new database id, so commands name
items by a key from :class:`ItemKeys`, which follows each item through removal and return.
If the service fails during undo or redo, the command reports it and marks itself obsolete,
so the stack drops a step it can no longer honour rather than pretend it happened.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from nesds_desktop.domain.assessments import Action, EvidenceReference
from nesds_desktop.domain.records import ActionItem, CriterionAnswer, EvidenceItem
from nesds_desktop.services.workbook_service import WorkbookService

Notify = Callable[[str | None], None]
"""Called after an undo or redo with the criterion it touched (None: the standard as a whole)."""
Report = Callable[[str, Exception], None]
"""Called with what failed ("Undo Set ICT-1-M1 to Met") and the error."""


class ItemKeys:
    """Stable keys for items whose database id changes when undo puts them back.

    A key is handed out the first time an id is seen; ``bind`` moves the key to the item's new
    id and ``release`` forgets the id of a removed item (SQLite may give that id to another).
    """

    def __init__(self) -> None:
        self._id_of: dict[int, int] = {}
        self._key_of: dict[int, int] = {}
        self._next = 1

    def key_for(self, item_id: int) -> int:
        key = self._key_of.get(item_id)
        if key is None:
            key = self._next
            self._next += 1
            self.bind(key, item_id)
        return key

    def bind(self, key: int, item_id: int) -> None:
        old = self._id_of.get(key)
        if old is not None:
            self._key_of.pop(old, None)
        self._id_of[key] = item_id
        self._key_of[item_id] = key

    def release(self, key: int) -> None:
        old = self._id_of.pop(key, None)
        if old is not None:
            self._key_of.pop(old, None)

    def current(self, key: int) -> int:
        """The item's id now; KeyError when it is removed."""
        return self._id_of[key]


class ServiceCommand(QUndoCommand):
    """One committed edit; subclasses say how to do it again and how to take it back."""

    def __init__(
        self, text: str, service: WorkbookService, assessment_id: int, ref: str | None, notify: Notify, report: Report
    ) -> None:
        super().__init__(text)
        self.service = service
        self.assessment_id = assessment_id
        self.ref = ref
        self._notify = notify
        self._report = report
        self._already_done = True

    def redo(self) -> None:
        if self._already_done:
            self._already_done = False  # the view made this change before pushing the command
            return
        self._run("Redo", self.apply)

    def undo(self) -> None:
        self._run("Undo", self.revert)

    def _run(self, verb: str, step: Callable[[], None]) -> None:
        try:
            step()
        except Exception as error:  # a locked or damaged store: say so, drop the step
            self.setObsolete(True)
            self._report(f"{verb} {self.text()}", error)
        self._notify(self.ref)

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError


class AnswerCommand(ServiceCommand):
    """A judgement or notes change: both directions put a whole answer back as it was."""

    def __init__(
        self,
        text: str,
        service: WorkbookService,
        assessment_id: int,
        before: CriterionAnswer,
        after: CriterionAnswer,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__(text, service, assessment_id, before.ref, notify, report)
        self.before = before
        self.after = after

    def apply(self) -> None:
        self.service.restore_answer(self.assessment_id, self.after)

    def revert(self) -> None:
        self.service.restore_answer(self.assessment_id, self.before)


def judgement_command(
    service: WorkbookService,
    assessment_id: int,
    before: CriterionAnswer,
    after: CriterionAnswer,
    notify: Notify,
    report: Report,
) -> AnswerCommand:
    text = f"Set {after.ref} to {after.judgement.label}"
    return AnswerCommand(text, service, assessment_id, before, after, notify, report)


def notes_command(
    service: WorkbookService,
    assessment_id: int,
    before: CriterionAnswer,
    after: CriterionAnswer,
    notify: Notify,
    report: Report,
) -> AnswerCommand:
    return AnswerCommand(f"Edit notes of {after.ref}", service, assessment_id, before, after, notify, report)


class AddEvidenceCommand(ServiceCommand):
    def __init__(
        self,
        service: WorkbookService,
        assessment_id: int,
        keys: ItemKeys,
        added: EvidenceItem,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__(
            f"Add evidence reference to {added.criterion_ref}",
            service,
            assessment_id,
            added.criterion_ref,
            notify,
            report,
        )
        self.keys = keys
        self.key = keys.key_for(added.id)
        self.item = added

    def apply(self) -> None:
        # Redo puts back the very item undo removed (same uid), so merges see one item.
        item = self.service.restore_evidence(self.assessment_id, self.item)
        self.keys.bind(self.key, item.id)

    def revert(self) -> None:
        self.item = self.service.remove_evidence(self.assessment_id, self.keys.current(self.key))
        self.keys.release(self.key)


class EditEvidenceCommand(ServiceCommand):
    def __init__(
        self,
        service: WorkbookService,
        assessment_id: int,
        keys: ItemKeys,
        before: EvidenceItem,
        after: EvidenceItem,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__(
            f"Edit evidence reference of {after.criterion_ref}",
            service,
            assessment_id,
            after.criterion_ref,
            notify,
            report,
        )
        self.keys = keys
        self.key = keys.key_for(after.id)
        self.before: EvidenceReference = before.reference
        self.after: EvidenceReference = after.reference

    def apply(self) -> None:
        self.service.update_evidence(self.assessment_id, self.keys.current(self.key), self.after)

    def revert(self) -> None:
        self.service.update_evidence(self.assessment_id, self.keys.current(self.key), self.before)


class RemoveEvidenceCommand(ServiceCommand):
    def __init__(
        self,
        service: WorkbookService,
        assessment_id: int,
        keys: ItemKeys,
        removed: EvidenceItem,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__(
            f"Remove evidence reference from {removed.criterion_ref}",
            service,
            assessment_id,
            removed.criterion_ref,
            notify,
            report,
        )
        self.keys = keys
        self.key = keys.key_for(removed.id)
        keys.release(self.key)  # the view has already removed it
        self.item = removed

    def apply(self) -> None:
        self.item = self.service.remove_evidence(self.assessment_id, self.keys.current(self.key))
        self.keys.release(self.key)

    def revert(self) -> None:
        item = self.service.restore_evidence(self.assessment_id, self.item)
        self.keys.bind(self.key, item.id)


class AddActionCommand(ServiceCommand):
    def __init__(
        self,
        service: WorkbookService,
        assessment_id: int,
        keys: ItemKeys,
        added: ActionItem,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__("Add action", service, assessment_id, added.action.criterion_ref, notify, report)
        self.keys = keys
        self.key = keys.key_for(added.id)
        self.item = added
        self.position: int | None = None

    def apply(self) -> None:
        assert self.position is not None
        item = self.service.restore_action(self.assessment_id, self.item, self.position)
        self.keys.bind(self.key, item.id)

    def revert(self) -> None:
        self.item, self.position = self.service.remove_action(self.assessment_id, self.keys.current(self.key))
        self.keys.release(self.key)


class EditActionCommand(ServiceCommand):
    def __init__(
        self,
        service: WorkbookService,
        assessment_id: int,
        keys: ItemKeys,
        before: ActionItem,
        after: ActionItem,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__("Edit action", service, assessment_id, after.action.criterion_ref, notify, report)
        self.keys = keys
        self.key = keys.key_for(after.id)
        self.before: Action = before.action
        self.after: Action = after.action

    def apply(self) -> None:
        self.service.update_action(self.assessment_id, self.keys.current(self.key), self.after)

    def revert(self) -> None:
        self.service.update_action(self.assessment_id, self.keys.current(self.key), self.before)


class RemoveActionCommand(ServiceCommand):
    def __init__(
        self,
        service: WorkbookService,
        assessment_id: int,
        keys: ItemKeys,
        removed: ActionItem,
        position: int,
        notify: Notify,
        report: Report,
    ) -> None:
        super().__init__("Remove action", service, assessment_id, removed.action.criterion_ref, notify, report)
        self.keys = keys
        self.key = keys.key_for(removed.id)
        keys.release(self.key)  # the view has already removed it
        self.item = removed
        self.position = position

    def apply(self) -> None:
        self.item, self.position = self.service.remove_action(self.assessment_id, self.keys.current(self.key))
        self.keys.release(self.key)

    def revert(self) -> None:
        item = self.service.restore_action(self.assessment_id, self.item, self.position)
        self.keys.bind(self.key, item.id)
