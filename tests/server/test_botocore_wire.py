"""botocore over the wire: boto3 in a subprocess against the fake's HTTP server.

In this process botocore clients are answered by the plugin's hooks before the network, so the
client runs in a subprocess (tests/server/botocore_round_trip.py, with this interpreter) where
no fake is active. It speaks whichever protocol the installed botocore speaks: JSON from 1.31,
the query protocol before. CI runs this file in both environments, so the server's JSON and
query paths each get the same round trip.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import botocore
import pytest
from wire_expectations import expected_batch_result

SCRIPT = Path(__file__).parent / "botocore_round_trip.py"
FROZEN = datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
FROZEN_MS = str(int(FROZEN.timestamp() * 1000))
MAJOR, MINOR = (int(part) for part in botocore.__version__.split(".")[:2])
PROTOCOL = "json" if (MAJOR, MINOR) >= (1, 31) else "query"

pytestmark = pytest.mark.fake_sqs(freeze=FROZEN.isoformat())


@pytest.fixture
def round_trip(fake_sqs_server: Any) -> dict[str, Any]:
    """What the script printed, run once against the server."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update(fake_sqs_server.env())
    completed = subprocess.run(
        [sys.executable, str(SCRIPT), fake_sqs_server.endpoint_url],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,  # real-time: a hung subprocess fails the test instead of blocking
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, Any] = json.loads(completed.stdout)
    return result


#: QueueDoesNotExist's text differs by protocol (both recorded on AWS).
NOT_FOUND = {
    "json": "The specified queue does not exist.",
    "query": "The specified queue does not exist for this wsdl version.",
}


def _error(code: str, message: str, query_error_code: str) -> dict[str, Any]:
    """The `Error` dict botocore builds: JSON adds the modelled name, query the empty Detail."""
    error = {"Code": code, "Message": message, "Type": "Sender"}
    if PROTOCOL == "json":
        error["QueryErrorCode"] = query_error_code
    else:
        error["Detail"] = None
    return error


def test_the_subprocess_speaks_the_protocol_of_this_botocore(round_trip: dict[str, Any]) -> None:
    assert round_trip["botocore"] == botocore.__version__
    assert round_trip["protocol"] == PROTOCOL
    content_type = "application/x-amz-json-1.0" if PROTOCOL == "json" else "text/xml"
    metadata = round_trip["sentMetadata"]
    assert (metadata["HTTPStatusCode"], metadata["content-type"]) == (200, content_type)
    assert metadata["RequestId"] == metadata["x-amzn-requestid"]


def test_messages_round_trip(
    round_trip: dict[str, Any], fake_sqs: Any, fake_sqs_server: Any
) -> None:
    url = f"{fake_sqs_server.endpoint_url}/123456789012/jobs"
    assert round_trip["queueUrl"] == url
    assert round_trip["lookedUpUrl"] == url
    assert round_trip["listed"] == [url]

    jobs = fake_sqs.queue("jobs")
    first, batch_one, batch_two = jobs.sent
    assert first.body == "héllo <wörld> & more"
    assert first.message_attributes == {
        "colour": {"DataType": "String", "StringValue": "blue ✓"},
        "count": {"DataType": "Number", "StringValue": "42"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01\x02\xff"},
    }
    assert round_trip["sent"] == {
        "MD5OfMessageBody": "480b193478c5d20f04921dcab234d8b5",
        "MD5OfMessageAttributes": "0fef2154e64186e0d2abdfe0d7503a95",
        "MessageId": first.message_id,
    }
    assert round_trip["batch"] == expected_batch_result(batch_one.message_id, batch_two.message_id)

    attributes = {
        "SenderId": "AIDAIENQZJOLO23YVJ4VO",
        "SentTimestamp": FROZEN_MS,
        "ApproximateReceiveCount": "1",
        "ApproximateFirstReceiveTimestamp": FROZEN_MS,
    }
    received = round_trip["received"]
    assert [{k: v for k, v in m.items() if k != "ReceiptHandle"} for m in received] == [
        {
            "MessageId": first.message_id,
            "MD5OfBody": "480b193478c5d20f04921dcab234d8b5",
            "Body": "héllo <wörld> & more",
            "Attributes": attributes,
            "MD5OfMessageAttributes": "0fef2154e64186e0d2abdfe0d7503a95",
            "MessageAttributes": {
                "colour": {"StringValue": "blue ✓", "DataType": "String"},
                "count": {"StringValue": "42", "DataType": "Number"},
                "blob": {"BinaryValue": {"base64": "AAEC/w=="}, "DataType": "Binary"},
            },
        },
        {
            "MessageId": batch_one.message_id,
            "MD5OfBody": "4ee144aa303ff0cf370b1d6652a2ada0",
            "Body": "batch one",
            "Attributes": attributes,
        },
        {
            "MessageId": batch_two.message_id,
            "MD5OfBody": "3f7e3309f07de1f7c48f969aec5cb79f",
            "Body": "batch two",
            "Attributes": attributes,
            "MD5OfMessageAttributes": "ea8b65359cd5bb0a9df9f578f02b5d65",
            "MessageAttributes": {"kind": {"StringValue": "x", "DataType": "String.custom"}},
        },
    ]

    [again] = round_trip["receivedAgain"]
    assert again["ReceiptHandle"] != received[0]["ReceiptHandle"]
    assert {k: v for k, v in again.items() if k != "ReceiptHandle"} == {
        "MessageId": first.message_id,
        "MD5OfBody": "480b193478c5d20f04921dcab234d8b5",
        "Body": "héllo <wörld> & more",
        "Attributes": {"ApproximateReceiveCount": "2"},
        "MD5OfMessageAttributes": "50e8225560a85c069347cba6bb04f26f",
        "MessageAttributes": {"colour": {"StringValue": "blue ✓", "DataType": "String"}},
    }
    assert round_trip["deleteBatch"] == {
        "Successful": [{"Id": "one"}],
        "Failed": [
            {
                "Id": "bogus",
                "SenderFault": True,
                "Code": "ReceiptHandleIsInvalid",
                "Message": 'The input receipt handle "not-a-handle" is not a valid receipt handle.',
            }
        ],
    }
    assert round_trip["queueAttributes"] == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "1",
        "VisibilityTimeout": "45",
        "QueueArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
    }

    # In the fake: two deleted (one by DeleteMessage after two receives, one by the batch),
    # the third purged at the end.
    assert [(m.message_id, m.receive_count) for m in jobs.deleted] == [
        (first.message_id, 2),
        (batch_one.message_id, 1),
    ]
    assert [m.message_id for m in jobs.purged] == [batch_two.message_id]
    assert len(jobs) == 0


def test_errors(round_trip: dict[str, Any], fake_sqs: Any) -> None:
    assert round_trip["queueDoesNotExist"] == {
        "class": "QueueDoesNotExist",
        "Error": _error(
            "AWS.SimpleQueueService.NonExistentQueue",
            NOT_FOUND[PROTOCOL],
            "QueueDoesNotExist",
        ),
        "HTTPStatusCode": 400,
        "str": "An error occurred (AWS.SimpleQueueService.NonExistentQueue) when calling the "
        f"GetQueueUrl operation: {NOT_FOUND[PROTOCOL]}",
    }
    assert round_trip["invalidParameterValue"] == {
        "class": "ClientError",
        "Error": _error(
            "InvalidParameterValue",
            "Value 11 for parameter MaxNumberOfMessages is invalid. "
            "Reason: Must be between 1 and 10, if provided.",
            "InvalidParameterValueException",
        ),
        "HTTPStatusCode": 400,
        "str": "An error occurred (InvalidParameterValue) when calling the ReceiveMessage "
        "operation: Value 11 for parameter MaxNumberOfMessages is invalid. "
        "Reason: Must be between 1 and 10, if provided.",
    }
    assert round_trip["purgeQueueInProgress"] == {
        "class": "PurgeQueueInProgress",
        "Error": _error(
            "AWS.SimpleQueueService.PurgeQueueInProgress",
            "Only one PurgeQueue operation on jobs is allowed every 60 seconds.",
            "PurgeQueueInProgress",
        ),
        "HTTPStatusCode": 403,
        "str": "An error occurred (AWS.SimpleQueueService.PurgeQueueInProgress) when calling "
        "the PurgeQueue operation: Only one PurgeQueue operation on jobs is allowed every 60 "
        "seconds.",
    }
    failed = [(call.operation, call.status) for call in fake_sqs.calls if not call.ok]
    assert failed == [("GetQueueUrl", 400), ("ReceiveMessage", 400), ("PurgeQueue", 403)]
