"""The assessment file (``.nesds``), format version 1, as pydantic models; reading and writing it.

A file holds one or more assessments, the authorities they belong to and the catalogue
releases they were scored against, so it opens on a machine that lacks the release.  Every
item (the assessment's details, each judgement, evidence reference and action) carries its
whole revision history: what a three-way merge needs (see :mod:`nesds_desktop.exchange.merge`).
``docs/assessment-file.md`` describes the format; ``docs/schemas/assessment-file.schema.json``
is generated from these models by ``scripts/write_exchange_schema.py``.

Reading is strict: the container is checked first (:mod:`nesds_desktop.exchange.container`),
then the manifest's format and version (a newer version is named as such before anything
else is parsed), then the checksum over ``content.json``, then the content against the
models (unknown fields refused, types not coerced, every list and text bounded), then the
cross-references between its parts.  Any failure is an :class:`ExchangeFileError`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from nesds_desktop.domain.assessments import ActionPriority, ActionState, AssessmentState, Round
from nesds_desktop.domain.authorities import Authority, AuthorityError, AuthorityType, Region
from nesds_desktop.domain.catalogue import Criterion, Release, ReleaseInfo, Section, Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.levels import Level
from nesds_desktop.exchange.container import (
    MEDIA_TYPE,
    ExchangeFileError,
    read_container,
    write_container,
)
from nesds_desktop.exchange.merge import (
    KIND_ACTION,
    KIND_DETAILS,
    KIND_EVIDENCE,
    KIND_JUDGEMENT,
    AssessmentHistory,
    Entry,
    ItemHistory,
)

__all__ = ["FILE_SUFFIX", "FORMAT_NAME", "FORMAT_VERSION", "MEDIA_TYPE", "ExchangeFileError"]

FORMAT_NAME = "nesds-assessment"
FORMAT_VERSION = 1
FILE_SUFFIX = ".nesds"

# Bounds: generous for any real assessment, small enough that no file can exhaust memory or time.
MAX_ASSESSMENTS = 500
MAX_RELEASES = 20
MAX_AUTHORITIES = 500
MAX_STANDARDS = 50
MAX_SECTIONS = 99
MAX_CRITERIA_PER_SECTION = 200
MAX_JUDGEMENTS = 2000
MAX_EVIDENCE = 10000
MAX_ACTIONS = 5000
MAX_HISTORY = 2000
MAX_NOTES = 100_000
MAX_TEXT = 20_000
MAX_NAME = 200
MAX_LIST_TEXTS = 100

UID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
REF_PATTERN = r"^[A-Z]{2,4}-[1-9][0-9]?-[MPE][1-9][0-9]?$"
# Evidence and actions of an answer archived by a release migration carry "ICT-4-M1 (2006.1)".
ITEM_REF_PATTERN = r"^[A-Z]{2,4}-[1-9][0-9]?-[MPE][1-9][0-9]?( \([^()]{1,12}\))?$"
HASH_PATTERN = r"^sha256:[0-9a-f]{64}$"

Uid = Annotated[str, Field(pattern=UID_PATTERN)]
Name = Annotated[str, Field(max_length=MAX_NAME)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
Notes = Annotated[str, Field(max_length=MAX_NOTES)]
FilledText = Annotated[str, StringConstraints(min_length=1, max_length=MAX_TEXT)]
Pence = Annotated[int, Field(ge=0, le=10**13)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# -- manifest.json ----------------------------------------------------------------------------


class ContentRef(_Strict):
    name: Literal["content.json"] = "content.json"
    bytes: Annotated[int, Field(ge=2, description="Size of content.json in bytes")]
    sha256: Annotated[str, Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of content.json, hex")]


class Manifest(_Strict):
    """``manifest.json``: what the file is, which format version, who wrote it, and the checksum."""

    format: Literal["nesds-assessment"] = "nesds-assessment"
    format_version: Annotated[int, Field(ge=1)]
    application: Annotated[str, Field(max_length=100, description="The program and version that wrote the file")]
    created_at: AwareDatetime
    created_by: Annotated[Name, Field(description="Author name from the writer's preferences; empty when redacted")]
    content: ContentRef


# -- the catalogue carried along --------------------------------------------------------------


class CriterionDoc(_Strict):
    ref: Annotated[str, Field(pattern=REF_PATTERN)]
    level: Level
    statement: FilledText
    guidance: FilledText
    evidence: Annotated[list[FilledText], Field(max_length=MAX_LIST_TEXTS)]
    signposts: Annotated[list[FilledText], Field(max_length=MAX_LIST_TEXTS)]


class SectionDoc(_Strict):
    number: Annotated[int, Field(ge=1, le=99)]
    title: FilledText
    summary: FilledText
    criteria: Annotated[list[CriterionDoc], Field(min_length=1, max_length=MAX_CRITERIA_PER_SECTION)]


class StandardDoc(_Strict):
    code: Annotated[str, Field(pattern=r"^[A-Z]{2,4}$")]
    title: FilledText
    summary: FilledText
    maintainer: Name
    sections: Annotated[list[SectionDoc], Field(min_length=1, max_length=MAX_SECTIONS)]


class ReleaseDoc(_Strict):
    """A whole catalogue release, as in its ``standards/<release_id>/`` folder, with its content hash."""

    release_id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.\-]{0,99}$")]
    title: FilledText
    version: Annotated[str, StringConstraints(min_length=1, max_length=50)]
    published: date
    provenance: FilledText
    supersedes: Annotated[str, Field(max_length=100)] | None
    content_hash: Annotated[str, Field(pattern=HASH_PATTERN)]
    standards: Annotated[list[StandardDoc], Field(min_length=1, max_length=MAX_STANDARDS)]


# -- authorities ------------------------------------------------------------------------------


class AuthorityDoc(_Strict):
    uid: Uid
    name: Annotated[str, StringConstraints(min_length=1, max_length=MAX_NAME)]
    type: AuthorityType
    region: Region
    gss_code: Annotated[str, Field(pattern=r"^[EWSN][0-9]{8}$")] | None

    @model_validator(mode="after")
    def _fits_together(self) -> AuthorityDoc:
        try:
            Authority(self.name, self.type, self.region, self.gss_code)
        except AuthorityError as error:
            raise ValueError(str(error)) from None
        return self


# -- item contents (the shapes the store's change log keeps) ----------------------------------


class DetailsContent(_Strict):
    round: Annotated[str, Field(pattern=r"^[0-9]{4}/[0-9]{2}$")]
    facilitator: Name
    participants: Text
    workshop_start: date | None
    workshop_end: date | None
    state: AssessmentState

    @model_validator(mode="after")
    def _round_is_real(self) -> DetailsContent:
        Round.parse(self.round)  # consecutive years
        return self


class JudgementContent(_Strict):
    ref: Annotated[str, Field(pattern=REF_PATTERN)]
    judgement: Judgement
    notes: Notes
    to_confirm: bool


class EvidenceContent(_Strict):
    ref: Annotated[str, Field(pattern=ITEM_REF_PATTERN)]
    title: FilledText
    location: Text


class ActionContent(_Strict):
    ref: Annotated[str, Field(pattern=ITEM_REF_PATTERN)] | None
    description: FilledText
    owner: Name
    due: date | None
    priority: ActionPriority
    state: ActionState
    saving_cashable_pence: Pence
    saving_non_cashable_pence: Pence


CONTENT_MODELS: dict[str, type[_Strict]] = {
    KIND_DETAILS: DetailsContent,
    KIND_JUDGEMENT: JudgementContent,
    KIND_EVIDENCE: EvidenceContent,
    KIND_ACTION: ActionContent,
}


# -- histories --------------------------------------------------------------------------------


class _EntryBase(_Strict):
    revision: Annotated[int, Field(ge=1, le=10**9)]
    author: Name
    changed_at: AwareDatetime


class DetailsEntry(_EntryBase):
    content: DetailsContent


class JudgementEntry(_EntryBase):
    content: JudgementContent


class EvidenceEntry(_EntryBase):
    content: EvidenceContent | None = Field(description="null: this revision removed the reference")


class ActionEntry(_EntryBase):
    content: ActionContent | None = Field(description="null: this revision removed the action")


class DetailsItem(_Strict):
    history: Annotated[list[DetailsEntry], Field(min_length=1, max_length=MAX_HISTORY)]


class JudgementItem(_Strict):
    uid: Uid
    history: Annotated[list[JudgementEntry], Field(min_length=1, max_length=MAX_HISTORY)]


class EvidenceItemDoc(_Strict):
    uid: Uid
    position: Annotated[int, Field(ge=0, le=MAX_EVIDENCE)]
    history: Annotated[list[EvidenceEntry], Field(min_length=1, max_length=MAX_HISTORY)]


class ActionItemDoc(_Strict):
    uid: Uid
    position: Annotated[int, Field(ge=0, le=MAX_ACTIONS)]
    history: Annotated[list[ActionEntry], Field(min_length=1, max_length=MAX_HISTORY)]


class AssessmentDoc(_Strict):
    """One assessment: which council, standard and release; its items, each with its history.

    The item as it stands is the last entry of its history.  Removed evidence references and
    actions stay, their last entry's content null, so that a merge can carry the removal.
    """

    uid: Uid
    authority_uid: Uid
    release_id: Annotated[str, Field(max_length=100)]
    standard_code: Annotated[str, Field(pattern=r"^[A-Z]{2,4}$")]
    created_at: AwareDatetime
    updated_at: AwareDatetime
    details: DetailsItem
    judgements: Annotated[list[JudgementItem], Field(max_length=MAX_JUDGEMENTS)]
    evidence: Annotated[list[EvidenceItemDoc], Field(max_length=MAX_EVIDENCE)]
    actions: Annotated[list[ActionItemDoc], Field(max_length=MAX_ACTIONS)]


class ExchangeContent(_Strict):
    """``content.json``: the assessments, their authorities and the releases they were scored against."""

    format_version: Annotated[int, Field(ge=1)]
    redacted: Annotated[bool, Field(description="True when evidence notes and people's names were left out on export")]
    releases: Annotated[list[ReleaseDoc], Field(min_length=1, max_length=MAX_RELEASES)]
    authorities: Annotated[list[AuthorityDoc], Field(min_length=1, max_length=MAX_AUTHORITIES)]
    assessments: Annotated[list[AssessmentDoc], Field(min_length=1, max_length=MAX_ASSESSMENTS)]


# -- plain data in and out --------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentCopy:
    """One assessment as it travels: what it belongs to, and its items with their histories."""

    uid: str
    authority_uid: str
    release_id: str
    standard_code: str
    created_at: datetime
    updated_at: datetime
    history: AssessmentHistory


@dataclass(frozen=True)
class ExchangeFile:
    """A file read and checked: its manifest, content, and each assessment as plain data."""

    path: Path
    manifest: Manifest
    content: ExchangeContent
    copies: tuple[AssessmentCopy, ...]
    file_bytes: int
    content_bytes: bytes

    @property
    def redacted(self) -> bool:
        return self.content.redacted

    def release(self, release_id: str) -> ReleaseDoc:
        return next(r for r in self.content.releases if r.release_id == release_id)

    def authority(self, uid: str) -> AuthorityDoc:
        return next(a for a in self.content.authorities if a.uid == uid)


def normalise_content(kind: str, content: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """``content`` in the one canonical shape of its kind (raises ValueError if it does not fit)."""
    if content is None:
        return None
    try:
        return CONTENT_MODELS[kind].model_validate(dict(content)).model_dump(mode="json")
    except ValidationError as error:
        raise ValueError(f"{kind} content does not fit the format: {_first_error(error)}") from None


def release_doc(release: Release) -> ReleaseDoc:
    info = release.info
    return ReleaseDoc(
        release_id=info.release_id,
        title=info.title,
        version=info.version,
        published=info.published,
        provenance=info.provenance,
        supersedes=info.supersedes,
        content_hash=info.content_hash,
        standards=[
            StandardDoc(
                code=standard.code,
                title=standard.title,
                summary=standard.summary,
                maintainer=standard.maintainer,
                sections=[
                    SectionDoc(
                        number=section.number,
                        title=section.title,
                        summary=section.summary,
                        criteria=[
                            CriterionDoc(
                                ref=c.ref,
                                level=c.level,
                                statement=c.statement,
                                guidance=c.guidance,
                                evidence=list(c.evidence),
                                signposts=list(c.signposts),
                            )
                            for c in section.criteria
                        ],
                    )
                    for section in standard.sections
                ],
            )
            for standard in release.standards
        ],
    )


def release_from_doc(doc: ReleaseDoc, source: str) -> Release:
    info = ReleaseInfo(
        release_id=doc.release_id,
        title=doc.title,
        version=doc.version,
        published=doc.published,
        provenance=doc.provenance,
        content_hash=doc.content_hash,
        supersedes=doc.supersedes,
        source=source,
    )
    standards = tuple(
        Standard(
            s.code,
            s.title,
            s.summary,
            s.maintainer,
            tuple(
                Section(
                    section.number,
                    section.title,
                    section.summary,
                    tuple(
                        Criterion(c.ref, c.level, c.statement, c.guidance, tuple(c.evidence), tuple(c.signposts))
                        for c in section.criteria
                    ),
                )
                for section in s.sections
            ),
        )
        for s in doc.standards
    )
    return Release(info, standards)


def authority_doc(uid: str, authority: Authority) -> AuthorityDoc:
    return AuthorityDoc(
        uid=uid, name=authority.name, type=authority.type, region=authority.region, gss_code=authority.gss_code
    )


def _entry_dict(entry: Entry) -> dict[str, Any]:
    return {
        "revision": entry.revision,
        "author": entry.author,
        "changed_at": _timestamp(entry.changed_at),
        "content": entry.content,
    }


def _timestamp(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _copy_dict(copy: AssessmentCopy) -> dict[str, Any]:
    history = copy.history
    details = history.item(KIND_DETAILS, copy.uid)
    if details is None:
        raise ValueError(f"assessment {copy.uid} has no details")

    def items(kind: str) -> list[ItemHistory]:
        chosen = [item for item in history.sorted_items() if item.kind == kind]
        return chosen if kind == KIND_JUDGEMENT else sorted(chosen, key=lambda item: item.uid)

    return {
        "uid": copy.uid,
        "authority_uid": copy.authority_uid,
        "release_id": copy.release_id,
        "standard_code": copy.standard_code,
        "created_at": _timestamp(copy.created_at),
        "updated_at": _timestamp(copy.updated_at),
        "details": {"history": [_entry_dict(e) for e in details.entries]},
        "judgements": [
            {"uid": item.uid, "history": [_entry_dict(e) for e in item.entries]} for item in items(KIND_JUDGEMENT)
        ],
        "evidence": [
            {"uid": item.uid, "position": item.position, "history": [_entry_dict(e) for e in item.entries]}
            for item in items(KIND_EVIDENCE)
        ],
        "actions": [
            {"uid": item.uid, "position": item.position, "history": [_entry_dict(e) for e in item.entries]}
            for item in items(KIND_ACTION)
        ],
    }


def content_json(
    releases: Sequence[ReleaseDoc],
    authorities: Sequence[AuthorityDoc],
    copies: Sequence[AssessmentCopy],
    *,
    redacted: bool,
) -> bytes:
    """``content.json`` as bytes: sorted, compact, the same bytes for the same content."""
    document = {
        "format_version": FORMAT_VERSION,
        "redacted": redacted,
        "releases": [r.model_dump(mode="json") for r in sorted(releases, key=lambda r: r.release_id)],
        "authorities": [a.model_dump(mode="json") for a in sorted(authorities, key=lambda a: a.uid)],
        "assessments": [_copy_dict(c) for c in sorted(copies, key=lambda c: c.uid)],
    }
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def write_exchange_file(
    target: Path, content: bytes, *, application: str, created_at: datetime, created_by: str
) -> int:
    """Write ``content`` (from :func:`content_json`) with its manifest; returns the file's size."""
    manifest = Manifest(
        format_version=FORMAT_VERSION,
        application=application,
        created_at=created_at,
        created_by=created_by,
        content=ContentRef(bytes=len(content), sha256=hashlib.sha256(content).hexdigest()),
    )
    manifest_bytes = json.dumps(manifest.model_dump(mode="json"), ensure_ascii=False, indent=2).encode("utf-8")
    return write_container(target, manifest_bytes, content)


# -- reading ----------------------------------------------------------------------------------


def read_exchange_file(path: Path) -> ExchangeFile:
    """Read and check ``path`` completely; nothing outside the file is consulted."""
    raw = read_container(path)
    manifest = _read_manifest(path, raw.manifest_bytes)
    content_bytes = raw.content_bytes
    if len(content_bytes) != manifest.content.bytes or hashlib.sha256(content_bytes).hexdigest() != (
        manifest.content.sha256
    ):
        raise ExchangeFileError(
            path,
            "checksum",
            "the checksum does not match: content.json was changed or damaged after the file was written",
        )
    try:
        content = ExchangeContent.model_validate_json(content_bytes, strict=True)
    except ValidationError as error:
        raise ExchangeFileError(path, "invalid", _content_problem(error)) from None
    except (RecursionError, ValueError) as error:
        raise ExchangeFileError(path, "invalid", f"content.json cannot be read: {error}") from None
    if content.format_version != manifest.format_version:
        raise ExchangeFileError(
            path,
            "invalid",
            f"the manifest says format version {manifest.format_version} but content.json says "
            f"{content.format_version}",
        )
    problems = check_references(content)
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise ExchangeFileError(path, "inconsistent", f"the content does not hold together: {problems[0]}{more}")
    return ExchangeFile(
        path, manifest, content, tuple(copy_from_doc(a) for a in content.assessments), raw.file_bytes, content_bytes
    )


def _read_manifest(path: Path, data: bytes) -> Manifest:
    try:
        loose = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ExchangeFileError(path, "damaged", "manifest.json is not readable JSON: the file is damaged") from None
    if not isinstance(loose, dict) or loose.get("format") != FORMAT_NAME:
        raise ExchangeFileError(path, "foreign", "this is not an assessment file: its manifest names another format")
    version = loose.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ExchangeFileError(path, "invalid", "the manifest gives no valid format version")
    if version > FORMAT_VERSION:
        raise ExchangeFileError(
            path,
            "newer_version",
            f"made by a newer version of NeSDS Workbook (file format {version}; this version reads format "
            f"{FORMAT_VERSION}): please update NeSDS Workbook to open it",
        )
    try:
        return Manifest.model_validate_json(data, strict=True)
    except ValidationError as error:
        raise ExchangeFileError(path, "invalid", f"manifest.json is not valid: {_first_error(error)}") from None


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    # Numbered from 1, as people count: "assessments #1 > judgements #3 > history #2 > content".
    where = " > ".join(f"#{part + 1}" if isinstance(part, int) else str(part) for part in first["loc"])
    where = where.replace(" > #", " #")
    message = str(first["msg"]).removeprefix("Value error, ")
    if first["type"] == "extra_forbidden":
        message = "unknown field (not part of the assessment file format)"
    elif first["type"] == "missing":
        message = "required field is missing"
    return f"{where}: {message}" if where else message


def _content_problem(error: ValidationError) -> str:
    count = error.error_count()
    first = error.errors()[0]
    if first["type"] in {"json_invalid", "recursion_loop"} or "recursion" in str(first["msg"]).lower():
        return f"content.json is not valid JSON ({first['msg']})"
    more = f" (and {count - 1} more problem(s))" if count > 1 else ""
    return f"content.json does not follow the assessment file format: {_first_error(error)}{more}"


def check_references(content: ExchangeContent) -> list[str]:
    """What the models cannot see: identities unique, references resolved, histories in order."""
    problems: list[str] = []
    releases = {r.release_id: r for r in content.releases}
    if len(releases) != len(content.releases):
        problems.append("a catalogue release appears twice")
    authorities = {a.uid for a in content.authorities}
    if len(authorities) != len(content.authorities):
        problems.append("an authority appears twice")
    seen_assessments: set[str] = set()
    seen_items: set[str] = set()
    used_releases: set[str] = set()
    used_authorities: set[str] = set()
    for index, assessment in enumerate(content.assessments, start=1):
        where = f"assessment {index} ({assessment.uid})"
        if assessment.uid in seen_assessments:
            problems.append(f"{where} appears twice")
        seen_assessments.add(assessment.uid)
        used_authorities.add(assessment.authority_uid)
        used_releases.add(assessment.release_id)
        if assessment.authority_uid not in authorities:
            problems.append(f"{where} names an authority the file does not hold")
        release = releases.get(assessment.release_id)
        if release is None:
            problems.append(f"{where} was scored against release {assessment.release_id}, which the file lacks")
            continue
        standard = next((s for s in release.standards if s.code == assessment.standard_code), None)
        if standard is None:
            problems.append(f"{where}: release {release.release_id} has no standard {assessment.standard_code}")
            continue
        criteria = {c.ref for section in standard.sections for c in section.criteria}
        problems.extend(_check_items(where, assessment, criteria, seen_items))
    for release_id in sorted(set(releases) - used_releases):
        problems.append(f"release {release_id} is carried but no assessment uses it")
    for uid in sorted(authorities - used_authorities):
        problems.append(f"authority {uid} is carried but no assessment belongs to it")
    return problems


def _check_items(where: str, assessment: AssessmentDoc, criteria: set[str], seen: set[str]) -> list[str]:
    problems: list[str] = []
    refs: set[str] = set()
    for judgement in assessment.judgements:
        head = judgement.history[-1].content
        if head.ref not in criteria:
            problems.append(f"{where}: judgement {judgement.uid} is for {head.ref}, not a criterion of the standard")
        if head.ref in refs:
            problems.append(f"{where}: criterion {head.ref} is answered twice")
        refs.add(head.ref)
    histories: list[tuple[str, Sequence[_EntryBase]]] = [("details", assessment.details.history)]
    histories += [(f"judgement {j.history[-1].content.ref}", j.history) for j in assessment.judgements]
    for kind, items in (("evidence reference", assessment.evidence), ("action", assessment.actions)):
        for item in items:
            if item.uid in seen:
                problems.append(f"{where}: {kind} {item.uid} appears twice")
            seen.add(item.uid)
            histories.append((f"{kind} {item.uid}", item.history))
            for entry in item.history:
                ref = entry.content.ref if entry.content is not None else None
                if ref is not None and " (" not in ref and ref not in criteria:
                    problems.append(f"{where}: {kind} {item.uid} names {ref}, not a criterion of the standard")
                    break
    for judgement in assessment.judgements:
        if judgement.uid in seen:
            problems.append(f"{where}: judgement {judgement.uid} appears twice")
        seen.add(judgement.uid)
    for label, history in histories:
        entries = _entries(history)
        if entries != sorted(set(entries)):
            problems.append(f"{where}: the history of {label} is not in order of revision, or repeats an entry")
    return problems


def copy_from_doc(doc: AssessmentDoc) -> AssessmentCopy:
    items: list[ItemHistory] = [
        ItemHistory.build(KIND_DETAILS, doc.uid, doc.uid, 0, _entries(doc.details.history)),
    ]
    for judgement in doc.judgements:
        ref = judgement.history[-1].content.ref
        items.append(ItemHistory.build(KIND_JUDGEMENT, ref, judgement.uid, 0, _entries(judgement.history)))
    for kind, docs in ((KIND_EVIDENCE, doc.evidence), (KIND_ACTION, doc.actions)):
        for item in docs:
            items.append(ItemHistory.build(kind, item.uid, item.uid, item.position, _entries(item.history)))
    return AssessmentCopy(
        uid=doc.uid,
        authority_uid=doc.authority_uid,
        release_id=doc.release_id,
        standard_code=doc.standard_code,
        created_at=doc.created_at,
        updated_at=doc.updated_at,
        history=AssessmentHistory.of(doc.uid, items),
    )


def _entries(history: Iterable[_EntryBase]) -> list[Entry]:
    out = []
    for entry in history:
        content: BaseModel | None = getattr(entry, "content", None)
        dumped = content.model_dump(mode="json") if content is not None else None
        out.append(Entry.of(entry.revision, entry.author, entry.changed_at, dumped))
    return out


# -- redaction --------------------------------------------------------------------------------


def redact(history: AssessmentHistory) -> AssessmentHistory:
    """The copy without evidence notes and people's names: authors, facilitator, participants, owners."""
    items = []
    for item in history.items.values():
        entries = [
            Entry.of(e.revision, "", e.changed_at, _redacted_content(item.kind, e.content)) for e in item.entries
        ]
        items.append(ItemHistory.build(item.kind, item.key, item.uid, item.position, entries))
    return AssessmentHistory.of(history.uid, items)


def _redacted_content(kind: str, content: dict[str, object] | None) -> dict[str, object] | None:
    if content is None:
        return None
    blanked = {
        KIND_DETAILS: ("facilitator", "participants"),
        KIND_JUDGEMENT: ("notes",),
        KIND_ACTION: ("owner",),
    }.get(kind, ())
    return {key: ("" if key in blanked else value) for key, value in content.items()}


_ARCHIVED_LABEL = re.compile(r" \([^()]+\)$")


def criterion_of(ref: str | None) -> str | None:
    """The criterion an item reference names, without an archived label: "ICT-4-M1 (2006.1)" -> "ICT-4-M1"."""
    return _ARCHIVED_LABEL.sub("", ref) if ref else None
