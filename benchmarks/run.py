"""``make bench``: prints every benchmark's figures.  Goals are printed beside them, not asserted."""

from __future__ import annotations

import platform
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import action_plan
import comparison
import exchange
import legacy_batch
import legacy_import
import level_rule
import returns
import startup
import workbook


def main() -> int:
    print(
        f"machine: {platform.machine()}, {platform.system()} {platform.release()}, Python {platform.python_version()}"
    )
    for measure in (startup.measure, level_rule.measure, workbook.measure, action_plan.measure, returns.measure,
                    exchange.measure, comparison.measure, legacy_import.measure, legacy_batch.measure):
        for line in measure():
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
