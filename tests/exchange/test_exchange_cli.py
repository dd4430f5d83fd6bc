"""``nesds-desktop exchange``: the three-copies merge as a real process, and the file-to-file merge."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from exchange_support import Desk, assert_every_other_edit_kept, comparable, new_desk, start_assessment, three_copies

from nesds_desktop.domain.judgements import Judgement

pytestmark = pytest.mark.slow


def _run(data_dir: Path, *args: str | Path | int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--data-dir", str(data_dir), "exchange", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_importing_three_edited_copies_stops_at_the_one_conflict_then_keeps_every_edit(
    desks: list[Desk], tmp_path: Path
) -> None:
    scenario = three_copies(desks, tmp_path)
    folder = scenario.origin.folder
    scenario.origin.close()  # the window is closed; the command line has the store
    desks.remove(scenario.origin)

    for name in ("sam", "jo"):
        done = _run(folder, "import", scenario.returned[name])
        assert done.returncode == 0, done.stderr
        assert "merge into London Borough of Havering" in done.stdout and "0 conflict(s)" in done.stdout

    stopped = _run(folder, "import", scenario.returned["kim"])
    assert stopped.returncode == 1
    assert stopped.stderr.count("conflict: ") == 1
    assert f"{scenario.contested} judgement and notes" in stopped.stderr
    assert "mine:    ✗ Not met" in stopped.stderr and "theirs:  – Not applicable" in stopped.stderr
    assert "nothing was changed" in stopped.stderr and "Traceback" not in stopped.stderr

    settled = _run(folder, "import", scenario.returned["kim"], "--prefer", "theirs")
    assert settled.returncode == 0, settled.stderr
    assert "1 conflict(s) settled: kept theirs" in settled.stdout

    again = _run(folder, "import", scenario.returned["kim"])
    assert again.returncode == 0 and "nothing new" in again.stdout

    origin = new_desk(desks, tmp_path, "origin", "Pat Facilitator")
    scenario.origin = origin
    assert_every_other_edit_kept(scenario, Judgement.NOT_APPLICABLE)


def test_merging_files_without_a_store_lists_the_conflict_or_settles_it(desks: list[Desk], tmp_path: Path) -> None:
    scenario = three_copies(desks, tmp_path)
    unused = tmp_path / "no-store"
    sam, kim, jo = (scenario.returned[n] for n in ("sam", "kim", "jo"))

    stopped = _run(unused, "merge", sam, kim, "-o", tmp_path / "sam-kim.nesds")
    assert stopped.returncode == 1 and stopped.stderr.count("conflict: ") == 1
    assert not (tmp_path / "sam-kim.nesds").exists()

    assert _run(unused, "merge", sam, kim, "-o", tmp_path / "sam-kim.nesds", "--prefer", "mine").returncode == 0
    merged = _run(unused, "merge", tmp_path / "sam-kim.nesds", jo, "-o", tmp_path / "all.nesds")
    assert merged.returncode == 0, merged.stderr
    assert not unused.exists()  # no store was opened or made

    inspected = _run(unused, "inspect", tmp_path / "all.nesds")
    assert inspected.returncode == 0 and "file OK" in inspected.stdout

    imported = _run(scenario.origin.folder, "import", tmp_path / "all.nesds")
    assert imported.returncode == 0, imported.stderr
    assert_every_other_edit_kept(scenario, Judgement.NOT_MET)


def test_export_command_writes_a_file_that_imports_elsewhere(desks: list[Desk], tmp_path: Path) -> None:
    origin = new_desk(desks, tmp_path, "origin", "Pat Facilitator")
    assessment_id = start_assessment(origin)
    target = tmp_path / "out.nesds"
    done = _run(origin.folder, "export", assessment_id, "-o", target)
    assert done.returncode == 0, done.stderr
    assert "exported: London Borough of Havering" in done.stdout
    refused = _run(origin.folder, "export", assessment_id, "-o", target)
    assert refused.returncode == 1 and "already exists" in refused.stderr
    redacted = _run(origin.folder, "export", assessment_id, "-o", tmp_path / "r.nesds", "--redact")
    assert redacted.returncode == 0 and "names left out" in redacted.stdout
    elsewhere = tmp_path / "elsewhere"
    assert _run(elsewhere, "import", target).returncode == 0
    back = tmp_path / "back.nesds"
    assert _run(elsewhere, "export", 1, "-o", back).returncode == 0
    assert comparable(back) == comparable(target)
    missing = _run(origin.folder, "export", 999, "-o", tmp_path / "none.nesds")
    assert missing.returncode == 1 and "no assessment 999" in missing.stderr
