"""Never lose an edit, through the real window: SIGKILL a scripted scoring session, reopen, find every edit.

The child (tests/helpers/gui_scoring_session.py) starts the main window as the application
does, opens the assessment from the Assessments tab and scores it with real key events: one
key per judgement, notes typed word by word and committed either by leaving the field
(Escape) or by the view's autosave.  It prints each edit once the store holds it.  The test
kills it with SIGKILL (no clean-up, as when a laptop dies) at a chosen moment: just after a
commit, in the middle of typing a note, or with a note typed whose autosave has not fired.

Then the store is opened as the application would open it.  Every edit the child reported
is there, exactly; the edit it was making when it died is there whole or not at all (a note
typed but not yet committed is not there, not even in part); nothing after it is there;
SQLite finds the file intact; and a new main window on the same data folder shows it all.
tests/test_kill_safety.py does the same below the window, through the service alone.
"""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import pytest
from helpers.gui_scoring_session import planned_edits, words
from helpers.scoring_session import JUDGEMENT, NOTES, Edit
from helpers.stores import RELEASE, new_catalogue_store
from pytestqt.qtbot import QtBot

from nesds_desktop.app import attach_store
from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.records import AssessmentDetails, CriterionAnswer
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage import assessment_repository as repo
from nesds_desktop.storage.store import open_store
from nesds_desktop.ui.feedback import RecordingFeedback
from nesds_desktop.ui.main_window import MainWindow
from nesds_desktop.ui.models.navigator_model import STATUS_COLUMN

TESTS_DIR = Path(__file__).resolve().parent
CHILD = TESTS_DIR / "helpers" / "gui_scoring_session.py"
COMMITTED = "committed"
TYPING = "typing"
AWAITING_AUTOSAVE = "awaiting-autosave"
CHILD_MAX_SECONDS = 60  # the child exits by itself after this, whatever happens here
REACH_KILL_POINT_S = 45  # start-up on a busy machine included; the kill points come within seconds
AFTER_KILL_S = 15


class ChildLines:
    """The child's standard output line by line, read on a thread so that every wait has a deadline."""

    def __init__(self, stream: IO[str]) -> None:
        self.seen: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: IO[str]) -> None:
        for line in stream:
            self._lines.put(line)
        self._lines.put(None)  # end of output: the child has exited (or been killed)

    def next(self, deadline: float) -> str | None:
        """The next line, or None once the output has ended; TimeoutError after ``deadline``."""
        try:
            line = self._lines.get(timeout=max(deadline - time.monotonic(), 0.0))
        except queue.Empty:
            raise TimeoutError("the child printed nothing in time") from None
        if line is not None:
            self.seen.append(line)
        return line

    def to_end(self, deadline: float) -> None:
        """Read what the child printed before it died, up to the end of its output."""
        while self.next(deadline) is not None:
            pass
        self._thread.join(max(deadline - time.monotonic(), 0.0))


def _prepare(data_dir: Path, factory: pytest.TempPathFactory) -> tuple[int, list[str]]:
    store = new_catalogue_store(data_dir, factory)
    try:
        service = WorkbookService(store, "test")
        council = service.add_authority(
            Authority("Thornbridge District Council", AuthorityType.DISTRICT, Region.SOUTH_WEST, "E07900201")
        )
        summary = service.create_assessment(AssessmentDetails(council.id, RELEASE, "ICT", Round(2006)))
        refs = [criterion.ref for criterion in service.standard(RELEASE, "ICT").criteria()]
    finally:
        store.close()
    return summary.id, refs


def _kill(child: subprocess.Popen[str]) -> None:
    if sys.platform == "win32":
        child.kill()  # TerminateProcess: as abrupt, the process runs nothing more
    else:
        os.kill(child.pid, signal.SIGKILL)  # no handler, no atexit, no Qt clean-up


def _committed(lines: Iterable[str]) -> list[Edit]:
    return [Edit.parse(line) for line in lines if line.startswith(f"{COMMITTED} ")]


def _is_kill_point(line: str, commits: int, kill_after: int, moment: str) -> bool:
    if moment == COMMITTED:
        return commits == kill_after and line.startswith(f"{COMMITTED} ")
    return commits >= kill_after and line.startswith(f"{moment} ")


def _applied(edit: Edit, answer: CriterionAnswer) -> bool:
    if edit.kind == JUDGEMENT:
        return answer.judgement is Judgement(edit.value)
    return answer.notes == edit.value


def _expected(refs: list[str], edits: Iterable[Edit]) -> dict[str, tuple[Judgement, str]]:
    """(judgement, notes) of every criterion once ``edits`` are made to a new assessment."""
    state = {ref: (Judgement.NOT_YET_ASSESSED, "") for ref in refs}
    for edit in edits:
        judgement, notes = state[edit.ref]
        state[edit.ref] = (Judgement(edit.value), notes) if edit.kind == JUDGEMENT else (judgement, edit.value)
    return state


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kill_after", "moment"),
    [
        (1, COMMITTED),  # right after the first judgement key
        (4, TYPING),  # a note half typed, before Escape would commit it
        (7, AWAITING_AUTOSAVE),  # a note fully typed, its autosave not yet fired
        (8, COMMITTED),  # right after that autosave committed
        (15, COMMITTED),  # well into the session, five notes in
    ],
    ids=["first-judgement", "note-half-typed", "note-before-autosave", "just-autosaved", "fifteen-edits"],
)
def test_every_edit_typed_into_the_window_survives_a_kill(
    qtbot: QtBot, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, kill_after: int, moment: str
) -> None:
    data_dir = tmp_path / "data"
    assessment_id, refs = _prepare(data_dir, tmp_path_factory)
    plan = planned_edits(refs)
    errors_path = tmp_path / "child-stderr.txt"
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONIOENCODING": "utf-8",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(TESTS_DIR), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, str(CHILD), str(data_dir), str(assessment_id), "--max-seconds", str(CHILD_MAX_SECONDS)]
    with (
        errors_path.open("w", encoding="utf-8") as errors,
        subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8", env=environment
        ) as child,
    ):
        assert child.stdout is not None
        output = ChildLines(child.stdout)
        kill_line: str | None = None
        try:
            deadline = time.monotonic() + REACH_KILL_POINT_S
            commits = 0
            while kill_line is None:
                line = output.next(deadline)
                assert line is not None and not line.startswith(("failed", "timed out", "done")), (
                    "the session ended before its kill point:\n"
                    + "".join(output.seen)
                    + errors_path.read_text(encoding="utf-8")
                )
                commits += line.startswith(f"{COMMITTED} ")
                if _is_kill_point(line, commits, kill_after, moment):
                    _kill(child)
                    kill_line = line
        finally:
            if kill_line is None:
                child.kill()  # the test failed before its kill point: never leave the child running
            child.wait(AFTER_KILL_S)
            output.to_end(time.monotonic() + AFTER_KILL_S)  # what it printed before it died

    assert kill_line is not None
    lines = output.seen
    stderr = errors_path.read_text(encoding="utf-8")
    assert lines[0] == "ready\n", stderr
    assert not any(line.startswith(("done", "failed", "timed out")) for line in lines), stderr
    if sys.platform != "win32":
        assert child.returncode == -signal.SIGKILL
    reported = _committed(lines)
    assert kill_after <= len(reported) < len(plan)
    assert reported == plan[: len(reported)]  # in order, each edit as scripted
    in_flight = plan[len(reported)]
    if moment != COMMITTED:
        # The kill landed while a note was on screen but not committed: it is the edit in flight.
        _, ref, shown = kill_line.rstrip("\n").split(" ", 2)
        typed = json.loads(shown)
        assert len(reported) == commits, "a commit came after the kill point: the kill was too late"
        assert (in_flight.kind, in_flight.ref) == (NOTES, ref)
        if moment == TYPING:
            assert in_flight.value.startswith(typed) and len(typed) < len(in_flight.value)
        else:
            assert typed == in_flight.value and len(words(typed)) > 1

    store = open_store(data_dir)  # raises StoreError if the file were damaged
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        service = WorkbookService(store, "test")
        snapshot = service.open(assessment_id)
        landed = _applied(in_flight, snapshot.answer(in_flight.ref))
        if moment != COMMITTED:
            assert not landed, "a note that was never committed is in the store"
        expected = _expected(refs, [*reported, in_flight] if landed else reported)
        stored = {ref: (snapshot.answer(ref).judgement, snapshot.answer(ref).notes) for ref in refs}
        assert stored == expected  # every reported edit exactly; nothing half-made; nothing after
        assert not any(answer.to_confirm for answer in snapshot.answers.values())
        assert snapshot.evidence == () and snapshot.actions == ()
        with store.session() as session:
            history = repo.history(session, assessment_id)
        assert len(history) == len(reported) + landed  # one change row per committed edit, no more
        summary = service.get_assessment(assessment_id)
        assert summary.level_label == assess_standard(snapshot.standard, snapshot.judgements()).level_label
        assert summary.answered == sum(1 for judgement, _notes in expected.values() if judgement.is_assessed)
    finally:
        store.close()

    # A new window on the same data folder opens the assessment and shows what was scored.
    feedback = RecordingFeedback()
    window = MainWindow(feedback=feedback)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    assert attach_store(window, str(data_dir)) == 0
    view = window.open_assessment(assessment_id)
    assert view is not None and window.current_view() is view
    model = view.navigator_model
    assert model.refs() == refs
    for ref, (judgement, notes) in expected.items():
        status = model.index_for_ref(ref).siblingAtColumn(STATUS_COLUMN).data()
        assert status == f"{judgement.symbol} {judgement.label}", ref
        if notes:
            view.select_criterion(ref)
            assert view.pane.notes_edit.toPlainText() == notes
    assert feedback.messages == []
    window.close()
