"""Checks on an untrusted workbook before any spreadsheet parser sees it.

Spreadsheets arrive by email from people we do not control.  A spreadsheet
library will happily spend minutes and gigabytes unpacking a zip bomb, and it
gives unhelpful errors for encrypted or mislabelled files.  These checks read
the raw bytes only, so they are cheap, and each refusal names the file and
says what is wrong in words a council officer can act on.

The module uses the standard library only, so any importer (catalogue,
legacy returns) can run it before handing the checked bytes to its reader.
What was checked is what is parsed: the bytes are read once and returned.
"""

from __future__ import annotations

import struct
import zipfile
from dataclasses import dataclass
from enum import StrEnum
from io import BytesIO
from pathlib import Path

MEBIBYTE = 1024 * 1024

OLE2_SIGNATURE = bytes.fromhex("d0cf11e0a1b11ae1")
ZIP_SIGNATURE = b"PK\x03\x04"
EMPTY_ZIP_SIGNATURE = b"PK\x05\x06"
ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"


class WorkbookKind(StrEnum):
    """What a file really is, judged by its content rather than its name."""

    XLSX = "xlsx"  # Office Open XML workbook (.xlsx, .xlsm)
    XLSB = "xlsb"  # Office Open XML binary workbook
    XLS = "xls"  # Excel 97-2003 (BIFF8 in an OLE2 compound file)
    ODS = "ods"  # OpenDocument spreadsheet


@dataclass(frozen=True)
class SafetyLimits:
    """How much an untrusted workbook may cost to open.  Generous for real workbooks."""

    max_file_bytes: int = 50 * MEBIBYTE
    max_zip_entries: int = 10_000
    max_uncompressed_bytes: int = 250 * MEBIBYTE
    # Spreadsheet XML compresses about 5-20 times; a bomb compresses hundreds of times.
    max_compression_ratio: float = 100.0
    allow_macros: bool = True


DEFAULT_LIMITS = SafetyLimits()


@dataclass(frozen=True)
class CheckedWorkbook:
    """A workbook that passed the checks, with the exact bytes that were checked."""

    path: Path
    kind: WorkbookKind
    data: bytes
    has_macros: bool = False


class WorkbookRejectedError(Exception):
    """The file is not a workbook we are willing to open.  The message names the file."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


def check_workbook(path: Path, limits: SafetyLimits = DEFAULT_LIMITS) -> CheckedWorkbook:
    """Read ``path`` and check it is a plain, unencrypted spreadsheet of reasonable size.

    Raises :class:`WorkbookRejectedError` with a clear reason; returns the checked bytes.
    """
    data = _read_bounded(path, limits)
    if data.startswith(ZIP_SIGNATURE):
        return _check_zip_workbook(path, data, limits)
    if data.startswith(OLE2_SIGNATURE):
        return _check_ole2_workbook(path, data, limits)
    raise WorkbookRejectedError(path, _describe_unknown_content(data))


def _read_bounded(path: Path, limits: SafetyLimits) -> bytes:
    try:
        if not path.is_file():
            reason = "is a folder, not a workbook file" if path.exists() else "no such file"
            raise WorkbookRejectedError(path, reason)
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise WorkbookRejectedError(
                path,
                f"is {_megabytes(size)}, larger than the limit of {_megabytes(limits.max_file_bytes)} for a workbook",
            )
        with path.open("rb") as handle:
            # Read one byte past the limit in case the file grew since it was measured.
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise WorkbookRejectedError(path, f"cannot be read: {exc.strerror or exc}") from exc
    if len(data) > limits.max_file_bytes:
        limit = _megabytes(limits.max_file_bytes)
        raise WorkbookRejectedError(path, f"is larger than the limit of {limit} for a workbook")
    if not data:
        raise WorkbookRejectedError(path, "is empty (0 bytes)")
    return data


def _describe_unknown_content(data: bytes) -> str:
    if data.startswith(EMPTY_ZIP_SIGNATURE):
        return "is an empty zip archive, not a spreadsheet"
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<html", b"<!doctype html", b"<table")):
        return ("is a web page (HTML) saved with a spreadsheet name, not a real workbook; "
                "open it in a spreadsheet program and save it as .xlsx")
    if head.startswith(b"<?xml"):
        return ("is an XML file (perhaps an Excel 2003 XML spreadsheet), not a workbook this program reads; "
                "open it in a spreadsheet program and save it as .xlsx")
    if data.startswith(b"%PDF"):
        return "is a PDF document, not a spreadsheet"
    return "is not a spreadsheet: it is neither an Excel (.xlsx, .xls) nor an OpenDocument (.ods) workbook"


# --- zip based workbooks: .xlsx, .xlsm, .xlsb, .ods ---------------------------------------------


def _check_zip_workbook(path: Path, data: bytes, limits: SafetyLimits) -> CheckedWorkbook:
    try:
        archive = zipfile.ZipFile(BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookRejectedError(
            path, f"is damaged: it starts like a workbook but its zip structure cannot be read ({exc})"
        ) from exc
    with archive:
        entries = archive.infolist()
        _check_zip_sizes(path, data, entries, limits)
        names = {entry.filename for entry in entries}
        if any(entry.flag_bits & 0x1 for entry in entries):
            raise WorkbookRejectedError(path, "is protected with a password; remove the password and try again")
        kind = _zip_workbook_kind(path, archive, names)
        _check_zip_contents(path, archive, entries, limits)
        has_macros = any(name.lower().endswith("vbaproject.bin") for name in names)
        if kind is WorkbookKind.ODS:
            _check_ods_not_encrypted(path, archive, names)
            has_macros = has_macros or any(name.startswith("Basic/") for name in names)
    if has_macros:
        _check_macros_allowed(path, limits)
    return CheckedWorkbook(path, kind, data, has_macros)


def _check_zip_sizes(path: Path, data: bytes, entries: list[zipfile.ZipInfo], limits: SafetyLimits) -> None:
    """Refuse before decompressing anything, from what the zip directory declares."""
    if len(entries) > limits.max_zip_entries:
        raise WorkbookRejectedError(
            path, f"holds {len(entries):,} parts, more than the limit of {limits.max_zip_entries:,} for a workbook"
        )
    declared = sum(entry.file_size for entry in entries)
    _check_total_unpacked(path, declared, limits)
    _check_ratio(path, declared, len(data), limits)
    for entry in entries:
        # Small parts may compress well without costing anything; only large ones matter.
        if entry.file_size > MEBIBYTE:
            _check_ratio(path, entry.file_size, entry.compress_size, limits, entry.filename)


def _check_zip_contents(
    path: Path, archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo], limits: SafetyLimits
) -> None:
    """Unpack every part into nothing, counting bytes, so a directory that lies is caught too.

    ``zipfile`` stops each part at its declared size and then checks its CRC, so a
    part that unpacks to more than it declares fails the CRC check.
    """
    total = 0
    for entry in entries:
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(MEBIBYTE):
                    total += len(chunk)
                    _check_total_unpacked(path, total, limits)
        except WorkbookRejectedError:
            raise
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
            reason = f"is damaged: its part {entry.filename!r} cannot be unpacked ({exc})"
            raise WorkbookRejectedError(path, reason) from exc


def _check_total_unpacked(path: Path, size: int, limits: SafetyLimits) -> None:
    if size > limits.max_uncompressed_bytes:
        raise WorkbookRejectedError(
            path,
            f"unpacks to more than {_megabytes(limits.max_uncompressed_bytes)}, the limit for a workbook; "
            "it may be a zip bomb, so it was not opened",
        )


def _check_ratio(path: Path, unpacked: int, packed: int, limits: SafetyLimits, part: str = "") -> None:
    ratio = unpacked / max(packed, 1)
    if ratio > limits.max_compression_ratio:
        which = f"its part {part!r} " if part else ""
        raise WorkbookRejectedError(
            path,
            f"{which}unpacks to {ratio:,.0f} times its packed size, more than the limit of "
            f"{limits.max_compression_ratio:,.0f}; it may be a zip bomb, so it was not opened",
        )


def _zip_workbook_kind(path: Path, archive: zipfile.ZipFile, names: set[str]) -> WorkbookKind:
    if "mimetype" in names:
        mimetype = _read_small(archive, "mimetype", 200).decode("ascii", "replace").strip()
        if mimetype == ODS_MIMETYPE:
            if "content.xml" not in names:
                raise WorkbookRejectedError(path, "is damaged: an OpenDocument spreadsheet without content.xml")
            return WorkbookKind.ODS
        if mimetype.startswith("application/vnd.oasis.opendocument."):
            kind = mimetype.rsplit(".", 1)[-1]
            raise WorkbookRejectedError(path, f"is an OpenDocument {kind} document, not a spreadsheet")
    if "[Content_Types].xml" in names:
        if "xl/workbook.xml" in names:
            return WorkbookKind.XLSX
        if "xl/workbook.bin" in names:
            return WorkbookKind.XLSB
        if "word/document.xml" in names:
            raise WorkbookRejectedError(path, "is a Word document, not a spreadsheet")
        if "ppt/presentation.xml" in names:
            raise WorkbookRejectedError(path, "is a PowerPoint presentation, not a spreadsheet")
        raise WorkbookRejectedError(path, "is an Office file but holds no workbook (xl/workbook.xml is missing)")
    raise WorkbookRejectedError(path, "is a zip archive, not a spreadsheet (it holds no workbook)")


def _check_ods_not_encrypted(path: Path, archive: zipfile.ZipFile, names: set[str]) -> None:
    manifest = "META-INF/manifest.xml"
    if manifest in names and b"encryption-data" in _read_small(archive, manifest, 4 * MEBIBYTE):
        raise WorkbookRejectedError(path, "is protected with a password; remove the password and try again")


def _read_small(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with archive.open(name) as stream:
        return stream.read(limit)


def _check_macros_allowed(path: Path, limits: SafetyLimits) -> None:
    if not limits.allow_macros:
        raise WorkbookRejectedError(path, "contains macros; save it as a workbook without macros (.xlsx) and try again")


# --- OLE2 compound files: .xls, and encrypted Office Open XML -----------------------------------

_FREE_SECTOR = 0xFFFFFFFF
_END_OF_CHAIN = 0xFFFFFFFE
_LAST_REGULAR_SECTOR = 0xFFFFFFFA
_STORAGE, _STREAM = 1, 2
_BIFF_BOF, _BIFF_EOF, _BIFF_FILEPASS = 0x0809, 0x000A, 0x002F


def _check_ole2_workbook(path: Path, data: bytes, limits: SafetyLimits) -> CheckedWorkbook:
    try:
        compound = _CompoundFile(data)
        entries = compound.directory()
    except ValueError as exc:
        reason = f"is damaged: its Excel 97-2003 file structure cannot be read ({exc})"
        raise WorkbookRejectedError(path, reason) from exc
    names = {name for name, _kind, _start, _size in entries}
    if "EncryptedPackage" in names or "EncryptionInfo" in names:
        # Excel saves a password-protected .xlsx as an OLE2 file holding the encrypted package.
        raise WorkbookRejectedError(path, "is protected with a password (encrypted); remove the password and try again")
    streams = {name: (start, size) for name, kind, start, size in entries if kind == _STREAM}
    workbook = streams.get("Workbook") or streams.get("Book")
    if workbook is None:
        if "WordDocument" in names:
            raise WorkbookRejectedError(path, "is a Word document, not a spreadsheet")
        raise WorkbookRejectedError(path, "is an Office 97-2003 file but holds no workbook")
    if _biff_is_encrypted(compound, *workbook):
        raise WorkbookRejectedError(path, "is protected with a password (encrypted); remove the password and try again")
    has_macros = "_VBA_PROJECT_CUR" in names or "VBA" in names
    if has_macros:
        _check_macros_allowed(path, limits)
    return CheckedWorkbook(path, WorkbookKind.XLS, data, has_macros)


def _biff_is_encrypted(compound: _CompoundFile, start: int, size: int) -> bool:
    """True when the workbook globals carry a FILEPASS record (a password to open).

    Record headers stay in clear text in an encrypted BIFF8 file and FILEPASS comes
    straight after the opening BOF, so the first few kilobytes are enough.
    """
    if size < compound.mini_stream_cutoff:
        return False  # too small to hold a real workbook; the reader will report it
    head = compound.read_chain(start, 4096)
    offset = 0
    while offset + 4 <= len(head):
        record, length = struct.unpack_from("<HH", head, offset)
        if offset == 0 and record != _BIFF_BOF:
            return False
        if record == _BIFF_FILEPASS:
            return True
        if record == _BIFF_EOF:
            return False
        offset += 4 + length
    return False


class _CompoundFile:
    """Just enough of the Compound File Binary format to list entries and read a stream's start."""

    def __init__(self, data: bytes) -> None:
        if len(data) < 512:
            raise ValueError("the header is incomplete")
        self.data = data
        sector_shift = struct.unpack_from("<H", data, 30)[0]
        if sector_shift not in (9, 12):
            raise ValueError(f"unexpected sector size 2^{sector_shift}")
        self.sector_size = 1 << sector_shift
        self.sector_count = max(0, (len(data) - self.sector_size) // self.sector_size + 1)
        fat_sector_count, self.first_directory_sector = struct.unpack_from("<II", data, 44)
        self.mini_stream_cutoff = struct.unpack_from("<I", data, 56)[0]
        first_difat, difat_count = struct.unpack_from("<II", data, 68)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 76) if s < _LAST_REGULAR_SECTOR]
        sector = first_difat
        for _ in range(min(difat_count, self.sector_count)):
            if sector >= _LAST_REGULAR_SECTOR:
                break
            values = struct.unpack_from(f"<{self.sector_size // 4}I", self._sector(sector))
            fat_sectors.extend(s for s in values[:-1] if s < _LAST_REGULAR_SECTOR)
            sector = values[-1]
        if len(fat_sectors) < min(fat_sector_count, 1):
            raise ValueError("the allocation table is missing")
        self.fat: list[int] = []
        for fat_sector in fat_sectors[:fat_sector_count]:
            self.fat.extend(struct.unpack_from(f"<{self.sector_size // 4}I", self._sector(fat_sector)))

    def _sector(self, number: int) -> bytes:
        offset = (number + 1) * self.sector_size
        if number >= _LAST_REGULAR_SECTOR or offset + self.sector_size > len(self.data):
            raise ValueError(f"sector {number} lies outside the file")
        return self.data[offset : offset + self.sector_size]

    def read_chain(self, start: int, limit: int) -> bytes:
        """Up to ``limit`` bytes of the sector chain starting at ``start``."""
        parts: list[bytes] = []
        sector, read, steps = start, 0, 0
        while sector not in (_END_OF_CHAIN, _FREE_SECTOR) and read < limit:
            steps += 1
            if steps > self.sector_count or sector >= len(self.fat):
                raise ValueError("a sector chain is broken or loops")
            parts.append(self._sector(sector))
            read += self.sector_size
            sector = self.fat[sector]
        return b"".join(parts)[:limit]

    def directory(self) -> list[tuple[str, int, int, int]]:
        """(name, object type, start sector, size) of every directory entry in use."""
        raw = self.read_chain(self.first_directory_sector, len(self.data))
        entries: list[tuple[str, int, int, int]] = []
        for offset in range(0, len(raw) - 127, 128):
            name_length, kind = struct.unpack_from("<HB", raw, offset + 64)
            if kind not in (_STORAGE, _STREAM, 5) or not 2 <= name_length <= 64:
                continue
            name = raw[offset : offset + name_length - 2].decode("utf-16-le", "replace")
            start, size = struct.unpack_from("<IQ", raw, offset + 116)
            entries.append((name, kind, start, size & 0xFFFFFFFF if self.sector_size == 512 else size))
        if not entries:
            raise ValueError("the directory is empty")
        return entries


def _megabytes(size: int) -> str:
    return f"{size / MEBIBYTE:,.1f} MB"
