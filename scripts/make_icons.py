"""Render every icon file that Briefcase and each platform want from the SVG sources.

    python scripts/make_icons.py           # (re)write installers/icons/ from resources/icons/*.svg
    python scripts/make_icons.py --check   # exit 1 unless installers/icons/ is complete and current

Briefcase is told ``icon = "installers/icons/NAME"`` and appends what each platform's
template asks for: ``NAME-16.png`` ... ``NAME-512.png`` on Linux (system package, AppImage,
Flatpak), ``NAME.ico`` on Windows and ``NAME.icns`` on macOS.  The files are generated
here and committed, because Briefcase copies them into the app at ``briefcase create`` time
and a build should not depend on running this generator first.

``--check`` verifies three things: the SVGs are the ones the files were made from
(``sources.json`` holds their hashes), regenerating into a temporary folder gives the same
pictures, and every icon named in the Briefcase configuration exists in every size each
platform wants.

Rendering uses QtSvg from PySide6 (already a runtime dependency); the ICO and ICNS
containers are written here in a few lines of plain Python.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import sys
import tempfile
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtGui import QImage, QImageWriter, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parents[1]
SOURCE_DIR = ROOT / "resources" / "icons"
OUTPUT_DIR = ROOT / "installers" / "icons"
MANIFEST_NAME = "sources.json"

# Briefcase's Linux templates (system, AppImage, Flatpak) name these PNG sizes.
LINUX_PNG_SIZES = (16, 32, 64, 128, 256, 512)
# Briefcase's Windows docs ask for 16, 32, 48, 64 and 256; Explorer also picks 20, 24 and 40
# at 125 % and 150 % display scaling, so those are included rather than scaled on the fly.
WINDOWS_REQUIRED_SIZES = (16, 32, 48, 64, 256)
WINDOWS_ICO_SIZES = (16, 20, 24, 32, 40, 48, 64, 256)
# ICNS element types holding PNG data, with their pixel size.  The first ten are the slots
# of an Apple iconset (16, 32, 128, 256, 512, each at 1x and 2x); icp6 (64 px) is extra.
MACOS_REQUIRED_TYPES = {
    "icp4": 16, "ic11": 32, "icp5": 32, "ic12": 64, "ic07": 128,
    "ic13": 256, "ic08": 256, "ic14": 512, "ic09": 512, "ic10": 1024,
}  # fmt: skip
MACOS_ICNS_TYPES = {**MACOS_REQUIRED_TYPES, "icp6": 64}
# A regenerated picture may differ from the committed one by a rasteriser change in a new
# Qt release, never by this much on average (a real change to the drawing differs by far more).
MEAN_DIFFERENCE_LIMIT = 2.0
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- rendering -------------------------------------------------------------------------


def render(svg_path: Path, size: int) -> QImage:
    """The SVG drawn straight onto a size x size canvas (never scaled from another size)."""
    renderer = QSvgRenderer(str(svg_path))
    if not renderer.isValid():
        raise ValueError(f"{svg_path}: not an SVG that QtSvg can draw")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    return image.convertToFormat(QImage.Format.Format_RGBA8888)


def rgba_bytes(image: QImage) -> bytes:
    """Straight-alpha RGBA, row after row, top row first, without row padding."""
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    row = image.width() * 4
    data = bytes(image.constBits())
    stride = image.bytesPerLine()
    if stride == row:
        return data[: row * image.height()]
    return b"".join(data[y * stride : y * stride + row] for y in range(image.height()))


def png_bytes(image: QImage) -> bytes:
    array = QByteArray()
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QImageWriter(buffer, QByteArray(b"PNG"))
    if not writer.write(image):
        raise OSError(f"Qt could not encode a PNG: {writer.errorString()}")
    buffer.close()
    return bytes(array.data())


# --- ICO (Windows) ---------------------------------------------------------------------


def _bmp_entry(image: QImage) -> bytes:
    """A 32-bit BMP icon image: header, bottom-up BGRA rows, then the 1-bit AND mask."""
    size = image.width()
    rgba = rgba_bytes(image)
    bgra = bytearray(len(rgba))
    bgra[0::4], bgra[1::4], bgra[2::4], bgra[3::4] = rgba[2::4], rgba[1::4], rgba[0::4], rgba[3::4]
    rows = [bytes(bgra[y * size * 4 : (y + 1) * size * 4]) for y in range(size)]
    mask_stride = ((size + 31) // 32) * 4
    mask_rows = []
    for y in range(size):
        bits = bytearray(mask_stride)
        for x in range(size):
            if rgba[(y * size + x) * 4 + 3] == 0:  # fully transparent: set in the AND mask
                bits[x // 8] |= 0x80 >> (x % 8)
        mask_rows.append(bytes(bits))
    pixels = b"".join(reversed(rows)) + b"".join(reversed(mask_rows))
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, len(pixels), 0, 0, 0, 0)
    return header + pixels


def ico_bytes(images: dict[int, QImage]) -> bytes:
    """An ICO holding each size: 256 px as PNG (as Windows Vista onwards expects), others as BMP."""
    sizes = sorted(images)
    payloads = [png_bytes(images[s]) if s >= 256 else _bmp_entry(images[s]) for s in sizes]
    offset = 6 + 16 * len(sizes)
    directory = bytearray(struct.pack("<HHH", 0, 1, len(sizes)))
    for size, payload in zip(sizes, payloads, strict=True):
        dimension = 0 if size >= 256 else size  # 0 stands for 256 in an ICO directory
        directory += struct.pack("<BBBBHHII", dimension, dimension, 0, 0, 1, 32, len(payload), offset)
        offset += len(payload)
    return bytes(directory) + b"".join(payloads)


@dataclass(frozen=True)
class IconImage:
    """One picture found inside an icon file: its declared size and its pixels."""

    label: str
    declared: int
    width: int
    height: int
    rgba: bytes


def read_ico(data: bytes) -> list[IconImage]:
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if reserved != 0 or kind != 1:
        raise ValueError("not an ICO file")
    images = []
    for index in range(count):
        width, _height, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        declared = width or 256
        payload = data[offset : offset + length]
        if payload.startswith(PNG_SIGNATURE):
            image = _decode_png(payload)
            images.append(IconImage(f"{declared} px", declared, image.width(), image.height(), rgba_bytes(image)))
        else:
            images.append(_read_bmp_entry(payload, declared))
    return images


def _read_bmp_entry(payload: bytes, declared: int) -> IconImage:
    _, width, double_height, _, bits, compression = struct.unpack_from("<IiiHHI", payload, 0)
    height = double_height // 2
    if bits != 32 or compression != 0:
        raise ValueError(f"{declared} px entry: only 32-bit uncompressed BMP entries are expected")
    row = width * 4
    top_down = [payload[40 + y * row : 40 + (y + 1) * row] for y in reversed(range(height))]
    bgra = b"".join(top_down)
    rgba = bytearray(len(bgra))
    rgba[0::4], rgba[1::4], rgba[2::4], rgba[3::4] = bgra[2::4], bgra[1::4], bgra[0::4], bgra[3::4]
    return IconImage(f"{declared} px", declared, width, height, bytes(rgba))


# --- ICNS (macOS) ----------------------------------------------------------------------


def icns_bytes(pngs: dict[int, bytes]) -> bytes:
    """An ICNS whose elements are PNGs (macOS 10.7 onwards), with a table of contents first."""
    elements = [(kind, pngs[size]) for kind, size in MACOS_ICNS_TYPES.items()]
    toc = b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(data)) for kind, data in elements)
    body = b"TOC " + struct.pack(">I", 8 + len(toc)) + toc
    body += b"".join(kind.encode("ascii") + struct.pack(">I", 8 + len(data)) + data for kind, data in elements)
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def read_icns(data: bytes) -> list[IconImage]:
    if data[:4] != b"icns" or struct.unpack_from(">I", data, 4)[0] != len(data):
        raise ValueError("not an ICNS file (bad header or length)")
    images = []
    position = 8
    while position < len(data):
        kind = data[position : position + 4].decode("ascii", "replace")
        length = struct.unpack_from(">I", data, position + 4)[0]
        payload = data[position + 8 : position + length]
        if length < 8:
            raise ValueError(f"ICNS element {kind!r} has an impossible length")
        position += length
        if kind in MACOS_ICNS_TYPES:
            image = _decode_png(payload)
            declared = MACOS_ICNS_TYPES[kind]
            images.append(IconImage(kind, declared, image.width(), image.height(), rgba_bytes(image)))
    return images


def _decode_png(payload: bytes) -> QImage:
    if not payload.startswith(PNG_SIGNATURE):
        raise ValueError("an embedded picture is not a PNG")
    image = QImage.fromData(payload)
    if image.isNull():
        raise ValueError("an embedded PNG could not be decoded")
    return image


def read_png(path: Path) -> IconImage:
    image = _decode_png(path.read_bytes())
    return IconImage(path.name, image.width(), image.width(), image.height(), rgba_bytes(image))


# --- generation ------------------------------------------------------------------------


def svg_digest(svg_path: Path) -> str:
    # Line endings normalised, so a checkout that converts them still matches.
    text = svg_path.read_bytes().replace(b"\r\n", b"\n")
    return hashlib.sha256(text).hexdigest()


def sources(source_dir: Path) -> list[Path]:
    return sorted(source_dir.glob("*.svg"))


def generate(source_dir: Path = SOURCE_DIR, output_dir: Path = OUTPUT_DIR) -> list[Path]:
    """Write every platform's icon files for each SVG; return the files written."""
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    manifest = {}
    for svg in sources(source_dir):
        name = svg.stem
        needed = sorted({*LINUX_PNG_SIZES, *WINDOWS_ICO_SIZES, *MACOS_ICNS_TYPES.values()})
        images = {size: render(svg, size) for size in needed}
        pngs = {size: png_bytes(image) for size, image in images.items()}
        files = {f"{name}-{size}.png": pngs[size] for size in LINUX_PNG_SIZES}
        files[f"{name}.ico"] = ico_bytes({size: images[size] for size in WINDOWS_ICO_SIZES})
        files[f"{name}.icns"] = icns_bytes(pngs)
        for file_name, data in files.items():
            (output_dir / file_name).write_bytes(data)
            written.append(output_dir / file_name)
        manifest[svg.name] = {"sha256": svg_digest(svg), "files": sorted(files)}
    manifest_path = output_dir / MANIFEST_NAME
    manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    written.append(manifest_path)
    return written


# --- checks ----------------------------------------------------------------------------


def pictures(path: Path) -> list[IconImage]:
    if path.suffix == ".ico":
        return read_ico(path.read_bytes())
    if path.suffix == ".icns":
        return read_icns(path.read_bytes())
    return [read_png(path)]


def mean_difference(first: bytes, second: bytes) -> float:
    if first == second:
        return 0.0
    return sum(map(abs, map(int.__sub__, first, second))) / max(len(first), 1)


def stale_files(committed_dir: Path = OUTPUT_DIR, source_dir: Path = SOURCE_DIR) -> list[str]:
    """Problems that show installers/icons/ is not what the SVG sources give today."""
    problems = []
    manifest_path = committed_dir / MANIFEST_NAME
    if not manifest_path.is_file():
        return [f"{manifest_path} is missing"]
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    for svg in sources(source_dir):
        if manifest.get(svg.name, {}).get("sha256") != svg_digest(svg):
            problems.append(f"{svg.name} changed since its icons were generated")
    for name in sorted(set(manifest) - {svg.name for svg in sources(source_dir)}):
        problems.append(f"{MANIFEST_NAME} names {name}, which is not in {source_dir}")
    with tempfile.TemporaryDirectory() as scratch:
        fresh_dir = Path(scratch)
        fresh = {path.name for path in generate(source_dir, fresh_dir)} - {MANIFEST_NAME}
        committed = {path.name for path in committed_dir.iterdir() if path.name != MANIFEST_NAME}
        problems += [f"{name} is missing from {committed_dir}" for name in sorted(fresh - committed)]
        problems += [f"{name} in {committed_dir} is not generated from any SVG" for name in sorted(committed - fresh)]
        for name in sorted(fresh & committed):
            problems += _picture_differences(name, pictures(committed_dir / name), pictures(fresh_dir / name))
    return problems


def _picture_differences(name: str, committed: list[IconImage], fresh: list[IconImage]) -> list[str]:
    if [(p.label, p.width, p.height) for p in committed] != [(p.label, p.width, p.height) for p in fresh]:
        return [f"{name}: holds other sizes than the generator writes"]
    problems = []
    for old, new in zip(committed, fresh, strict=True):
        difference = mean_difference(old.rgba, new.rgba)
        if difference > MEAN_DIFFERENCE_LIMIT:
            problems.append(
                f"{name} [{old.label}]: differs from the SVG's rendering (mean difference {difference:.1f})"
            )
    return problems


@dataclass(frozen=True)
class Requirement:
    """One icon file a platform needs, and the pixel sizes it must hold."""

    platform: str
    path: Path
    sizes: tuple[int, ...]


def requirements(briefcase: dict[str, Any], root: Path = ROOT) -> Iterator[Requirement]:
    """Every icon file the Briefcase configuration names, for Linux, Windows and macOS."""
    for app_name, app in briefcase.get("app", {}).items():
        for platform in ("linux", "windows", "macOS"):
            section = app.get(platform, {})
            if section.get("supported", True) is False:
                continue
            app_icon = section.get("icon", app.get("icon"))
            if app_icon is None:
                raise ValueError(f"app {app_name} names no icon for {platform}")
            document_types = {**app.get("document_type", {}), **section.get("document_type", {})}
            bases = [app_icon] + [doc["icon"] for doc in document_types.values() if "icon" in doc]
            for base in bases:
                yield from _platform_requirements(platform, root / base)


def _platform_requirements(platform: str, base: Path) -> Iterator[Requirement]:
    if platform == "linux":
        for size in LINUX_PNG_SIZES:
            yield Requirement(platform, base.with_name(f"{base.name}-{size}.png"), (size,))
    elif platform == "windows":
        yield Requirement(platform, base.with_name(f"{base.name}.ico"), WINDOWS_REQUIRED_SIZES)
    else:
        yield Requirement(platform, base.with_name(f"{base.name}.icns"), tuple(MACOS_REQUIRED_TYPES.values()))


def missing_sizes(briefcase: dict[str, Any], root: Path = ROOT) -> list[str]:
    """Problems with the icon files the configuration names: absent, or lacking a size."""
    problems = []
    for requirement in requirements(briefcase, root):
        shown = requirement.path.relative_to(root) if requirement.path.is_relative_to(root) else requirement.path
        if not requirement.path.is_file():
            problems.append(f"{requirement.platform}: {shown} is missing")
            continue
        try:
            found = pictures(requirement.path)
        except ValueError as error:
            problems.append(f"{requirement.platform}: {shown}: {error}")
            continue
        problems += [
            f"{requirement.platform}: {shown} [{p.label}] is {p.width}x{p.height}, not {p.declared}x{p.declared}"
            for p in found
            if (p.width, p.height) != (p.declared, p.declared)
        ]
        if requirement.path.suffix == ".icns":
            kinds = {p.label for p in found}
            absent = [kind for kind in MACOS_REQUIRED_TYPES if kind not in kinds]
        else:
            have = {p.declared for p in found}
            absent = [f"{size} px" for size in requirement.sizes if size not in have]
        if absent:
            problems.append(f"{requirement.platform}: {shown} lacks {', '.join(absent)}")
    return problems


def briefcase_configuration(root: Path = ROOT) -> dict[str, Any]:
    """The [tool.briefcase] tables of pyproject.toml: what Briefcase itself reads."""
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    configuration: dict[str, Any] = pyproject["tool"]["briefcase"]
    return configuration


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="compare instead of writing; exit 1 on any problem")
    args = parser.parse_args(argv)
    if not args.check:
        written = generate()
        print(f"wrote {len(written)} files to {OUTPUT_DIR.relative_to(ROOT)}")
    problems = stale_files() + missing_sizes(briefcase_configuration())
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print("Edit the SVGs in resources/icons/, then run: python scripts/make_icons.py", file=sys.stderr)
        return 1
    print("icons complete and current for every platform the Briefcase configuration names")
    return 0


if __name__ == "__main__":
    sys.exit(main())
