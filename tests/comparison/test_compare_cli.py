"""``nesds-desktop compare`` in a subprocess on the hand-checked store; the workbook read back with openpyxl."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from comparison_support import ALDER, CODE, ROUND, store_case
from helpers.stores import new_catalogue_store
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

pytestmark = pytest.mark.slow


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "nesds_desktop", *args], capture_output=True, text=True, check=False, timeout=300
    )


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("compare") / "data"
    store = new_catalogue_store(folder, tmp_path_factory)
    store_case(store)
    store.close()
    yield folder


def _rows(sheet: Worksheet) -> list[tuple[Any, ...]]:
    return [row for row in sheet.iter_rows(values_only=True) if any(v is not None for v in row)]


def _row_starting(sheet: Worksheet, first: str) -> tuple[Any, ...]:
    return next(row for row in _rows(sheet) if row[0] == first)


def test_compare_one_authority_writes_every_sheet_with_the_hand_checked_figures(
    data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "compare.xlsx"
    result = _run("--data-dir", str(data_dir), "compare", "--standard", "tst", "--round", ROUND,
                  "--authority", "alder", "-o", str(target))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "comparison for Alder Vale written to" in result.stdout and "3 gap criteria" in result.stdout
    book = load_workbook(target)
    assert book.sheetnames == ["Distribution", "This authority", "Gaps", "Peers", "Progress"]

    distribution = book["Distribution"]
    # Section, Peers, No level, Minimum, Progressing, Excellent, Not applicable, then four shares.
    assert _row_starting(distribution, "1 Leadership")[:7] == ("1 Leadership", 4, 1, 0, 1, 2, 0)
    assert _row_starting(distribution, "2 Customer access")[:7] == ("2 Customer access", 3, 0, 1, 0, 2, 1)
    overall = _row_starting(distribution, "Standard (overall)")
    assert overall[:7] == ("Standard (overall)", 4, 1, 0, 1, 2, 0)
    assert overall[7:11] == (0.25, 0, 0.25, 0.5)
    assert not any(isinstance(v, str) and v.startswith("=") for row in _rows(distribution) for v in row)

    subject = book["This authority"]
    assert _row_starting(subject, "1 Leadership")[:5] == ("1 Leadership", "Minimum", 1, 0, 3)
    assert _row_starting(subject, "Standard (overall)")[:6] == ("Standard (overall)", "No level", 0, 1, 3, "Excellent")

    gaps = [row for row in _rows(book["Gaps"]) if isinstance(row[0], str) and row[0].startswith("T-")]
    assert [(r[0], r[3], r[4], r[5]) for r in gaps] == [
        ("T-2-M1", "Partly met", 3, 3), ("T-1-P1", "Not met", 3, 4), ("T-2-P1", "Not met", 2, 3),
    ]  # fmt: skip
    assert gaps[1][6] == 0.75

    peers = _rows(book["Peers"])
    assert [row[0] for row in peers[-4:]] == ["Bramwick", "Cranmoor", "Dalby Fen", "Elmhurst"]
    cranmoor = _row_starting(book["Peers"], "Cranmoor")
    assert cranmoor[1:] == ("Unitary authority", "South East", "Progressing", "Progressing", "Excellent")

    progress = book["Progress"]
    assert _row_starting(progress, "2005/06")[2:5] == ("No level", "No level", "No level")
    assert _row_starting(progress, "2006/07")[2:5] == ("No level", "Minimum", "No level")
    change = [r for r in _rows(progress) if r[1] == ROUND][-1]
    assert change[:4] == ("2005/06", ROUND, "T-1-M2", "T-1-P1, T-2-P1")


def test_anonymised_and_filtered_comparison_names_no_peer(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "anonymous.xlsx"
    result = _run("--data-dir", str(data_dir), "compare", "--standard", CODE, "--round", ROUND,
                  "--authority", ALDER.authority.gss_code or "", "--region", "south east", "--anonymise",
                  "-o", str(target))  # fmt: skip
    assert result.returncode == 0, result.stderr
    book = load_workbook(target)
    text = " ".join(str(v) for sheet in book.worksheets for row in _rows(sheet) for v in row if v is not None)
    for name in ("Bramwick", "Cranmoor", "Dalby", "Elmhurst"):
        assert name not in text
    peers = _rows(book["Peers"])
    assert [row[0] for row in peers[-2:]] == ["Authority A", "Authority B"]
    assert peers[-3][:2] == ("Peer", "Overall")  # no type or region columns when anonymised
    assert _row_starting(book["Distribution"], "Standard (overall)")[:7] == ("Standard (overall)", 2, 0, 0, 1, 1, 0)


def test_type_filter_without_an_authority_and_the_errors(data_dir: Path, tmp_path: Path) -> None:
    target = tmp_path / "districts.xlsx"
    result = _run("--data-dir", str(data_dir), "compare", "--standard", CODE, "--round", ROUND,
                  "--type", "district", "-o", str(target))  # fmt: skip
    assert result.returncode == 0, result.stderr
    book = load_workbook(target)
    assert book.sheetnames == ["Distribution", "Peers"]
    # Alder (No level), Bramwick (Excellent), Dalby Fen (No level).
    assert _row_starting(book["Distribution"], "Standard (overall)")[:7] == ("Standard (overall)", 3, 2, 0, 0, 1, 0)

    again = _run("--data-dir", str(data_dir), "compare", "--standard", CODE, "--round", ROUND, "-o", str(target))
    assert again.returncode == 1 and "already exists" in again.stderr
    nobody = _run("--data-dir", str(data_dir), "compare", "--standard", CODE, "--round", ROUND,
                  "--authority", "Nowhere", "-o", str(tmp_path / "x.xlsx"))  # fmt: skip
    assert nobody.returncode == 1 and "no authority is called 'Nowhere'" in nobody.stderr
    bad_round = _run("--data-dir", str(data_dir), "compare", "--standard", CODE, "--round", "2006/08",
                     "-o", str(tmp_path / "y.xlsx"))  # fmt: skip
    assert bad_round.returncode == 1 and "consecutive" in bad_round.stderr
    assert not (tmp_path / "x.xlsx").exists() and not (tmp_path / "y.xlsx").exists()
