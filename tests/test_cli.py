"""The command line, run in-process and as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nesds_desktop._version import __version__
from nesds_desktop.app import main


def test_version_and_help_as_a_real_process() -> None:
    version = subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"NeSDS Workbook {__version__}"
    helped = subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--help"], capture_output=True, text=True, check=True
    )
    assert "--data-dir DIR" in helped.stdout and "catalogue" in helped.stdout


def test_entry_point_script_is_installed() -> None:
    script = Path(sys.executable).with_name("nesds-desktop")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, check=True)
    assert __version__ in result.stdout


def test_catalogue_list_prints_every_bundled_standard_with_counts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data-dir", str(tmp_path / "x"), "catalogue", "list"]) == 0
    out = capsys.readouterr().out
    for code in ["ICT", "CS", "REV", "BEN", "PBC", "EHL", "HSG", "SC", "LCL", "HTW"]:
        assert f"\n  {code} " in out
    assert "nesds-2006.1" in out and "10 standards" in out
    assert (tmp_path / "x" / "store.sqlite").is_file()


def test_data_dir_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("NESDS_DATA_DIR", str(tmp_path / "env-data"))
    assert main(["catalogue", "list"]) == 0
    assert (tmp_path / "env-data" / "store.sqlite").is_file()


def test_catalogue_check_bundled_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["catalogue", "check"]) == 0
    assert "catalogue OK" in capsys.readouterr().out


def test_catalogue_check_on_a_broken_copy_exits_non_zero_naming_file_and_problem(
    tmp_path: Path, standards_root: Path
) -> None:
    copy = tmp_path / "standards"
    shutil.copytree(standards_root / "nesds-2006.1", copy / "nesds-2006.1")
    path = copy / "nesds-2006.1" / "PBC.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sections"][3]["criteria"][1]["level"] = "advanced"
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "catalogue", "check", str(copy)],
        capture_output=True,
        text=True,
        env={**os.environ},
        check=False,
    )
    assert result.returncode == 1
    assert str(path) in result.stderr
    assert "section 4 > criterion PBC-4-M2 > level" in result.stderr
    assert "Traceback" not in result.stderr


def test_catalogue_list_on_a_damaged_store_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    data = tmp_path / "damaged"
    data.mkdir()
    (data / "store.sqlite").write_bytes(b"\x00garbage" * 512)
    result = subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "--data-dir", str(data), "catalogue", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
