"""Content hash of a release: independent of file layout, whitespace and key order."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from nesds_desktop.catalogue.schema import ReleaseFile, StandardFile


def content_hash(release: ReleaseFile, standards: Sequence[StandardFile]) -> str:
    payload = {
        "release": release.model_dump(mode="json", exclude={"format"}),
        "standards": [standard.model_dump(mode="json") for standard in standards],
    }
    canonical = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
