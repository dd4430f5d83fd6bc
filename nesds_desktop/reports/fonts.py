"""The typeface every report uses: DejaVu Sans, bundled and embedded.

Why bundled: the PDF base 14 fonts (Helvetica and friends) are never embedded, so a
document using them renders with whatever the reader substitutes and fails accessibility
checks; DejaVu is not installed on Windows or macOS.  The TTF files live in
``nesds_desktop/resources/fonts`` (licence beside them) and are read through
importlib.resources, so they are found in a wheel, a Briefcase bundle or a source tree.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "DejaVuSans"
REGULAR_FILE = "DejaVuSans.ttf"
BOLD_FILE = "DejaVuSans-Bold.ttf"
LICENCE_FILE = "LICENSE-DejaVu.txt"


@dataclass(frozen=True)
class FontSet:
    """The reportlab names of the registered faces."""

    regular: str
    bold: str


def font_folder() -> Traversable:
    return files("nesds_desktop").joinpath("resources", "fonts")


@cache
def register_fonts() -> FontSet:
    """Register the bundled faces with reportlab once per process and return their names.

    ``<b>`` in a Paragraph maps to the bold face; there is no italic face, so ``<i>``
    falls back to the regular one rather than to a base 14 font.
    """
    folder = font_folder()
    regular, bold = FAMILY, f"{FAMILY}-Bold"
    for name, file_name in ((regular, REGULAR_FILE), (bold, BOLD_FILE)):
        # Read as bytes: a zipped install has no file path to hand to reportlab.
        data = folder.joinpath(file_name).read_bytes()
        pdfmetrics.registerFont(TTFont(name, io.BytesIO(data)))
    # Italic first: the last mapping of a face names its style, and the faces are upright.
    for is_bold, is_italic, face in ((0, 1, regular), (1, 1, bold), (0, 0, regular), (1, 0, bold)):
        addMapping(FAMILY, is_bold, is_italic, face)
    return FontSet(regular=regular, bold=bold)
