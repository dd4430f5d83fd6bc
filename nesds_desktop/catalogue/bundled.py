"""Where the catalogue shipped with the application lives.

In a wheel or installer the releases are package data (``nesds_desktop/standards``);
in a source checkout they are the top-level ``standards/`` folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def bundled_standards_root() -> Path:
    packaged = Path(str(resources.files("nesds_desktop") / "standards"))
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "standards"
