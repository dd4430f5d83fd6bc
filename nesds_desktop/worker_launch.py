"""Let an installed application serve as its own worker process.

An installed app is started through a stub binary (Briefcase on Windows and macOS), and
``sys.executable`` is that stub, not a Python interpreter.  ``multiprocessing`` in spawn mode
starts ``sys.executable`` again, with ``-c "from multiprocessing.spawn import spawn_main;
spawn_main(...)" --multiprocessing-fork`` (or ``--multiprocessing-fork name=value ...`` when
``sys.frozen`` is set), and the stub hands those arguments to the application's entry point.
On POSIX systems it also starts its resource tracker that way (``-c "from
multiprocessing.resource_tracker import main;main(FD)"``).  The entry point must then become
the worker (the bounded legacy-return reader) or the tracker, not open a second window.  The
arguments are parsed, never executed: only the few numbers those functions take are accepted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

FORK_FLAG = "--multiprocessing-fork"
_SPAWN_CALL = re.compile(r"^from multiprocessing\.spawn import spawn_main; spawn_main\(([^()]*)\)$")
_TRACKER_CALL = re.compile(r"^from multiprocessing\.resource_tracker import main;\s*main\((\d+)\)$")
_KEYWORD = re.compile(r"^\s*(tracker_fd|pipe_handle|parent_pid)\s*=\s*(\d+|None)\s*$")


def worker_arguments(argv: Sequence[str]) -> dict[str, int | None] | None:
    """The keyword arguments for ``spawn_main`` when ``argv`` starts a worker; None otherwise."""
    if FORK_FLAG not in argv:
        return None
    if "-c" in argv:  # the form multiprocessing writes for a Python interpreter
        call = _SPAWN_CALL.match(_code_argument(argv))
        if call is None:
            return None
        pairs = [p for p in call.group(1).split(",") if p.strip()]
    else:  # the form for a frozen application: name=value after the flag
        pairs = list(argv[argv.index(FORK_FLAG) + 1:])
    found: dict[str, int | None] = {}
    for pair in pairs:
        keyword = _KEYWORD.match(pair)
        if keyword is None:
            return None
        name, value = keyword.groups()
        found[name] = None if value == "None" else int(value)
    return found if isinstance(found.get("pipe_handle"), int) else None


def tracker_descriptor(argv: Sequence[str]) -> int | None:
    """The pipe a resource tracker is to read when ``argv`` starts one; None otherwise."""
    if "-c" not in argv or FORK_FLAG in argv:
        return None
    call = _TRACKER_CALL.match(_code_argument(argv))
    return int(call.group(1)) if call else None


def _code_argument(argv: Sequence[str]) -> str:
    """The text after ``-c`` (``argv`` holds one), or "" when nothing follows it."""
    position = argv.index("-c") + 1
    return argv[position].strip() if position < len(argv) else ""


def serve_if_worker(argv: Sequence[str]) -> bool:
    """Run as a multiprocessing worker or resource tracker when ``argv`` says so; True when it ran."""
    descriptor = tracker_descriptor(argv)
    if descriptor is not None:
        from multiprocessing import resource_tracker

        resource_tracker.main(descriptor)  # returns when the application has gone
        return True
    keywords = worker_arguments(argv)
    if keywords is None:
        return False
    import sys
    from multiprocessing.spawn import spawn_main

    sys.argv[1:] = [FORK_FLAG]  # the form spawn_main checks for; the interpreter's options are spent
    pipe_handle = keywords["pipe_handle"]
    assert pipe_handle is not None  # worker_arguments accepts no worker without one
    # spawn_main ends the process when the work is done.
    spawn_main(pipe_handle, keywords.get("parent_pid"), keywords.get("tracker_fd"))
    return True
