"""The action plan's optional "How we compare" section, read back with poppler-utils.

A hand-checked case on the bundled ICT standard (nesds-2006.1), round 2006/07.  Every
criterion is Met except those listed (N Not met, P Partly met):

    Harrowfield (the plan's authority, a district in the South East):
        ICT-1-M1 N, ICT-2-P1 P, ICT-3-E1 N, ICT-5-P1 N          -> No level (section 1)
    Quillborough (district, South East):   all Met              -> Excellent
    Ravenscar Vale (district, North West): ICT-5-P1 N           -> Minimum (section 5)
    Stoneybridge (unitary, South West):    ICT-3-E1 N, ICT-5-P1 N -> Minimum

So Harrowfield is lower than all 3 peers overall.  Criteria most peers meet and it does not:
ICT-1-M1 and ICT-2-P1 (3 of 3), ICT-3-E1 (2 of 3); ICT-5-P1 (1 of 3) is not "most".
Harrowfield in 2005/06: all Met except ICT-4-P1 N and ICT-3-E1 N, so from 2005/06 to
2006/07 ICT-4-P1 is newly met and ICT-1-M1, ICT-2-P1 and ICT-5-P1 newly lost (ICT-2-P1 is
partly met: a loss).  Harrowfield also has a 2007/08 assessment, which a 2006/07 plan must
not report.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pdf_tools
import pytest
from helpers.stores import new_catalogue_store

from nesds_desktop.domain.assessments import Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails
from nesds_desktop.services.action_plan_service import PeerFilter, export_action_plan
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store

RELEASE = "nesds-2006.1"
TITLE = "Information and Communications Technology"  # ICT's title in that release
PRODUCED = date(2006, 11, 20)
N, P = Judgement.NOT_MET, Judgement.PARTLY_MET
SUBJECT = Authority("Harrowfield Borough Council", AuthorityType.DISTRICT, Region.SOUTH_EAST, "E07900301")
PEERS = {
    Authority("Quillborough District Council", AuthorityType.DISTRICT, Region.SOUTH_EAST, "E07900302"): {},
    Authority("Ravenscar Vale District Council", AuthorityType.DISTRICT, Region.NORTH_WEST, "E07900303"): {
        "ICT-5-P1": N
    },
    Authority("Stoneybridge Council", AuthorityType.UNITARY, Region.SOUTH_WEST, "E06900304"): {
        "ICT-3-E1": N, "ICT-5-P1": N,
    },
}  # fmt: skip
PEER_NAMES = ("Quillborough", "Ravenscar", "Stoneybridge")
SUBJECT_2006 = {"ICT-1-M1": N, "ICT-2-P1": P, "ICT-3-E1": N, "ICT-5-P1": N}
SUBJECT_2005 = {"ICT-4-P1": N, "ICT-3-E1": N}
SUBJECT_2007 = {"ICT-1-M1": N}


@dataclass(frozen=True)
class Case:
    data_dir: Path
    plan_id: int
    """Harrowfield's 2006/07 assessment."""


def _assess(workbook: WorkbookService, authority_id: int, round_label: str, answers: dict[str, Judgement]) -> int:
    summary = workbook.create_assessment(AssessmentDetails(authority_id, RELEASE, "ICT", Round.parse(round_label)))
    for criterion in workbook.open(summary.id).standard.criteria():
        workbook.set_judgement(summary.id, criterion.ref, answers.get(criterion.ref, Judgement.MET))
    return summary.id


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Case]:
    data_dir = tmp_path_factory.mktemp("comparison-plan") / "data"
    store = new_catalogue_store(data_dir, tmp_path_factory)
    workbook = WorkbookService(store, "tester")
    subject = workbook.add_authority(SUBJECT)
    plan_id = _assess(workbook, subject.id, "2006/07", SUBJECT_2006)
    _assess(workbook, subject.id, "2005/06", SUBJECT_2005)
    _assess(workbook, subject.id, "2007/08", SUBJECT_2007)
    for authority, answers in PEERS.items():
        _assess(workbook, workbook.add_authority(authority).id, "2006/07", answers)
    store.close()
    yield Case(data_dir, plan_id)


def _export(case: Case, target: Path, *, comparison: bool = True, peers: PeerFilter | None = None) -> Path:
    store = open_store(case.data_dir)
    try:
        service = WorkbookService(store, "")
        return export_action_plan(service, case.plan_id, target, produced=PRODUCED, comparison=comparison, peers=peers)
    finally:
        store.close()


@pytest.fixture(scope="module")
def plan(case: Case, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _export(case, tmp_path_factory.mktemp("plan") / "plan.pdf")


def _section_text(pdf: Path) -> str:
    """The text of the pages from "How we compare" to the page before Appendix A, whitespace flattened."""
    pages = pdf_tools.page_texts(pdf)
    first = next(i for i, page in enumerate(pages) if "How we compare" in page)
    end = next(i for i, page in enumerate(pages) if "Appendix A: Evidence references" in page)
    assert first < end
    return pdf_tools.flat(" ".join(pages[first:end]))


def _section_layout_lines(pdf: Path) -> list[str]:
    pages = pdf_tools.page_texts(pdf)
    first = next(i for i, page in enumerate(pages) if "How we compare" in page) + 1
    end = next(i for i, page in enumerate(pages) if "Appendix A: Evidence references" in page)
    return [pdf_tools.flat(line) for line in pdf_tools.text(pdf, first, end, layout=True).splitlines()]


def test_the_section_describes_the_peer_set(plan: Path) -> None:
    text = _section_text(plan)
    assert "How we compare" in text
    assert (
        f"Harrowfield Borough Council beside 3 other authorities that assessed {TITLE} in 2006/07 against "
        "catalogue release nesds-2006.1. Peers: All authorities."
    ) in text


def test_peers_are_anonymised_and_never_named(plan: Path) -> None:
    whole = pdf_tools.flat(pdf_tools.text(plan))
    for label in ("Authority A", "Authority B", "Authority C"):
        assert label in _section_text(plan)
    assert "Authority D" not in whole
    for name in PEER_NAMES:
        assert name not in whole
        assert all(name not in value for value in pdf_tools.info(plan).values())


def test_this_authority_beside_the_peer_distribution(plan: Path) -> None:
    lines = _section_layout_lines(plan)
    # The numbers table: 3 peers; higher than none, level with none, lower than all three.
    assert "Standard (all sections) No level 3 0 (0%) 0 (0%) 3 (100%) 0" in lines
    # Section 2: Harrowfield Minimum (ICT-2-P1 partly met), every peer Excellent.
    assert "2 Infrastructure and resilience Minimum 3 0 (0%) 0 (0%) 3 (100%) 0" in lines
    # Section 5: Harrowfield Minimum (ICT-5-P1), level with Ravenscar and Stoneybridge, below Quillborough.
    assert "5 ICT service management Minimum 3 0 (0%) 2 (66%) 1 (33%) 0" in lines
    # The chart's standard row: the count of peers in each band, No level to Excellent (0, 2, 0, 1).
    assert "Standard (all sections) No level 0 2 0 1" in lines
    assert "5 ICT service management Minimum 0 2 0 1" in lines


def test_criteria_most_peers_meet_are_listed_widest_gap_first(plan: Path) -> None:
    text = _section_text(plan)
    gaps_part = text.split("Criteria most peers meet that we do not", 1)[1].split("The peers one by one", 1)[0]
    refs = re.findall(r"ICT-\d-[MPE]\d", gaps_part)
    assert refs == ["ICT-1-M1", "ICT-2-P1", "ICT-3-E1"]
    assert "3 criteria that more than half of the peers" in gaps_part
    assert gaps_part.count("3 of 3 peers (100%)") == 2 and "2 of 3 peers (66%)" in gaps_part
    assert "ICT-5-P1" not in gaps_part  # 1 of 3 peers: not most


def test_progress_over_earlier_rounds_only(plan: Path) -> None:
    text = _section_text(plan)
    progress = text.split("Progress over rounds", 1)[1]
    assert "2005/06 (nesds-2006.1)" in progress and "2006/07 (nesds-2006.1)" in progress
    assert "2007/08" not in text  # a 2006/07 plan reports no later round
    lines = _section_layout_lines(plan)
    assert "Criteria met 56 of 58 54 of 58" in lines
    changes = progress.split("Criteria newly met and newly lost", 1)[1]
    assert "ICT-4-P1 ICT-1-M1, ICT-2-P1, ICT-5-P1 Same references" in changes
    assert "2005/06 to" in changes


def test_only_embedded_bundled_fonts(plan: Path) -> None:
    rows = pdf_tools.fonts(plan)
    assert rows
    assert all(row.embedded for row in rows), rows
    assert {row.name.split("+")[-1] for row in rows} <= {"DejaVuSans", "DejaVuSans-Bold"}


def test_the_section_has_bookmarks_opening_its_pages(plan: Path) -> None:
    outline = pdf_tools.outline(plan)
    titles = [(b.title, b.depth) for b in outline]
    start = titles.index(("How we compare", 0))
    assert titles[start + 1 : start + 6] == [
        ("Level beside the peers", 1),
        ("Where this authority stands", 1),
        ("Criteria most peers meet", 1),
        ("Peers", 1),
        ("Progress over rounds", 1),
    ]
    assert ("Criteria newly met and newly lost", 1) in titles
    pages = pdf_tools.page_texts(plan)
    assert "How we compare" in pages[outline[start].page - 1]
    progress = titles.index(("Progress over rounds", 1))
    assert "Progress over rounds" in pages[outline[progress].page - 1]
    # The section sits before the appendices, in the document's own outline.
    assert titles.index(("Appendix A: Evidence references", 0)) > progress


def test_without_the_option_the_plan_has_no_comparison(case: Case, tmp_path: Path) -> None:
    pdf = _export(case, tmp_path / "plain.pdf", comparison=False)
    text = pdf_tools.flat(pdf_tools.text(pdf))
    assert "How we compare" not in text and "Authority A" not in text
    assert "How we compare" not in [b.title for b in pdf_tools.outline(pdf)]


def test_a_filter_that_leaves_no_peers_says_so_in_a_sentence(case: Case, tmp_path: Path) -> None:
    pdf = _export(case, tmp_path / "wales.pdf", peers=PeerFilter(region=Region.WALES))
    text = _section_text(pdf)
    assert (
        f"No other authority among the peers asked for (Authorities in Wales) has assessed {TITLE} in 2006/07 "
        "against catalogue release nesds-2006.1, so there are no peers to compare with."
    ) in text
    assert "With no peers there is no distribution of levels to show." in text
    assert "With no peers there are no criteria to set beside theirs." in text
    assert "Authority A" not in text and "Where this authority stands" not in text
    # Progress does not depend on peers: it is still there.
    assert "ICT-4-P1" in text.split("Progress over rounds", 1)[1]


def test_only_this_authority_assessed_the_standard(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    store = new_catalogue_store(tmp_path / "alone", tmp_path_factory)
    try:
        workbook = WorkbookService(store, "tester")
        alone = workbook.add_authority(SUBJECT)
        assessment_id = _assess(workbook, alone.id, "2006/07", SUBJECT_2006)
        pdf = export_action_plan(workbook, assessment_id, tmp_path / "alone.pdf", produced=PRODUCED, comparison=True)
    finally:
        store.close()
    text = _section_text(pdf)
    assert (
        f"No other authority has assessed {TITLE} in 2006/07 against catalogue release nesds-2006.1, so there "
        "are no peers to compare with."
    ) in text
    assert f"2006/07 is the first round in which this authority assessed {TITLE}" in text
    assert "Authority A" not in text and "Peers meeting it" not in text
    assert all(row.embedded for row in pdf_tools.fonts(pdf))


def test_the_section_pages_render(plan: Path, tmp_path: Path) -> None:
    pages = pdf_tools.render(plan, tmp_path / "pages")
    assert len(pages) == pdf_tools.page_count(plan)
    assert all(page.stat().st_size > 1000 for page in pages)


@pytest.mark.slow
def test_the_command_line_flag_adds_the_section_with_the_peer_filter(case: Case, tmp_path: Path) -> None:
    target = tmp_path / "cli.pdf"
    result = _run("--data-dir", str(case.data_dir), "export", "action-plan", str(case.plan_id), "-o", str(target),
                  "--compare", "--peer-type", "district")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"action plan written to {target}" in result.stdout
    text = _section_text(target)
    # Districts: Quillborough and Ravenscar Vale, anonymised; Stoneybridge (unitary) is left out.
    assert "beside 2 other authorities" in text and "Peers: District councils." in text
    assert "Authority B" in text and "Authority C" not in text
    assert not any(name in text for name in PEER_NAMES)

    refused = _run("--data-dir", str(case.data_dir), "export", "action-plan", str(case.plan_id), "-o",
                   str(tmp_path / "refused.pdf"), "--peer-region", "Wales")  # fmt: skip
    assert refused.returncode == 1 and "give --compare too" in refused.stderr
    assert not (tmp_path / "refused.pdf").exists()
    unknown = _run("--data-dir", str(case.data_dir), "export", "action-plan", str(case.plan_id), "-o",
                   str(tmp_path / "unknown.pdf"), "--compare", "--peer-region", "Atlantis")  # fmt: skip
    assert unknown.returncode == 1 and "error:" in unknown.stderr


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nesds_desktop", *args], capture_output=True, text=True, check=False, timeout=300
    )
