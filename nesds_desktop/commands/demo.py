"""``nesds-desktop demo``: fill the store with invented demonstration data."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import TextIO

EXIT_OK = 0
EXIT_PROBLEMS = 1
DEFAULT_AUTHORITIES = 12
DEFAULT_ROUNDS = 3
DEFAULT_SEED = 2006
# Keep in step with nesds_desktop.services.demo_data (not imported here: --help stays fast).
_MAX_AUTHORITIES = 600
_MAX_ROUNDS = 10


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    demo = commands.add_parser(
        "demo",
        help="fill the store with invented councils and assessments, to try the workbook out",
        description="Add invented councils (names and GSS codes made up, no real council's data), each assessed "
        "against every standard in several rounds from 2005/06, with evidence and action plans. "
        "The same seed always gives the same data.",
    )
    demo.add_argument(
        "--authorities",
        type=_count_up_to(_MAX_AUTHORITIES),
        default=DEFAULT_AUTHORITIES,
        metavar="N",
        help=f"how many councils (default {DEFAULT_AUTHORITIES}, at most {_MAX_AUTHORITIES})",
    )
    demo.add_argument(
        "--rounds",
        type=_count_up_to(_MAX_ROUNDS),
        default=DEFAULT_ROUNDS,
        metavar="R",
        help=f"how many yearly rounds from 2005/06 (default {DEFAULT_ROUNDS}, at most {_MAX_ROUNDS})",
    )
    demo.add_argument("--seed", type=int, default=DEFAULT_SEED, metavar="S", help=f"default {DEFAULT_SEED}")
    demo.add_argument(
        "--force", action="store_true", help="add demo data even though the store already holds assessments"
    )
    demo.set_defaults(handler=_demo)


def _count_up_to(most: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not 1 <= value <= most:
            raise argparse.ArgumentTypeError(f"{value} is out of range: give 1 to {most}")
        return value

    return parse


def _demo(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from nesds_desktop.services import catalogue_service
    from nesds_desktop.services.data_folder import resolve_data_dir
    from nesds_desktop.services.demo_data import DemoDataError, fill_demo_store
    from nesds_desktop.services.store_access import StoreError, open_data_store
    from nesds_desktop.services.workbook_service import NotFoundError, WorkbookService

    try:
        store = open_data_store(resolve_data_dir(args.data_dir))
    except StoreError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_PROBLEMS
    try:
        report = catalogue_service.load_bundled_releases(store)
        for problem in report.problems:
            print(f"warning: bundled catalogue: {problem}", file=err)
        service = WorkbookService(store, "NeSDS demo data")
        held = len(service.list_assessments())
        if held and not args.force:
            print(
                f"error: the store in {store.path.parent} already holds {held} assessment(s); demo data is not "
                "added to a store in use. Choose an empty data folder with --data-dir, or give --force.",
                file=err,
            )
            return EXIT_PROBLEMS
        started = time.perf_counter()
        step = max(1, args.authorities // 20)

        def show_progress(done: int, total: int) -> None:
            if done == total or done % step == 0:
                print(f"  {done}/{total} authorities ({time.perf_counter() - started:.1f} s)", file=err, flush=True)

        print(
            f"adding {args.authorities} invented authorities x {args.rounds} round(s) (seed {args.seed}) "
            f"to {store.path}",
            file=err,
            flush=True,
        )
        try:
            summary = fill_demo_store(service, args.authorities, args.rounds, args.seed, progress=show_progress)
        except (DemoDataError, NotFoundError) as exc:
            print(f"error: {exc}", file=err)
            return EXIT_PROBLEMS
        print(
            f"demo data added in {time.perf_counter() - started:.1f} s: {summary.authorities} authorities, "
            f"{summary.assessments} assessments ({summary.rounds_text}), {summary.judgements} judgements, "
            f"{summary.evidence} evidence references, {summary.actions} actions",
            file=out,
        )
        print("All names, GSS codes and figures are invented; none describes a real council.", file=out)
    finally:
        store.close()
    return EXIT_OK
