"""Time from process start to main window shown: NeSDS Workbook beside a bare PySide6 window."""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
_STAMP = re.compile(r"^(window shown|catalogue ready) at ([0-9.]+)$", re.MULTILINE)
_CPU = re.compile(r"^window shown cpu ([0-9.]+)$", re.MULTILINE)


def _run(command: list[str], extra_environment: dict[str, str] | None = None) -> dict[str, float]:
    environment = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    environment.update(extra_environment or {})
    # As installed, modules load from compiled bytecode; a shell that forbids writing it would
    # time compiling the app's sources on every start instead.
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.time()
    result = subprocess.run(command, capture_output=True, text=True, env=environment, check=True, timeout=120)
    stamps = {name: (float(value) - started) * 1000 for name, value in _STAMP.findall(result.stdout)}
    cpu = _CPU.search(result.stdout)
    if cpu:
        stamps["cpu at shown"] = float(cpu.group(1)) * 1000
    if "window shown" not in stamps:
        raise RuntimeError(f"no timing printed by {command}: {result.stdout!r} {result.stderr!r}")
    return stamps


def measure(runs: int = 9) -> list[str]:
    data_dir = Path(tempfile.mkdtemp(prefix="nesds-bench-"))
    # Both started as a Python script: the app through its installed entry point, with no
    # arguments as a double-click starts it (the data folder and smoke mode come by environment).
    app = [str(Path(sys.executable).with_name("nesds-desktop"))]
    app_environment = {"NESDS_DATA_DIR": str(data_dir), "NESDS_SMOKE": "1"}
    bare = [sys.executable, str(HERE / "bare_window.py")]
    first = _run(app, app_environment)  # creates the store and loads the bundled catalogue
    _run(bare)  # warm the file cache for both before timing
    bare_times, app_times, ready_times, bare_cpu, app_cpu = [], [], [], [], []
    for _ in range(runs):  # interleaved so that machine load affects both alike
        bare_stamps = _run(bare)
        bare_times.append(bare_stamps["window shown"])
        bare_cpu.append(bare_stamps["cpu at shown"])
        stamps = _run(app, app_environment)
        app_times.append(stamps["window shown"])
        app_cpu.append(stamps["cpu at shown"])
        ready_times.append(stamps["catalogue ready"])
    bare_median, app_median = statistics.median(bare_times), statistics.median(app_times)
    ratio = app_median / bare_median
    return [
        f"startup (offscreen, median of {runs} interleaved runs, ms from process start):",
        f"  bare PySide6 window shown          {bare_median:8.1f}",
        f"  NeSDS Workbook window shown        {app_median:8.1f}   ratio {ratio:.2f}x (goal <= 1.50x)"
        + ("  OK" if ratio <= 1.5 else "  OVER GOAL"),
        f"  NeSDS Workbook catalogue ready     {statistics.median(ready_times):8.1f}   (store open, tree filled)",
        f"  CPU time of the process when its window is shown (less sensitive to other load): bare "
        f"{statistics.median(bare_cpu):.1f} ms, NeSDS Workbook {statistics.median(app_cpu):.1f} ms, "
        f"ratio {statistics.median(app_cpu) / statistics.median(bare_cpu):.2f}x",
        f"  first start (empty data folder): window {first['window shown']:.1f}, "
        f"catalogue loaded into new store {first['catalogue ready']:.1f}",
    ]


if __name__ == "__main__":
    print("\n".join(measure()))
