"""The ``.nesds`` container: a zip holding exactly ``mimetype``, ``manifest.json`` and ``content.json``.

Why a zip rather than plain JSON: the catalogue release an assessment was scored against
travels with it (about 575 kB of JSON for the shipped release), and deflate brings a whole
file to a fifth of that, well under what email allows; the manifest can be read, and a
newer format refused, without parsing the content; and a first, uncompressed ``mimetype``
entry lets other tools recognise the file, as OpenDocument files do.

Reading trusts nothing in the file.  Sizes and counts are checked before anything is
unpacked (the file, the number of entries, each entry's declared size and compression
ratio) and again while unpacking (never more than the limit is read, whatever the header
says); names are compared with the three expected ones and never used as paths; nothing is
written to disk.  Every refusal is an :class:`ExchangeFileError` naming the problem.
"""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MEDIA_TYPE = "application/x-nesds-assessment"
MIMETYPE_NAME = "mimetype"
MANIFEST_NAME = "manifest.json"
CONTENT_NAME = "content.json"
EXPECTED_NAMES = (MIMETYPE_NAME, MANIFEST_NAME, CONTENT_NAME)

MAX_FILE_BYTES = 32 * 1024 * 1024
MAX_ENTRIES = 16
MAX_MANIFEST_BYTES = 64 * 1024
MAX_CONTENT_BYTES = 96 * 1024 * 1024
MAX_RATIO = 100
"""Real content deflates about 5:1; a ratio far above that is a zip bomb, not an assessment."""
_RATIO_FLOOR = 64 * 1024  # below this size the ratio says nothing (a few kB of spaces compress 1000:1)
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)  # the same bytes for the same content, whenever written

_ZIP_MAGIC = b"PK\x03\x04"
_EMPTY_ZIP_MAGIC = b"PK\x05\x06"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ExchangeFileError(Exception):
    """The file cannot be read as an assessment file; the message names the file and the problem.

    ``reason`` is a short fixed word for the kind of problem (tests and callers may branch on it).
    """

    def __init__(self, path: Path | str, reason: str, message: str) -> None:
        self.path = Path(path)
        self.reason = reason
        self.problem = message
        super().__init__(f"{self.path.name}: {message}")


@dataclass(frozen=True)
class RawContainer:
    manifest_bytes: bytes
    content_bytes: bytes
    file_bytes: int


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def write_container(target: Path, manifest: bytes, content: bytes) -> int:
    """Write the file whole or not at all (a temporary file renamed into place); returns its size."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in (
            (MIMETYPE_NAME, MEDIA_TYPE.encode("ascii"), zipfile.ZIP_STORED),
            (MANIFEST_NAME, manifest, zipfile.ZIP_DEFLATED),
            (CONTENT_NAME, content, zipfile.ZIP_DEFLATED),
        ):
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = method
            info.external_attr = 0o644 << 16
            archive.writestr(info, data, compresslevel=6 if method == zipfile.ZIP_DEFLATED else None)
    data = buffer.getvalue()
    handle, temporary = tempfile.mkstemp(prefix=".nesds-", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return len(data)


def read_container(path: Path) -> RawContainer:
    """The manifest and content of ``path``, each checked for size and integrity before use."""
    data = _read_bounded(path)
    _sniff(path, data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
        raise ExchangeFileError(
            path, "damaged", f"the file is damaged or truncated: its zip container cannot be read ({exc})"
        ) from None
    with archive:
        infos = archive.infolist()
        _check_names(path, archive, infos)
        by_name = {info.filename: info for info in infos}
        mimetype = _unpack(path, archive, by_name[MIMETYPE_NAME], 256)
        if mimetype != MEDIA_TYPE.encode("ascii"):
            raise ExchangeFileError(
                path,
                "foreign",
                f"this is not an assessment file: its '{MIMETYPE_NAME}' entry names another kind of file",
            )
        manifest = _unpack(path, archive, by_name[MANIFEST_NAME], MAX_MANIFEST_BYTES)
        content = _unpack(path, archive, by_name[CONTENT_NAME], MAX_CONTENT_BYTES)
    return RawContainer(manifest, content, len(data))


def _read_bounded(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise ExchangeFileError(path, "not_a_file", "this is a folder, not an assessment file")
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise ExchangeFileError(path, "missing", "the file cannot be found") from None
    except PermissionError:
        raise ExchangeFileError(path, "unreadable", "the file cannot be read: permission denied") from None
    except OSError as exc:
        raise ExchangeFileError(path, "unreadable", f"the file cannot be read ({exc.strerror or exc})") from None
    if not data:
        raise ExchangeFileError(path, "empty", "the file is empty (0 bytes): it holds no assessment")
    if len(data) > MAX_FILE_BYTES:
        raise ExchangeFileError(
            path,
            "too_large",
            f"the file is larger than {_megabytes(MAX_FILE_BYTES)}; assessment files are far smaller, "
            "so this is not one (or it is damaged)",
        )
    return data


def _sniff(path: Path, data: bytes) -> None:
    """Name what the file is when it is plainly not a zip: people rename files."""
    if data.startswith(_ZIP_MAGIC):
        return
    if data.startswith(_EMPTY_ZIP_MAGIC):
        raise ExchangeFileError(path, "foreign", "this is an empty zip archive, not an assessment file")
    if data.startswith(_OLE_MAGIC):
        raise ExchangeFileError(
            path,
            "foreign",
            "this is not an assessment file: it is an Excel 97-2003 workbook (or another old Office document) "
            "renamed .nesds",
        )
    if data.startswith(b"%PDF"):
        raise ExchangeFileError(path, "foreign", "this is not an assessment file: it is a PDF document")
    text = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith((b"{", b"[")):
        raise ExchangeFileError(
            path,
            "foreign",
            "this is a plain JSON file, not an assessment file (an assessment file is a zip container "
            "holding a manifest and the content)",
        )
    if _ZIP_MAGIC in data[:4096] or data.endswith(b"\x00" * 22) or b"PK\x01\x02" in data[-65536:]:
        raise ExchangeFileError(path, "damaged", "the file is damaged: it does not start as a zip container should")
    raise ExchangeFileError(path, "foreign", "this is not an assessment file (it is not a zip container)")


def _unsafe(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (
        name.startswith(("/", "\\"))
        or (len(name) > 1 and name[1] == ":")
        or ".." in parts
        or "\\" in name
        or "\0" in name
    )


def _check_names(path: Path, archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_ENTRIES:
        raise ExchangeFileError(
            path, "foreign", f"the zip container holds {len(infos)} entries; an assessment file holds 3"
        )
    names = [info.filename for info in infos]
    for name in names:
        if _unsafe(name):
            raise ExchangeFileError(
                path,
                "unsafe_name",
                f"refused: the container holds an entry with an unsafe name {name!r} "
                "(a path outside the file); assessment files never do",
            )
    kind = _foreign_kind(archive, names)
    if kind:
        raise ExchangeFileError(path, "foreign", f"this is not an assessment file: it is {kind} renamed .nesds")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ExchangeFileError(path, "damaged", f"the container holds two entries named {duplicates[0]!r}")
    missing = [name for name in EXPECTED_NAMES if name not in names]
    if missing:
        raise ExchangeFileError(
            path, "foreign", f"this is not an assessment file: the zip container has no '{missing[0]}'"
        )
    extra = [name for name in names if name not in EXPECTED_NAMES]
    if extra:
        raise ExchangeFileError(
            path,
            "foreign",
            f"the container holds an unexpected entry {extra[0]!r}; assessment files hold only "
            f"{', '.join(EXPECTED_NAMES)}",
        )


_OFFICE_KINDS = (
    ("xl/", "an Excel workbook (.xlsx)"),
    ("word/", "a Word document (.docx)"),
    ("ppt/", "a PowerPoint presentation (.pptx)"),
)


def _foreign_kind(archive: zipfile.ZipFile, names: list[str]) -> str | None:
    if "[Content_Types].xml" in names:
        for folder, kind in _OFFICE_KINDS:
            if any(n.startswith(folder) for n in names):
                return kind
        return "an Office document"
    media = ""
    if MIMETYPE_NAME in names:
        info = archive.getinfo(MIMETYPE_NAME)
        if info.file_size <= 256 and info.compress_type == zipfile.ZIP_STORED:
            try:
                media = archive.read(info).decode("ascii", "replace")
            except (zipfile.BadZipFile, OSError, ValueError, EOFError, zlib.error):
                media = ""
    return "an OpenDocument file (.ods or .odt)" if media.startswith("application/vnd.oasis.opendocument") else None


def _unpack(path: Path, archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    name = info.filename
    if info.flag_bits & 0x1:
        raise ExchangeFileError(path, "encrypted", f"'{name}' is encrypted; assessment files are never encrypted")
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise ExchangeFileError(
            path,
            "damaged",
            f"'{name}' uses a compression method (number {info.compress_type}) that assessment files never use",
        )
    if info.file_size > limit:
        raise ExchangeFileError(
            path,
            "zip_bomb",
            f"refused: '{name}' would unpack to {_megabytes(info.file_size)}, more than the "
            f"{_megabytes(limit)} an assessment file may hold (a possible zip bomb)",
        )
    if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
        raise ExchangeFileError(
            path,
            "zip_bomb",
            f"refused: '{name}' is compressed {info.file_size // max(info.compress_size, 1)} "
            "to 1, far beyond real content (a possible zip bomb)",
        )
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except zipfile.BadZipFile as exc:
        raise ExchangeFileError(
            path, "damaged", f"the file is damaged: '{name}' fails the zip container's integrity check ({exc})"
        ) from None
    except (zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as exc:
        raise ExchangeFileError(
            path, "damaged", f"the file is damaged or truncated: '{name}' cannot be unpacked ({exc})"
        ) from None
    if len(data) > limit:
        raise ExchangeFileError(
            path, "zip_bomb", f"refused: '{name}' unpacks to more than {_megabytes(limit)} (a possible zip bomb)"
        )
    if len(data) != info.file_size:
        raise ExchangeFileError(path, "damaged", f"the file is damaged: '{name}' is not the size its header says")
    return data
