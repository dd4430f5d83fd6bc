"""What the window's first paint may import: nothing heavy (timed by benchmarks/startup.py, guarded here).

The store's libraries (SQLAlchemy, SQLModel, pydantic) and the pages with their models are
loaded after the window is shown; a module that imports them at the top would slow every start.
"""

from __future__ import annotations

import json
import subprocess
import sys

LOADED_BEFORE_SHOW = "nesds_desktop.app", "nesds_desktop.ui.main_window", "nesds_desktop.ui.feedback"
NOT_BEFORE_SHOW = (
    "sqlalchemy",
    "sqlmodel",
    "pydantic",
    "openpyxl",
    "reportlab",
    "nesds_desktop.services.workbook_service",
    "nesds_desktop.ui.views.catalogue_browser",
    "nesds_desktop.ui.views.assessment_list",
    "nesds_desktop.ui.models.catalogue_tree_model",
    "nesds_desktop.cli",
)


def test_the_first_paint_imports_nothing_heavy() -> None:
    script = (
        "import json, sys\n"
        + "".join(f"import {name}\n" for name in LOADED_BEFORE_SHOW)
        + f"print(json.dumps(sorted(n for n in {list(NOT_BEFORE_SHOW)!r} if n in sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_the_check_would_notice_a_heavy_import() -> None:
    script = (
        "import json, sys\nimport nesds_desktop.services.workbook_service\n"
        "print(json.dumps('sqlalchemy' in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) is True
