"""Assessment files: export, import and merge of a full demo assessment, and the file's size.

A full demo assessment is one standard fully answered, with notes, evidence references and
actions (``services/demo_data``).  Each figure is the best of several runs; every import or
merge runs against a fresh copy of a prepared store, the copying left out of the time.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nesds_desktop.domain.assessments import EvidenceReference
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.demo_data import fill_demo_store
from nesds_desktop.services.exchange_service import ExchangeService
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store

RUNS = 5
GOAL_MS = 100


def _best(runs: int, prepare: Callable[[int], object], work: Callable[[object], object]) -> float:
    best = float("inf")
    for run in range(runs):
        state = prepare(run)
        started = time.perf_counter()
        work(state)
        best = min(best, time.perf_counter() - started)
    return best * 1e3


def _line(label: str, milliseconds: float) -> str:
    return f"  {label:58} {milliseconds:7.1f} ms   (goal < {GOAL_MS} ms)"


def measure() -> list[str]:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        return _measure(root)


def _measure(root: Path) -> list[str]:
    # The sender's store: demo councils' assessments; one full ICT assessment is sent.
    sender = open_store(root / "sender")
    catalogue_service.load_bundled_releases(sender)
    workbook = WorkbookService(sender, "Pat Facilitator")
    fill_demo_store(workbook, 1, 1, seed=2006)
    assessment = next(a for a in workbook.list_assessments() if a.standard_code == "ICT")
    snapshot = workbook.open(assessment.id)
    sent = root / "sent.nesds"
    started = time.perf_counter()
    outcome = ExchangeService(sender, "Pat Facilitator").export([assessment.id], sent)
    first_export = (time.perf_counter() - started) * 1e3
    exchange = ExchangeService(sender, "Pat Facilitator")
    exchange.export([assessment.id], root / "warm.nesds")
    warm_export = _best(RUNS, lambda run: root / f"export-{run}.nesds", lambda p: exchange.export([assessment.id], p))  # type: ignore[arg-type]
    sender.close()

    # A service head's machine: the application (so the bundled release), not the assessment.
    template = root / "receiver-template"
    receiver = open_store(template)
    catalogue_service.load_bundled_releases(receiver)
    receiver.close()
    empty_template = root / "empty-template"
    open_store(empty_template).close()

    def fresh(source: Path, name: str) -> Callable[[int], object]:
        def prepare(run: int) -> object:
            target = root / f"{name}-{run}"
            shutil.copytree(source, target)
            return ExchangeService(open_store(target), "Sam Head")

        return prepare

    def import_file(service: object) -> None:
        assert isinstance(service, ExchangeService)
        service.apply(service.preview(sent))

    import_time = _best(RUNS, fresh(template, "import"), import_file)
    import_empty = _best(RUNS, fresh(empty_template, "import-empty"), import_file)

    # The service head edits the copy and sends it back; the sender merges it.
    head_folder = root / "head"
    shutil.copytree(template, head_folder)
    head_store = open_store(head_folder)
    head = ExchangeService(head_store, "Sam Head")
    copy_id = head.apply(head.preview(sent)).assessment_ids[0]
    head_workbook = WorkbookService(head_store, "Sam Head")
    refs = [c.ref for c in snapshot.standard.criteria()]
    for ref in refs[:10]:
        head_workbook.set_judgement(copy_id, ref, Judgement.PARTLY_MET)
    for ref in refs[10:15]:
        head_workbook.set_notes(copy_id, ref, f"Sam: more evidence gathered for {ref} since the workshop.")
    for ref in refs[15:17]:
        head_workbook.add_evidence(copy_id, ref, EvidenceReference(f"Report for {ref}", "ICT share"))
    returned = root / "returned.nesds"
    head.export([copy_id], returned)
    head_store.close()
    sender_copy = root / "sender-template"
    shutil.copytree(root / "sender", sender_copy)

    taken: list[int] = []

    def merge_file(service: object) -> None:
        assert isinstance(service, ExchangeService)
        preview = service.preview(returned)
        assert not preview.conflicts and preview.plans[0].taken
        taken.append(len(preview.plans[0].taken))
        service.apply(preview)

    merge_time = _best(RUNS, fresh(sender_copy, "merge"), merge_file)

    def remerge(service: object) -> None:
        assert isinstance(service, ExchangeService)
        assert service.preview(returned).nothing_to_do

    merged = fresh(sender_copy, "merged")(0)
    merge_file(merged)
    remerge_time = _best(RUNS, lambda run: merged, remerge)

    answered = sum(1 for a in snapshot.answers.values() if a.judgement.is_assessed)
    notes = sum(len(a.notes) for a in snapshot.answers.values())
    return [
        f"assessment file: {assessment.standard_code} demo assessment ({answered} of {len(refs)} criteria answered, "
        f"{notes:,} characters of notes, {len(snapshot.evidence)} evidence references, {len(snapshot.actions)} "
        f"actions), best of {RUNS}:",
        f"  file size {outcome.file_bytes / 1024:.0f} kB ({outcome.content_bytes / 1024:.0f} kB of JSON, "
        "the whole release included)   (goal: well under 1 MB)",
        _line("export, first in a session (reads the release)", first_export),
        _line("export, later", warm_export),
        _line("import into a store with the release (preview + apply)", import_time),
        _line("import into an empty store (adds the release too)", import_empty),
        _line(f"merge a copy with {taken[0]} changed items (preview + apply)", merge_time),
        _line("open the same copy again: nothing to do (preview)", remerge_time),
    ]


if __name__ == "__main__":
    for text in measure():
        print(text)
