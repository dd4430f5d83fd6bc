"""Packaging: icons for every platform, the Linux desktop files, the workflow, and the built wheel.

The wheel tests build the wheel, ``pip install`` it into a fresh virtual environment outside
the checkout and run the installed app from another folder, so they prove the catalogue,
fonts and icons are found through importlib.resources and not through the source tree.
"""

from __future__ import annotations

import configparser
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtWidgets import QApplication

from nesds_desktop._version import APP_NAME, __version__
from nesds_desktop.ui import icons

ROOT = Path(__file__).resolve().parents[1]
LINUX_SHARE = ROOT / "installers" / "linux" / "share"
WORKFLOW = ROOT / ".github" / "workflows" / "installers.yml"
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


make_icons = _load(ROOT / "scripts" / "make_icons.py", "make_icons")
freedesktop = _load(ROOT / "installers" / "linux" / "install_freedesktop_files.py", "install_freedesktop_files")


def _pyproject() -> dict[str, Any]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _briefcase() -> dict[str, Any]:
    configuration: dict[str, Any] = _pyproject()["tool"]["briefcase"]
    return configuration


def _the_app() -> tuple[str, dict[str, Any]]:
    (name, app), *others = _briefcase()["app"].items()
    assert others == []
    return name, app


# --- icons -------------------------------------------------------------------------------


def test_committed_icons_are_current_with_the_svgs_and_complete_for_every_platform() -> None:
    assert make_icons.stale_files() == []
    assert make_icons.missing_sizes(_briefcase()) == []


def test_the_currency_check_notices_an_edited_svg_a_touched_up_png_and_a_missing_file(tmp_path: Path) -> None:
    sources, committed = tmp_path / "sources", tmp_path / "icons"
    shutil.copytree(make_icons.SOURCE_DIR, sources)
    shutil.copytree(make_icons.OUTPUT_DIR, committed)
    assert make_icons.stale_files(committed, sources) == []

    svg = sources / "nesds-workbook.svg"
    svg.write_text(svg.read_text(encoding="utf-8").replace("#F6B93B", "#D4351C"), encoding="utf-8")
    problems = make_icons.stale_files(committed, sources)
    assert "nesds-workbook.svg changed since its icons were generated" in problems
    assert any(p.startswith("nesds-workbook.icns [ic10]: differs") for p in problems)

    shutil.copy(make_icons.SOURCE_DIR / "nesds-workbook.svg", svg)
    touched = Image.open(committed / "nesds-workbook-256.png")
    touched.paste((255, 255, 255, 255), (0, 0, 128, 128))
    touched.save(committed / "nesds-workbook-256.png")
    (committed / "nesds-assessment.ico").unlink()
    missing, touched_up = make_icons.stale_files(committed, sources)
    assert missing == f"nesds-assessment.ico is missing from {committed}"
    assert touched_up.startswith("nesds-workbook-256.png [nesds-workbook-256.png]: differs from the SVG's rendering")


def test_the_size_check_names_each_absent_file_and_missing_size(tmp_path: Path) -> None:
    icons_dir = tmp_path / "installers" / "icons"
    shutil.copytree(make_icons.OUTPUT_DIR, icons_dir)
    (icons_dir / "nesds-workbook-512.png").unlink()
    without_48 = {size: make_icons.render(make_icons.SOURCE_DIR / "nesds-assessment.svg", size) for size in (16, 32)}
    (icons_dir / "nesds-assessment.ico").write_bytes(make_icons.ico_bytes(without_48))
    assert make_icons.missing_sizes(_briefcase(), tmp_path) == [
        "linux: installers/icons/nesds-workbook-512.png is missing",
        "windows: installers/icons/nesds-assessment.ico lacks 48 px, 64 px, 256 px",
    ]


@pytest.mark.parametrize("name", ["nesds-workbook", "nesds-assessment"])
def test_ico_holds_every_windows_size_and_another_reader_sees_the_same_pixels(name: str) -> None:
    path = make_icons.OUTPUT_DIR / f"{name}.ico"
    with Image.open(path) as ico:
        assert sorted(ico.info["sizes"]) == [(s, s) for s in make_icons.WINDOWS_ICO_SIZES]
    for size in make_icons.WINDOWS_ICO_SIZES:
        with Image.open(path) as ico:
            ico.size = (size, size)  # type: ignore[misc]  # Pillow's documented way of choosing an entry
            seen = ico.convert("RGBA").tobytes()
        rendered = make_icons.rgba_bytes(make_icons.render(make_icons.SOURCE_DIR / f"{name}.svg", size))
        assert seen == rendered, f"{size} px"


@pytest.mark.parametrize("name", ["nesds-workbook", "nesds-assessment"])
def test_icns_holds_apples_iconset_and_another_reader_lists_it(name: str) -> None:
    path = make_icons.OUTPUT_DIR / f"{name}.icns"
    with Image.open(path) as icns:
        found = set(icns.info["sizes"])
    expected = {(16, 16, 1), (16, 16, 2), (32, 32, 1), (32, 32, 2), (128, 128, 1), (128, 128, 2),
                (256, 256, 1), (256, 256, 2), (512, 512, 1), (512, 512, 2)}  # fmt: skip
    assert expected <= found
    largest = {p.label: p for p in make_icons.read_icns(path.read_bytes())}["ic10"]
    assert (largest.width, largest.height) == (1024, 1024)


def test_linux_pngs_are_the_size_their_name_says() -> None:
    for name in ("nesds-workbook", "nesds-assessment"):
        for size in make_icons.LINUX_PNG_SIZES:
            with Image.open(make_icons.OUTPUT_DIR / f"{name}-{size}.png") as png:
                assert png.size == (size, size)
                assert png.mode == "RGBA"


def test_the_window_icon_comes_from_the_resources_folder(qapp: QApplication) -> None:
    assert icons.icons_folder() == ROOT / "resources" / "icons"
    for icon in (icons.application_icon(), icons.document_icon()):
        assert not icon.isNull()
        pixmap = icon.pixmap(QSize(48, 48))
        assert (pixmap.width(), pixmap.height()) == (48, 48)
        # The tile's blue fills the middle of the app icon; the page's white the document's.
        assert pixmap.toImage().pixelColor(24, 24).alpha() == 255
    before = (qapp.windowIcon(), qapp.desktopFileName())
    try:
        icons.set_application_identity(qapp)
        assert qapp.windowIcon().cacheKey() != before[0].cacheKey()
        assert not qapp.windowIcon().isNull()
        assert qapp.desktopFileName() == icons.DESKTOP_FILE_NAME
    finally:
        qapp.setWindowIcon(before[0])
        qapp.setDesktopFileName(before[1])


def test_without_the_svg_icon_engine_the_icon_is_drawn_at_every_common_size(qapp: QApplication) -> None:
    icon = icons.rendered_icon(icons.icon_path())
    assert sorted(size.width() for size in icon.availableSizes()) == [16, 24, 32, 48, 64, 128, 256]
    image = icon.pixmap(QSize(64, 64)).toImage()
    assert image.pixelColor(0, 0).alpha() == 0  # the corner outside the rounded tile stays clear
    assert image.pixelColor(42, 30).name() == "#f6b93b"  # the Excellent step (x 36-48, y 12-48) is gold


@pytest.mark.qt_log_ignore("Cannot read file")
def test_a_file_that_is_not_svg_is_refused_rather_than_shown_blank(qapp: QApplication) -> None:
    with pytest.raises(ValueError, match="not an SVG"):
        icons.rendered_icon(Path(__file__))


def test_the_desktop_file_name_is_brief_cases_bundle_identifier() -> None:
    name, _ = _the_app()
    assert f"{_briefcase()['bundle']}.{name}" == icons.DESKTOP_FILE_NAME


# --- Linux desktop entry, metainfo, MIME type ---------------------------------------------


def _desktop_entry(path: Path) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return dict(parser["Desktop Entry"])


def test_desktop_entry_metainfo_and_mime_type_agree_with_the_briefcase_configuration() -> None:
    name, app = _the_app()
    app_id = f"{_briefcase()['bundle']}.{name}"
    (document,) = app["document_type"].values()

    entry = _desktop_entry(LINUX_SHARE / "applications" / f"{app_id}.desktop")
    assert entry["Name"] == app["formal_name"] == APP_NAME
    assert entry["Icon"] == app_id
    assert entry["Exec"] == f"/usr/bin/{name} %F"
    assert entry["MimeType"] == f"{document['mime_type']};"

    metainfo = ET.parse(LINUX_SHARE / "metainfo" / f"{app_id}.metainfo.xml").getroot()
    assert metainfo.findtext("id") == app_id
    assert metainfo.findtext("name") == app["formal_name"]
    assert metainfo.findtext("launchable") == f"{app_id}.desktop"
    assert metainfo.findtext("project_license") == _pyproject()["project"]["license"]
    assert metainfo.findtext("provides/mediatype") == document["mime_type"]
    assert metainfo.findtext("provides/binary") == name
    newest = metainfo.find("releases/release")
    assert newest is not None and newest.get("version") == __version__

    mime = ET.parse(LINUX_SHARE / "mime" / "packages" / f"{app_id}.xml").getroot()
    (mime_type,) = mime.findall(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == document["mime_type"]
    assert mime_type.findtext(f"{MIME_NS}comment") == document["description"]
    glob = mime_type.find(f"{MIME_NS}glob")
    assert glob is not None and glob.get("pattern") == f"*.{document['extension']}"
    icon = mime_type.find(f"{MIME_NS}icon")
    assert icon is not None and icon.get("name") == freedesktop.mime_icon_name(document["mime_type"])


def test_installing_the_freedesktop_files_gives_a_complete_tree(tmp_path: Path) -> None:
    usr = tmp_path / "usr"
    written = freedesktop.install(usr)
    share = usr / "share"
    app_id = icons.DESKTOP_FILE_NAME
    hicolor = share / "icons" / "hicolor"
    expected = {
        share / "applications" / f"{app_id}.desktop",
        share / "metainfo" / f"{app_id}.metainfo.xml",
        share / "mime" / "packages" / f"{app_id}.xml",
        hicolor / "scalable" / "apps" / f"{app_id}.svg",
        hicolor / "scalable" / "mimetypes" / "application-x-nesds-assessment.svg",
    }
    for size in make_icons.LINUX_PNG_SIZES:
        expected.add(hicolor / f"{size}x{size}" / "apps" / f"{app_id}.png")
        expected.add(hicolor / f"{size}x{size}" / "mimetypes" / "application-x-nesds-assessment.png")
    assert set(written) == expected
    assert {p for p in usr.rglob("*") if p.is_file()} == expected
    with Image.open(hicolor / "64x64" / "mimetypes" / "application-x-nesds-assessment.png") as png:
        assert png.size == (64, 64)
    assert (hicolor / "scalable" / "apps" / f"{app_id}.svg").read_bytes() == (
        ROOT / "resources" / "icons" / "nesds-workbook.svg"
    ).read_bytes()
    assert all(p.stat().st_mode & 0o777 == 0o644 for p in written) or os.name == "nt"


def test_the_installer_script_refuses_anything_but_one_existing_folder(tmp_path: Path) -> None:
    assert freedesktop.main([]) == 2
    assert freedesktop.main([str(tmp_path / "no-such-folder")]) == 2
    assert not (tmp_path / "no-such-folder").exists()


# --- the workflow -------------------------------------------------------------------------


def test_the_workflow_builds_and_keeps_an_installer_on_each_platforms_own_runner() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    for runner, platform, packaging, kept in (
        ("windows-latest", "windows", "msi", "dist/*.msi"),
        ("macos-latest", "macOS", "dmg", "dist/*.dmg"),
        ("ubuntu-24.04", "linux", "deb", "dist/*.deb"),
    ):
        block = re.search(rf"- name: .*\n\s+runs-on: {re.escape(runner)}\n(?:\s+(?:[\w-]+: |# ).*\n)+", text)
        assert block is not None, runner
        assert f"platform: {platform}\n" in block.group(0)
        assert f"package-format: {packaging}\n" in block.group(0)
        assert f"artifact-path: {kept}\n" in block.group(0)
    steps = re.findall(r"^\s+- name: (.+)$", text, flags=re.MULTILINE)
    order = ["Tests", "Briefcase create", "Briefcase build", "Briefcase package", "Keep the installer"]
    assert [s for s in steps if s in order] == order
    assert "uses: actions/upload-artifact@v4" in text
    assert "install_freedesktop_files.py" in text


# --- the built wheel, installed elsewhere -------------------------------------------------


@dataclass(frozen=True)
class Installed:
    wheel: Path
    python: Path
    app: Path
    elsewhere: Path
    site_packages: Path
    env: dict[str, str]

    def run(self, *command: str | Path, data_dir: Path | None = None) -> subprocess.CompletedProcess[str]:
        env = dict(self.env)
        if data_dir is not None:
            env["NESDS_DATA_DIR"] = str(data_dir)
        return subprocess.run(
            [str(part) for part in command],
            cwd=self.elsewhere,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def _script(venv: Path, name: str) -> Path:
    if os.name == "nt":
        return venv / "Scripts" / f"{name}.exe"
    return venv / "bin" / name


def _checked(command: list[str | Path], **kwargs: Any) -> None:
    result = subprocess.run(
        [str(c) for c in command], capture_output=True, text=True, timeout=600, check=False, **kwargs
    )
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Installed]:
    work = tmp_path_factory.mktemp("wheel")
    assert not work.resolve().is_relative_to(ROOT)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"}}
    env["QT_QPA_PLATFORM"] = "offscreen"
    dist = work / "dist"
    _checked([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "--wheel-dir", dist, ROOT], env=env)
    (wheel,) = dist.glob("nesds_desktop-*.whl")
    venv = work / "venv"
    _checked([sys.executable, "-m", "venv", venv], env=env)
    python = _script(venv, "python")
    _checked([python, "-m", "pip", "install", "--quiet", "--no-compile", wheel], env=env)
    site_packages = Path(
        subprocess.run(
            [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True, text=True, check=True, env=env,
        ).stdout.strip()
    )  # fmt: skip
    elsewhere = work / "elsewhere"
    elsewhere.mkdir()
    yield Installed(wheel, python, _script(venv, "nesds-desktop"), elsewhere, site_packages, env)


def _names_in_wheel(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.mark.slow
def test_the_wheel_carries_the_catalogue_fonts_and_icons_inside_the_package(installed: Installed) -> None:
    names = _names_in_wheel(installed.wheel)
    catalogue = {f"nesds_desktop/standards/{p.relative_to(ROOT / 'standards').as_posix()}"
                 for p in (ROOT / "standards").rglob("*") if p.is_file()}  # fmt: skip
    assert catalogue and catalogue <= names
    for svg in ("nesds-workbook.svg", "nesds-assessment.svg"):
        assert f"nesds_desktop/resources/icons/{svg}" in names
    font_files = (ROOT / "nesds_desktop" / "resources" / "fonts").glob("*.ttf")
    fonts = {f"nesds_desktop/resources/fonts/{p.name}" for p in font_files}
    assert fonts and fonts <= names
    assert not any(name.startswith(("standards/", "resources/", "tests/")) for name in names)


@pytest.mark.slow
def test_the_installed_app_finds_its_resources_in_the_package_not_the_checkout(installed: Installed) -> None:
    probe = (
        "import nesds_desktop\n"
        "from nesds_desktop.catalogue.bundled import bundled_standards_root\n"
        "from nesds_desktop.reports.fonts import font_folder\n"
        "from nesds_desktop.ui.icons import icons_folder\n"
        "print(nesds_desktop.__file__)\n"
        "print(bundled_standards_root())\n"
        "print(font_folder())\n"
        "print(icons_folder())\n"
    )
    result = installed.run(installed.python, "-c", probe)
    assert result.returncode == 0, result.stderr
    locations = [Path(line) for line in result.stdout.splitlines()]
    assert len(locations) == 4
    package = installed.site_packages / "nesds_desktop"
    for location in locations:
        assert location.resolve().is_relative_to(package.resolve()), location
        assert not location.resolve().is_relative_to(ROOT)


@pytest.mark.slow
def test_the_installed_app_starts_offscreen_from_another_folder_and_loads_the_catalogue(
    installed: Installed, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    started = installed.run(installed.app, "--smoke", data_dir=data)
    assert started.returncode == 0, started.stderr
    assert "window shown at" in started.stdout
    assert "catalogue ready at" in started.stdout

    listed = installed.run(installed.app, "catalogue", "list", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    for release_file in sorted((ROOT / "standards").glob("*/release.json")):
        standards = len([p for p in release_file.parent.glob("*.json") if p.name != "release.json"])
        block = listed.stdout.split(release_file.parent.name, 1)[1]
        assert re.search(rf"^\s+{standards} standards, \d+ criteria$", block, flags=re.MULTILINE), block


@pytest.mark.slow
def test_the_installed_command_line_exports_an_action_plan_with_its_font(installed: Installed, tmp_path: Path) -> None:
    data = tmp_path / "data"
    demo = installed.run(installed.app, "demo", "--authorities", "1", "--rounds", "1", data_dir=data)
    assert demo.returncode == 0, demo.stderr
    listed = installed.run(installed.app, "assessment", "list", data_dir=data)
    assert listed.returncode == 0, listed.stderr
    first = re.search(r"^\s*(\d+)\s", listed.stdout, flags=re.MULTILINE)
    assert first is not None, listed.stdout
    plan = tmp_path / "plan.pdf"
    exported = installed.run(installed.app, "export", "action-plan", first.group(1), "-o", plan, data_dir=data)
    assert exported.returncode == 0, exported.stderr
    _assert_pdf_embeds_dejavu(plan)


def _assert_pdf_embeds_dejavu(pdf: Path) -> None:
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    # reportlab writes font objects uncompressed: a subset of DejaVu Sans with its font file.
    assert re.search(rb"/BaseFont\s*/[A-Z]{6}\+DejaVuSans", data), "DejaVu Sans is not the embedded font"
    assert b"/FontFile2" in data, "the TrueType font file is not embedded"
