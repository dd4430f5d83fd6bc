"""Never lose an edit: kill a real scoring process mid-session, reopen, find every committed edit.

The child (tests/helpers/scoring_session.py) scores through the real WorkbookService and
prints each edit once its call has returned.  The test kills it with SIGKILL (no clean-up,
as when a laptop dies) part-way through, then opens the store again as the application
would.  Every edit the child reported must be there; the one it may have been making when
it died may be there or not, but whole; nothing after it may be there; and SQLite must find
the file intact.

tests/test_kill_safety_gui.py does the same to the real main window driven by key events
(judgements and notes typed into the workbook view); this test covers the store and service
underneath it, at more kill points.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers.scoring_session import JUDGEMENT, NOTES, Edit, scripted_edits
from helpers.stores import RELEASE, new_catalogue_store

from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.records import AssessmentDetails, CriterionAnswer
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage import assessment_repository as repo
from nesds_desktop.storage.store import open_store

CHILD = Path(__file__).resolve().parent / "helpers" / "scoring_session.py"


def _prepare(data_dir: Path, factory: pytest.TempPathFactory) -> tuple[int, list[str]]:
    store = new_catalogue_store(data_dir, factory)
    try:
        service = WorkbookService(store, "test")
        council = service.add_authority(Authority("Thornbridge District Council", AuthorityType.DISTRICT,
                                                  Region.SOUTH_WEST, "E07900201"))  # fmt: skip
        summary = service.create_assessment(AssessmentDetails(council.id, RELEASE, "ICT", Round(2006)))
        refs = [c.ref for c in service.standard(RELEASE, "ICT").criteria()]
    finally:
        store.close()
    return summary.id, refs


def _applied(edit: Edit, answer: CriterionAnswer) -> bool:
    if edit.kind == JUDGEMENT:
        return answer.judgement is Judgement(edit.value)
    assert edit.kind == NOTES
    return answer.notes == edit.value


@pytest.mark.slow
@pytest.mark.parametrize(("kill_after", "delay"), [(1, 0.0), (13, 0.001), (40, 0.004), (77, 0.0)])
def test_every_reported_edit_survives_a_kill_and_the_store_is_intact(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, kill_after: int, delay: float
) -> None:
    data_dir = tmp_path / "data"
    assessment_id, refs = _prepare(data_dir, tmp_path_factory)
    plan = scripted_edits(refs)
    child = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), str(assessment_id), "--pause", "0.002"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )
    assert child.stdout is not None
    lines: list[str] = []
    try:
        for line in child.stdout:
            lines.append(line)
            if sum(1 for seen in lines if seen.startswith("committed ")) == kill_after:
                time.sleep(delay)  # vary where in the next edit the kill lands
                child.kill()  # SIGKILL on POSIX: the process gets no chance to tidy up
                break
        rest, errors = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    lines.extend(rest.splitlines(keepends=True))
    assert lines and lines[0] == "ready\n", errors
    assert "done\n" not in lines, "the session finished before it was killed"
    if sys.platform != "win32":
        assert child.returncode == -signal.SIGKILL
    reported = [Edit.parse(line) for line in lines if line.startswith("committed ")]
    assert kill_after <= len(reported) < len(plan)
    assert reported == plan[: len(reported)]

    store = open_store(data_dir)  # raises StoreError if the file were damaged
    try:
        with store.engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA integrity_check").scalars().all() == ["ok"]
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        service = WorkbookService(store, "test")
        snapshot = service.open(assessment_id)
        for edit in reported:
            assert _applied(edit, snapshot.answer(edit.ref)), edit
        in_flight = plan[len(reported)]
        for edit in plan[len(reported) + 1 :]:
            answer = snapshot.answer(edit.ref)
            if edit.ref == in_flight.ref and edit.kind == NOTES:
                assert answer.notes == "", edit  # its judgement may have landed, its notes cannot have
            else:
                assert answer == CriterionAnswer(edit.ref), edit  # never touched
        # Each committed call left exactly one history row, the in-flight one at most one more.
        with store.session() as session:
            history = repo.history(session, assessment_id)
        assert len(history) - len(reported) in {0, 1}
        assert len(history) == len(reported) + _applied(in_flight, snapshot.answer(in_flight.ref))
        # The level cached for lists agrees with the judgements that survived.
        summary = service.get_assessment(assessment_id)
        assert summary.level_label == assess_standard(snapshot.standard, snapshot.judgements()).level_label
        assert summary.answered == sum(1 for a in snapshot.answers.values() if a.judgement.is_assessed)
        # And the store takes new edits as usual.
        service.set_judgement(assessment_id, refs[-1], Judgement.MET)
    finally:
        store.close()
