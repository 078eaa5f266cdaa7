"""FIFO queues as recorded on AWS: groups, deduplication, delays, visibility and attributes
(tests/aws/services/sqs/test_sqs.py, class TestSqsProvider)."""

from __future__ import annotations

from typing import Any

import pytest
from recording_helpers import (
    EMPTY_200,
    TIMESTAMP,
    Recording,
    assert_error,
    match,
    message_counts,
    protocols,
    queue_arn_for,
)

from pytest_fakesqs import FakeSQS

JSON_BODY = '{"foo": "bar"}'
JSON_BODY_MD5 = "94232c5b8fc9272f6f73a1e36eb68fcf"
#: Bodies of the recordings and their MD5OfBody as AWS returned it.
MD5 = {
    "Test": "0cbc6611f5540bd0809a388dc95a615b",
    "Test1": "e1b849f9631ffc1829b2e31402373e3c",
    "Test2": "c454552d52d55d3ef56408742887362b",
    "Test3": "b3f66ec1535de7702c38e94408fa4a17",
    "Test4": "41d5e808720c8ee71257214e952a6721",
    "foo": "acbd18db4cc2f85cedef654fccc4a4d8",
    "bar": "37b51d194a7513e45b56f6524f2d51f2",
    "baz": "73feffa4b7f6bb68e44cf984c85f6e88",
    "foobar": "3858f62230ac3c915f300c664312c63f",
    "message-1": "3d6b824fd8c1520e9a047d21fee6fb1f",
    "Message 1": "68390233272823b7adf13a1db79b2cd7",
    "Message 2": "88ef8f31ed540f1c4c03d5fdb06a7935",
}


def _fifo(client: Any, **attributes: str) -> str:
    url: str = client.create_queue(
        QueueName="recorded.fifo", Attributes={"FifoQueue": "true", **attributes}
    )["QueueUrl"]
    return url


def _messages(*received: tuple[str, int, int]) -> dict[str, Any]:
    """A receive's recorded response: (body, uuid number, receipt-handle number) per message."""
    messages = [
        {
            "Body": body,
            "MD5OfBody": MD5[body],
            "MessageId": f"<uuid:{message}>",
            "ReceiptHandle": f"<receipt-handle:{handle}>",
        }
        for body, message, handle in received
    ]
    return {"Messages": messages, **EMPTY_200}


def _send(client: Any, url: str, body: str, group: str, dedup: str | None = None) -> None:
    extra = {} if dedup is None else {"MessageDeduplicationId": dedup}
    client.send_message(QueueUrl=url, MessageBody=body, MessageGroupId=group, **extra)


def _receive_and_delete(client: Any, url: str, recording: Recording, expected: Any) -> None:
    """Receive, match the recording, and delete what came."""
    received = client.receive_message(QueueUrl=url)
    recording.match(received, expected)
    for message in received.get("Messages", []):
        client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])


def _fifo_attributes(**values: str) -> dict[str, Any]:
    """GetQueueAttributes(All) of a FIFO queue on AWS: these keys exactly."""
    return {
        "Attributes": {
            "ApproximateNumberOfMessages": "0",
            "ApproximateNumberOfMessagesDelayed": "0",
            "ApproximateNumberOfMessagesNotVisible": "0",
            "ContentBasedDeduplication": "false",
            "CreatedTimestamp": TIMESTAMP,
            "DeduplicationScope": "queue",
            "DelaySeconds": "0",
            "FifoQueue": "true",
            "FifoThroughputLimit": "perQueue",
            "LastModifiedTimestamp": TIMESTAMP,
            "MaximumMessageSize": "1048576",
            "MessageRetentionPeriod": "345600",
            "QueueArn": queue_arn_for("recorded.fifo"),
            "ReceiveMessageWaitTimeSeconds": "0",
            "SqsManagedSseEnabled": "true",
            "VisibilityTimeout": "30",
            **values,
        },
        **EMPTY_200,
    }


@protocols()
def test_fifo_empty_message_groups_added_back_to_queue(client: Any) -> None:
    """Recording test_fifo_empty_message_groups_added_back_to_queue, keys inital-fifo-receive,
    empty-fifo-receive and final-fifo-receive: a group emptied by a delete serves the group's
    next message."""
    url = _fifo(client)
    recording = Recording()
    _send(client, url, "Message 1", "g1", "1")
    _receive_and_delete(client, url, recording, _messages(("Message 1", 1, 1)))
    recording.match(client.receive_message(QueueUrl=url), EMPTY_200)
    _send(client, url, "Message 2", "g1", "2")
    recording.match(client.receive_message(QueueUrl=url), _messages(("Message 2", 2, 2)))


@protocols()
def test_fifo_queue_send_message_with_delay_seconds_fails(client: Any) -> None:
    """Recording test_fifo_queue_send_message_with_delay_seconds_fails, key send_message."""
    url = _fifo(client, ContentBasedDeduplication="true")
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.send_message(
            QueueUrl=url, MessageBody="message-1", MessageGroupId="1", DelaySeconds=2
        )
    assert_error(
        client,
        raised,
        code="InvalidParameterValue",
        message="Value 2 for parameter DelaySeconds is invalid. Reason: The request include "
        "parameter that is not valid for this queue type.",
        query_code="InvalidParameterValueException",
    )


@protocols()
def test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay(
    client: Any, fake_sqs: FakeSQS
) -> None:
    """Recording test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay, every key:
    on a FIFO queue with DelaySeconds=2, a message sent with DelaySeconds=0 still waits the
    queue's 2 seconds (a 1-second long poll sees nothing; it is there 3 seconds later)."""
    url = _fifo(client, ContentBasedDeduplication="true", DelaySeconds="2")
    recording = Recording()
    sent = client.send_message(
        QueueUrl=url, MessageBody="message-1", MessageGroupId="1", DelaySeconds=0
    )
    recording.match(
        sent,
        {
            "MD5OfMessageBody": MD5["message-1"],
            "MessageId": "<uuid:1>",
            "SequenceNumber": "<sequence-number:1>",
            **EMPTY_200,
        },
    )
    recording.match(client.receive_message(QueueUrl=url, WaitTimeSeconds=1), EMPTY_200)
    fake_sqs.advance(3)  # the recording's time.sleep(delay_seconds + 1)
    recording.match(
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=1),
        _messages(("message-1", 1, 1)),
    )


@protocols()
def test_fifo_message_attributes(client: Any) -> None:
    """Recording test_fifo_message_attributes, keys send_message, receive_message_0 and
    receive_message_1: a FIFO message's system attributes under AttributeNames=All, and the
    receive count and handle after a second receive (VisibilityTimeout 0)."""
    url = _fifo(
        client,
        ContentBasedDeduplication="true",
        VisibilityTimeout="0",
        DeduplicationScope="messageGroup",
        FifoThroughputLimit="perMessageGroupId",
    )
    recording = Recording()
    sent = client.send_message(
        QueueUrl=url,
        MessageBody="message-body-1",
        MessageGroupId="group-1",
        MessageDeduplicationId="dedup-1",
    )
    recording.match(
        sent,
        {
            "MD5OfMessageBody": "19c9e282d65f9733bc6b35d50062c7ee",
            "MessageId": "<uuid:1>",
            "SequenceNumber": "<sequence-number:1>",
            **EMPTY_200,
        },
    )
    for count in (1, 2):
        attributes = {
            "ApproximateFirstReceiveTimestamp": TIMESTAMP,
            "ApproximateReceiveCount": str(count),
            "MessageDeduplicationId": "dedup-1",
            "MessageGroupId": "group-1",
            "SenderId": "<sender-id:1>",
            "SentTimestamp": TIMESTAMP,
            "SequenceNumber": "<sequence-number:1>",
        }
        message = {
            "Attributes": attributes,
            "Body": "message-body-1",
            "MD5OfBody": "19c9e282d65f9733bc6b35d50062c7ee",
            "MessageId": "<uuid:1>",
            "ReceiptHandle": f"<receipt-handle:{count}>",
        }
        received = client.receive_message(QueueUrl=url, AttributeNames=["All"], WaitTimeSeconds=10)
        recording.match(received, {"Messages": [message], **EMPTY_200})


@protocols()
def test_fifo_set_content_based_deduplication_strategy(client: Any) -> None:
    """Recording test_fifo_set_content_based_deduplication_strategy, keys before-update and
    after-update: All on a FIFO queue, and ContentBasedDeduplication switched off after
    creation."""
    url = _fifo(client, SqsManagedSseEnabled="true", ContentBasedDeduplication="true")
    match(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]),
        _fifo_attributes(ContentBasedDeduplication="true"),
    )
    client.set_queue_attributes(QueueUrl=url, Attributes={"ContentBasedDeduplication": "false"})
    match(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]),
        _fifo_attributes(ContentBasedDeduplication="false"),
    )


# --- deduplication -----------------------------------------------------------------------------


@protocols()
@pytest.mark.parametrize("content_based", [True, False], ids=["True", "False"])
def test_fifo_deduplication_arrives_once_after_delete(client: Any, content_based: bool) -> None:
    """Recordings test_fifo_deduplication_arrives_once_after_delete[*-True] and [*-False], keys
    get-messages and get-messages-duplicate: a message sent again after the first was received
    and deleted is a duplicate (by body hash, or by MessageDeduplicationId dedup1)."""
    url = _fifo(client, **({"ContentBasedDeduplication": "true"} if content_based else {}))
    dedup = None if content_based else "dedup1"
    recording = Recording()
    _send(client, url, JSON_BODY, "group-1", dedup)
    first = client.receive_message(QueueUrl=url, WaitTimeSeconds=3)
    message = {
        "Body": JSON_BODY,
        "MD5OfBody": JSON_BODY_MD5,
        "MessageId": "<uuid:1>",
        "ReceiptHandle": "<receipt-handle:1>",
    }
    recording.match(first, {"Messages": [message], **EMPTY_200})
    client.delete_message(QueueUrl=url, ReceiptHandle=first["Messages"][0]["ReceiptHandle"])
    _send(client, url, JSON_BODY, "group-1", dedup)
    recording.match(client.receive_message(QueueUrl=url, WaitTimeSeconds=1), EMPTY_200)


@protocols()
@pytest.mark.parametrize("content_based", [True, False], ids=["True", "False"])
def test_fifo_deduplication_not_on_message_group_id(client: Any, content_based: bool) -> None:
    """Recordings test_fifo_deduplication_not_on_message_group_id[*-True] and [*-False], keys
    get-messages and get-dedup-messages: with the default DeduplicationScope=queue, the same
    dedup id in another group is a duplicate."""
    url = _fifo(client, **({"ContentBasedDeduplication": "true"} if content_based else {}))
    dedup = None if content_based else "dedup1"
    recording = Recording()
    _send(client, url, JSON_BODY, "group-1", dedup)
    _send(client, url, JSON_BODY, "group-2", dedup)
    message = {
        "Body": JSON_BODY,
        "MD5OfBody": JSON_BODY_MD5,
        "MessageId": "<uuid:1>",
        "ReceiptHandle": "<receipt-handle:1>",
    }
    recording.match(
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=2),
        {"Messages": [message], **EMPTY_200},
    )
    recording.match(
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, WaitTimeSeconds=1), EMPTY_200
    )


#: (recording, queue attributes, bodies in group1 and group2, dedup id or None for the body
#: hash, whether the second is delivered). Keys same-dedup-different-grp-1 and -2 of each.
DEDUP_ACROSS_GROUPS = [
    (
        "test_sqs_fifo_same_dedup_id_different_message_groups",
        {"ContentBasedDeduplication": "false"},
        ("Test", "Test"),
        "same-dedup",
        False,
    ),
    (
        "test_fifo_high_throughput_ordering",
        {
            "ContentBasedDeduplication": "false",
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
        ("Test1", "Test2"),
        "same-dedup",
        True,
    ),
    (
        "test_sqs_fifo_message_group_scope_no_throughput_setting",
        {"ContentBasedDeduplication": "true", "DeduplicationScope": "messageGroup"},
        ("Test", "Test"),
        None,
        True,
    ),
]


@protocols()
@pytest.mark.parametrize(
    ("recording_id", "attributes", "bodies", "dedup", "delivered"),
    DEDUP_ACROSS_GROUPS,
    ids=[case[0] for case in DEDUP_ACROSS_GROUPS],
)
def test_dedup_across_groups(
    client: Any,
    recording_id: str,
    attributes: dict[str, str],
    bodies: tuple[str, str],
    dedup: str | None,
    delivered: bool,
) -> None:
    """Recordings test_sqs_fifo_same_dedup_id_different_message_groups,
    test_fifo_high_throughput_ordering and test_sqs_fifo_message_group_scope_no_throughput_setting,
    keys same-dedup-different-grp-1 and -2: a message is received and deleted, then one with
    the same dedup id (explicit, or the same body's hash) is sent in another group. With the
    default DeduplicationScope=queue it is a duplicate; with messageGroup it is delivered, with
    or without FifoThroughputLimit."""
    url = _fifo(client, **attributes)
    recording = Recording()
    _send(client, url, bodies[0], "group1", dedup)
    _receive_and_delete(client, url, recording, _messages((bodies[0], 1, 1)))
    _send(client, url, bodies[1], "group2", dedup)
    second = _messages((bodies[1], 2, 2)) if delivered else EMPTY_200
    recording.match(client.receive_message(QueueUrl=url), second)


@protocols()
def test_fifo_change_to_high_throughput_after_creation(client: Any) -> None:
    """Recording test_fifo_change_to_high_throughput_after_creation, every key: a queue created
    with DeduplicationScope=queue and switched to messageGroup/perMessageGroupId reads back the
    new values, but keeps deduplicating across groups: the old dedup id in a new group (Test3),
    and a new dedup id sent after the switch in a second new group (Test5), are duplicates."""
    url = _fifo(client, ContentBasedDeduplication="false", DeduplicationScope="queue")
    recording = Recording()
    _send(client, url, "Test1", "group1", "same-dedup")
    _receive_and_delete(client, url, recording, _messages(("Test1", 1, 1)))
    _send(client, url, "Test2", "group2", "same-dedup")
    recording.match(client.receive_message(QueueUrl=url, VisibilityTimeout=0), EMPTY_200)
    client.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
    )
    recording.match(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]),
        _fifo_attributes(
            DeduplicationScope="messageGroup", FifoThroughputLimit="perMessageGroupId"
        ),
    )
    recording.match(client.receive_message(QueueUrl=url), EMPTY_200)
    _send(client, url, "Test3", "group3", "same-dedup")
    recording.match(client.receive_message(QueueUrl=url), EMPTY_200)
    _send(client, url, "Test4", "group4", "dedup_2")
    _receive_and_delete(client, url, recording, _messages(("Test4", 2, 2)))
    _send(client, url, "Test5", "group5", "dedup_2")
    recording.match(client.receive_message(QueueUrl=url), EMPTY_200)


@protocols()
def test_fifo_change_to_regular_throughput_after_creation(client: Any) -> None:
    """Recording test_fifo_change_to_regular_throughput_after_creation, every key: a queue
    created with DeduplicationScope=messageGroup and switched to queue/perQueue reads back the
    new values, but keeps deduplicating per group: the same dedup id in a third group (Test3)
    is delivered."""
    url = _fifo(
        client,
        ContentBasedDeduplication="false",
        DeduplicationScope="messageGroup",
        FifoThroughputLimit="perMessageGroupId",
    )
    recording = Recording()
    for number, body in enumerate(("Test1", "Test2"), start=1):
        _send(client, url, body, f"group{number}", "same-dedup")
        _receive_and_delete(client, url, recording, _messages((body, number, number)))
    client.set_queue_attributes(
        QueueUrl=url, Attributes={"DeduplicationScope": "queue", "FifoThroughputLimit": "perQueue"}
    )
    recording.match(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"]), _fifo_attributes()
    )
    _send(client, url, "Test3", "group3", "same-dedup")
    recording.match(client.receive_message(QueueUrl=url), _messages(("Test3", 3, 3)))


# --- required parameters and ids ---------------------------------------------------------------


@protocols()
def test_posting_to_fifo_requires_deduplicationid_group_id(client: Any, json_client: Any) -> None:
    """Recording test_posting_to_fifo_requires_deduplicationid_group_id, every key: no dedup id
    without content-based dedup is InvalidParameterValue, no group id MissingParameter; the
    ``-query`` keys repeat both through a JSON client (and recorded the same)."""
    url = _fifo(client)
    invalid = {
        "code": "InvalidParameterValue",
        "message": "The queue should either have ContentBasedDeduplication enabled or "
        "MessageDeduplicationId provided explicitly",
        "query_code": "InvalidParameterValueException",
    }
    missing = {
        "code": "MissingParameter",
        "message": "The request must contain the parameter MessageGroupId.",
        "query_code": "MissingRequiredParameterException",
    }
    for sender in (client, json_client):
        with pytest.raises(sender.exceptions.ClientError) as raised:
            sender.send_message(QueueUrl=url, MessageBody="test", MessageGroupId="fifo_group")
        assert_error(sender, raised, **invalid)
        with pytest.raises(sender.exceptions.ClientError) as raised:
            sender.send_message(QueueUrl=url, MessageBody="test", MessageDeduplicationId="dedup")
        assert_error(sender, raised, **missing)


def test_message_deduplication_id_success(json_client: Any) -> None:
    """Recording test_message_deduplication_id_success (validated, no content): a 128-character
    MessageDeduplicationId is accepted."""
    url = _fifo(json_client)
    sent = json_client.send_message(
        QueueUrl=url,
        MessageBody="Hello World!",
        MessageGroupId="test",
        MessageDeduplicationId="a" * 128,
    )
    assert sent["ResponseMetadata"]["HTTPStatusCode"] == 200


# --- visibility and deletion -------------------------------------------------------------------


@protocols()
def test_fifo_delete_after_visibility_timeout(client: Any, fake_sqs: FakeSQS) -> None:
    """Recording test_fifo_delete_after_visibility_timeout, keys received_sqs_message and
    delete_after_timeout_fifo: on a FIFO queue, DeleteMessage with a handle whose visibility
    timeout has ended fails, naming the handle."""
    url = _fifo(client, VisibilityTimeout="1", ContentBasedDeduplication="true")
    _send(client, url, "foobar", "1")
    received = client.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    match(received, _messages(("foobar", 1, 1)))
    handle = received["Messages"][0]["ReceiptHandle"]
    fake_sqs.advance(1)  # the recording's time.sleep(timeout)
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.delete_message(QueueUrl=url, ReceiptHandle=handle)
    assert_error(
        client,
        raised,
        code="InvalidParameterValue",
        message=f"Value {handle} for parameter ReceiptHandle is invalid. Reason: The receipt "
        "handle has expired.",
        query_code="InvalidParameterValueException",
    )


@protocols()
def test_fifo_delete_after_visibility_timeout_extended(client: Any, fake_sqs: FakeSQS) -> None:
    """Recording test_fifo_delete_after_visibility_timeout_extended, keys received_sqs_message
    and delete_after_timeout_fifo_extended: after ChangeMessageVisibility to 5 seconds, the
    handle still deletes 1.5 seconds later (past the queue's 1 second)."""
    url = _fifo(client, VisibilityTimeout="1", ContentBasedDeduplication="true")
    _send(client, url, "foobar", "1")
    received = client.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    match(received, _messages(("foobar", 1, 1)))
    handle = received["Messages"][0]["ReceiptHandle"]
    client.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=5)
    fake_sqs.advance(1.5)  # the recording's time.sleep(timeout + 0.5)
    client.delete_message(QueueUrl=url, ReceiptHandle=handle)
    match(client.receive_message(QueueUrl=url), EMPTY_200)


@protocols()
@pytest.mark.parametrize(
    ("position", "visible"),
    [
        pytest.param(0, [], id="0-visible"),
        pytest.param(
            1,
            [("foo", 1, 4)],
            id="1-visible",
        ),
        pytest.param(
            2,
            [("foo", 1, 4), ("bar", 2, 5)],
            id="2-visible",
        ),
    ],
)
def test_fifo_group_visibility_extends_with_change_message_visibility(
    client: Any, fake_sqs: FakeSQS, position: int, visible: list[tuple[str, int, int]]
) -> None:
    """Recordings test_fifo_group_visibility_extends_with_change_message_visibility[*-0-visible],
    [*-1-visible] and [*-2-visible] (the same facts recorded again as [*-all-invisible],
    [*-1-invisible] and [*-no-invisible]), keys receive_all_messages and
    some-messages-invisible: one receive takes a group's three messages; the visibility of the
    one at ``position`` is extended to 4 s; 2.5 s later the group is delivered up to, not
    including, that message."""
    url = _fifo(client, VisibilityTimeout="1")
    for body in ("foo", "bar", "baz"):
        _send(client, url, body, "1", body)
    recording = Recording()
    first = client.receive_message(QueueUrl=url, MaxNumberOfMessages=5)
    recording.match(first, _messages(("foo", 1, 1), ("bar", 2, 2), ("baz", 3, 3)))
    client.change_message_visibility(
        QueueUrl=url,
        ReceiptHandle=first["Messages"][position]["ReceiptHandle"],
        VisibilityTimeout=4,
    )
    fake_sqs.advance(2.5)  # the recording's time.sleep(1 + (4 - 1) / 2)
    again = client.receive_message(QueueUrl=url, MaxNumberOfMessages=5)
    recording.match(again, _messages(*visible) if visible else EMPTY_200)


@protocols()
def test_fifo_approximate_number_of_messages_not_visible(client: Any, fake_sqs: FakeSQS) -> None:
    """Recording test_fifo_approximate_number_of_messages_not_visible (validated on AWS, no
    recorded content: the facts are the test's assertions): six messages in three groups; one
    receive each from groups 1 and 2 leaves 4 visible and 2 not visible (only the received
    ones count, though their groups are blocked); after the 60-second visibility, 6 and 0."""
    url = _fifo(client, ContentBasedDeduplication="True", VisibilityTimeout="60")
    for number, group in enumerate(("1", "1", "2", "2", "3", "3"), start=1):
        _send(client, url, f"message-{number}", group)
    names = {"AttributeNames": ["MessageGroupId"]}
    if (
        "MessageSystemAttributeNames"
        in client.meta.service_model.operation_model("ReceiveMessage").input_shape.members
    ):
        names = {"MessageSystemAttributeNames": ["MessageGroupId"]}
    groups = [
        client.receive_message(QueueUrl=url, MaxNumberOfMessages=1, **names)["Messages"][0][
            "Attributes"
        ]["MessageGroupId"]
        for _ in range(2)
    ]
    assert groups == ["1", "2"]
    assert message_counts(client, url) == ("4", "2", "0")
    fake_sqs.advance(60)
    assert message_counts(client, url) == ("6", "0", "0")
