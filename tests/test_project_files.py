"""Files that must agree with the code: version, published schemas, Briefcase configuration."""

from __future__ import annotations

import importlib.util
import sys
import tomllib
from pathlib import Path
from types import ModuleType

from nesds_desktop._version import __version__

ROOT = Path(__file__).resolve().parents[1]


def _load_script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def test_version_agrees_with_pyproject() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["version"] == __version__


def test_published_schemas_match_the_models() -> None:
    write_schemas = _load_script("write_schemas")
    for name, text in write_schemas.rendered().items():
        assert (ROOT / "docs" / "schemas" / name).read_text(encoding="utf-8") == text, (
            f"run scripts/write_schemas.py ({name})"
        )


def test_briefcase_toml_and_pyproject_agree() -> None:
    sync = _load_script("sync_briefcase")
    problems = sync.differences(
        (ROOT / "pyproject.toml").read_text(encoding="utf-8"), (ROOT / "briefcase.toml").read_text(encoding="utf-8")
    )
    assert problems == []


def test_the_sync_check_notices_a_change_made_on_one_side_only() -> None:
    sync = _load_script("sync_briefcase")
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    briefcase = (ROOT / "briefcase.toml").read_text(encoding="utf-8")
    edited = briefcase.replace('extension = "nesds"', 'extension = "nesdsx"')
    assert edited != briefcase
    assert sync.differences(pyproject, edited) != []
    fewer_requirements = briefcase.replace('    "platformdirs>=4",\n', "")
    regenerated = sync.splice(pyproject, sync.render_block(fewer_requirements))
    assert any("requires" in p for p in sync.differences(regenerated, fewer_requirements))
