"""Assessment files: export, inspect, import or merge (preview first, then apply), and undo a merge.

The flow the window and the command line share::

    preview = service.preview(path)          # reads and checks the file; the store is only read
    applied = service.apply(preview, choices) # ONE transaction: new assessments added, others merged
    service.undo(applied)                     # ONE transaction: the store as it was before
    service.redo(applied)

Nothing is written before :meth:`ExchangeService.apply`, which the user reaches only by
confirming (the merge dialog, or the command line's explicit command).  Every refusal is an
:class:`ExchangeError` whose message names the file and the problem; nothing in the store
changes when one is raised.  Two files can also be merged into a third without a store
(:meth:`ExchangeService.merge_files`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from nesds_desktop._version import APP_NAME, __version__
from nesds_desktop.catalogue.checks import check_release_content
from nesds_desktop.catalogue.hashing import content_hash
from nesds_desktop.catalogue.schema import ReleaseFile, StandardFile
from nesds_desktop.domain.assessments import ActionPriority, ActionState, AssessmentState
from nesds_desktop.domain.authorities import Authority
from nesds_desktop.domain.catalogue import Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.exchange.container import ExchangeFileError
from nesds_desktop.exchange.file_format import (
    FILE_SUFFIX,
    MAX_ASSESSMENTS,
    AssessmentCopy,
    AuthorityDoc,
    ExchangeFile,
    ReleaseDoc,
    authority_doc,
    content_json,
    normalise_content,
    read_exchange_file,
    redact,
    release_doc,
    release_from_doc,
    write_exchange_file,
)
from nesds_desktop.exchange.merge import (
    KIND_ACTION,
    KIND_DETAILS,
    KIND_EVIDENCE,
    KIND_JUDGEMENT,
    AssessmentHistory,
    Conflict,
    Entry,
    ItemHistory,
    ItemMerge,
    MergeResult,
    Outcome,
    Side,
    canonical_json,
    digest,
    merge_assessment,
)
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage import assessment_repository, catalogue_repository
from nesds_desktop.storage import exchange_repository as repo
from nesds_desktop.storage.exchange_repository import ItemWrite, LogEntry, NewAssessmentRow, StoredAssessment
from nesds_desktop.storage.store import Store

__all__ = [
    "FILE_SUFFIX",
    "AppliedMerge",
    "AssessmentPlan",
    "ChangeLine",
    "ConflictKey",
    "ConflictView",
    "ExchangeError",
    "ExchangeService",
    "ExportOutcome",
    "FileMergeOutcome",
    "MergePreview",
    "Side",
    "Version",
    "choose_all",
    "describe",
    "exchange_path_argument",
    "inspect_file",
    "merge_files",
]

ConflictKey = tuple[str, str, str]
"""(assessment uid, item kind, item key): how a choice names the conflict it settles."""


class ExchangeError(Exception):
    """An export, import or merge that cannot go ahead; nothing was changed.  ``reason`` is a fixed word."""

    def __init__(self, message: str, reason: str = "refused", details: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.reason = reason
        self.details = list(details)


def exchange_path_argument(argument: str) -> Path | None:
    """The assessment file a lone command-line argument names (double-click opens the app so), if any."""
    path = Path(argument)
    return path if path.suffix.lower() == FILE_SUFFIX and path.is_file() else None


# -- what a preview shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Version:
    """One side of a conflict, for people: what it says, who wrote it and when."""

    lines: tuple[str, ...]
    author: str
    changed_at: datetime
    removed: bool

    @property
    def summary(self) -> str:
        return " · ".join(self.lines)


@dataclass(frozen=True)
class ConflictView:
    key: ConflictKey
    assessment_title: str
    label: str
    criterion_ref: str | None
    base: Version | None
    mine: Version
    theirs: Version


@dataclass(frozen=True)
class ChangeLine:
    """A change taken automatically (made on their side only)."""

    label: str
    before: str
    after: str
    author: str
    changed_at: datetime


@dataclass(frozen=True)
class AssessmentPlan:
    uid: str
    title: str
    local_id: int | None
    """None: the assessment is new to this store and will be added."""
    copy: AssessmentCopy
    merge: MergeResult | None
    taken: tuple[ChangeLine, ...]
    joined: int
    conflicts: tuple[ConflictView, ...]
    local_digest: str = ""
    notes: tuple[str, ...] = ()

    @property
    def is_new(self) -> bool:
        return self.local_id is None

    @property
    def changes_anything(self) -> bool:
        return self.is_new or bool(self.taken or self.joined or self.conflicts) or self._history_only

    @property
    def _history_only(self) -> bool:
        return self.merge is not None and any(i.outcome is not Outcome.KEPT for i in self.merge.items)


@dataclass(frozen=True)
class MergePreview:
    file: ExchangeFile
    plans: tuple[AssessmentPlan, ...]
    releases_to_add: tuple[str, ...]
    authorities_to_add: tuple[str, ...]
    authority_ids: Mapping[str, int]
    """File authority uid -> the register entry it is taken to be (absent: to be added)."""
    notes: tuple[str, ...] = ()

    @property
    def source(self) -> Path:
        return self.file.path

    @property
    def conflicts(self) -> tuple[ConflictView, ...]:
        return tuple(c for plan in self.plans for c in plan.conflicts)

    @property
    def new_assessments(self) -> tuple[AssessmentPlan, ...]:
        return tuple(p for p in self.plans if p.is_new)

    @property
    def merges(self) -> tuple[AssessmentPlan, ...]:
        return tuple(p for p in self.plans if not p.is_new)

    @property
    def nothing_to_do(self) -> bool:
        return not any(plan.changes_anything for plan in self.plans)


# -- what apply did, for undo -----------------------------------------------------------------


@dataclass
class TouchedItem:
    kind: str
    uid: str
    label: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    write: ItemWrite


@dataclass
class AppliedPart:
    assessment_id: int
    uid: str
    title: str
    is_new: bool
    plan: AssessmentPlan
    authority: AuthorityDoc | None = None
    """For an added assessment: its authority as the file gave it (redo may need to add it again)."""
    touched: list[TouchedItem] = field(default_factory=list)
    log_ids: list[int] = field(default_factory=list)
    level_before: dict[str, Any] = field(default_factory=dict)
    done: bool = True
    undone_cleanly: bool = True


@dataclass
class AppliedMerge:
    """What :meth:`ExchangeService.apply` did: enough to take it back and do it again."""

    source: Path
    parts: list[AppliedPart]
    releases: dict[str, ReleaseDoc] = field(default_factory=dict)
    """Releases this merge added to the store."""
    authorities: dict[str, AuthorityDoc] = field(default_factory=dict)
    """Authorities this merge added to the register, by uid."""

    def part(self, assessment_id: int) -> AppliedPart:
        return next(p for p in self.parts if p.assessment_id == assessment_id)

    @property
    def assessment_ids(self) -> list[int]:
        return [p.assessment_id for p in self.parts]

    @property
    def merged_ids(self) -> list[int]:
        return [p.assessment_id for p in self.parts if not p.is_new]

    @property
    def added_ids(self) -> list[int]:
        return [p.assessment_id for p in self.parts if p.is_new]


@dataclass(frozen=True)
class ExportOutcome:
    target: Path
    titles: tuple[str, ...]
    file_bytes: int
    content_bytes: int
    redacted: bool


@dataclass(frozen=True)
class FileMergeOutcome:
    target: Path | None
    """None: conflicts stopped the merge and nothing was written."""
    conflicts: tuple[ConflictView, ...]
    taken: int
    added: int
    file_bytes: int = 0


# -- the service ------------------------------------------------------------------------------


class ExchangeService:
    def __init__(self, store: Store, author: str, listeners: list[Callable[[int], None]] | None = None) -> None:
        self.store = store
        self.author = author
        #: Called with each assessment id a merge, undo or redo changed (share the workbook's list).
        self.listeners: list[Callable[[int], None]] = listeners if listeners is not None else []
        self._release_docs: dict[str, ReleaseDoc] = {}
        self._standards: dict[tuple[str, str], Standard] = {}

    @classmethod
    def for_workbook(cls, workbook: WorkbookService) -> ExchangeService:
        """Share the workbook service's store, author and listeners (so open windows refresh)."""
        return cls(workbook.store, workbook.author, workbook.listeners)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        """A session whose store failures (locked, damaged, full disk) become an ExchangeError."""
        try:
            with self.store.session() as session:
                yield session
        except SQLAlchemyError as error:
            detail = getattr(error, "orig", None) or error
            raise ExchangeError(
                f"the store could not be used ({detail}); nothing was changed. Is NeSDS Workbook open elsewhere?",
                "store",
            ) from error

    def _changed(self, ids: Iterable[int]) -> None:
        for assessment_id in ids:
            for listener in list(self.listeners):
                listener(assessment_id)

    # -- export -------------------------------------------------------------------------------
    def export(
        self, assessment_ids: Sequence[int], target: Path, *, redact_names: bool = False, overwrite: bool = False
    ) -> ExportOutcome:
        """Write the assessments, their authorities and releases to ``target`` (.nesds).

        With ``redact_names`` evidence notes and people's names (authors, facilitator,
        participants, action owners) are left out; such a file can be imported as a new copy
        but never merged back.  The assessment's current details are logged to its history
        first if they were edited since they were last logged, so that copies merge them.
        """
        ids = list(dict.fromkeys(assessment_ids))
        if not ids:
            raise ExchangeError("no assessment was given to export", "usage")
        if len(ids) > MAX_ASSESSMENTS:
            raise ExchangeError(f"at most {MAX_ASSESSMENTS} assessments fit in one file", "usage")
        _check_target(target, overwrite)
        with self._session() as session:
            copies: list[AssessmentCopy] = []
            titles: list[str] = []
            authority_docs: dict[str, AuthorityDoc] = {}
            release_ids: set[str] = set()
            for assessment_id in ids:
                stored = self._read(session, assessment_id)
                stored = self._log_details_if_edited(session, stored)
                copy = self._copy_of(stored)
                copies.append(redact_copy(copy) if redact_names else copy)
                summary = assessment_repository.get_assessment(session, assessment_id)
                titles.append(summary.title)
                authority_docs[summary.authority.uid] = authority_doc(
                    summary.authority.uid, summary.authority.authority
                )
                release_ids.add(stored.release_id)
            releases = [self._release_doc(session, rid) for rid in sorted(release_ids)]
            session.commit()
        content = content_json(releases, list(authority_docs.values()), copies, redacted=redact_names)
        try:
            size = write_exchange_file(
                target,
                content,
                application=f"{APP_NAME} {__version__}",
                created_at=datetime.now(UTC),
                created_by="" if redact_names else self.author,
            )
        except OSError as exc:
            raise ExchangeError(f"{target}: the file could not be written ({exc.strerror or exc})", "io") from exc
        return ExportOutcome(target, tuple(titles), size, len(content), redact_names)

    def _read(self, session: Session, assessment_id: int) -> StoredAssessment:
        try:
            return repo.read_assessment(session, assessment_id)
        except LookupError:
            raise ExchangeError(f"there is no assessment {assessment_id} in the store", "not_found") from None

    def _log_details_if_edited(self, session: Session, stored: StoredAssessment) -> StoredAssessment:
        details = next(item for item in stored.items if item.kind == repo.DETAILS)
        last = details.entries[-1].content if details.entries else None
        if details.entries and last is not None and _same(repo.DETAILS, last, details.content):
            return stored
        revision = max((e.revision for e in details.entries), default=0) + 1
        entry = LogEntry(revision, self.author, datetime.now(UTC), details.content)
        repo.write_items(session, stored.id, [ItemWrite(repo.DETAILS, stored.uid, 0, details.content, entry, (entry,))])
        return repo.read_assessment(session, stored.id)

    def _copy_of(self, stored: StoredAssessment) -> AssessmentCopy:
        items = [self._history_of(stored, item) for item in stored.items]
        return AssessmentCopy(
            uid=stored.uid,
            authority_uid=stored.authority_uid,
            release_id=stored.release_id,
            standard_code=stored.standard_code,
            created_at=stored.created_at,
            updated_at=stored.updated_at,
            history=AssessmentHistory.of(stored.uid, items),
        )

    def _history_of(self, stored: StoredAssessment, item: repo.StoredItem) -> ItemHistory:
        try:
            row = normalise_content(item.kind, item.content)
            entries = [
                Entry.of(e.revision, e.author, e.changed_at, normalise_content(item.kind, e.content))
                for e in item.entries
            ]
        except ValueError as error:
            raise ExchangeError(
                f"{item.kind} {item.uid} of assessment {stored.id} cannot be exported: {error}", "store"
            ) from None
        head = max(entries) if entries else None
        if head is None or head.content_json != canonical_json(row):
            # The row holds what its log does not say (written before logging, or by hand):
            # say it now, as one more revision, so the file tells the truth.
            revision = (head.revision + 1) if head else 1
            moment = head.changed_at if head else stored.updated_at
            entries.append(Entry.of(revision, "", moment, row))
        key = str(row["ref"]) if item.kind == KIND_JUDGEMENT and row else item.uid
        return ItemHistory.build(item.kind, key, item.uid, item.position, entries)

    def _release_doc(self, session: Session, release_id: str) -> ReleaseDoc:
        if release_id not in self._release_docs:
            self._release_docs[release_id] = release_doc(catalogue_repository.get_release(session, release_id))
        return self._release_docs[release_id]

    def _standard(self, session: Session, release_id: str, code: str) -> Standard:
        if (release_id, code) not in self._standards:
            self._standards[(release_id, code)] = catalogue_repository.get_release(session, release_id).standard(code)
        return self._standards[(release_id, code)]

    # -- reading a file -----------------------------------------------------------------------
    def inspect(self, path: Path) -> ExchangeFile:
        """Read and check the file on its own; the store is not touched."""
        return inspect_file(path)

    def preview(self, path: Path | ExchangeFile) -> MergePreview:
        """What opening the file would do: assessments added, changes taken, conflicts to resolve.

        Reads the store, never writes it.
        """
        file = path if isinstance(path, ExchangeFile) else self.inspect(path)
        with self._session() as session:
            try:
                return self._preview(session, file)
            finally:
                session.rollback()

    def _preview(self, session: Session, file: ExchangeFile) -> MergePreview:
        name = file.path.name
        releases_to_add = []
        for doc in file.content.releases:
            local_hash = repo.release_hash(session, doc.release_id)
            if local_hash is None:
                verify_release(doc, name)
                releases_to_add.append(doc.release_id)
            elif local_hash != doc.content_hash:
                raise ExchangeError(
                    f"{name}: it was scored against catalogue release {doc.release_id}, but your store holds a "
                    "different text under that name (the content hashes differ), so its answers cannot be "
                    "placed safely",
                    "release_mismatch",
                )
        authority_ids: dict[str, int] = {}
        authorities_to_add: list[str] = []
        notes: list[str] = []
        for council in file.content.authorities:
            local = repo.authority_by_uid(session, council.uid)
            if local is None:
                local = repo.matching_authority(session, _authority(council))
                if local is not None:
                    notes.append(f"The file's authority {council.name} is taken to be {local.name} in your register.")
            if local is None:
                authorities_to_add.append(council.name)
            else:
                authority_ids[council.uid] = local.id
        plans = [self._plan(session, file, copy) for copy in file.copies]
        return MergePreview(
            file, tuple(plans), tuple(releases_to_add), tuple(authorities_to_add), authority_ids, tuple(notes)
        )

    def _plan(self, session: Session, file: ExchangeFile, copy: AssessmentCopy) -> AssessmentPlan:
        name = file.path.name
        for kind in (KIND_EVIDENCE, KIND_ACTION, KIND_JUDGEMENT):
            uids = [i.uid for i in copy.history.items.values() if i.kind == kind]
            clash = repo.uids_elsewhere(session, kind, uids, copy.uid)
            if clash:
                raise ExchangeError(
                    f"{name}: {kind} {clash[0]} belongs to another assessment in your store; the file is not a "
                    "copy of this store's assessments",
                    "inconsistent",
                )
        local_id = repo.assessment_id_by_uid(session, copy.uid)
        if local_id is None:
            return AssessmentPlan(copy.uid, _file_title(file, copy), None, copy, None, (), 0, ())
        summary = assessment_repository.get_assessment(session, local_id)
        title = summary.title
        if file.redacted:
            raise ExchangeError(
                f"{name}: this file was exported with notes and names left out, so merging it into {title} would "
                "erase them; ask for a file exported without redaction",
                "redacted",
            )
        stored = self._read(session, local_id)
        if (stored.release_id, stored.standard_code) != (copy.release_id, copy.standard_code):
            raise ExchangeError(
                f"{name}: {title} is scored against {stored.release_id} here but against {copy.release_id} in the "
                "file; move both copies to the same release before merging",
                "release_differs",
            )
        notes = []
        if stored.authority_uid != copy.authority_uid:
            notes.append(f"The file names another authority for {title}; the one in your register is kept.")
        mine = self._copy_of(stored).history
        merge = merge_assessment(mine, copy.history)
        return AssessmentPlan(
            uid=copy.uid,
            title=title,
            local_id=local_id,
            copy=copy,
            merge=merge,
            taken=tuple(_change_line(i) for i in merge.with_outcome(Outcome.TAKEN) if i.changes_content),
            joined=len(merge.with_outcome(Outcome.JOINED)),
            conflicts=tuple(_conflict_view(copy.uid, title, c) for c in merge.conflicts),
            local_digest=digest(mine),
            notes=tuple(notes),
        )

    # -- apply --------------------------------------------------------------------------------
    def apply(
        self,
        preview: MergePreview,
        choices: Mapping[ConflictKey, Side] | None = None,
        *,
        prefer: Side | None = None,
    ) -> AppliedMerge:
        """Carry out the preview in one transaction: add what is new, merge what exists.

        Every conflict needs a choice (or ``prefer``).  If the store changed since the preview
        was made, nothing is written and :class:`ExchangeError` says to open the file again.
        """
        choices = dict(choices or {})
        unresolved = [c for c in preview.conflicts if c.key not in choices and prefer is None]
        if unresolved:
            raise ExchangeError(
                f"{len(unresolved)} conflict(s) need a choice of version",
                "conflicts",
                [f"{c.assessment_title}: {c.label}" for c in unresolved],
            )
        applied = AppliedMerge(preview.source, [])
        with self._session() as session:
            try:
                self._add_releases(session, preview, applied)
                for plan in preview.plans:
                    if plan.is_new:
                        authority = preview.file.authority(plan.copy.authority_uid)
                        applied.parts.append(self._import_new(session, plan, authority, applied))
                    elif plan.changes_anything:
                        applied.parts.append(self._merge_into(session, plan, choices, prefer))
                session.commit()
            except BaseException:
                session.rollback()
                raise
        self._changed(applied.assessment_ids)
        return applied

    def _add_releases(self, session: Session, preview: MergePreview, applied: AppliedMerge) -> None:
        for release_id in preview.releases_to_add:
            if repo.release_hash(session, release_id) is not None:
                continue  # added since the preview (the same text: the preview checked the hash)
            doc = preview.file.release(release_id)
            catalogue_repository.add_release(session, release_from_doc(doc, "exchange"))
            applied.releases[release_id] = doc
        session.flush()

    def _authority_id(self, session: Session, doc: AuthorityDoc, added: dict[str, AuthorityDoc]) -> int:
        local = repo.authority_by_uid(session, doc.uid)
        if local is not None:
            return local.id
        authority = _authority(doc)
        matched = repo.matching_authority(session, authority)
        if matched is not None:
            return matched.id
        record = assessment_repository.add_authority(session, authority, uid=doc.uid)
        added[doc.uid] = doc
        return record.id

    def _import_new(
        self, session: Session, plan: AssessmentPlan, authority: AuthorityDoc, applied: AppliedMerge
    ) -> AppliedPart:
        copy = plan.copy
        if repo.assessment_id_by_uid(session, copy.uid) is not None:
            raise ExchangeError(
                f"{plan.title} was added to the store since the file was opened; open it again", "stale"
            )
        authority_id = self._authority_id(session, authority, applied.authorities)
        standard = self._standard(session, copy.release_id, copy.standard_code)
        judgements = {
            item.key: Judgement(str(item.head.content["judgement"]))
            for item in copy.history.items.values()
            if item.kind == KIND_JUDGEMENT and item.head.content
        }
        result = assess_standard(standard, judgements)
        refs = [c.ref for c in standard.criteria()]
        details = copy.history.item(KIND_DETAILS, copy.uid)
        assert details is not None and details.head.content is not None
        assessment_id = repo.insert_assessment(
            session,
            NewAssessmentRow(
                uid=copy.uid,
                authority_id=authority_id,
                release_id=copy.release_id,
                standard_code=copy.standard_code,
                details=details.head.content,
                created_at=copy.created_at,
                updated_at=copy.updated_at,
                level_label=result.level_label,
                answered=sum(1 for ref in refs if judgements.get(ref, Judgement.NOT_YET_ASSESSED).is_assessed),
                total=len(refs),
            ),
        )
        writes = [_write_for(item, item.entries) for item in copy.history.sorted_items()]
        log_ids = repo.write_items(session, assessment_id, writes)
        return AppliedPart(assessment_id, copy.uid, plan.title, True, plan, authority, log_ids=log_ids)

    def _merge_into(
        self, session: Session, plan: AssessmentPlan, choices: Mapping[ConflictKey, Side], prefer: Side | None
    ) -> AppliedPart:
        assert plan.local_id is not None and plan.merge is not None
        stored = self._read(session, plan.local_id)
        if digest(self._copy_of(stored).history) != plan.local_digest:
            raise ExchangeError(
                f"{plan.title} changed since the file was opened; open the file again to merge", "stale"
            )
        mine_choices = {(kind, key): side for (uid, kind, key), side in choices.items() if uid == plan.uid}
        _merged, settled = plan.merge.resolve(mine_choices, prefer)
        part = AppliedPart(plan.local_id, plan.uid, plan.title, False, plan)
        row = repo.assessment_row(session, plan.local_id)
        assert row is not None
        part.level_before = {k: row[k] for k in ("level_label", "answered", "total", "updated_at")}
        for item in settled:
            if item.outcome is Outcome.KEPT or item.merged is None:
                continue
            known = set(item.mine.entries) if item.mine else set()
            write = _write_for(item.merged, [e for e in item.merged.entries if e not in known])
            part.touched.append(TouchedItem(item.kind, item.merged.uid, _item_label(item), None, None, write))
        self._write_touched(session, part)
        self._refresh_level(session, part.assessment_id)
        return part

    def _write_touched(self, session: Session, part: AppliedPart) -> None:
        """Write each touched item, keeping exact before and after rows for undo."""
        by_kind: dict[str, list[TouchedItem]] = {}
        for touched in part.touched:
            by_kind.setdefault(touched.kind, []).append(touched)
        befores = {
            kind: repo.row_snapshots(session, part.assessment_id, kind, [t.uid for t in items])
            for kind, items in by_kind.items()
        }
        part.log_ids = repo.write_items(session, part.assessment_id, [t.write for t in part.touched])
        for kind, items in by_kind.items():
            afters = repo.row_snapshots(session, part.assessment_id, kind, [t.uid for t in items])
            for touched in items:
                touched.before = befores[kind].get(touched.uid)
                touched.after = afters.get(touched.uid)

    def _refresh_level(self, session: Session, assessment_id: int) -> None:
        release_id, code = assessment_repository.assessment_release_and_standard(session, assessment_id)
        standard = self._standard(session, release_id, code)
        judgements = assessment_repository.judgement_values(session, assessment_id)
        result = assess_standard(standard, judgements)
        refs = [c.ref for c in standard.criteria()]
        answered = sum(1 for ref in refs if judgements.get(ref, Judgement.NOT_YET_ASSESSED).is_assessed)
        repo.set_level(session, assessment_id, result.level_label, answered, len(refs), datetime.now(UTC))

    # -- undo and redo ------------------------------------------------------------------------
    def undo(self, applied: AppliedMerge, assessment_id: int | None = None) -> None:
        """Put the store back as it was before the merge (or only that assessment's part), in one transaction.

        Refused, with nothing changed, when an item the merge wrote was changed since.
        """
        parts = [p for p in applied.parts if assessment_id is None or p.assessment_id == assessment_id]
        saved = [_state(p) for p in parts]
        with self._session() as session:
            try:
                for part in reversed(parts):
                    if part.done:
                        self._undo_part(session, part)
                if all(not p.done for p in applied.parts):
                    self._remove_additions(session, applied)
                session.commit()
            except BaseException:
                session.rollback()
                for part, state in zip(parts, saved, strict=True):
                    _restore_state(part, state)
                raise
        self._changed(p.assessment_id for p in parts if not p.is_new)

    def _undo_part(self, session: Session, part: AppliedPart) -> None:
        if part.is_new:
            if repo.change_rows_after(session, part.assessment_id, max(part.log_ids, default=0)):
                raise ExchangeError(f"{part.title} was changed after it was added, so it is not removed", "changed")
            repo.delete_assessment(session, part.assessment_id)
            part.done = False
            return
        self._check_state(session, part, "after")
        clean = not repo.change_rows_after(session, part.assessment_id, max(part.log_ids, default=0))
        if clean:
            repo.delete_change_rows(session, part.log_ids)
            for kind, rows in _snapshots(part.touched, "before").items():
                repo.put_rows(session, part.assessment_id, kind, rows)
            repo.set_level(
                session,
                part.assessment_id,
                part.level_before["level_label"],
                part.level_before["answered"],
                part.level_before["total"],
                part.level_before["updated_at"],
            )
        else:
            # Later edits were logged (and undone): keep all history and say the merge was taken back.
            self._logged_put(session, part, "before")
            self._refresh_level(session, part.assessment_id)
        part.done = False
        part.undone_cleanly = clean

    def redo(self, applied: AppliedMerge, assessment_id: int | None = None) -> None:
        """Make the merge again after :meth:`undo` (all of it, or one assessment's part)."""
        parts = [p for p in applied.parts if assessment_id is None or p.assessment_id == assessment_id]
        saved = [_state(p) for p in parts]
        with self._session() as session:
            try:
                for release_id, release in applied.releases.items():
                    if repo.release_hash(session, release_id) is None:
                        catalogue_repository.add_release(session, release_from_doc(release, "exchange"))
                for uid, council in applied.authorities.items():
                    if repo.authority_by_uid(session, uid) is None:
                        assessment_repository.add_authority(session, _authority(council), uid=uid)
                session.flush()
                for part in parts:
                    if not part.done:
                        self._redo_part(session, part, applied)
                session.commit()
            except BaseException:
                session.rollback()
                for part, state in zip(parts, saved, strict=True):
                    _restore_state(part, state)
                raise
        self._changed(p.assessment_id for p in parts if not p.is_new)

    def _redo_part(self, session: Session, part: AppliedPart, applied: AppliedMerge) -> None:
        if part.is_new:
            assert part.authority is not None
            again = self._import_new(session, part.plan, part.authority, AppliedMerge(applied.source, []))
            part.assessment_id, part.log_ids = again.assessment_id, again.log_ids
            part.done = True
            return
        self._check_state(session, part, "before")
        if part.undone_cleanly:
            part.log_ids = repo.write_items(session, part.assessment_id, [t.write for t in part.touched])
            for kind, rows in _snapshots(part.touched, "after").items():
                repo.put_rows(session, part.assessment_id, kind, rows)
        else:
            self._logged_put(session, part, "after")
        self._refresh_level(session, part.assessment_id)
        part.done = True

    def _check_state(self, session: Session, part: AppliedPart, expected: str) -> None:
        for kind, items in _by_kind(part.touched).items():
            now_rows = repo.row_snapshots(session, part.assessment_id, kind, [t.uid for t in items])
            for touched in items:
                wanted = touched.after if expected == "after" else touched.before
                if repo.snapshot_content(kind, now_rows.get(touched.uid)) != repo.snapshot_content(kind, wanted):
                    raise ExchangeError(
                        f"{part.title}: {touched.label} was changed since, so the merge cannot be "
                        f"{'undone' if expected == 'after' else 'made again'} without losing that change",
                        "changed",
                    )

    def _logged_put(self, session: Session, part: AppliedPart, which: str) -> None:
        writes = []
        moment = datetime.now(UTC)
        stored = repo.read_assessment(session, part.assessment_id)
        revisions = {(i.kind, i.uid): max((e.revision for e in i.entries), default=0) for i in stored.items}
        for touched in part.touched:
            snapshot = touched.before if which == "before" else touched.after
            content = repo.snapshot_content(touched.kind, snapshot)
            revision = revisions.get((touched.kind, touched.uid), 0) + 1
            entry = LogEntry(revision, self.author, moment, content)
            writes.append(ItemWrite(touched.kind, touched.uid, touched.write.position, content, entry, (entry,)))
        part.log_ids = repo.write_items(session, part.assessment_id, writes)

    def _remove_additions(self, session: Session, applied: AppliedMerge) -> None:
        for uid in applied.authorities:
            local = repo.authority_by_uid(session, uid)
            if local is not None and not repo.is_authority_used(session, local.id):
                repo.delete_authority(session, local.id)
        for release_id in applied.releases:
            if not repo.is_release_used(session, release_id):
                repo.delete_release(session, release_id)


# -- files on their own ---------------------------------------------------------------------


def inspect_file(path: Path) -> ExchangeFile:
    """Read and check an assessment file on its own (no store)."""
    try:
        return read_exchange_file(path)
    except ExchangeFileError as error:
        raise ExchangeError(str(error), error.reason) from None


# -- two files into a third ---------------------------------------------------------------
def merge_files(
    mine_path: Path,
    theirs_path: Path,
    target: Path,
    *,
    author: str = "",
    prefer: Side | None = None,
    overwrite: bool = False,
) -> FileMergeOutcome:
    """Merge two copies into a new file, without the store.  Conflicts stop it unless ``prefer`` is given."""
    _check_target(target, overwrite)
    mine, theirs = inspect_file(mine_path), inspect_file(theirs_path)
    for file in (mine, theirs):
        if file.redacted:
            raise ExchangeError(
                f"{file.path.name}: a file exported with notes and names left out cannot be merged", "redacted"
            )
    releases = {r.release_id: r for r in mine.content.releases}
    for doc in theirs.content.releases:
        if doc.release_id in releases and releases[doc.release_id].content_hash != doc.content_hash:
            raise ExchangeError(
                f"the two files hold different texts of catalogue release {doc.release_id}", "release_mismatch"
            )
        releases.setdefault(doc.release_id, doc)
    authorities = {a.uid: a for a in theirs.content.authorities} | {a.uid: a for a in mine.content.authorities}
    theirs_copies = {c.uid: c for c in theirs.copies}
    merged: list[AssessmentCopy] = []
    conflicts: list[ConflictView] = []
    taken = 0
    results: list[tuple[AssessmentCopy, MergeResult]] = []
    for copy in mine.copies:
        other = theirs_copies.pop(copy.uid, None)
        if other is None:
            merged.append(copy)
            continue
        if (copy.release_id, copy.standard_code) != (other.release_id, other.standard_code):
            raise ExchangeError(
                f"the two copies of assessment {copy.uid} are scored against different releases", "release_differs"
            )
        result = merge_assessment(copy.history, other.history)
        title = _file_title(mine, copy)
        conflicts += [_conflict_view(copy.uid, title, c) for c in result.conflicts]
        taken += sum(1 for i in result.with_outcome(Outcome.TAKEN) if i.changes_content)
        results.append((copy, result))
    if conflicts and prefer is None:
        return FileMergeOutcome(None, tuple(conflicts), taken, len(theirs_copies))
    for copy, result in results:
        history, _settled = result.resolve(prefer=prefer)
        other_copy = next(c for c in theirs.copies if c.uid == copy.uid)
        merged.append(
            AssessmentCopy(
                copy.uid,
                copy.authority_uid,
                copy.release_id,
                copy.standard_code,
                copy.created_at,
                max(copy.updated_at, other_copy.updated_at),
                history,
            )
        )
    merged += theirs_copies.values()
    used_releases = {c.release_id for c in merged}
    used_authorities = {c.authority_uid for c in merged}
    content = content_json(
        [r for rid, r in releases.items() if rid in used_releases],
        [a for uid, a in authorities.items() if uid in used_authorities],
        merged,
        redacted=False,
    )
    size = write_exchange_file(
        target,
        content,
        application=f"{APP_NAME} {__version__}",
        created_at=datetime.now(UTC),
        created_by=author,
    )
    return FileMergeOutcome(target, tuple(conflicts), taken, len(theirs_copies), size)


def _file_title(file: ExchangeFile, copy: AssessmentCopy) -> str:
    authority = file.authority(copy.authority_uid).name
    release = file.release(copy.release_id)
    standard = next(s for s in release.standards if s.code == copy.standard_code)
    details = copy.history.item(KIND_DETAILS, copy.uid)
    round_label = details.head.content.get("round", "") if details and details.head.content else ""
    return f"{authority} · {standard.code} {standard.title} · {round_label}"


# -- helpers ----------------------------------------------------------------------------------


def _state(part: AppliedPart) -> tuple[int, list[int], bool, bool]:
    return (part.assessment_id, list(part.log_ids), part.done, part.undone_cleanly)


def _restore_state(part: AppliedPart, state: tuple[int, list[int], bool, bool]) -> None:
    part.assessment_id, part.log_ids, part.done, part.undone_cleanly = state[0], state[1], state[2], state[3]


def _authority(doc: AuthorityDoc) -> Authority:
    return Authority(doc.name, doc.type, doc.region, doc.gss_code)


def _check_target(target: Path, overwrite: bool) -> None:
    if target.suffix.lower() != FILE_SUFFIX:
        raise ExchangeError(f"{target}: an assessment file's name must end {FILE_SUFFIX}", "usage")
    if target.exists() and not overwrite:
        raise ExchangeError(f"{target} already exists; choose another name (or allow replacing it)", "exists")
    if not target.parent.is_dir():
        raise ExchangeError(f"{target}: the folder {target.parent} does not exist", "usage")


def redact_copy(copy: AssessmentCopy) -> AssessmentCopy:
    return AssessmentCopy(
        copy.uid,
        copy.authority_uid,
        copy.release_id,
        copy.standard_code,
        copy.created_at,
        copy.updated_at,
        redact(copy.history),
    )


def verify_release(doc: ReleaseDoc, name: str) -> None:
    """The release carried in a file must validate as a catalogue release and match its content hash."""
    try:
        release_file = ReleaseFile(
            release_id=doc.release_id,
            title=doc.title,
            version=doc.version,
            published=doc.published,
            provenance=doc.provenance,
            supersedes=doc.supersedes,
            standards=[s.code for s in doc.standards],
        )
        standard_files = [StandardFile.model_validate(s.model_dump(mode="json")) for s in doc.standards]
    except ValueError as error:
        raise ExchangeError(
            f"{name}: the catalogue release {doc.release_id} it carries is not a valid release ({error})",
            "invalid_release",
        ) from None
    problems = check_release_content(
        standard_files, {s.code: Path(doc.release_id, f"{s.code}.json") for s in standard_files}
    )
    if problems:
        raise ExchangeError(
            f"{name}: the catalogue release {doc.release_id} it carries has problems: {problems[0]}", "invalid_release"
        )
    if content_hash(release_file, standard_files) != doc.content_hash:
        raise ExchangeError(
            f"{name}: the catalogue release {doc.release_id} it carries does not match its content hash: its text "
            "was changed",
            "release_hash",
        )


def _same(kind: str, a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    try:
        return normalise_content(kind, a) == normalise_content(kind, b)
    except ValueError:
        return False


def _stamp(entry: Entry) -> LogEntry:
    return LogEntry(entry.revision, entry.author, entry.changed_at, entry.content)


def _write_for(item: ItemHistory, new_entries: Iterable[Entry]) -> ItemWrite:
    return ItemWrite(
        item.kind, item.uid, item.position, item.head.content, _stamp(item.head), tuple(_stamp(e) for e in new_entries)
    )


def _by_kind(touched: Iterable[TouchedItem]) -> dict[str, list[TouchedItem]]:
    out: dict[str, list[TouchedItem]] = {}
    for item in touched:
        out.setdefault(item.kind, []).append(item)
    return out


def _snapshots(touched: Iterable[TouchedItem], which: str) -> dict[str, dict[str, dict[str, Any] | None]]:
    out: dict[str, dict[str, dict[str, Any] | None]] = {}
    for item in touched:
        out.setdefault(item.kind, {})[item.uid] = item.before if which == "before" else item.after
    return out


# -- words for people -------------------------------------------------------------------------


def describe(kind: str, content: Mapping[str, Any] | None) -> tuple[str, ...]:
    """What an item holds, line by line, in plain words."""
    if content is None:
        return ("Removed",)
    if kind == KIND_JUDGEMENT:
        judgement = Judgement(str(content["judgement"]))
        lines = [f"{judgement.symbol} {judgement.label}"]
        if content.get("to_confirm"):
            lines.append("To confirm")
        notes = str(content.get("notes", ""))
        lines.append(f"Notes: {notes}" if notes else "No notes")
        return tuple(lines)
    if kind == KIND_EVIDENCE:
        return (
            f"Title: {content['title']}",
            f"Where: {content['location'] or '(not given)'}",
            f"For: {content['ref']}",
        )
    if kind == KIND_ACTION:
        cashable = Decimal(int(content["saving_cashable_pence"])) / 100
        non_cashable = Decimal(int(content["saving_non_cashable_pence"])) / 100
        return (
            str(content["description"]),
            f"Owner: {content['owner'] or '(none)'}",
            f"Due: {content['due'] or '(no date)'}",
            f"Priority: {ActionPriority(str(content['priority'])).label}",
            f"State: {ActionState(str(content['state'])).label}",
            f"Saving: £{cashable:,.2f} cashable, £{non_cashable:,.2f} non-cashable",
            f"For: {content['ref'] or 'the standard as a whole'}",
        )
    start, end = content.get("workshop_start"), content.get("workshop_end")
    workshop = f"{start} to {end}" if start and end and start != end else str(start or "(no date)")
    return (
        f"Round: {content['round']}",
        f"Facilitator: {content['facilitator'] or '(none)'}",
        f"Participants: {content['participants'] or '(none)'}",
        f"Workshop: {workshop}",
        f"State: {AssessmentState(str(content['state'])).label}",
    )


def _label(kind: str, key: str, content: Mapping[str, Any] | None) -> str:
    if kind == KIND_JUDGEMENT:
        return f"{key} judgement and notes"
    if kind == KIND_DETAILS:
        return "Assessment details"
    if kind == KIND_EVIDENCE:
        return (
            f"Evidence reference “{_short(str(content['title']))}” ({content['ref']})"
            if content
            else "An evidence reference"
        )
    return f"Action “{_short(str(content['description']))}”" if content else "An action"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _item_label(item: ItemMerge) -> str:
    source = item.merged or item.mine or item.theirs
    assert source is not None
    content = source.head.content or next((e.content for e in reversed(source.entries) if e.content), None)
    return _label(item.kind, item.key, content)


def _version(kind: str, entry: Entry) -> Version:
    return Version(describe(kind, entry.content), entry.author, entry.changed_at, entry.removed)


def _conflict_view(uid: str, title: str, conflict: Conflict) -> ConflictView:
    content = conflict.mine.content or conflict.theirs.content or (conflict.base.content if conflict.base else None)
    ref = str(content.get("ref") or "") or None if content else None
    return ConflictView(
        key=(uid, conflict.kind, conflict.key),
        assessment_title=title,
        label=_label(conflict.kind, conflict.key, content),
        criterion_ref=ref,
        base=_version(conflict.kind, conflict.base) if conflict.base else None,
        mine=_version(conflict.kind, conflict.mine),
        theirs=_version(conflict.kind, conflict.theirs),
    )


def _change_line(item: ItemMerge) -> ChangeLine:
    assert item.merged is not None
    before = " · ".join(describe(item.kind, item.mine.head.content)) if item.mine else "(new)"
    head = item.merged.head
    return ChangeLine(
        _item_label(item), before, " · ".join(describe(item.kind, head.content)), head.author, head.changed_at
    )


def conflict_keys(preview: MergePreview) -> list[ConflictKey]:
    return [c.key for c in preview.conflicts]


def choose_all(preview: MergePreview, side: Side) -> dict[ConflictKey, Side]:
    return dict.fromkeys(conflict_keys(preview), side)
