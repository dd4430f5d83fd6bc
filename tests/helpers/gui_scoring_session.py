"""A scripted scoring session through the real main window, for the GUI crash-safety test to kill.

    PYTHONPATH=tests QT_QPA_PLATFORM=offscreen python tests/helpers/gui_scoring_session.py \
        DATA_DIR ASSESSMENT_ID [--pause S] [--word-pause S] [--max-seconds S]

It starts the window as ``nesds_desktop/app.py`` does (a MainWindow, then ``attach_store``
on DATA_DIR once the event loop runs), opens the assessment from the Assessments tab with
the keyboard (Ctrl+O, the row, Enter) and works through :func:`gui_script` with real key
events sent to whichever widget has focus, one step per QTimer tick so the event loop
(and the notes autosave timer) runs as it does for a user:

* a judgement: one key (M P N A 1 2 3) in the navigator, which scores and moves on;
* notes: Enter in the navigator, the words typed one at a time, then either Escape
  (leaving the field commits) or nothing until the view's autosave fires.

What it prints, one line each, flushed at once:

* ``ready`` once the assessment's tab is open;
* ``typing <ref> <text so far as JSON>`` after each word of a note (not yet committed);
* ``awaiting-autosave <ref> <text as JSON>`` when a note is typed and only its autosave is due;
* ``committed <ref> <kind> <value as JSON>`` (see :class:`helpers.scoring_session.Edit`) once
  the service, read back from the store, holds the edit;
* ``done`` at the end of the script, ``failed <why>`` if anything is not as scripted
  (exit status 2), ``timed out`` after --max-seconds (exit status 3; should the event loop
  itself hang, faulthandler ends the process ten seconds later).
"""

from __future__ import annotations

import argparse
import faulthandler
import json
import re
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from helpers.scoring_session import JUDGEMENT, NOTES, Edit
from nesds_desktop.domain.judgements import judgement_for_key
from nesds_desktop.ui.feedback import ConsoleFeedback
from nesds_desktop.ui.main_window import MainWindow
from nesds_desktop.ui.views.workbook_view import WorkbookView

SCORING_KEYS = "MPNA123"  # letters and digits in turn, as facilitators mix them
LEAVE = "leave"  # Escape takes focus back to the navigator, which commits the notes
AUTOSAVE = "autosave"  # nothing is pressed: the view's debounce timer commits the notes
EXIT_FAILED = 2
EXIT_TIMED_OUT = 3
AUTOSAVE_LIMIT_S = 5.0  # the debounce is 0.8 s: far longer means it never came


@dataclass(frozen=True)
class Step:
    edit: Edit
    key: str = ""  # judgements: the key pressed
    commit_by: str = ""  # notes: LEAVE or AUTOSAVE


def gui_script(refs: Sequence[str]) -> list[Step]:
    """Criterion by criterion in navigator order: every second one gets notes first, said aloud
    before its judgement; every third note is left to the autosave rather than to Escape."""
    steps: list[Step] = []
    for number, ref in enumerate(refs):
        if number % 2 == 1:
            notes = f"Note {number} for {ref}: seen “policy v2” — Head of ICT's file, agreed 14/11/2006."
            steps.append(Step(Edit(ref, NOTES, notes), commit_by=AUTOSAVE if number % 6 == 5 else LEAVE))
        key = SCORING_KEYS[number % len(SCORING_KEYS)]
        judgement = judgement_for_key(key)
        assert judgement is not None
        steps.append(Step(Edit(ref, JUDGEMENT, judgement.value), key=key))
    return steps


def planned_edits(refs: Sequence[str]) -> list[Edit]:
    """The edits the session commits, in order."""
    return [step.edit for step in gui_script(refs)]


def words(text: str) -> list[str]:
    """The pieces a note is typed in: each word with the space after it."""
    return re.findall(r"\S+\s*", text)


class ScriptError(Exception):
    """The window did not do what the script expected: the session stops and says why."""


class ScriptFeedback(ConsoleFeedback):
    """Any message box in a scripted session means something went wrong: remember it."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def error(self, title: str, text: str) -> None:
        self.messages.append(f"error: {title}: {text}")
        super().error(title, text)

    def warning(self, title: str, text: str) -> None:
        self.messages.append(f"warning: {title}: {text}")
        super().warning(title, text)

    def information(self, title: str, text: str) -> None:
        self.messages.append(f"information: {title}: {text}")
        super().information(title, text)

    def ask(self, title: str, text: str, choices: Sequence[str], *, details: str = "") -> str | None:
        self.messages.append(f"question: {title}: {text}")
        return super().ask(title, text, choices, details=details)


def say(line: str) -> None:
    print(line, flush=True)  # flushed: the parent may kill us the moment it has read it


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    if widget is None:
        raise ScriptError("no widget has the keyboard focus")
    return widget


def press(key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """One key, to the focused widget, through QApplication (shortcuts and event filters included)."""
    QTest.keyClick(focused(), key, modifier)


def type_text(text: str) -> None:
    """Key events for ``text``, to the focused widget, a press and release per character.

    QTest.keyClicks would map each character to a key with asciiToKey, which aborts on
    anything outside ASCII; people type curly quotes and dashes, which keyboards deliver as
    events carrying the character with no key code of their own.
    """
    for character in text:
        code = ord(character.upper())
        key = Qt.Key(code) if 0x20 <= code <= 0x7E else Qt.Key.Key_unknown
        QTest.sendKeyEvent(QTest.KeyAction.Click, focused(), key, character, Qt.KeyboardModifier.NoModifier)


class ScriptedSession(QObject):
    """Runs the script one step per timer tick; each check reads the store back through the service."""

    def __init__(
        self, app: QApplication, window: MainWindow, feedback: ScriptFeedback, args: argparse.Namespace
    ) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        self.feedback = feedback
        self.assessment_id: int = args.assessment_id
        self.data_dir: str = str(args.data_dir)
        self.pause_ms = round(args.pause * 1000)
        self.word_pause_ms = round(args.word_pause * 1000)
        self.view: WorkbookView | None = None
        self.steps: list[Step] = []
        self.position = 0
        self.awaiting: Step | None = None
        self.awaiting_since = 0.0

    # -- plumbing -------------------------------------------------------------------------
    def later(self, delay_ms: int, step: Callable[[], None]) -> None:
        QTimer.singleShot(delay_ms, lambda: self.guarded(step))

    def guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
            if self.feedback.messages:
                raise ScriptError(f"the window showed a message: {self.feedback.messages[0]}")
        except Exception as error:
            traceback.print_exc()
            say(f"failed {error}")
            self.app.exit(EXIT_FAILED)

    def current_view(self) -> WorkbookView:
        if self.view is None:
            raise ScriptError("the assessment is not open")
        return self.view

    def committed(self, edit: Edit) -> None:
        """Read the edit back from the store; only then tell the parent it is committed."""
        view = self.current_view()
        answer = view.service.answer(self.assessment_id, edit.ref)
        stored = answer.judgement.value if edit.kind == JUDGEMENT else answer.notes
        if stored != edit.value:
            raise ScriptError(f"{edit.ref}: the store holds {stored!r} for its {edit.kind}, not {edit.value!r}")
        say(edit.line())

    # -- start-up, as app.run_gui does it -------------------------------------------------
    def start(self) -> None:
        from nesds_desktop.app import attach_store
        from nesds_desktop.ui.icons import set_application_identity

        set_application_identity(self.app)
        if attach_store(self.window, self.data_dir) != 0:
            raise ScriptError(f"the store in {self.data_dir} could not be opened")
        self.window.activateWindow()
        self.wait_until_active(time.monotonic() + 10)

    def wait_until_active(self, deadline: float) -> None:
        if self.window.isActiveWindow() and QApplication.focusWidget() is not None:
            self.open_assessment()
        elif time.monotonic() > deadline:
            raise ScriptError("the window never became active")
        else:
            self.later(10, lambda: self.wait_until_active(deadline))

    def open_assessment(self) -> None:
        """As a user would: Ctrl+O for the Assessments tab, the row, Enter."""
        press(Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
        listing = self.window.assessment_list
        if focused() is not listing.table:
            raise ScriptError("Ctrl+O did not put the focus in the assessment list")
        if not listing.select(self.assessment_id):
            raise ScriptError(f"assessment {self.assessment_id} is not in the list")
        press(Qt.Key.Key_Return)
        view = self.window.current_view()
        if view is None or view.assessment_id() != self.assessment_id:
            raise ScriptError("Enter did not open the assessment in its tab")
        self.view = view
        self.steps = gui_script(view.navigator_model.refs())
        if focused() is not view.navigator:
            raise ScriptError("the navigator does not have the focus in the new tab")
        say("ready")
        self.later(self.pause_ms, self.next_step)

    # -- the script -----------------------------------------------------------------------
    def next_step(self) -> None:
        if self.position == len(self.steps):
            say("done")
            self.app.exit(0)
            return
        step = self.steps[self.position]
        self.position += 1
        view = self.current_view()
        if view.current_ref() != step.edit.ref:
            raise ScriptError(f"the navigator is on {view.current_ref()}, the script on {step.edit.ref}")
        if focused() is not view.navigator:
            raise ScriptError(f"focus is on {focused().accessibleName() or focused()}, not the navigator")
        if step.edit.kind == JUDGEMENT:
            self.score(step)
        else:
            press(Qt.Key.Key_Return)  # Enter in the navigator: to the notes
            if focused() is not view.pane.notes_edit:
                raise ScriptError("Enter did not put the focus in the notes")
            self.later(self.word_pause_ms, lambda: self.type_words(step, words(step.edit.value), ""))

    def score(self, step: Step) -> None:
        view = self.current_view()
        press(Qt.Key(ord(step.key)))
        # The view called the service synchronously inside the key event: it is in the store now.
        self.committed(step.edit)
        if view.current_ref() == step.edit.ref and self.position < len(self.steps):
            raise ScriptError(f"the key {step.key} did not move on from {step.edit.ref}")
        self.later(self.pause_ms, self.next_step)

    def type_words(self, step: Step, remaining: list[str], typed: str) -> None:
        word, rest = remaining[0], remaining[1:]
        type_text(word)
        typed += word
        if self.current_view().pane.notes_edit.toPlainText() != typed:
            raise ScriptError(f"the notes field shows {self.current_view().pane.notes_edit.toPlainText()!r}")
        if rest:
            say(f"typing {step.edit.ref} {json.dumps(typed)}")
            self.later(self.word_pause_ms, lambda: self.type_words(step, rest, typed))
        elif step.commit_by == LEAVE:
            self.later(self.word_pause_ms, lambda: self.leave_notes(step))
        else:
            self.awaiting, self.awaiting_since = step, time.monotonic()
            say(f"awaiting-autosave {step.edit.ref} {json.dumps(typed)}")
            self.later(50, self.check_autosave)

    def leave_notes(self, step: Step) -> None:
        press(Qt.Key.Key_Escape)  # back to the navigator: leaving the field commits the notes
        if focused() is not self.current_view().navigator:
            raise ScriptError("Escape did not take the focus back to the navigator")
        self.committed(step.edit)
        self.later(self.pause_ms, self.next_step)

    def check_autosave(self) -> None:
        """Poll the view until its debounce has committed the notes (nothing is pressed meanwhile)."""
        step = self.awaiting
        assert step is not None
        view = self.current_view()
        if view.pane.has_pending_notes():
            if time.monotonic() - self.awaiting_since > AUTOSAVE_LIMIT_S:
                raise ScriptError(f"the notes of {step.edit.ref} were never autosaved")
            self.later(10, self.check_autosave)
            return
        self.awaiting = None
        if focused() is not view.pane.notes_edit:
            raise ScriptError("the autosave moved the focus out of the notes")
        self.committed(step.edit)
        self.later(self.pause_ms, lambda: self.back_to_navigator(step))

    def back_to_navigator(self, step: Step) -> None:
        press(Qt.Key.Key_Escape)  # nothing left to commit: just back to scoring
        if focused() is not self.current_view().navigator:
            raise ScriptError("Escape did not take the focus back to the navigator")
        self.later(self.pause_ms, self.next_step)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("assessment_id", type=int)
    parser.add_argument("--pause", type=float, default=0.02, help="seconds between edits")
    parser.add_argument("--word-pause", type=float, default=0.04, help="seconds between words of a note")
    parser.add_argument("--max-seconds", type=float, default=60.0, help="give up (and exit) after this long")
    args = parser.parse_args(argv)

    from nesds_desktop._version import APP_NAME, __version__

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("NeSDS Workbook")
    feedback = ScriptFeedback()
    window = MainWindow(feedback=feedback)
    window.resize(1366, 768)
    window.show()
    session = ScriptedSession(app, window, feedback, args)

    def give_up() -> None:
        say("timed out")
        app.exit(EXIT_TIMED_OUT)

    QTimer.singleShot(round(args.max_seconds * 1000), give_up)
    # Should the event loop itself be stuck, a thread still ends the process (with tracebacks).
    faulthandler.dump_traceback_later(args.max_seconds + 10, exit=True)
    session.later(0, session.start)  # after the first paint, as app.run_gui opens the store
    status = app.exec()
    window.close()
    return status


if __name__ == "__main__":
    sys.exit(main())
