"""The checks run on an untrusted workbook before any parser sees it, each on a real file."""

from __future__ import annotations

import io
import random
import struct
import zipfile
from pathlib import Path

import pytest

from nesds_desktop.catalogue.workbook_safety import (
    MEBIBYTE,
    SafetyLimits,
    WorkbookKind,
    WorkbookRejectedError,
    check_workbook,
)


def _xlsx(path: Path, extra: dict[str, bytes] | None = None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Reference"
    workbook.active["B1"] = "Statement"
    workbook.save(path)
    if extra:
        with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
            for name, data in extra.items():
                archive.writestr(name, data)
    return path


def _xls(path: Path) -> Path:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook()
    sheet = book.add_sheet("ICT")
    sheet.write(0, 0, "Reference")
    sheet.write(0, 1, "Statement")
    book.save(str(path))
    return path


def _zip(path: Path, entries: dict[str, bytes], first_stored: str | None = None) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        if first_stored is not None:
            archive.writestr(zipfile.ZipInfo(first_stored), entries.pop(first_stored), zipfile.ZIP_STORED)
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def _rejected(path: Path, limits: SafetyLimits | None = None) -> str:
    with pytest.raises(WorkbookRejectedError) as caught:
        check_workbook(path, limits) if limits else check_workbook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), "every refusal names the file"
    return message


# --- accepted ------------------------------------------------------------------------------------


def test_a_real_xlsx_passes_and_the_checked_bytes_are_the_file(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "catalogue.xlsx")
    checked = check_workbook(path)
    assert checked.kind is WorkbookKind.XLSX
    assert checked.data == path.read_bytes()
    assert not checked.has_macros


def test_a_real_xls_passes(tmp_path: Path) -> None:
    checked = check_workbook(_xls(tmp_path / "legacy.xls"))
    assert checked.kind is WorkbookKind.XLS


def test_a_real_ods_passes(tmp_path: Path) -> None:
    path = _zip(
        tmp_path / "catalogue.ods",
        {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>",
         "META-INF/manifest.xml": b"<manifest/>"},
        first_stored="mimetype",
    )
    assert check_workbook(path).kind is WorkbookKind.ODS


def test_the_content_decides_the_kind_not_the_name(tmp_path: Path) -> None:
    renamed = tmp_path / "really-an-xlsx.xls"
    renamed.write_bytes(_xlsx(tmp_path / "a.xlsx").read_bytes())
    assert check_workbook(renamed).kind is WorkbookKind.XLSX


def test_macros_are_noticed_and_refused_when_not_allowed(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "disguised.xlsx", {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 fake vba"})
    assert check_workbook(path).has_macros
    message = _rejected(path, SafetyLimits(allow_macros=False))
    assert "contains macros" in message


# --- size and content ----------------------------------------------------------------------------


def test_a_file_over_the_default_50_mb_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(50 * MEBIBYTE + 1)  # sparse: costs no disk
    assert "larger than the limit of 50.0 MB" in _rejected(path)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.xlsx", b"", "is empty"),
        ("notes.xlsx", b"Reference,Statement\nICT-1-M1,Something\n", "is not a spreadsheet"),
        ("export.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "web page (HTML)"),
        ("excel2003.xls", b'<?xml version="1.0"?><Workbook/>', "XML file"),
        ("report.xlsx", b"%PDF-1.7\n%\xe2\xe3", "PDF document"),
        ("empty-zip.xlsx", b"PK\x05\x06" + b"\0" * 18, "empty zip archive"),
        ("random.ods", bytes(range(256)) * 4, "is not a spreadsheet"),
    ],
)
def test_files_that_are_not_spreadsheets_are_named_and_refused(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert expected in _rejected(path)


def test_a_missing_file_and_a_folder_are_refused(tmp_path: Path) -> None:
    assert "no such file" in _rejected(tmp_path / "absent.xlsx")
    (tmp_path / "folder.xlsx").mkdir()
    assert "is a folder" in _rejected(tmp_path / "folder.xlsx")


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ({"readme.txt": b"hello"}, "zip archive, not a spreadsheet"),
        ({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}, "Word document"),
        ({"[Content_Types].xml": b"<Types/>", "docProps/app.xml": b"<a/>"}, "holds no workbook"),
    ],
)
def test_zip_files_without_a_workbook_are_refused(tmp_path: Path, entries: dict[str, bytes], expected: str) -> None:
    assert expected in _rejected(_zip(tmp_path / "thing.xlsx", entries))


def test_an_opendocument_text_named_ods_is_refused(tmp_path: Path) -> None:
    entries = {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
    path = _zip(tmp_path / "letter.ods", entries, first_stored="mimetype")
    assert "OpenDocument text document, not a spreadsheet" in _rejected(path)


def test_a_truncated_xlsx_is_reported_as_damaged(tmp_path: Path) -> None:
    whole = _xlsx(tmp_path / "whole.xlsx").read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(whole[: len(whole) // 2])
    assert "is damaged" in _rejected(path)


# --- zip bombs -----------------------------------------------------------------------------------


def test_a_part_that_unpacks_hundreds_of_times_its_size_is_a_zip_bomb(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "bomb.xlsx", {"xl/worksheets/sheet2.xml": b"<row/>" * (4 * MEBIBYTE)})
    assert path.stat().st_size < 200_000
    message = _rejected(path)
    assert "times its packed size" in message and "zip bomb" in message


def test_the_total_unpacked_size_is_limited(tmp_path: Path) -> None:
    incompressible = random.Random(2006).randbytes(2 * MEBIBYTE)
    path = _xlsx(tmp_path / "big.xlsx", {"xl/media/photo.jpeg": incompressible})
    assert check_workbook(path).kind is WorkbookKind.XLSX
    message = _rejected(path, SafetyLimits(max_uncompressed_bytes=MEBIBYTE))
    assert "unpacks to more than 1.0 MB" in message


def test_too_many_parts_are_refused(tmp_path: Path) -> None:
    entries = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}
    entries.update({f"xl/media/image{i}.png": b"" for i in range(10_000)})
    assert "holds 10,002 parts, more than the limit of 10,000" in _rejected(_zip(tmp_path / "parts.xlsx", entries))


def test_a_zip_directory_that_understates_sizes_is_caught_by_unpacking(tmp_path: Path) -> None:
    """A bomb can declare tiny sizes; unpacking against the declared size then fails its CRC."""
    path = _xlsx(tmp_path / "liar.xlsx")
    data = bytearray(path.read_bytes())
    target = b"xl/workbook.xml"
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        local_header = archive.getinfo(target.decode()).header_offset
    struct.pack_into("<I", data, local_header + 22, 10)  # local header: uncompressed size
    central = data.find(b"PK\x01\x02")
    patched = 0
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_length]) == target:
            struct.pack_into("<I", data, central + 24, 10)  # central directory: uncompressed size
            patched += 1
        central = data.find(b"PK\x01\x02", central + 4)
    assert patched == 1
    path.write_bytes(bytes(data))
    assert "is damaged: its part 'xl/workbook.xml' cannot be unpacked" in _rejected(path)


# --- encryption ----------------------------------------------------------------------------------


def test_a_password_protected_xlsx_is_refused(tmp_path: Path) -> None:
    from msoffcrypto.format.ooxml import OOXMLFile  # type: ignore[import-untyped]

    plain = _xlsx(tmp_path / "plain.xlsx")
    encrypted = tmp_path / "secret.xlsx"
    with plain.open("rb") as source, encrypted.open("wb") as target:
        OOXMLFile(source).encrypt("Havering2006", target)
    assert encrypted.read_bytes()[:8] == bytes.fromhex("d0cf11e0a1b11ae1")
    assert "is protected with a password" in _rejected(encrypted)


def test_a_password_protected_xls_is_refused(tmp_path: Path) -> None:
    """An .xls with a password to open carries a FILEPASS record straight after its BOF."""
    path = _xls(tmp_path / "locked.xls")
    data = bytearray(path.read_bytes())
    bof = data.find(bytes.fromhex("0908100000060500"))  # BOF, BIFF8, workbook globals
    assert bof > 0
    assert check_workbook(path).kind is WorkbookKind.XLS
    struct.pack_into("<H", data, bof + 20, 0x002F)  # the record after BOF becomes FILEPASS
    path.write_bytes(bytes(data))
    assert "is protected with a password" in _rejected(path)


def test_a_zip_with_encrypted_parts_is_refused(tmp_path: Path) -> None:
    path = _xlsx(tmp_path / "zipcrypto.xlsx")
    data = bytearray(path.read_bytes())
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        position = 0
        while (position := data.find(signature, position)) >= 0:
            data[position + flag_offset] |= 0x01
            position += 4
    path.write_bytes(bytes(data))
    assert "is protected with a password" in _rejected(path)


def test_an_encrypted_ods_is_refused(tmp_path: Path) -> None:
    manifest = (b'<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                b'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                b'<manifest:encryption-data manifest:checksum-type="SHA1/1K" manifest:checksum="x"/>'
                b"</manifest:file-entry></manifest:manifest>")
    path = _zip(tmp_path / "secret.ods", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                          "content.xml": b"\x00\x01", "META-INF/manifest.xml": manifest},
                first_stored="mimetype")
    assert "is protected with a password" in _rejected(path)


def test_a_damaged_ole2_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "broken.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\xff" * 700)
    assert "is damaged" in _rejected(path)
