"""Legacy return import end to end: ``nesds-desktop import returns`` over the generated corpus.

benchmarks/legacy_import.py measures the reader alone; this runs the real command, as a separate
process, over the same cached corpus (tests/legacy_corpus/generator.py) and checks what it did against
the truth kept beside each file: the rows its report says were imported (criterion and judgement), the
rows it left for review, the authority and round each file was filed under, and the judgements the
store holds afterwards.

The corpus is written from the first release of the catalogue; where the command matched a file against
a later release of a standard (it takes the releases in force in the round each file is imported for),
a row is right when it was imported to the criterion the crosswalk between the two releases makes of
the truth's (none for a retired criterion).

The command is run once over the whole folder.  A file that says neither whose it is nor which round
it is for is refused ("give one"), as it should be; those files are then imported the way a person
would, with ``--authority`` and ``--round`` given (one command per authority and round), and both
passes are reported.  Wall times include starting the process, the catalogue check and every store
write.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from legacy_corpus import generator  # noqa: E402 - found through the tests folder added above
from legacy_import import GOAL_RIGHT, SEED, SIZE, corpus_folder  # noqa: E402 - the same cached corpus

REFUSED_FOR_WANT_OF = ("does not say which authority", "does not say which round")
"""What the command says of a file that names no authority or no round."""
LABELS = {"Met": "met", "Partly met": "partly_met", "Not met": "not_met", "Not applicable": "not_applicable",
          "Not yet assessed": None, "": None}
"""The report's judgement labels (nesds_desktop/domain/judgements.py) as the truth writes them; the truth
gives no answer (None) where the application records Not yet assessed."""


# -- running the command ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CommandRun:
    files: tuple[Path, ...]
    options: tuple[str, ...]
    report: Path
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    def done(self, path: Path) -> bool:
        return any(line.startswith(f"done   {path}:") for line in self.stdout.splitlines())

    def failure(self, path: Path) -> str | None:
        """What the command printed of a file it could not import (every message starts "PATH: ")."""
        prefix = f"FAILED {path}:"
        return next((line[7:] for line in self.stdout.splitlines() if line.startswith(prefix)), None)

    @property
    def round_given(self) -> str | None:
        return self.options[self.options.index("--round") + 1] if "--round" in self.options else None


@dataclass(frozen=True)
class BatchRun:
    corpus: Path
    data_dir: Path
    folder: CommandRun
    """The command over the whole corpus folder."""
    given: tuple[CommandRun, ...]
    """Then the files it refused for want of an authority or round, with --authority and --round given."""

    @property
    def runs(self) -> tuple[CommandRun, ...]:
        return (self.folder, *self.given)

    @property
    def seconds(self) -> float:
        return sum(run.seconds for run in self.runs)


def run_import(data_dir: Path, paths: Sequence[Path], report: Path, *options: str) -> CommandRun:
    """``python -m nesds_desktop --data-dir DATA import returns PATH... --report REPORT [options]``, timed."""
    argv = [sys.executable, "-m", "nesds_desktop", "--data-dir", str(data_dir), "import", "returns",
            *map(str, paths), "--report", str(report), *options]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, timeout=3600, cwd=REPO)
    seconds = time.perf_counter() - started
    return CommandRun(tuple(paths), options, report, done.returncode, done.stdout, done.stderr, seconds)


def workbooks(corpus: Path) -> list[Path]:
    """The corpus's returns (each has a truth sidecar beside it)."""
    return sorted(p for p in corpus.iterdir()
                  if not p.name.startswith(".") and not p.name.endswith(generator.SIDECAR_SUFFIX))


def truth_of(path: Path) -> dict[str, Any]:
    truth: dict[str, Any] = json.loads(generator.sidecar_path(path).read_text(encoding="utf-8"))
    return truth


def run_batch(corpus: Path, data_dir: Path, reports: Path) -> BatchRun:
    """The folder, then the files refused for want of an authority or round, with both given from the truth."""
    reports.mkdir(parents=True, exist_ok=True)
    folder = run_import(data_dir, [corpus], reports / "folder.xlsx")
    groups: dict[tuple[str, str], list[Path]] = defaultdict(list)
    for path in workbooks(corpus):
        failure = folder.failure(corpus / path.name)
        if failure is not None and any(words in failure for words in REFUSED_FOR_WANT_OF):
            truth = truth_of(path)
            groups[(truth["authority"], truth["round"])].append(corpus / path.name)
    given = tuple(
        run_import(data_dir, files, reports / f"given-{number}.xlsx", "--authority", authority, "--round", round_)
        for number, ((authority, round_), files) in enumerate(sorted(groups.items()), start=1)
    )
    return BatchRun(corpus, data_dir, folder, given)


# -- what the store holds ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StoredAssessment:
    answers: dict[str, tuple[str, str]]
    """criterion -> (judgement value, notes), for every answer recorded."""
    evidence: tuple[tuple[str, str], ...]
    actions: tuple[tuple[str, str], ...]


StoreKey = tuple[str, str, str, str]
"""(authority name as compared, round, standard code, release)."""


def authority_key(name: str) -> str:
    """An authority name as the command compares it (any case, spaces run together)."""
    return " ".join(name.split()).casefold()


def store_state(data_dir: Path) -> dict[StoreKey, StoredAssessment]:
    """Every assessment in the store with its answers, evidence and actions."""
    from nesds_desktop.services.workbook_service import WorkbookService
    from nesds_desktop.storage.store import open_store

    store = open_store(data_dir)
    try:
        service = WorkbookService(store, "")
        state: dict[StoreKey, StoredAssessment] = {}
        for summary in sorted(service.list_assessments(), key=lambda s: s.updated_at):  # the newest wins
            snapshot = service.open(summary.id)
            key = (authority_key(summary.authority.name), summary.round.label, summary.standard_code,
                   summary.release_id)
            state[key] = StoredAssessment(
                {ref: (answer.judgement.value, answer.notes) for ref, answer in snapshot.answers.items()},
                tuple(sorted((e.criterion_ref, e.reference.title) for e in snapshot.evidence)),
                tuple(sorted((a.action.criterion_ref or "", a.action.description) for a in snapshot.actions)),
            )
        return state
    finally:
        store.close()


# -- which criterion a truth row is in the release the command used --------------------------------


def releases_used(data_dir: Path, rounds: Iterable[str | None]) -> dict[str | None, dict[str, str]]:
    """Per round (None: none), the release the command matches each standard against: the product's
    own choice (legacy_import_service.current_catalogue), asked of the store the command loaded."""
    from nesds_desktop.domain.assessments import Round
    from nesds_desktop.services.legacy_import_service import current_catalogue
    from nesds_desktop.services.workbook_service import WorkbookService
    from nesds_desktop.storage.store import open_store

    store = open_store(data_dir)
    try:
        service = WorkbookService(store, "")
        return {label: dict(current_catalogue(service, Round.parse(label) if label else None).release_of)
                for label in set(rounds)}
    finally:
        store.close()


@cache
def criteria_in(release_id: str) -> dict[str, tuple[str, ...]]:
    """The truth's criteria (the corpus's release) that ``release_id`` renamed, split or retired, and the
    criteria of ``release_id`` they became; a criterion not listed keeps its reference."""
    from nesds_desktop.catalogue.bundled import bundled_standards_root
    from nesds_desktop.catalogue.crosswalk import crosswalk_path, load_crosswalk

    if release_id == generator.RELEASE_ID:
        return {}
    crosswalk = load_crosswalk(crosswalk_path(bundled_standards_root(), generator.RELEASE_ID, release_id))
    return {old: entry.new for standard in crosswalk.standards for entry in standard.entries for old in entry.old}


def refs_for(ref: str, release_of: dict[str, str]) -> tuple[str, ...]:
    """The criteria a row about ``ref`` (the corpus's release) may rightly be imported to."""
    release_id = release_of.get(ref.split("-", 1)[0], generator.RELEASE_ID)
    return criteria_in(release_id).get(ref, (ref,))


# -- checking against the truth ---------------------------------------------------------------------


@dataclass(frozen=True)
class WrongRow:
    """A row imported (so not flagged) to the wrong criterion or with the wrong judgement."""

    file: str
    sheet: str
    row: int
    criterion: str
    judgement: str | None
    truth_ref: str | None
    """None: not a criterion row at all."""
    truth_judgement: str | None
    release: str
    """The release the row's standard was matched against."""

    def __str__(self) -> str:
        truth = f"truth {self.truth_ref} {self.truth_judgement}" if self.truth_ref else "not a criterion row"
        imported = f"{self.criterion} {self.judgement} ({self.release})"
        return f"{self.file} {self.sheet}!{self.row}: imported {imported}, {truth}"


@dataclass(frozen=True)
class Disagreement:
    """A criterion whose stored judgement is not the truth's."""

    file: str
    criterion: str
    stored: str
    truth: str
    release: str

    def __str__(self) -> str:
        return f"{self.file} {self.criterion} ({self.release}): stored {self.stored}, truth {self.truth}"


@dataclass
class Tally:
    files: int = 0
    done: int = 0
    failed: list[str] = field(default_factory=list)
    refused_in_folder: int = 0
    rows: int = 0
    answered: int = 0
    imported: int = 0
    imported_answered: int = 0
    imported_right: int = 0
    imported_right_answered: int = 0
    imported_wrong: int = 0
    imported_wrong_criterion: int = 0
    imported_not_a_row: int = 0
    left: int = 0
    left_answered: int = 0
    left_proposal_right: int = 0
    left_proposal_right_answered: int = 0
    not_read_answered: int = 0
    right_overall: int = 0
    files_wrong_authority: list[str] = field(default_factory=list)
    rows_wrong_authority: int = 0
    files_wrong_round: list[str] = field(default_factory=list)
    store_checked: int = 0
    store_disagreeing: int = 0
    store_shared: int = 0
    store_merged: int = 0
    files_later_release: dict[str, int] = field(default_factory=dict)
    """Per standard and release other than the corpus's, the files matched against it."""
    wrong: list[WrongRow] = field(default_factory=list)
    disagreements: list[Disagreement] = field(default_factory=list)
    seconds_folder: float = 0.0
    seconds_given: float = 0.0
    commands_given: int = 0
    files_given: int = 0


@dataclass(frozen=True)
class FileOutcome:
    """What the command did with one file, from the report of the run that imported it."""

    authority: str
    round_label: str
    rows: dict[tuple[str, int], tuple[str, str | None, str]]
    """(sheet, row) -> (criterion, judgement value or None, outcome) for every row the report lists."""
    release_of: dict[str, str]
    """The release each standard was matched against."""


def read_report(path: Path) -> tuple[dict[str, tuple[str, str]], dict[str, dict[tuple[str, int], Any]]]:
    """(file name -> (authority, round)) from the Files sheet; file name -> rows from the Rows sheet."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        files = {Path(str(line[0])).name: (str(line[3] or ""), str(line[4] or ""))
                 for line in workbook["Files"].iter_rows(min_row=2, values_only=True)}
        rows: dict[str, dict[tuple[str, int], Any]] = defaultdict(dict)
        for line in workbook["Rows"].iter_rows(min_row=2, values_only=True):
            name, sheet, row, criterion, label, outcome = line[0], line[1], line[2], line[4], line[8], line[10]
            rows[str(name)][(str(sheet), int(row))] = (str(criterion or ""), LABELS[str(label or "")], str(outcome))
        return files, rows
    finally:
        workbook.close()


def outcomes(batch: BatchRun) -> dict[str, FileOutcome]:
    """Each file the command imported, by name, with what its report says."""
    found: dict[str, FileOutcome] = {}
    reports = [(run, *read_report(run.report)) for run in batch.runs if run.report.exists()]
    # Each file is matched against the releases in force in the round it was imported for.
    rounds = {round_label or None for _, files, _ in reports for _, round_label in files.values()}
    releases = releases_used(batch.data_dir, rounds)
    for run, files, rows in reports:
        for path in workbooks(batch.corpus):
            if run.done(batch.corpus / path.name) and path.name in files:
                authority, round_label = files[path.name]
                found[path.name] = FileOutcome(authority, round_label, rows.get(path.name, {}),
                                               releases[round_label or None])
    return found


def check_batch(batch: BatchRun) -> Tally:
    tally = Tally(seconds_folder=batch.folder.seconds, commands_given=len(batch.given),
                  seconds_given=sum(run.seconds for run in batch.given),
                  files_given=sum(len(run.files) for run in batch.given))
    done = outcomes(batch)
    truths = {path.name: truth_of(path) for path in workbooks(batch.corpus)}
    for name, truth in truths.items():
        tally.files += 1
        first = batch.folder.failure(batch.corpus / name)
        if first is not None and any(words in first for words in REFUSED_FOR_WANT_OF):
            tally.refused_in_folder += 1
        outcome = done.get(name)
        if outcome is None:
            last = [run.failure(batch.corpus / name) for run in batch.runs]
            tally.failed.append(next((f for f in reversed(last) if f), f"{name}: no outcome printed"))
            _count_not_imported(tally, truth["rows"])
            continue
        tally.done += 1
        _compare_rows(tally, name, truth, outcome)
    _compare_store(tally, batch, truths, done)
    return tally


def _count_not_imported(tally: Tally, rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        tally.rows += 1
        answered = row["judgement"] is not None
        tally.answered += answered
        tally.not_read_answered += answered
        tally.right_overall += not answered


def _compare_rows(tally: Tally, name: str, truth: dict[str, Any], outcome: FileOutcome) -> None:
    expected = {(row["sheet"], row["row"]): row for row in truth["rows"]}
    authority_right = authority_key(outcome.authority) in (authority_key(truth["authority"]),
                                                           authority_key(truth["authority_short"]))
    if not authority_right:
        tally.files_wrong_authority.append(f"{outcome.authority!r} for {truth['authority']} ({name})")
    if outcome.round_label != truth["round"]:
        tally.files_wrong_round.append(f"{outcome.round_label!r} for {truth['round']} ({name})")
    def release(ref: str) -> str:
        return outcome.release_of.get(ref.split("-", 1)[0], generator.RELEASE_ID)

    for code in sorted({code for sheet in truth["sheets"] for code in sheet["standards"]}):
        if release(code) != generator.RELEASE_ID:
            label = f"{code} in {release(code)}"
            tally.files_later_release[label] = tally.files_later_release.get(label, 0) + 1
    for key, (criterion, judgement, result) in outcome.rows.items():
        if key not in expected and result == "imported":
            tally.imported += 1
            tally.imported_wrong += 1
            tally.imported_not_a_row += 1
            tally.wrong.append(WrongRow(name, key[0], key[1], criterion, judgement, None, None, release(criterion)))
    for key, row in expected.items():
        tally.rows += 1
        answered = row["judgement"] is not None
        tally.answered += answered
        criterion, judgement, result = outcome.rows.get(key, ("", None, "not read"))
        if result == "imported":
            tally.imported += 1
            tally.imported_answered += answered
            tally.rows_wrong_authority += not authority_right
            criterion_right = criterion in refs_for(row["ref"], outcome.release_of)
            if criterion_right and judgement == row["judgement"]:
                tally.imported_right += 1
                tally.imported_right_answered += answered
                tally.right_overall += 1
            else:
                tally.imported_wrong += 1
                tally.imported_wrong_criterion += not criterion_right
                tally.wrong.append(WrongRow(name, key[0], key[1], criterion, judgement, row["ref"], row["judgement"],
                                            release(row["ref"])))
            continue
        tally.right_overall += not answered  # nothing imported, and the council gave no answer either
        if result.startswith("left"):
            tally.left += 1
            tally.left_answered += answered
            proposal_right = criterion in refs_for(row["ref"], outcome.release_of) and judgement == row["judgement"]
            tally.left_proposal_right += proposal_right
            tally.left_proposal_right_answered += proposal_right and answered
        else:
            tally.not_read_answered += answered


def _compare_store(tally: Tally, batch: BatchRun, truths: dict[str, dict[str, Any]],
                   done: dict[str, FileOutcome]) -> None:
    """Each imported criterion's stored judgement against the truth, where only one file gives that
    authority, round and standard (a later file overwrites an earlier one's)."""
    def standards(name: str) -> set[str]:
        given = {code for sheet in truths[name]["sheets"] for code in sheet["standards"]}
        return given | {c.split("-", 1)[0] for c, _, result in done[name].rows.values() if result == "imported" and c}

    def store_key(name: str, code: str) -> StoreKey:
        outcome = done[name]
        return (authority_key(outcome.authority), outcome.round_label, code,
                outcome.release_of.get(code, generator.RELEASE_ID))

    by_truth: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    by_store: dict[StoreKey, set[str]] = defaultdict(set)
    for name in done:
        for code in standards(name):
            by_truth[(truths[name]["authority"], truths[name]["round"], code)].add(name)
            by_store[store_key(name, code)].add(name)
    state = store_state(batch.data_dir)
    for name, outcome in sorted(done.items()):
        truth = truths[name]
        by_ref: dict[str, set[str | None]] = defaultdict(set)  # criterion as imported -> the truth's judgements
        for row in truth["rows"]:
            for ref in refs_for(row["ref"], outcome.release_of):
                by_ref[ref].add(row["judgement"])
        for code in sorted(standards(name)):
            key = store_key(name, code)
            if len(by_truth[(truth["authority"], truth["round"], code)]) > 1 or len(by_store[key]) > 1:
                tally.store_shared += 1
                continue
            assessment = state.get(key)
            answers = assessment.answers if assessment else {}
            for criterion, _judgement, result in outcome.rows.values():
                if result != "imported" or not criterion.startswith(f"{code}-"):
                    continue
                wants = by_ref.get(criterion, {"not_yet_assessed"})
                if len(wants) > 1:  # two criteria merged into one, answered differently: either may win
                    tally.store_merged += 1
                    continue
                want = next(iter(wants))
                if want is None:  # a blank or "don't know" never clears a judgement: nothing to compare
                    continue
                tally.store_checked += 1
                have = answers.get(criterion, ("not_yet_assessed", ""))[0]
                if have != want:
                    tally.store_disagreeing += 1
                    tally.disagreements.append(Disagreement(name, criterion, have, want, key[3]))


# -- the benchmark ----------------------------------------------------------------------------------


def measure(seed: int = SEED, size: int = SIZE) -> list[str]:
    corpus = corpus_folder(seed, size)
    with tempfile.TemporaryDirectory(prefix="nesds-bench-legacy-batch-") as work:
        batch = run_batch(corpus, Path(work) / "data", Path(work) / "reports")
        if "Traceback" in batch.folder.stderr:
            return ["Legacy return import, the batch command: it crashed; nothing measured",
                    *("    " + line for line in batch.folder.stderr.strip().splitlines()[-5:])]
        tally = check_batch(batch)
    return report_lines(tally, seed)


def report_lines(tally: Tally, seed: int) -> list[str]:
    def share(part: int, whole: int) -> str:
        return f"{100 * part / whole:6.2f} %" if whole else "     - "

    files = tally.files
    all_seconds = tally.seconds_folder + tally.seconds_given
    later = ", ".join(f"{label} for {count} files" for label, count in sorted(tally.files_later_release.items()))
    lines = [
        f"Legacy return import, the batch command (import returns FOLDER --report) end to end, generated corpus "
        f"of {files} files (seed {seed}), {tally.rows} criterion rows, {tally.answered} with an answer:",
        f"  {'files imported / failed':48} {tally.done:4d} / {len(tally.failed)}   "
        f"({tally.refused_in_folder} refused from the folder for want of an authority or round, "
        "then given --authority and --round)",
        f"  {'rows imported without review':48} {tally.imported:8d}   {share(tally.imported, tally.rows)} of rows; "
        f"{share(tally.imported_right_answered, tally.answered).strip()} of rows with an answer imported right",
        f"  {'imported rows right (criterion and judgement)':48} {share(tally.imported_right, tally.imported)}",
        f"  {'imported rows wrong (none was flagged)':48} {tally.imported_wrong:8d}   (goal 0; "
        f"{tally.imported_wrong_criterion} on the wrong criterion, {tally.imported_not_a_row} not criterion rows)",
        f"  {'rows left for review':48} {tally.left:8d}   ({tally.left_answered} with an answer, for a person "
        f"to confirm in the wizard; the import's proposal was right for "
        f"{share(tally.left_proposal_right, tally.left).strip()} of them)",
        f"  {'rows with an answer not read at all':48} {tally.not_read_answered:8d}",
        f"  {'judgements right as read':48} "
        f"{share(tally.right_overall + tally.left_proposal_right_answered, tally.rows)}   "
        f"(goal >= {GOAL_RIGHT:g} %: imported right, proposed right for a person to confirm, or no answer and "
        "none read)",
        f"  {'judgements recorded right with no one reviewing':48} {share(tally.right_overall, tally.rows)}   "
        f"(imported right, or no answer and nothing imported; rows left for review are not counted)",
        f"  {'store: imported judgements checked / differing':48} {tally.store_checked:8d} / "
        f"{tally.store_disagreeing}   (goal 0; {tally.store_shared} file-standards not checked: files share "
        f"their authority, round and standard; {tally.store_merged} merged criteria)",
        f"  {'files filed under a name not the council':48} {len(tally.files_wrong_authority):8d}   "
        f"(neither its name nor its short name; {tally.rows_wrong_authority} rows imported under them)",
        f"  {'files filed under the wrong round':48} {len(tally.files_wrong_round):8d}",
        f"  {'standards matched against a later release':48} {later or 'none'}",
        f"  {'wall time, the folder (all files read)':48} {tally.seconds_folder:8.1f} s    "
        f"{files / tally.seconds_folder if tally.seconds_folder else 0:6.1f} files/s (start-up, reading, store writes)",
        f"  {'wall time, files given --authority and --round':48} {tally.seconds_given:8.1f} s    "
        f"({tally.files_given} files, {tally.commands_given} commands: one per authority and round)",
        f"  {'wall time, all':48} {all_seconds:8.1f} s    {files / all_seconds if all_seconds else 0:6.1f} files/s",
    ]
    lines += [f"    failed: {message[:160]}" for message in tally.failed[:5]]
    lines += [f"    wrong: {str(wrong)[:160]}" for wrong in tally.wrong[:5]]
    lines += [f"    store: {str(disagreement)[:160]}" for disagreement in tally.disagreements[:5]]
    names = sorted({message.split(" for ", 1)[0] for message in tally.files_wrong_authority})
    if names:
        lines.append(f"    filed under: {', '.join(names[:8])}{', ...' if len(names) > 8 else ''}")
    return lines


if __name__ == "__main__":
    for line in measure():
        print(line)
