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


def map_in_order(function: Callable[[T], R], items: Sequence[T], jobs: int | None) -> Iterator[R]:
    """``function(item) for item in items``, on ``jobs`` processes when that pays.

    ``function`` and ``items`` need not be picklable (the workers are forked with them); what
    ``function`` returns must be. Results are yielded in order as they arrive, so a caller can
    write them while the rest are being made. The pieces are dealt in contiguous chunks, several
    per worker, so a slow chunk does not leave the other cores idle at the end.
    """
    count = workers(jobs)
    # Fork copies only the calling thread: a lock held by another thread (the preview server's,
    # the PDF workers' manager) would stay locked for ever in the copy. So with other threads
    # running, the work stays in this process.
    if count == 1 or len(items) < MIN_ITEMS or _other_threads_running() or "fork" not in multiprocessing.get_all_start_methods():
        yield from (function(item) for item in items)
        return
    global _work
    size = max(1, len(items) // (count * 4))
    chunks = [range(start, min(start + size, len(items))) for start in range(0, len(items), size)]
    _work = lambda chunk: [function(items[i]) for i in chunk]  # noqa: E731 (inherited by the fork)
    try:
        # concurrent.futures rather than multiprocessing.Pool: a worker that dies (killed, out of
        # memory) fails the build with BrokenProcessPool instead of leaving it waiting for ever.
        with ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("fork")) as pool:
            for part in pool.map(_run_chunk, chunks):
                yield from part
    finally:
        _work = None


def _other_threads_running() -> bool:
    return threading.active_count() > 1


def _run_chunk(chunk: range) -> list:
    assert _work is not None
    return _work(chunk)
