"""``nesds-desktop import returns`` run as a real process over a mixed folder."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from legacy_files import Rows, ict_return_rows, release, write_ods, write_xls, write_xlsx
from openpyxl import load_workbook

from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store


def run(data_dir: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--data-dir", str(data_dir), "import", "returns", *argv],
        capture_output=True, text=True, check=False, timeout=300,
    )


def mixed_folder(folder: Path) -> Path:
    folder.mkdir()
    write_xlsx(folder / "ict.xlsx", {"ICT": ict_return_rows(["Yes", "No", "Partly"])}, merge=[("ICT", "A1:D1")])
    benefits: Rows = [["Anytown Borough Council", ""], ["Benefits return 2006/07", ""], ["", ""],
                      ["Achieved", "Ref"]]
    benefits += [["Y" if n % 2 else "N", f"BEN 1.{n}"] for n in range(1, 5)]
    write_xls(folder / "benefits.xls", {"Benefits": benefits})
    housing: Rows = [["Criterion", "RAG status"]]
    housing += [[c.statement, "Amber"] for c in release().standard("HSG").sections[0].criteria[:3]]
    write_ods(folder / "Anytown Borough Council housing 2006-07.ods", {"Housing": housing})
    (folder / "broken.xlsx").write_bytes(b"This was never a spreadsheet")
    (folder / "readme.txt").write_text("not looked at")
    return folder


def test_a_mixed_folder_is_imported_and_the_bad_file_reported(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "returns")
    data_dir = tmp_path / "data"
    report = tmp_path / "report.xlsx"
    result = run(data_dir, str(folder), "--report", str(report))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("FAILED") and "broken.xlsx" in line and "not a spreadsheet" in line for line in lines)
    assert any("ict.xlsx: 3 criteria imported for Anytown Borough Council, round 2006/07" in line for line in lines)
    assert any("benefits.xls: 4 criteria imported" in line for line in lines)
    assert any("housing 2006-07.ods: 3 criteria imported" in line for line in lines)
    assert lines[-1] == "4 file(s): 3 read, 1 failed"
    assert load_workbook(report)["Files"].max_row == 5

    store = open_store(data_dir)
    try:
        service = WorkbookService(store, "")
        assert sorted(s.standard_code for s in service.list_assessments()) == ["BEN", "HSG", "ICT"]
        assert [a.name for a in service.list_authorities()] == ["Anytown Borough Council"]
    finally:
        store.close()


def test_a_dry_run_writes_nothing_and_good_files_exit_zero(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "returns")
    (folder / "broken.xlsx").unlink()
    data_dir = tmp_path / "data"
    result = run(data_dir, str(folder / "ict.xlsx"), str(folder / "benefits.xls"), "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("dry run: nothing written") == 2
    store = open_store(data_dir)
    try:
        assert WorkbookService(store, "").list_assessments() == []
    finally:
        store.close()


def test_authority_and_round_given_on_the_command_line_win(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "returns")
    result = run(tmp_path / "data", str(folder / "ict.xlsx"), "--authority", "Westshire County Council",
                 "--round", "2004/05")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "for Westshire County Council, round 2004/05" in result.stdout


def test_a_missing_path_fails_without_stopping_the_others(tmp_path: Path) -> None:
    folder = mixed_folder(tmp_path / "returns")
    result = run(tmp_path / "data", str(tmp_path / "nowhere.xlsx"), str(folder / "ict.xlsx"))
    assert result.returncode == 1
    assert "FAILED" in result.stdout and "no such file" in result.stdout
    assert "ict.xlsx: 3 criteria imported" in result.stdout
