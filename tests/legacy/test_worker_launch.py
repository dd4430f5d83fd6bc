"""An installed app started again by multiprocessing becomes the worker, never a second window.

Briefcase's stub binary is ``sys.executable`` in an installed app and passes its arguments to
the entry point; a small executable script stands in for it here.
"""

from __future__ import annotations

import multiprocessing.spawn
import stat
import sys
from collections.abc import Iterator
from multiprocessing import resource_tracker
from pathlib import Path

import pytest
from legacy_files import ict_return_rows, standards, write_xlsx

from nesds_desktop.app import main
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.services.legacy_parse_worker import BoundedReader
from nesds_desktop.worker_launch import worker_arguments

SPAWN = "from multiprocessing.spawn import spawn_main; spawn_main({})"


def test_the_arguments_multiprocessing_writes_are_read() -> None:
    assert worker_arguments(["-B", "-s", "-c", SPAWN.format("tracker_fd=5, pipe_handle=7"),
                             "--multiprocessing-fork"]) == {"tracker_fd": 5, "pipe_handle": 7}
    assert worker_arguments(["-c", SPAWN.format("parent_pid=4120, pipe_handle=880"), "--multiprocessing-fork"]) == {
        "parent_pid": 4120, "pipe_handle": 880}  # the Windows form
    assert worker_arguments(["--multiprocessing-fork", "tracker_fd=5", "pipe_handle=7"]) == {
        "tracker_fd": 5, "pipe_handle": 7}  # the form for a frozen application


@pytest.mark.parametrize("argv", [
    [],
    ["catalogue", "list"],
    ["-c", "import os; os.remove('x')", "--multiprocessing-fork"],
    ["-c", SPAWN.format("pipe_handle=__import__('os').getpid()"), "--multiprocessing-fork"],
    ["-c", SPAWN.format("tracker_fd=5"), "--multiprocessing-fork"],
    ["--multiprocessing-fork", "pipe_handle=7", "evil=1"],
    ["-c", "--multiprocessing-fork"],
])
def test_anything_else_is_not_a_worker_and_nothing_in_it_is_run(argv: list[str]) -> None:
    assert worker_arguments(argv) is None


def test_a_stray_fork_flag_is_an_ordinary_command_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["-c", "import os", "--multiprocessing-fork"])
    assert stopped.value.code == 2 and "usage:" in capsys.readouterr().err


@pytest.fixture
def app_stub(tmp_path: Path) -> Iterator[Path]:
    """An executable that, like Briefcase's stub, runs the application's entry point with its arguments."""
    stub = tmp_path / "NeSDS Workbook"
    stub.write_text(f"#!{sys.executable}\nimport sys\nfrom nesds_desktop.app import main\nsys.exit(main())\n",
                    encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    swap_executable_to(stub)
    try:
        yield stub
    finally:
        multiprocessing.spawn.set_executable(sys.executable)


def swap_executable_to(stub: Path) -> None:
    """Start the shared resource tracker first, with the real interpreter, so no stub ever runs it."""
    resource_tracker.ensure_running()
    multiprocessing.spawn.set_executable(str(stub))


@pytest.mark.slow
def test_the_bounded_reader_works_when_the_executable_is_the_app_stub(app_stub: Path, tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "return.xlsx", {"ICT": ict_return_rows(["Yes", "No"])})
    with BoundedReader(standards(), timeout=60) as reader:
        reading, own_return = reader.read(path.read_bytes(), path.name)
    assert not own_return
    assert [m.judgement for m in reading.sheets[0].matches] == [Judgement.MET, Judgement.NOT_MET]


def executable_stub(folder: Path, body: str) -> Path:
    stub = folder / "stub"
    stub.write_text(f"#!{sys.executable}\n{body}\n", encoding="utf-8")
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    return stub


@pytest.mark.parametrize(("body", "message"), [
    ("import sys; sys.exit(3)", "the reader stopped as it started"),
    ("import time; time.sleep(120)", "the reader did not start within 2 seconds"),  # e.g. a window opened
])
def test_a_worker_that_never_starts_is_reported_not_waited_for(tmp_path: Path, body: str, message: str) -> None:
    from nesds_desktop.services.legacy_parse_worker import LegacyParseError

    swap_executable_to(executable_stub(tmp_path, body))
    try:
        with BoundedReader(standards(), timeout=2) as reader, pytest.raises(LegacyParseError, match=message):
            reader.read(b"PK", "return.xlsx")
    finally:
        multiprocessing.spawn.set_executable(sys.executable)
