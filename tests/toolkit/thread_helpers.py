"""Real threads around the fake: a worker that hands back its result, spies on long polls."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from queue import SimpleQueue
from typing import Any

from pytest_fakesqs import FakeSQS

#: Real seconds a test that should take none may take: only a real long poll (20 s) breaks it.
CEILING = 10.0


class Worker(threading.Thread):
    """A daemon thread running one call; ``finish()`` joins it and gives the call's result."""

    def __init__(self, call: Callable[[], Any]) -> None:
        super().__init__(daemon=True)
        self._call = call
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self._call()
        except BaseException as error:  # handed to the test by finish()
            self.error = error

    def finish(self) -> Any:
        # real-time: the test has already caused whatever ends the call (a send, an advance(),
        # stopping the fake), so the join returns at once; 10 s is only a bound.
        self.join(timeout=CEILING)
        assert not self.is_alive()
        if self.error is not None:
            raise self.error
        return self.result


def watch_long_polls(fake: FakeSQS) -> SimpleQueue[float]:
    """Report each time a long poll of ``fake`` is about to wait: the fake moment it waits
    for. The report is made holding the fake's lock, so a call the test makes after reading it
    runs only once the poll is really waiting (waiting releases the lock)."""
    engine = fake.engine
    original = engine.polls.wait
    reports: SimpleQueue[float] = SimpleQueue()

    def wait(poll: Any, at: float) -> None:
        with engine.lock:
            reports.put(at)
            original(poll, at)

    engine.polls.wait = wait  # type: ignore[method-assign]
    return reports


def poll_in_a_worker(fake: FakeSQS, client: Any, url: str) -> tuple[Worker, float]:
    """Start a Worker long-polling ``url`` (WaitTimeSeconds=20) through ``client``; return it
    once its poll waits, with the fake moment the poll waits for."""
    polls = watch_long_polls(fake)
    worker = Worker(lambda: client.receive_message(QueueUrl=url, WaitTimeSeconds=20))
    worker.start()
    # real-time: returns as soon as the worker's poll starts waiting.
    return worker, polls.get(timeout=CEILING)


def count_jumps(fake: FakeSQS) -> list[float]:
    """Every jump a long poll makes from now on: the fake seconds it moved the clock by."""
    engine = fake.engine
    original = engine.polls.jump
    jumps: list[float] = []

    def jump(poll: Any, at: float) -> None:
        before = engine.clock.now()
        original(poll, at)
        jumps.append(engine.clock.now() - before)

    engine.polls.jump = jump  # type: ignore[method-assign]
    return jumps


@contextmanager
def real_seconds() -> Iterator[list[float]]:
    """The real seconds the block took, in a one-item list once it ends."""
    took: list[float] = []
    start = time.monotonic()
    try:
        yield took
    finally:
        took.append(time.monotonic() - start)
