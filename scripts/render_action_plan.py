"""Render a demo action plan's pages into docs/action-plan/page-N.png (never edited by hand).

    python scripts/render_action_plan.py [--compare] [OUT_DIR]

Builds invented demo data (services/demo_data.py, fixed seed) in a temporary store, picks the
latest-round assessment with the most open actions and gaps, exports its action plan and
renders every page with pdftoppm (Debian package poppler-utils).

With ``--compare`` the plan holds the optional "How we compare" section, and only the
section's first page is rendered, as OUT_DIR/comparison-page.png (the page-N images, of the
plan without the section, are left as they are).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from PIL import Image

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.records import AssessmentSnapshot
from nesds_desktop.services.action_plan_service import export_action_plan
from nesds_desktop.services.catalogue_service import load_bundled_releases
from nesds_desktop.services.demo_data import fill_demo_store
from nesds_desktop.services.store_access import open_data_store
from nesds_desktop.services.workbook_service import AssessmentFilter, WorkbookService

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "action-plan"
SEED = 7
AUTHORITIES = 6
ROUNDS = 3
RESOLUTION = 100  # dots per inch: A4 becomes 827 x 1169 pixels
COMPARISON_HEADING = "How we compare"
COMPARISON_IMAGE = "comparison-page.png"


def _richness(snapshot: AssessmentSnapshot) -> tuple[int, int, int]:
    open_actions = sum(1 for item in snapshot.actions if item.action.state.is_open)
    gaps = sum(1 for a in snapshot.answers.values() if a.judgement in (Judgement.NOT_MET, Judgement.PARTLY_MET))
    return open_actions, gaps, -snapshot.summary.id


def render(out_dir: Path, data_dir: Path, *, compare: bool = False) -> list[Path]:
    store = open_data_store(data_dir)
    try:
        load_bundled_releases(store)
        service = WorkbookService(store, "Demo")
        summary = fill_demo_store(service, AUTHORITIES, ROUNDS, seed=SEED)
        latest = summary.rounds[-1].label
        snapshots = [service.open(a.id) for a in service.list_assessments(AssessmentFilter(round_label=latest))]
        chosen = max(snapshots, key=_richness).summary
        workshop = chosen.workshop_end or chosen.workshop_start
        produced = workshop + timedelta(days=14) if workshop else None
        target = data_dir / "action-plan.pdf"
        pdf = export_action_plan(service, chosen.id, target, produced=produced, comparison=compare)
    finally:
        store.close()
    print(f"exported {chosen.title}")
    if compare:
        return [render_comparison_page(pdf, out_dir / COMPARISON_IMAGE)]
    return render_pages(pdf, out_dir)


def render_comparison_page(pdf: Path, target: Path, resolution: int = RESOLUTION) -> Path:
    """The page on which "How we compare" starts, as ``target``."""
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True, encoding="utf-8").stdout  # fmt: skip
    # The section's heading is on its first page only (the running header never says it).
    pages = [number for number, page in enumerate(text.split("\f"), start=1) if COMPARISON_HEADING in page]
    if not pages:
        raise SystemExit(f"no page of {pdf} holds {COMPARISON_HEADING!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        stem = Path(scratch) / "page"
        first = str(pages[0])
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), "-f", first, "-l", first, "-singlefile",
                        str(pdf), str(stem)], check=True)  # fmt: skip
        with Image.open(stem.with_suffix(".png")) as image:
            image.convert("RGB").quantize(colors=64).save(target, optimize=True)
    return target


def render_pages(pdf: Path, out_dir: Path, resolution: int = RESOLUTION) -> list[Path]:
    """Every page of ``pdf`` as out_dir/page-N.png (old page images there are removed first)."""
    if shutil.which("pdftoppm") is None:
        raise SystemExit("pdftoppm is needed: install the Debian package poppler-utils")
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(["pdftoppm", "-png", "-r", str(resolution), str(pdf), str(Path(scratch) / "page")], check=True)
        # pdftoppm pads the number with zeros when there are ten pages or more: normalise to page-N.
        rendered = sorted(Path(scratch).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        pages = []
        for path in rendered:
            target = out_dir / f"page-{int(path.stem.rsplit('-', 1)[1])}.png"
            with Image.open(path) as image:
                # A 64-colour palette keeps text and bars crisp at a quarter of the size.
                image.convert("RGB").quantize(colors=64).save(target, optimize=True)
            pages.append(target)
    return pages


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Render a demo action plan's pages as PNG images.")
    parser.add_argument("--compare", action="store_true",
                        help=f"include 'How we compare' and render its first page as {COMPARISON_IMAGE}")
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_OUT, help="where the images go")
    args = parser.parse_args(argv[1:])
    with tempfile.TemporaryDirectory() as data:
        for page in render(args.out_dir, Path(data), compare=args.compare):
            print(f"wrote {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
