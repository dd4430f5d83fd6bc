"""Write a corpus of generated legacy-style returns (.xls, .xlsx, .ods) to a folder, to try the importer on.

    python scripts/make_legacy_corpus.py FOLDER [--count N] [--seed S] [--no-truth]

Each workbook gets a sidecar ``<name>.truth.json`` saying which criterion and judgement every data
row holds (see tests/legacy_corpus/generator.py); --no-truth leaves the sidecars out, so the folder
holds only spreadsheets, as a programme office would receive them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from legacy_corpus.generator import generate_corpus, sidecar_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write generated legacy-style council returns to a folder.")
    parser.add_argument("folder", type=Path, help="where to write (created if missing)")
    parser.add_argument("--count", type=int, default=50, help="how many returns (default 50)")
    parser.add_argument("--seed", type=int, default=2006, help="the same seed always gives the same returns")
    parser.add_argument("--no-truth", action="store_true", help="do not write the .truth.json sidecars")
    args = parser.parse_args(argv)
    if args.count < 1:
        parser.error("--count must be at least 1")
    args.folder.mkdir(parents=True, exist_ok=True)
    formats: Counter[str] = Counter()
    rows = 0
    for generated in generate_corpus(args.seed, args.count):
        path = args.folder / generated.file_name
        path.write_bytes(generated.data)
        if not args.no_truth:
            sidecar_path(path).write_text(json.dumps(generated.sidecar, indent=1, ensure_ascii=False), encoding="utf-8")
        formats[generated.sidecar["format"]] += 1
        rows += len(generated.sidecar["rows"])
    made = ", ".join(f"{count} .{name}" for name, count in sorted(formats.items()))
    print(f"wrote {args.count} returns ({made}; {rows} criterion rows) to {args.folder} (seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
