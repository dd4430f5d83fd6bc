"""Peer comparison over the programme-office demo store (400 councils x 10 standards x 3 rounds).

Reuses the store :mod:`workbook` builds and caches.  Times the whole service call (one query
for every peer's judgements, the level rule for each, the gap criteria) and the peak memory
Python allocates during one call (tracemalloc).
"""

from __future__ import annotations

import statistics
import time
import tracemalloc

import workbook

from nesds_desktop.services.comparison_service import ComparisonService

GOAL_MS = 200.0
RUNS = 7
STANDARD = "ICT"  # the standard with the most criteria
ROUND = "2007/08"


def measure() -> list[str]:
    store, how = workbook._store()
    try:
        service = ComparisonService(store)
        subject = service.authorities()[0]
        service.peer_comparison(STANDARD, ROUND, subject.id)  # reads the release into the cache
        samples = []
        for _ in range(RUNS):
            started = time.perf_counter()
            result = service.peer_comparison(STANDARD, ROUND, subject.id)
            samples.append((time.perf_counter() - started) * 1000)
        tracemalloc.start()
        service.peer_comparison(STANDARD, ROUND, subject.id, anonymise=True)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        started = time.perf_counter()
        progress = service.progress(subject.id, STANDARD)
        progress_ms = (time.perf_counter() - started) * 1000
    finally:
        store.close()
    median = statistics.median(samples)
    verdict = "OK" if median < GOAL_MS else "OVER GOAL"
    return [
        f"peer comparison, {STANDARD} in {ROUND}, {result.overall.peers} peers ({how}):",
        f"  {'compare one authority with all peers':44} median {median:8.1f}   max {max(samples):8.1f}"
        f"   (goal < {GOAL_MS:g} ms)  {verdict}",
        f"  {'peak memory allocated during one comparison':44} {peak / 1e6:8.1f} MB",
        f"  {'progress over ' + str(len(progress.rounds)) + ' rounds for one authority':44} {progress_ms:15.1f}",
    ]


if __name__ == "__main__":
    print("\n".join(measure()))
