"""Dead-letter queues as recorded on AWS (tests/aws/services/sqs/test_sqs.py)."""

from __future__ import annotations

import json
from typing import Any

from recording_helpers import TIMESTAMP, Recording, protocols, queue_arn_for

TRACE_HEADER = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"
MY_ATTRIBUTE = {"MyAttribute": {"StringValue": "foobar", "DataType": "String"}}


def _redrive_policy(dead_letter_arn: str, max_receive_count: int | str) -> str:
    return json.dumps(
        {"deadLetterTargetArn": dead_letter_arn, "maxReceiveCount": max_receive_count}
    )


def _without_sender_id(messages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Sorted by body and without SenderId, as the recording kept them."""
    for message in messages:
        del message["Attributes"]["SenderId"]
    return sorted(messages, key=lambda message: message["Body"])


def _expected(number: int, *, handle: int, count: str, source_arn: str = "") -> dict[str, Any]:
    """message-1 (with the attribute and trace header) or message-2 (plain) as recorded."""
    attributes = {
        "ApproximateFirstReceiveTimestamp": TIMESTAMP,
        "ApproximateReceiveCount": count,
        "SentTimestamp": TIMESTAMP,
    }
    if source_arn:
        attributes["DeadLetterQueueSourceArn"] = source_arn
    message = {
        "MessageId": f"<uuid:{number}>",
        "ReceiptHandle": f"<receipt-handle:{handle}>",
        "MD5OfBody": ["3d6b824fd8c1520e9a047d21fee6fb1f", "95ef155b66299d14edf7ed57c468c13b"][
            number - 1
        ],
        "Body": f"message-{number}",
        "Attributes": attributes,
    }
    if number == 1:
        attributes["AWSTraceHeader"] = TRACE_HEADER
        message["MD5OfMessageAttributes"] = "adb59cd4678ea5a855436b949cd07ab6"
        message["MessageAttributes"] = MY_ATTRIBUTE
    return message


def test_dead_letter_queue_message_attributes(json_client: Any) -> None:
    """Recording test_dead_letter_queue_message_attributes, keys dlq-arn, sourcen-arn,
    rec-pre-dlq and dlq-messages: with maxReceiveCount 1, four receives (VisibilityTimeout 0)
    deliver each of two messages once; in the dead-letter queue each keeps its id, message
    attributes and AWSTraceHeader, gains DeadLetterQueueSourceArn, and its first receive there
    shows ApproximateReceiveCount 2 (the count carries over)."""
    sqs = json_client
    dead_letters = sqs.create_queue(QueueName="dl-queue")["QueueUrl"]
    dead_letter_arn = sqs.get_queue_attributes(QueueUrl=dead_letters, AttributeNames=["QueueArn"])[
        "Attributes"
    ]["QueueArn"]
    assert dead_letter_arn == queue_arn_for("dl-queue")
    source = sqs.create_queue(
        QueueName="queue", Attributes={"RedrivePolicy": _redrive_policy(dead_letter_arn, 1)}
    )["QueueUrl"]
    source_arn = queue_arn_for("queue")
    sqs.send_message(
        QueueUrl=source,
        MessageBody="message-1",
        MessageSystemAttributes={
            "AWSTraceHeader": {"StringValue": TRACE_HEADER, "DataType": "String"}
        },
        MessageAttributes=MY_ATTRIBUTE,
    )
    sqs.send_message(QueueUrl=source, MessageBody="message-2")
    received = []
    for _ in range(4):
        response = sqs.receive_message(
            QueueUrl=source,
            VisibilityTimeout=0,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        received.extend(response.get("Messages", []))

    recording = Recording()
    recording.match(
        _without_sender_id(received),
        [_expected(1, handle=1, count="1"), _expected(2, handle=2, count="1")],
    )
    collected = []
    while len(collected) < 2:  # the recording's sqs_collect_messages(expected=2)
        response = sqs.receive_message(
            QueueUrl=dead_letters,
            WaitTimeSeconds=5,
            MaxNumberOfMessages=1,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        )
        for message in response.get("Messages", []):
            collected.append(message)
            sqs.delete_message(QueueUrl=dead_letters, ReceiptHandle=message["ReceiptHandle"])
    recording.match(
        _without_sender_id(collected),
        [
            _expected(1, handle=3, count="2", source_arn=source_arn),
            _expected(2, handle=4, count="2", source_arn=source_arn),
        ],
    )


@protocols()
def test_dead_letter_queue_with_fifo_and_content_based_deduplication(client: Any) -> None:
    """Recording test_dead_letter_queue_with_fifo_and_content_based_deduplication (validated on
    AWS, no recorded content: the facts are the test's assertions): with maxReceiveCount 2, the
    third receive moves the message to the FIFO dead-letter queue, same id and body; the
    source's group then serves its next message."""
    dead_letters = client.create_queue(
        QueueName="test-dlq.fifo",
        Attributes={
            "FifoQueue": "true",
            "ContentBasedDeduplication": "true",
            "MessageRetentionPeriod": "1209600",
        },
    )["QueueUrl"]
    source = client.create_queue(
        QueueName="test-queue.fifo",
        Attributes={
            "FifoQueue": "true",
            "ContentBasedDeduplication": "true",
            "VisibilityTimeout": "60",
            "RedrivePolicy": _redrive_policy(queue_arn_for("test-dlq.fifo"), 2),
        },
    )["QueueUrl"]
    first = client.send_message(QueueUrl=source, MessageBody="foobar", MessageGroupId="1")
    for _ in range(3):
        client.receive_message(QueueUrl=source, WaitTimeSeconds=1, VisibilityTimeout=0)
    dead = client.receive_message(QueueUrl=dead_letters, WaitTimeSeconds=10)["Messages"]
    assert [(m["MessageId"], m["Body"]) for m in dead] == [(first["MessageId"], "foobar")]
    second = client.send_message(QueueUrl=source, MessageBody="foobar2", MessageGroupId="1")
    again = client.receive_message(QueueUrl=source, WaitTimeSeconds=1)["Messages"]
    assert [(m["MessageId"], m["Body"]) for m in again] == [(second["MessageId"], "foobar2")]


@protocols()
def test_set_empty_redrive_policy(client: Any) -> None:
    """Recording test_set_empty_redrive_policy (validated on AWS, no recorded content: the facts
    are the test's assertions): RedrivePolicy "" sets no policy, and removes one that was set;
    the calls pass the queue's name as QueueUrl where the recording did; maxReceiveCount may
    be a string, and a queue may be its own dead-letter queue."""
    url = client.create_queue(QueueName="dl-queue")["QueueUrl"]
    arn = queue_arn_for("dl-queue")
    client.set_queue_attributes(QueueUrl="dl-queue", Attributes={"RedrivePolicy": ""})
    attributes = client.get_queue_attributes(QueueUrl="dl-queue", AttributeNames=["All"])
    assert "RedrivePolicy" not in attributes["Attributes"]
    client.set_queue_attributes(
        QueueUrl=url, Attributes={"RedrivePolicy": _redrive_policy(arn, "42")}
    )
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    assert arn in attributes["Attributes"]["RedrivePolicy"]
    client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": ""})
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    assert "RedrivePolicy" not in attributes["Attributes"]
