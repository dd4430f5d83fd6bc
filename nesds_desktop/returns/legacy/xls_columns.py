"""Hidden columns of an Excel 97-2003 (.xls) workbook, per sheet.

calamine reads the cells of an .xls but not whether a column is hidden, and a council
that hid a column (an old answer, a working-out column) did not mean it to be read.
The .xlsx and .ods readers find hidden columns in the package's XML; an .xls keeps them
in COLINFO records of a BIFF stream inside an OLE2 compound file, so this is a small
reader of just that much.  It uses the standard library only (olefile and xlrd are not
runtime dependencies), and the bytes arrive by email: every offset, length and sector
chain is checked, work is bounded by the size of the file, and nothing malformed raises.
"""

from __future__ import annotations

import codecs
import struct
from collections.abc import Iterator

__all__ = ["hidden_xls_columns"]

_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEADER_SIZE = 512
_HEADER_DIFAT_ENTRIES = 109
_MAX_REGULAR_SECTOR = 0xFFFFFFFA  # above this are the markers: end of chain, free, FAT, DIFAT
_END_OF_CHAIN = 0xFFFFFFFE
_NO_STREAM = 0xFFFFFFFF
_MINI_SECTOR_SIZE = 64
_MINI_STREAM_CUTOFF = 4096
_DIRECTORY_ENTRY_SIZE = 128
_STREAM, _ROOT = 2, 5

_BOF, _EOF = 0x0809, 0x000A
_BOUNDSHEET, _COLINFO, _CODEPAGE, _FILEPASS = 0x0085, 0x007D, 0x0042, 0x002F
_BIFF8 = 0x0600
_MAX_COLUMNS = 256  # BIFF5 and BIFF8 sheets have columns A to IV
_MAX_SHEETS = 4096  # far beyond Excel's own limits; stops a crafted file naming millions


class _MalformedError(Exception):
    """The file is not a compound file or BIFF stream this reader can trust."""


class _WorkLimitError(Exception):
    """Sheets overlap so much that walking them all would read the stream over and over."""


def hidden_xls_columns(data: bytes) -> dict[str, set[int]]:
    """Hidden columns per sheet of an .xls (0-based); empty for other formats or a damaged file.

    A sheet whose own part of the stream is damaged is left out, so the caller treats its
    columns as visible, as it would for any format it cannot see into.
    """
    if not data.startswith(_SIGNATURE):
        return {}
    try:
        stream = _CompoundFile(data).workbook_stream()
        return _hidden_columns(stream)
    except (_MalformedError, _WorkLimitError, struct.error, LookupError, ValueError):
        return {}


class _CompoundFile:
    """Just enough of [MS-CFB] to read one stream: header, DIFAT, FAT, directory, mini stream."""

    def __init__(self, data: bytes) -> None:
        if len(data) < _HEADER_SIZE:
            raise _MalformedError("shorter than a compound file header")
        self.data = data
        major, byte_order, sector_shift, mini_shift = struct.unpack_from("<HHHH", data, 0x1A)
        if byte_order != 0xFFFE or sector_shift not in (9, 12) or mini_shift != 6:
            raise _MalformedError("not a compound file header")
        self.major: int = major
        self.sector_size: int = 1 << sector_shift
        # Sector n starts at (n + 1) * sector size; the header fills sector -1.
        self.sector_count: int = max(0, -(-(len(data) - self.sector_size) // self.sector_size))
        fat_count, first_directory, _, cutoff, first_mini_fat, _, first_difat = struct.unpack_from("<7I", data, 0x2C)
        self.first_directory: int = first_directory
        self.first_mini_fat: int = first_mini_fat
        if cutoff != _MINI_STREAM_CUTOFF:
            raise _MalformedError("unexpected mini stream cutoff")
        if fat_count > self.sector_count:
            raise _MalformedError("more FAT sectors than the file holds")
        self.fat_sectors = self._difat(fat_count, first_difat)

    def _difat(self, fat_count: int, first_difat: int) -> list[int]:
        """The FAT's own sectors: 109 in the header, the rest in a chain of DIFAT sectors."""
        sectors = list(struct.unpack_from(f"<{_HEADER_DIFAT_ENTRIES}I", self.data, 0x4C))
        per_sector = self.sector_size // 4 - 1  # the last entry links to the next DIFAT sector
        current, seen = first_difat, set[int]()
        # The chain, not the header's count of DIFAT sectors, is followed; distinct sectors bound it.
        while len(sectors) < fat_count and current <= _MAX_REGULAR_SECTOR:
            if current in seen or current >= self.sector_count:
                raise _MalformedError("DIFAT chain broken or looping")
            seen.add(current)
            offset = self._offset(current)
            sectors.extend(struct.unpack_from(f"<{per_sector}I", self.data, offset))
            (current,) = struct.unpack_from("<I", self.data, offset + per_sector * 4)
        if len(sectors) < fat_count:
            raise _MalformedError("DIFAT lists fewer FAT sectors than the header declares")
        fat = sectors[:fat_count]
        if any(sector >= self.sector_count for sector in fat):
            raise _MalformedError("FAT sector outside the file")
        return fat

    def _offset(self, sector: int) -> int:
        if sector >= self.sector_count:
            raise _MalformedError("sector outside the file")
        return (sector + 1) * self.sector_size

    def _next(self, sector: int) -> int:
        per_sector = self.sector_size // 4
        index, position = divmod(sector, per_sector)
        if index >= len(self.fat_sectors):
            raise _MalformedError("sector not covered by the FAT")
        (following,) = struct.unpack_from("<I", self.data, self._offset(self.fat_sectors[index]) + position * 4)
        return int(following)

    def _chain(self, start: int, limit: int) -> list[int]:
        """The sectors of a chain, at most ``limit`` of them; a loop or a bad link is malformed."""
        chain: list[int] = []
        seen: set[int] = set()
        current = start
        while current != _END_OF_CHAIN and len(chain) < limit:
            if current > _MAX_REGULAR_SECTOR or current in seen:
                raise _MalformedError("sector chain broken or looping")
            seen.add(current)
            chain.append(current)
            current = self._next(current)
        return chain

    def _sectors(self, chain: list[int]) -> bytes:
        # The last sector may be short when a writer did not pad the file; callers check lengths.
        return b"".join(self.data[self._offset(s):self._offset(s) + self.sector_size] for s in chain)

    def _read(self, start: int, size: int) -> bytes:
        """``size`` bytes of the chain from ``start`` in the regular FAT."""
        needed = -(-size // self.sector_size)
        if needed > self.sector_count:
            raise _MalformedError("stream larger than the file")
        content = self._sectors(self._chain(start, needed))[:size]
        if len(content) < size:
            raise _MalformedError("stream shorter than its directory entry says")
        return content

    def _read_mini(self, root_start: int, root_size: int, start: int, size: int) -> bytes:
        """``size`` bytes of the chain from ``start`` in the mini FAT, inside the root's mini stream."""
        mini_fat = self._sectors(self._chain(self.first_mini_fat, self.sector_count))
        mini_stream = self._read(root_start, root_size)
        content = bytearray()
        current, seen = start, set[int]()
        while len(content) < size:
            offset = current * _MINI_SECTOR_SIZE
            if current in seen or (current + 1) * 4 > len(mini_fat) or offset >= len(mini_stream):
                raise _MalformedError("mini sector chain broken, looping or outside the mini stream")
            seen.add(current)
            content += mini_stream[offset:offset + _MINI_SECTOR_SIZE]
            (current,) = struct.unpack_from("<I", mini_fat, current * 4)
        return bytes(content[:size])

    def _entries(self) -> list[tuple[str, int, int, int, int, int, int]]:
        """Directory entries: name, type, left, right, child, first sector, size."""
        directory = self._sectors(self._chain(self.first_directory, self.sector_count))
        entries = []
        for offset in range(0, len(directory) - _DIRECTORY_ENTRY_SIZE + 1, _DIRECTORY_ENTRY_SIZE):
            name_length, kind = struct.unpack_from("<HB", directory, offset + 0x40)
            left, right, child = struct.unpack_from("<3I", directory, offset + 0x44)
            start, size = struct.unpack_from("<IQ", directory, offset + 0x74)
            if self.major == 3:
                size &= 0xFFFFFFFF  # version 3 writers may leave junk in the high half
            name_bytes = directory[offset:offset + min(max(name_length - 2, 0), 62)]
            name = name_bytes.decode("utf-16-le", "replace")
            entries.append((name, kind, left, right, child, start, size))
        if not entries or entries[0][1] != _ROOT:
            raise _MalformedError("no root entry")
        return entries

    def workbook_stream(self) -> bytes:
        """The BIFF stream: "Workbook" (Excel 97 onwards) or else "Book" (Excel 5 and 95)."""
        entries = self._entries()
        root_start, root_size = entries[0][5], entries[0][6]
        # Only the root's own children: an embedded workbook lives in a storage of its own.
        children: dict[str, tuple[int, int]] = {}
        pending, seen = [entries[0][4]], set[int]()
        while pending:
            index = pending.pop()
            if index == _NO_STREAM or index in seen or index >= len(entries):
                continue
            seen.add(index)
            name, kind, left, right, _, start, size = entries[index]
            if kind == _STREAM:
                children.setdefault(name.casefold(), (start, size))
            pending.extend((left, right))
        found = children.get("workbook") or children.get("book")
        if found is None:
            raise _MalformedError("no Workbook stream")
        start, size = found
        if size > len(self.data):
            raise _MalformedError("stream larger than the file")
        if size < _MINI_STREAM_CUTOFF:
            return self._read_mini(root_start, root_size, start, size)
        return self._read(start, size)


class _Biff:
    """The records of one BIFF stream, substream by substream, within a budget of bytes walked."""

    _KEPT = frozenset({_BOF, _BOUNDSHEET, _COLINFO, _CODEPAGE})  # the only payloads anyone reads

    def __init__(self, stream: bytes) -> None:
        self.stream = stream
        # Real sheets never overlap, so all of them together are at most the stream once over.
        self.budget = len(stream)

    def records(self, offset: int) -> Iterator[tuple[int, int, bytes]]:
        """Kind, nesting depth and payload of each record from the BOF at ``offset`` to its EOF.

        An embedded chart is a substream inside the sheet's, so BOF and EOF nest.
        """
        stream, depth = self.stream, 0
        while True:
            if offset + 4 > len(stream):
                raise _MalformedError("substream runs off the end of the stream")
            kind, length = struct.unpack_from("<HH", stream, offset)
            end = offset + 4 + length
            if end > len(stream):
                raise _MalformedError("record runs off the end of the stream")
            if depth == 0 and kind != _BOF:
                raise _MalformedError("substream does not start with BOF")
            self.budget -= end - offset
            if self.budget < 0:
                raise _WorkLimitError
            if kind == _BOF:
                depth += 1
            yield kind, depth, stream[offset + 4:end] if kind in self._KEPT else b""
            if kind == _EOF:
                depth -= 1
                if depth == 0:
                    return
            offset = end


def _hidden_columns(stream: bytes) -> dict[str, set[int]]:
    biff = _Biff(stream)
    biff8 = False
    codepage = 1252
    sheets: list[tuple[bytes | str, int]] = []
    for kind, _, payload in biff.records(0):
        if kind == _FILEPASS:
            return {}  # encrypted: the names and the COLINFO records are ciphertext
        if kind == _BOF:
            biff8 = payload[:2] == struct.pack("<H", _BIFF8)
        elif kind == _CODEPAGE and len(payload) >= 2:
            codepage = struct.unpack_from("<H", payload)[0]
        elif kind == _BOUNDSHEET and len(sheets) < _MAX_SHEETS:
            sheets.append(_boundsheet(payload, biff8))
    encoding = _encoding(codepage)
    hidden: dict[str, set[int]] = {}
    by_offset: dict[int, set[int] | None] = {}  # sheets sharing an offset are walked once
    for raw_name, position in sheets:
        if position not in by_offset:
            try:
                by_offset[position] = _sheet_hidden_columns(biff, position)
            except (_MalformedError, struct.error):
                by_offset[position] = None  # this sheet only: the others may be sound
        columns = by_offset[position]
        if columns is not None:
            name = raw_name if isinstance(raw_name, str) else raw_name.decode(encoding, "replace")
            hidden.setdefault(name, set()).update(columns)
    return hidden


def _boundsheet(payload: bytes, biff8: bool) -> tuple[bytes | str, int]:
    """A sheet's name (text in BIFF8, code-page bytes before) and the offset of its BOF."""
    position, _, length = struct.unpack_from("<IHB", payload)
    if not biff8:
        name = payload[7:7 + length]
        if len(name) < length:
            raise _MalformedError("sheet name runs past its record")
        return name, position
    high_byte = len(payload) > 7 and payload[7] & 1
    raw = payload[8:8 + length * (2 if high_byte else 1)]
    if len(raw) < length * (2 if high_byte else 1):
        raise _MalformedError("sheet name runs past its record")
    # Without the high byte the characters are UTF-16 with their zero high bytes dropped: Latin-1.
    return raw.decode("utf-16-le" if high_byte else "latin-1", "replace"), position


def _sheet_hidden_columns(biff: _Biff, position: int) -> set[int]:
    columns: set[int] = set()
    for kind, depth, payload in biff.records(position):
        if kind == _COLINFO and depth == 1 and len(payload) >= 10:
            first, last, _, _, flags = struct.unpack_from("<5H", payload)
            if flags & 1:
                # Excel and LibreOffice write a last range ending at 256, one past column IV.
                columns.update(range(first, min(last, _MAX_COLUMNS - 1) + 1))
    return columns


def _encoding(codepage: int) -> str:
    """The Python codec for an Excel 5/95 code page; Windows Western when unknown."""
    name = {367: "ascii", 1200: "utf-16-le", 10000: "mac_roman", 32768: "mac_roman", 32769: "cp1252"}.get(
        codepage, f"cp{codepage}"
    )
    try:
        return codecs.lookup(name).name
    except LookupError:
        return "cp1252"
