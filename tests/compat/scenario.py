"""One deterministic scenario of SQS calls, recorded call by call.

Played by tests/compat/test_transcript.py (compared with a golden file) and by
tests/compat/test_differential.py (the in-process answers compared with botocore's parse of the
wire bytes). ``play_core`` calls every operation of the oldest supported model (botocore
1.29.165), with success and the main errors of each; ``play_newer`` uses parameters only later
models have.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from botocore import xform_name
from botocore.exceptions import ClientError

from pytest_fakesqs import FakeSQS

SEED = 20240501
FREEZE = "2024-05-01T12:00:00Z"
ACCOUNT = "123456789012"
REGION = "us-east-1"
# Longer strings are recorded by length and digest.
LONG = 1024

# The operations of botocore 1.29.165's SQS model, the oldest botocore supported.
OLDEST_OPERATIONS = {
    "AddPermission",
    "CancelMessageMoveTask",
    "ChangeMessageVisibility",
    "ChangeMessageVisibilityBatch",
    "CreateQueue",
    "DeleteMessage",
    "DeleteMessageBatch",
    "DeleteQueue",
    "GetQueueAttributes",
    "GetQueueUrl",
    "ListDeadLetterSourceQueues",
    "ListMessageMoveTasks",
    "ListQueueTags",
    "ListQueues",
    "PurgeQueue",
    "ReceiveMessage",
    "RemovePermission",
    "SendMessage",
    "SendMessageBatch",
    "SetQueueAttributes",
    "StartMessageMoveTask",
    "TagQueue",
    "UntagQueue",
}
# Input members the newer section needs, by operation: newer than botocore 1.29.
NEWER_MEMBERS = {"ReceiveMessage": {"MessageSystemAttributeNames"}}


def url(name: str) -> str:
    return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{name}"


def arn(name: str) -> str:
    return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{name}"


def jsonable(value: Any) -> Any:
    """Bytes (binary message attributes) as {"base64": ...}; strings of the size-limit calls as
    their length and digest, so the golden file stays readable; everything else as it is."""
    if isinstance(value, str) and len(value) > LONG:
        digest = hashlib.sha256(value.encode()).hexdigest()[:16]
        return f"<{len(value)} characters, sha256 {digest}...>"
    if isinstance(value, bytes):
        return {"base64": base64.b64encode(value).decode()}
    if isinstance(value, dict):
        return {key: jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [jsonable(item) for item in value]
    return value


def without_retry_attempts(response: dict[str, Any]) -> dict[str, Any]:
    metadata = {k: v for k, v in response["ResponseMetadata"].items() if k != "RetryAttempts"}
    return {**response, "ResponseMetadata": metadata}


class Transcript:
    """Makes calls through a boto3 client and records each one's outcome."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.entries: list[dict[str, Any]] = []

    def call(self, operation: str, **params: Any) -> dict[str, Any]:
        """Call ``operation``; returns the response, or the error's response after an error."""
        method = getattr(self.client, xform_name(operation))
        entry: dict[str, Any] = {"operation": operation, "params": jsonable(params)}
        try:
            response = method(**params)
        except ClientError as error:
            response = error.response
            entry["exception"] = type(error).__name__
            entry["error_response"] = jsonable(without_retry_attempts(response))
            entry["str"] = str(error)
        else:
            entry["response"] = jsonable(without_retry_attempts(response))
        self.entries.append(entry)
        return response


def play_core(fake: FakeSQS, t: Transcript) -> None:
    """Every operation of the oldest model: success and the main errors of each."""
    # Queues: create, idempotent re-create, conflicts and invalid attributes and names.
    t.call("CreateQueue", QueueName="orders", Attributes={"VisibilityTimeout": "40"})
    t.call("CreateQueue", QueueName="orders", Attributes={"VisibilityTimeout": "40"})
    t.call("CreateQueue", QueueName="orders", Attributes={"VisibilityTimeout": "41"})
    t.call("CreateQueue", QueueName="bad name!")
    t.call("CreateQueue", QueueName="x" * 81)
    t.call("CreateQueue", QueueName="attrs", Attributes={"NoSuchAttribute": "1"})
    t.call("CreateQueue", QueueName="attrs", Attributes={"DelaySeconds": "901"})
    t.call("CreateQueue", QueueName="attrs", Attributes={"VisibilityTimeout": "soon"})
    t.call("CreateQueue", QueueName="plain", Attributes={"FifoQueue": "true"})
    t.call("CreateQueue", QueueName="jobs.fifo")
    t.call("CreateQueue", QueueName="orders-dlq", tags={"team": "shop"})
    redrive = json.dumps({"deadLetterTargetArn": arn("orders-dlq"), "maxReceiveCount": 1})
    t.call("CreateQueue", QueueName="work", Attributes={"RedrivePolicy": redrive})
    t.call("CreateQueue", QueueName="redrive-bad", Attributes={"RedrivePolicy": "{"})
    t.call(
        "CreateQueue",
        QueueName="redrive-missing",
        Attributes={
            "RedrivePolicy": json.dumps(
                {"deadLetterTargetArn": arn("nowhere"), "maxReceiveCount": 1}
            )
        },
    )
    t.call(
        "CreateQueue",
        QueueName="events.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )
    t.call("CreateQueue", QueueName="events.fifo", Attributes={"FifoQueue": "true"})

    # Lookups and listings.
    t.call("GetQueueUrl", QueueName="orders")
    t.call("GetQueueUrl", QueueName="missing")
    t.call("GetQueueUrl", QueueName="orders", QueueOwnerAWSAccountId="999999999999")
    t.call("ListQueues")
    t.call("ListQueues", QueueNamePrefix="or")
    t.call("ListQueues", QueueNamePrefix="nothing-here")
    page = t.call("ListQueues", MaxResults=2)
    t.call("ListQueues", MaxResults=2, NextToken=page["NextToken"])
    t.call("ListQueues", MaxResults=0)
    t.call("ListQueues", MaxResults=2, NextToken="not-a-token")

    # Attributes.
    t.call("GetQueueAttributes", QueueUrl=url("orders"), AttributeNames=["All"])
    t.call("GetQueueAttributes", QueueUrl=url("events.fifo"), AttributeNames=["All"])
    t.call("GetQueueAttributes", QueueUrl=url("orders"), AttributeNames=["VisibilityTimeout"])
    t.call("GetQueueAttributes", QueueUrl=url("orders"), AttributeNames=["Bogus"])
    t.call("GetQueueAttributes", QueueUrl=url("missing"), AttributeNames=["All"])
    t.call("SetQueueAttributes", QueueUrl=url("orders"), Attributes={"DelaySeconds": "0"})
    t.call("SetQueueAttributes", QueueUrl=url("orders"), Attributes={"Bogus": "1"})
    t.call("SetQueueAttributes", QueueUrl=url("orders"), Attributes={"MaximumMessageSize": "1"})
    t.call("SetQueueAttributes", QueueUrl=url("orders"), Attributes={"FifoQueue": "true"})
    t.call("SetQueueAttributes", QueueUrl=url("missing"), Attributes={"DelaySeconds": "0"})

    # Tags and permissions.
    t.call("TagQueue", QueueUrl=url("orders"), Tags={"team": "shop", "env": "test"})
    t.call("TagQueue", QueueUrl=url("orders"), Tags={})
    t.call("TagQueue", QueueUrl=url("orders"), Tags={f"k{i}": "v" for i in range(51)})
    t.call("ListQueueTags", QueueUrl=url("orders"))
    t.call("UntagQueue", QueueUrl=url("orders"), TagKeys=["env"])
    t.call("UntagQueue", QueueUrl=url("orders"), TagKeys=[])
    t.call("ListQueueTags", QueueUrl=url("orders"))
    t.call("ListQueueTags", QueueUrl=url("missing"))
    t.call(
        "AddPermission",
        QueueUrl=url("orders"),
        Label="producers",
        AWSAccountIds=["111122223333"],
        Actions=["SendMessage"],
    )
    t.call(
        "AddPermission",
        QueueUrl=url("orders"),
        Label="producers",
        AWSAccountIds=["111122223333"],
        Actions=["ReceiveMessage"],
    )
    t.call(
        "AddPermission",
        QueueUrl=url("orders"),
        Label="bad",
        AWSAccountIds=["111122223333"],
        Actions=["Fly"],
    )
    t.call("GetQueueAttributes", QueueUrl=url("orders"), AttributeNames=["Policy"])
    t.call("RemovePermission", QueueUrl=url("orders"), Label="producers")
    t.call("RemovePermission", QueueUrl=url("orders"), Label="producers")

    # Sending: plain, with attributes, invalid body, delay and size, to a missing queue.
    t.call(
        "SendMessage",
        QueueUrl=url("orders"),
        MessageBody="first",
        MessageAttributes={
            "count": {"DataType": "Number", "StringValue": "3"},
            "blob": {"DataType": "Binary", "BinaryValue": b"\x00\xff"},
            "kind": {"DataType": "String", "StringValue": "order"},
        },
        MessageSystemAttributes={
            "AWSTraceHeader": {"DataType": "String", "StringValue": "Root=1-5759e988-bd862e3fe"}
        },
    )
    t.call("SendMessage", QueueUrl=url("orders"), MessageBody="second", DelaySeconds=10)
    t.call("SendMessage", QueueUrl=url("orders"), MessageBody="\x00")
    t.call("SendMessage", QueueUrl=url("orders"), MessageBody="late", DelaySeconds=901)
    t.call("SendMessage", QueueUrl=url("orders"), MessageBody="x" * 262_145)
    t.call(
        "SendMessage",
        QueueUrl=url("orders"),
        MessageBody="attr",
        MessageAttributes={"n": {"DataType": "Number", "StringValue": "abc"}},
    )
    t.call(
        "SendMessage",
        QueueUrl=url("orders"),
        MessageBody="attr",
        MessageAttributes={"n": {"DataType": "Unknown", "StringValue": "1"}},
    )
    t.call("SendMessage", QueueUrl=url("orders"), MessageBody="g", MessageGroupId="g1")
    t.call("SendMessage", QueueUrl=url("missing"), MessageBody="lost")

    # Batches: success, partial failure and every batch-level error.
    t.call(
        "SendMessageBatch",
        QueueUrl=url("orders"),
        Entries=[
            {"Id": "a", "MessageBody": "third"},
            {"Id": "b", "MessageBody": "\x01"},
            {"Id": "c", "MessageBody": "fourth", "DelaySeconds": 5},
        ],
    )
    t.call("SendMessageBatch", QueueUrl=url("orders"), Entries=[])
    t.call(
        "SendMessageBatch",
        QueueUrl=url("orders"),
        Entries=[{"Id": "same", "MessageBody": "1"}, {"Id": "same", "MessageBody": "2"}],
    )
    t.call(
        "SendMessageBatch",
        QueueUrl=url("orders"),
        Entries=[{"Id": str(i), "MessageBody": "m"} for i in range(11)],
    )
    t.call("SendMessageBatch", QueueUrl=url("orders"), Entries=[{"Id": "no!", "MessageBody": "m"}])
    t.call(
        "SendMessageBatch",
        QueueUrl=url("orders"),
        Entries=[{"Id": str(i), "MessageBody": "x" * 100_000} for i in range(3)],
    )
    t.call(
        "SendMessageBatch",
        QueueUrl=url("orders"),
        Entries=[{"Id": str(i), "MessageBody": "x" * 110_000} for i in range(10)],
    )
    t.call("SendMessage", QueueUrl=url("orders"), MessageBody="x" * (1024 * 1024 + 1))

    # Receiving, visibility and deleting.
    t.call("ReceiveMessage", QueueUrl=url("orders"), MaxNumberOfMessages=11)
    t.call("ReceiveMessage", QueueUrl=url("orders"), WaitTimeSeconds=21)
    t.call("ReceiveMessage", QueueUrl=url("orders"), VisibilityTimeout=-1)
    received = t.call(
        "ReceiveMessage",
        QueueUrl=url("orders"),
        AttributeNames=["All"],
        MessageAttributeNames=["All"],
        MaxNumberOfMessages=10,
    )
    first, second = (message["ReceiptHandle"] for message in received["Messages"][:2])
    t.call("ReceiveMessage", QueueUrl=url("orders"), WaitTimeSeconds=20, AttributeNames=["All"])
    t.call(
        "ChangeMessageVisibility", QueueUrl=url("orders"), ReceiptHandle=first, VisibilityTimeout=60
    )
    t.call(
        "ChangeMessageVisibility",
        QueueUrl=url("orders"),
        ReceiptHandle=first,
        VisibilityTimeout=43201,
    )
    t.call(
        "ChangeMessageVisibility",
        QueueUrl=url("orders"),
        ReceiptHandle="garbage",
        VisibilityTimeout=1,
    )
    t.call(
        "ChangeMessageVisibilityBatch",
        QueueUrl=url("orders"),
        Entries=[
            {"Id": "ok", "ReceiptHandle": second, "VisibilityTimeout": 120},
            {"Id": "bad", "ReceiptHandle": "garbage", "VisibilityTimeout": 1},
        ],
    )
    t.call("ChangeMessageVisibilityBatch", QueueUrl=url("orders"), Entries=[])
    t.call("DeleteMessage", QueueUrl=url("orders"), ReceiptHandle=first)
    t.call("DeleteMessage", QueueUrl=url("orders"), ReceiptHandle=first)
    t.call("DeleteMessage", QueueUrl=url("orders"), ReceiptHandle="garbage")
    t.call(
        "ChangeMessageVisibility", QueueUrl=url("orders"), ReceiptHandle=first, VisibilityTimeout=5
    )
    t.call(
        "DeleteMessageBatch",
        QueueUrl=url("orders"),
        Entries=[{"Id": "ok", "ReceiptHandle": second}, {"Id": "bad", "ReceiptHandle": "garbage"}],
    )
    t.call(
        "DeleteMessageBatch",
        QueueUrl=url("orders"),
        Entries=[{"Id": "x", "ReceiptHandle": second}, {"Id": "x", "ReceiptHandle": second}],
    )
    fake.advance(3600)
    t.call("GetQueueAttributes", QueueUrl=url("orders"), AttributeNames=["All"])
    # A handle whose receive has timed out: the message is visible again, not in flight.
    taken = t.call("ReceiveMessage", QueueUrl=url("orders"), VisibilityTimeout=10)
    fake.advance(11)
    t.call(
        "ChangeMessageVisibility",
        QueueUrl=url("orders"),
        ReceiptHandle=taken["Messages"][0]["ReceiptHandle"],
        VisibilityTimeout=5,
    )

    # Injected errors, among them codes only newer models give an exception class.
    for code in ("RequestThrottled", "OverLimit", "InvalidSecurity", "KmsThrottled"):
        fake.fail_next("SendMessage", code)
        t.call("SendMessage", QueueUrl=url("orders"), MessageBody="refused")
    fake.fail_next("ReceiveMessage", "ThrottlingException", message="Slow down.")
    t.call("ReceiveMessage", QueueUrl=url("orders"))

    # FIFO: group id, deduplication, sequence numbers, and the FIFO-only errors.
    t.call("SendMessage", QueueUrl=url("jobs.fifo"), MessageBody="not fifo", MessageGroupId="g")
    t.call("SendMessage", QueueUrl=url("events.fifo"), MessageBody="no group")
    t.call("SendMessage", QueueUrl=url("events.fifo"), MessageBody="e1", MessageGroupId="g1")
    t.call("SendMessage", QueueUrl=url("events.fifo"), MessageBody="e1", MessageGroupId="g1")
    t.call(
        "SendMessage",
        QueueUrl=url("events.fifo"),
        MessageBody="e2",
        MessageGroupId="g1",
        MessageDeduplicationId="d2",
    )
    t.call(
        "SendMessage",
        QueueUrl=url("events.fifo"),
        MessageBody="e3",
        MessageGroupId="g2",
        DelaySeconds=5,
    )
    t.call(
        "SendMessageBatch",
        QueueUrl=url("events.fifo"),
        Entries=[
            {"Id": "1", "MessageBody": "e4", "MessageGroupId": "g2"},
            {"Id": "2", "MessageBody": "e5"},
        ],
    )
    fifo = t.call(
        "ReceiveMessage",
        QueueUrl=url("events.fifo"),
        AttributeNames=["All"],
        MaxNumberOfMessages=10,
        ReceiveRequestAttemptId="attempt-1",
    )
    t.call(
        "ReceiveMessage",
        QueueUrl=url("events.fifo"),
        MaxNumberOfMessages=10,
        ReceiveRequestAttemptId="attempt-1",
    )
    t.call("ReceiveMessage", QueueUrl=url("events.fifo"), MaxNumberOfMessages=10)
    t.call(
        "DeleteMessage",
        QueueUrl=url("events.fifo"),
        ReceiptHandle=fifo["Messages"][0]["ReceiptHandle"],
    )

    # Dead-letter queues: a message dead-lettered, the source listed, a move task back.
    t.call("SendMessage", QueueUrl=url("work"), MessageBody="poison")
    t.call("ReceiveMessage", QueueUrl=url("work"))
    fake.advance(30)
    t.call("ReceiveMessage", QueueUrl=url("work"))
    t.call("ListDeadLetterSourceQueues", QueueUrl=url("orders-dlq"))
    t.call("ListDeadLetterSourceQueues", QueueUrl=url("orders-dlq"), MaxResults=1)
    t.call("ListDeadLetterSourceQueues", QueueUrl=url("missing"))
    t.call("StartMessageMoveTask", SourceArn=arn("orders"))
    t.call("StartMessageMoveTask", SourceArn=arn("missing"))
    t.call("StartMessageMoveTask", SourceArn=arn("orders-dlq"), MaxNumberOfMessagesPerSecond=0)
    task = t.call(
        "StartMessageMoveTask",
        SourceArn=arn("orders-dlq"),
        DestinationArn=arn("work"),
        MaxNumberOfMessagesPerSecond=1,
    )
    t.call("StartMessageMoveTask", SourceArn=arn("orders-dlq"))
    t.call("ListMessageMoveTasks", SourceArn=arn("orders-dlq"))
    t.call("ListMessageMoveTasks", SourceArn=arn("orders-dlq"), MaxResults=11)
    t.call("ListMessageMoveTasks", SourceArn=arn("missing"))
    t.call("CancelMessageMoveTask", TaskHandle=task["TaskHandle"])
    t.call("CancelMessageMoveTask", TaskHandle=task["TaskHandle"])
    t.call("CancelMessageMoveTask", TaskHandle="not-a-handle")
    t.call("StartMessageMoveTask", SourceArn=arn("orders-dlq"))
    fake.advance(60)
    t.call("ListMessageMoveTasks", SourceArn=arn("orders-dlq"), MaxResults=10)
    t.call("ReceiveMessage", QueueUrl=url("work"), AttributeNames=["ApproximateReceiveCount"])

    # Purging, deleting, and a queue deleted recently.
    t.call("PurgeQueue", QueueUrl=url("orders"))
    t.call("PurgeQueue", QueueUrl=url("orders"))
    t.call("PurgeQueue", QueueUrl=url("missing"))
    t.call("DeleteQueue", QueueUrl=url("orders"))
    t.call("DeleteQueue", QueueUrl=url("orders"))
    t.call("GetQueueUrl", QueueName="orders")
    t.call("CreateQueue", QueueName="orders")
    fake.advance(61)
    t.call("CreateQueue", QueueName="orders")


def play_newer(fake: FakeSQS, t: Transcript) -> None:
    """Parameters newer than botocore 1.29 (NEWER_MEMBERS)."""
    t.call("CreateQueue", QueueName="inbox")
    t.call("SendMessage", QueueUrl=url("inbox"), MessageBody="hello")
    t.call(
        "ReceiveMessage",
        QueueUrl=url("inbox"),
        MessageSystemAttributeNames=["SentTimestamp", "ApproximateReceiveCount"],
    )
    fake.advance(30)
    t.call("ReceiveMessage", QueueUrl=url("inbox"), MessageSystemAttributeNames=["All"])
    t.call(
        "ReceiveMessage",
        QueueUrl=url("inbox"),
        MessageSystemAttributeNames=["All"],
        AttributeNames=["SentTimestamp"],
    )
    t.call("ReceiveMessage", QueueUrl=url("inbox"), MessageSystemAttributeNames=["Bogus"])


def model_has_newer_members(client: Any) -> bool:
    model = client.meta.service_model
    return all(
        members <= set(model.operation_model(operation).input_shape.members)
        for operation, members in NEWER_MEMBERS.items()
    )
