"""``make bench``: prints every benchmark's figures.  Goals are printed beside them, not asserted."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import startup


def main() -> int:
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    for line in startup.measure():
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
