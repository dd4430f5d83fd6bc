"""The workbook on a programme-office-sized store: 400 councils x 10 standards x 3 rounds.

The demo store is built once and kept in the temporary folder, keyed by its parameters,
the demo data version and the schema version; later runs reuse it.  Edits made while
measuring are put back with restore_answer, so the content stays as built.
"""

from __future__ import annotations

import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard
from nesds_desktop.services import catalogue_service
from nesds_desktop.services.demo_data import DEMO_DATA_VERSION, fill_demo_store
from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService
from nesds_desktop.storage.migrations import LATEST_VERSION
from nesds_desktop.storage.store import STORE_FILE_NAME, Store, open_store

AUTHORITIES = 400
ROUNDS = 3
SEED = 2006
SAMPLES = 25
OPEN_GOAL_MS = 150.0
JUDGEMENT_GOAL_MS = 15.0
_BUILT_MARKER = "built-seconds.txt"


def _cache_folder() -> Path:
    key = f"a{AUTHORITIES}-r{ROUNDS}-seed{SEED}-demo{DEMO_DATA_VERSION}-schema{LATEST_VERSION}"
    return Path(tempfile.gettempdir()) / f"nesds-bench-workbook-{key}"


def _store() -> tuple[Store, str]:
    """The cached demo store, built first if it is missing or was left half-built."""
    folder = _cache_folder()
    marker = folder / _BUILT_MARKER
    if marker.is_file():
        return open_store(folder), f"reused the store built earlier in {float(marker.read_text()):.1f} s"
    shutil.rmtree(folder, ignore_errors=True)
    store = open_store(folder)
    catalogue_service.load_bundled_releases(store)
    started = time.perf_counter()

    def progress(done: int, total: int) -> None:
        if done % 50 == 0 or done == total:
            print(f"  building demo store: {done}/{total} authorities", file=sys.stderr, flush=True)

    fill_demo_store(WorkbookService(store, "benchmark"), AUTHORITIES, ROUNDS, SEED, progress=progress)
    seconds = time.perf_counter() - started
    marker.write_text(f"{seconds:.3f}")
    return store, f"built in {seconds:.1f} s"


def _ms(action: Callable[..., object], *args: object) -> float:
    started = time.perf_counter()
    action(*args)
    return (time.perf_counter() - started) * 1000


def _size_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.glob(f"{STORE_FILE_NAME}*")) / 1e6


def _line(label: str, samples: list[float], goal: float | None = None) -> str:
    median = statistics.median(samples)
    text = f"  {label:44} median {median:8.1f}   max {max(samples):8.1f}"
    if goal is not None:
        text += f"   (goal < {goal:g} ms)" + ("  OK" if median < goal else "  OVER GOAL")
    return text


def measure() -> list[str]:
    store, how = _store()
    try:
        service = WorkbookService(store, "benchmark")
        summaries = service.list_assessments()
        judgements = sum(s.answered for s in summaries)
        lines = [
            f"workbook on the demo store: {AUTHORITIES} authorities x 10 standards x {ROUNDS} rounds = "
            f"{len(summaries)} assessments, {judgements} answered criteria ({how})",
            f"  ms, {SAMPLES} samples unless said:",
        ]
        rng = random.Random(1)
        picks = rng.sample([s.id for s in summaries], SAMPLES)

        def open_with_level(assessment_id: int) -> None:
            snapshot = service.open(assessment_id)
            assess_standard(snapshot.standard, snapshot.judgements())

        def keystroke(assessment_id: int, ref: str, judgement: Judgement) -> None:
            # What the window does for one scoring key: commit, then reread and recompute the level.
            service.set_judgement(assessment_id, ref, judgement)
            open_with_level(assessment_id)

        first = _ms(open_with_level, picks[0])  # also reads the release into the cache
        lines.append(f"  {'first opening (reads the release too)':44} {first:15.1f}")
        opens = [_ms(open_with_level, assessment_id) for assessment_id in picks]
        lines.append(_line("open an assessment + its level", opens, OPEN_GOAL_MS))

        judged, cycles, noted = [], [], []
        for assessment_id in picks:
            refs = [c.ref for c in service.open(assessment_id).standard.criteria()]
            ref = rng.choice(refs)
            before = service.answer(assessment_id, ref)
            new = Judgement.PARTLY_MET if before.judgement is Judgement.MET else Judgement.MET
            judged.append(_ms(service.set_judgement, assessment_id, ref, new))
            cycles.append(_ms(keystroke, assessment_id, ref, before.judgement))
            noted.append(_ms(service.set_notes, assessment_id, ref, before.notes + " (checked)"))
            service.restore_answer(assessment_id, before)
        lines.append(_line("set_judgement, committed", judged, JUDGEMENT_GOAL_MS))
        lines.append(_line("set_judgement + reopen + level (a keystroke)", cycles))
        lines.append(_line("set_notes, committed", noted))

        listing = [_ms(service.list_assessments) for _ in range(5)]
        lines.append(_line(f"list all {len(summaries)} assessments (5 runs)", listing))
        where = AssessmentFilter(standard_code="ICT", round_label="2007/08")
        filtered = [_ms(service.list_assessments, where) for _ in range(5)]
        lines.append(_line("list one standard in one round (5 runs)", filtered))
        open_size = _size_mb(store.path.parent)
    finally:
        store.close()
    lines.append(
        f"  store on disk {_size_mb(store.path.parent):.0f} MB closed, {open_size:.0f} MB open with its WAL"
        f"   ({store.path.parent})"
    )
    return lines


if __name__ == "__main__":
    print("\n".join(measure()))
