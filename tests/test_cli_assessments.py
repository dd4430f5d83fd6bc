"""``demo`` then ``assessment list``, run as real processes on a real data folder."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from nesds_desktop.commands.assessment import STATE_CHOICES
from nesds_desktop.domain.assessments import AssessmentState

AUTHORITIES = 8
ROUNDS = 2


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nesds_desktop", *args], capture_output=True, text=True, check=False, timeout=300
    )


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("cli") / "data"
    result = _run("--data-dir", str(data), "demo", "--authorities", str(AUTHORITIES), "--rounds", str(ROUNDS),
                  "--seed", "11")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert f"{AUTHORITIES} authorities, {AUTHORITIES * 10 * ROUNDS} assessments (2005/06 to 2006/07)" in result.stdout
    assert "invented" in result.stdout
    assert f"{AUTHORITIES}/{AUTHORITIES} authorities" in result.stderr  # progress
    return data


def _table(stdout: str) -> tuple[str, list[str], str]:
    lines = stdout.rstrip("\n").split("\n")
    return lines[0], lines[1:-1], lines[-1]


def test_demo_refuses_a_store_that_already_holds_assessments_unless_forced(demo_dir: Path, tmp_path: Path) -> None:
    refused = _run("--data-dir", str(demo_dir), "demo", "--authorities", "2")
    assert refused.returncode == 1
    assert "already holds 160 assessment(s)" in refused.stderr and "--force" in refused.stderr
    assert "Traceback" not in refused.stderr
    listed = _run("--data-dir", str(demo_dir), "assessment", "list")
    assert _table(listed.stdout)[2] == f"{AUTHORITIES * 10 * ROUNDS} assessment(s)"  # nothing was added

    # --force adds to a copy; the shared demo folder stays as it is for the other tests.
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "store.sqlite").write_bytes((demo_dir / "store.sqlite").read_bytes())
    forced = _run("--data-dir", str(copy), "demo", "--authorities", "2", "--rounds", "1", "--force")
    assert forced.returncode == 0, forced.stderr
    assert _table(_run("--data-dir", str(copy), "assessment", "list").stdout)[2] == "180 assessment(s)"


def test_assessment_list_prints_an_aligned_table_of_every_assessment(demo_dir: Path) -> None:
    result = _run("--data-dir", str(demo_dir), "assessment", "list")
    assert result.returncode == 0, result.stderr
    header, rows, count = _table(result.stdout)
    assert header.split() == ["id", "authority", "standard", "round", "state", "level", "answered"]
    assert count == f"{AUTHORITIES * 10 * ROUNDS} assessment(s)"
    assert len(rows) == AUTHORITIES * 10 * ROUNDS
    # Columns line up: each column after the authority starts at the same place on every line.
    starts = [header.index(name) for name in ("standard", "round", "state", "level")]
    pattern = re.compile(r"(\d+/\d+)$")
    for row in rows:
        assert row[starts[0] :].split()[0] in {"ICT", "CS", "REV", "BEN", "PBC", "EHL", "HSG", "SC", "LCL", "HTW"}
        assert re.fullmatch(r"20\d\d/\d\d", row[starts[1] : starts[2]].strip())
        assert row[starts[2] : starts[3]].strip() in {"Draft", "Agreed", "Submitted"}
        assert row[starts[3] :].split()[0] in {"No", "Minimum", "Progressing", "Excellent", "Not"}
        answered = pattern.search(row)
        assert answered is not None and row.endswith(answered.group(1))
        done, total = map(int, answered.group(1).split("/"))
        assert 0 < done <= total
    assert len({len(row) for row in rows} | {len(header)}) == 1  # right-aligned last column


def test_assessment_list_filters(demo_dir: Path) -> None:
    result = _run("--data-dir", str(demo_dir), "assessment", "list", "--standard", "ict", "--round", "2006/07")
    assert result.returncode == 0, result.stderr
    header, rows, count = _table(result.stdout)
    assert count == f"{AUTHORITIES} assessment(s)" and len(rows) == AUTHORITIES
    assert all(" ICT " in row and " 2006/07 " in row for row in rows)

    everything = _table(_run("--data-dir", str(demo_dir), "assessment", "list").stdout)[1]
    name = everything[0][header.index("authority") : header.index("standard")].strip()
    mine = _table(_run("--data-dir", str(demo_dir), "assessment", "list", "--authority", name.upper()).stdout)
    assert len(mine[1]) == 10 * ROUNDS and all(name in row for row in mine[1])

    submitted = _run("--data-dir", str(demo_dir), "assessment", "list", "--state", "submitted", "--round", "2005/06")
    rows = _table(submitted.stdout)[1]
    assert rows and all(" Submitted " in row and " 2005/06 " in row for row in rows)

    nothing = _run("--data-dir", str(demo_dir), "assessment", "list", "--standard", "XYZ")
    assert (nothing.returncode, nothing.stdout) == (0, "no assessments match\n")


def test_the_state_choices_are_the_assessment_states() -> None:
    assert tuple(state.value for state in AssessmentState) == STATE_CHOICES


def test_bad_arguments_are_explained_without_a_traceback(tmp_path: Path) -> None:
    bad_round = _run("--data-dir", str(tmp_path / "d"), "assessment", "list", "--round", "2006")
    assert bad_round.returncode == 2
    assert "write it as a year and the next" in bad_round.stderr and "Traceback" not in bad_round.stderr
    bad_count = _run("--data-dir", str(tmp_path / "d"), "demo", "--authorities", "0")
    assert bad_count.returncode == 2 and "give 1 to 600" in bad_count.stderr
    assert not (tmp_path / "d").exists()  # refused before any store was made
