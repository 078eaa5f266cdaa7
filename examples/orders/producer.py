"""Publishing order events.

The client is created when the module is imported, as most applications do. pytest-fakesqs
serves it all the same: the plugin hooks botocore before test collection imports this module.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from decimal import Decimal
from typing import Any

import boto3

sqs = boto3.client("sqs", region_name=os.environ.get("AWS_REGION", "us-east-1"))

#: SendMessageBatch takes at most 10 entries.
BATCH_SIZE = 10


@dataclass(frozen=True)
class Order:
    order_id: str
    customer_id: str
    total: Decimal
    items: tuple[str, ...] = ()

    def to_json(self) -> str:
        document = asdict(self)
        document["total"] = str(self.total)
        document["items"] = list(self.items)
        return json.dumps(document, sort_keys=True)

    @classmethod
    def from_json(cls, body: str) -> Order:
        document = json.loads(body)
        return cls(
            order_id=document["order_id"],
            customer_id=document["customer_id"],
            total=Decimal(document["total"]),
            items=tuple(document["items"]),
        )


class PublishError(Exception):
    """Some entries of a batch were rejected by SQS."""

    def __init__(self, failed: list[dict[str, Any]]) -> None:
        super().__init__(f"{len(failed)} order event(s) were not published: {failed}")
        self.failed = failed


def message_attributes(order: Order, event_type: str) -> dict[str, Any]:
    """Attributes consumers can route on without parsing the body."""
    return {
        "event_type": {"DataType": "String", "StringValue": event_type},
        "customer_id": {"DataType": "String", "StringValue": order.customer_id},
        "total": {"DataType": "Number", "StringValue": str(order.total)},
    }


def publish_order(queue_url: str, order: Order, *, event_type: str = "order.created") -> str:
    """Publish one order event; returns its MessageId."""
    response = sqs.send_message(
        QueueUrl=queue_url,
        MessageBody=order.to_json(),
        MessageAttributes=message_attributes(order, event_type),
    )
    message_id: str = response["MessageId"]
    return message_id


def _chunks(orders: Iterable[Order]) -> Iterator[list[Order]]:
    chunk: list[Order] = []
    for order in orders:
        chunk.append(order)
        if len(chunk) == BATCH_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def publish_orders(
    queue_url: str, orders: Iterable[Order], *, event_type: str = "order.created"
) -> dict[str, str]:
    """Publish order events in batches of 10; returns {order id: MessageId}.

    Raises :class:`PublishError` if SQS rejects any entry (the others are sent).
    """
    message_ids: dict[str, str] = {}
    failed: list[dict[str, Any]] = []
    for chunk in _chunks(orders):
        response = sqs.send_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {
                    "Id": order.order_id,
                    "MessageBody": order.to_json(),
                    "MessageAttributes": message_attributes(order, event_type),
                }
                for order in chunk
            ],
        )
        for entry in response.get("Successful", []):
            message_ids[entry["Id"]] = entry["MessageId"]
        failed.extend(response.get("Failed", []))
    if failed:
        raise PublishError(failed)
    return message_ids


def publish_order_fifo(queue_url: str, order: Order, *, event_type: str = "order.created") -> str:
    """Publish to the FIFO queue: a customer's orders stay in order, and a re-published order
    (same order id within 5 minutes) is delivered only once. Returns the SequenceNumber."""
    response = sqs.send_message(
        QueueUrl=queue_url,
        MessageBody=order.to_json(),
        MessageAttributes=message_attributes(order, event_type),
        MessageGroupId=order.customer_id,
        MessageDeduplicationId=f"{order.order_id}:{event_type}",
    )
    sequence_number: str = response["SequenceNumber"]
    return sequence_number
