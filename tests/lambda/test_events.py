"""The event and context a handler receives: Lambda's SQS event shape, field by field, and the
context object on the fake's clock. Facts from AWS: the docs' sample events and responses
recorded from real Lambda (LocalStack's AWS-validated Lambda/SQS suite)."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from conftest import START, Recorder, arn, at, create

from pytest_fakesqs import FakeSQS, LambdaContext

pytestmark = pytest.mark.fake_sqs(freeze=START)
SENT_MS = "1704067200000"


def test_a_standard_queue_record_has_lambdas_fields_values_and_order(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler)
    sent = sqs.send_message(
        QueueUrl=url,
        MessageBody='{"destination": "x", "fail_attempts": 0}',
        MessageAttributes={
            "Title": {"DataType": "String", "StringValue": "The Whistler"},
            "Author": {"DataType": "String", "StringValue": "John Grisham"},
            "WeeksOn": {"DataType": "Number", "StringValue": "6"},
        },
    )

    fake_sqs.run_due()

    (message,) = fake_sqs.queue("orders").deleted
    (record,) = handler.events[0]["Records"]
    assert list(handler.events[0]) == ["Records"]
    assert record == {
        "messageId": sent["MessageId"],
        "receiptHandle": message.receipt_handle,
        "body": '{"destination": "x", "fail_attempts": 0}',
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": SENT_MS,
            "SenderId": "AIDAIENQZJOLO23YVJ4VO",
            "ApproximateFirstReceiveTimestamp": SENT_MS,
        },
        "messageAttributes": {
            "Title": {
                "stringValue": "The Whistler",
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": "String",
            },
            "Author": {
                "stringValue": "John Grisham",
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": "String",
            },
            "WeeksOn": {
                "stringValue": "6",
                "stringListValues": [],
                "binaryListValues": [],
                "dataType": "Number",
            },
        },
        # Recorded on AWS for these three attributes.
        "md5OfMessageAttributes": "d25a6aea97eb8f585bfa92d314504a92",
        "md5OfBody": sent["MD5OfMessageBody"],
        "eventSource": "aws:sqs",
        "eventSourceARN": arn("orders"),
        "awsRegion": "us-east-1",
    }
    assert list(record) == [
        "messageId",
        "receiptHandle",
        "body",
        "attributes",
        "messageAttributes",
        "md5OfMessageAttributes",
        "md5OfBody",
        "eventSource",
        "eventSourceARN",
        "awsRegion",
    ]


def test_without_message_attributes_the_record_has_an_empty_dict_and_no_md5(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler)
    sqs.send_message(QueueUrl=url, MessageBody="plain")

    fake_sqs.run_due()

    (record,) = handler.events[0]["Records"]
    assert record["messageAttributes"] == {}
    assert "md5OfMessageAttributes" not in record


def test_with_a_batching_window_md5_of_message_attributes_is_null(fake_sqs: FakeSQS, sqs: Any):
    # Recorded on AWS (mappings with MaximumBatchingWindowInSeconds=1) and reported to
    # Powertools: a windowed mapping sends the key, as null, when there are no attributes.
    url = create(sqs, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler, maximum_batching_window=1)
    sqs.send_message(QueueUrl=url, MessageBody="plain")

    fake_sqs.advance(1)

    (record,) = handler.events[0]["Records"]
    assert record["md5OfMessageAttributes"] is None
    assert list(record)[4:7] == ["messageAttributes", "md5OfMessageAttributes", "md5OfBody"]


def test_binary_attributes_are_base64_and_a_trace_header_is_a_system_attribute(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler)
    trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"
    sqs.send_message(
        QueueUrl=url,
        MessageBody="with binary",
        MessageAttributes={"Cover": {"DataType": "Binary.png", "BinaryValue": b"\x89PNG"}},
        MessageSystemAttributes={"AWSTraceHeader": {"DataType": "String", "StringValue": trace}},
    )

    fake_sqs.run_due()

    (record,) = handler.events[0]["Records"]
    assert record["messageAttributes"] == {
        "Cover": {
            "binaryValue": base64.b64encode(b"\x89PNG").decode(),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": "Binary.png",
        }
    }
    assert list(record["messageAttributes"]["Cover"]) == [
        "binaryValue",
        "stringListValues",
        "binaryListValues",
        "dataType",
    ]
    assert record["attributes"] == {
        "ApproximateReceiveCount": "1",
        "SentTimestamp": SENT_MS,
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "ApproximateFirstReceiveTimestamp": SENT_MS,
        "AWSTraceHeader": trace,
    }


def test_a_fifo_record_carries_sequence_number_group_and_deduplication_id(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders.fifo")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders.fifo", handler)
    sent = sqs.send_message(
        QueueUrl=url, MessageBody="first", MessageGroupId="1", MessageDeduplicationId="dedup-1"
    )

    fake_sqs.run_due()

    (record,) = handler.events[0]["Records"]
    assert record["attributes"] == {
        "ApproximateReceiveCount": "1",
        "SentTimestamp": SENT_MS,
        "SequenceNumber": sent["SequenceNumber"],
        "MessageGroupId": "1",
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "MessageDeduplicationId": "dedup-1",
        "ApproximateFirstReceiveTimestamp": SENT_MS,
    }
    assert record["eventSourceARN"] == arn("orders.fifo")


def test_a_dead_letter_queue_record_names_its_source(fake_sqs: FakeSQS, sqs: Any):
    dlq = create(sqs, "orders-dlq")
    create(
        sqs,
        "orders",
        RedrivePolicy=f'{{"deadLetterTargetArn": "{arn("orders-dlq")}", "maxReceiveCount": 1}}',
    )
    fake_sqs.queue("orders").put("poison", state="in_flight", receive_count=1, visible_in=0)
    sqs.receive_message(QueueUrl=fake_sqs.queue("orders").url)  # moves it to the DLQ
    handler = Recorder()
    fake_sqs.event_source_mapping("orders-dlq", handler)

    fake_sqs.run_due()

    (record,) = handler.events[0]["Records"]
    assert record["attributes"]["DeadLetterQueueSourceArn"] == arn("orders")
    assert record["eventSourceARN"] == arn("orders-dlq")
    assert fake_sqs.queue("orders-dlq").url == dlq


def test_the_records_are_the_queues_messages_oldest_first_in_the_queues_region(
    fake_sqs: FakeSQS,
):
    import boto3

    eu = boto3.client("sqs", region_name="eu-west-1")
    url = create(eu, "orders")
    handler = Recorder()
    fake_sqs.event_source_mapping("orders", handler, region="eu-west-1")
    for number in range(3):
        eu.send_message(QueueUrl=url, MessageBody=f"m{number}")

    fake_sqs.run_due()

    assert handler.batches == [["m0", "m1", "m2"]]
    assert {record["awsRegion"] for record in handler.events[0]["Records"]} == {"eu-west-1"}
    assert handler.events[0]["Records"][0]["eventSourceARN"] == arn("orders", "eu-west-1")


# --- the context ------------------------------------------------------------------------------


def test_the_context_has_the_runtimes_attributes(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    contexts: list[LambdaContext] = []

    def process_orders(event: dict[str, Any], context: LambdaContext) -> None:
        contexts.append(context)

    mapping = fake_sqs.event_source_mapping("orders", process_orders, memory_size=512)
    sqs.send_message(QueueUrl=url, MessageBody="one")
    fake_sqs.run_due()
    sqs.send_message(QueueUrl=url, MessageBody="two")
    fake_sqs.run_due()

    first, second = contexts
    assert (
        first.function_name,
        first.function_version,
        first.invoked_function_arn,
        first.memory_limit_in_mb,
        first.log_group_name,
        first.identity,
        first.client_context,
    ) == (
        "process_orders",
        "$LATEST",
        "arn:aws:lambda:us-east-1:123456789012:function:process_orders",
        "512",
        "/aws/lambda/process_orders",
        None,
        None,
    )
    assert first.log_stream_name.startswith("2024/01/01/[$LATEST]")
    assert len(first.log_stream_name) == len("2024/01/01/[$LATEST]") + 32
    assert first.log_stream_name == second.log_stream_name  # one execution environment
    assert first.aws_request_id != second.aws_request_id
    assert [i.context for i in mapping.invocations] == contexts
    assert mapping.function_arn == first.invoked_function_arn


def test_remaining_time_counts_down_on_the_fake_clock(fake_sqs: FakeSQS, sqs: Any):
    url = create(sqs, "orders")
    empty = create(sqs, "empty")
    seen: list[int] = []

    def handler(event: dict[str, Any], context: LambdaContext) -> None:
        seen.append(context.get_remaining_time_in_millis())
        # A long poll on an empty queue moves the fake clock by its wait.
        sqs.receive_message(QueueUrl=empty, WaitTimeSeconds=2)
        seen.append(context.get_remaining_time_in_millis())

    fake_sqs.event_source_mapping("orders", handler, timeout=10)
    sqs.send_message(QueueUrl=url, MessageBody="one")

    (invocation,) = fake_sqs.run_due()

    assert seen == [10_000, 8_000]
    assert invocation.time == START
    assert fake_sqs.now == at(2)
    assert invocation.context.get_remaining_time_in_millis() == 8_000
    fake_sqs.advance(60)
    assert invocation.context.get_remaining_time_in_millis() == 0
