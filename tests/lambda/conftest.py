"""Shared by the Lambda event source mapping tests: a frozen clock, real boto3 clients, and
queues with a dead-letter queue."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest

from pytest_fakesqs import FakeSQS

START = datetime(2024, 1, 1, tzinfo=timezone.utc)
T0 = START.timestamp()
ACCOUNT = "123456789012"


def at(seconds: float) -> datetime:
    """START plus ``seconds``."""
    return START + timedelta(seconds=seconds)


def arn(name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:sqs:{region}:{ACCOUNT}:{name}"


@pytest.fixture
def sqs(fake_sqs: FakeSQS) -> Any:
    """A boto3 SQS client in us-east-1, served by ``fake_sqs``."""
    return boto3.client("sqs", region_name="us-east-1")


def create(sqs: Any, name: str, **attributes: Any) -> str:
    """A queue (FIFO when the name ends in .fifo), with attributes given as Python values."""
    values = {
        key: str(value).lower() if isinstance(value, bool) else str(value)
        for key, value in attributes.items()
    }
    if name.endswith(".fifo"):
        values.setdefault("FifoQueue", "true")
    url: str = sqs.create_queue(QueueName=name, Attributes=values)["QueueUrl"]
    return url


def with_dead_letter_queue(sqs: Any, name: str, max_receive_count: int, **attributes: Any) -> str:
    """A queue whose RedrivePolicy sends messages to ``{name}-dlq`` (``.fifo`` kept last)."""
    dlq = name.replace(".fifo", "-dlq.fifo") if name.endswith(".fifo") else f"{name}-dlq"
    create(sqs, dlq)
    policy = {"deadLetterTargetArn": arn(dlq), "maxReceiveCount": max_receive_count}
    return create(sqs, name, RedrivePolicy=json.dumps(policy), **attributes)


class Recorder:
    """A handler that records each event and answers from a script (or None)."""

    def __init__(self, *answers: Any) -> None:
        self.events: list[dict[str, Any]] = []
        self._answers = list(answers)

    def __call__(self, event: dict[str, Any], context: Any) -> Any:
        self.events.append(event)
        answer = self._answers.pop(0) if self._answers else None
        if isinstance(answer, BaseException):
            raise answer
        return answer

    @property
    def batches(self) -> list[list[str]]:
        """The bodies of each call's records."""
        return [[record["body"] for record in event["Records"]] for event in self.events]
