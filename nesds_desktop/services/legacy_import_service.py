"""Import returns councils kept in their own spreadsheets, one file or a whole folder at a time.

Two steps, so a person sees before anything is written.  :func:`preview_legacy_imports`
checks each file (size, zip bombs, passwords, files that only look like spreadsheets),
reads it in a child process bounded in time and memory, and says what it found; nothing
is written.  :func:`apply_legacy_import` then records only the rows that need no review,
plus any the user confirmed, through :class:`WorkbookService`, so every judgement and
note is committed and logged like an edit made in the window.  A return this
application exported (it has the hidden metadata sheet) goes through the exact return
import path instead.  :func:`write_import_report` saves what came in and what was left.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from nesds_desktop.catalogue.workbook_safety import (
    DEFAULT_LIMITS,
    SafetyLimits,
    WorkbookRejectedError,
    check_workbook,
)
from nesds_desktop.domain.assessments import Action, AssessmentError, EvidenceReference, Round
from nesds_desktop.domain.authorities import Authority, AuthorityError, AuthorityType, Region
from nesds_desktop.domain.catalogue import Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentDetails, AuthorityRecord
from nesds_desktop.returns.legacy.model import FIELD_LABELS, LegacyReading, RowMatch, SheetOverride, SheetReading
from nesds_desktop.returns.legacy.reader import detect_columns
from nesds_desktop.services import preferences
from nesds_desktop.services.legacy_parse_worker import DEFAULT_TIMEOUT_SECONDS, BoundedReader, LegacyParseError
from nesds_desktop.services.return_service import (
    ReturnError,
    ReturnImportPreview,
    apply_return_import,
    preview_return_import,
)
from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService

__all__ = [
    "FIELD_LABELS",
    "SPREADSHEET_SUFFIXES",
    "VOCABULARY_KEY",
    "AppliedLegacyImport",
    "CatalogueChoice",
    "FileStatus",
    "LeftRow",
    "LegacyFilePreview",
    "LegacyImportError",
    "LegacyReading",
    "ProgressCallback",
    "RowKey",
    "RowMatch",
    "SheetOverride",
    "SheetReading",
    "apply_legacy_import",
    "columns_for_header",
    "current_catalogue",
    "expand_paths",
    "needs_reading_again",
    "place_name",
    "preview_legacy_imports",
    "releases_in_force",
    "remember_vocabulary",
    "remembered_vocabulary",
    "write_import_report",
]

SPREADSHEET_SUFFIXES = frozenset({".xls", ".xlsx", ".xlsm", ".xlsb", ".ods"})
VOCABULARY_KEY = "legacy_import.vocabulary"

ProgressCallback = Callable[[int, int], bool]
"""Called with (done, total); return False to cancel."""


class FileStatus(StrEnum):
    READY = "ready"  # read; rows can be imported
    OWN_RETURN = "own_return"  # exported by this application: imported exactly
    REJECTED = "rejected"  # refused before parsing (size, zip bomb, password, not a spreadsheet)
    FAILED = "failed"  # could not be read within the bounds, or nothing usable in it


@dataclass(frozen=True)
class RowKey:
    """Names one row of one file: what a user confirms."""

    sheet: str
    row: int


@dataclass(frozen=True)
class LegacyFilePreview:
    path: Path
    status: FileStatus
    message: str
    reading: LegacyReading | None = None
    own_return: ReturnImportPreview | None = None
    macros_present: bool = False
    release_of: Mapping[str, str] = field(default_factory=dict)
    """The catalogue release each standard was matched against."""
    read_for_round: str | None = None
    """The round whose catalogue the rows were matched against (None: the newest releases)."""

    @property
    def matches(self) -> tuple[RowMatch, ...]:
        if self.reading is None:
            return ()
        return tuple(m for sheet in self.reading.sheets for m in sheet.matches)

    @property
    def ready_rows(self) -> tuple[RowMatch, ...]:
        """Rows importable without review."""
        return tuple(m for m in self.matches if not m.flags and m.criterion_ref and m.judgement is not None)

    @property
    def review_rows(self) -> tuple[RowMatch, ...]:
        return tuple(m for m in self.matches if m.flags)

    @property
    def failed(self) -> bool:
        return self.status in (FileStatus.REJECTED, FileStatus.FAILED)


@dataclass(frozen=True)
class LeftRow:
    sheet: str
    row: int
    reason: str


@dataclass(frozen=True)
class AppliedLegacyImport:
    path: Path
    authority: str
    round_label: str
    assessments: tuple[int, ...] = ()
    imported: int = 0
    """Criteria whose judgement (and notes) were recorded."""
    left: tuple[LeftRow, ...] = ()
    messages: tuple[str, ...] = ()
    cancelled: bool = False


class LegacyImportError(Exception):
    """An import that cannot go ahead; the message says why in words a user can act on."""


# -- files and vocabulary -------------------------------------------------------------------------


def expand_paths(paths: Iterable[Path]) -> list[Path]:
    """Files as given, with each folder replaced by the spreadsheet files in it (sorted)."""
    expanded: list[Path] = []
    for path in paths:
        if path.is_dir():
            expanded.extend(
                sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SPREADSHEET_SUFFIXES
                       and not p.name.startswith((".", "~$")))
            )
        else:
            expanded.append(path)
    return expanded


def remembered_vocabulary(service: WorkbookService) -> dict[str, Judgement]:
    """The judgement words the user mapped in earlier imports."""
    text = preferences.get(service.store, VOCABULARY_KEY, "{}")
    try:
        raw = json.loads(text)
    except json.JSONDecodeError:
        return {}
    if not isinstance(raw, dict):
        return {}
    known = {j.value for j in Judgement}
    return {str(word): Judgement(value) for word, value in raw.items() if value in known}


def remember_vocabulary(service: WorkbookService, mapping: Mapping[str, Judgement]) -> dict[str, Judgement]:
    """Add ``mapping`` (word -> judgement) to what is remembered; returns the whole remembered mapping."""
    merged = remembered_vocabulary(service)
    merged.update({word.strip().lower(): judgement for word, judgement in mapping.items() if word.strip()})
    preferences.put(service.store, VOCABULARY_KEY, json.dumps({w: j.value for w, j in sorted(merged.items())}))
    return merged


@dataclass(frozen=True)
class CatalogueChoice:
    """The standards rows are matched against, and the release each comes from."""

    standards: tuple[Standard, ...]
    release_of: dict[str, str]


def current_catalogue(service: WorkbookService, round_: Round | None = None) -> CatalogueChoice:
    """Each standard from the newest release that holds it (published by the round's end, when given).

    Releases may hold only some standards (a revision of one standard), so the choice is per standard.
    """
    from nesds_desktop.services.catalogue_service import list_releases

    summaries = sorted(list_releases(service.store), key=lambda r: (r.info.published, r.info.release_id))
    if round_ is not None:
        in_force = [r for r in summaries if r.info.published <= round_.last_day]
        summaries = in_force or summaries[:1]
    chosen: dict[str, Standard] = {}
    release_of: dict[str, str] = {}
    for summary in summaries:  # oldest first, so a newer release replaces a standard it revises
        for standard in service.release(summary.info.release_id).standards:
            chosen[standard.code] = standard
            release_of[standard.code] = summary.info.release_id
    if not chosen:
        raise LegacyImportError("no catalogue release is loaded, so returns cannot be matched to criteria")
    return CatalogueChoice(tuple(chosen.values()), release_of)


def columns_for_header(cells: Sequence[str]) -> dict[str, tuple[int, ...]]:
    """What the reader would take each column of a header row with these headings to hold."""
    return detect_columns(cells)


# -- preview ----------------------------------------------------------------------------------------


def preview_legacy_imports(
    service: WorkbookService,
    paths: Sequence[Path],
    *,
    catalogue: CatalogueChoice | None = None,
    vocabulary: Mapping[str, Judgement] | None = None,
    overrides: Mapping[Path, Mapping[str, SheetOverride]] | None = None,
    limits: SafetyLimits = DEFAULT_LIMITS,
    timeout: float = DEFAULT_TIMEOUT_SECONDS,
    progress: ProgressCallback | None = None,
    round_label: str | None = None,
    round_for: Mapping[Path, str] | None = None,
) -> list[LegacyFilePreview]:
    """Check and read each file; a bad file is reported and never stops the others.  Nothing is written.

    ``overrides`` give, per file and sheet, what a person set in place of what would be detected
    (standard, header row, column mapping, or leaving the sheet out).  Rows are matched against
    the catalogue in force in the file's round (``round_for`` the file, else ``round_label``, else
    the round the file names), so a 2005/06 return is read against the standards of its day;
    a ``catalogue`` given is used for every file instead.
    """
    newest = catalogue or current_catalogue(service)
    words = {**remembered_vocabulary(service), **(vocabulary or {})}
    files = expand_paths(paths)
    previews: list[LegacyFilePreview] = []
    in_force: dict[str, CatalogueChoice] = {}
    with _Readers(timeout) as readers:
        for number, path in enumerate(files, start=1):
            file_overrides = (overrides or {}).get(path, {})
            preview = _preview_one(service, readers.reader(newest), path, words, limits, file_overrides)
            used, round_ = newest, _round_or_none((round_for or {}).get(path) or round_label or (
                preview.reading.round_hint if preview.reading else None))
            if catalogue is None and round_ is not None:
                if round_.label not in in_force:
                    in_force[round_.label] = current_catalogue(service, round_)
                used = in_force[round_.label]
                if used.release_of != newest.release_of and preview.status in (FileStatus.READY, FileStatus.FAILED):
                    preview = _preview_one(service, readers.reader(used), path, words, limits, file_overrides)
            previews.append(replace(preview, release_of=used.release_of,
                                    read_for_round=round_.label if round_ else None))
            if progress is not None and not progress(number, len(files)):
                break
    return previews


def releases_in_force(service: WorkbookService, round_text: str) -> dict[str, str] | None:
    """Standard code -> the release a round (as typed) is assessed against; None when it is not a round."""
    round_ = _round_or_none(round_text)
    return current_catalogue(service, round_).release_of if round_ is not None else None


def needs_reading_again(preview: LegacyFilePreview, in_force: Mapping[str, str] | None) -> bool:
    """True when the file was matched against other releases than ``in_force`` (see releases_in_force)."""
    if in_force is None or preview.reading is None or preview.status is FileStatus.OWN_RETURN:
        return False
    return dict(in_force) != dict(preview.release_of)


def _round_or_none(text: str | None) -> Round | None:
    try:
        return Round.parse(text.strip()) if text and text.strip() else None
    except AssessmentError:
        return None


class _Readers:
    """One bounded reader per catalogue, each started when first needed."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.open: dict[tuple[tuple[str, str], ...], BoundedReader] = {}

    def reader(self, catalogue: CatalogueChoice) -> BoundedReader:
        key = tuple(sorted(catalogue.release_of.items()))
        if key not in self.open:
            self.open[key] = BoundedReader(catalogue.standards, timeout=self.timeout)
        return self.open[key]

    def __enter__(self) -> _Readers:
        return self

    def __exit__(self, *_exc: object) -> None:
        for reader in self.open.values():
            reader.close()


def _preview_one(
    service: WorkbookService,
    reader: BoundedReader,
    path: Path,
    vocabulary: Mapping[str, Judgement],
    limits: SafetyLimits,
    overrides: Mapping[str, SheetOverride],
) -> LegacyFilePreview:
    try:
        checked = check_workbook(path, limits)
    except WorkbookRejectedError as exc:
        return LegacyFilePreview(path, FileStatus.REJECTED, str(exc))
    try:
        reading, own_return = reader.read(checked.data, path.name, vocabulary, overrides)
    except LegacyParseError as exc:
        return LegacyFilePreview(path, FileStatus.FAILED, f"{path}: {exc}", macros_present=checked.has_macros)
    macros = checked.has_macros or reading.macros_present
    if own_return:
        try:
            own = preview_return_import(service, path)
        except ReturnError as exc:
            return LegacyFilePreview(path, FileStatus.FAILED, str(exc), reading, macros_present=macros)
        if not own.legacy:
            count = len(own.changes)
            message = (f"{path}: a return exported by this application; {count} "
                       f"{'criterion' if count == 1 else 'criteria'} to change")
            return LegacyFilePreview(path, FileStatus.OWN_RETURN, message, reading, own, macros)
    rows = sum(len(s.matches) for s in reading.sheets)
    if rows == 0:
        why = "; ".join(reading.problems) or "no criteria rows were found"
        return LegacyFilePreview(path, FileStatus.FAILED, f"{path}: nothing to import: {why}", reading,
                                 macros_present=macros)
    preview = LegacyFilePreview(path, FileStatus.READY, "", reading, macros_present=macros)
    message = (f"{path}: {rows} row(s) read, {len(preview.ready_rows)} ready, {len(preview.review_rows)} "
               "need review" + ("; the workbook contains macros, which were not run" if macros else ""))
    return LegacyFilePreview(path, FileStatus.READY, message, reading, macros_present=macros)


# -- apply -------------------------------------------------------------------------------------------


def apply_legacy_import(
    service: WorkbookService,
    preview: LegacyFilePreview,
    *,
    authority: str | None = None,
    round_label: str | None = None,
    confirmed: Collection[RowKey] = (),
    authority_type: AuthorityType | None = None,
    region: Region | None = None,
    progress: ProgressCallback | None = None,
) -> AppliedLegacyImport:
    """Record the file's unflagged rows and the ``confirmed`` ones; everything else is listed as left."""
    if preview.status is FileStatus.OWN_RETURN and preview.own_return is not None:
        own = preview.own_return
        applied = apply_return_import(service, own)
        first = own.assessments[0] if own.assessments else None
        return AppliedLegacyImport(
            preview.path, first.authority.name if first else "", first.round.label if first else "",
            tuple(s.id for s in own.assessments), applied.criteria,
            tuple(LeftRow("", 0, reason) for reason in applied.skipped),
        )
    if preview.reading is None or preview.status is not FileStatus.READY:
        raise LegacyImportError(f"{preview.path}: nothing can be imported from this file ({preview.message})")
    reading = preview.reading
    authority_name = (authority or reading.authority_hint or "").strip()
    if not authority_name:
        raise LegacyImportError(f"{preview.path}: the file does not say which authority it is from; give one")
    round_text = (round_label or reading.round_hint or "").strip()
    try:
        round_ = Round.parse(round_text)
    except AssessmentError as exc:
        raise LegacyImportError(
            f"{preview.path}: the file does not say which round it is for; give one, e.g. 2006/07"
            if not round_text else f"{preview.path}: {exc}"
        ) from None
    _check_catalogue_for_round(service, preview, round_)
    record, filed_message = _authority_for(service, authority_name, authority_type, region)
    authority_name = record.name  # the register's name, which a place name alone may stand for
    messages: list[str] = [filed_message] if filed_message else []
    wanted = set(confirmed)
    left: list[LeftRow] = []
    chosen: list[RowMatch] = []
    for match in preview.matches:
        reason = _left_reason(match, RowKey(match.row.sheet, match.row.row) in wanted)
        if reason:
            left.append(LeftRow(match.row.sheet, match.row.row, reason))
        else:
            chosen.append(match)
    assessments: dict[str, int] = {}
    already: dict[int, _AlreadyRecorded] = {}
    imported = 0
    for number, match in enumerate(chosen, start=1):
        assert match.criterion_ref is not None and match.judgement is not None
        code = match.criterion_ref.split("-", 1)[0]
        release_id = preview.release_of.get(code)
        if release_id is None:
            left.append(LeftRow(match.row.sheet, match.row.row, f"{code} is not in the catalogue"))
            continue
        if code not in assessments:
            assessments[code] = _assessment_for(service, record.id, release_id, code, round_)
        assessment_id = assessments[code]
        current = service.answer(assessment_id, match.criterion_ref)
        # A blank cell says nothing: it never clears a judgement already recorded.
        blank = match.judgement is Judgement.NOT_YET_ASSESSED and not match.row.judgement_text.strip()
        if match.judgement is not current.judgement and not blank:
            service.set_judgement(assessment_id, match.criterion_ref, match.judgement)
        notes = _notes_text(match)
        if notes and notes != current.notes:
            service.set_notes(assessment_id, match.criterion_ref, notes)
        if assessment_id not in already:
            already[assessment_id] = _AlreadyRecorded.of(service, assessment_id)
        _record_evidence_and_action(service, assessment_id, match, already[assessment_id])
        imported += 1
        if progress is not None and not progress(number, len(chosen)):
            remaining = chosen[number:]
            left.extend(LeftRow(m.row.sheet, m.row.row, "the import was cancelled") for m in remaining)
            return AppliedLegacyImport(preview.path, authority_name, round_.label, tuple(assessments.values()),
                                       imported, tuple(left), tuple(messages), cancelled=True)
    return AppliedLegacyImport(preview.path, authority_name, round_.label, tuple(assessments.values()), imported,
                               tuple(left), tuple(messages))


def _check_catalogue_for_round(service: WorkbookService, preview: LegacyFilePreview, round_: Round) -> None:
    """Refuse to record rows matched against releases other than those in force in the round."""
    in_force = current_catalogue(service, round_).release_of
    codes = {m.criterion_ref.split("-", 1)[0] for m in preview.matches if m.criterion_ref}
    for code in sorted(codes):
        used = preview.release_of.get(code)
        if used is not None and in_force.get(code, used) != used:
            raise LegacyImportError(
                f"{preview.path}: its {code} rows were matched against {used}, but round {round_.label} is "
                f"assessed against {in_force[code]}; read the file again for round {round_.label}"
            )


def _left_reason(match: RowMatch, confirmed: bool) -> str:
    if match.criterion_ref is None:
        return "not matched to a criterion: " + "; ".join(match.flags)
    if match.judgement is None:
        return "the judgement was not understood: " + "; ".join(match.flags)
    if match.flags and not confirmed:
        return "needs review: " + "; ".join(match.flags)
    return ""


def _notes_text(match: RowMatch) -> str:
    """The row's notes; an owner or date with no action to hang on is kept in them too."""
    row = match.row
    parts = [row.notes]
    if not row.action.strip():
        if row.owner:
            parts.append(f"Owner: {row.owner}")
        if row.due:
            parts.append(f"By: {row.due.isoformat()}")
    return "\n".join(p for p in parts if p)


@dataclass
class _AlreadyRecorded:
    """Evidence titles and action descriptions an assessment holds, per criterion, so a file imported
    twice does not record them twice."""

    evidence: set[tuple[str, str]]
    actions: set[tuple[str, str]]

    @classmethod
    def of(cls, service: WorkbookService, assessment_id: int) -> _AlreadyRecorded:
        snapshot = service.open(assessment_id)
        return cls(
            {(item.criterion_ref, item.reference.title.casefold()) for item in snapshot.evidence},
            {(item.action.criterion_ref or "", item.action.description.casefold()) for item in snapshot.actions},
        )


def _record_evidence_and_action(
    service: WorkbookService, assessment_id: int, match: RowMatch, already: _AlreadyRecorded
) -> None:
    """Each line of the evidence column becomes an evidence reference; the action, with its owner and
    date, an action in the register."""
    ref, row = match.criterion_ref, match.row
    assert ref is not None
    for line in row.evidence.splitlines():
        title = line.strip()
        if title and (ref, title.casefold()) not in already.evidence:
            service.add_evidence(assessment_id, ref, EvidenceReference(title))
            already.evidence.add((ref, title.casefold()))
    description = row.action.strip()
    if description and (ref, description.casefold()) not in already.actions:
        service.add_action(assessment_id, Action(description, ref, owner=row.owner, due=row.due))
        already.actions.add((ref, description.casefold()))


def _authority_for(
    service: WorkbookService, name: str, authority_type: AuthorityType | None, region: Region | None
) -> tuple[AuthorityRecord, str]:
    """The authority named ``name`` (any case, or by its place name alone when only one registered authority
    has it: "Fife" is Fife Council), created when not in the register; (record, message)."""
    wanted = " ".join(name.split()).casefold()
    records = service.list_authorities()
    for record in records:
        if record.name.casefold() == wanted:
            return record, ""
    place = place_name(name)
    same_place = [r for r in records if place and place_name(r.name) == place]
    # "Kingston" for Kingston upon Thames, when no authority is called just that.
    same_place = same_place or [r for r in records if place and place_name(r.name).startswith(place + " ")]
    if len(same_place) == 1:
        record = same_place[0]
        return record, f"filed under {record.name}, the registered authority the name {name!r} stands for"
    kind = authority_type or _guess_type(name)
    where = region or (Region.LONDON if kind is AuthorityType.LONDON_BOROUGH else _default_region(kind))
    try:
        record = service.add_authority(Authority(name, kind, where))
    except AuthorityError as exc:
        raise LegacyImportError(str(exc)) from None
    return record, (f"added {record.name} to the register as a {kind.noun} in {where.value}; "
                    "check its type and region")


_AUTHORITY_PREFIX = re.compile(r"(?i)^(?:the\s+)?(?:london borough|royal borough|city|borough|county) of\s+")
_AUTHORITY_SUFFIX = re.compile(
    r"(?i)\s+(?:(?:metropolitan borough|metropolitan district|county borough|county|district|borough|city)\s+)?"
    r"council$"
)


def place_name(name: str) -> str:
    """An authority's name without the words for its kind, in lower case: "Royal Borough of Kingston upon
    Thames" gives "kingston upon thames", "Fife Council" gives "fife"."""
    text = " ".join(name.split())
    text = _AUTHORITY_SUFFIX.sub("", _AUTHORITY_PREFIX.sub("", text))
    return text.casefold()


def _guess_type(name: str) -> AuthorityType:
    lowered = name.casefold()
    if "london borough" in lowered:
        return AuthorityType.LONDON_BOROUGH
    if "county" in lowered:
        return AuthorityType.COUNTY
    if "metropolitan" in lowered:
        return AuthorityType.METROPOLITAN_BOROUGH
    return AuthorityType.DISTRICT


def _default_region(kind: AuthorityType) -> Region:
    return {AuthorityType.WELSH_UNITARY: Region.WALES, AuthorityType.SCOTTISH_UNITARY: Region.SCOTLAND}.get(
        kind, Region.SOUTH_EAST
    )


def _assessment_for(service: WorkbookService, authority_id: int, release_id: str, code: str, round_: Round) -> int:
    existing = service.list_assessments(
        AssessmentFilter(authority_id=authority_id, standard_code=code, round_label=round_.label)
    )
    same_release = [s for s in existing if s.release_id == release_id]
    if same_release:
        return max(same_release, key=lambda s: s.updated_at).id
    return service.create_assessment(AssessmentDetails(authority_id, release_id, code, round_)).id


# -- report -------------------------------------------------------------------------------------------


@dataclass
class _ReportRows:
    files: list[list[object]] = field(default_factory=list)
    rows: list[list[object]] = field(default_factory=list)


def _report_failure(report: _ReportRows, preview: LegacyFilePreview, failure: str) -> None:
    """A file read but not imported: every row of it was left, for the reason given."""
    reading = preview.reading
    report.files.append([
        str(preview.path), "failed", failure, (reading.authority_hint if reading else "") or "",
        (reading.round_hint if reading else "") or "", 0, len(preview.matches),
        "yes" if preview.macros_present else "no",
    ])
    for match in preview.matches:
        report.rows.append(_row_line(preview, match, f"left: the file was not imported: {failure}"))


def _row_line(preview: LegacyFilePreview, match: RowMatch, outcome: str) -> list[object]:
    """A row read, as the report's Rows sheet lists it."""
    return [
        str(preview.path.name), match.row.sheet, match.row.row, match.row.ref_text,
        match.criterion_ref or "", match.matched_by, round(match.match_confidence, 3),
        match.row.judgement_text, match.judgement.label if match.judgement else "",
        "; ".join(match.flags), outcome,
    ]


def _report_own_return(report: _ReportRows, preview: LegacyFilePreview, result: AppliedLegacyImport | None) -> None:
    """A return this application exported is read by its metadata: the report lists its changes, not its rows."""
    own = preview.own_return
    assert own is not None
    first = own.assessments[0] if own.assessments else None
    left = [r.reason for r in result.left] if result else []  # each reason starts "REF: "
    report.files.append([
        str(preview.path), preview.status.value, preview.message,
        first.authority.name if first else "", first.round.label if first else "",
        result.imported if result else 0, len(result.left) if result else len(own.changes),
        "yes" if preview.macros_present else "no",
    ])
    for change in own.changes:
        what = "; ".join(change.describe())
        reasons = [reason for reason in left if reason.startswith(f"{change.ref}:")]
        if result is None:
            outcome = f"not imported (preview only): {what}"
        elif reasons:
            outcome = f"left: {'; '.join(reasons)}"
        else:
            outcome = f"imported: {what}"
        judgement = change.judgement[1].label if change.judgement else ""
        report.rows.append([
            preview.path.name, change.standard_code, "", change.ref, change.ref, "the return's metadata", 1.0,
            judgement, judgement, "", outcome,
        ])
    for conflict in own.conflicts:
        report.rows.append([
            preview.path.name, conflict.standard_code, "", conflict.ref, conflict.ref, "the return's metadata", 1.0,
            "", "", "changed in the return and in the application since it was exported",
            f"left: {'; '.join(conflict.describe())}",
        ])


def write_import_report(
    path: Path,
    previews: Sequence[LegacyFilePreview],
    applied: Mapping[Path, AppliedLegacyImport] | None = None,
    failures: Mapping[Path, str] | None = None,
) -> Path:
    """Save an .xlsx report: one line per file, and one per row read with what happened to it.

    ``failures`` are files that were read but could not be imported (no authority or round, say), with why.
    """
    from openpyxl import Workbook

    applied = applied or {}
    failures = failures or {}
    report = _ReportRows()
    for preview in previews:
        result = applied.get(preview.path)
        failure = failures.get(preview.path)
        if failure is not None:
            _report_failure(report, preview, failure)
            continue
        if preview.status is FileStatus.OWN_RETURN and preview.own_return is not None:
            _report_own_return(report, preview, result)
            continue
        left = {(r.sheet, r.row): r.reason for r in result.left} if result else {}
        report.files.append([
            str(preview.path), preview.status.value, preview.message,
            result.authority if result else (preview.reading.authority_hint if preview.reading else "") or "",
            result.round_label if result else (preview.reading.round_hint if preview.reading else "") or "",
            result.imported if result else 0, len(result.left) if result else len(preview.matches),
            "yes" if preview.macros_present else "no",
        ])
        for match in preview.matches:
            key = (match.row.sheet, match.row.row)
            if result is None:
                outcome = "not imported (preview only)"
            elif key in left:
                outcome = f"left: {left[key]}"
            else:
                outcome = "imported"
            report.rows.append(_row_line(preview, match, outcome))
    workbook = Workbook()
    files_sheet = workbook.active
    assert files_sheet is not None
    files_sheet.title = "Files"
    files_sheet.append(["File", "Status", "What happened", "Authority", "Round", "Criteria imported",
                        "Rows left", "Macros"])
    for line in report.files:
        files_sheet.append(line)
    rows_sheet = workbook.create_sheet("Rows")
    rows_sheet.append(["File", "Sheet", "Row", "Reference as written", "Criterion", "Matched by",
                       "Match confidence", "Judgement as written", "Judgement", "Needs review because", "Outcome"])
    for line in report.rows:
        rows_sheet.append(line)
    workbook.save(path)
    return path
