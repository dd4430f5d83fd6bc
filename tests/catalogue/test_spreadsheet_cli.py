"""``catalogue import`` and ``catalogue export`` on the command line, on real files."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from nesds_desktop.catalogue.loader import read_release
from nesds_desktop.cli import parse, run_command

SHIPPED = "nesds-2006.1"


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(parse(list(argv)), out, err)
    return code, out.getvalue(), err.getvalue()


def _export_shipped(standards_root: Path, target: Path) -> Path:
    code, _out, err = _run("catalogue", "export", str(standards_root / SHIPPED), "-o", str(target))
    assert (code, err) == (0, "")
    return target


def test_export_then_import_gives_back_the_shipped_release(tmp_path: Path, standards_root: Path) -> None:
    original = read_release(standards_root / SHIPPED).content_hash
    workbook = tmp_path / "nesds.xlsx"
    code, out, err = _run("catalogue", "export", str(standards_root / SHIPPED), "-o", str(workbook))
    assert (code, err) == (0, "")
    assert out == f"release {SHIPPED} exported to {workbook}: 10 standards, 586 criteria, {original}\n"
    code, out, err = _run("catalogue", "import", str(workbook), "--release", SHIPPED, "-o", str(tmp_path / "std"))
    assert (code, err) == (0, "")
    folder = tmp_path / "std" / SHIPPED
    assert out == f"release {SHIPPED} written to {folder}: 10 standards, 586 criteria, {original}\n"
    assert read_release(folder).content_hash == original
    code, out, _ = _run("catalogue", "check", str(tmp_path / "std"))
    assert code == 0 and "catalogue OK" in out


def test_import_refuses_to_overwrite_a_release_folder(tmp_path: Path, standards_root: Path) -> None:
    workbook = _export_shipped(standards_root, tmp_path / "nesds.xlsx")
    shutil.copytree(standards_root / SHIPPED, tmp_path / "std" / SHIPPED)
    before = sorted((p.name, p.stat().st_mtime_ns) for p in (tmp_path / "std" / SHIPPED).iterdir())
    code, out, err = _run("catalogue", "import", str(workbook), "--release", SHIPPED, "-o", str(tmp_path / "std"))
    assert code == 1 and out == ""
    assert err == (f"error: {tmp_path / 'std' / SHIPPED} already exists; a release is never overwritten, "
                   "so choose another release name or output folder\n")
    assert sorted((p.name, p.stat().st_mtime_ns) for p in (tmp_path / "std" / SHIPPED).iterdir()) == before
    assert [p.name for p in (tmp_path / "std").iterdir()] == [SHIPPED]


def test_import_with_unusable_rows_writes_the_rest_and_exits_1(tmp_path: Path, standards_root: Path) -> None:
    from openpyxl import load_workbook

    workbook = _export_shipped(standards_root, tmp_path / "nesds.xlsx")
    book = load_workbook(workbook)
    criteria = book["Criteria"]
    criteria.append(["ICT", "", 1, "Sometimes", "A statement with an unknown level", "Guidance", "Evidence", ""])
    criteria.append(["ICT", "ICT-1-M99", 1, "Minimum", "", "Guidance only", "Evidence", ""])
    book.save(workbook)
    code, out, err = _run("catalogue", "import", str(workbook), "--release", "nesds-2006.2", "--version", "2006.2",
                          "-o", str(tmp_path / "std"))
    assert code == 1
    assert err.splitlines() == [
        f"note: {workbook}: the workbook names release '{SHIPPED}'; it was imported as 'nesds-2006.2' as asked",
        f"warning: {workbook}: sheet 'Criteria', row 588: level 'Sometimes' is not Minimum, Progressing or "
        "Excellent (or M, P, E)",
        f"warning: {workbook}: sheet 'Criteria', row 589: has no criterion statement",
        "2 row(s) could not be used and were left out (see the warnings above)",
    ]
    assert out.startswith(f"release nesds-2006.2 written to {tmp_path / 'std' / 'nesds-2006.2'}: 10 standards, 586")
    written = json.loads((tmp_path / "std" / "nesds-2006.2" / "release.json").read_text(encoding="utf-8"))
    assert (written["release_id"], written["version"], written["published"]) == ("nesds-2006.2", "2006.2", "2006-03-31")


def test_import_options_fill_in_the_release_details(tmp_path: Path, standards_root: Path) -> None:
    from openpyxl import load_workbook

    workbook = _export_shipped(standards_root, tmp_path / "nesds.xlsx")
    book = load_workbook(workbook)
    del book["Release"]
    book.save(workbook)
    code, _out, err = _run(
        "catalogue", "import", str(workbook), "--release", "council-2007.1", "-o", str(tmp_path / "std"),
        "--title", "Council e-Standards", "--version", "2007.1", "--published", "2007-04-02",
        "--provenance", "Agreed by the programme board.", "--supersedes", SHIPPED,
    )
    assert (code, err) == (0, "")
    written = json.loads((tmp_path / "std" / "council-2007.1" / "release.json").read_text(encoding="utf-8"))
    assert written == {
        "format": "nesds-catalogue/1", "release_id": "council-2007.1", "title": "Council e-Standards",
        "version": "2007.1", "published": "2007-04-02", "provenance": "Agreed by the programme board.",
        "supersedes": SHIPPED, "standards": ["ICT", "CS", "REV", "BEN", "PBC", "EHL", "HSG", "SC", "LCL", "HTW"],
    }


def test_import_with_problems_writes_nothing_and_says_why(tmp_path: Path, standards_root: Path) -> None:
    from openpyxl import load_workbook

    workbook = _export_shipped(standards_root, tmp_path / "nesds.xlsx")
    book = load_workbook(workbook)
    del book["Standards"]
    book.save(workbook)
    code, out, err = _run("catalogue", "import", str(workbook), "--release", "x-1", "-o", str(tmp_path / "std"))
    assert code == 1 and out == ""
    lines = err.splitlines()
    assert lines[0] == f"note: {workbook}: the workbook names release '{SHIPPED}'; it was imported as 'x-1' as asked"
    assert lines[1] == (f"error: {workbook}: standard ICT has no title or summary: add a Standards sheet "
                        "(code, title, summary) or 'Standard title' and 'Standard summary' columns")
    assert lines[-1] == "10 problem(s) found; nothing was written"
    assert not (tmp_path / "std").exists()


def _bomb(path: Path) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * (8 * 1024 * 1024))


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("minutes.xlsx", lambda p: p.write_text("Minutes of the board", encoding="utf-8"), "is not a spreadsheet"),
        ("page.xls", lambda p: p.write_bytes(b"<html><table></table></html>"), "web page (HTML)"),
        ("bomb.xlsx", _bomb, "it may be a zip bomb, so it was not opened"),
        ("cut.ods", lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 40), "is damaged"),
        ("absent.xlsx", lambda p: None, "no such file"),
    ],
)
def test_import_of_a_bad_file_names_it_and_writes_nothing(
    tmp_path: Path, name: str, make: Callable[[Path], object], reason: str
) -> None:
    path = tmp_path / name
    make(path)
    code, out, err = _run("catalogue", "import", str(path), "--release", "x-1", "-o", str(tmp_path / "std"))
    assert code == 1 and out == ""
    assert err.startswith(f"error: {path}: ") and reason in err
    assert not (tmp_path / "std").exists()


def test_import_of_an_encrypted_workbook_is_refused(tmp_path: Path, standards_root: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-untyped]

    plain = _export_shipped(standards_root, tmp_path / "plain.xlsx")
    secret = tmp_path / "secret.xlsx"
    with plain.open("rb") as source, secret.open("wb") as target:
        OOXMLFile(source).encrypt("Havering", target)
    code, _out, err = _run("catalogue", "import", str(secret), "--release", "x-1", "-o", str(tmp_path / "std"))
    assert code == 1
    assert err == f"error: {secret}: is protected with a password (encrypted); remove the password and try again\n"
    assert not (tmp_path / "std").exists()


def test_export_refuses_an_existing_file_a_broken_release_and_a_wrong_name(
    tmp_path: Path, standards_root: Path
) -> None:
    existing = tmp_path / "kept.xlsx"
    existing.write_bytes(b"someone's edits")
    code, _out, err = _run("catalogue", "export", str(standards_root / SHIPPED), "-o", str(existing))
    assert code == 1 and "already exists" in err and existing.read_bytes() == b"someone's edits"

    code, _out, err = _run("catalogue", "export", str(standards_root / SHIPPED), "-o", str(tmp_path / "x.csv"))
    assert code == 1 and "must be an .xlsx file" in err

    broken = tmp_path / "broken"
    shutil.copytree(standards_root / SHIPPED, broken)
    (broken / "CS.json").write_text("{}", encoding="utf-8")
    code, _out, err = _run("catalogue", "export", str(broken), "-o", str(tmp_path / "broken.xlsx"))
    assert code == 1
    assert err.splitlines()[0].startswith(f"error: {broken} has ") and "fix them before exporting" in err
    assert f"{broken / 'CS.json'}" in err
    assert not (tmp_path / "broken.xlsx").exists()

    code, _out, err = _run("catalogue", "export", str(tmp_path), "-o", str(tmp_path / "nothing.xlsx"))
    assert code == 1 and "is not a release folder" in err


def test_a_published_date_that_is_not_a_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        parse(["catalogue", "import", "x.xlsx", "--release", "x-1", "-o", "out", "--published", "31/03/2006"])
    assert exit_info.value.code == 2
    assert "'31/03/2006' is not a date in the form YYYY-MM-DD" in capsys.readouterr().err


def test_the_commands_run_as_a_real_process(tmp_path: Path, standards_root: Path) -> None:
    workbook = tmp_path / "nesds.xlsx"
    exported = subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "catalogue", "export", str(standards_root / SHIPPED), "-o",
         str(workbook)], capture_output=True, text=True, check=False,
    )
    assert exported.returncode == 0, exported.stderr
    imported = subprocess.run(
        [sys.executable, "-m", "nesds_desktop", "catalogue", "import", str(workbook), "--release", SHIPPED, "-o",
         str(tmp_path / "std")], capture_output=True, text=True, check=False,
    )
    assert imported.returncode == 0, imported.stderr
    assert read_release(tmp_path / "std" / SHIPPED).content_hash == read_release(standards_root / SHIPPED).content_hash
