"""The exported action plan, read back with poppler: text, fonts, pages, bookmarks, metadata."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pdf_tools
import pytest
from action_plan_builders import (
    COUNCIL,
    PRODUCED,
    ROUND,
    Expected,
    long_notes_assessment,
    new_assessment,
    new_service,
    typical_assessment,
)
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from nesds_desktop.domain.assessments import Action
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.action_plan_service import export_action_plan
from nesds_desktop.services.workbook_service import WorkbookService

BASE_14 = {
    "Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique", "Helvetica", "Helvetica-Bold",
    "Helvetica-Oblique", "Helvetica-BoldOblique", "Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic",
    "Symbol", "ZapfDingbats",
}  # fmt: skip


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkbookService]:
    built = new_service(tmp_path_factory.mktemp("data"))
    yield built
    built.store.close()


@pytest.fixture(scope="module")
def typical(service: WorkbookService, tmp_path_factory: pytest.TempPathFactory) -> tuple[Expected, Path]:
    expected = typical_assessment(service)
    pdf = export_action_plan(
        service, expected.assessment_id, tmp_path_factory.mktemp("typical") / "plan.pdf", produced=PRODUCED
    )
    return expected, pdf


@pytest.fixture(scope="module")
def long_notes(service: WorkbookService, tmp_path_factory: pytest.TempPathFactory) -> tuple[Expected, Path]:
    expected = long_notes_assessment(service)
    pdf = export_action_plan(
        service, expected.assessment_id, tmp_path_factory.mktemp("long") / "plan.pdf", produced=PRODUCED
    )
    return expected, pdf


def test_the_text_names_the_council_round_gaps_actions_and_totals(typical: tuple[Expected, Path]) -> None:
    expected, pdf = typical
    text = pdf_tools.flat(pdf_tools.text(pdf))
    assert COUNCIL in text
    assert f"Round {ROUND.label}" in text
    for ref in expected.gap_refs:
        assert ref in text
    for description in expected.action_descriptions:
        assert description in text
    for title in expected.evidence_titles:
        assert title in text
    for amount in (expected.cashable, expected.non_cashable, expected.total):
        assert amount in text
    assert "£99,999" not in pdf_tools.flat(pdf_tools.text(pdf, 1, 1)), "a cancelled action's saving was counted"
    assert "Siân Llŵyd" in text  # Welsh letters come through the bundled font


def test_what_the_user_typed_prints_as_typed(typical: tuple[Expected, Path]) -> None:
    expected, pdf = typical
    text = pdf_tools.flat(pdf_tools.text(pdf))
    for note in expected.notes.values():
        assert pdf_tools.flat(note) in text


def test_every_font_is_the_bundled_one_and_embedded(typical: tuple[Expected, Path]) -> None:
    _, pdf = typical
    rows = pdf_tools.fonts(pdf)
    assert rows, "pdffonts found no font"
    for row in rows:
        assert row.embedded and row.subset, row
        assert row.name.split("+")[-1] in {"DejaVuSans", "DejaVuSans-Bold"}, row
        assert row.name.split("+")[-1] not in BASE_14


def test_pages_are_a4_and_numbered_page_x_of_y(typical: tuple[Expected, Path]) -> None:
    _, pdf = typical
    info = pdf_tools.info(pdf)
    assert info["Page size"].startswith("595.276 x 841.89")  # A4 in points
    pages = pdf_tools.page_texts(pdf)
    assert 4 <= len(pages) <= 12
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
        assert COUNCIL in page and f"Round {ROUND.label}" in page  # the running header
    assert "Page 1 of " in pages[0]
    # Reading order (the order the content is written in): running header, body, then footer.
    in_order = [line for line in pdf_tools.text(pdf, 2, 2, raw=True).splitlines() if line.strip()]
    assert in_order[0].startswith(COUNCIL) and in_order[1].startswith("Section 1:")
    assert in_order[-1].endswith(f"Page 2 of {len(pages)}")


def test_the_executive_summary_is_one_page(typical: tuple[Expected, Path]) -> None:
    expected, pdf = typical
    first, second = (pdf_tools.flat(page) for page in pdf_tools.page_texts(pdf)[:2])
    for heading in ("Executive summary", "Level by section", "Most important gaps", "Actions due soonest"):
        assert heading in first
    in_order = pdf_tools.flat(pdf_tools.text(pdf, 1, 1, raw=True))
    assert f"Level achieved Minimum Cashable savings {expected.cashable} Non-cashable savings" in in_order
    for level in ("Minimum", "Progressing", "Excellent"):
        assert level in first
    # The chart's figures are written as text: section 3 has one Progressing criterion not applicable.
    assert "100%" in first and "none apply" not in first
    # The gap holding the standard at Minimum comes first, before any Excellent gap.
    assert first.index(expected.gap_refs[0]) < first.index("Actions due soonest")
    # Actions due soonest: the open ones by date, so the completed September action is not there.
    assert first.index("Commission a second data centre link") < first.index("Publish the ICT strategy")
    assert "Agree the records retention schedule" not in first
    first_section = expected.standard.sections[0]
    assert second.startswith(f"{COUNCIL} ") and f"Section 1: {first_section.title}" in second
    assert "Executive summary" not in second


def test_each_section_shows_level_gaps_and_actions(typical: tuple[Expected, Path]) -> None:
    expected, pdf = typical
    text = pdf_tools.flat(pdf_tools.text(pdf))
    for section in expected.standard.sections:
        assert f"Section {section.number}: {section.title}" in text
    assert "Minimum, not Progressing, because" in text
    assert "Not yet assessed:" in text
    assert "Actions for the standard as a whole" in text
    assert "Appendix A: Evidence references" in text and "Appendix B: About this assessment" in text
    assert r"\\fs01\ict\strategy" in text


def test_metadata_title_author_subject_and_language(typical: tuple[Expected, Path]) -> None:
    _, pdf = typical
    info = pdf_tools.info(pdf)
    assert info["Title"] == f"{COUNCIL}: Information and Communications Technology action plan {ROUND.label}"
    assert info["Author"] == COUNCIL
    assert "ICT" in info["Subject"] and ROUND.label in info["Subject"]
    assert info["Creator"].startswith("NeSDS Workbook")
    raw = pdf.read_bytes()
    assert b"/Lang (en-GB)" in raw
    assert re.search(rb"/DisplayDocTitle\s+true", raw)
    assert b"/PageMode /UseOutlines" in raw


def test_bookmarks_open_the_page_each_heading_is_on(typical: tuple[Expected, Path]) -> None:
    expected, pdf = typical
    bookmarks = pdf_tools.outline(pdf)
    top = [b for b in bookmarks if b.depth == 0]
    section_titles = [f"Section {s.number}: {s.title}" for s in expected.standard.sections]
    assert [b.title for b in top] == [
        "Executive summary",
        *section_titles,
        "Actions for the standard as a whole",
        "Appendix A: Evidence references",
        "Appendix B: About this assessment",
    ]
    pages = [pdf_tools.flat(page) for page in pdf_tools.page_texts(pdf)]
    for bookmark in top:
        assert bookmark.title in pages[bookmark.page - 1], bookmark
    assert top[0].page == 1 and top[1].page == 2
    assert len({b.page for b in top}) > 2, "every bookmark points at the same page"
    assert {b.title for b in bookmarks if b.depth == 1} >= {"Gaps", "Actions", "Level by section"}


def test_long_notes_split_tables_over_pages_with_the_header_repeated(long_notes: tuple[Expected, Path]) -> None:
    expected, pdf = long_notes
    pages = [pdf_tools.flat(page) for page in pdf_tools.page_texts(pdf)]
    start = next(i for i, page in enumerate(pages) if "Section 1:" in page)
    last_tag = re.findall(r"\[[^]]+\]", expected.notes[expected.gap_refs[-1]])[-1]
    end = next(i for i, page in enumerate(pages) if last_tag in page)
    assert end - start >= 3, "section 1's gaps should run over several pages"
    header = re.compile(r"Ref\s+Criterion\s+Judgement\s+Evidence so far")
    for index in range(start + 1, end + 1):
        lines = [line for line in pdf_tools.text(pdf, index + 1, index + 1, layout=True).splitlines() if line.strip()]
        assert COUNCIL in lines[0]  # the running header, then the table's header row first of all
        assert header.search(lines[1]), f"page {index + 1} continues the table without its header: {lines[1]!r}"
    whole = pdf_tools.text(pdf)
    for ref, note in expected.notes.items():
        tags = re.findall(r"\[[A-Z]+-\d+-[MPE]\d+#\d+\]", note)
        assert len(tags) >= 9
        for tag in tags:
            assert whole.count(tag) == 1, f"{tag} of the note of {ref} is lost or repeated"
    assert "Executive summary" in pages[0] and "Section 1:" not in pages[0]


def test_every_page_renders(typical: tuple[Expected, Path], tmp_path: Path) -> None:
    _, pdf = typical
    images = pdf_tools.render(pdf, tmp_path)
    assert len(images) == pdf_tools.page_count(pdf)
    for path in images:
        with Image.open(path) as image:
            assert image.size == (331, 468)  # A4 at 40 dots per inch
            darkest = image.convert("L").getextrema()[0]  # grey levels: 0 black, 255 white
            assert isinstance(darkest, int | float) and darkest < 60, f"{path.name} is blank"


# Characters the bundled font has: Latin-1 (no control or format characters) and what UK
# councils type beyond it (Welsh circumflexes, dashes, curly quotes, the euro).
_TYPED = st.text(
    alphabet=st.one_of(
        st.characters(codec="latin-1", exclude_categories=["Cc", "Cf", "Cs"]),
        st.sampled_from("ŵŷŴŶ–—‘’“”€•…\n\t"),
    ),
    min_size=1,
    max_size=300,
).filter(lambda text: text.strip())


@settings(max_examples=12, deadline=None)
@given(notes=_TYPED, description=_TYPED)
def test_whatever_the_user_typed_is_printed_exactly(
    service: WorkbookService, tmp_path_factory: pytest.TempPathFactory, notes: str, description: str
) -> None:
    assessment_id, standard = new_assessment(service, "REV")
    ref = standard.sections[0].criteria[0].ref
    service.set_judgement(assessment_id, ref, Judgement.NOT_MET)
    service.set_notes(assessment_id, ref, notes)
    service.add_action(assessment_id, Action(description, ref))
    pdf = export_action_plan(service, assessment_id, tmp_path_factory.mktemp("typed") / "plan.pdf")
    printed = "".join(pdf_tools.text(pdf, raw=True).split())
    # Lines wrap and long words break wherever the layout puts them: compare without whitespace.
    assert "".join(notes.split()) in printed
    assert "".join(description.split()) in printed
