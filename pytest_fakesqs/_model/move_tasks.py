"""Message move tasks: redrive from a dead-letter queue, paced in the fake's clock.

A task moves at most ``rate`` messages per second of fake time since it started. It makes
progress lazily, whenever the engine next looks (at every call), so ``advance()`` drives it and
a test sees partial progress.
"""

from __future__ import annotations

import base64
import binascii
import copy
import json
from dataclasses import dataclass

from .message import Message, Origin
from .queue import Queue

#: The rate when StartMessageMoveTask names none ("system optimized" on SQS): the API maximum.
DEFAULT_RATE = 500
MAX_TASKS_LISTED = 10


@dataclass(eq=False)
class MoveTask:
    task_id: str
    source: Queue
    destination_arn: str | None
    rate: int | None
    started_at: float
    to_move: int
    moved: int = 0
    status: str = "RUNNING"
    failure_reason: str | None = None

    @property
    def per_second(self) -> int:
        """The pace: the rate asked for, or the "system optimized" default."""
        return self.rate or DEFAULT_RATE

    def next_step_at(self) -> float:
        """When the next message may move."""
        return self.started_at + (self.moved + 1) / self.per_second

    @property
    def handle(self) -> str:
        payload = json.dumps({"taskId": self.task_id, "sourceArn": self.source.arn})
        return base64.b64encode(payload.encode()).decode("ascii")

    def describe(self) -> dict[str, object]:
        """One ListMessageMoveTasks result entry, keys present as SQS sends them."""
        entry: dict[str, object] = {}
        if self.status == "RUNNING":
            entry["TaskHandle"] = self.handle
        entry["Status"] = self.status
        entry["SourceArn"] = self.source.arn
        if self.destination_arn is not None:
            entry["DestinationArn"] = self.destination_arn
        if self.rate is not None:
            entry["MaxNumberOfMessagesPerSecond"] = self.rate
        entry["ApproximateNumberOfMessagesMoved"] = self.moved
        entry["ApproximateNumberOfMessagesToMove"] = self.to_move
        if self.failure_reason is not None:
            entry["FailureReason"] = self.failure_reason
        entry["StartedTimestamp"] = int(self.started_at * 1000)
        return entry


def parse_task_handle(handle: str) -> tuple[str, str] | None:
    """(task id, source ARN) from a task handle, or None when it is not one."""
    try:
        payload = json.loads(base64.b64decode(handle, validate=True))
        return str(payload["taskId"]), str(payload["sourceArn"])
    except (binascii.Error, ValueError, KeyError, TypeError):
        return None


def move_message(message: Message, destination: Queue, now: float) -> None:
    """Put a message taken from a dead-letter queue into its destination, as a fresh arrival:
    its receive count starts again (else it would bounce straight back)."""
    moved = copy.copy(message)
    moved.receive_count = 0
    moved.first_receive_ms = None
    moved.received_at = None
    moved.receipt_handle = None
    moved.dead_letter_source_arn = None
    moved.origin = Origin.MOVED
    moved.fate = None
    moved.seq = destination.next_seq()
    retention_from = now if destination.fifo else message.sent_at
    destination.add(moved, 0, now, retention_from=retention_from)
