"""Hidden columns of .xls workbooks: files written by xlwt and LibreOffice, compound files built
here to reach the corners (mini stream, extra DIFAT sectors, 4096-byte sectors, Excel 95's "Book"
stream), and damaged or hostile bytes, which must come back as an empty answer, never an error.
"""

from __future__ import annotations

import os
import random
import shutil
import struct
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from legacy_files import write_ods, write_xlsx
from python_calamine import CalamineWorkbook

from nesds_desktop.returns.legacy.xls_columns import hidden_xls_columns

SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
FREE, END, FAT_SECTOR, DIFAT_SECTOR = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
NO_ENTRY = 0xFFFFFFFF
BOF, EOF, BOUNDSHEET, COLINFO, CODEPAGE, FILEPASS = 0x0809, 0x000A, 0x0085, 0x007D, 0x0042, 0x002F

# -- real files: xlwt ----------------------------------------------------------------------------------

XLWT_SHEETS: dict[str, set[int]] = {
    "Plain": set(),
    "Café": {0, 3},  # Latin-1: stored with the high bytes dropped
    "Café ✓": {2, 3, 4, 5, 6},  # not Latin-1: stored as UTF-16
    "Edge": {254, 255},  # the last columns, IU and IV
}


def xlwt_workbook(sheets: Mapping[str, set[int]]) -> bytes:
    import xlwt  # type: ignore[import-untyped]

    book = xlwt.Workbook(encoding="utf-8")
    for name, hidden in sheets.items():
        sheet = book.add_sheet(name)
        sheet.write(0, 0, f"{name} data")
        for column in range(8):
            sheet.col(column).width = 3000  # a COLINFO record for visible columns too
        for column in hidden:
            sheet.col(column).hidden = True
    out = BytesIO()
    book.save(out)
    return out.getvalue()


@cache
def xlwt_sample() -> bytes:
    return xlwt_workbook(XLWT_SHEETS)


def test_xlwt_workbook_hidden_columns_per_sheet() -> None:
    data = xlwt_sample()
    assert hidden_xls_columns(data) == XLWT_SHEETS
    # The names are the ones calamine reports, so the reader can look the sheets up by them.
    assert CalamineWorkbook.from_filelike(BytesIO(data)).sheet_names == list(XLWT_SHEETS)


def test_xlwt_workbook_with_nothing_hidden() -> None:
    assert hidden_xls_columns(xlwt_workbook({"Only": set()})) == {"Only": set()}


# -- real files: LibreOffice -----------------------------------------------------------------------------


def libreoffice(arguments: list[str], profile: Path, timeout: float = 180) -> None:
    """LibreOffice headless with a profile of its own (as tests/returns/return_support.py runs it)."""
    program = shutil.which("soffice") or shutil.which("libreoffice")
    assert program, "LibreOffice (package libreoffice-calc-nogui) is needed for this test"
    command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", *arguments]
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, result.stderr


@pytest.mark.slow
def test_libreoffice_keeps_the_hidden_columns_of_an_xlsx_in_its_xls(tmp_path: Path) -> None:
    rows = [["Ref", "Criterion", "Old answer", "Working", "Draft", "Met?", "Comments"],
            ["1", "A", "x", "y", "z", "Yes", "Seen"]]
    source = write_xlsx(
        tmp_path / "hidden.xlsx",
        {"Café ✓": rows, "Plain": rows, "Last": rows},
        hidden_columns=[("Café ✓", "C"), ("Café ✓", "D"), ("Café ✓", "E"), ("Last", "B"), ("Last", "G")],
    )
    out = tmp_path / "out"
    libreoffice(["--convert-to", "xls", "--outdir", str(out), str(source)], tmp_path / "profile")
    data = (out / "hidden.xls").read_bytes()
    assert data.startswith(SIGNATURE)
    assert hidden_xls_columns(data) == {"Café ✓": {2, 3, 4}, "Plain": set(), "Last": {1, 6}}


# -- compound files built here ---------------------------------------------------------------------------

Tree = Mapping[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int = END
    size: int = 0
    child: int = NO_ENTRY
    right: int = NO_ENTRY


def compound(tree: Tree, *, sector_size: int = 512, min_fat_sectors: int = 1) -> bytes:
    """A compound file holding ``tree`` (streams under 4096 bytes in the mini stream, as [MS-CFB] says)."""
    per_sector = sector_size // 4
    sectors: list[bytes] = []
    fat: list[int] = []
    mini = bytearray()
    mini_fat: list[int] = []

    def allocate(data: bytes) -> int:
        if not data:
            return END
        first, count = len(sectors), -(-len(data) // sector_size)
        for i in range(count):
            sectors.append(data[i * sector_size:(i + 1) * sector_size].ljust(sector_size, b"\0"))
            fat.append(first + i + 1 if i < count - 1 else END)
        return first

    def place(data: bytes) -> int:
        if len(data) >= 4096:
            return allocate(data)
        if not data:
            return END
        first, count = len(mini) // 64, -(-len(data) // 64)
        mini.extend(data.ljust(count * 64, b"\0"))
        mini_fat.extend(first + i + 1 if i < count - 1 else END for i in range(count))
        return first

    entries = [_Entry("Root Entry", 5)]

    def add(children: Tree, parent: int) -> None:
        previous: int | None = None
        for name, content in children.items():
            index = len(entries)
            if isinstance(content, bytes):
                entries.append(_Entry(name, 2, place(content), len(content)))
            else:
                entries.append(_Entry(name, 1))
                add(content, index)
            if previous is None:
                entries[parent].child = index
            else:
                entries[previous].right = index
            previous = index

    add(tree, 0)
    entries[0].start, entries[0].size = allocate(bytes(mini)), len(mini)
    first_mini_fat = allocate(struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(sector_size, b"\xff")
                              if mini_fat else b"")
    directory = b"".join(
        (e.name.encode("utf-16-le") + b"\0\0").ljust(64, b"\0")
        + struct.pack("<HBB3I", (len(e.name) + 1) * 2, e.kind, 1, NO_ENTRY, e.right, e.child)
        + bytes(36) + struct.pack("<IQ", e.start, e.size)
        for e in entries
    )
    per_directory_sector = sector_size // 128
    padding = -len(entries) % per_directory_sector
    empty = bytes(64) + struct.pack("<HBB3I", 0, 0, 0, NO_ENTRY, NO_ENTRY, NO_ENTRY) + bytes(36) + bytes(12)
    first_directory = allocate(directory + empty * padding)
    directory_sectors = (len(entries) + padding) // per_directory_sector

    fat_count = min_fat_sectors
    while True:
        difat_count = max(0, -(-(fat_count - 109) // (per_sector - 1)))
        if fat_count * per_sector >= len(sectors) + fat_count + difat_count:
            break
        fat_count += 1
    fat_start, difat_start = len(sectors), len(sectors) + fat_count
    fat += [FAT_SECTOR] * fat_count + [DIFAT_SECTOR] * difat_count
    fat += [FREE] * (fat_count * per_sector - len(fat))
    fat_positions = list(range(fat_start, fat_start + fat_count))
    difat_sectors = b""
    for j in range(difat_count):
        chunk = fat_positions[109 + j * (per_sector - 1):109 + (j + 1) * (per_sector - 1)]
        following = difat_start + j + 1 if j < difat_count - 1 else END
        chunk_entries = [*chunk, *[FREE] * (per_sector - 1 - len(chunk)), following]
        difat_sectors += struct.pack(f"<{per_sector}I", *chunk_entries)
    header_difat = fat_positions[:109] + [FREE] * (109 - min(fat_count, 109))
    header = struct.pack(
        "<8s16sHHHHH6s9I109I", SIGNATURE, bytes(16), 0x3E, 3 if sector_size == 512 else 4, 0xFFFE,
        sector_size.bit_length() - 1, 6, bytes(6), 0 if sector_size == 512 else directory_sectors, fat_count,
        first_directory, 0, 4096, first_mini_fat, -(-len(mini_fat) * 4 // sector_size),
        difat_start if difat_count else END, difat_count, *header_difat,
    ).ljust(sector_size, b"\0")
    return header + b"".join(sectors) + struct.pack(f"<{len(fat)}I", *fat) + difat_sectors


def record(kind: int, payload: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(payload)) + payload


def colinfo(first: int, last: int, hidden: bool) -> bytes:
    return record(COLINFO, struct.pack("<6H", first, last, 2500, 15, 1 if hidden else 0, 0))


def bof(kind: int, biff8: bool = True) -> bytes:
    return record(BOF, struct.pack("<HH", 0x0600 if biff8 else 0x0500, kind) + bytes(12 if biff8 else 4))


def biff_stream(
    sheets: Sequence[tuple[str, Sequence[bytes]]],
    *,
    biff8: bool = True,
    codepage: int = 1200,
    name_encoding: str = "cp1252",
    globals_records: Sequence[bytes] = (),
    pad_to: int = 0,
) -> bytes:
    """A workbook stream: the globals (BOF, CODEPAGE, BOUNDSHEETs, EOF), then each sheet's records."""

    def name_bytes(name: str) -> bytes:
        if not biff8:
            encoded = name.encode(name_encoding)
            return bytes([len(encoded)]) + encoded
        if all(ord(c) < 256 for c in name):
            return bytes([len(name), 0]) + name.encode("latin-1")
        encoded = name.encode("utf-16-le")
        return bytes([len(encoded) // 2, 1]) + encoded

    names = [name_bytes(name) for name, _ in sheets]
    bodies = [bof(0x0010, biff8) + b"".join(body) + record(EOF) for _, body in sheets]
    head = bof(0x0005, biff8) + record(CODEPAGE, struct.pack("<H", codepage)) + b"".join(globals_records)
    position = len(head) + sum(4 + 6 + len(name) for name in names) + len(record(EOF))
    for name, body in zip(names, bodies, strict=True):
        head += record(BOUNDSHEET, struct.pack("<IH", position, 0) + name)
        position += len(body)
    stream = head + record(EOF) + b"".join(bodies)
    return stream.ljust(pad_to, b"\0")


CHART = [bof(0x0020), colinfo(0, 9, True), record(EOF)]  # an embedded chart's substream, inside a sheet
CRAFTED_SHEETS: list[tuple[str, Sequence[bytes]]] = [
    ("Return", [colinfo(0, 1, False), colinfo(3, 5, True), colinfo(6, 256, False)]),
    ("Tail", [colinfo(250, 256, True)]),  # LibreOffice's last range ends one past column IV
    ("With chart", [colinfo(1, 1, True), *CHART, colinfo(7, 7, True)]),
    ("Backwards", [colinfo(9, 4, True)]),
    ("Жовтень ✓", []),
]
CRAFTED_EXPECTED = {
    "Return": {3, 4, 5}, "Tail": set(range(250, 256)), "With chart": {1, 7}, "Backwards": set(), "Жовтень ✓": set(),
}


@cache
def crafted_samples() -> dict[str, bytes]:
    small, large = biff_stream(CRAFTED_SHEETS), biff_stream(CRAFTED_SHEETS, pad_to=6000)
    assert len(small) < 4096
    return {
        "mini stream": compound({"Workbook": small}),
        "regular stream": compound({"\x05SummaryInformation": bytes(200), "Workbook": large}),
        "extra DIFAT sectors": compound({"Workbook": large}, min_fat_sectors=300),
        "4096-byte sectors": compound({"Workbook": large}, sector_size=4096),
        "4096-byte sectors, mini stream": compound({"Workbook": small}, sector_size=4096),
    }


def test_the_compound_files_built_here_are_valid() -> None:
    import olefile  # type: ignore[import-untyped]

    for label, data in crafted_samples().items():
        with olefile.OleFileIO(data) as ole:
            stream = ole.openstream("Workbook").read()
        assert stream.startswith(biff_stream(CRAFTED_SHEETS)), label
    extra = crafted_samples()["extra DIFAT sectors"]
    assert struct.unpack_from("<I", extra, 0x48)[0] > 0  # the test really needs DIFAT sectors


@pytest.mark.parametrize("label", ["mini stream", "regular stream", "extra DIFAT sectors", "4096-byte sectors",
                                   "4096-byte sectors, mini stream"])
def test_compound_file_layouts(label: str) -> None:
    assert hidden_xls_columns(crafted_samples()[label]) == CRAFTED_EXPECTED


@pytest.mark.parametrize(("codepage", "encoding", "name"),
                         [(1252, "cp1252", "Café"), (1251, "cp1251", "Лист1"), (10000, "mac_roman", "Résumé")])
def test_excel_95_book_stream_names_in_its_code_page(codepage: int, encoding: str, name: str) -> None:
    stream = biff_stream([(name, [colinfo(2, 3, True)])], biff8=False, codepage=codepage, name_encoding=encoding)
    assert hidden_xls_columns(compound({"Book": stream})) == {name: {2, 3}}


def test_workbook_is_preferred_to_book_and_embedded_workbooks_are_ignored() -> None:
    outer = biff_stream([("Outer", [colinfo(1, 1, True)])])
    inner = biff_stream([("Embedded", [colinfo(2, 2, True)])])
    old = biff_stream([("Old", [colinfo(3, 3, True)])], biff8=False, codepage=1252)
    data = compound({"MBD0001A2B3": {"Workbook": inner}, "Book": old, "Workbook": outer})
    assert hidden_xls_columns(data) == {"Outer": {1}}
    assert hidden_xls_columns(compound({"MBD0001A2B3": {"Workbook": inner}})) == {}


def test_a_damaged_sheet_is_left_out_and_the_others_kept() -> None:
    stream = bytearray(biff_stream([("Good", [colinfo(1, 1, True)]), ("Bad", [colinfo(2, 2, True)])]))
    # Point the second sheet's BOUNDSHEET past the end of the stream.
    second = stream.index(b"Bad") - 8 - 4
    struct.pack_into("<I", stream, second + 4, 60_000)
    assert hidden_xls_columns(compound({"Workbook": bytes(stream)})) == {"Good": {1}}


def test_an_encrypted_workbook_gives_nothing() -> None:
    stream = biff_stream([("Secret", [colinfo(1, 1, True)])], globals_records=[record(FILEPASS, bytes(54))])
    assert hidden_xls_columns(compound({"Workbook": stream})) == {}


# -- not .xls, damaged and hostile input --------------------------------------------------------------------


def test_other_formats_give_nothing(tmp_path: Path) -> None:
    rows = [["Ref", "Met?"], ["1", "Yes"]]
    xlsx = write_xlsx(tmp_path / "a.xlsx", {"One": rows}, hidden_columns=[("One", "B")])
    ods = write_ods(tmp_path / "a.ods", {"One": rows}, hidden_columns=[1])
    for data in (xlsx.read_bytes(), ods.read_bytes(), b"", b"\0" * 4096, SIGNATURE, b"ID;P\r\n", os.urandom(5000)):
        assert hidden_xls_columns(data) == {}


def test_a_compound_file_header_alone_gives_nothing() -> None:
    header = compound({"Workbook": biff_stream(CRAFTED_SHEETS)})[:512]
    assert hidden_xls_columns(header) == {}
    assert hidden_xls_columns(SIGNATURE + bytes(504)) == {}
    assert hidden_xls_columns(SIGNATURE + os.urandom(20_000)) == {}


def test_a_compound_file_without_a_workbook_gives_nothing() -> None:
    assert hidden_xls_columns(compound({"WordDocument": bytes(5000)})) == {}
    assert hidden_xls_columns(compound({"Workbook": b""})) == {}
    assert hidden_xls_columns(compound({"Workbook": b"not a BIFF stream" * 10})) == {}


def fat_offset(data: bytes) -> int:
    """Where the first FAT sector starts (512-byte sectors)."""
    return (int(struct.unpack_from("<I", data, 0x4C)[0]) + 1) * 512


def test_looping_and_runaway_chains_give_nothing_quickly() -> None:
    large = crafted_samples()["regular stream"]
    hostile: dict[str, bytes] = {}
    # The Workbook stream's third sector linking back to its first, and its chain ending early.
    first = struct.unpack_from("<I", large, large.index("Workbook".encode("utf-16-le")) + 0x74)[0]
    data = bytearray(large)
    struct.pack_into("<I", data, fat_offset(large) + (first + 2) * 4, first)
    hostile["stream loop"] = bytes(data)
    data = bytearray(large)
    struct.pack_into("<I", data, fat_offset(large) + (first + 2) * 4, END)
    hostile["stream chain too short"] = bytes(data)
    # A sector linking to itself in the directory chain.
    data = bytearray(large)
    directory = struct.unpack_from("<I", large, 0x30)[0]
    struct.pack_into("<I", data, fat_offset(large) + directory * 4, directory)
    hostile["directory loop"] = bytes(data)
    # The last DIFAT sector linking back to itself.
    extra = crafted_samples()["extra DIFAT sectors"]
    data = bytearray(extra)
    difat = struct.unpack_from("<I", extra, 0x44)[0]
    struct.pack_into("<I", data, (difat + 1) * 512 + 508, difat)
    hostile["DIFAT loop"] = bytes(data)
    # A mini sector linking to itself.
    small = crafted_samples()["mini stream"]
    data = bytearray(small)
    mini_fat = struct.unpack_from("<I", small, 0x3C)[0]
    struct.pack_into("<I", data, (mini_fat + 1) * 512, 0)
    hostile["mini stream loop"] = bytes(data)
    # Sizes and counts far beyond the file.
    data = bytearray(large)
    data[0x2C:0x30] = struct.pack("<I", 0xFFFFFFF0)
    hostile["huge FAT count"] = bytes(data)
    data = bytearray(large)
    struct.pack_into("<Q", data, large.index("Workbook".encode("utf-16-le")) + 0x78, 2**62)
    hostile["huge stream size"] = bytes(data)
    data = bytearray(large)
    struct.pack_into("<H", data, 0x1E, 30)
    hostile["huge sector shift"] = bytes(data)
    for label, sample in hostile.items():
        started = time.perf_counter()
        assert hidden_xls_columns(sample) == {}, label
        assert time.perf_counter() - started < 10, label  # a guard against hanging, not a speed goal


def test_a_real_xls_cut_short_anywhere_gives_nothing_or_the_full_answer() -> None:
    for data in (xlwt_sample(), crafted_samples()["mini stream"]):
        full = hidden_xls_columns(data)
        started = time.perf_counter()
        for length in range(len(data)):
            assert hidden_xls_columns(data[:length]) in ({}, full), length
        assert time.perf_counter() - started < 30


def test_a_workbook_stream_cut_short_anywhere_gives_only_whole_sheets() -> None:
    stream = biff_stream(CRAFTED_SHEETS)
    for length in range(len(stream)):
        result = hidden_xls_columns(compound({"Workbook": stream[:length]}))
        assert all(CRAFTED_EXPECTED[name] == columns for name, columns in result.items()), length


def test_sheets_overlapping_over_and_over_are_not_walked_over_and_over() -> None:
    # Thousands of sheets, each starting at the next of thousands of BOFs that never reach an EOF:
    # walked one by one, that is millions of records.
    count = 4000
    names = [f"S{i}".encode() for i in range(count)]
    start = len(bof(0x0005)) + sum(len(record(BOUNDSHEET, bytes(8) + n)) for n in names) + len(record(EOF))
    step = len(bof(0x0010))
    head = bof(0x0005) + b"".join(
        record(BOUNDSHEET, struct.pack("<IHBB", start + i * step, 0, len(n), 0) + n) for i, n in enumerate(names)
    )
    stream = head + record(EOF) + bof(0x0010) * count
    started = time.perf_counter()
    assert hidden_xls_columns(compound({"Workbook": stream})) == {}
    # A guard against hanging, not a speed goal: about 0.05 s; without the work budget, seconds to minutes.
    assert time.perf_counter() - started < 10


@cache
def damage_samples() -> list[bytes]:
    return [xlwt_sample(), crafted_samples()["mini stream"], crafted_samples()["extra DIFAT sectors"]]


@settings(max_examples=300, deadline=None, database=None)
@given(
    sample=st.integers(0, 2),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=12),
)
def test_a_real_xls_with_bytes_changed_never_raises(sample: int, flips: list[tuple[float, int]]) -> None:
    data = bytearray(damage_samples()[sample])
    for where, value in flips:
        data[int(where * len(data))] = value
    result = hidden_xls_columns(bytes(data))
    assert isinstance(result, dict)
    for name, columns in result.items():
        assert isinstance(name, str)
        assert all(isinstance(c, int) and 0 <= c < 256 for c in columns)


def test_random_bytes_after_the_signature_never_raise() -> None:
    generator = random.Random(20070401)
    for _ in range(200):
        tail = generator.randbytes(generator.choice([10, 500, 600, 2000, 9000]))
        assert isinstance(hidden_xls_columns(SIGNATURE + tail), dict)
