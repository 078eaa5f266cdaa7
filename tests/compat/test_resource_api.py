"""boto3's SQS resource API (Queue, Message, collections) end to end against the fake.

The resource layer is a thin shell over the client, so these tests check that the shapes it
relies on (identifiers, load/reload, collections, batch actions, modelled errors) come back
from the fake exactly as boto3 expects them.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from protocol_clients import installed_protocol

from pytest_fakesqs import FakeSQS

REGION = "us-east-1"
PREFIX = "https://sqs.us-east-1.amazonaws.com/123456789012/"
FROZEN_AT = 1714564800  # 2024-05-01T12:00:00Z

pytestmark = pytest.mark.fake_sqs(freeze="2024-05-01T12:00:00Z")


def md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


@pytest.fixture
def sqs(fake_sqs: FakeSQS) -> Any:
    return boto3.resource("sqs", region_name=REGION)


@pytest.fixture
def queue(sqs: Any) -> Any:
    return sqs.create_queue(QueueName="jobs")


def counts(queue: Any) -> tuple[str, str, str]:
    queue.reload()
    attributes = queue.attributes
    return (
        attributes["ApproximateNumberOfMessages"],
        attributes["ApproximateNumberOfMessagesNotVisible"],
        attributes["ApproximateNumberOfMessagesDelayed"],
    )


# --- queues -----------------------------------------------------------------------------------


def test_create_standard_queue(sqs: Any) -> None:
    queue = sqs.create_queue(QueueName="jobs", Attributes={"VisibilityTimeout": "45"})

    assert queue.url == PREFIX + "jobs"
    assert queue.attributes == {
        "QueueArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "CreatedTimestamp": str(FROZEN_AT),
        "LastModifiedTimestamp": str(FROZEN_AT),
        "VisibilityTimeout": "45",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "DelaySeconds": "0",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
    }


def test_create_fifo_queue(sqs: Any) -> None:
    queue = sqs.create_queue(
        QueueName="jobs.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )

    assert queue.url == PREFIX + "jobs.fifo"
    assert queue.attributes["FifoQueue"] == "true"
    assert queue.attributes["ContentBasedDeduplication"] == "true"
    assert queue.attributes["DeduplicationScope"] == "queue"
    assert queue.attributes["FifoThroughputLimit"] == "perQueue"

    first = queue.send_message(MessageBody="a", MessageGroupId="g")
    duplicate = queue.send_message(MessageBody="a", MessageGroupId="g")
    assert duplicate["MessageId"] == first["MessageId"]
    assert len(first["SequenceNumber"]) == 20

    [message] = queue.receive_messages(MaxNumberOfMessages=10, AttributeNames=["All"])
    assert message.body == "a"
    assert message.attributes["MessageGroupId"] == "g"
    assert message.attributes["MessageDeduplicationId"] == hashlib.sha256(b"a").hexdigest()
    assert message.attributes["SequenceNumber"] == first["SequenceNumber"]


def test_get_queue_by_name(sqs: Any, queue: Any) -> None:
    found = sqs.get_queue_by_name(QueueName="jobs")

    assert found.url == PREFIX + "jobs"
    assert found == queue


def test_queue_by_url_loads_lazily_and_reloads(sqs: Any, fake_sqs: FakeSQS) -> None:
    sqs.create_queue(QueueName="jobs")
    queue = sqs.Queue(PREFIX + "jobs")
    assert queue.url == PREFIX + "jobs"
    assert fake_sqs.calls.of("GetQueueAttributes") == []

    assert queue.attributes["VisibilityTimeout"] == "30"  # first access loads
    [call] = fake_sqs.calls.of("GetQueueAttributes")
    assert call.params == {"QueueUrl": PREFIX + "jobs", "AttributeNames": ["All"]}

    assert queue.attributes["ApproximateNumberOfMessages"] == "0"  # cached: no second call
    assert len(fake_sqs.calls.of("GetQueueAttributes")) == 1
    fake_sqs.queue("jobs").put("one")  # not through the resource, so nothing drops the cache
    assert queue.attributes["ApproximateNumberOfMessages"] == "0"
    queue.reload()
    assert queue.attributes["ApproximateNumberOfMessages"] == "1"
    fake_sqs.queue("jobs").put("two")
    queue.load()
    assert queue.attributes["ApproximateNumberOfMessages"] == "2"
    assert len(fake_sqs.calls.of("GetQueueAttributes")) == 3

    # boto3 drops a resource's loaded attributes after any action, so the next read reloads.
    queue.send_message(MessageBody="three")
    assert queue.attributes["ApproximateNumberOfMessages"] == "3"
    assert len(fake_sqs.calls.of("GetQueueAttributes")) == 4


def test_queues_all_and_filter(sqs: Any) -> None:
    for name in ["orders", "orders-dlq", "reports", "orders.fifo"]:
        attributes = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
        sqs.create_queue(QueueName=name, Attributes=attributes)

    assert sorted(queue.url for queue in sqs.queues.all()) == [
        PREFIX + "orders",
        PREFIX + "orders-dlq",
        PREFIX + "orders.fifo",
        PREFIX + "reports",
    ]
    assert sorted(q.url for q in sqs.queues.filter(QueueNamePrefix="orders")) == [
        PREFIX + "orders",
        PREFIX + "orders-dlq",
        PREFIX + "orders.fifo",
    ]
    assert [q.url for q in sqs.queues.filter(QueueNamePrefix="rep")] == [PREFIX + "reports"]
    assert list(sqs.queues.filter(QueueNamePrefix="none")) == []


def test_queues_all_when_there_are_none(sqs: Any) -> None:
    assert list(sqs.queues.all()) == []


def test_set_attributes(queue: Any) -> None:
    queue.set_attributes(Attributes={"VisibilityTimeout": "120", "DelaySeconds": "5"})

    # boto3 drops the loaded attributes after an action: this read reloads them.
    assert queue.attributes["VisibilityTimeout"] == "120"
    assert queue.attributes["DelaySeconds"] == "5"


def test_dead_letter_source_queues(sqs: Any) -> None:
    dlq = sqs.create_queue(QueueName="jobs-dlq")
    policy = json.dumps({"deadLetterTargetArn": dlq.attributes["QueueArn"], "maxReceiveCount": 2})
    source = sqs.create_queue(QueueName="jobs", Attributes={"RedrivePolicy": policy})
    sqs.create_queue(QueueName="unrelated")

    assert [q.url for q in dlq.dead_letter_source_queues.all()] == [source.url]
    assert json.loads(source.attributes["RedrivePolicy"]) == {
        "deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:jobs-dlq",
        "maxReceiveCount": 2,
    }
    assert list(source.dead_letter_source_queues.all()) == []


def test_purge(queue: Any, fake_sqs: FakeSQS) -> None:
    queue.send_messages(Entries=[{"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)])
    queue.receive_messages()

    queue.purge()

    assert counts(queue) == ("0", "0", "0")
    assert fake_sqs.queue("jobs").purged[0].body == "m0"


def test_delete_queue(sqs: Any, queue: Any) -> None:
    queue.delete()

    assert list(sqs.queues.all()) == []
    with pytest.raises(sqs.meta.client.exceptions.QueueDoesNotExist):
        queue.reload()


# --- missing queues ---------------------------------------------------------------------------


def assert_queue_does_not_exist(excinfo: pytest.ExceptionInfo[Any]) -> None:
    response = excinfo.value.response
    assert response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
    # The query protocol's text is its own (both recorded on AWS).
    assert response["Error"]["Message"] == (
        "The specified queue does not exist for this wsdl version."
        if installed_protocol() == "query"
        else "The specified queue does not exist."
    )
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_get_queue_by_name_of_a_missing_queue(sqs: Any) -> None:
    with pytest.raises(sqs.meta.client.exceptions.QueueDoesNotExist) as excinfo:
        sqs.get_queue_by_name(QueueName="missing")

    assert_queue_does_not_exist(excinfo)


def test_loading_a_missing_queue_by_url(sqs: Any) -> None:
    queue = sqs.Queue(PREFIX + "missing")

    with pytest.raises(sqs.meta.client.exceptions.QueueDoesNotExist) as excinfo:
        queue.load()
    assert_queue_does_not_exist(excinfo)

    with pytest.raises(sqs.meta.client.exceptions.QueueDoesNotExist) as excinfo:
        queue.send_message(MessageBody="lost")
    assert_queue_does_not_exist(excinfo)


# --- messages ---------------------------------------------------------------------------------


def test_send_and_receive_message(queue: Any) -> None:
    attributes = {
        "kind": {"DataType": "String", "StringValue": "order"},
        "count": {"DataType": "Number", "StringValue": "3"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
    }
    sent = queue.send_message(MessageBody='{"order": 1}', MessageAttributes=attributes)
    assert sent["MD5OfMessageBody"] == md5('{"order": 1}')
    assert sent["ResponseMetadata"]["HTTPStatusCode"] == 200

    [message] = queue.receive_messages(
        AttributeNames=["All"], MessageAttributeNames=["All"], MaxNumberOfMessages=10
    )

    assert message.body == '{"order": 1}'
    assert message.message_id == sent["MessageId"]
    assert message.md5_of_body == md5('{"order": 1}')
    assert message.md5_of_message_attributes == sent["MD5OfMessageAttributes"]
    assert message.queue_url == queue.url
    assert message.receipt_handle
    assert message.attributes == {
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "SentTimestamp": f"{FROZEN_AT}000",
        "ApproximateReceiveCount": "1",
        "ApproximateFirstReceiveTimestamp": f"{FROZEN_AT}000",
    }
    assert message.message_attributes == attributes


def test_receive_selects_named_attributes_only(queue: Any) -> None:
    queue.send_message(
        MessageBody="x",
        MessageAttributes={
            "a": {"DataType": "String", "StringValue": "1"},
            "b": {"DataType": "String", "StringValue": "2"},
        },
    )

    [message] = queue.receive_messages(
        AttributeNames=["ApproximateReceiveCount"], MessageAttributeNames=["b"]
    )

    assert message.attributes == {"ApproximateReceiveCount": "1"}
    assert message.message_attributes == {"b": {"DataType": "String", "StringValue": "2"}}


def test_receive_without_attribute_names(queue: Any) -> None:
    queue.send_message(
        MessageBody="x", MessageAttributes={"a": {"DataType": "String", "StringValue": "1"}}
    )

    [message] = queue.receive_messages()

    assert message.attributes is None
    assert message.message_attributes is None


def test_receive_max_number_of_messages(queue: Any) -> None:
    for i in range(5):
        queue.send_message(MessageBody=f"m{i}")

    assert len(queue.receive_messages()) == 1
    assert len(queue.receive_messages(MaxNumberOfMessages=3)) == 3
    assert len(queue.receive_messages(MaxNumberOfMessages=10)) == 1
    assert queue.receive_messages(MaxNumberOfMessages=10) == []


def test_send_messages_batch(queue: Any) -> None:
    response = queue.send_messages(
        Entries=[
            {"Id": "first", "MessageBody": "one"},
            {"Id": "second", "MessageBody": "two", "DelaySeconds": 10},
        ]
    )

    assert "Failed" not in response
    assert [entry["Id"] for entry in response["Successful"]] == ["first", "second"]
    assert response["Successful"][1]["MD5OfMessageBody"] == md5("two")
    assert counts(queue) == ("1", "0", "1")


def test_send_messages_partially_failing_batch(sqs: Any) -> None:
    queue = sqs.create_queue(QueueName="small", Attributes={"MaximumMessageSize": "1024"})

    response = queue.send_messages(
        Entries=[
            {"Id": "fits", "MessageBody": "a" * 1024},
            {"Id": "too-long", "MessageBody": "a" * 1025},
            {"Id": "late", "MessageBody": "x", "DelaySeconds": 901},
            {"Id": "last", "MessageBody": "last"},
        ]
    )

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert [entry["Id"] for entry in response["Successful"]] == ["fits", "last"]
    assert response["Failed"] == [
        {
            "Id": "too-long",
            "SenderFault": True,
            "Code": "InvalidParameterValue",
            "Message": "One or more parameters cannot be validated. "
            "Reason: Message must be shorter than 1024 bytes.",
        },
        {
            "Id": "late",
            "SenderFault": True,
            "Code": "InvalidParameterValue",
            "Message": "Value 901 for parameter DelaySeconds is invalid. "
            "Reason: DelaySeconds must be >= 0 and <= 900.",
        },
    ]
    assert sorted(m.body for m in queue.receive_messages(MaxNumberOfMessages=10)) == [
        "a" * 1024,
        "last",
    ]


def test_message_delete(queue: Any, fake_sqs: FakeSQS) -> None:
    queue.send_message(MessageBody="done")
    [message] = queue.receive_messages()

    response = message.delete()

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    fake_sqs.advance(30)
    assert queue.receive_messages() == []
    assert [m.body for m in fake_sqs.queue("jobs").deleted] == ["done"]


def test_message_change_visibility(queue: Any, fake_sqs: FakeSQS) -> None:
    queue.send_message(MessageBody="slow")
    [message] = queue.receive_messages()

    message.change_visibility(VisibilityTimeout=100)

    fake_sqs.advance(99)
    assert queue.receive_messages() == []
    fake_sqs.advance(1)
    [again] = queue.receive_messages(AttributeNames=["ApproximateReceiveCount"])
    assert again.message_id == message.message_id
    assert again.attributes == {"ApproximateReceiveCount": "2"}


def test_message_change_visibility_to_zero_releases_it(queue: Any) -> None:
    queue.send_message(MessageBody="retry")
    [message] = queue.receive_messages()

    message.change_visibility(VisibilityTimeout=0)

    assert [m.body for m in queue.receive_messages()] == ["retry"]


def test_message_built_from_queue_url_and_receipt_handle(sqs: Any, queue: Any) -> None:
    queue.send_message(MessageBody="by handle")
    [received] = queue.receive_messages()

    message = sqs.Message(queue.url, received.receipt_handle)
    assert message.queue_url == queue.url
    assert message.receipt_handle == received.receipt_handle
    message.delete()

    assert counts(queue) == ("0", "0", "0")


def test_delete_messages_batch(queue: Any) -> None:
    for i in range(3):
        queue.send_message(MessageBody=f"m{i}")
    handles = [m.receipt_handle for m in queue.receive_messages(MaxNumberOfMessages=3)]

    response = queue.delete_messages(
        Entries=[
            {"Id": "a", "ReceiptHandle": handles[0]},
            {"Id": "bad", "ReceiptHandle": "garbage"},
            {"Id": "c", "ReceiptHandle": handles[2]},
        ]
    )

    assert response["Successful"] == [{"Id": "a"}, {"Id": "c"}]
    assert response["Failed"] == [
        {
            "Id": "bad",
            "SenderFault": True,
            "Code": "ReceiptHandleIsInvalid",
            "Message": 'The input receipt handle "garbage" is not a valid receipt handle.',
        }
    ]
    assert counts(queue) == ("0", "1", "0")


def test_change_message_visibility_batch(queue: Any, fake_sqs: FakeSQS) -> None:
    for i in range(2):
        queue.send_message(MessageBody=f"m{i}")
    messages = queue.receive_messages(MaxNumberOfMessages=2)

    response = queue.change_message_visibility_batch(
        Entries=[
            {"Id": "release", "ReceiptHandle": messages[0].receipt_handle, "VisibilityTimeout": 0},
            {"Id": "extend", "ReceiptHandle": messages[1].receipt_handle, "VisibilityTimeout": 60},
        ]
    )

    assert response["Successful"] == [{"Id": "release"}, {"Id": "extend"}]
    assert "Failed" not in response
    assert counts(queue) == ("1", "1", "0")
    fake_sqs.advance(59)
    assert counts(queue) == ("1", "1", "0")
    fake_sqs.advance(1)
    assert counts(queue) == ("2", "0", "0")


def test_dead_letter_after_max_receives(sqs: Any, fake_sqs: FakeSQS) -> None:
    dlq = sqs.create_queue(QueueName="jobs-dlq")
    policy = json.dumps({"deadLetterTargetArn": dlq.attributes["QueueArn"], "maxReceiveCount": 1})
    source = sqs.create_queue(QueueName="jobs", Attributes={"RedrivePolicy": policy})
    source.send_message(MessageBody="poison")

    assert [m.body for m in source.receive_messages()] == ["poison"]
    fake_sqs.advance(30)
    assert source.receive_messages() == []

    [moved] = dlq.receive_messages(AttributeNames=["DeadLetterQueueSourceArn"])
    assert moved.body == "poison"
    assert moved.attributes == {"DeadLetterQueueSourceArn": source.attributes["QueueArn"]}


# --- botocore's Stubber -----------------------------------------------------------------------


def test_stubber_takes_precedence_over_the_fake(fake_sqs: FakeSQS) -> None:
    stubbed = boto3.client("sqs", region_name=REGION)
    served = boto3.client("sqs", region_name=REGION)
    stubber = Stubber(stubbed)
    stubber.add_response(
        "list_queues", {"QueueUrls": ["https://stubbed.example/q"]}, {"QueueNamePrefix": "q"}
    )

    with stubber:
        assert stubbed.list_queues(QueueNamePrefix="q")["QueueUrls"] == [
            "https://stubbed.example/q"
        ]
        stubber.assert_no_pending_responses()
        served.create_queue(QueueName="q")
        assert served.list_queues(QueueNamePrefix="q")["QueueUrls"] == [PREFIX + "q"]

    assert fake_sqs.calls.operations == ["CreateQueue", "ListQueues"]
