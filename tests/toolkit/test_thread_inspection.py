"""What a long poll sees of another thread (``pytest_fakesqs._threads``): blocked, or able to act.

Each case parks a real thread in one state, then asks. A thread counts as blocked only where
it cannot go on without another thread: anything else may act, and a poll waits for it.
"""

from __future__ import annotations

import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager

import pytest

from pytest_fakesqs._threads import blocked_threads

#: The poll's remaining wait, in seconds.
WITHIN = 20.0


@contextmanager
def parked(target: Callable[[], object]) -> Iterator[threading.Thread]:
    """A daemon thread running ``target``, given a moment to reach its waiting point."""
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    time.sleep(0.05)  # real-time: lets the thread reach the state under test
    yield thread


def is_blocked(thread: threading.Thread) -> bool:
    return blocked_threads([thread], WITHIN) is not None


def test_an_untimed_event_wait_is_blocked() -> None:
    release = threading.Event()
    with parked(release.wait) as thread:
        assert is_blocked(thread)
        release.set()


def test_a_notified_waiter_may_act_before_it_runs() -> None:
    condition = threading.Condition()

    def wait() -> None:
        with condition:
            condition.wait()

    with parked(wait) as thread:
        assert is_blocked(thread)
        with condition:  # holding the lock, the woken waiter cannot return yet
            condition.notify()
            assert not is_blocked(thread)
    thread.join(timeout=10)  # real-time: it returns as soon as the lock is free


@pytest.mark.parametrize(("timeout", "blocked"), [(5.0, False), (60.0, True)])
def test_a_timed_wait_is_blocked_only_if_it_outlasts_the_poll(
    timeout: float, blocked: bool
) -> None:
    release = threading.Event()
    with parked(lambda: release.wait(timeout)) as thread:
        assert is_blocked(thread) is blocked
        release.set()


def test_a_queue_get_and_a_future_result_are_blocked() -> None:
    items: queue.Queue[int] = queue.Queue()
    future: Future[int] = Future()
    with parked(items.get) as getter, parked(future.result) as waiter:
        assert is_blocked(getter)
        assert is_blocked(waiter)
        items.put(1)
        future.set_result(1)


def test_a_join_is_blocked_while_the_joined_thread_runs() -> None:
    release = threading.Event()
    with parked(release.wait) as joined, parked(joined.join) as joiner:
        assert is_blocked(joiner)
        release.set()


def test_an_idle_pool_worker_is_blocked() -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: None).result()
        [worker] = list(pool._threads)
        time.sleep(0.05)  # real-time: the worker goes back to waiting for work
        assert is_blocked(worker)


def test_waiting_for_a_lock_is_blocked() -> None:
    lock = threading.Lock()
    lock.acquire()

    def by_acquire() -> None:
        lock.acquire()
        lock.release()

    def with_statement() -> None:
        with lock:
            pass

    with parked(by_acquire) as by_call, parked(with_statement) as by_with:
        assert is_blocked(by_call)
        assert is_blocked(by_with)
        lock.release()


def test_sleeping_reading_a_socket_and_working_may_act() -> None:
    stop = threading.Event()
    left, right = socket.socketpair()

    def work() -> None:
        while not stop.is_set():
            sum(range(1000))

    with (
        parked(lambda: time.sleep(0.5)) as sleeper,
        parked(lambda: left.recv(1)) as reader,
        parked(work) as worker,
    ):
        assert not is_blocked(sleeper)
        assert not is_blocked(reader)
        assert not is_blocked(worker)
        stop.set()
        right.send(b"x")
    left.close()
    right.close()


def test_a_thread_without_a_frame_is_about_to_run() -> None:
    starting = threading.Thread(target=lambda: None)  # as seen between start() and its frame
    assert blocked_threads([starting], WITHIN) is None
