"""Parse the Briefcase configuration for every desktop target, as ``briefcase create`` would.

Building installers needs each platform's own runner (see installers/README.md); what can be
checked anywhere is that the merged configuration for each target parses and validates.
"""

from __future__ import annotations

import sys
from pathlib import Path

import briefcase.config
from briefcase.config import GlobalConfig, parse_config
from briefcase.console import Console

ROOT = Path(__file__).resolve().parents[1]
# Briefcase 0.4 split the app configuration into draft and finalised classes.
AppConfig = getattr(briefcase.config, "DraftAppConfig", briefcase.config.AppConfig)
DESKTOP_TARGETS = [
    ("linux", "system"),
    ("linux", "appimage"),
    ("linux", "flatpak"),
    ("windows", "app"),
    ("windows", "visualstudio"),
    ("macOS", "app"),
    ("macOS", "xcode"),
]


def check(pyproject: Path) -> list[str]:
    problems = []
    console = Console(input_enabled=False)
    for platform, output_format in DESKTOP_TARGETS:
        try:
            global_config, app_configs = parse_config(pyproject, platform, output_format, console)
            GlobalConfig(**global_config)
            for name, config in app_configs.items():
                app = AppConfig(**config)
                if app.document_types.get("assessment", {}).get("extension") != "nesds":
                    problems.append(f"{platform}/{output_format}: app {name} does not register .nesds files")
                if not app.supported:
                    problems.append(f"{platform}/{output_format}: app {name} is marked unsupported")
            print(f"{platform:8} {output_format:13} ok: {', '.join(app_configs)}")
        except Exception as exc:
            problems.append(f"{platform}/{output_format}: {type(exc).__name__}: {exc}")
    return problems


def main() -> int:
    problems = check(ROOT / "pyproject.toml")
    for problem in problems:
        print(f"error: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
