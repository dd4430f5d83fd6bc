"""Assessments built through WorkbookService for the action plan tests, with what they should show."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from nesds_desktop.domain.assessments import Action, ActionPriority, ActionState, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.catalogue import Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.services.catalogue_service import load_bundled_releases
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store

RELEASE = "nesds-2006.1"
COUNCIL = "Wealdmouth District Council"
ROUND = Round(2006)
PRODUCED = date(2006, 11, 20)


def new_service(data_dir: Path) -> WorkbookService:
    store = open_store(data_dir)
    report = load_bundled_releases(store)
    assert report.problems == []
    return WorkbookService(store, "Test facilitator")


@dataclass
class Expected:
    """What the action plan of a built assessment must show."""

    assessment_id: int
    standard: Standard
    gap_refs: list[str] = field(default_factory=list)
    action_descriptions: list[str] = field(default_factory=list)
    evidence_titles: list[str] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    cashable: str = ""
    non_cashable: str = ""
    total: str = ""


def new_assessment(service: WorkbookService, code: str) -> tuple[int, Standard]:
    # The same council may be built more than once in a store: the register wants distinct GSS codes.
    serial = 900001 + len(service.list_authorities())
    authority = service.add_authority(Authority(COUNCIL, AuthorityType.DISTRICT, Region.SOUTH_EAST, f"E07{serial}"))
    summary = service.create_assessment(
        AssessmentDetails(
            authority_id=authority.id,
            release_id=RELEASE,
            standard_code=code,
            round=ROUND,
            facilitator="Gwen Pryce, Improvement Officer",
            participants="Head of ICT (R. Patel); Web Manager (S. Llŵyd); Information Governance Officer (T. Khan)",
            workshop_start=date(2006, 10, 12),
        )
    )
    return summary.id, service.standard(RELEASE, code)


def typical_assessment(service: WorkbookService, code: str = "ICT") -> Expected:
    """Every Minimum met; in each section the first Progressing criterion partly met (section 1)
    or not met (section 2), the first Excellent not met and the second partly met; one criterion
    not applicable, the last section's remaining Excellent criteria not yet assessed.  Actions
    with savings, including a cancelled one whose saving must not be counted."""
    assessment_id, standard = new_assessment(service, code)
    expected = Expected(assessment_id, standard)
    sections = standard.sections
    last = sections[-1].number
    for section in sections:
        progressing = section.criteria_at(Level.PROGRESSING)
        excellent = section.criteria_at(Level.EXCELLENT)
        for criterion in section.criteria:
            judgement = Judgement.MET
            if criterion.level is Level.PROGRESSING and criterion == progressing[0] and section.number in (1, 2):
                judgement = Judgement.PARTLY_MET if section.number == 1 else Judgement.NOT_MET
            elif criterion.level is Level.EXCELLENT and criterion == excellent[0]:
                judgement = Judgement.NOT_MET
            elif criterion.level is Level.EXCELLENT and criterion == excellent[1]:
                judgement = Judgement.PARTLY_MET
            elif criterion.level is Level.EXCELLENT and section.number == last:
                judgement = Judgement.NOT_YET_ASSESSED
            elif criterion.level is Level.PROGRESSING and section.number == 3 and criterion == progressing[-1]:
                judgement = Judgement.NOT_APPLICABLE
            if judgement is not Judgement.NOT_YET_ASSESSED:
                service.set_judgement(assessment_id, criterion.ref, judgement)
            if judgement in (Judgement.NOT_MET, Judgement.PARTLY_MET):
                expected.gap_refs.append(criterion.ref)
    first_gap = expected.gap_refs[0]
    second_gap = next(ref for ref in expected.gap_refs if ref.startswith(f"{code}-2-"))
    third_gap = next(ref for ref in expected.gap_refs if ref.startswith(f"{code}-3-"))
    note = "Draft strategy seen; awaiting Cabinet approval (costs < £5k & rising; =SUM(A1) +44 @risk <b>not bold</b>)."
    service.set_notes(assessment_id, first_gap, note)
    expected.notes[first_gap] = note
    for ref, title, location in (
        (first_gap, "Draft ICT strategy 2006–2009", r"\\fs01\ict\strategy"),
        (sections[0].criteria[0].ref, "Corporate plan extract", "http://intranet/corporate/plan"),
        (sections[1].criteria[0].ref, "Minutes of the e-Government Board, 4 May 2006, item 7", ""),
    ):
        service.add_evidence(assessment_id, ref, EvidenceReference(title, location))
        expected.evidence_titles.append(title)
    actions = (
        Action("Publish the ICT strategy with dated targets and owners", first_gap, "Head of ICT (R. Patel)",
               date(2007, 1, 31), ActionPriority.HIGH, ActionState.IN_PROGRESS, Decimal("1200.50"), Decimal("800")),
        Action("Commission a second data centre link", second_gap, "ICT Infrastructure Manager (Siân Llŵyd)",
               date(2006, 11, 30), ActionPriority.HIGH, ActionState.NOT_STARTED, Decimal("0"), Decimal("2500")),
        Action("Move the service desk to shared tooling with the county", third_gap, "ICT Service Desk Manager",
               date(2007, 6, 30), ActionPriority.LOW, ActionState.NOT_STARTED, Decimal("15000"), Decimal("0")),
        Action("Report progress on this plan to the e-Government Board every quarter", None, "Head of ICT (R. Patel)",
               date(2007, 3, 31), ActionPriority.MEDIUM, ActionState.IN_PROGRESS, Decimal("0"), Decimal("300")),
        Action("Outsource the web team", second_gap, "Web Manager", date(2007, 2, 28), ActionPriority.LOW,
               ActionState.CANCELLED, Decimal("99999"), Decimal("0")),
        Action("Agree the records retention schedule", third_gap, "Information Governance Officer",
               date(2006, 9, 30), ActionPriority.MEDIUM, ActionState.COMPLETED, Decimal("250"), Decimal("0")),
    )  # fmt: skip
    for action in actions:
        service.add_action(assessment_id, action)
        expected.action_descriptions.append(action.description)
    # 1,200.50 + 15,000 + 250 cashable; 800 + 2,500 + 300 non-cashable; the cancelled 99,999 left out.
    expected.cashable, expected.non_cashable, expected.total = "£16,450.50", "£3,600", "£20,050.50"
    return expected


def long_notes_assessment(service: WorkbookService, code: str = "ICT") -> Expected:
    """Section 1 with every Progressing and Excellent criterion not met and a long note on each
    (the third longer than a page), so its gaps table must run over several pages."""
    assessment_id, standard = new_assessment(service, code)
    expected = Expected(assessment_id, standard)
    for section in standard.sections:
        for criterion in section.criteria:
            gap = section.number == 1 and criterion.level is not Level.MINIMUM
            service.set_judgement(assessment_id, criterion.ref, Judgement.NOT_MET if gap else Judgement.MET)
            if not gap:
                continue
            expected.gap_refs.append(criterion.ref)
            # Numbered sentences, each tagged with a token that cannot be broken across lines,
            # so a test can tell that every one of them is printed exactly once.
            count = 60 if len(expected.gap_refs) == 3 else 9
            note = " ".join(
                f"[{criterion.ref}#{number}] The workshop discussed this at length and agreed the evidence "
                "falls short; the service head will bring the missing documents to the next meeting."
                for number in range(1, count + 1)
            )
            service.set_notes(assessment_id, criterion.ref, note)
            expected.notes[criterion.ref] = note
    return expected
