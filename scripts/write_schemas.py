"""Write the published JSON Schemas of the catalogue format into docs/schemas/ (checked by a test)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pydantic import BaseModel

from nesds_desktop.catalogue.schema import ReleaseFile, StandardFile

SCHEMA_FOLDER = Path(__file__).resolve().parents[1] / "docs" / "schemas"
SCHEMAS: dict[str, type[BaseModel]] = {
    "catalogue-release.schema.json": ReleaseFile,
    "catalogue-standard.schema.json": StandardFile,
}


def rendered() -> dict[str, str]:
    out = {}
    for name, model in SCHEMAS.items():
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema()}
        out[name] = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    return out


def main() -> int:
    SCHEMA_FOLDER.mkdir(parents=True, exist_ok=True)
    for name, text in rendered().items():
        (SCHEMA_FOLDER / name).write_text(text, encoding="utf-8")
        print(f"wrote {SCHEMA_FOLDER / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
