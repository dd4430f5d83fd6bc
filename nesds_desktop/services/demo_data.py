"""Invented demonstration data: a register of councils and several rounds of their assessments.

Everything here is made up, so that the workbook can be shown, tried and measured without
anyone's real returns.  The councils' names are built from common English, Welsh and
Scottish place-name parts, with the names of real councils kept out; their GSS codes use
serial numbers from 900001 up, a range ONS has not issued to councils.  Nothing in the data
describes a real council.

The same seed always gives the same content, to the last identity and time stamp: each
council's data comes from its own random stream (seeded by the seed and the council's
place in the list), so the content does not depend on how the writing is split into
transactions.  Maturity grows round by round: each criterion has one fixed "readiness"
draw, and the chance of meeting it rises with the council's capability, so a criterion
once met stays met, one partly met moves up or stays.  Capability differs by council, by
standard and by section, so some sections are stronger than others.
"""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import TypeVar

from nesds_desktop.domain.assessments import (
    Action,
    ActionPriority,
    ActionState,
    AssessmentState,
    EvidenceReference,
    Round,
)
from nesds_desktop.domain.authorities import Authority, AuthorityType, Region
from nesds_desktop.domain.catalogue import Criterion, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.levels import Level
from nesds_desktop.domain.records import AssessmentDetails, CriterionAnswer
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage import assessment_repository as repo
from nesds_desktop.storage.assessment_repository import NewAction, NewAnswer, NewAssessment, NewEvidence

#: Bump when the generator changes what a seed gives, so caches of built stores are rebuilt.
DEMO_DATA_VERSION = 1
FIRST_ROUND = Round(2005)
MAX_AUTHORITIES = 600  # Great Britain had about 440 councils in 2006
MAX_ROUNDS = 10
#: GSS serials from here up are not issued to councils, so no demo code names a real one.
FIRST_GSS_SERIAL = 900001
# About this many assessments are written per transaction.
_ASSESSMENTS_PER_TRANSACTION = 1000

ProgressCallback = Callable[[int, int], None]
_T = TypeVar("_T")


class DemoDataError(ValueError):
    """The demo data cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class DemoSummary:
    authorities: int
    assessments: int
    judgements: int
    evidence: int
    actions: int
    rounds: tuple[Round, ...]

    @property
    def rounds_text(self) -> str:
        if not self.rounds:
            return "no rounds"
        first, last = self.rounds[0].label, self.rounds[-1].label
        return first if first == last else f"{first} to {last}"


def fill_demo_store(
    service: WorkbookService,
    authorities: int,
    rounds: int,
    seed: int,
    release_id: str = "nesds-2006.1",
    progress: ProgressCallback | None = None,
) -> DemoSummary:
    """Add ``authorities`` invented councils, each assessed against every standard of the
    release in ``rounds`` consecutive rounds from 2005/06.  Councils whose names or GSS codes
    are already in the register are skipped over, so demo data can be added more than once.

    Rows are written in bulk, about a thousand assessments per transaction, each cached level
    worked out with the level rule; ``service.listeners`` are not called.  ``progress`` is
    called with (councils done, councils in all) after each council."""
    if not 1 <= authorities <= MAX_AUTHORITIES:
        raise DemoDataError(f"the number of authorities must be from 1 to {MAX_AUTHORITIES}, not {authorities}")
    if not 1 <= rounds <= MAX_ROUNDS:
        raise DemoDataError(f"the number of rounds must be from 1 to {MAX_ROUNDS}, not {rounds}")
    release = service.release(release_id)
    standards = release.standards
    if not standards:
        raise DemoDataError(f"release {release_id} has no standards to assess")
    existing = service.list_authorities()
    plan = _plan_authorities(
        random.Random(f"nesds-demo:{seed}:register"),
        authorities,
        taken_names={record.name.casefold() for record in existing},
        taken_codes={record.authority.gss_code for record in existing if record.authority.gss_code},
    )
    # Identities must differ from any demo data already in the store, the rest need not.
    uid_salt = len(existing)
    round_list = tuple(Round(FIRST_ROUND.start_year + i) for i in range(rounds))
    per_transaction = max(1, _ASSESSMENTS_PER_TRANSACTION // (len(standards) * rounds))
    counts = [0, 0, 0, 0]  # assessments, judgements, evidence, actions
    done = 0
    while done < len(plan):
        batch = plan[done : done + per_transaction]
        with service.store.session() as session:
            for offset, authority in enumerate(batch):
                index = done + offset
                uids = _Uids(random.Random(f"nesds-demo:{seed}:{uid_salt}:{index}:uid"))
                record = repo.add_authority(session, authority, uid=uids.next())
                council = _Council(random.Random(f"nesds-demo:{seed}:{index}"), record.id, authority, uids)
                assessments = council.assessments(release_id, standards, round_list)
                repo.add_assessments_bulk(session, assessments)
                counts[0] += len(assessments)
                counts[1] += sum(len(a.answers) for a in assessments)
                counts[2] += sum(len(a.evidence) for a in assessments)
                counts[3] += sum(len(a.actions) for a in assessments)
                if progress is not None:
                    progress(index + 1, len(plan))
            session.commit()
        done += len(batch)
    return DemoSummary(len(plan), counts[0], counts[1], counts[2], counts[3], round_list)


# -- the register -----------------------------------------------------------------------------

# Councils in Great Britain in 2006, roughly: the mix of types the register is drawn from.
_TYPE_WEIGHTS: dict[AuthorityType, int] = {
    AuthorityType.COUNTY: 34,
    AuthorityType.DISTRICT: 238,
    AuthorityType.UNITARY: 46,
    AuthorityType.METROPOLITAN_BOROUGH: 36,
    AuthorityType.LONDON_BOROUGH: 33,
    AuthorityType.WELSH_UNITARY: 22,
    AuthorityType.SCOTTISH_UNITARY: 32,
}
_SHIRE_REGIONS = (
    Region.NORTH_EAST,
    Region.NORTH_WEST,
    Region.YORKSHIRE_AND_THE_HUMBER,
    Region.EAST_MIDLANDS,
    Region.WEST_MIDLANDS,
    Region.EAST_OF_ENGLAND,
    Region.SOUTH_EAST,
    Region.SOUTH_WEST,
)
# Metropolitan boroughs are in the former metropolitan counties.
_METROPOLITAN_REGIONS = (Region.NORTH_EAST, Region.NORTH_WEST, Region.YORKSHIRE_AND_THE_HUMBER, Region.WEST_MIDLANDS)

_ENGLISH_HEADS = (
    "Ash", "Alder", "Bram", "Brack", "Calder", "Chal", "Cran", "Dal", "Elm", "Fern", "Gale", "Hart", "Hol",
    "Kes", "Lang", "Lark", "Marl", "Nether", "Oak", "Quen", "Rad", "Rook", "Sal", "Shep", "Stan", "Thorn",
    "Wey", "Whit", "Wold", "Yar", "Cob", "Fal", "Hazel", "Lin", "Mill", "Pid", "Sedge", "Tad", "Wil",
    "Amber", "Bever", "Clay", "Fox", "Gorse", "Merry", "Swan", "Wren",
)  # fmt: skip
_ENGLISH_TAILS = (
    "bury", "ford", "ham", "ton", "ley", "worth", "field", "wick", "borough", "minster", "by", "thorpe",
    "combe", "mouth", "stead", "well", "dale", "bridge", "hurst", "cester",
)  # fmt: skip
_WELSH_HEADS = ("Llan", "Aber", "Pont", "Cwm", "Bryn", "Pen", "Tre", "Caer", "Maes", "Glyn", "Nant", "Rhos")
_WELSH_TAILS = ("dewi", "fair", "gwyn", "teg", "mawr", "wen", "isa", "garth", "ddu", "hafod", "celyn", "meurig")
_SCOTTISH_HEADS = ("Inver", "Kil", "Dun", "Auchter", "Strath", "Glen", "Bal", "Kin", "Loch", "Craig")
_SCOTTISH_TAILS = ("more", "keld", "muir", "lochy", "brae", "allan", "dee", "gowrie", "ard", "lyon", "fillan", "avon")
_DIRECTIONS = ("North", "South", "East", "West")
_SHIRE_STEM_ENDINGS = ("ford", "ham", "ton", "wick", "bury", "by")
# Real council names (or their main word) that the parts above can spell: never used.
# fmt: off
REAL_COUNCIL_WORDS = frozenset(
    word.casefold()
    for word in (
        "Ashford", "Ashfield", "Alderley", "Bramley", "Bracknell", "Calderdale", "Elmbridge", "Hartley",
        "Melton", "Oakham", "Radcliffe", "Salford", "Stanford", "Thornbury", "Whitby", "Wellingborough",
        "Wychavon", "Wokingham", "Kesteven", "Langley", "Marlborough", "Hollingbury", "Yarmouth", "Fernley",
        "Salcombe", "Stanley", "Wilton", "Hartlepool", "Hazelbury", "Linton", "Millbrook", "Tadley", "Wilford",
        "Sedgefield", "Sedgemoor", "Cobham", "Falmouth", "Whitwell", "Stanwell", "Hurst", "Ashby", "Kinross",
        "Dunmore", "Inverallan", "Glendale", "Strathallan", "Craigavon", "Lochaber", "Pontypridd", "Penarth",
        "Aberdare", "Caerphilly", "Brynmawr", "Tredegar", "Whitley", "Radley", "Shepton", "Chalford",
        "Bradford", "Wakefield", "Sheffield", "Lichfield", "Mansfield", "Macclesfield", "Wilmslow",
        "Rookley", "Oakley", "Thornton", "Thornaby", "Elmley", "Yarm", "Dalton", "Kesworth", "Salisbury",
        "Tamworth", "Kenilworth", "Whitchurch", "Lancaster", "Leicester", "Worcester", "Chester", "Winchester",
        "Doncaster", "Cirencester", "Linford", "Millfield", "Hartford", "Sedgley", "Welwyn", "Weybridge",
        "Shepway", "Brackley", "Calderwood", "Pidley", "Wilby", "Fernhurst", "Tadcaster",
        "Beverley", "Amberley", "Swanley", "Clayton", "Foxton", "Merton", "Gorseinon",
    )
)
# fmt: on

_NAME_FORMS: dict[AuthorityType, tuple[tuple[str, int], ...]] = {
    AuthorityType.COUNTY: (("{stem}shire County Council", 7), ("{dir} {stem}shire County Council", 3)),
    AuthorityType.DISTRICT: (
        ("{stem} District Council", 5),
        ("{stem} Borough Council", 3),
        ("{dir} {stem} District Council", 2),
        ("{stem} City Council", 1),
    ),
    AuthorityType.UNITARY: (("{stem} Council", 4), ("{stem} Borough Council", 2), ("{stem} City Council", 2)),
    AuthorityType.METROPOLITAN_BOROUGH: (("{stem} Metropolitan Borough Council", 4), ("{stem} City Council", 1)),
    AuthorityType.LONDON_BOROUGH: (("London Borough of {stem}", 1),),
    AuthorityType.WELSH_UNITARY: (("{stem} County Borough Council", 3), ("{stem} County Council", 2)),
    AuthorityType.SCOTTISH_UNITARY: (("{stem} Council", 4), ("{stem} City Council", 1)),
}


def _stems(heads: Sequence[str], tails: Sequence[str]) -> list[str]:
    stems = []
    for head in heads:
        for tail in tails:
            if head[-2:] == tail[0] * 2:  # "Mill" + "ley" would give three l's
                continue
            joined = head + tail
            if joined.casefold() not in REAL_COUNCIL_WORDS:
                stems.append(joined)
    return stems


def _weighted(rng: random.Random, options: Sequence[tuple[str, int]]) -> str:
    return rng.choices([text for text, _ in options], weights=[weight for _, weight in options])[0]


def _plan_authorities(
    rng: random.Random, count: int, *, taken_names: set[str], taken_codes: set[str]
) -> list[Authority]:
    """``count`` councils, every type present once there are at least seven; names and codes unique."""
    pools = {
        "english": _stems(_ENGLISH_HEADS, _ENGLISH_TAILS),
        "welsh": _stems(_WELSH_HEADS, _WELSH_TAILS),
        "scottish": _stems(_SCOTTISH_HEADS, _SCOTTISH_TAILS),
    }
    for pool in pools.values():
        rng.shuffle(pool)
    types = list(_TYPE_WEIGHTS)
    rng.shuffle(types)
    types = types[:count] + rng.choices(list(_TYPE_WEIGHTS), weights=list(_TYPE_WEIGHTS.values()), k=count - len(types))
    serials = dict.fromkeys(AuthorityType, FIRST_GSS_SERIAL)
    planned: list[Authority] = []
    for authority_type in types:
        name = _council_name(rng, authority_type, pools, taken_names)
        while f"{authority_type.gss_entity}{serials[authority_type]:06d}" in taken_codes:
            serials[authority_type] += 1
        code = f"{authority_type.gss_entity}{serials[authority_type]:06d}"
        serials[authority_type] += 1
        planned.append(Authority(name, authority_type, _region(rng, authority_type), code))
    return planned


def _council_name(
    rng: random.Random,
    authority_type: AuthorityType,
    pools: dict[str, list[str]],
    taken_names: set[str],
) -> str:
    pool = {AuthorityType.WELSH_UNITARY: "welsh", AuthorityType.SCOTTISH_UNITARY: "scottish"}.get(
        authority_type, "english"
    )
    stems = pools[pool]
    # "Stanfordshire" reads as a county; "Wildaleshire" does not.
    fits = _SHIRE_STEM_ENDINGS if authority_type is AuthorityType.COUNTY else ("",)
    for position in range(len(stems) - 1, -1, -1):
        stem = stems[position]
        if not stem.endswith(fits):
            continue
        del stems[position]
        name = _weighted(rng, _NAME_FORMS[authority_type]).format(stem=stem, dir=rng.choice(_DIRECTIONS))
        if name.casefold() not in taken_names:
            return name
    raise DemoDataError(f"ran out of invented {pool} council names; ask for fewer authorities")


def _region(rng: random.Random, authority_type: AuthorityType) -> Region:
    if authority_type is AuthorityType.LONDON_BOROUGH:
        return Region.LONDON
    if authority_type is AuthorityType.WELSH_UNITARY:
        return Region.WALES
    if authority_type is AuthorityType.SCOTTISH_UNITARY:
        return Region.SCOTLAND
    if authority_type is AuthorityType.METROPOLITAN_BOROUGH:
        return rng.choice(_METROPOLITAN_REGIONS)
    return rng.choice(_SHIRE_REGIONS)


# -- people -----------------------------------------------------------------------------------

_FIRST_NAMES = (
    "Alison", "Andrew", "Anita", "Barry", "Carol", "Christine", "Colin", "David", "Deborah", "Emma", "Gareth",
    "Gillian", "Graham", "Helen", "Ian", "Janet", "Jonathan", "Karen", "Kevin", "Lesley", "Mark", "Martin",
    "Nasreen", "Neil", "Nicola", "Paul", "Priya", "Rachel", "Rhian", "Richard", "Sandra", "Sarah", "Simon",
    "Stephen", "Susan", "Tariq", "Trevor", "Yvonne", "Morag", "Euan",
)  # fmt: skip
_SURNAMES = (
    "Ahmed", "Bailey", "Barlow", "Bennett", "Campbell", "Chapman", "Clarke", "Davies", "Edwards", "Evans",
    "Fletcher", "Foster", "Gray", "Hall", "Harrison", "Hughes", "Jenkins", "Kaur", "Khan", "Lloyd", "Marshall",
    "McKenzie", "Morgan", "Murray", "Okafor", "Owen", "Patel", "Pearson", "Price", "Reid", "Robinson", "Shaw",
    "Singh", "Stewart", "Thomas", "Turner", "Walsh", "Watson", "Whitfield", "Wilkinson",
)  # fmt: skip
_FACILITATOR_ROLES = ("Improvement Officer", "Performance Manager", "e-Government Programme Manager")

# Who sits round the table for each standard (lead officer first).
_ROLES: dict[str, tuple[str, ...]] = {
    "ICT": ("Head of ICT", "ICT Infrastructure Manager", "Information Governance Officer", "Web Manager",
            "ICT Service Desk Manager"),
    "CS": ("Head of Customer Services", "Contact Centre Manager", "One-Stop Shop Supervisor", "CRM Systems Officer",
           "Equalities Officer"),
    "REV": ("Revenues Manager", "Council Tax Team Leader", "Business Rates Team Leader", "Recovery Officer",
            "Revenues Systems Officer"),
    "BEN": ("Benefits Manager", "Assessment Team Leader", "Fraud Investigation Manager", "Overpayments Officer",
            "Benefits Visiting Officer"),
    "PBC": ("Head of Planning", "Development Control Manager", "Building Control Manager", "Land Charges Officer",
            "GIS Officer"),
    "EHL": ("Head of Environmental Health", "Trading Standards Manager", "Licensing Manager",
            "Food Safety Team Leader", "Pollution Control Officer"),
    "HSG": ("Head of Housing", "Housing Options Manager", "Lettings Manager", "Repairs Manager",
            "Private Sector Housing Officer"),
    "SC": ("Head of Adult Social Care", "Children's Services Manager", "ICS Project Manager",
           "Safeguarding Co-ordinator", "Direct Payments Officer"),
    "LCL": ("Head of Libraries", "Leisure Services Manager", "Museums and Archives Officer",
            "Reader Development Librarian", "Bookings Supervisor"),
    "HTW": ("Head of Highways", "Waste Services Manager", "Parking Manager", "Transport Policy Officer",
            "Street Scene Supervisor"),
}  # fmt: skip
_GENERAL_ROLES = ("Head of Service", "Service Manager", "Team Leader", "Systems Officer", "Performance Officer")


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)} {rng.choice(_SURNAMES)}"


def _initialled(rng: random.Random) -> str:
    return f"{rng.choice(_FIRST_NAMES)[0]}. {rng.choice(_SURNAMES)}"


# -- what people say --------------------------------------------------------------------------

_BOARDS = (
    "the Corporate Management Team", "the Executive", "Cabinet", "the e-Government Board",
    "the Information Governance Group", "the Service Improvement Board", "the Overview and Scrutiny Committee",
)  # fmt: skip
_PARTS = (
    ("the main office", "the area offices"),
    ("office hours", "the out-of-hours service"),
    ("directly employed staff", "agency and contract staff"),
    ("the larger teams", "the smaller teams"),
    ("the council's own staff", "partners' staff"),
    ("new cases", "the backlog of older cases"),
)
_PROJECTS = ("CRM", "EDRMS", "mobile working", "Customer Access", "LLPG", "Government Connect", "intranet")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "September", "October", "November")
_NOTE_CHANCE: dict[Judgement, float] = {
    Judgement.MET: 0.45,
    Judgement.PARTLY_MET: 0.85,
    Judgement.NOT_MET: 0.7,
    Judgement.NOT_APPLICABLE: 1.0,
}


# Templates of what facilitators type, by judgement; fields are filled by _note.
_NOTE_TEMPLATES: dict[Judgement, tuple[str, ...]] = {
    Judgement.MET: (
        "Seen at the workshop: {evidence}.",
        "Evidence: {evidence}. The group agreed this is met.",
        "Met. {evidence} held by the {role}.",
        "Confirmed by the {role}. {evidence} is up to date (last reviewed in {last_round}).",
    ),
    Judgement.PARTLY_MET: (
        "Partly in place: covers {part} but not yet {rest}.",
        "Draft only. {evidence} awaiting approval by {board}.",
        "Partly met. {evidence} exists but was last reviewed in {old_year}.",
        "In place for {part}; roll-out to {rest} planned for Q{quarter} {next_round}.",
    ),
    Judgement.NOT_MET: (
        "Not in place. To be picked up in the {next_round} service plan.",
        "Gap agreed at the workshop; no evidence could be produced. The {role} will scope the work.",
        "Not met: depends on the {project} project, which has slipped to {next_year}.",
        "Not met. Nothing to show yet for: {evidence}.",
    ),
    Judgement.NOT_APPLICABLE: (
        "Not applicable: this part of the service is delivered by a partner under a shared service agreement.",
        "Not applicable to this council; agreed with the facilitator at the workshop.",
        "Not applicable: the function is contracted out and the contractor reports on it separately.",
    ),
}
_LOCATION_TEMPLATES = (
    "\\\\fs01\\{folder}\\Self-assessment {round}",
    "http://intranet/{folder}/policies",
    "Minutes of {board}, {day} {month} {last_year}, item {item}",
    "Paper file held by the lead officer",
    "EDRMS, {code} self-assessment folder",
    "",
)
_ACTION_TEMPLATES = (
    "{evidence}: prepare it and take it to {board} for approval",
    "Review current arrangements against {ref} and agree an improvement plan with the {role}",
    "Collect the evidence for {ref} ({evidence}) before the next self-assessment",
    "Bid in the {next_round} budget round for the work needed to meet {ref}",
    "Extend the arrangements for {ref} to every team and record it in the service plan",
)


def _note(rng: random.Random, judgement: Judgement, criterion: Criterion, roles: Sequence[str], year: int) -> str:
    part, rest = rng.choice(_PARTS)
    return rng.choice(_NOTE_TEMPLATES[judgement]).format(
        evidence=rng.choice(criterion.evidence) if criterion.evidence else "No written record",
        role=rng.choice(roles),
        old_year=year - rng.randint(2, 5),
        next_year=year + 1,
        part=part,
        rest=rest,
        board=rng.choice(_BOARDS),
        project=rng.choice(_PROJECTS),
        quarter=rng.randint(1, 4),
        last_round=Round(year - 1).label,
        next_round=Round(year + 1).label,
    )


def _evidence_location(rng: random.Random, code: str, year: int) -> str:
    return rng.choice(_LOCATION_TEMPLATES).format(
        folder=code.lower(),
        code=code,
        round=Round(year).label,
        board=rng.choice(_BOARDS),
        day=rng.randint(1, 28),
        month=rng.choice(_MONTHS),
        last_year=year - 1,  # minutes of a meeting before the round began, so before the workshop
        item=rng.randint(3, 14),
    )


def _action_text(rng: random.Random, criterion: Criterion, role: str, year: int) -> str:
    return rng.choice(_ACTION_TEMPLATES).format(
        evidence=rng.choice(criterion.evidence) if criterion.evidence else "The supporting procedure",
        board=rng.choice(_BOARDS),
        ref=criterion.ref,
        role=role,
        next_round=Round(year + 1).label,
    )


# -- assessments ------------------------------------------------------------------------------

# Logit-scale difficulty of each level; capability grows by the council's growth each round.
_DIFFICULTY: dict[Level, float] = {Level.MINIMUM: -3.4, Level.PROGRESSING: -1.4, Level.EXCELLENT: 0.9}
_NOT_APPLICABLE_CHANCE = 0.025
_PRIORITY_BY_LEVEL: dict[Level, tuple[tuple[ActionPriority, int], ...]] = {
    Level.MINIMUM: ((ActionPriority.HIGH, 8), (ActionPriority.MEDIUM, 2)),
    Level.PROGRESSING: ((ActionPriority.HIGH, 2), (ActionPriority.MEDIUM, 6), (ActionPriority.LOW, 2)),
    Level.EXCELLENT: ((ActionPriority.MEDIUM, 4), (ActionPriority.LOW, 6)),
}
_PAST_ACTION_STATES = (
    (ActionState.COMPLETED, 60),
    (ActionState.CANCELLED, 10),
    (ActionState.IN_PROGRESS, 20),
    (ActionState.NOT_STARTED, 10),
)
_CURRENT_ACTION_STATES = ((ActionState.NOT_STARTED, 55), (ActionState.IN_PROGRESS, 40), (ActionState.COMPLETED, 5))


class _Uids:
    def __init__(self, rng: random.Random) -> None:
        self._rng = rng

    def next(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))


def _sigmoid(value: float) -> float:
    return 1.0 / (1.0 + math.exp(-value))


def _pick(rng: random.Random, options: Sequence[tuple[_T, int]]) -> _T:
    return rng.choices([option for option, _ in options], weights=[weight for _, weight in options])[0]


def _at(day: date, minutes: float) -> datetime:
    return datetime.combine(day, time(9, 0), tzinfo=UTC) + timedelta(minutes=minutes)


def _month_end(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = date(year + (month == 12), month % 12 + 1, 1)
    return following - timedelta(days=1)


class _Council:
    """One council's invented history: its capability and the assessments that follow from it."""

    def __init__(self, rng: random.Random, authority_id: int, authority: Authority, uids: _Uids) -> None:
        self.rng = rng
        self.authority_id = authority_id
        self.authority = authority
        self.uids = uids
        self.capability = rng.gauss(0.0, 0.9)
        self.growth = rng.uniform(0.5, 1.3)
        self.facilitators = [_person(rng) for _ in range(2)]
        self.facilitator_role = rng.choice(_FACILITATOR_ROLES)

    def assessments(
        self, release_id: str, standards: Sequence[Standard], rounds: Sequence[Round]
    ) -> list[NewAssessment]:
        made: list[NewAssessment] = []
        for standard in standards:
            made.extend(self._standard_history(release_id, standard, rounds))
        return made

    def _standard_history(self, release_id: str, standard: Standard, rounds: Sequence[Round]) -> list[NewAssessment]:
        rng = self.rng
        standard_capability = self.capability + rng.gauss(0.0, 0.6)
        section_capability = {s.number: standard_capability + rng.gauss(0.0, 0.8) for s in standard.sections}
        criteria = [(section.number, c) for section in standard.sections for c in section.criteria]
        # Fixed per criterion across rounds, so maturity only ever grows.
        readiness = [rng.random() for _ in criteria]
        inapplicable = [rng.random() < _NOT_APPLICABLE_CHANCE for _ in criteria]
        roles = _ROLES.get(standard.code, _GENERAL_ROLES)
        participants = "; ".join(f"{role} ({_initialled(rng)})" for role in roles[: rng.randint(3, len(roles))])
        previous: dict[str, CriterionAnswer] = {}
        history: list[NewAssessment] = []
        for number, round_ in enumerate(rounds):
            latest = number == len(rounds) - 1
            judgements = [
                Judgement.NOT_APPLICABLE
                if na
                else self._judgement(section_capability[section] + number * self.growth, criterion.level, ready)
                for (section, criterion), ready, na in zip(criteria, readiness, inapplicable, strict=True)
            ]
            assessment = self._assessment(
                release_id,
                standard,
                round_,
                [c for _, c in criteria],
                judgements,
                roles,
                participants,
                previous,
                latest,
            )
            history.append(assessment)
            previous = {item.answer.ref: item.answer for item in assessment.answers}
        return history

    @staticmethod
    def _judgement(capability: float, level: Level, readiness: float) -> Judgement:
        met = _sigmoid(capability - _DIFFICULTY[level])
        if readiness < met:
            return Judgement.MET
        # The partly-met band grows with capability too, so partly met moves only upwards.
        if readiness < met + 0.45 * (1.0 - met):
            return Judgement.PARTLY_MET
        return Judgement.NOT_MET

    def _assessment(
        self,
        release_id: str,
        standard: Standard,
        round_: Round,
        criteria: list[Criterion],
        judgements: list[Judgement],
        roles: Sequence[str],
        participants: str,
        previous: dict[str, CriterionAnswer],
        latest: bool,
    ) -> NewAssessment:
        rng = self.rng
        year = round_.start_year
        workshop = round_.first_day + timedelta(days=rng.randint(60, 300))
        workshop -= timedelta(days=max(0, workshop.weekday() - 3))  # Monday to Thursday
        workshop_end = workshop + timedelta(days=7) if rng.random() < 0.15 else workshop
        facilitator = rng.choice(self.facilitators)
        created = _at(workshop, -60 * 24 * 7)  # set up a week before the workshop
        if latest:
            state = _pick(
                rng, ((AssessmentState.DRAFT, 30), (AssessmentState.AGREED, 45), (AssessmentState.SUBMITTED, 25))
            )
        else:
            state = _pick(rng, ((AssessmentState.SUBMITTED, 85), (AssessmentState.AGREED, 15)))
        # A quarter of the drafts are mid-workshop: criteria are taken in order, the rest still to do.
        answered_count = len(criteria)
        if state is AssessmentState.DRAFT and rng.random() < 0.5:
            answered_count = int(len(criteria) * rng.uniform(0.25, 0.9))

        answers: list[NewAnswer] = []
        evidence: list[NewEvidence] = []
        values: dict[str, Judgement] = {}
        for position, (criterion, judgement) in enumerate(zip(criteria, judgements, strict=True)):
            moment = _at(workshop, 30 + position * 1.5)
            if position >= answered_count:
                carried = previous.get(criterion.ref)
                if carried is not None and carried.judgement.is_assessed:
                    # Duplicated from the last round and not yet confirmed in this one.
                    answer = CriterionAnswer(
                        criterion.ref, carried.judgement, carried.notes, True, facilitator, created
                    )
                    answers.append(NewAnswer(self.uids.next(), answer))
                    values[criterion.ref] = carried.judgement
                continue
            notes = _note(rng, judgement, criterion, roles, year) if rng.random() < _NOTE_CHANCE[judgement] else ""
            answers.append(
                NewAnswer(
                    self.uids.next(), CriterionAnswer(criterion.ref, judgement, notes, False, facilitator, moment)
                )
            )
            values[criterion.ref] = judgement
            evidence.extend(self._evidence(criterion, judgement, standard.code, facilitator, moment, year))

        result = assess_standard(standard, values)
        actions = self._actions(standard, criteria, values, answers, roles, facilitator, workshop, latest)
        last_change = max(
            [created, *(a.answer.changed_at or created for a in answers), *(a.changed_at for a in actions)]
        )
        details = AssessmentDetails(
            authority_id=self.authority_id,
            release_id=release_id,
            standard_code=standard.code,
            round=round_,
            facilitator=f"{facilitator}, {self.facilitator_role}",
            participants=participants,
            workshop_start=workshop,
            workshop_end=workshop_end,
            state=state,
        )
        return NewAssessment(
            uid=self.uids.next(),
            details=details,
            level_label=result.level_label,
            answered=sum(1 for value in values.values() if value.is_assessed),
            total=len(criteria),
            created_at=created,
            updated_at=last_change,
            answers=tuple(answers),
            evidence=tuple(evidence),
            actions=tuple(actions),
        )

    def _evidence(
        self, criterion: Criterion, judgement: Judgement, code: str, author: str, moment: datetime, year: int
    ) -> list[NewEvidence]:
        rng = self.rng
        if judgement is Judgement.MET:
            wanted = 2 if rng.random() < 0.08 else int(rng.random() < 0.4)
        elif judgement is Judgement.PARTLY_MET:
            wanted = int(rng.random() < 0.25)
        else:
            return []
        titles = rng.sample(criterion.evidence, min(wanted, len(criterion.evidence)))
        return [
            NewEvidence(
                self.uids.next(),
                criterion.ref,
                EvidenceReference(title, _evidence_location(rng, code, year)),
                author,
                moment + timedelta(seconds=30 + 10 * i),
            )
            for i, title in enumerate(titles)
        ]

    def _actions(
        self,
        standard: Standard,
        criteria: list[Criterion],
        values: dict[str, Judgement],
        answers: list[NewAnswer],
        roles: Sequence[str],
        author: str,
        workshop: date,
        latest: bool,
    ) -> list[NewAction]:
        rng = self.rng
        confirmed = {item.answer.ref for item in answers if not item.answer.to_confirm}
        gaps = [
            c for c in criteria
            if c.ref in confirmed and values[c.ref] in (Judgement.NOT_MET, Judgement.PARTLY_MET)
        ]  # fmt: skip
        # The lowest-level gaps first: those are what hold the level back.
        gaps.sort(key=lambda c: c.level.rank)
        wanted = min(len(gaps), rng.randint(1, 6))
        chosen = gaps[:wanted]
        made: list[NewAction] = []
        year = workshop.year if workshop.month >= 4 else workshop.year - 1
        states = _CURRENT_ACTION_STATES if latest else _PAST_ACTION_STATES
        finished = _at(workshop, 30 + len(criteria) * 1.5 + 10)
        for i, criterion in enumerate(chosen):
            role = rng.choice(roles)
            action = Action(
                description=_action_text(rng, criterion, role, year),
                criterion_ref=criterion.ref,
                owner=f"{role} ({_initialled(rng)})",
                due=_month_end(workshop, rng.randint(3, 14)),
                priority=_pick(rng, _PRIORITY_BY_LEVEL[criterion.level]),
                state=_pick(rng, states),
                saving_cashable=_saving(rng, 0.35, 400),
                saving_non_cashable=_saving(rng, 0.5, 300),
            )
            made.append(NewAction(self.uids.next(), action, author, finished + timedelta(minutes=2 * i)))
        if chosen and rng.random() < 0.1:
            action = Action(
                description=f"Refresh the {standard.title} improvement plan and report progress to "
                f"{rng.choice(_BOARDS)} every quarter",
                owner=f"{roles[0]} ({_initialled(rng)})",
                due=_month_end(workshop, 3),
                priority=ActionPriority.MEDIUM,
                state=_pick(rng, states),
            )
            made.append(NewAction(self.uids.next(), action, author, finished + timedelta(minutes=2 * len(chosen))))
        return made


def _saving(rng: random.Random, chance: float, most_fifties: int) -> Decimal:
    """A saving in whole £50s (estimates are round figures), or nothing."""
    if rng.random() >= chance:
        return Decimal("0.00")
    return Decimal(rng.randint(2, most_fifties) * 50).quantize(Decimal("0.01"))
