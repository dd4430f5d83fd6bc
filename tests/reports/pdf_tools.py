"""Reading PDFs back with poppler-utils (pdftotext, pdffonts, pdfinfo, pdftohtml, pdftoppm).

These are real clients, not reportlab reading its own output: what they see is what a
reader's viewer, a search indexer or a screen reader's text layer sees.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

POPPLER_TOOLS = ("pdftotext", "pdffonts", "pdfinfo", "pdftohtml", "pdftoppm")


def _run(*args: str) -> str:
    tool = args[0]
    if shutil.which(tool) is None:
        raise RuntimeError(f"{tool} is missing: install the Debian package poppler-utils")
    return subprocess.run(args, check=True, capture_output=True, text=True, encoding="utf-8").stdout


def flat(text: str) -> str:
    """Whitespace collapsed to single spaces: lines wrap wherever the layout put them."""
    return " ".join(text.split())


def text(
    pdf: Path, first: int | None = None, last: int | None = None, *, layout: bool = False, raw: bool = False
) -> str:
    """The text as pdftotext reads it: in its own reading order; with ``layout``, rows kept on
    lines; with ``raw``, in the order the content was written (the document's logical order)."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    if layout:
        args.append("-layout")
    if raw:
        args.append("-raw")
    return _run(*args, str(pdf), "-")


def page_texts(pdf: Path) -> list[str]:
    """The text of each page, first page first (pdftotext separates pages with form feeds)."""
    pages = text(pdf).split("\f")
    return pages[: page_count(pdf)]


def info(pdf: Path) -> dict[str, str]:
    fields = {}
    for line in _run("pdfinfo", str(pdf)).splitlines():
        key, _, value = line.partition(":")
        fields[key.strip()] = value.strip()
    return fields


def page_count(pdf: Path) -> int:
    return int(info(pdf)["Pages"])


@dataclass(frozen=True)
class FontRow:
    name: str
    type: str
    embedded: bool
    subset: bool


def fonts(pdf: Path) -> list[FontRow]:
    """pdffonts' table, one row per font object."""
    lines = _run("pdffonts", str(pdf)).splitlines()
    rows = []
    for line in lines[2:]:  # a header and a rule of dashes
        # name, type (may hold spaces), encoding, emb, sub, uni, object number, generation
        match = re.match(r"(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+\s*$", line)
        assert match is not None, f"unexpected pdffonts line: {line!r}"
        rows.append(FontRow(match.group(1), match.group(2), match.group(4) == "yes", match.group(5) == "yes"))
    return rows


@dataclass(frozen=True)
class Bookmark:
    title: str
    page: int
    depth: int


def outline(pdf: Path) -> list[Bookmark]:
    """The document outline (bookmarks) with the page each one opens, as pdftohtml reads it."""
    document = _run("pdftohtml", "-xml", "-i", "-stdout", "-q", str(pdf))
    root = ElementTree.fromstring(document)
    found: list[Bookmark] = []

    def walk(node: ElementTree.Element, depth: int) -> None:
        for child in node:
            if child.tag == "item":
                found.append(Bookmark(flat(child.text or ""), int(child.get("page", "0")), depth))
            elif child.tag == "outline":
                walk(child, depth + 1)

    top = root.find("outline")
    if top is not None:
        walk(top, 0)
    return found


def render(pdf: Path, out_dir: Path, resolution: int = 40) -> list[Path]:
    """Every page as a PNG, in page order."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _run("pdftoppm", "-png", "-r", str(resolution), str(pdf), str(out_dir / "page"))
    return sorted(out_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
