"""Queue, don't refuse: with every query worker busy, a request waits in line for the next free one,
first come first served, up to its queue deadline (``DSIH_QUEUE_TIMEOUT``), not its query time limit;
the line is bounded, and how long a request waited is reported for Server-Timing."""

from __future__ import annotations

import threading
import time

import pytest

from dsih_kg.stores import StoreUnavailable
from dsih_kg.stores import pool as pool_module
from dsih_kg.stores.pool import WorkerPool

CONFIG = {"engine": "rdflib", "kind": "memory", "path": "", "writable": False, "sandbox": False, "prefixes": {}}
ASK = {"op": "query", "query": "ASK {}", "mode": "terms"}


@pytest.fixture
def pool():
    workers = WorkerPool(CONFIG, 1)
    yield workers
    workers.close()


def hold_the_only_worker(pool: WorkerPool, seconds: float) -> threading.Thread:
    """Keep the pool's one worker busy for ``seconds``, as a long query would."""
    worker = pool._acquire(time.monotonic() + 5)

    def release_later() -> None:
        time.sleep(seconds)
        pool._release(worker)

    thread = threading.Thread(target=release_later)
    thread.start()
    return thread


def test_a_request_waits_past_its_query_limit_for_a_busy_worker(pool):
    holder = hold_the_only_worker(pool, 1.5)
    reply = pool.run(ASK, timeout=0.5, queue_timeout=30)  # the query limit starts when a worker takes it
    holder.join()
    assert reply["ok"] and reply["boolean"] is True
    assert pool.waited.seconds >= 1.0


def test_waiting_requests_are_served_first_come_first_served(pool):
    holder = hold_the_only_worker(pool, 1.0)
    served: list[str] = []
    acquire = pool._acquire

    def acquire_in_order(deadline: float):
        worker = acquire(deadline)
        served.append(threading.current_thread().name)  # while it holds the worker: no race
        return worker

    pool._acquire = acquire_in_order
    threads = []
    for number in range(6):
        thread = threading.Thread(target=pool.run, args=(ASK, 5, 30), name=str(number))
        thread.start()
        threads.append(thread)
        deadline = time.monotonic() + 5
        while len(pool._waiting) < number + 1 and time.monotonic() < deadline:  # in line before the next
            time.sleep(0.005)
    holder.join()
    for thread in threads:
        thread.join()
    assert served == [str(number) for number in range(6)]


def test_the_queue_deadline_still_ends_the_wait(pool):
    holder = hold_the_only_worker(pool, 2.0)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="stayed busy"):
        pool.run(ASK, timeout=5, queue_timeout=0.3)
    assert time.monotonic() - started < 1.9
    holder.join()


def test_the_line_is_bounded(pool, monkeypatch):
    monkeypatch.setattr(pool_module, "MAX_WAITING", 1)
    holder = hold_the_only_worker(pool, 1.0)
    waiting = threading.Thread(target=pool.run, args=(ASK, 5, 30))
    waiting.start()
    deadline = time.monotonic() + 5
    while not pool._waiting and time.monotonic() < deadline:
        time.sleep(0.005)
    with pytest.raises(StoreUnavailable, match="already waiting"):
        pool.run(ASK, timeout=5, queue_timeout=30)
    holder.join()
    waiting.join()
