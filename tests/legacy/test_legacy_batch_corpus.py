"""``nesds-desktop import returns`` end to end over a small generated corpus, checked against its truth.

The command runs as a real process over the folder; the files that say neither whose they are nor
which round they are for are then given --authority and --round, as a person would.  The checking
is benchmarks/legacy_batch.py's, which ``make bench`` runs over 200 files.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from legacy_corpus import generator

# Appended, not put first: the benchmarks' module names (returns, comparison, ...) must not hide the tests' own.
sys.path.append(str(Path(__file__).resolve().parents[2] / "benchmarks"))

import legacy_batch  # found through the benchmarks folder added above

pytestmark = pytest.mark.slow

SEED = 2006
FILES = 12
# Measured on these 12 files (seed 2006): 1,380 of the 1,685 rows with an answer were imported right
# without review (81.9 %); the rest were left for review.
IMPORTED_RIGHT_AT_LEAST = 0.80


@dataclass(frozen=True)
class Imported:
    corpus: Path
    batch: legacy_batch.BatchRun
    tally: legacy_batch.Tally
    before: dict[legacy_batch.StoreKey, legacy_batch.StoredAssessment]
    again: legacy_batch.BatchRun
    after: dict[legacy_batch.StoreKey, legacy_batch.StoredAssessment]


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Imported]:
    root = tmp_path_factory.mktemp("batch")
    with pytest.MonkeyPatch.context() as patch:  # never the real user's data folder
        patch.setenv("NESDS_DATA_DIR", str(root / "default-data"))
        corpus = root / "corpus"
        generator.write_corpus(corpus, SEED, FILES)
        batch = legacy_batch.run_batch(corpus, root / "data", root / "reports")
        tally = legacy_batch.check_batch(batch)
        before = legacy_batch.store_state(root / "data")
        again = legacy_batch.run_batch(corpus, root / "data", root / "reports-again")
        after = legacy_batch.store_state(root / "data")
        yield Imported(corpus, batch, tally, before, again, after)


def test_every_file_is_imported(imported: Imported) -> None:
    for run in imported.batch.runs:
        assert "Traceback" not in run.stdout + run.stderr
    assert imported.tally.files == FILES
    assert imported.tally.failed == []
    assert imported.tally.done == FILES
    assert imported.tally.files_wrong_round == []


def test_a_file_that_names_no_authority_or_round_is_refused_not_guessed(imported: Imported) -> None:
    unnamed = [path for path in legacy_batch.workbooks(imported.corpus)
               if legacy_batch.truth_of(path)["authority_round_stated_in"] == "neither"]
    assert unnamed
    for path in unnamed:
        failure = imported.batch.folder.failure(imported.corpus / path.name)
        assert failure is not None and "does not say which" in failure, path.name
    assert imported.batch.folder.returncode == 1
    assert all(run.returncode == 0 for run in imported.batch.given)


def test_most_answers_are_imported_without_review(imported: Imported) -> None:
    tally = imported.tally
    assert tally.imported_right_answered >= IMPORTED_RIGHT_AT_LEAST * tally.answered
    assert tally.not_read_answered == 0


def test_no_imported_row_is_wrong(imported: Imported) -> None:
    wrong = imported.tally.wrong
    assert imported.tally.imported_wrong == len(wrong) == 0, "\n".join(map(str, wrong))


def test_the_store_holds_the_truth(imported: Imported) -> None:
    assert imported.tally.store_checked > 1000
    disagreements = imported.tally.disagreements
    assert disagreements == [], "\n".join(map(str, disagreements))


def test_importing_again_changes_nothing(imported: Imported) -> None:
    assert [run.returncode for run in imported.again.runs] == [run.returncode for run in imported.batch.runs]
    assert len(imported.again.given) == len(imported.batch.given)
    assert imported.before, "nothing was imported the first time"
    assert imported.after == imported.before
