"""Side work (drawing and saving figures) in forked child processes, a few at a time.

Figures are the slowest part of ``imgshare figures`` and ``imgshare report``: drawing a plotnine
plot and writing a 300-dpi PNG and an SVG takes about a second each, all in Python. The plot
objects cannot be pickled (plotnine keeps closures), so a process pool cannot receive them; a
forked child inherits them instead, writes its files and exits. The parent goes on with other
work meanwhile. What a child does must be self-contained: write files, return nothing.

Where ``os.fork`` does not exist, or with one worker, jobs simply run in the calling process.
"""

from __future__ import annotations

import gc
import os
import select
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

__all__ = ["ForkedJobs", "default_workers", "ENV_JOBS"]

#: Environment variable that sets the number of worker processes (1 = no forking).
ENV_JOBS = "IMGSHARE_JOBS"
_MAX_MESSAGE = 4000


def default_workers() -> int:
    """Worker processes to use: ``IMGSHARE_JOBS`` if set, else the CPUs this process may run on."""
    raw = os.environ.get(ENV_JOBS, "").strip()
    if raw:
        try:
            return max(1, int(raw))
        except ValueError:
            return 1
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


class ForkedJobs:
    """Run callables in forked children, at most ``workers`` at a time; :meth:`wait` for all.

    Use as a context manager: leaving the block waits for every child and raises
    :class:`RuntimeError` with the first child's error (its traceback text) if any failed.
    A job's exception in a child never reaches the parent's handlers or outputs.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> with tempfile.TemporaryDirectory() as tmp, ForkedJobs(workers=2) as jobs:
    ...     for i in range(3):
    ...         jobs.submit(pathlib.Path(tmp, f"{i}.txt").write_text, str(i))
    """

    def __init__(self, workers: int | None = None):
        self.workers = default_workers() if workers is None else max(1, int(workers))
        self._running: dict[int, int] = {}  # pid -> read end of its error pipe
        self._queue: deque[tuple[Callable[..., Any], tuple, dict]] = deque()
        self._errors: list[str] = []

    @property
    def forking(self) -> bool:
        return self.workers > 1 and hasattr(os, "fork")

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` in a child (or here, when not forking).

        Never waits: when every worker is busy the job is queued and starts at the next
        :meth:`poll` or :meth:`wait` that finds a worker free.
        """
        if not self.forking:
            fn(*args, **kwargs)
            return
        self._queue.append((fn, args, kwargs))
        self.poll()

    def poll(self) -> None:
        """Collect finished workers and start queued jobs on the free ones (never waits)."""
        while self._reap(block=False):
            pass
        while self._queue and len(self._running) < self.workers:
            self._start(*self._queue.popleft())

    def _start(self, fn: Callable[..., Any], args: tuple, kwargs: dict) -> None:
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: do the job, report a failure through the pipe, never return
            status = 0
            try:
                os.close(read_end)
                # A short-lived child: collecting the parent's inherited objects again and again
                # only costs time (about 8% of drawing a figure) and copies their pages; memory
                # it leaves uncollected goes when it exits.
                gc.disable()
                fn(*args, **kwargs)
            except BaseException as exc:  # noqa: BLE001 - everything must end in os._exit
                status = 1
                text = "".join(traceback.format_exception(exc))[-_MAX_MESSAGE:]
                try:
                    os.write(write_end, text.encode("utf-8", "replace"))
                except OSError:
                    pass
            finally:
                os._exit(status)
        os.close(write_end)
        self._running[pid] = read_end

    def _reap(self, block: bool) -> bool:
        """Collect one finished child (waiting for one if ``block``); False when none finished."""
        # Only our own pids: waiting on -1 could take the exit status of a subprocess.Popen child.
        for pid in list(self._running):
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
        else:
            if not (block and self._running):
                return False
            # Whichever child ends first (not the oldest): its pipe reads end-of-file once it has
            # exited, or its error message just before, so a free worker never waits for a slow one.
            readable, _, _ = select.select(list(self._running.values()), [], [])
            pid = next(p for p, fd in self._running.items() if fd in readable)
            _, status = os.waitpid(pid, 0)
        read_end = self._running.pop(pid)
        with os.fdopen(read_end, "rb") as fh:
            message = fh.read().decode("utf-8", "replace")
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            self._errors.append(message or f"worker process ended with status {code}")
        return True

    def start_all(self) -> None:
        """Wait until every queued job has started: after this nothing more is forked, so the
        caller may start threads (a child forked while another thread holds a lock could hang)."""
        while self._queue:
            self.poll()
            if self._queue:
                self._reap(block=True)

    def wait(self) -> None:
        """Run every queued job and wait for all; raise RuntimeError with the first failure's traceback."""
        while self._running or self._queue:
            self.poll()
            if self._running:
                self._reap(block=True)
        if self._errors:
            first, self._errors = self._errors[0], []
            raise RuntimeError(f"a worker process failed:\n{first}")

    def __enter__(self) -> ForkedJobs:
        sys.stdout.flush()
        sys.stderr.flush()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None:
            # Leaving on an error: queued jobs are dropped, running ones stopped (SIGTERM unwinds
            # them like Ctrl-C, so their temporary files go) and collected.
            self._queue.clear()
            for pid in self._running:
                try:
                    os.kill(pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
            while self._running:
                self._reap(block=True)
            self._errors = []
            return
        self.wait()
