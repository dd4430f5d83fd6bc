"""The level rule runs on every keystroke in a workshop: time it on the largest shipped standard."""

from __future__ import annotations

import timeit

from nesds_desktop.catalogue.bundled import bundled_standards_root
from nesds_desktop.catalogue.loader import load_release
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.domain.level_rule import assess_standard


def measure() -> list[str]:
    release = load_release(bundled_standards_root() / "nesds-2006.1")
    largest = max(release.standards, key=lambda s: sum(1 for _ in s.criteria()))
    count = sum(1 for _ in largest.criteria())
    lines = [f"level rule on {largest.code} ({count} criteria), best of 5 x 500 runs:"]
    for label, value in (("every criterion partly met (slowest)", Judgement.PARTLY_MET), ("all met", Judgement.MET)):
        judgements = {c.ref: value for c in largest.criteria()}
        runs = 500
        best = min(timeit.repeat(lambda j=judgements: assess_standard(largest, j), number=runs, repeat=5)) / runs  # type: ignore[misc]
        lines.append(f"  {label:40} {best * 1e3:7.3f} ms   (goal < 1 ms)")
    return lines
