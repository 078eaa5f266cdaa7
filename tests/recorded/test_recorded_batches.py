"""Batch operations as recorded on AWS: errors that fail the whole request, and per-entry
results (tests/aws/services/sqs/test_sqs.py, class TestSqsProvider)."""

from __future__ import annotations

from typing import Any

import pytest
from recording_helpers import EMPTY_200, Recording, assert_error, protocols

MAX_SIZE = 1048576
#: One attribute whose name, data type and value add up to 8 bytes ("k" + "String" + "x").
EIGHT_BYTE_ATTRIBUTE = {"k": {"DataType": "String", "StringValue": "x"}}
INVALID_ID = (
    "A batch entry id can only contain alphanumeric characters, hyphens and underscores. "
    "It can be at most 80 letters long."
)
_INVALID = "InvalidParameterValue", "InvalidParameterValueException"


def _legacy(name: str) -> tuple[str, str]:
    return f"AWS.SimpleQueueService.{name}", name


#: (recording, FIFO queue?, operation, entries, (code, query code), message)
WHOLE_REQUEST_ERRORS: list[tuple[str, bool, str, list[dict[str, Any]], tuple[str, str], str]] = [
    (
        "test_send_message_batch_with_oversized_contents: send_oversized_message_batch",
        False,
        "send_message_batch",
        [
            {
                "Id": "1",
                "MessageBody": "a" * (MAX_SIZE - 8),
                "MessageAttributes": EIGHT_BYTE_ATTRIBUTE,
            },
            {"Id": "2", "MessageBody": "a"},
        ],
        _legacy("BatchRequestTooLong"),
        "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.",
    ),
    (
        "test_too_many_entries_in_batch_request: test_too_many_entries_in_batch_request",
        False,
        "send_message_batch",
        [{"Id": f"message-{i}", "MessageBody": f"messageBody-{i}"} for i in range(20)],
        _legacy("TooManyEntriesInBatchRequest"),
        "Maximum number of entries per request are 10. You have sent 20.",
    ),
    (
        "test_invalid_batch_id: test_invalid_batch_id",
        False,
        "send_message_batch",
        [{"Id": "message:3f2a9c1b", "MessageBody": "messageBody-3f2a9c1b"}],
        _legacy("InvalidBatchEntryId"),
        INVALID_ID,
    ),
    *(
        (
            f"test_delete_message_batch_invalid_msg_id[*-{entry_id}]: error_response",
            False,
            "delete_message_batch",
            [{"Id": entry_id, "ReceiptHandle": "testHandle1"}],
            _legacy("InvalidBatchEntryId"),
            INVALID_ID,
        )
        for entry_id in ("", "testLongId" * 10, "invalid:id")
    ),
    (
        "test_send_batch_missing_deduplication_id_for_fifo_queue: "
        "test_missing_deduplication_id_for_fifo_queue",
        True,
        "send_message_batch",
        [
            {
                "Id": "message-1",
                "MessageBody": "messageBody",
                "MessageGroupId": "test-group",
                "MessageDeduplicationId": "dedup-1",
            },
            {"Id": "message-2", "MessageBody": "messageBody", "MessageGroupId": "test-group"},
        ],
        _INVALID,
        "The queue should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly",
    ),
    (
        "test_send_batch_missing_message_group_id_for_fifo_queue: "
        "test_missing_message_group_id_for_fifo_queue",
        True,
        "send_message_batch",
        [
            {
                "Id": "message-1",
                "MessageBody": "messageBody",
                "MessageGroupId": "test-group",
                "MessageDeduplicationId": "dedup-1",
            },
            {"Id": "message-2", "MessageBody": "messageBody", "MessageDeduplicationId": "dedup-2"},
        ],
        _INVALID,
        "The request must contain the parameter MessageGroupId.",
    ),
]


def _case_id(recording: str) -> str:
    name, _, key = recording.partition(": ")
    return name.replace("[*-", "[").replace("testLongId" * 10, "testLongIdx10") + "-" + key


@protocols()
@pytest.mark.parametrize(
    ("recording", "fifo", "operation", "entries", "codes", "message"),
    WHOLE_REQUEST_ERRORS,
    ids=[_case_id(case[0]) for case in WHOLE_REQUEST_ERRORS],
)
def test_whole_request_errors(
    client: Any,
    recording: str,
    fifo: bool,
    operation: str,
    entries: list[dict[str, Any]],
    codes: tuple[str, str],
    message: str,
) -> None:
    """Recordings test_send_message_batch_with_oversized_contents,
    test_too_many_entries_in_batch_request, test_invalid_batch_id,
    test_delete_message_batch_invalid_msg_id (three ids),
    test_send_batch_missing_deduplication_id_for_fifo_queue and
    test_send_batch_missing_message_group_id_for_fifo_queue ([sqs] and [sqs_query]): the batch
    fails as a whole, HTTP 400 (one bad entry among good ones included)."""
    if fifo:
        attributes = {"FifoQueue": "true", "ContentBasedDeduplication": "false"}
        url = client.create_queue(QueueName="recorded.fifo", Attributes=attributes)["QueueUrl"]
    else:
        url = client.create_queue(QueueName="recorded")["QueueUrl"]
    with pytest.raises(client.exceptions.ClientError) as raised:
        getattr(client, operation)(QueueUrl=url, Entries=entries)
    code, query_code = codes
    assert_error(client, raised, code=code, message=message, query_code=query_code)


@protocols()
@pytest.mark.parametrize(
    ("operation", "extra"),
    [("delete_message_batch", {}), ("change_message_visibility_batch", {"VisibilityTimeout": 123})],
    ids=[
        "test_delete_message_batch_with_too_large_batch",
        "test_change_message_visibility_batch_with_too_large_batch",
    ],
)
def test_too_large_batch_of_receipt_handles(
    client: Any, operation: str, extra: dict[str, Any]
) -> None:
    """Recordings test_delete_message_batch_with_too_large_batch and
    test_change_message_visibility_batch_with_too_large_batch, key error_response: 20 valid
    receipt handles in one batch."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    batch = [{"Id": f"message-{i}", "MessageBody": f"messageBody-{i}"} for i in range(10)]
    for _ in range(2):
        assert len(client.send_message_batch(QueueUrl=url, Entries=batch)["Successful"]) == 10
    received: list[dict[str, Any]] = []
    while len(received) < 20:
        response = client.receive_message(
            QueueUrl=url, MaxNumberOfMessages=min(10, 20 - len(received))
        )
        received.extend(response["Messages"])
    entries = [
        {"Id": str(i), "ReceiptHandle": message["ReceiptHandle"], **extra}
        for i, message in enumerate(received)
    ]
    with pytest.raises(client.exceptions.ClientError) as raised:
        getattr(client, operation)(QueueUrl=url, Entries=entries)
    code, query_code = _legacy("TooManyEntriesInBatchRequest")
    assert_error(
        client,
        raised,
        code=code,
        message="Maximum number of entries per request are 10. You have sent 20.",
        query_code=query_code,
    )


@protocols()
def test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size(
    client: Any,
) -> None:
    """Recording test_send_message_batch_with_oversized_contents_with_updated_maximum_message_size,
    key send_oversized_message_batch: with MaximumMessageSize=2048, a batch of a 2048-byte
    message (attribute included) and a 1-byte one succeeds; Successful in entry order, with
    MD5OfMessageAttributes only for the entry that has attributes, and no Failed key."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    client.set_queue_attributes(QueueUrl=url, Attributes={"MaximumMessageSize": "2048"})
    response = client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "1", "MessageBody": "a" * (2048 - 8), "MessageAttributes": EIGHT_BYTE_ATTRIBUTE},
            {"Id": "2", "MessageBody": "a"},
        ],
    )
    expected = {
        "Successful": [
            {
                "Id": "1",
                "MD5OfMessageAttributes": "a45daa70926828a2f0a1db3418e6feb4",
                "MD5OfMessageBody": "f44facf5a7ee0af446ecf3e0f854441e",
                "MessageId": "<uuid:1>",
            },
            {
                "Id": "2",
                "MD5OfMessageBody": "0cc175b9c0f1b6a831c399e269772661",
                "MessageId": "<uuid:2>",
            },
        ],
        **EMPTY_200,
    }
    Recording().match(response, expected)


def test_send_batch_message_size(json_client: Any) -> None:
    """Recording test_send_batch_message_size, key send-message-batch-result (JSON client): with
    MaximumMessageSize=1024, a 1025-byte entry fails on its own (its text differs from
    SendMessage's) and the 1024-byte one succeeds; Failed and Successful both present."""
    url = json_client.create_queue(QueueName="recorded", Attributes={"MaximumMessageSize": "1024"})[
        "QueueUrl"
    ]
    first, second = "a4cff0d1-1961-44bd-ae53-c6d5ed71ed08", "35b535ed-b76a-4ebd-b749-6eb35cdb55ee"
    response = json_client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": first, "MessageBody": "a" * 1024},
            {"Id": second, "MessageBody": "a" * 1025},
        ],
    )
    expected = {
        "Failed": [
            {
                "Code": "InvalidParameterValue",
                "Id": second,
                "Message": "One or more parameters cannot be validated. Reason: Message must be "
                "shorter than 1024 bytes.",
                "SenderFault": True,
            }
        ],
        "Successful": [
            {
                "Id": first,
                "MD5OfMessageBody": "c9a34cfc85d982698c6ac89f76071abd",
                "MessageId": "<uuid:3>",
            }
        ],
        **EMPTY_200,
    }
    Recording().match(response, expected)
