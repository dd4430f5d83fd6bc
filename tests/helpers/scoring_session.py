"""A scripted scoring session in a process of its own, for the crash-safety test to kill.

    python tests/helpers/scoring_session.py DATA_DIR ASSESSMENT_ID [--pause SECONDS]

It opens the store, then works through :func:`scripted_edits` with the real
WorkbookService, as a facilitator would: a judgement, then notes, criterion after
criterion.  After each call returns it prints ``committed <ref> <kind> <value as JSON>``
and flushes, so whatever the test reads was committed by the time it was printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.workbook_service import WorkbookService
from nesds_desktop.storage.store import open_store

AUTHOR = "Scripted facilitator"
JUDGEMENT = "judgement"
NOTES = "notes"
_CYCLE = (Judgement.MET, Judgement.PARTLY_MET, Judgement.NOT_MET, Judgement.MET, Judgement.NOT_APPLICABLE)


@dataclass(frozen=True)
class Edit:
    ref: str
    kind: str
    value: str

    def line(self) -> str:
        return f"committed {self.ref} {self.kind} {json.dumps(self.value)}"

    @classmethod
    def parse(cls, line: str) -> Edit:
        _, ref, kind, value = line.rstrip("\n").split(" ", 3)
        decoded = json.loads(value)
        assert isinstance(decoded, str)
        return cls(ref, kind, decoded)


def scripted_edits(refs: Sequence[str]) -> list[Edit]:
    """Each criterion once: its judgement, then its notes (with the punctuation people type)."""
    edits = []
    for number, ref in enumerate(refs):
        judgement = _CYCLE[number % len(_CYCLE)]
        edits.append(Edit(ref, JUDGEMENT, judgement.value))
        edits.append(
            Edit(
                ref,
                NOTES,
                f"Note {number} for {ref}: {judgement.label.lower()} — seen “policy v2”, Head of ICT's file.",
            )
        )
    return edits


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("data_dir", type=Path)
    parser.add_argument("assessment_id", type=int)
    parser.add_argument("--pause", type=float, default=0.002)
    args = parser.parse_args(argv)
    store = open_store(args.data_dir)
    service = WorkbookService(store, AUTHOR)
    refs = [criterion.ref for criterion in service.open(args.assessment_id).standard.criteria()]
    print("ready", flush=True)
    for edit in scripted_edits(refs):
        if edit.kind == JUDGEMENT:
            service.set_judgement(args.assessment_id, edit.ref, Judgement(edit.value))
        else:
            service.set_notes(args.assessment_id, edit.ref, edit.value)
        print(edit.line(), flush=True)
        time.sleep(args.pause)
    print("done", flush=True)
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
