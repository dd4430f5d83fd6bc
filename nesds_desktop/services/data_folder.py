"""Where the user's data lives: --data-dir, else NESDS_DATA_DIR, else the platform's folder."""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENVIRONMENT_VARIABLE = "NESDS_DATA_DIR"


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_environment = os.environ.get(DATA_DIR_ENVIRONMENT_VARIABLE)
    if from_environment:
        return Path(from_environment).expanduser().resolve()
    from platformdirs import user_data_dir  # imported here: only needed without an explicit folder

    return Path(user_data_dir("NeSDS Workbook", appauthor=False))
