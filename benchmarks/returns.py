"""Excel returns: export one standard's return and a demo council's whole return, and read one back."""

from __future__ import annotations

import tempfile
import time
import timeit
from collections.abc import Callable
from pathlib import Path

from nesds_desktop.services import catalogue_service
from nesds_desktop.services.demo_data import fill_demo_store
from nesds_desktop.services.return_service import export_return, preview_return_import, return_assessment_ids
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store

GOAL_SECONDS = 0.5


def measure(repeat: int = 5) -> list[str]:
    with tempfile.TemporaryDirectory(prefix="nesds-bench-returns-") as folder:
        root = Path(folder)
        store = open_store(root / "data")
        try:
            catalogue_service.load_bundled_releases(store)
            service = WorkbookService(store, "Benchmark")
            summary = fill_demo_store(service, authorities=1, rounds=1, seed=2006)
            authority = service.list_authorities()[0]
            whole = return_assessment_ids(service, authority.id, summary.rounds[0])
            largest = max(whole, key=lambda i: service.get_assessment(i).total)
            biggest = service.get_assessment(largest)
            label = f"export one standard ({biggest.standard_code}, {biggest.total} criteria)"
            one_file, whole_file = root / "one.xlsx", root / "whole.xlsx"
            started = time.perf_counter()
            export_return(service, [largest], one_file)  # the first also imports openpyxl
            first = time.perf_counter() - started

            def best(action: Callable[[], object]) -> float:
                return min(timeit.repeat(action, number=1, repeat=repeat))

            one = best(lambda: export_return(service, [largest], one_file))
            all_standards = best(lambda: export_return(service, whole, whole_file))
            read_back = best(lambda: preview_return_import(service, whole_file))
        finally:
            store.close()
    goal = f"(goal < {GOAL_SECONDS:g} s)"
    return [
        f"Excel return, best of {repeat}:",
        f"  {label:44} {one:6.3f} s   {goal}",
        f"  {'the same, first in the process (imports)':44} {first:6.3f} s",
        f"  {f'export a whole authority ({len(whole)} standards)':44} {all_standards:6.3f} s   {goal}",
        f"  {'preview importing the whole return':44} {read_back:6.3f} s",
    ]


if __name__ == "__main__":
    for line in measure():
        print(line)
