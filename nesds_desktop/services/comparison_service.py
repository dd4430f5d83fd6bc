"""Comparisons: an authority beside its peers, over its rounds, and across its standards.

Read-only: nothing here changes the store.

* Peers are compared on one catalogue release: the one this authority's assessment uses,
  else the one most of the round's assessments use.  Assessments of the standard against
  another release are left out, and the comparison's notes say how many.
* Progress follows the authority's rounds oldest first.  Between rounds assessed against
  different releases the bundled crosswalk (a direct one, ``<from>__<to>.json``) says which
  earlier criteria each later one comes from; without one, criteria are matched by
  reference, and the notes say so.  A renumbered or moved criterion is therefore compared
  with itself, not with whatever held its reference before; criteria retired (no later
  criterion comes from them) and criteria new in the later release are in neither newly
  met nor newly lost, and the notes name them, the retired ones with their last answer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.crosswalk import crosswalk_path, load_crosswalk
from nesds_desktop.catalogue.problems import CatalogueError
from nesds_desktop.domain.authorities import AuthorityType, Region
from nesds_desktop.domain.catalogue import Release, Standard
from nesds_desktop.domain.comparison import (
    AuthorityJudgements,
    PeerComparison,
    Portfolio,
    PortfolioEntry,
    Progress,
    RoundAssessment,
    compare_with_peers,
    track_progress,
)
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AuthorityRecord
from nesds_desktop.returns.comparison_workbook import write_comparison_workbook
from nesds_desktop.storage import assessment_repository, catalogue_repository
from nesds_desktop.storage import comparison_repository as repo
from nesds_desktop.storage.assessment_repository import AssessmentFilter
from nesds_desktop.storage.store import Store

__all__ = ["ComparisonError", "ComparisonService", "ExportedComparison", "PeerFilter"]


class ComparisonError(ValueError):
    """A comparison that cannot be made; the message says why."""


@dataclass(frozen=True)
class PeerFilter:
    authority_type: AuthorityType | None = None
    region: Region | None = None

    @property
    def description(self) -> str:
        parts = []
        if self.authority_type is not None:
            label = self.authority_type.label
            # "Unitary authority" -> "Unitary authorities", "District council" -> "District councils".
            parts.append(f"{label[:-1]}ies" if label.endswith("y") else f"{label}s")
        if self.region is not None:
            parts.append(f"{'' if parts else 'Authorities '}in {self.region.label}")
        return " ".join(parts) if parts else "All authorities"


@dataclass(frozen=True)
class ExportedComparison:
    path: Path
    sheets: tuple[str, ...]
    comparison: PeerComparison
    progress: Progress | None


class ComparisonService:
    def __init__(self, store: Store, standards_root: Path | None = None) -> None:
        self.store = store
        self.standards_root = standards_root or bundled_standards_root()
        self._releases: dict[str, Release] = {}

    # -- catalogue ------------------------------------------------------------------------
    def release(self, release_id: str) -> Release:
        if release_id not in self._releases:
            with self.store.session() as session:
                self._releases[release_id] = catalogue_repository.get_release(session, release_id)
        return self._releases[release_id]

    def standard(self, release_id: str, code: str) -> Standard:
        try:
            return self.release(release_id).standard(code)
        except KeyError:
            raise ComparisonError(f"release {release_id} has no standard {code}") from None

    # -- what there is to compare (for pickers) -------------------------------------------
    def authorities(self) -> list[AuthorityRecord]:
        with self.store.session() as session:
            return assessment_repository.list_authorities(session)

    def rounds(self) -> list[str]:
        with self.store.session() as session:
            return repo.round_labels(session)

    def standards(self) -> list[tuple[str, str]]:
        """(code, title) of every standard that has an assessment, titled from the newest release holding it."""
        with self.store.session() as session:
            codes = repo.standards_assessed(session)
            summaries = catalogue_repository.list_releases(session)
        titles: dict[str, str] = {}
        for summary in sorted(summaries, key=lambda s: s.info.published):
            for standard in summary.standards:
                titles[standard.code] = standard.title
        return [(code, titles.get(code, code)) for code in codes]

    # -- peers ----------------------------------------------------------------------------
    def peer_comparison(
        self,
        standard_code: str,
        round_label: str,
        authority_id: int | None = None,
        peers: PeerFilter | None = None,
        anonymise: bool = False,
    ) -> PeerComparison:
        peers = peers or PeerFilter()
        with self.store.session() as session:
            stored = repo.standard_round_judgements(
                session,
                standard_code,
                round_label,
                peers.authority_type.value if peers.authority_type else None,
                peers.region.value if peers.region else None,
            )
            subject_stored = None
            subject_name: str | None = None
            if authority_id is not None:
                subject_name = assessment_repository.get_authority(session, authority_id).name
                subject_stored = next((s for s in stored if s.authority_id == authority_id), None)
                if subject_stored is None:
                    # The subject need not match the peer filter: fetch it on its own.
                    everyone = repo.standard_round_judgements(session, standard_code, round_label)
                    subject_stored = next((s for s in everyone if s.authority_id == authority_id), None)
        if not stored and subject_stored is None:
            raise ComparisonError(f"no authority has assessed {standard_code} in {round_label}")
        if subject_stored is not None:
            release_id = subject_stored.release_id
        else:
            counts = Counter(item.release_id for item in stored)
            release_id = max(counts, key=lambda rid: (counts[rid], rid))
        standard = self.standard(release_id, standard_code)
        notes = [f"Peers: {peers.description} that assessed {standard_code} in {round_label}, "
                 f"against catalogue release {release_id}."]
        other = [item for item in stored if item.release_id != release_id]
        if other:
            notes.append(f"{len(other)} assessment(s) against another catalogue release left out.")
        if authority_id is not None and subject_stored is None:
            notes.append(f"{subject_name} has not assessed {standard_code} in {round_label}.")
        peer_list = [_as_judgements(item) for item in stored if item.release_id == release_id]
        subject = None
        if subject_stored is not None:
            subject = _as_judgements(subject_stored)
        return compare_with_peers(standard, round_label, peer_list, subject, anonymise=anonymise, notes=notes)

    # -- progress -------------------------------------------------------------------------
    def progress(
        self, authority_id: int, standard_code: str, as_of: date | None = None, up_to_round: str | None = None
    ) -> Progress:
        """The authority's progress on the standard, oldest round first; with ``up_to_round``, the
        rounds until that one only (an action plan for 2006/07 does not report 2007/08)."""
        with self.store.session() as session:
            name = assessment_repository.get_authority(session, authority_id).name
            history = repo.authority_history(session, authority_id, standard_code)
        if up_to_round is not None:
            # Round labels ("2006/07") sort in time order as text, as the repository sorts them.
            history = [item for item in history if item.round_label <= up_to_round]
        if not history:
            raise ComparisonError(f"{name} has no assessment of {standard_code}")
        rounds = [
            RoundAssessment(
                item.round_label,
                item.release_id,
                self.standard(item.release_id, standard_code),
                item.judgements,
                item.actions,
            )
            for item in history
        ]
        ref_maps: dict[int, Mapping[str, tuple[str, ...]]] = {}
        notes: list[str] = []
        for index in range(1, len(rounds)):
            before, after = rounds[index - 1], rounds[index]
            if before.release_id == after.release_id:
                continue
            mapping = self._ref_map(before.release_id, after.release_id, standard_code)
            if mapping is None:
                notes.append(
                    f"No crosswalk from {before.release_id} to {after.release_id}: criteria of "
                    f"{before.round_label} and {after.round_label} are matched by reference."
                )
            else:
                ref_maps[index] = mapping
                notes.append(
                    f"{before.round_label} ({before.release_id}) and {after.round_label} ({after.release_id}) "
                    "are compared through the crosswalk between the releases."
                )
                notes.extend(_crosswalk_notes(before, after, mapping))
        return track_progress(rounds, as_of or date.today(), ref_maps, notes)

    def _ref_map(self, from_release: str, to_release: str, code: str) -> dict[str, tuple[str, ...]] | None:
        """Each criterion of ``to_release`` -> the criteria of ``from_release`` it comes from."""
        path = crosswalk_path(self.standards_root, from_release, to_release)
        if not path.is_file():
            return None
        try:
            crosswalk = load_crosswalk(path)
        except CatalogueError:
            return None
        new = self.standard(to_release, code)
        old_refs = {c.ref for c in self.standard(from_release, code).criteria()}
        mapping: dict[str, tuple[str, ...]] = {
            c.ref: (c.ref,) if c.ref in old_refs else () for c in new.criteria()
        }
        for entry in crosswalk.entries_for(code):
            for ref in entry.new:
                mapping[ref] = tuple(entry.old)
        return mapping

    # -- portfolio ------------------------------------------------------------------------
    def portfolio(self, authority_id: int, round_label: str) -> Portfolio:
        with self.store.session() as session:
            name = assessment_repository.get_authority(session, authority_id).name
            summaries = assessment_repository.list_assessments(
                session, AssessmentFilter(authority_id=authority_id, round_label=round_label)
            )
        latest: dict[str, PortfolioEntry] = {}
        chosen: dict[str, tuple[datetime, int]] = {}
        for summary in summaries:
            key = (summary.updated_at, summary.id)
            if summary.standard_code in chosen and chosen[summary.standard_code] >= key:
                continue
            chosen[summary.standard_code] = key
            latest[summary.standard_code] = PortfolioEntry(
                summary.standard_code,
                summary.standard_title,
                summary.level_label,
                summary.answered,
                summary.total,
                summary.state.label,
            )
        entries = [latest.get(code) or PortfolioEntry(code, title, None) for code, title in self.standards()]
        return Portfolio(name, round_label, tuple(entries))

    # -- export ---------------------------------------------------------------------------
    def find_authority(self, text: str) -> AuthorityRecord:
        """The authority ``text`` names: its id, GSS code or name (whole, or a part only one name has)."""
        wanted = text.strip()
        records = self.authorities()
        for record in records:
            if wanted == str(record.id) or wanted.upper() == (record.authority.gss_code or "") or (
                wanted.casefold() == record.name.casefold()
            ):
                return record
        partial = [record for record in records if wanted.casefold() in record.name.casefold()]
        if len(partial) == 1:
            return partial[0]
        if partial:
            names = ", ".join(record.name for record in partial[:5])
            raise ComparisonError(f"{wanted!r} matches several authorities ({names}); give the id or GSS code")
        raise ComparisonError(f"no authority is called {wanted!r} (give its id, GSS code or name)")

    def export_workbook(
        self,
        target: Path,
        standard_code: str,
        round_label: str,
        authority_id: int | None = None,
        peers: PeerFilter | None = None,
        anonymise: bool = False,
        as_of: date | None = None,
    ) -> ExportedComparison:
        """Write the comparison (and, for one authority, its progress) to an .xlsx workbook."""
        comparison = self.peer_comparison(standard_code, round_label, authority_id, peers, anonymise)
        progress = None
        if authority_id is not None and comparison.subject_overall is not None:
            progress = self.progress(authority_id, standard_code, as_of)
        try:
            sheets = write_comparison_workbook(comparison, target, progress)
        except OSError as exc:
            raise ComparisonError(f"{target} cannot be written ({exc.strerror or exc})") from exc
        return ExportedComparison(target, tuple(sheets), comparison, progress)

    def authority_rounds(self, authority_id: int) -> list[str]:
        with self.store.session() as session:
            return list(repo.authority_rounds(session, authority_id))


def _crosswalk_notes(
    before: RoundAssessment, after: RoundAssessment, mapping: Mapping[str, tuple[str, ...]]
) -> list[str]:
    """What the crosswalk leaves out of newly met and newly lost between two rounds, in words."""
    carried = {ref for sources in mapping.values() for ref in sources}
    retired = [c.ref for c in before.standard.criteria() if c.ref not in carried]
    added = [c.ref for c in after.standard.criteria() if not mapping.get(c.ref)]
    notes = []
    if retired:
        answers = [
            f"{ref} ({before.judgements.get(ref, Judgement.NOT_YET_ASSESSED).label} in {before.round_label})"
            for ref in retired
        ]
        notes.append(
            f"{_listed(answers)} {'was' if len(retired) == 1 else 'were'} retired in {after.release_id}, "
            f"so {'it is' if len(retired) == 1 else 'they are'} in neither newly met nor newly lost "
            f"for {after.round_label}."
        )
    if added:
        notes.append(
            f"{_listed(added)} {'is' if len(added) == 1 else 'are'} new in {after.release_id}, with nothing "
            f"to compare in {before.round_label}, so {'it is' if len(added) == 1 else 'they are'} in neither list."
        )
    return notes


def _listed(items: list[str]) -> str:
    """"A", "A and B", "A, B and C"."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _as_judgements(item: repo.StoredJudgements) -> AuthorityJudgements:
    return AuthorityJudgements(
        item.authority_id, item.authority_name, item.judgements, AuthorityType(item.authority_type).label, item.region
    )
