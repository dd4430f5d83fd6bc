"""The layer rule, enforced: ui -> services -> storage|returns|reports|exchange|catalogue -> domain.

``app`` is the composition root; ``cli`` builds the parser from the command groups in
``commands`` (headless, over ``services``).  Nothing imports ``app`` or ``ui`` except ``app``.
Siblings of the middle layer import only ``domain``.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = "nesds_desktop"
ROOT = Path(__file__).resolve().parents[1] / PACKAGE
MIDDLE = {"storage", "returns", "reports", "exchange", "catalogue"}
SHARED = {"_version"}  # importable from every layer

ALLOWED: dict[str, set[str]] = {
    "domain": {"domain"},
    **{layer: {layer, "domain"} for layer in MIDDLE},
    "services": {"services", "domain", *MIDDLE},
    "ui": {"ui", "services", "domain"},
    "cli": {"cli", "commands", "services", "domain"},
    "commands": {"commands", "services", "domain"},
    "app": {"app", "cli", "commands", "ui", "services", "domain", "worker_launch", *MIDDLE},
    "worker_launch": set(),  # the entry point's multiprocessing helper: standard library only
    "__main__": {"app"},
    "__init__": set(),
}


def _layer(module_path: Path, root: Path = ROOT) -> str:
    relative = module_path.relative_to(root)
    return relative.parts[0].removesuffix(".py")


def _imports(module_path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(module_path.read_text(encoding="utf-8"))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
    return found


def _violations(root: Path = ROOT) -> list[str]:
    problems = []
    for module_path in sorted(root.rglob("*.py")):
        layer = _layer(module_path, root)
        for line, name in _imports(module_path):
            parts = name.split(".")
            if parts[0] != PACKAGE:
                if layer == "domain" and parts[0] in {
                    "PySide6",
                    "sqlalchemy",
                    "sqlmodel",
                    "openpyxl",
                    "python_calamine",
                    "reportlab",
                }:
                    problems.append(f"{module_path.relative_to(root)}:{line} domain imports {name}")
                continue
            if len(parts) == 1:
                continue
            target = parts[1]
            if target in SHARED:
                continue
            if target not in ALLOWED.get(layer, set()):
                problems.append(f"{module_path.relative_to(root)}:{line} {layer} may not import {name}")
    return problems


def test_every_import_follows_the_layer_rule() -> None:
    assert _violations() == []


def test_the_checker_catches_each_kind_of_violation(tmp_path: Path) -> None:
    fake = tmp_path / PACKAGE
    for folder, source in {
        "domain": "from PySide6.QtCore import QObject\n",
        "storage": "from nesds_desktop.catalogue import loader\n",
        "services": "import nesds_desktop.ui.main_window\n",
        "ui": "from nesds_desktop.storage.store import open_store\nfrom nesds_desktop.services import x\n",
    }.items():
        (fake / folder).mkdir(parents=True)
        (fake / folder / "module.py").write_text(source, encoding="utf-8")
    found = _violations(fake)
    assert found == [
        "domain/module.py:1 domain imports PySide6.QtCore",
        "services/module.py:1 services may not import nesds_desktop.ui.main_window",
        "storage/module.py:1 storage may not import nesds_desktop.catalogue",
        "ui/module.py:1 ui may not import nesds_desktop.storage.store",
    ]
