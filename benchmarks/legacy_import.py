"""Legacy return import: accuracy and speed on a generated corpus of council-made returns.

The corpus (tests/legacy_corpus/generator.py) holds the truth for every data row; each file goes
through the pre-parse safety check and the reader, and every row read is compared with the truth.
The corpus is cached in the temporary folder, keyed by seed, size and the generator's source.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from legacy_corpus import generator  # noqa: E402 - found through the tests folder added above

SEED = 2006
SIZE = 200
GOAL_RIGHT = 99.0
GOAL_PER_SECOND = 20.0


@dataclass
class Tally:
    files: int = 0
    failed: list[str] = field(default_factory=list)
    seconds: float = 0.0
    rows: int = 0
    not_read: int = 0
    criterion_right: int = 0
    judgement_right: int = 0
    wrong_unflagged: int = 0
    wrong_criterion_unflagged: int = 0
    flagged: int = 0
    extra_rows: int = 0
    extra_unflagged: int = 0
    authority_stated: int = 0
    authority_found: int = 0
    round_found: int = 0
    wrong_by_variation: Counter[str] = field(default_factory=Counter)
    rows_by_variation: Counter[str] = field(default_factory=Counter)


def corpus_folder(seed: int, size: int) -> Path:
    """The cached corpus, written on first use; a change to the generator gives a new folder."""
    sources = sorted((REPO / "tests" / "legacy_corpus").glob("*.py"))
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sources if not p.name.startswith("test_")))
    prefix = f"nesds-legacy-corpus-{seed}-{size}-"
    folder = Path(tempfile.gettempdir()) / f"{prefix}{digest.hexdigest()[:12]}"
    complete = folder / ".complete"
    if not complete.exists():
        for stale in folder.parent.glob(f"{prefix}*"):  # corpora of an older generator
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
        generator.write_corpus(folder, seed, size)
        complete.write_text("written\n", encoding="utf-8")
    return folder


def measure(seed: int = SEED, size: int = SIZE) -> list[str]:
    try:
        from nesds_desktop.catalogue.workbook_safety import check_workbook
        from nesds_desktop.returns.legacy.reader import read_legacy_workbook
    except ImportError as exc:
        return [f"Legacy return import: the import engine is missing ({exc}); nothing measured"]
    standards = generator.bundled_standards()
    folder = corpus_folder(seed, size)
    tally = Tally()
    for path in sorted(folder.glob("*.*"), key=lambda p: p.name):
        if path.name.endswith(generator.SIDECAR_SUFFIX) or path.name.startswith("."):
            continue
        truth = json.loads(generator.sidecar_path(path).read_text(encoding="utf-8"))
        tally.files += 1
        started = time.perf_counter()
        try:
            checked = check_workbook(path)
            reading = read_legacy_workbook(checked.data, path.name, standards)
        except Exception as exc:  # a benchmark reports a failing file and goes on
            tally.seconds += time.perf_counter() - started
            tally.failed.append(f"{path.name}: {type(exc).__name__}: {exc}")
            tally.rows += len(truth["rows"])
            tally.not_read += len(truth["rows"])
            continue
        tally.seconds += time.perf_counter() - started
        _compare(tally, truth, reading)
    return _report(tally, seed)


def _compare(tally: Tally, truth: dict[str, Any], reading: Any) -> None:
    found = {(match.row.sheet, match.row.row): match for sheet in reading.sheets for match in sheet.matches}
    expected = {(row["sheet"], row["row"]): row for row in truth["rows"]}
    for key, match in found.items():
        if key not in expected:
            tally.extra_rows += 1
            tally.extra_unflagged += not match.flags and match.judgement is not None
    for key, row in expected.items():
        tally.rows += 1
        tally.rows_by_variation.update(truth["variations"])
        match = found.get(key)
        if match is None:  # nothing imported: right only when the council gave no answer either
            tally.not_read += 1
            if row["judgement"] is None:
                tally.judgement_right += 1
            else:
                tally.wrong_by_variation.update(truth["variations"])
            continue
        criterion_right = match.criterion_ref == row["ref"]
        read = None if match.judgement is None or match.judgement.value == "not_yet_assessed" else match.judgement.value
        judgement_right = criterion_right and read == row["judgement"]
        tally.criterion_right += criterion_right
        tally.judgement_right += judgement_right
        tally.flagged += bool(match.flags)
        if not judgement_right:
            tally.wrong_by_variation.update(truth["variations"])
            if not match.flags:
                tally.wrong_unflagged += 1
                tally.wrong_criterion_unflagged += not criterion_right
    if truth["authority_round_stated_in"] != "neither":
        tally.authority_stated += 1
        hint = (reading.authority_hint or "").lower()
        tally.authority_found += truth["authority_short"].lower() in hint
        year = int(truth["round"][:4])
        round_hint = reading.round_hint or ""
        tally.round_found += str(year) in round_hint and f"{(year + 1) % 100:02d}" in round_hint


def _report(tally: Tally, seed: int) -> list[str]:
    def share(part: int, whole: int) -> str:
        return f"{100 * part / whole:6.2f} %" if whole else "     - "

    per_second = tally.files / tally.seconds if tally.seconds else 0.0
    lines = [
        f"Legacy return import, generated corpus of {tally.files} files (seed {seed}), {tally.rows} criterion rows:",
        f"  {'rows matched to the right criterion':44} {share(tally.criterion_right, tally.rows)}",
        f"  {'judgements right (on the right criterion)':44} {share(tally.judgement_right, tally.rows)}"
        f"   (goal >= {GOAL_RIGHT:g} %)",
        f"  {'judgements wrong but NOT flagged':44} {tally.wrong_unflagged:8d}   (goal 0; "
        f"{tally.wrong_criterion_unflagged} of them on the wrong criterion)",
        f"  {'rows flagged for review':44} {tally.flagged:8d}   {share(tally.flagged, tally.rows)}",
        f"  {'rows not read at all':44} {tally.not_read:8d}   (right only if the row had no answer)",
        f"  {'non-criterion rows read as rows':44} {tally.extra_rows:8d}   "
        f"({tally.extra_unflagged} unflagged with a judgement)",
        f"  {'authority / round found (when stated)':44} {share(tally.authority_found, tally.authority_stated)}"
        f" / {share(tally.round_found, tally.authority_stated).strip()}",
        f"  {'files failed':44} {len(tally.failed):8d}",
        f"  {'throughput, one process (check + read)':44} {per_second:8.1f} returns/s   "
        f"(goal >= {GOAL_PER_SECOND:g} per core)",
    ]
    lines += [f"    failed: {message[:160]}" for message in tally.failed[:5]]
    worst = sorted(
        ((tally.wrong_by_variation[tag] / count, tag) for tag, count in tally.rows_by_variation.items()
         if tally.wrong_by_variation[tag]),
        reverse=True,
    )[:6]
    if worst:
        lines.append("  variations with the most rows not right: "
                     + ", ".join(f"{tag} {100 * rate:.1f} %" for rate, tag in worst))
    return lines


if __name__ == "__main__":
    for line in measure():
        print(line)
