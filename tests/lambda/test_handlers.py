"""Handlers as people write them: ``async def`` handlers (with and without an event loop
already running in the test) and AWS Lambda Powertools' batch processors, unchanged."""

from __future__ import annotations

import asyncio
import json
import threading
from typing import Any

import pytest
from aiobotocore.session import get_session
from aws_lambda_powertools.utilities.batch import (
    BatchProcessor,
    EventType,
    SqsFifoPartialProcessor,
    process_partial_response,
)
from aws_lambda_powertools.utilities.data_classes.sqs_event import SQSRecord
from conftest import START, at, create, with_dead_letter_queue

from pytest_fakesqs import FakeSQS

pytestmark = pytest.mark.fake_sqs(freeze=START)


# --- async handlers ---------------------------------------------------------------------------


async def forward(event: dict[str, Any], context: Any) -> dict[str, int]:
    """An async handler that forwards each body through an aiobotocore client of its own."""
    async with get_session().create_client("sqs", region_name="us-east-1") as client:
        url = (await client.get_queue_url(QueueName="shipped"))["QueueUrl"]
        for record in event["Records"]:
            if record["body"] == "bad":
                raise ValueError("bad body")
            await client.send_message(QueueUrl=url, MessageBody=record["body"])
    return {"forwarded": len(event["Records"])}


def test_an_async_handler_runs_to_completion(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    create(sqs, "shipped")
    mapping = fake_sqs.event_source_mapping("orders", forward)
    sqs.send_message(QueueUrl=url, MessageBody="order 1")

    (invocation,) = fake_sqs.run_due()

    assert (invocation.result, invocation.error) == ({"forwarded": 1}, None)
    assert fake_sqs.queue("shipped").bodies == ["order 1"]
    assert len(fake_sqs.queue("orders")) == 0
    sqs.send_message(QueueUrl=url, MessageBody="bad")
    (failed,) = fake_sqs.run_due()
    assert (failed.failure, failed.result) == ("the handler raised ValueError: bad body", None)
    assert mapping.invocations[1] is failed


def test_a_sync_handler_returning_an_awaitable_is_awaited(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    create(sqs, "shipped")
    fake_sqs.event_source_mapping("orders", lambda event, context: forward(event, context))
    sqs.send_message(QueueUrl=url, MessageBody="order 2")

    (invocation,) = fake_sqs.run_due()

    assert invocation.result == {"forwarded": 1}


@pytest.mark.asyncio
async def test_an_async_handler_inside_a_running_event_loop_runs_on_a_helper_thread(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders")
    create(sqs, "shipped")
    threads: list[str] = []

    async def handler(event: dict[str, Any], context: Any) -> Any:
        threads.append(threading.current_thread().name)
        try:
            fake_sqs.advance(1)
        except RuntimeError as error:  # still inside the handler, on that thread too
            threads.append(str(error).split(" was called")[0])
        return await forward(event, context)

    fake_sqs.event_source_mapping("orders", handler)
    sqs.send_message(QueueUrl=url, MessageBody="order 3")

    fake_sqs.advance(1)  # from inside this test's running loop

    assert threads == ["pytest-fakesqs async handler", "advance()"]
    assert fake_sqs.queue("shipped").bodies == ["order 3"]
    # The test's own loop was only paused, never replaced.
    await asyncio.sleep(0)


# --- AWS Lambda Powertools --------------------------------------------------------------------

standard_processor = BatchProcessor(event_type=EventType.SQS)


def record_handler(record: SQSRecord) -> None:
    if json.loads(record.body)["id"] == "bad":
        raise ValueError("bad order")


def powertools_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(
        event=event, record_handler=record_handler, processor=standard_processor, context=context
    )


def test_a_powertools_batch_processor_handler(fake_sqs: FakeSQS, sqs: Any):
    url = with_dead_letter_queue(sqs, "orders", 2)
    mapping = fake_sqs.event_source_mapping(
        "orders", powertools_handler, report_batch_item_failures=True
    )
    ids = [
        sqs.send_message(QueueUrl=url, MessageBody=json.dumps({"id": name}))["MessageId"]
        for name in ("a", "bad", "c")
    ]

    fake_sqs.advance(60)

    first, second = mapping.invocations
    assert first.result == {"batchItemFailures": [{"itemIdentifier": ids[1]}]}
    assert (first.deleted, first.retried) == ((ids[0], ids[2]), (ids[1],))
    assert (second.time, second.bodies, second.retried) == (at(30), ['{"id": "bad"}'], (ids[1],))
    # A batch where every record fails: Powertools raises, and Lambda retries the whole batch.
    assert type(second.error).__name__ == "BatchProcessingError"
    assert fake_sqs.queue("orders-dlq").bodies == ['{"id": "bad"}']


fifo_processor = SqsFifoPartialProcessor()
attempts: dict[str, int] = {}


def fifo_record_handler(record: SQSRecord) -> None:
    attempts[record.body] = attempts.get(record.body, 0) + 1
    if record.body == "a2" and attempts["a2"] == 1:
        raise ValueError("a2 fails once")


def powertools_fifo_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    return process_partial_response(
        event=event,
        record_handler=fifo_record_handler,
        processor=fifo_processor,
        context=context,
    )


def test_a_powertools_fifo_processor_keeps_the_group_in_order(fake_sqs: FakeSQS, sqs: Any):
    attempts.clear()
    url = create(sqs, "orders.fifo", VisibilityTimeout=10)
    ids = [
        sqs.send_message(
            QueueUrl=url, MessageBody=body, MessageGroupId="A", MessageDeduplicationId=body
        )["MessageId"]
        for body in ("a1", "a2", "a3")
    ]
    mapping = fake_sqs.event_source_mapping(
        "orders.fifo", powertools_fifo_handler, report_batch_item_failures=True
    )

    fake_sqs.advance(60)

    first, second = mapping.invocations
    assert first.result == {
        "batchItemFailures": [{"itemIdentifier": ids[1]}, {"itemIdentifier": ids[2]}]
    }
    assert (first.deleted, first.retried, first.deleted_out_of_order) == (
        (ids[0],),
        tuple(ids[1:]),
        (),
    )
    assert (second.time, second.bodies, second.succeeded) == (at(10), ["a2", "a3"], True)
    assert attempts == {"a1": 1, "a2": 2, "a3": 1}
