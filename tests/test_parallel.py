"""Loading and rendering on several processes give exactly what one process gives.

The example site is small, so the pool's threshold is lowered to make it split the work; and
the test run itself has other threads (browsers, servers of earlier tests), which would keep
the work in one process, so that rule is switched off where a test needs the workers.
"""
import os

import pytest

from conftest import LLR, edit
from mappa_ssg import build, check, parallel
from mappa_ssg.parallel import map_in_order
from test_safe_output import snapshot


@pytest.fixture
def forking(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)


def test_results_come_back_in_order_from_forked_workers(forking):
    unpicklable = {i: (lambda i=i: i * i) for i in range(50)}  # a worker inherits these through fork
    assert list(map_in_order(lambda i: unpicklable[i](), range(50), 2)) == [i * i for i in range(50)]
    assert set(map_in_order(lambda i: os.getpid(), range(20), 2)) - {os.getpid()}, "no worker was forked"


def test_a_worker_failure_reaches_the_caller(forking):
    def fail_on_7(i):
        if i == 7:
            raise ValueError("seven")
        return i

    with pytest.raises(ValueError, match="seven"):
        list(map_in_order(fail_on_7, range(20), 2))


def test_parallel_build_is_byte_identical_to_a_serial_one(project, tmp_path, monkeypatch):
    edit(project / "content" / LLR / "2020-21" / "introduction.md", "", "REVIEW: a line to warn about.\n\n")
    serial = build(project, tmp_path / "serial", pdf=False, jobs=1)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    forked = build(project, tmp_path / "forked", pdf=False, jobs=2)
    assert serial.ok and forked.ok
    assert snapshot(tmp_path / "forked") == snapshot(tmp_path / "serial")
    assert forked.problems == serial.problems and any("REVIEW" in p.message for p in forked.problems)
    assert [str(p) for p in check(project).problems] == [str(p) for p in serial.problems]


def test_errors_found_by_workers_are_all_reported(project, monkeypatch):
    edit(project / "content" / LLR / "2020-21" / "report.yaml", "signatories:", "signatories: 3\nunused:")
    edit(project / "content" / LLR / "2014-15" / "introduction.md", "", "![](missing.png)\n\n")
    serial = [str(p) for p in check(project).problems]
    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    monkeypatch.setattr(parallel, "_other_threads_running", lambda: False)
    forked = [str(p) for p in check(project).problems]
    assert forked == serial
    assert any("missing.png" in p for p in forked) and any("2020-21/report.yaml" in p for p in forked)


def test_with_other_threads_running_the_work_stays_in_this_process(monkeypatch):
    import threading

    monkeypatch.setattr(parallel, "MIN_ITEMS", 1)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert parallel._other_threads_running()
        assert set(map_in_order(lambda i: os.getpid(), range(20), 2)) == {os.getpid()}
    finally:
        stop.set()
        other.join()


def test_workers_are_forked_by_the_call_so_threads_started_after_it_are_not_copied(forking):
    """output.Staging starts its writer threads after asking for the pages: the workers must
    be copies of this process as it was at the call (a fork after would copy a writer's held
    lock), so they cannot see what this process does next."""
    after_the_call: list[str] = []
    made = map_in_order(lambda i: (os.getpid(), list(after_the_call)), range(20), 2)
    after_the_call.append("a writer thread started")
    results = list(made)
    assert {pid for pid, _ in results} - {os.getpid()}, "no worker was forked"
    assert all(seen == [] for _, seen in results), "a worker was forked after the call returned"


def test_results_dropped_early_stop_the_workers(forking):
    made = map_in_order(lambda i: i, range(40), 2)
    assert next(made) == 0
    made.close()
    assert parallel._work is None
