"""Put NeSDS Workbook's freedesktop.org files into a Linux package tree.

    python installers/linux/install_freedesktop_files.py PACKAGE_ROOT/usr

Run between ``briefcase create linux system`` and ``briefcase build``; PACKAGE_ROOT is the
folder Briefcase packages, e.g. ``build/nesds-desktop/ubuntu/noble/nesds-desktop-0.1.0``.
It installs, named after the app's id (Briefcase's bundle identifier):

    share/applications/ID.desktop         replaces the template's entry, adding the .nesds MIME type
    share/metainfo/ID.metainfo.xml        AppStream data for software centres
    share/mime/packages/ID.xml            the assessment file type (dpkg and rpm triggers update the database)
    share/icons/hicolor/*/apps/ID.*       the application icon, every size and scalable
    share/icons/hicolor/*/mimetypes/...   the document icon, named after the MIME type

Names, MIME type and icon sources are read from the Briefcase configuration in
pyproject.toml, so the package cannot disagree with it.
"""

from __future__ import annotations

import shutil
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SHARE_SOURCE = Path(__file__).resolve().parent / "share"
SVG_SOURCES = ROOT / "resources" / "icons"
# The PNG sizes Briefcase's Linux templates use (scripts/make_icons.py generates them).
PNG_SIZES = (16, 32, 64, 128, 256, 512)
USAGE = "usage: python installers/linux/install_freedesktop_files.py PACKAGE_ROOT/usr"


@dataclass(frozen=True)
class Identity:
    """What the freedesktop files are named after, from the Briefcase configuration."""

    app_id: str
    icon_base: Path
    document_icons: dict[str, Path]  # MIME type -> icon base path (without size or suffix)


def identity(root: Path = ROOT) -> Identity:
    pyproject = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    briefcase: dict[str, Any] = pyproject["tool"]["briefcase"]
    (app_name, app), *others = briefcase["app"].items()
    if others:
        raise ValueError("the Briefcase configuration describes more than one app")
    documents = {doc["mime_type"]: root / doc["icon"] for doc in app.get("document_type", {}).values()}
    return Identity(f"{briefcase['bundle']}.{app_name}", root / app["icon"], documents)


def mime_icon_name(mime_type: str) -> str:
    # The shared-mime-info convention: the icon of type/subtype is named type-subtype.
    return mime_type.replace("/", "-")


def install(usr: Path, root: Path = ROOT) -> list[Path]:
    """Copy every freedesktop file into ``usr``; return the files written."""
    me = identity(root)
    share = usr / "share"
    written = []
    for source in sorted(SHARE_SOURCE.rglob("*")):
        if source.is_file():
            written.append(_copy(source, share / source.relative_to(SHARE_SOURCE)))
    icons = share / "icons" / "hicolor"
    written += _install_icon(me.icon_base, icons, "apps", me.app_id)
    for mime_type, icon_base in sorted(me.document_icons.items()):
        written += _install_icon(icon_base, icons, "mimetypes", mime_icon_name(mime_type))
    return written


def _install_icon(base: Path, icons: Path, context: str, name: str) -> list[Path]:
    written = []
    for size in PNG_SIZES:
        source = base.with_name(f"{base.name}-{size}.png")
        written.append(_copy(source, icons / f"{size}x{size}" / context / f"{name}.png"))
    svg = SVG_SOURCES / f"{base.name}.svg"
    written.append(_copy(svg, icons / "scalable" / context / f"{name}.svg"))
    return written


def _copy(source: Path, target: Path) -> Path:
    if not source.is_file():
        raise FileNotFoundError(f"{source} is missing (run scripts/make_icons.py for icons)")
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    target.chmod(0o644)  # packages want world-readable, not executable, data files
    return target


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not Path(argv[0]).is_dir():
        print(USAGE, file=sys.stderr)
        print("error: give exactly one existing folder (the package's usr)", file=sys.stderr)
        return 2
    written = install(Path(argv[0]))
    print(f"installed {len(written)} freedesktop files under {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
