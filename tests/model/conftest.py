"""Factories for the model tests: queues and messages built directly, no botocore, no engine.

The model never reads a clock; every test passes ``now`` explicitly, starting at ``NOW``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from pytest_fakesqs._model.fifo_queue import FifoQueue
from pytest_fakesqs._model.message import Message
from pytest_fakesqs._model.queue import Queue

NOW = 1_700_000_000.0
ACCOUNT = "123456789012"
REGION = "us-east-1"


def build_queue(
    name: str = "jobs",
    *,
    attributes: dict[str, str] | None = None,
    now: float = NOW,
) -> Queue:
    """A standard queue, or a FIFO queue when the name ends in .fifo (as CreateQueue decides)."""
    fifo = name.endswith(".fifo")
    values = dict(attributes or {})
    if fifo:
        values.setdefault("FifoQueue", "true")
    queue_class: type[Queue] = FifoQueue if fifo else Queue
    return queue_class(
        name=name,
        account_id=ACCOUNT,
        region=REGION,
        url=f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}",
        attributes=values,
        tags={},
        now=now,
    )


class Sender:
    """Stores messages the way SendMessage does once validation has passed."""

    def __init__(self) -> None:
        self._ids = itertools.count(1)

    def message(
        self,
        queue: Queue,
        body: str,
        *,
        now: float = NOW,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        message_class: type[Message] = Message,
    ) -> Message:
        return message_class(
            message_id=f"message-{next(self._ids)}",
            body=body,
            attributes=None,
            system_attributes=None,
            md5_of_body="0" * 32,
            md5_of_attributes=None,
            md5_of_system_attributes=None,
            sender_id="AIDAIENQZJOLO23YVJ4VO",
            sent_at=now,
            seq=queue.next_seq(),
            size=len(body),
            group_id=group_id,
            deduplication_id=deduplication_id,
        )

    def __call__(
        self,
        queue: Queue,
        body: str,
        *,
        now: float = NOW,
        delay: int | None = None,
        **options: Any,
    ) -> Message:
        """Send one message; returns the message the sender is told about."""
        return queue.send(self.message(queue, body, now=now, **options), delay, now)


@pytest.fixture
def make_queue() -> Callable[..., Queue]:
    return build_queue


@pytest.fixture
def send() -> Sender:
    return Sender()


@pytest.fixture
def nonce() -> Iterator[Callable[[], int]]:
    """A receipt-handle nonce source: 1, 2, 3..."""
    yield itertools.count(1).__next__
