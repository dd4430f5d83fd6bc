"""Export an assessment's action plan as PDF (File -> Export -> Action plan; ``export action-plan``).

With ``comparison=True`` the plan also holds "How we compare": this authority beside its
peers in the same standard and round (always anonymised: the document leaves the building),
the criteria most peers meet that it does not, and its progress over rounds up to this one,
all worked out by :class:`~nesds_desktop.services.comparison_service.ComparisonService` on
the same store.

The file is written beside its destination under a temporary name and moved into place
only when complete, so a failed export never leaves half a PDF, nor spoils an older one.
"""

from __future__ import annotations

import re
import uuid
from datetime import date
from pathlib import Path

from nesds_desktop.domain.assessments import total_savings
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.domain.records import AssessmentSnapshot, AssessmentSummary
from nesds_desktop.reports.action_plan import ActionPlanData, write_action_plan
from nesds_desktop.reports.comparison_section import ComparisonSectionData
from nesds_desktop.reports.layout import ProgressCallback
from nesds_desktop.services.comparison_service import ComparisonError, ComparisonService, PeerFilter
from nesds_desktop.services.workbook_service import WorkbookService

__all__ = ["ActionPlanError", "PeerFilter", "ProgressCallback", "comparison_section", "export_action_plan",
           "suggested_file_name"]

_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class ActionPlanError(OSError):
    """The action plan cannot be written where asked; the message says why."""


def export_action_plan(
    service: WorkbookService,
    assessment_id: int,
    path: Path,
    *,
    produced: date | None = None,
    progress: ProgressCallback | None = None,
    comparison: bool = False,
    peers: PeerFilter | None = None,
) -> Path:
    """Write the action plan of assessment ``assessment_id`` to ``path`` and return the path.

    ``produced`` is the date the document says it was produced (default: today);
    ``progress(done, total)`` is called as the pages are laid out.  ``comparison`` adds the
    "How we compare" section, with peers narrowed by ``peers`` (default: all authorities).
    """
    snapshot = service.open(assessment_id)
    # The level from the same snapshot, so the document cannot mix two states of the store.
    result = assess_standard(snapshot.standard, snapshot.judgements())
    produced = produced or date.today()
    data = ActionPlanData(
        snapshot=snapshot,
        result=result,
        savings=total_savings(item.action for item in snapshot.actions),
        produced=produced,
        comparison=comparison_section(service, snapshot, peers, produced) if comparison else None,
    )
    folder = path.parent
    if not folder.is_dir():
        raise ActionPlanError(f"cannot write {path}: the folder {folder} does not exist")
    # A name of our own rather than mkstemp's: mkstemp makes the file private (0600), and the
    # PDF should get the permissions any new file in that folder gets.
    temporary = folder / f".{path.name}.{uuid.uuid4().hex}.part"
    try:
        with temporary.open("xb") as stream:
            write_action_plan(stream, data, progress=progress)
        temporary.replace(path)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise ActionPlanError(f"cannot write {path}: {error.strerror or error}") from error
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path


def comparison_section(
    service: WorkbookService, snapshot: AssessmentSnapshot, peers: PeerFilter | None, as_of: date
) -> ComparisonSectionData:
    """The "How we compare" section's data for ``snapshot``'s authority, standard and round.

    Peers are always anonymised.  Overdue actions are counted as of ``as_of`` (the date the
    document says it was produced), and progress stops at the plan's round.
    """
    summary = snapshot.summary
    peers = peers or PeerFilter()
    comparisons = ComparisonService(service.store)
    authority_id = summary.authority.id
    try:
        compared = comparisons.peer_comparison(
            summary.standard_code, summary.round.label, authority_id, peers, anonymise=True
        )
        history = comparisons.progress(authority_id, summary.standard_code, as_of, up_to_round=summary.round.label)
    except ComparisonError as error:
        raise ActionPlanError(f"the comparison cannot be made: {error}") from error
    filtered = peers.authority_type is not None or peers.region is not None
    return ComparisonSectionData(compared, peers.description, summary.release_id, history, filtered)


def suggested_file_name(summary: AssessmentSummary) -> str:
    """A file name for the save dialog, e.g. "Ashbury District Council ICT action plan 2006-07.pdf"."""
    name = f"{summary.authority.name} {summary.standard_code} action plan {summary.round.label.replace('/', '-')}"
    return _UNSAFE_IN_FILE_NAMES.sub(" ", name).strip() + ".pdf"
