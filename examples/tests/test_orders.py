"""The order service's tests, run against pytest-fakesqs.

The module-level marker switches the fake on for every test and freezes its clock, so
timestamps are exact and time moves only through ``fake_sqs.advance(...)`` or long polls.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from orders import producer
from orders.producer import Order, PublishError, publish_order, publish_order_fifo, publish_orders
from orders.queues import Queues, create_fifo_queue, create_queues
from orders.worker import Job, PollResult, Worker

from pytest_fakesqs import FakeSQS

START = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
ORDERS_ARN = "arn:aws:sqs:us-east-1:123456789012:orders"

pytestmark = pytest.mark.fake_sqs(freeze=START)


@pytest.fixture
def queues(fake_sqs: FakeSQS) -> Queues:
    """The orders queue (visibility 30 s, three deliveries before the DLQ) and its DLQ."""
    return create_queues(producer.sqs, max_receive_count=3, visibility_timeout=30)


def counts(sqs: Any, queue_url: str) -> tuple[str, str]:
    """(visible, in flight) as GetQueueAttributes reports them."""
    attributes = sqs.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return (
        attributes["ApproximateNumberOfMessages"],
        attributes["ApproximateNumberOfMessagesNotVisible"],
    )


# --- producer -------------------------------------------------------------------------------


def test_publish_order_sends_body_and_attributes(queues: Queues, sqs_client: Any) -> None:
    message_id = publish_order(queues.orders_url, Order("o-1", "c-1", Decimal("12.50"), ("book",)))

    messages = sqs_client.receive_message(
        QueueUrl=queues.orders_url,
        MessageAttributeNames=["All"],
        MessageSystemAttributeNames=["SentTimestamp"],
    )["Messages"]

    body = '{"customer_id": "c-1", "items": ["book"], "order_id": "o-1", "total": "12.50"}'
    assert len(messages) == 1
    assert messages[0]["MessageId"] == message_id
    assert messages[0]["Body"] == body
    assert messages[0]["MD5OfBody"] == hashlib.md5(body.encode()).hexdigest()
    assert messages[0]["Attributes"] == {"SentTimestamp": "1714564800000"}
    assert messages[0]["MessageAttributes"] == {
        "event_type": {"DataType": "String", "StringValue": "order.created"},
        "customer_id": {"DataType": "String", "StringValue": "c-1"},
        "total": {"DataType": "Number", "StringValue": "12.50"},
    }


def test_publish_orders_sends_batches_of_ten(queues: Queues, sqs_client: Any) -> None:
    batch_sizes: list[int] = []

    def count_batch(params: dict[str, Any], **_: Any) -> None:
        batch_sizes.append(len(params["Entries"]))

    # The producer's client lives as long as the module: unregister what the test adds.
    events = producer.sqs.meta.events
    events.register("before-parameter-build.sqs.SendMessageBatch", count_batch, "count-batch")
    try:
        message_ids = publish_orders(
            queues.orders_url, [Order(f"o-{n}", "c-1", Decimal(n)) for n in range(23)]
        )
    finally:
        events.unregister("before-parameter-build.sqs.SendMessageBatch", unique_id="count-batch")

    assert batch_sizes == [10, 10, 3]
    assert sorted(message_ids) == sorted(f"o-{n}" for n in range(23))
    assert len(set(message_ids.values())) == 23
    assert counts(sqs_client, queues.orders_url) == ("23", "0")


def test_publish_orders_reports_rejected_entries(queues: Queues, sqs_client: Any) -> None:
    sqs_client.set_queue_attributes(
        QueueUrl=queues.orders_url, Attributes={"MaximumMessageSize": "1024"}
    )
    too_big = Order("o-2", "c-1", Decimal("1"), ("x" * 1100,))

    with pytest.raises(PublishError) as excinfo:
        publish_orders(queues.orders_url, [Order("o-1", "c-1", Decimal("1")), too_big])

    assert excinfo.value.failed == [
        {
            "Id": "o-2",
            "SenderFault": True,
            "Code": "InvalidParameterValue",
            "Message": "One or more parameters cannot be validated. "
            "Reason: Message must be shorter than 1024 bytes.",
        }
    ]
    assert counts(sqs_client, queues.orders_url) == ("1", "0")


def test_publishing_to_a_deleted_queue_fails(queues: Queues, sqs_client: Any) -> None:
    sqs_client.delete_queue(QueueUrl=queues.orders_url)

    with pytest.raises(producer.sqs.exceptions.QueueDoesNotExist) as excinfo:
        publish_order(queues.orders_url, Order("o-1", "c-1", Decimal("1")))

    error = excinfo.value.response
    assert error["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    assert error["Error"]["QueryErrorCode"] == "QueueDoesNotExist"
    assert error["Error"]["Message"] == "The specified queue does not exist."
    assert error["ResponseMetadata"]["HTTPStatusCode"] == 400


# --- worker ---------------------------------------------------------------------------------


def test_worker_processes_and_deletes(fake_sqs: FakeSQS, queues: Queues, sqs_client: Any) -> None:
    sent = publish_orders(queues.orders_url, [Order(f"o-{n}", "c-1", Decimal(n)) for n in range(3)])
    handled: list[str] = []
    worker = Worker(queues.orders_url, lambda job: handled.append(job.order.order_id))

    results = worker.drain()

    assert len(results) == 1
    assert sorted(results[0].processed) == sorted(sent.values())
    assert sorted(handled) == ["o-0", "o-1", "o-2"]
    assert counts(sqs_client, queues.orders_url) == ("0", "0")
    # drain() stopped after one empty 20 s long poll, which took no real time.
    assert fake_sqs.now == START + timedelta(seconds=20)


def test_empty_long_poll_moves_the_fake_clock_to_the_end_of_the_wait(
    fake_sqs: FakeSQS, queues: Queues
) -> None:
    worker = Worker(queues.orders_url, lambda job: None, wait_seconds=20)

    assert worker.poll_once() == PollResult()
    assert fake_sqs.now == START + timedelta(seconds=20)


def test_failed_order_comes_back_after_the_visibility_timeout(
    fake_sqs: FakeSQS, queues: Queues
) -> None:
    message_id = publish_order(queues.orders_url, Order("o-1", "c-1", Decimal("5")))
    attempts: list[int] = []

    def flaky(job: Job) -> None:
        attempts.append(job.receive_count)
        if job.receive_count == 1:
            raise ConnectionError("payment service unavailable")

    worker = Worker(queues.orders_url, flaky, wait_seconds=0)

    assert worker.poll_once() == PollResult(failed=[message_id])
    assert worker.poll_once() == PollResult()
    fake_sqs.advance(29)
    assert worker.poll_once() == PollResult()
    fake_sqs.advance(seconds=1)
    assert worker.poll_once() == PollResult(processed=[message_id])
    assert attempts == [1, 2]


def test_retry_delay_brings_a_failed_order_back_within_the_long_poll(
    fake_sqs: FakeSQS, queues: Queues
) -> None:
    message_id = publish_order(queues.orders_url, Order("o-1", "c-1", Decimal("5")))
    attempts: list[int] = []

    def flaky(job: Job) -> None:
        attempts.append(job.receive_count)
        if job.receive_count == 1:
            raise ConnectionError("payment service unavailable")

    worker = Worker(queues.orders_url, flaky, wait_seconds=20, retry_delay=5)

    assert worker.poll_once() == PollResult(failed=[message_id])
    # The long poll jumps the fake clock to the moment the message is visible again.
    assert worker.poll_once() == PollResult(processed=[message_id])
    assert fake_sqs.now == START + timedelta(seconds=5)
    assert attempts == [1, 2]


@pytest.mark.parametrize(("heartbeat", "seen_by_other_consumer"), [(True, 0), (False, 1)])
def test_slow_job_extends_its_visibility(
    fake_sqs: FakeSQS,
    queues: Queues,
    sqs_client: Any,
    heartbeat: bool,
    seen_by_other_consumer: int,
) -> None:
    message_id = publish_order(queues.orders_url, Order("o-1", "c-1", Decimal("999")))
    other_consumer: list[dict[str, Any]] = []

    def slow(job: Job) -> None:
        if heartbeat:
            job.extend_visibility(120)
        fake_sqs.advance(minutes=1, seconds=30)  # the job takes 90 s; visibility is 30 s
        other_consumer.extend(
            sqs_client.receive_message(
                QueueUrl=queues.orders_url, MessageSystemAttributeNames=["ApproximateReceiveCount"]
            ).get("Messages", [])
        )

    result = Worker(queues.orders_url, slow, wait_seconds=0).poll_once()

    assert result == PollResult(processed=[message_id])
    assert len(other_consumer) == seen_by_other_consumer
    if other_consumer:
        # Without a heartbeat the order is delivered twice: the bug this test guards against.
        assert other_consumer[0]["MessageId"] == message_id
        assert other_consumer[0]["Attributes"] == {"ApproximateReceiveCount": "2"}
    # On a standard queue the worker's older receipt handle still deletes the message.
    assert counts(sqs_client, queues.orders_url) == ("0", "0")


def test_poison_message_lands_in_the_dead_letter_queue(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    queues = create_queues(producer.sqs, max_receive_count=3, visibility_timeout=10)
    poison_id = sqs_client.send_message(QueueUrl=queues.orders_url, MessageBody="not json")[
        "MessageId"
    ]
    worker = Worker(queues.orders_url, lambda job: None, wait_seconds=20)

    results = worker.drain()

    assert results == [PollResult(failed=[poison_id])] * 3
    # Three receives 10 s apart, then a long poll that moved the message to the DLQ at 30 s
    # and waited to its end at 40 s. All in fake time.
    assert fake_sqs.now == START + timedelta(seconds=40)
    assert counts(sqs_client, queues.orders_url) == ("0", "0")
    dead = sqs_client.receive_message(
        QueueUrl=queues.dead_letter_url, MessageSystemAttributeNames=["DeadLetterQueueSourceArn"]
    )["Messages"]
    assert [(m["MessageId"], m["Body"], m["Attributes"]) for m in dead] == [
        (poison_id, "not json", {"DeadLetterQueueSourceArn": ORDERS_ARN})
    ]


# --- FIFO -----------------------------------------------------------------------------------


def test_fifo_keeps_each_customers_orders_in_order(fake_sqs: FakeSQS) -> None:
    url = create_fifo_queue(producer.sqs, visibility_timeout=30)
    for order_id, customer in [
        ("o-1", "c-1"),
        ("o-4", "c-2"),
        ("o-2", "c-1"),
        ("o-5", "c-2"),
        ("o-3", "c-1"),
    ]:
        publish_order_fifo(url, Order(order_id, customer, Decimal("1")))
    handled: dict[str, list[str]] = {"c-1": [], "c-2": []}

    def handle(job: Job) -> None:
        if job.order.order_id == "o-1" and job.receive_count == 1:
            raise TimeoutError("warehouse did not answer")
        handled[job.order.customer_id].append(job.order.order_id)

    worker = Worker(url, handle, wait_seconds=0)

    first = worker.poll_once()
    assert (len(first.processed), len(first.failed), len(first.skipped)) == (2, 1, 2)
    assert handled == {"c-1": [], "c-2": ["o-4", "o-5"]}
    # c-1 is locked while o-1 is in flight: o-2 and o-3 wait for it.
    assert worker.poll_once() == PollResult()
    fake_sqs.advance(30)
    assert len(worker.poll_once().processed) == 3
    assert handled == {"c-1": ["o-1", "o-2", "o-3"], "c-2": ["o-4", "o-5"]}


def test_fifo_republished_order_is_delivered_once(fake_sqs: FakeSQS) -> None:
    url = create_fifo_queue(producer.sqs)
    order = Order("o-1", "c-1", Decimal("1"))

    first = publish_order_fifo(url, order)
    fake_sqs.advance(minutes=4)  # a retry within the 5-minute deduplication window
    again = publish_order_fifo(url, order)

    handled: list[str] = []
    worker = Worker(url, lambda job: handled.append(job.order.order_id), wait_seconds=0)
    assert again == first
    assert len(worker.poll_once().processed) == 1
    assert worker.poll_once() == PollResult()
    assert handled == ["o-1"]
