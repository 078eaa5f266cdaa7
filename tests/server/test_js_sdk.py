"""The AWS SDK for JavaScript v3 (`@aws-sdk/client-sqs`) against the fake's HTTP server.

The Node scripts in tests/server/js/ run with the machine's `node`, configured only by
`server.env()`; the SDK speaks the JSON protocol (query-compatible) with its MD5 checks of
sent and received bodies on. Each script prints one JSON object; the tests assert it and look
at the same queues in-process. The SDK comes from tests/server/js/package-lock.json: run
`npm ci` in tests/server/js, which the first test does itself (toolchains.py).
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest
from toolchains import JS_DIR, node_and_sdk
from wire_expectations import expected_batch_result

FROZEN = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
FROZEN_MS = str(int(FROZEN.timestamp() * 1000))
SENDER_ID = "AIDAIENQZJOLO23YVJ4VO"

pytestmark = pytest.mark.fake_sqs(freeze=FROZEN.isoformat())

RunNode = Callable[..., dict[str, Any]]


@pytest.fixture
def run_node(fake_sqs_server: Any) -> RunNode:
    """Run a script of tests/server/js with the server's environment; its printed JSON."""
    node = node_and_sdk()
    # Nothing of the developer's AWS setup leaks in: the server's variables only.
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(fake_sqs_server.env())
    # The SDK warns on stderr that Node 20 support ends in 2027; stderr must stay empty so
    # that any other warning (such as a queue URL not on the endpoint) fails the test.
    env["AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED"] = "true"

    def run(script: str, *args: str) -> dict[str, Any]:
        completed = subprocess.run(
            [node, script, *args],
            cwd=JS_DIR,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,  # real-time: a hung Node process fails the test instead of blocking
        )
        assert completed.returncode == 0, completed.stderr
        assert completed.stderr == ""
        result: dict[str, Any] = json.loads(completed.stdout)
        return result

    return run


def test_standard_queue_round_trip(run_node: RunNode, fake_sqs: Any, fake_sqs_server: Any) -> None:
    out = run_node("round_trip.mjs")

    endpoint = fake_sqs_server.endpoint_url
    url = f"{endpoint}/123456789012/jobs"
    assert out["queueUrl"] == url
    assert out["lookedUpUrl"] == url
    assert out["createStatus"] == 200

    jobs = fake_sqs.queue("jobs")
    first, batch_one, batch_two = jobs.sent
    assert [m.body for m in jobs.sent] == ["héllo wörld", "batch one", "batch two"]
    assert first.message_attributes == {
        "colour": {"DataType": "String", "StringValue": "blue ✓"},
        "count": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02\xff"},
    }
    assert batch_two.message_attributes == {
        "kind": {"DataType": "String.custom", "StringValue": "x"}
    }

    # The SDK checked the body MD5s itself; the attribute MD5s are checked against the
    # script's own implementation of SQS's digest.
    assert out["sent"] == {
        "MessageId": first.message_id,
        "MD5OfMessageBody": "ed0c22cc110ede12327851863c078138",
        "MD5OfMessageAttributes": "0fef2154e64186e0d2abdfe0d7503a95",
        "expectedMD5OfMessageBody": "ed0c22cc110ede12327851863c078138",
        "expectedMD5OfMessageAttributes": "0fef2154e64186e0d2abdfe0d7503a95",
    }
    assert out["batch"] == expected_batch_result(batch_one.message_id, batch_two.message_id)
    assert out["batchExpectedMD5OfMessageAttributes"] == "ea8b65359cd5bb0a9df9f578f02b5d65"

    system_attributes = {
        "SenderId": SENDER_ID,
        "SentTimestamp": FROZEN_MS,
        "ApproximateReceiveCount": "1",
        "ApproximateFirstReceiveTimestamp": FROZEN_MS,
    }
    received = out["received"]
    assert [m["MessageId"] for m in received] == [
        first.message_id,
        batch_one.message_id,
        batch_two.message_id,
    ]
    assert [m["Body"] for m in received] == ["héllo wörld", "batch one", "batch two"]
    assert [m["MD5OfBody"] for m in received] == [
        "ed0c22cc110ede12327851863c078138",
        "4ee144aa303ff0cf370b1d6652a2ada0",
        "3f7e3309f07de1f7c48f969aec5cb79f",
    ]
    assert [m["Attributes"] for m in received] == [system_attributes] * 3
    assert received[0]["MessageAttributes"] == {
        "colour": {"DataType": "String", "StringValue": "blue ✓"},
        "count": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": {"base64": "AAEC/w=="}},
    }
    assert "MessageAttributes" not in received[1]
    assert [m.get("MD5OfMessageAttributes") for m in received] == [
        "0fef2154e64186e0d2abdfe0d7503a95",
        None,
        "ea8b65359cd5bb0a9df9f578f02b5d65",
    ]
    assert out["receivedAttributeMD5s"] == [m.get("MD5OfMessageAttributes") for m in received]

    # ChangeMessageVisibility to 0, then a receive naming its attributes.
    assert out["changeVisibilityStatus"] == 200
    [again] = out["receivedAgain"]
    assert again["MessageId"] == first.message_id
    assert again["ReceiptHandle"] != received[0]["ReceiptHandle"]
    assert again["Attributes"] == {"SentTimestamp": FROZEN_MS, "ApproximateReceiveCount": "2"}
    assert again["MessageAttributes"] == {"colour": {"DataType": "String", "StringValue": "blue ✓"}}
    # The digest covers the attributes returned, not the ones sent.
    assert again["MD5OfMessageAttributes"] == "50e8225560a85c069347cba6bb04f26f"
    assert out["deleteStatus"] == 200

    [deleted] = jobs.deleted
    assert (deleted.message_id, deleted.receive_count, deleted.fate) == (
        first.message_id,
        2,
        "deleted",
    )
    assert [(m.body, m.state, m.receive_count) for m in jobs.messages] == [
        ("batch one", "in_flight", 1),
        ("batch two", "in_flight", 1),
    ]
    assert out["queueAttributes"] == {
        "QueueArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "2",
        "ApproximateNumberOfMessagesDelayed": "0",
        "CreatedTimestamp": str(int(FROZEN.timestamp())),
        "LastModifiedTimestamp": str(int(FROZEN.timestamp())),
        "VisibilityTimeout": "45",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "DelaySeconds": "0",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
    }
    assert out["queueAttributes"] == jobs.attributes

    assert out["listed"] == [url, f"{endpoint}/123456789012/jobs-to-purge"]
    assert out["listedWithPrefix"] == [f"{endpoint}/123456789012/jobs-to-purge"]
    assert out["purgeStatus"] == 200
    purged = fake_sqs.queue("jobs-to-purge")
    assert len(purged) == 0
    assert [(m.body, m.fate) for m in purged.purged] == [("doomed", "purged")]


def test_fifo_group_and_deduplication_ids(
    run_node: RunNode, fake_sqs: Any, fake_sqs_server: Any
) -> None:
    out = run_node("fifo.mjs")

    assert out["queueUrl"] == f"{fake_sqs_server.endpoint_url}/123456789012/orders.fifo"
    orders = fake_sqs.queue("orders.fifo")
    assert [(m.body, m.group_id, m.deduplication_id) for m in orders.sent] == [
        ("a1", "group-a", "dedup-1"),
        ("b1", "group-b", "dedup-2"),
        ("a2", "group-a", "dedup-3"),
        ("b2", "group-b", "dedup-4"),
        ("a3", "group-a", "dedup-5"),
    ]
    by_body = {m.body: m for m in orders.sent}
    a1, b1, a2 = by_body["a1"], by_body["b1"], by_body["a2"]
    # The duplicate of dedup-1 is answered with the first message's id and sequence number,
    # and the MD5 of the body it sent (which the SDK checks).
    assert out["sent"] == [
        {
            "MessageId": a1.message_id,
            "SequenceNumber": a1.sequence_number,
            "MD5OfMessageBody": "8a8bb7cd343aa2ad99b7d762030857a2",
        },
        {
            "MessageId": b1.message_id,
            "SequenceNumber": b1.sequence_number,
            "MD5OfMessageBody": "edbab45572c72a5d9440b40bcc0500c0",
        },
        {
            "MessageId": a2.message_id,
            "SequenceNumber": a2.sequence_number,
            "MD5OfMessageBody": "693a9fdd4c2fd0700968fba0d07ff3c0",
        },
        {
            "MessageId": a1.message_id,
            "SequenceNumber": a1.sequence_number,
            "MD5OfMessageBody": "5be080140570fe5075264216c04760d9",
        },
    ]
    # An empty Failed list is left out of a JSON answer, as SQS does.
    assert out["batch"] == {
        "Successful": [
            {
                "Id": "b2",
                "MessageId": by_body["b2"].message_id,
                "MD5OfMessageBody": "fbfba2e45c2045dc5cab22a5afe83d9d",
                "SequenceNumber": by_body["b2"].sequence_number,
            },
            {
                "Id": "a3",
                "MessageId": by_body["a3"].message_id,
                "MD5OfMessageBody": "9d607a663f3e9b0a90c3c8d4426640dc",
                "SequenceNumber": by_body["a3"].sequence_number,
            },
        ]
    }
    sequence_numbers = [int(m.sequence_number) for m in orders.sent]
    assert sequence_numbers == sorted(sequence_numbers)

    # One receive: group a in order, then group b in order.
    assert out["received"] == [
        {
            "MessageId": by_body[body].message_id,
            "Body": body,
            "Attributes": {
                "ApproximateReceiveCount": "1",
                "SequenceNumber": by_body[body].sequence_number,
                "MessageDeduplicationId": by_body[body].deduplication_id,
                "MessageGroupId": by_body[body].group_id,
            },
        }
        for body in ["a1", "a2", "a3", "b1", "b2"]
    ]
    assert [m.state for m in orders.messages] == ["in_flight"] * 5

    assert out["missingGroupError"] == {
        "name": "MissingParameter",
        "message": "The request must contain the parameter MessageGroupId.",
        "Code": "MissingParameter",
        "Type": "Sender",
        "fault": "client",
        "httpStatusCode": 400,
        "isServiceException": True,
    }


def test_errors(run_node: RunNode, fake_sqs: Any) -> None:
    out = run_node("errors.mjs")

    queue_does_not_exist = {
        "name": "QueueDoesNotExist",
        "message": "The specified queue does not exist.",
        "Code": "AWS.SimpleQueueService.NonExistentQueue",
        "Type": "Sender",
        "fault": "client",
        "httpStatusCode": 400,
        "isServiceException": True,
        "isQueueDoesNotExist": True,
        "isSQSServiceException": True,
    }
    assert out["getQueueUrl"] == queue_does_not_exist
    assert out["sendToMissing"] == queue_does_not_exist
    assert out["purgeTwice"] == {
        "name": "PurgeQueueInProgress",
        "message": "Only one PurgeQueue operation on jobs is allowed every 60 seconds.",
        "Code": "AWS.SimpleQueueService.PurgeQueueInProgress",
        "Type": "Sender",
        "fault": "client",
        "httpStatusCode": 403,
        "isServiceException": True,
        "isQueueDoesNotExist": False,
        "isSQSServiceException": True,
    }
    # Not a modelled error: the SDK names it after the query error code.
    assert out["tooMany"] == {
        "name": "InvalidParameterValue",
        "message": "Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided.",
        "Code": "InvalidParameterValue",
        "Type": "Sender",
        "fault": "client",
        "httpStatusCode": 400,
        "isServiceException": True,
        "isQueueDoesNotExist": False,
        "isSQSServiceException": True,
    }
    assert [q.name for q in fake_sqs.queues()] == ["jobs"]


def test_delayed_message_arrives_after_node_moves_the_clock(
    run_node: RunNode, fake_sqs: Any
) -> None:
    """Two node runs with a jump of the clock between them, made by node itself over the
    control plane (POST /_fakesqs/advance), as a JavaScript suite drives the standalone
    server."""
    later = fake_sqs.create_queue("later")

    before = run_node("delayed.mjs", "send")
    [message] = later.messages
    assert before == {"MessageId": message.message_id, "received": []}
    assert (message.body, message.state) == ("see you later", "delayed")
    assert message.visible_at == datetime(2024, 5, 1, 12, 1, tzinfo=timezone.utc)

    assert run_node("control.mjs", "advance", "59") == {
        "status": 200,
        "body": {"now": "2024-05-01T12:00:59Z", "time": FROZEN.timestamp() + 59},
    }
    assert run_node("delayed.mjs", "receive") == {"received": []}
    assert run_node("control.mjs", "advance", "1")["status"] == 200
    assert fake_sqs.now == datetime(2024, 5, 1, 12, 1, tzinfo=timezone.utc)
    assert run_node("delayed.mjs", "receive") == {
        "received": [
            {
                "MessageId": message.message_id,
                "Body": "see you later",
                "Attributes": {"SentTimestamp": FROZEN_MS},
            }
        ]
    }
    state = run_node("control.mjs", "state")
    [queue] = state["body"]["queues"]
    assert [(m["body"], m["state"], m["receive_count"]) for m in queue["messages"]] == [
        ("see you later", "in_flight", 1)
    ]
    assert [(m.state, m.receive_count) for m in later.messages] == [("in_flight", 1)]
