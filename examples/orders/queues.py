"""Queue set-up: the orders queue, its dead-letter queue, and a FIFO variant."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

ORDERS_QUEUE = "orders"
ORDERS_DLQ = "orders-dlq"
ORDERS_FIFO_QUEUE = "orders.fifo"
ORDERS_FIFO_DLQ = "orders-dlq.fifo"


@dataclass(frozen=True)
class Queues:
    """The URLs the producer and the worker need."""

    orders_url: str
    dead_letter_url: str


def create_queues(sqs: Any, *, max_receive_count: int = 3, visibility_timeout: int = 30) -> Queues:
    """Create the orders queue and its dead-letter queue (idempotent, like CreateQueue).

    After ``max_receive_count`` failed deliveries, SQS moves a message to the dead-letter
    queue on its next receive.
    """
    dead_letter_url = sqs.create_queue(QueueName=ORDERS_DLQ)["QueueUrl"]
    dead_letter_arn = sqs.get_queue_attributes(
        QueueUrl=dead_letter_url, AttributeNames=["QueueArn"]
    )["Attributes"]["QueueArn"]
    orders_url = sqs.create_queue(
        QueueName=ORDERS_QUEUE,
        Attributes={
            "VisibilityTimeout": str(visibility_timeout),
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": max_receive_count}
            ),
        },
    )["QueueUrl"]
    return Queues(orders_url=orders_url, dead_letter_url=dead_letter_url)


def create_fifo_queue(sqs: Any, *, visibility_timeout: int = 30) -> str:
    """Create the FIFO orders queue: one message group per customer, orders deduplicated."""
    url: str = sqs.create_queue(
        QueueName=ORDERS_FIFO_QUEUE,
        Attributes={"FifoQueue": "true", "VisibilityTimeout": str(visibility_timeout)},
    )["QueueUrl"]
    return url
