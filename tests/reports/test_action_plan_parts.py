"""The action plan's parts on their own: choosing what the summary lists, formatting, cutting
long text, the chart's bars, and the bundled font."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from reportlab.graphics.shapes import String
from reportlab.pdfbase import pdfmetrics

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.domain.assessments import Action, ActionPriority, ActionState, AssessmentState, Round
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import LevelShare, assess_standard
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import (
    ActionItem,
    AssessmentSnapshot,
    AssessmentSummary,
    AuthorityRecord,
    CriterionAnswer,
)
from nesds_desktop.reports import fonts
from nesds_desktop.reports.action_plan import (
    _clip,
    actions_due_soonest,
    long_date,
    money,
    most_important_gaps,
    short_date,
)
from nesds_desktop.reports.charts import share_bar
from nesds_desktop.reports.tables import mark_up, text_pieces

STANDARD = load_release(bundled_standards_root() / "nesds-2006.1").standard("ICT")


def _snapshot(judgements: dict[str, Judgement], actions: tuple[Action, ...] = ()) -> AssessmentSnapshot:
    council = Authority("Wealdmouth District Council", AuthorityType.DISTRICT, Region.SOUTH_EAST)
    authority = AuthorityRecord(1, "uid", council)
    summary = AssessmentSummary(
        1, "uid", authority, "nesds-2006.1", "ICT", STANDARD.title, Round(2006), AssessmentState.DRAFT, "", "",
        None, None, "", 0, 0, datetime(2006, 5, 1, tzinfo=UTC),
    )  # fmt: skip
    return AssessmentSnapshot(
        summary,
        STANDARD,
        answers={ref: CriterionAnswer(ref, judgement) for ref, judgement in judgements.items()},
        actions=tuple(ActionItem(number, f"a{number}", action) for number, action in enumerate(actions)),
    )


def test_gaps_holding_the_level_back_come_first_not_met_before_partly_met() -> None:
    everything_met = {c.ref: Judgement.MET for c in STANDARD.criteria()}
    section_1, section_4 = STANDARD.sections[0], STANDARD.sections[3]
    excellent_gap = section_1.criteria_at(Level.EXCELLENT)[0].ref
    partly = section_4.criteria_at(Level.PROGRESSING)[0].ref
    not_met = section_4.criteria_at(Level.PROGRESSING)[1].ref
    judgements = everything_met | {excellent_gap: Judgement.NOT_MET, partly: Judgement.PARTLY_MET,
                                   not_met: Judgement.NOT_MET}  # fmt: skip
    snapshot = _snapshot(judgements)
    result = assess_standard(STANDARD, judgements)
    gaps = [gap.criterion.ref for gap in most_important_gaps(snapshot, result, 5)]
    # Section 4's Progressing gaps keep the standard at Minimum: they come before section 1's Excellent gap.
    assert gaps == [not_met, partly, excellent_gap]
    assert [gap.criterion.ref for gap in most_important_gaps(snapshot, result, 2)] == [not_met, partly]


def test_actions_due_soonest_are_open_ones_by_date_then_priority() -> None:
    actions = (
        Action("later", due=date(2007, 3, 1)),
        Action("undated", due=None),
        Action("same day, low", due=date(2007, 1, 1), priority=ActionPriority.LOW),
        Action("same day, high", due=date(2007, 1, 1), priority=ActionPriority.HIGH),
        Action("done", due=date(2006, 1, 1), state=ActionState.COMPLETED),
        Action("dropped", due=date(2006, 1, 1), state=ActionState.CANCELLED),
    )
    snapshot = _snapshot({}, actions)
    chosen = [item.action.description for item in actions_due_soonest(snapshot.actions, 10)]
    assert chosen == ["same day, high", "same day, low", "later", "undated"]
    assert len(actions_due_soonest(snapshot.actions, 2)) == 2


def test_money_and_dates_are_written_the_uk_way() -> None:
    assert money(Decimal("1250.00")) == "£1,250"
    assert money(Decimal("1250.50")) == "£1,250.50"
    assert money(Decimal("0.00")) == "£0"
    assert money(Decimal("1234567.05")) == "£1,234,567.05"
    assert long_date(date(2007, 3, 1)) == "1 March 2007"
    assert short_date(date(2006, 11, 30)) == "30 Nov 2006"


def test_clipping_cuts_at_a_word_and_says_so() -> None:
    assert _clip("short enough", 50) == "short enough"
    clipped = _clip("The benefits service achieved the top score of four in its assessment", 30)
    assert clipped.endswith("…") and len(clipped) <= 30
    assert clipped == "The benefits service achieved…"
    assert _clip("The benefits service achieved the top score", 27) == "The benefits service…"


@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=3000),
    st.integers(min_value=5, max_value=80),
)
def test_text_pieces_keep_every_word_in_order_and_stay_short(text: str, width: int) -> None:
    pieces = text_pieces(text, width, lines=6)
    assert " ".join(" ".join(pieces).split()) == " ".join(text.split())
    for piece in pieces:
        lines = piece.split("\n")
        assert sum(max(1, -(-len(line) // width)) for line in lines) <= 6


def test_pieces_break_between_sentences_where_they_can() -> None:
    text = " ".join(f"Sentence number {n} says something about the evidence." for n in range(40))
    pieces = text_pieces(text, 40, lines=5)
    assert len(pieces) > 5
    assert all(piece.endswith(".") for piece in pieces)


def test_mark_up_escapes_what_paragraphs_would_read_as_tags() -> None:
    assert mark_up("a < b & c\n<b>x</b>") == "a &lt; b &amp; c<br/>&lt;b&gt;x&lt;/b&gt;"


def test_share_bars_write_their_percentage_rounded_down_in_the_bundled_font() -> None:
    names = fonts.register_fonts()
    two_of_three = share_bar(LevelShare(Level.MINIMUM, criteria=3, met=2), names, 80)
    half_of_three = share_bar(LevelShare(Level.MINIMUM, criteria=3, met=2, partly_met=1), names, 80)
    nothing_applies = share_bar(LevelShare(Level.EXCELLENT, criteria=2, not_applicable=2), names, 80)

    def strings(drawing: object) -> list[String]:
        return [shape for shape in drawing.contents if isinstance(shape, String)]  # type: ignore[attr-defined]

    assert [s.text for s in strings(two_of_three)] == ["66%"]
    assert [s.text for s in strings(half_of_three)] == ["83%"]
    assert [s.text for s in strings(nothing_applies)] == ["none apply"]
    for drawing in (two_of_three, half_of_three, nothing_applies):
        assert drawing.initialFontName == names.regular
        assert all(s.fontName in {names.regular, names.bold} for s in strings(drawing))


def test_the_bundled_font_and_its_licence_are_found_as_package_resources() -> None:
    folder = fonts.font_folder()
    for name in (fonts.REGULAR_FILE, fonts.BOLD_FILE):
        assert folder.joinpath(name).read_bytes()[:4] == b"\x00\x01\x00\x00"  # a TrueType file
    licence = folder.joinpath(fonts.LICENCE_FILE).read_text(encoding="utf-8")
    assert "Bitstream Vera Fonts Copyright" in licence and "Arev Fonts Copyright" in licence
    first, second = fonts.register_fonts(), fonts.register_fonts()
    assert first == second == fonts.FontSet("DejaVuSans", "DejaVuSans-Bold")
    for name in (first.regular, first.bold):
        assert pdfmetrics.getFont(name).stringWidth("£ŵ✓", 10) > 0  # registered, and it has these glyphs
