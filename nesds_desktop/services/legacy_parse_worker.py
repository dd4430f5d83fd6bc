"""Read legacy workbooks in a child process, bounded in time and memory.

A hostile or broken workbook can make a parser spin or allocate without end.  The parse
runs in one child process (reused from file to file, so a batch pays the start-up once)
with an address-space limit; the parent waits at most ``timeout`` seconds for each
file and kills the child when it is exceeded, starting a fresh one for the next file.
The application itself never hangs on a file.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import TracebackType

from nesds_desktop.domain.catalogue import Standard
from nesds_desktop.domain.judgements import Judgement
from nesds_desktop.returns.legacy.model import LegacyReading, SheetOverride

DEFAULT_TIMEOUT_SECONDS = 60.0
DEFAULT_MEMORY_BYTES = 2 * 1024**3


class LegacyParseError(Exception):
    """The file could not be read within the bounds; the message says why in plain words."""


def _limit_memory(memory_bytes: int) -> None:
    try:
        import resource
    except ImportError:  # not on Windows: the time bound still applies
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = memory_bytes if hard == resource.RLIM_INFINITY else min(memory_bytes, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _quiet_native_errors() -> None:
    """Send the worker's standard error to nowhere: a panic in the parser's native code prints its own
    backtrace there, while the worker reports every failure to the parent in words."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 2)
        os.close(devnull)
    except OSError:
        pass  # keep standard error as it is; the failure is still reported in words


def _serve(connection: Connection, memory_bytes: int) -> None:
    from nesds_desktop.returns.legacy.reader import is_parser_panic, read_legacy_workbook

    _limit_memory(memory_bytes)
    _quiet_native_errors()
    # Say so once running, then take the catalogue: it is too big for the start-up pipe, where a
    # child that never starts would leave the parent waiting for ever.
    connection.send(("ready", None))
    standards: Sequence[Standard] = connection.recv()
    while True:
        job = connection.recv()
        if job is None:
            return
        data, name, vocabulary, overrides = job
        try:
            reading = read_legacy_workbook(data, name, standards, vocabulary, overrides)
            connection.send(("ok", (reading, _is_own_return(data))))
        except MemoryError:
            connection.send(("error", "needed more memory than a workbook is allowed, so it was not read"))
        except Exception as exc:  # any parser failure is reported for this file only
            connection.send(("error", f"could not be read: {exc}"))
        except BaseException as exc:  # a panic in the parser's native code (see is_parser_panic)
            if not is_parser_panic(exc):
                raise
            connection.send(("error", "could not be read: the workbook is damaged"))


def _is_own_return(data: bytes) -> bool:
    """True when the workbook carries this application's return metadata sheet."""
    from io import BytesIO

    from python_calamine import CalamineWorkbook

    from nesds_desktop.returns.layout import METADATA_SHEET

    with CalamineWorkbook.from_filelike(BytesIO(data)) as workbook:
        return METADATA_SHEET in workbook.sheet_names


class BoundedReader:
    """Reads one workbook at a time in a child process; use as a context manager."""

    def __init__(
        self,
        standards: Sequence[Standard],
        timeout: float = DEFAULT_TIMEOUT_SECONDS,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
    ) -> None:
        self.standards = tuple(standards)
        self.timeout = timeout
        self.memory_bytes = memory_bytes
        self._process: BaseProcess | None = None
        self._connection: Connection | None = None

    def __enter__(self) -> BoundedReader:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def _start(self) -> Connection:
        if self._connection is not None and self._process is not None and self._process.is_alive():
            return self._connection
        self._stop()
        # "spawn": a forked copy of a running Qt application is not safe.
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self.memory_bytes), daemon=True, name="legacy-return-reader"
        )
        process.start()
        child.close()
        self._process, self._connection = process, parent
        try:
            if not parent.poll(self.timeout) or parent.recv()[0] != "ready":
                raise LegacyParseError(f"the reader did not start within {self.timeout:g} seconds")
            parent.send(self.standards)
        except (EOFError, OSError) as exc:
            self._stop()
            raise LegacyParseError("the reader stopped as it started") from exc
        except LegacyParseError:
            self._stop()
            raise
        return parent

    def read(
        self,
        data: bytes,
        name: str,
        vocabulary: Mapping[str, Judgement] | None = None,
        overrides: Mapping[str, SheetOverride] | None = None,
    ) -> tuple[LegacyReading, bool]:
        """The reading of ``data``, and whether it is a return this application exported."""
        connection = self._start()
        try:
            connection.send((data, name, dict(vocabulary or {}), dict(overrides or {})))
            if not connection.poll(self.timeout):
                self._stop()
                raise LegacyParseError(
                    f"took longer than {self.timeout:g} seconds to read, so reading it was stopped"
                )
            status, payload = connection.recv()
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._stop()
            raise LegacyParseError(
                "stopped the reader unexpectedly (it may need more memory than a workbook is allowed)"
            ) from exc
        if status != "ok":
            raise LegacyParseError(str(payload))
        reading, own_return = payload
        if not isinstance(reading, LegacyReading):
            raise LegacyParseError("the reader gave an unexpected answer")
        return reading, bool(own_return)

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join(5)
            self._process.close()
        if self._connection is not None:
            self._connection.close()
        self._process = self._connection = None

    def close(self) -> None:
        if self._connection is not None and self._process is not None and self._process.is_alive():
            try:
                self._connection.send(None)
                self._process.join(2)
            except OSError:
                pass  # the worker is already gone: nothing left to stop
        self._stop()
