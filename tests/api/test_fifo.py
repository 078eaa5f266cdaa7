"""FIFO queues through a real client: creation, sending rules, deduplication, sequence numbers,
order within a group and between groups, receive request attempts and receipt handles."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from botocore.exceptions import ClientError
from sqs_helpers import (
    assert_error,
    bodies,
    modelled_error,
    queue_arn_for,
    queue_url_for,
    system_attributes,
)

from pytest_fakesqs import FakeSQS

T0 = 1704067200  # 2024-01-01T00:00:00Z
pytestmark = pytest.mark.fake_sqs(freeze="2024-01-01T00:00:00Z")

NO_DEDUP_ID = (
    "The queue should either have ContentBasedDeduplication enabled or "
    "MessageDeduplicationId provided explicitly"
)
ID_RULE = "can only include alphanumeric and punctuation characters. 1 to 128 in length."


def make_fifo(client: Any, name: str = "jobs.fifo", **attributes: str) -> str:
    url: str = client.create_queue(QueueName=name, Attributes={"FifoQueue": "true", **attributes})[
        "QueueUrl"
    ]
    return url


def send(client: Any, url: str, body: str, group: str = "g", dedup: str | None = None) -> Any:
    return client.send_message(
        QueueUrl=url, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=dedup or body
    )


def receive(client: Any, url: str, count: int = 10, **params: Any) -> list[dict[str, Any]]:
    response = client.receive_message(
        QueueUrl=url,
        MaxNumberOfMessages=count,
        **system_attributes(client, ["All"]),
        **params,
    )
    messages: list[dict[str, Any]] = response.get("Messages", [])
    return messages


def counts(client: Any, url: str) -> tuple[str, str, str]:
    attributes = client.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=[
            "ApproximateNumberOfMessages",
            "ApproximateNumberOfMessagesNotVisible",
            "ApproximateNumberOfMessagesDelayed",
        ],
    )["Attributes"]
    return (
        attributes["ApproximateNumberOfMessages"],
        attributes["ApproximateNumberOfMessagesNotVisible"],
        attributes["ApproximateNumberOfMessagesDelayed"],
    )


# --- creation ---------------------------------------------------------------------------------


def test_create_fifo_queue_returns_url_and_all_attributes_have_fifo_defaults(client: Any) -> None:
    url = make_fifo(client)

    assert url == queue_url_for("jobs.fifo")
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert attributes == {
        "QueueArn": queue_arn_for("jobs.fifo"),
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "CreatedTimestamp": str(T0),
        "LastModifiedTimestamp": str(T0),
        "VisibilityTimeout": "30",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "DelaySeconds": "0",
        "ReceiveMessageWaitTimeSeconds": "0",
        "SqsManagedSseEnabled": "true",
        "FifoQueue": "true",
        "DeduplicationScope": "queue",
        "FifoThroughputLimit": "perQueue",
        "ContentBasedDeduplication": "false",
    }


def test_create_fifo_queue_with_content_based_deduplication(sqs_client: Any) -> None:
    url = make_fifo(sqs_client, ContentBasedDeduplication="true")

    attributes = sqs_client.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ContentBasedDeduplication", "FifoQueue"]
    )["Attributes"]
    assert attributes == {"ContentBasedDeduplication": "true", "FifoQueue": "true"}


def test_fifo_queue_attribute_requires_fifo_suffix(client: Any) -> None:
    # Code from the research file (E04); the message is the fake's (unverified).
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="jobs", Attributes={"FifoQueue": "true"})

    error = assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="The name of a FIFO queue can only include alphanumeric characters, hyphens, or "
        "underscores, must end with .fifo suffix and be 1 to 80 in length.",
        query_code="InvalidParameterValueException",
    )
    assert type(error) is ClientError
    assert "QueueUrls" not in client.list_queues()


def test_fifo_suffix_without_fifo_queue_attribute_is_rejected(client: Any) -> None:
    # Code from the research file (E05); the message is the fake's (unverified).
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="jobs.fifo")

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="Can only include alphanumeric characters, hyphens, or underscores. "
        "1 to 80 in length",
        query_code="InvalidParameterValueException",
    )
    assert "QueueUrls" not in client.list_queues()


def test_fifo_queue_cannot_be_changed_to_standard(client: Any) -> None:
    url = make_fifo(client)

    with pytest.raises(modelled_error(client, "InvalidAttributeValue")) as excinfo:
        client.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "false"})

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not "
        "supported.",
        query_code="InvalidAttributeValue",
    )
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["FifoQueue"])
    assert attributes["Attributes"] == {"FifoQueue": "true"}


def test_setting_fifo_queue_true_again_is_a_no_op(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client)
    before = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]

    response = client.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    after = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    assert after == before


def test_per_message_group_throughput_requires_message_group_dedup_scope(client: Any) -> None:
    # Code and text are the fake's (unverified).
    url = make_fifo(client)

    with pytest.raises(modelled_error(client, "InvalidAttributeValue")) as excinfo:
        client.set_queue_attributes(
            QueueUrl=url, Attributes={"FifoThroughputLimit": "perMessageGroupId"}
        )

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter FifoThroughputLimit. Reason: The queue's "
        "FifoThroughputLimit can be perMessageGroupId only when the DeduplicationScope is "
        "messageGroup.",
        query_code="InvalidAttributeValue",
    )
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["FifoThroughputLimit"])
    assert attributes["Attributes"] == {"FifoThroughputLimit": "perQueue"}


def test_per_message_group_throughput_is_checked_at_creation_too(client: Any) -> None:
    with pytest.raises(modelled_error(client, "InvalidAttributeValue")) as excinfo:
        make_fifo(client, FifoThroughputLimit="perMessageGroupId")

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter FifoThroughputLimit. Reason: The queue's "
        "FifoThroughputLimit can be perMessageGroupId only when the DeduplicationScope is "
        "messageGroup.",
        query_code="InvalidAttributeValue",
    )
    assert "QueueUrls" not in client.list_queues()


def test_high_throughput_settings_together_are_accepted(client: Any) -> None:
    url = make_fifo(client)

    client.set_queue_attributes(
        QueueUrl=url,
        Attributes={
            "DeduplicationScope": "messageGroup",
            "FifoThroughputLimit": "perMessageGroupId",
        },
    )

    attributes = client.get_queue_attributes(
        QueueUrl=url, AttributeNames=["DeduplicationScope", "FifoThroughputLimit"]
    )["Attributes"]
    assert attributes == {
        "DeduplicationScope": "messageGroup",
        "FifoThroughputLimit": "perMessageGroupId",
    }


# --- sending rules ----------------------------------------------------------------------------


def test_send_message_without_group_id_is_a_missing_parameter(client: Any) -> None:
    url = make_fifo(client)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=url, MessageBody="a", MessageDeduplicationId="d")

    error = assert_error(
        excinfo,
        code="MissingParameter",
        message="The request must contain the parameter MessageGroupId.",
        query_code="MissingRequiredParameterException",
    )
    assert type(error) is ClientError
    assert counts(client, url) == ("0", "0", "0")


def test_send_message_batch_without_group_id_fails_the_whole_batch(sqs_client: Any) -> None:
    url = make_fifo(sqs_client)

    with pytest.raises(ClientError) as excinfo:
        sqs_client.send_message_batch(
            QueueUrl=url,
            Entries=[
                {
                    "Id": "1",
                    "MessageBody": "a",
                    "MessageGroupId": "g",
                    "MessageDeduplicationId": "a",
                },
                {"Id": "2", "MessageBody": "b", "MessageDeduplicationId": "b"},
            ],
        )

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="The request must contain the parameter MessageGroupId.",
        query_code="InvalidParameterValueException",
    )
    assert counts(sqs_client, url) == ("0", "0", "0")


def test_send_message_without_deduplication_id_needs_content_based_deduplication(
    client: Any,
) -> None:
    url = make_fifo(client)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=url, MessageBody="a", MessageGroupId="g")

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=NO_DEDUP_ID,
        query_code="InvalidParameterValueException",
    )
    assert counts(client, url) == ("0", "0", "0")


def test_send_message_batch_without_deduplication_id_fails_the_whole_batch(client: Any) -> None:
    url = make_fifo(client)

    with pytest.raises(ClientError) as excinfo:
        client.send_message_batch(
            QueueUrl=url,
            Entries=[
                {
                    "Id": "1",
                    "MessageBody": "a",
                    "MessageGroupId": "g",
                    "MessageDeduplicationId": "a",
                },
                {"Id": "2", "MessageBody": "b", "MessageGroupId": "g"},
            ],
        )

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=NO_DEDUP_ID,
        query_code="InvalidParameterValueException",
    )
    assert counts(client, url) == ("0", "0", "0")


def test_per_message_delay_is_rejected_on_fifo_queues(client: Any) -> None:
    url = make_fifo(client)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=url,
            MessageBody="a",
            MessageGroupId="1",
            MessageDeduplicationId="a",
            DelaySeconds=2,
        )

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="Value 2 for parameter DelaySeconds is invalid. Reason: The request include "
        "parameter that is not valid for this queue type.",
        query_code="InvalidParameterValueException",
    )
    assert counts(client, url) == ("0", "0", "0")


def test_zero_per_message_delay_is_accepted_and_the_queue_delay_applies(
    client: Any, fake_sqs: FakeSQS
) -> None:
    url = make_fifo(client, DelaySeconds="5")

    client.send_message(
        QueueUrl=url,
        MessageBody="a",
        MessageGroupId="g",
        MessageDeduplicationId="a",
        DelaySeconds=0,
    )

    assert counts(client, url) == ("0", "0", "1")
    assert receive(client, url) == []
    fake_sqs.advance(5)
    assert bodies(receive(client, url)) == ["a"]


@pytest.mark.parametrize(
    "deduplication_id",
    ["", "a" * 129, "group 123", "tab\there", "é"],
    ids=["empty", "129-chars", "space", "tab", "non-ascii"],
)
def test_invalid_deduplication_id_is_rejected(client: Any, deduplication_id: str) -> None:
    url = make_fifo(client)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=url,
            MessageBody="a",
            MessageGroupId="g",
            MessageDeduplicationId=deduplication_id,
        )

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {deduplication_id} for parameter MessageDeduplicationId is invalid. "
        f"Reason: MessageDeduplicationId {ID_RULE}",
        query_code="InvalidParameterValueException",
    )
    assert counts(client, url) == ("0", "0", "0")


def test_empty_deduplication_id_message_has_two_spaces(client: Any) -> None:
    url = make_fifo(client)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=url, MessageBody="a", MessageGroupId="g", MessageDeduplicationId=""
        )

    assert excinfo.value.response["Error"]["Message"].startswith(
        "Value  for parameter MessageDeduplicationId is invalid."
    )


def test_deduplication_id_of_128_punctuation_characters_is_accepted(client: Any) -> None:
    url = make_fifo(client)
    deduplication_id = ("a!~" * 43)[:128]

    client.send_message(
        QueueUrl=url, MessageBody="a", MessageGroupId="g", MessageDeduplicationId=deduplication_id
    )

    [message] = receive(client, url)
    assert message["Attributes"]["MessageDeduplicationId"] == deduplication_id


@pytest.mark.parametrize("group_id", ["", "a" * 129, "group 123"], ids=["empty", "129", "space"])
def test_invalid_group_id_is_rejected(client: Any, group_id: str) -> None:
    url = make_fifo(client)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(
            QueueUrl=url, MessageBody="a", MessageGroupId=group_id, MessageDeduplicationId="a"
        )

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {group_id} for parameter MessageGroupId is invalid. "
        f"Reason: MessageGroupId {ID_RULE}",
        query_code="InvalidParameterValueException",
    )
    assert counts(client, url) == ("0", "0", "0")


def test_send_message_batch_keeps_entry_order(client: Any) -> None:
    url = make_fifo(client)

    response = client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {
                "Id": f"e{i}",
                "MessageBody": f"m{i}",
                "MessageGroupId": "g",
                "MessageDeduplicationId": f"m{i}",
            }
            for i in range(10)
        ],
    )

    assert [entry["Id"] for entry in response["Successful"]] == [f"e{i}" for i in range(10)]
    assert "Failed" not in response
    assert bodies(receive(client, url)) == [f"m{i}" for i in range(10)]


# --- sequence numbers -------------------------------------------------------------------------


def test_sequence_numbers_are_20_digit_strings_increasing_across_the_queue(client: Any) -> None:
    url = make_fifo(client)

    sent = [
        send(client, url, body, group)
        for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B")]
    ]

    numbers = [response["SequenceNumber"] for response in sent]
    assert all(re.fullmatch(r"[0-9]{20}", number) for number in numbers)
    assert [int(number) for number in numbers] == sorted({int(number) for number in numbers})
    received = receive(client, url)
    assert {m["Body"]: m["Attributes"]["SequenceNumber"] for m in received} == {
        "a1": numbers[0],
        "b1": numbers[1],
        "a2": numbers[2],
        "b2": numbers[3],
    }


def test_sequence_numbers_keep_increasing_as_time_passes(
    sqs_client: Any, fake_sqs: FakeSQS
) -> None:
    url = make_fifo(sqs_client)
    first = send(sqs_client, url, "a")["SequenceNumber"]
    fake_sqs.advance(3600)

    second = send(sqs_client, url, "b")["SequenceNumber"]

    assert len(second) == 20
    assert int(second) > int(first)


def test_batch_successful_entries_carry_the_sequence_numbers_receive_shows(client: Any) -> None:
    url = make_fifo(client)

    response = client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "x", "MessageBody": "x", "MessageGroupId": "g", "MessageDeduplicationId": "x"},
            {"Id": "y", "MessageBody": "y", "MessageGroupId": "g", "MessageDeduplicationId": "y"},
        ],
    )

    successful = response["Successful"]
    assert [sorted(entry) for entry in successful] == [
        ["Id", "MD5OfMessageBody", "MessageId", "SequenceNumber"]
    ] * 2
    assert int(successful[0]["SequenceNumber"]) < int(successful[1]["SequenceNumber"])
    received = receive(client, url)
    assert [(m["MessageId"], m["Attributes"]["SequenceNumber"]) for m in received] == [
        (entry["MessageId"], entry["SequenceNumber"]) for entry in successful
    ]


def test_received_fifo_message_has_fifo_system_attributes(client: Any) -> None:
    url = make_fifo(client)
    sent = send(client, url, "hello", group="orders", dedup="d-1")

    [message] = receive(client, url)

    assert message["Attributes"] == {
        "SenderId": message["Attributes"]["SenderId"],
        "SentTimestamp": str(T0 * 1000),
        "ApproximateReceiveCount": "1",
        "ApproximateFirstReceiveTimestamp": str(T0 * 1000),
        "SequenceNumber": sent["SequenceNumber"],
        "MessageDeduplicationId": "d-1",
        "MessageGroupId": "orders",
    }


# --- deduplication ----------------------------------------------------------------------------


def test_duplicate_is_accepted_and_told_the_first_message_id_and_sequence_number(
    client: Any,
) -> None:
    url = make_fifo(client)
    first = send(client, url, "a", dedup="d")

    duplicate = send(client, url, "b", dedup="d")

    assert duplicate["MessageId"] == first["MessageId"]
    assert duplicate["SequenceNumber"] == first["SequenceNumber"]
    assert duplicate["MD5OfMessageBody"] == hashlib.md5(b"b").hexdigest()
    assert bodies(receive(client, url)) == ["a"]
    assert counts(client, url) == ("0", "1", "0")


def test_duplicate_is_not_delivered_even_after_the_first_was_deleted(client: Any) -> None:
    url = make_fifo(client)
    send(client, url, "a", dedup="d")
    [message] = receive(client, url)
    client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    duplicate = send(client, url, "a", dedup="d")

    assert duplicate["MessageId"] == message["MessageId"]
    assert receive(client, url) == []
    assert counts(client, url) == ("0", "0", "0")


def test_deduplication_window_is_five_minutes(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client)
    first = send(client, url, "a", dedup="d")
    fake_sqs.advance(299)
    assert send(client, url, "a", dedup="d")["MessageId"] == first["MessageId"]
    fake_sqs.advance(1)

    again = send(client, url, "a", dedup="d")

    assert again["MessageId"] != first["MessageId"]
    assert int(again["SequenceNumber"]) > int(first["SequenceNumber"])
    assert [m["MessageId"] for m in receive(client, url)] == [
        first["MessageId"],
        again["MessageId"],
    ]


def test_queue_scope_drops_the_same_deduplication_id_in_another_group(client: Any) -> None:
    url = make_fifo(client)
    send(client, url, "a", group="A", dedup="d")

    send(client, url, "b", group="B", dedup="d")

    assert bodies(receive(client, url)) == ["a"]


def test_message_group_scope_keeps_deduplication_ids_per_group(client: Any) -> None:
    url = make_fifo(client, DeduplicationScope="messageGroup")
    first = send(client, url, "a", group="A", dedup="d")

    other_group = send(client, url, "b", group="B", dedup="d")
    same_group = send(client, url, "c", group="A", dedup="d")

    assert other_group["MessageId"] != first["MessageId"]
    assert same_group["MessageId"] == first["MessageId"]
    assert sorted(bodies(receive(client, url))) == ["a", "b"]


def test_a_new_deduplication_scope_applies_sixty_seconds_after_the_change(
    client: Any, fake_sqs: FakeSQS
) -> None:
    """Recorded on AWS: right after DeduplicationScope changes, the attribute reads back new
    but sends are deduplicated the old way; AWS documents up to 60 s for attribute changes to
    propagate, and the fake takes all of it."""
    url = make_fifo(client, DeduplicationScope="queue")
    send(client, url, "a1", group="A", dedup="same")
    client.set_queue_attributes(QueueUrl=url, Attributes={"DeduplicationScope": "messageGroup"})
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["DeduplicationScope"])
    assert attributes["Attributes"] == {"DeduplicationScope": "messageGroup"}
    assert fake_sqs.next_change_at is not None
    assert fake_sqs.next_change_at.timestamp() == T0 + 60

    send(client, url, "b1", group="B", dedup="same")  # still queue scope: a duplicate
    fake_sqs.advance(59.999)
    send(client, url, "c1", group="C", dedup="same")  # still a duplicate
    fake_sqs.advance(0.001)
    send(client, url, "d1", group="D", dedup="same")  # per group now: stored

    assert bodies(receive(client, url)) == ["a1", "d1"]


def test_purge_forgets_deduplication_ids(client: Any) -> None:
    url = make_fifo(client)
    first = send(client, url, "a", dedup="d")
    client.purge_queue(QueueUrl=url)

    again = send(client, url, "a", dedup="d")

    assert again["MessageId"] != first["MessageId"]
    assert bodies(receive(client, url)) == ["a"]


def test_content_based_deduplication_uses_sha256_of_the_body(client: Any) -> None:
    url = make_fifo(client, ContentBasedDeduplication="true")
    first = client.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="g")

    duplicate = client.send_message(QueueUrl=url, MessageBody="same", MessageGroupId="h")
    other = client.send_message(QueueUrl=url, MessageBody="other", MessageGroupId="g")

    assert duplicate["MessageId"] == first["MessageId"]
    assert other["MessageId"] != first["MessageId"]
    received = receive(client, url)
    assert [(m["Body"], m["Attributes"]["MessageDeduplicationId"]) for m in received] == [
        ("same", hashlib.sha256(b"same").hexdigest()),
        ("other", hashlib.sha256(b"other").hexdigest()),
    ]


def test_explicit_deduplication_id_wins_over_content_based_deduplication(client: Any) -> None:
    url = make_fifo(client, ContentBasedDeduplication="true")
    send(client, url, "same", dedup="one")

    send(client, url, "same", dedup="two")

    received = receive(client, url)
    assert [m["Attributes"]["MessageDeduplicationId"] for m in received] == ["one", "two"]


def test_duplicate_inside_one_batch_is_accepted_but_stored_once(client: Any) -> None:
    url = make_fifo(client)

    response = client.send_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "1", "MessageBody": "a", "MessageGroupId": "g", "MessageDeduplicationId": "d"},
            {"Id": "2", "MessageBody": "b", "MessageGroupId": "g", "MessageDeduplicationId": "d"},
        ],
    )

    first, second = response["Successful"]
    assert second["MessageId"] == first["MessageId"]
    assert second["SequenceNumber"] == first["SequenceNumber"]
    assert bodies(receive(client, url)) == ["a"]


# --- order within a group, and which group goes first -----------------------------------------


def test_messages_of_a_group_come_in_send_order(client: Any) -> None:
    url = make_fifo(client)
    for i in range(5):
        send(client, url, f"m{i}")

    seen = []
    for _ in range(5):
        [message] = receive(client, url, count=1)
        seen.append(message["Body"])
        client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    assert seen == ["m0", "m1", "m2", "m3", "m4"]


def test_group_in_flight_blocks_its_later_messages_but_not_other_groups(client: Any) -> None:
    url = make_fifo(client)
    for body, group in [("a1", "A"), ("a2", "A"), ("b1", "B"), ("b2", "B")]:
        send(client, url, body, group)

    assert bodies(receive(client, url, count=1)) == ["a1"]
    assert bodies(receive(client, url)) == ["b1", "b2"]
    assert receive(client, url) == []
    assert counts(client, url) == ("1", "3", "0")


def test_group_stays_locked_while_visibility_is_extended(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client)
    for body, group in [("a1", "A"), ("a2", "A"), ("b1", "B")]:
        send(client, url, body, group)
    [a1] = receive(client, url, count=1)
    client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=a1["ReceiptHandle"], VisibilityTimeout=120
    )
    fake_sqs.advance(60)

    assert bodies(receive(client, url, VisibilityTimeout=600)) == ["b1"]
    fake_sqs.advance(59)
    assert receive(client, url) == []
    fake_sqs.advance(1)
    assert bodies(receive(client, url)) == ["a1", "a2"]


def test_deleting_the_in_flight_message_unlocks_the_group(client: Any) -> None:
    url = make_fifo(client)
    send(client, url, "a1")
    send(client, url, "a2")
    [a1] = receive(client, url, count=1)
    assert receive(client, url) == []

    client.delete_message(QueueUrl=url, ReceiptHandle=a1["ReceiptHandle"])

    assert bodies(receive(client, url)) == ["a2"]


@pytest.mark.parametrize(
    ("extended", "delivered"),
    [("foo", []), ("bar", ["foo"]), ("baz", ["foo", "bar"])],
)
def test_a_group_is_delivered_up_to_its_first_message_in_flight(
    client: Any, fake_sqs: FakeSQS, extended: str, delivered: list[str]
) -> None:
    """Recorded on AWS (test_fifo_group_visibility_extends_with_change_message_visibility)."""
    url = make_fifo(client)
    for body in ("foo", "bar", "baz"):
        send(client, url, body, group="g1")
    received = {m["Body"]: m for m in receive(client, url, VisibilityTimeout=1)}
    assert list(received) == ["foo", "bar", "baz"]
    client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=received[extended]["ReceiptHandle"], VisibilityTimeout=4
    )
    fake_sqs.advance(2.5)

    assert bodies(receive(client, url)) == delivered


def test_a_group_just_served_goes_behind_the_groups_already_waiting(client: Any) -> None:
    """Recorded on AWS: ready groups are served in the order their first message became
    available; messages a VisibilityTimeout=0 receive gave back became available then."""
    url = make_fifo(client)
    for body in ("g1-m1", "g2-m1", "g2-m2", "g3-m1", "g1-m2"):
        send(client, url, body, group=body[:2])

    assert bodies(receive(client, url, count=3, VisibilityTimeout=0)) == [
        "g1-m1",
        "g1-m2",
        "g2-m1",
    ]
    assert bodies(receive(client, url, count=10, VisibilityTimeout=0)) == [
        "g3-m1",
        "g1-m1",
        "g1-m2",
        "g2-m1",
        "g2-m2",
    ]


def test_a_message_made_visible_again_waits_behind_a_later_send(client: Any) -> None:
    """Recorded on AWS: g1 = [m1, m2] both received, g2-m1 sent, m1's visibility set to 0:
    the next receive gives [g2-m1, g1-m1] (m2 is still in flight)."""
    url = make_fifo(client)
    send(client, url, "g1-m1", group="g1")
    send(client, url, "g1-m2", group="g1")
    m1, _ = receive(client, url)
    send(client, url, "g2-m1", group="g2")
    client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=m1["ReceiptHandle"], VisibilityTimeout=0
    )

    assert bodies(receive(client, url)) == ["g2-m1", "g1-m1"]


def test_one_receive_returns_several_messages_of_a_group_in_order(client: Any) -> None:
    url = make_fifo(client)
    for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("b2", "B"), ("a3", "A")]:
        send(client, url, body, group)

    received = receive(client, url, count=4)

    # The fake drains the oldest ready group first, then the next one.
    assert bodies(received) == ["a1", "a2", "a3", "b1"]
    assert receive(client, url) == []
    client.delete_message(QueueUrl=url, ReceiptHandle=received[3]["ReceiptHandle"])
    assert bodies(receive(client, url)) == ["b2"]


def test_expired_visibility_puts_the_message_back_at_the_head_of_its_group(
    client: Any, fake_sqs: FakeSQS
) -> None:
    url = make_fifo(client)
    for body in ["a1", "a2", "a3"]:
        send(client, url, body)
    first = receive(client, url, count=1, VisibilityTimeout=10)
    fake_sqs.advance(10)

    received = receive(client, url)

    assert bodies(received) == ["a1", "a2", "a3"]
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in received] == ["2", "1", "1"]
    assert received[0]["ReceiptHandle"] != first[0]["ReceiptHandle"]


def test_receiving_from_a_thousand_groups_goes_group_by_group(client: Any) -> None:
    url = make_fifo(client)
    for batch in range(100):
        client.send_message_batch(
            QueueUrl=url,
            Entries=[
                {
                    "Id": str(i),
                    "MessageBody": f"m{batch * 10 + i}",
                    "MessageGroupId": f"g{batch * 10 + i}",
                    "MessageDeduplicationId": f"d{batch * 10 + i}",
                }
                for i in range(10)
            ],
        )
    send(client, url, "late", group="g0")

    seen: list[str] = []
    for _ in range(100):
        seen.extend(bodies(receive(client, url)))

    # Each group's head is delivered in send order; g0's second message waits for m0.
    assert seen == ["m0", "late"] + [f"m{i}" for i in range(1, 999)]
    assert bodies(receive(client, url)) == ["m999"]
    assert counts(client, url) == ("0", "1001", "0")


# --- receive request attempts -----------------------------------------------------------------


def test_retried_receive_attempt_returns_the_same_messages_and_handles(client: Any) -> None:
    url = make_fifo(client)
    for body in ["a", "b", "c"]:
        send(client, url, body)
    first = receive(client, url, count=2, ReceiveRequestAttemptId="attempt-1")

    retried = receive(client, url, count=2, ReceiveRequestAttemptId="attempt-1")

    assert retried == first
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in retried] == ["1", "1"]
    assert counts(client, url) == ("1", "2", "0")


def test_receive_attempt_is_new_after_one_of_its_messages_was_deleted(client: Any) -> None:
    url = make_fifo(client)
    for body in ["a", "b", "c"]:
        send(client, url, body, group=body)
    first = receive(client, url, count=2, ReceiveRequestAttemptId="attempt-1")
    client.delete_message(QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"])

    retried = receive(client, url, count=2, ReceiveRequestAttemptId="attempt-1")

    # b is still in flight from the first receive, so only c is left to deliver.
    assert bodies(first) == ["a", "b"]
    assert bodies(retried) == ["c"]


def test_receive_attempt_is_new_after_a_visibility_change(client: Any) -> None:
    url = make_fifo(client)
    for body in ["a", "b"]:
        send(client, url, body)
    first = receive(client, url, count=1, ReceiveRequestAttemptId="attempt-1")
    client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=first[0]["ReceiptHandle"], VisibilityTimeout=0
    )

    retried = receive(client, url, count=2, ReceiveRequestAttemptId="attempt-1")

    assert bodies(retried) == ["a", "b"]
    assert retried[0]["ReceiptHandle"] != first[0]["ReceiptHandle"]
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in retried] == ["2", "1"]


def test_receive_attempt_is_new_after_five_minutes(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client, VisibilityTimeout="600")
    send(client, url, "a")
    send(client, url, "b", group="h")
    first = receive(client, url, count=1, ReceiveRequestAttemptId="attempt-1")
    fake_sqs.advance(299)
    assert receive(client, url, count=1, ReceiveRequestAttemptId="attempt-1") == first
    fake_sqs.advance(1)

    retried = receive(client, url, count=1, ReceiveRequestAttemptId="attempt-1")

    assert bodies(retried) == ["b"]


def test_retried_empty_attempt_sees_messages_sent_since(client: Any) -> None:
    url = make_fifo(client)
    assert receive(client, url, ReceiveRequestAttemptId="attempt-1") == []
    send(client, url, "a")

    assert bodies(receive(client, url, ReceiveRequestAttemptId="attempt-1")) == ["a"]


def test_long_poll_with_attempt_id_returns_a_message_that_arrives_meanwhile(
    client: Any, fake_sqs: FakeSQS
) -> None:
    url = make_fifo(client, DelaySeconds="5")
    send(client, url, "a")

    received = receive(client, url, WaitTimeSeconds=10, ReceiveRequestAttemptId="attempt-1")

    assert bodies(received) == ["a"]
    assert fake_sqs.time == T0 + 5


def test_other_attempt_ids_receive_normally(client: Any) -> None:
    url = make_fifo(client)
    send(client, url, "a", group="A")
    send(client, url, "b", group="B")
    receive(client, url, count=1, ReceiveRequestAttemptId="attempt-1")

    assert bodies(receive(client, url, count=1, ReceiveRequestAttemptId="attempt-2")) == ["b"]


# --- receipt handles --------------------------------------------------------------------------


def test_delete_after_visibility_expired_fails_on_fifo(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client, VisibilityTimeout="1")
    send(client, url, "a")
    [message] = receive(client, url)
    fake_sqs.advance(1)
    handle = message["ReceiptHandle"]

    with pytest.raises(ClientError) as excinfo:
        client.delete_message(QueueUrl=url, ReceiptHandle=handle)

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {handle} for parameter ReceiptHandle is invalid. Reason: The receipt "
        "handle has expired.",
        query_code="InvalidParameterValueException",
    )
    assert bodies(receive(client, url)) == ["a"]


def test_handle_from_an_earlier_receive_has_expired(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client, VisibilityTimeout="1")
    send(client, url, "a")
    [old] = receive(client, url)
    fake_sqs.advance(1)
    [new] = receive(client, url)

    with pytest.raises(ClientError) as excinfo:
        client.delete_message(QueueUrl=url, ReceiptHandle=old["ReceiptHandle"])

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {old['ReceiptHandle']} for parameter ReceiptHandle is invalid. Reason: "
        "The receipt handle has expired.",
        query_code="InvalidParameterValueException",
    )
    client.delete_message(QueueUrl=url, ReceiptHandle=new["ReceiptHandle"])
    assert counts(client, url) == ("0", "0", "0")


def test_delete_succeeds_when_visibility_was_extended_first(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client, VisibilityTimeout="1")
    send(client, url, "a")
    [message] = receive(client, url)
    client.change_message_visibility(
        QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=10
    )
    fake_sqs.advance(5)

    client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    fake_sqs.advance(10)
    assert receive(client, url) == []
    assert counts(client, url) == ("0", "0", "0")


# --- standard queues and message groups --------------------------------------------------------


def test_standard_queue_accepts_a_message_group_id(client: Any, queue_url: str) -> None:
    response = client.send_message(QueueUrl=queue_url, MessageBody="a", MessageGroupId="tenant-1")

    assert "SequenceNumber" not in response
    [message] = receive(client, queue_url)
    assert message["Attributes"]["MessageGroupId"] == "tenant-1"
    assert "SequenceNumber" not in message["Attributes"]


def test_standard_queue_rejects_an_invalid_message_group_id(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="a", MessageGroupId="group 123")

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value group 123 for parameter MessageGroupId is invalid. Reason: MessageGroupId "
        f"{ID_RULE}",
        query_code="InvalidParameterValueException",
    )


# --- approximate counts -----------------------------------------------------------------------


def test_approximate_counts_on_a_fifo_queue(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client, VisibilityTimeout="30")
    for body, group in [("a1", "A"), ("a2", "A"), ("b1", "B")]:
        send(client, url, body, group)
    assert counts(client, url) == ("3", "0", "0")

    receive(client, url, count=1)
    # a2 waits behind a1 yet still counts as visible.
    assert counts(client, url) == ("2", "1", "0")
    assert bodies(receive(client, url)) == ["b1"]
    assert counts(client, url) == ("1", "2", "0")
    fake_sqs.advance(30)
    assert counts(client, url) == ("3", "0", "0")


# --- found by the reference-model state machine ---------------------------------------------


def test_a_group_emptied_by_retention_then_refilled_is_delivered_again(
    client: Any, fake_sqs: FakeSQS
) -> None:
    url = make_fifo(client, MessageRetentionPeriod="60")
    send(client, url, "old")
    fake_sqs.advance(60)
    client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])  # "old" expires here
    send(client, url, "new")
    assert bodies(receive(client, url, VisibilityTimeout=10)) == ["new"]

    fake_sqs.advance(30)  # "new"'s visibility has ended; it expires only at 90 s

    again = receive(client, url)
    assert bodies(again) == ["new"]
    assert again[0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_a_long_poll_wakes_when_retention_unlocks_a_group(client: Any, fake_sqs: FakeSQS) -> None:
    url = make_fifo(client, MessageRetentionPeriod="60")
    start = fake_sqs.time
    send(client, url, "a")
    fake_sqs.advance(5)
    send(client, url, "b")
    fake_sqs.advance(5)
    assert bodies(receive(client, url, count=1, VisibilityTimeout=60)) == ["a"]
    fake_sqs.advance(45)  # t = 55: "a" in flight until 70, but it expires at 60

    assert bodies(receive(client, url, WaitTimeSeconds=20)) == ["b"]
    assert fake_sqs.time - start == pytest.approx(60)
