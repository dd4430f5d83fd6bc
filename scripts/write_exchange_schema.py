"""Write the published JSON Schema of the assessment file into docs/schemas/ (a test checks it is current).

One schema document: its root describes ``content.json``; ``$defs/Manifest`` describes
``manifest.json``.  Run after changing :mod:`nesds_desktop.exchange.file_format`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic.json_schema import models_json_schema

from nesds_desktop.exchange.file_format import FORMAT_NAME, FORMAT_VERSION, ExchangeContent, Manifest

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "docs" / "schemas" / "assessment-file.schema.json"


def rendered() -> str:
    (_keys, schema) = models_json_schema([(Manifest, "validation"), (ExchangeContent, "validation")])
    definitions = schema["$defs"]
    root = definitions.pop("ExchangeContent")
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://nesds-workbook.invalid/schemas/{FORMAT_NAME}-{FORMAT_VERSION}.schema.json",
        "title": f"NeSDS Workbook assessment file, format {FORMAT_VERSION}: content.json",
        "description": (
            "A .nesds file is a zip container holding exactly 'mimetype' (stored, the text "
            "application/x-nesds-assessment), 'manifest.json' ($defs/Manifest) and 'content.json' (this schema). "
            "See docs/assessment-file.md."
        ),
        **{key: value for key, value in root.items() if key not in {"title", "description"}},
        "$defs": definitions,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main() -> int:
    SCHEMA_PATH.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_PATH.write_text(rendered(), encoding="utf-8")
    print(f"wrote {SCHEMA_PATH}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
