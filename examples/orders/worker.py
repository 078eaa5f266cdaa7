"""The order worker: long-poll, process, delete; extend slow jobs; leave poison to the DLQ.

A message whose processing fails is not deleted: it becomes visible again when its visibility
timeout ends (or after ``retry_delay`` seconds), and once it has been received
``maxReceiveCount`` times the queue's RedrivePolicy moves it to the dead-letter queue.

On a FIFO queue, the messages after a failed one in the same message group are not processed:
they are handed back at once (visibility 0). SQS keeps the group locked while the failed message
is in flight, so they come back after it, in order.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3

from .producer import Order

log = logging.getLogger(__name__)


@dataclass
class Job:
    """One received order event, as the handler sees it."""

    order: Order
    event_type: str
    message_id: str
    receive_count: int
    _sqs: Any = field(repr=False)
    _queue_url: str = field(repr=False)
    _receipt_handle: str = field(repr=False)

    def extend_visibility(self, seconds: int) -> None:
        """Keep the message hidden for ``seconds`` more (from now): a slow job's heartbeat."""
        self._sqs.change_message_visibility(
            QueueUrl=self._queue_url,
            ReceiptHandle=self._receipt_handle,
            VisibilityTimeout=seconds,
        )


Handler = Callable[[Job], None]


@dataclass
class PollResult:
    """What one poll did, by MessageId."""

    processed: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: FIFO only: handed back unprocessed because an earlier message of their group failed.
    skipped: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.processed or self.failed or self.skipped)


class Worker:
    """Consumes order events from one queue."""

    def __init__(
        self,
        queue_url: str,
        handler: Handler,
        *,
        sqs: Any = None,
        wait_seconds: int = 20,
        batch_size: int = 10,
        retry_delay: int | None = None,
    ) -> None:
        self.queue_url = queue_url
        self.handler = handler
        self.sqs = sqs or boto3.client("sqs", region_name=os.environ.get("AWS_REGION", "us-east-1"))
        self.wait_seconds = wait_seconds
        self.batch_size = batch_size
        self.retry_delay = retry_delay
        self.fifo = queue_url.endswith(".fifo")

    def poll_once(self) -> PollResult:
        """One long poll: process what arrives, delete what succeeded."""
        response = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=self.wait_seconds,
            MessageAttributeNames=["All"],
            MessageSystemAttributeNames=["ApproximateReceiveCount", "MessageGroupId"],
        )
        result = PollResult()
        done: list[dict[str, str]] = []
        handed_back: list[dict[str, Any]] = []
        failed_groups: set[str] = set()
        for message in response.get("Messages", []):
            group = message["Attributes"].get("MessageGroupId") if self.fifo else None
            if group is not None and group in failed_groups:
                result.skipped.append(message["MessageId"])
                handed_back.append(
                    {
                        "Id": str(len(handed_back)),
                        "ReceiptHandle": message["ReceiptHandle"],
                        "VisibilityTimeout": 0,
                    }
                )
            elif self._process(message):
                result.processed.append(message["MessageId"])
                done.append({"Id": str(len(done)), "ReceiptHandle": message["ReceiptHandle"]})
            else:
                result.failed.append(message["MessageId"])
                if group is not None:
                    failed_groups.add(group)
        if done:
            deleted = self.sqs.delete_message_batch(QueueUrl=self.queue_url, Entries=done)
            for failure in deleted.get("Failed", []):
                log.error("could not delete a processed message: %s", failure)
        if handed_back:
            self.sqs.change_message_visibility_batch(QueueUrl=self.queue_url, Entries=handed_back)
        return result

    def drain(self) -> list[PollResult]:
        """Poll until a whole long poll brings nothing."""
        results = []
        while result := self.poll_once():
            results.append(result)
        return results

    def _process(self, message: dict[str, Any]) -> bool:
        try:
            attributes = message.get("MessageAttributes", {})
            job = Job(
                order=Order.from_json(message["Body"]),
                event_type=attributes["event_type"]["StringValue"],
                message_id=message["MessageId"],
                receive_count=int(message["Attributes"]["ApproximateReceiveCount"]),
                _sqs=self.sqs,
                _queue_url=self.queue_url,
                _receipt_handle=message["ReceiptHandle"],
            )
            self.handler(job)
        except Exception:
            log.exception("order event %s failed; SQS will redeliver it", message["MessageId"])
            if self.retry_delay is not None:
                self.sqs.change_message_visibility(
                    QueueUrl=self.queue_url,
                    ReceiptHandle=message["ReceiptHandle"],
                    VisibilityTimeout=self.retry_delay,
                )
            return False
        return True
