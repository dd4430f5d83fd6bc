"""The hand-checked comparison case, shared by the domain, service, command-line and view tests.

A tiny standard TST with two sections:

    section 1: T-1-M1, T-1-M2 (Minimum), T-1-P1 (Progressing), T-1-E1 (Excellent)
    section 2: T-2-M1 (Minimum), T-2-P1 (Progressing), T-2-E1 (Excellent)

Five authorities in 2006/07 (M Met, P Partly met, N Not met, A Not applicable):

    ref      Alder  Bramwick  Cranmoor  Dalby  Elmhurst
    T-1-M1   M      M         M         M      M
    T-1-M2   M      M         M         N      M
    T-1-P1   N      M         M         N      M
    T-1-E1   N      M         N         N      M
    T-2-M1   P      M         M         M      A
    T-2-P1   N      M         M         N      A
    T-2-E1   N      M         A         N      A

Worked out by hand with the level rule:

    section 1:  Alder Minimum, Bramwick Excellent, Cranmoor Progressing, Dalby No level, Elmhurst Excellent
    section 2:  Alder No level, Bramwick Excellent, Cranmoor Excellent (E not applicable), Dalby Minimum,
                Elmhurst Not applicable
    overall:    Alder No level, Bramwick Excellent, Cranmoor Progressing, Dalby No level, Elmhurst Excellent

Alder against the other four: criteria Alder does not meet, with the share of the peers
they apply to that meet them: T-2-M1 3 of 3, T-1-P1 3 of 4, T-2-P1 2 of 3 (gaps, in that
order); T-1-E1 2 of 4 and T-2-E1 1 of 2 are exactly half, so not "most".

Alder in 2005/06: T-1-M1 M, T-1-M2 P, T-1-P1 M, T-1-E1 N, T-2-M1 N, T-2-P1 M, T-2-E1 N
(both sections No level).  From 2005/06 to 2006/07: newly met T-1-M2; newly lost T-1-P1
and T-2-P1 (T-2-M1 went from not met to partly met: neither).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from nesds_desktop.domain.assessments import Action, ActionState, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.catalogue import Criterion, Release, ReleaseInfo, Section, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage import catalogue_repository
from nesds_desktop.storage.store import Store

RELEASE_ID = "test-tiny.1"
CODE = "TST"
ROUND = "2006/07"
EARLIER_ROUND = "2005/06"
AS_OF = date(2007, 6, 1)

_J = {"M": Judgement.MET, "P": Judgement.PARTLY_MET, "N": Judgement.NOT_MET, "A": Judgement.NOT_APPLICABLE}
REFS = ("T-1-M1", "T-1-M2", "T-1-P1", "T-1-E1", "T-2-M1", "T-2-P1", "T-2-E1")


@dataclass(frozen=True)
class CaseAuthority:
    authority: Authority
    answers: str
    """One letter per ref in REFS order."""

    @property
    def name(self) -> str:
        return self.authority.name

    def judgements(self) -> dict[str, Judgement]:
        return judgements(self.answers)


def judgements(answers: str) -> dict[str, Judgement]:
    return {ref: _J[letter] for ref, letter in zip(REFS, answers, strict=True)}


ALDER = CaseAuthority(Authority("Alder Vale", AuthorityType.DISTRICT, Region.SOUTH_EAST, "E07900101"), "MMNNPNN")
BRAMWICK = CaseAuthority(Authority("Bramwick", AuthorityType.DISTRICT, Region.SOUTH_EAST, "E07900102"), "MMMMMMM")
CRANMOOR = CaseAuthority(Authority("Cranmoor", AuthorityType.UNITARY, Region.SOUTH_EAST, "E06900103"), "MMMNMMA")
DALBY = CaseAuthority(Authority("Dalby Fen", AuthorityType.DISTRICT, Region.NORTH_WEST, "E07900104"), "MNNNMNN")
ELMHURST = CaseAuthority(Authority("Elmhurst", AuthorityType.UNITARY, Region.NORTH_WEST, "E06900105"), "MMMMAAA")
CASE = (ALDER, BRAMWICK, CRANMOOR, DALBY, ELMHURST)
ALDER_EARLIER = "MPMNNMN"

ALDER_ACTIONS = (
    Action("Publish the service plan", "T-1-P1", "Head of service", date(2006, 12, 31), state=ActionState.COMPLETED),
    Action("Train the team", "T-2-M1", "Team leader", date(2007, 1, 31), state=ActionState.IN_PROGRESS,
           saving_cashable=Decimal("500.00")),
    Action("Review the web forms", "T-2-P1", "Web manager", date(2007, 12, 31)),
    Action("Old idea", None, "Nobody", date(2006, 12, 1), state=ActionState.CANCELLED),
)  # fmt: skip


def tiny_standard() -> Standard:
    def criterion(ref: str) -> Criterion:
        return Criterion(ref, Level.from_letter(ref[-2]), f"Statement of {ref}.", f"Guidance for {ref}.")

    return Standard(
        CODE,
        "Tiny test standard",
        "A standard small enough to check by hand.",
        sections=(
            Section(1, "Leadership", "First section.", tuple(criterion(r) for r in REFS[:4])),
            Section(2, "Customer access", "Second section.", tuple(criterion(r) for r in REFS[4:])),
        ),
    )


def tiny_release() -> Release:
    info = ReleaseInfo(RELEASE_ID, "Tiny test release", "1", date(2006, 4, 1), "Written for the tests.", "sha256:0")
    return Release(info, (tiny_standard(),))


@dataclass(frozen=True)
class StoredCase:
    ids: dict[str, int]
    """Authority name -> id."""
    assessments: dict[tuple[str, str], int]
    """(authority name, round) -> assessment id."""


def store_case(store: Store) -> StoredCase:
    """Put the tiny release and the five authorities' assessments in ``store`` through the workbook."""
    with store.session() as session:
        catalogue_repository.add_release(session, tiny_release())
        session.commit()
    service = WorkbookService(store, "tester")
    ids: dict[str, int] = {}
    assessments: dict[tuple[str, str], int] = {}

    def assess(authority_id: int, name: str, round_label: str, answers: str) -> int:
        summary = service.create_assessment(
            AssessmentDetails(authority_id, RELEASE_ID, CODE, Round.parse(round_label))
        )
        for ref, judgement in judgements(answers).items():
            service.set_judgement(summary.id, ref, judgement)
        assessments[(name, round_label)] = summary.id
        return summary.id

    for case in CASE:
        record = service.add_authority(case.authority)
        ids[case.name] = record.id
        assess(record.id, case.name, ROUND, case.answers)
    assess(ids[ALDER.name], ALDER.name, EARLIER_ROUND, ALDER_EARLIER)
    for action in ALDER_ACTIONS:
        service.add_action(assessments[(ALDER.name, ROUND)], action)
    return StoredCase(ids, assessments)
