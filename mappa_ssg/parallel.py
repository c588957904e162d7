"""Work spread over every core: forked worker processes, results handed back in order.

Loading a national archive (hundreds of reports through a pure-Python Markdown parser) and
rendering its pages are both many independent pieces of CPU work, so they are split over a pool
of processes. The pool is forked, so each worker starts with everything the parent has already
loaded (the site model, compiled templates) and nothing but the results crosses back. Results
come back in the order of the work, so the output does not depend on which worker was quicker.
Small jobs stay in this process: a pool costs more than it saves below a few dozen pieces.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 32  # fewer pieces of work than this are done in this process

_work: Callable | None = None  # the function the forked workers run, inherited through fork


def workers(jobs: int | None) -> int:
    return max(1, jobs or os.cpu_count() or 1)


def forked_workers(jobs: int | None) -> int:
    """How many worker processes ``jobs`` allows here: one (this process) where processes
    cannot be forked, since every worker is (see :func:`can_fork`)."""
    return workers(jobs) if can_fork() else 1


def map_in_order(function: Callable[[T], R], items: Sequence[T], jobs: int | None) -> Iterator[R]:
    """``function(item) for item in items``, on ``jobs`` processes when that pays.

    ``function`` and ``items`` need not be picklable (the workers are forked with them); what
    ``function`` returns must be. Results are yielded in order as they arrive, so a caller can
    write them while the rest are being made. The pieces are dealt in contiguous chunks, several
    per worker, so a slow chunk does not leave the other cores idle at the end.

    The workers are forked by this call, not when the first result is asked for: the caller may
    start threads of its own after it (output.Staging's writers), and a fork must come first.
    """
    count = workers(jobs)
    # Fork copies only the calling thread: a lock held by another thread (the preview server's,
    # a pool's manager) would stay locked for ever in the copy. So with other threads running,
    # the work stays in this process. (The PDF workers, pdf.Printers, keep no thread here.)
    if count == 1 or len(items) < MIN_ITEMS or _other_threads_running() or not can_fork():
        return (function(item) for item in items)
    global _work
    size = max(1, len(items) // (count * 4))
    chunks = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _work = lambda chunk: [function(items[i]) for i in chunk]  # noqa: E731 (inherited by the fork)
    # concurrent.futures rather than multiprocessing.Pool: a worker that dies (killed, out of
    # memory) fails the build with BrokenProcessPool instead of leaving it waiting for ever.
    # With fork, the executor starts every worker when the work is submitted (before its own
    # manager thread), so all of them are copies of this process as it is now.
    pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork"), initializer=ignore_interrupts)
    try:
        return _Results(pool, pool.map(_run_chunk, chunks))
    except BaseException:
        _stop(pool)
        raise


class _Results:
    """The results of a pool, in order; the pool is shut down when they run out, when one
    fails, or on ``close()`` (a caller that stops early: its own error, say)."""

    def __init__(self, pool: ProcessPoolExecutor, parts: Iterator[list]):
        self._pool = pool
        self._items = (item for part in parts for item in part)

    def __iter__(self) -> "_Results":
        return self

    def __next__(self):
        try:
            return next(self._items)
        except BaseException:  # StopIteration included: the work is done
            self.close()
            raise

    def close(self) -> None:
        _stop(self._pool)

    __del__ = close  # dropped unfinished (a caller's error): as a generator's ``finally`` would


def _stop(pool: ProcessPoolExecutor) -> None:
    global _work
    pool.shutdown(cancel_futures=True)
    _work = None


def can_fork() -> bool:
    """Whether this system starts processes by fork (not Windows): every worker here is forked."""
    return "fork" in multiprocessing.get_all_start_methods()


def ignore_interrupts() -> None:
    """For a worker process: Ctrl-C reaches every process of the terminal's group at once; the
    main process stops the build and its workers, so a worker's own traceback would be noise."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _other_threads_running() -> bool:
    return threading.active_count() > 1


def _run_chunk(chunk: range) -> list:
    assert _work is not None
    return _work(chunk)
