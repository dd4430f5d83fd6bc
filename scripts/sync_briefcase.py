"""Keep pyproject.toml's [tool.briefcase] tables in step with briefcase.toml.

``--write`` regenerates the block between the markers in pyproject.toml;
``--check`` exits 1 (naming the difference) when the block, the parsed tables or the
runtime requirements disagree.  Briefcase reads only pyproject.toml, so CI runs --check.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BEGIN = "# --- BEGIN generated from briefcase.toml by scripts/sync_briefcase.py; do not edit ---"
END = "# --- END generated from briefcase.toml ---"
_HEADER = re.compile(r"^(\s*)(\[\[?)([^\]]+)(\]\]?)(.*)$")


def render_block(briefcase_text: str) -> str:
    """The briefcase.toml text with every table moved under tool.briefcase."""
    lines = [BEGIN, "[tool.briefcase]"]
    for line in briefcase_text.splitlines():
        match = _HEADER.match(line)
        if match and not line.lstrip().startswith("#") and "=" not in line.split("]")[0]:
            indent, opening, name, closing, rest = match.groups()
            lines.append(f"{indent}{opening}tool.briefcase.{name.strip()}{closing}{rest}")
        else:
            lines.append(line)
    lines.append(END)
    return "\n".join(lines) + "\n"


def splice(pyproject_text: str, block: str) -> str:
    if BEGIN in pyproject_text:
        start = pyproject_text.index(BEGIN)
        end = pyproject_text.index(END) + len(END) + 1
        return pyproject_text[:start] + block + pyproject_text[end:]
    return pyproject_text.rstrip("\n") + "\n\n" + block


def _names(requirements: list[str]) -> list[str]:
    return sorted(requirements)


def differences(pyproject_text: str, briefcase_text: str) -> list[str]:
    problems = []
    expected = splice(pyproject_text, render_block(briefcase_text))
    if expected != pyproject_text:
        problems.append("pyproject.toml's generated [tool.briefcase] block differs from briefcase.toml")
    pyproject = tomllib.loads(pyproject_text)
    briefcase: dict[str, Any] = tomllib.loads(briefcase_text)
    if pyproject.get("tool", {}).get("briefcase") != briefcase:
        problems.append("the [tool.briefcase] tables parsed from pyproject.toml differ from briefcase.toml")
    dependencies = pyproject.get("project", {}).get("dependencies", [])
    for app_name, app in briefcase.get("app", {}).items():
        if _names(app.get("requires", [])) != _names(dependencies):
            problems.append(f"app {app_name}: 'requires' in briefcase.toml differs from [project].dependencies")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--write", action="store_true")
    mode.add_argument("--check", action="store_true")
    parser.add_argument("--root", type=Path, default=ROOT)
    args = parser.parse_args(argv)
    pyproject_path = args.root / "pyproject.toml"
    briefcase_text = (args.root / "briefcase.toml").read_text(encoding="utf-8")
    pyproject_text = pyproject_path.read_text(encoding="utf-8")
    if args.write:
        pyproject_path.write_text(splice(pyproject_text, render_block(briefcase_text)), encoding="utf-8")
        pyproject_text = pyproject_path.read_text(encoding="utf-8")
    problems = differences(pyproject_text, briefcase_text)
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    if problems:
        print("Edit briefcase.toml, then run: python scripts/sync_briefcase.py --write", file=sys.stderr)
        return 1
    print("briefcase.toml and pyproject.toml agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
