"""What an operation costs must not grow with the queue's depth.

Timing would be flaky, so these tests count instead: how many distinct messages an operation
looks at (through a Message subclass that records attribute reads) and how many heap
operations it makes (through a counting stand-in for the heapq module). Each scenario runs at
a shallow depth and at a deep one (100,000 messages; 20,000 in 10,000 groups for FIFO, whose
sends cost more to set up); both counts must be identical.
"""

from __future__ import annotations

import heapq
import subprocess
import sys
from collections.abc import Callable
from typing import Any

import pytest

from pytest_fakesqs._model import fifo_queue as fifo_module
from pytest_fakesqs._model import queue as queue_module
from pytest_fakesqs._model.message import Message

# The model is pure Python: it imports with botocore and boto3 unavailable.
_IMPORT = subprocess.run(
    [
        sys.executable,
        "-c",
        "import sys; sys.modules['botocore'] = sys.modules['boto3'] = None; "
        "import pytest_fakesqs._model.queue, pytest_fakesqs._model.fifo_queue",
    ],
    capture_output=True,
    text=True,
    check=False,
)
assert _IMPORT.returncode == 0, _IMPORT.stderr

NOW = 1_700_000_000.0

_touched: set[int] | None = None


class CountedMessage(Message):
    """A Message that records, while counting is on, that something read one of its fields."""

    __slots__ = ()

    def __getattribute__(self, name: str) -> Any:
        if _touched is not None:
            _touched.add(id(self))
        return object.__getattribute__(self, name)


class CountingHeapq:
    """Stands in for the heapq module inside the queue modules and counts every call."""

    def __init__(self) -> None:
        self.calls = 0

    def heappush(self, heap: list[Any], item: Any) -> None:
        self.calls += 1
        heapq.heappush(heap, item)

    def heappop(self, heap: list[Any]) -> Any:
        self.calls += 1
        return heapq.heappop(heap)

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the queue model used heapq.{name}, which this test does not count")


class Meter:
    """Runs one operation and records (messages looked at, heap operations) under a label.

    The queue is filled at full speed first; counting starts with the first measurement.
    """

    def __init__(self, queue: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        for message in queue.messages():
            message.__class__ = CountedMessage
        self.heap = CountingHeapq()
        monkeypatch.setattr(queue_module, "heapq", self.heap)
        monkeypatch.setattr(fifo_module, "heapq", self.heap)
        self.costs: dict[str, tuple[int, int]] = {}

    def __call__(self, label: str, operation: Callable[[], Any]) -> Any:
        global _touched
        self.heap.calls = 0
        _touched = set()
        try:
            result = operation()
        finally:
            touched, _touched = len(_touched), None
        self.costs[label] = (touched, self.heap.calls)
        return result


def standard_scenario(depth, make_queue, send, nonce, monkeypatch: pytest.MonkeyPatch) -> dict:
    queue = make_queue()
    for index in range(depth):
        send(queue, f"m{index}")
    meter = Meter(queue, monkeypatch)

    received = meter("receive", lambda: queue.receive(10, 30, NOW + 1, nonce))
    first, second = received[0], received[1]
    meter(
        "change visibility",
        lambda: queue.change_visibility_by_handle(
            queue.find(first.message_id, NOW + 2), first.receipt_handle, 60, NOW + 2
        ),
    )
    meter(
        "delete",
        lambda: queue.delete_by_handle(
            queue.find(second.message_id, NOW + 3), second.receipt_handle, NOW + 3
        ),
    )
    meter("visibility ends", lambda: queue.refresh(NOW + 31))
    meter("attributes", lambda: queue.attribute_values(NOW + 32))
    meter("send", lambda: send(queue, "new", now=NOW + 33, message_class=CountedMessage))
    again = meter("receive again", lambda: queue.receive(10, 30, NOW + 34, nonce))
    meter("next change", queue.next_change_at)
    meter("purge", lambda: queue.purge(NOW + 35))
    assert len(received) == len(again) == 10
    return meter.costs


def fifo_scenario(depth, make_queue, send, nonce, monkeypatch: pytest.MonkeyPatch) -> dict:
    queue = make_queue("jobs.fifo")
    for index in range(depth // 2):  # two messages per group
        for part in ("a", "b"):
            send(
                queue,
                f"{index}{part}",
                group_id=f"group-{index}",
                deduplication_id=f"{index}{part}",
            )
    meter = Meter(queue, monkeypatch)

    received = meter("receive", lambda: queue.receive(10, 30, NOW + 1, nonce))
    first, second = received[0], received[1]
    meter(
        "delete",
        lambda: queue.delete_by_handle(
            queue.find(first.message_id, NOW + 2), first.receipt_handle, NOW + 2
        ),
    )
    meter(
        "change visibility",
        lambda: queue.change_visibility_by_handle(
            queue.find(second.message_id, NOW + 3), second.receipt_handle, 0, NOW + 3
        ),
    )
    meter("visibility ends", lambda: queue.refresh(NOW + 31))
    meter("attributes", lambda: queue.attribute_values(NOW + 32))
    meter(
        "send",
        lambda: send(
            queue,
            "new",
            now=NOW + 33,
            group_id="group-new",
            deduplication_id="new",
            message_class=CountedMessage,
        ),
    )
    again = meter("receive again", lambda: queue.receive(10, 30, NOW + 34, nonce))
    meter("purge", lambda: queue.purge(NOW + 35))
    assert len(received) == len(again) == 10
    return meter.costs


@pytest.mark.parametrize(
    ("scenario", "deep_depth"),
    [(standard_scenario, 100_000), (fifo_scenario, 20_000)],
    ids=["standard", "fifo"],
)
def test_operation_cost_does_not_depend_on_queue_depth(
    scenario, deep_depth, make_queue, send, nonce, monkeypatch
):
    shallow = scenario(40, make_queue, send, nonce, monkeypatch)
    monkeypatch.undo()
    deep = scenario(deep_depth, make_queue, send, nonce, monkeypatch)

    assert deep == shallow
    # A receive of ten looks at exactly the ten messages it delivers.
    assert deep["receive"][0] == 10
    assert deep["purge"] == (0, 0)
