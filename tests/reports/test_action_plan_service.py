"""export_action_plan: where the file goes, what happens when it cannot, progress, and edge cases."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdf_tools
import pytest
from action_plan_builders import COUNCIL, PRODUCED, new_assessment, new_service, typical_assessment

from nesds_desktop.domain.assessments import Action, ActionPriority
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services import action_plan_service
from nesds_desktop.services.action_plan_service import ActionPlanError, export_action_plan, suggested_file_name
from nesds_desktop.services.workbook_service import WorkbookService


@pytest.fixture
def service(tmp_path: Path) -> Iterator[WorkbookService]:
    built = new_service(tmp_path / "data")
    yield built
    built.store.close()


def _blank_assessment(service: WorkbookService, code: str = "CS") -> int:
    assessment_id, _ = new_assessment(service, code)
    return assessment_id


def test_the_file_is_written_whole_and_replaces_an_older_one(service: WorkbookService, tmp_path: Path) -> None:
    expected = typical_assessment(service)
    target = tmp_path / "out" / "plan.pdf"
    target.parent.mkdir()
    target.write_bytes(b"an older plan")
    returned = export_action_plan(service, expected.assessment_id, target, produced=PRODUCED)
    assert returned == target
    assert target.read_bytes().startswith(b"%PDF-")
    assert pdf_tools.page_count(target) >= 4
    assert sorted(p.name for p in target.parent.iterdir()) == ["plan.pdf"], "a temporary file was left behind"


def test_a_failed_export_leaves_the_older_file_and_no_temporary_file(
    service: WorkbookService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = typical_assessment(service)
    target = tmp_path / "plan.pdf"
    target.write_bytes(b"the plan sent yesterday")

    def fail(*_args: Any, **_kwargs: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(action_plan_service, "write_action_plan", fail)
    with pytest.raises(ActionPlanError, match="No space left on device"):
        export_action_plan(service, expected.assessment_id, target)
    assert target.read_bytes() == b"the plan sent yesterday"
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["plan.pdf"]


def test_a_missing_folder_is_reported_not_created(service: WorkbookService, tmp_path: Path) -> None:
    expected = typical_assessment(service)
    with pytest.raises(ActionPlanError, match="does not exist"):
        export_action_plan(service, expected.assessment_id, tmp_path / "no such folder" / "plan.pdf")
    assert not (tmp_path / "no such folder").exists()


def test_progress_is_reported_up_to_done(service: WorkbookService, tmp_path: Path) -> None:
    expected = typical_assessment(service)
    calls: list[tuple[int, int]] = []
    target = tmp_path / "plan.pdf"
    export_action_plan(service, expected.assessment_id, target, progress=lambda d, t: calls.append((d, t)))
    assert calls, "no progress was reported"
    done = [d for d, _ in calls]
    assert done == sorted(done) and calls[-1][0] == calls[-1][1] > 0


def test_a_blank_assessment_still_makes_a_plan(service: WorkbookService, tmp_path: Path) -> None:
    assessment_id = _blank_assessment(service)
    pdf = export_action_plan(service, assessment_id, tmp_path / "plan.pdf", produced=PRODUCED)
    text = pdf_tools.flat(pdf_tools.text(pdf))
    assert "Level achieved No level" in pdf_tools.flat(pdf_tools.text(pdf, 1, 1, raw=True))
    assert "No criterion is judged not met or partly met." in text
    assert "No actions are open." in text
    assert "No evidence references are recorded." in text
    assert "£0" in text
    assert "Page 1 of " in text


def test_a_standard_where_nothing_applies_says_so(service: WorkbookService, tmp_path: Path) -> None:
    assessment_id = _blank_assessment(service, "LCL")
    for criterion in service.open(assessment_id).standard.criteria():
        service.set_judgement(assessment_id, criterion.ref, Judgement.NOT_APPLICABLE)
    pdf = export_action_plan(service, assessment_id, tmp_path / "plan.pdf", produced=PRODUCED)
    first = pdf_tools.flat(pdf_tools.text(pdf, 1, 1))
    assert "Not applicable" in first and "none apply" in first
    assert "every criterion in this standard is marked not applicable" in first


def test_the_summary_stays_on_one_page_however_much_there_is(service: WorkbookService, tmp_path: Path) -> None:
    assessment_id = _blank_assessment(service)
    criteria = list(service.open(assessment_id).standard.criteria())
    for number, criterion in enumerate(criteria):
        service.set_judgement(assessment_id, criterion.ref, Judgement.NOT_MET if number % 2 else Judgement.PARTLY_MET)
    for number, criterion in enumerate(criteria[:30]):
        service.add_action(
            assessment_id,
            Action(
                f"Action {number}: " + "rework the procedure, train the team and report back to the board; " * 12,
                criterion.ref,
                owner="Head of Customer Services, with the Contact Centre Manager and the CRM Systems Officer " * 2,
                due=date(2007, 1 + number % 12, 1),
                priority=ActionPriority.HIGH,
                saving_cashable=Decimal(1000 + number),
            ),
        )
    pdf = export_action_plan(service, assessment_id, tmp_path / "plan.pdf", produced=PRODUCED)
    pages = [pdf_tools.flat(page) for page in pdf_tools.page_texts(pdf)]
    assert "Actions due soonest" in pages[0]
    assert pages[1].startswith(f"{COUNCIL} ") and "Section 1:" in pages[1]
    assert "Action 0: rework the procedure" in pages[0]  # due first (January), clipped
    assert "…" in pages[0]


def test_suggested_file_name_is_safe_on_every_platform(service: WorkbookService) -> None:
    expected = typical_assessment(service)
    summary = service.get_assessment(expected.assessment_id)
    assert suggested_file_name(summary) == f"{COUNCIL} ICT action plan 2006-07.pdf"
