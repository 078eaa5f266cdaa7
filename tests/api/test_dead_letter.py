"""Dead-letter queues through a real client: RedrivePolicy and RedriveAllowPolicy validation,
moving messages past maxReceiveCount, and ListDeadLetterSourceQueues."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from sqs_helpers import (
    assert_error,
    bodies,
    modelled_error,
    queue_arn_for,
    queue_url_for,
    receive_all,
)

from pytest_fakesqs import FakeSQS

T0 = 1704067200  # 2024-01-01T00:00:00Z
pytestmark = pytest.mark.fake_sqs(freeze="2024-01-01T00:00:00Z")


def redrive(target_arn: str, max_receive_count: int | str = 2) -> str:
    return json.dumps({"deadLetterTargetArn": target_arn, "maxReceiveCount": max_receive_count})


def allow(permission: str, *source_arns: str) -> str:
    policy: dict[str, Any] = {"redrivePermission": permission}
    if source_arns:
        policy["sourceQueueArns"] = list(source_arns)
    return json.dumps(policy)


def make_queue(client: Any, name: str, **attributes: str) -> str:
    url: str = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url


def make_pair(client: Any, max_receive_count: int = 2, **source_attributes: str) -> tuple[str, str]:
    """A dead-letter queue ``dlq`` and a source ``source`` redriving to it; returns their URLs."""
    dlq = make_queue(client, "dlq")
    source = make_queue(
        client,
        "source",
        RedrivePolicy=redrive(queue_arn_for("dlq"), max_receive_count),
        **source_attributes,
    )
    return source, dlq


def visible_and_in_flight(client: Any, url: str) -> tuple[str, str]:
    attributes = client.get_queue_attributes(
        QueueUrl=url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return (
        attributes["ApproximateNumberOfMessages"],
        attributes["ApproximateNumberOfMessagesNotVisible"],
    )


def attribute_names(client: Any, url: str) -> set[str]:
    return set(client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"])


# --- RedrivePolicy validation -----------------------------------------------------------------


def test_valid_redrive_policy_reads_back_as_sent(client: Any) -> None:
    make_queue(client, "dlq")
    policy = redrive(queue_arn_for("dlq"), 5)

    url = make_queue(client, "source", RedrivePolicy=policy)

    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["RedrivePolicy"])
    assert attributes["Attributes"] == {"RedrivePolicy": policy}


@pytest.mark.parametrize("max_receive_count", [1, 1000, "7"])
def test_max_receive_count_bounds_are_accepted(client: Any, max_receive_count: int | str) -> None:
    make_queue(client, "dlq")
    url = make_queue(client, "source")

    client.set_queue_attributes(
        QueueUrl=url, Attributes={"RedrivePolicy": redrive(queue_arn_for("dlq"), max_receive_count)}
    )

    assert "RedrivePolicy" in attribute_names(client, url)


def test_empty_redrive_policy_removes_it(client: Any) -> None:
    source, _ = make_pair(client)

    client.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": ""})

    assert "RedrivePolicy" not in attribute_names(client, source)


def test_redrive_policy_that_is_not_json_is_rejected(client: Any) -> None:
    # Text is the fake's (unverified).
    url = make_queue(client, "source")

    with pytest.raises(modelled_error(client, "InvalidAttributeValue")) as excinfo:
        client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": "{not json"})

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter RedrivePolicy.",
        query_code="InvalidAttributeValue",
    )
    assert "RedrivePolicy" not in attribute_names(client, url)


def test_redrive_policy_that_is_not_a_json_map_is_rejected(client: Any) -> None:
    # Text is the fake's (unverified).
    with pytest.raises(modelled_error(client, "InvalidAttributeValue")) as excinfo:
        make_queue(client, "source", RedrivePolicy="[1, 2]")

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter RedrivePolicy. Reason: Redrive policy is not a "
        "valid JSON map.",
        query_code="InvalidAttributeValue",
    )
    assert "QueueUrls" not in client.list_queues()


@pytest.mark.parametrize("missing", ["deadLetterTargetArn", "maxReceiveCount"])
def test_redrive_policy_missing_a_key_is_rejected(client: Any, missing: str) -> None:
    # Text is the fake's (unverified).
    make_queue(client, "dlq")
    policy = json.loads(redrive(queue_arn_for("dlq")))
    del policy[missing]

    with pytest.raises(modelled_error(client, "InvalidAttributeValue")) as excinfo:
        make_queue(client, "source", RedrivePolicy=json.dumps(policy))

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter RedrivePolicy. Reason: Redrive policy does not "
        f"contain mandatory attribute: {missing}.",
        query_code="InvalidAttributeValue",
    )
    assert client.list_queues()["QueueUrls"] == [queue_url_for("dlq")]


@pytest.mark.parametrize(
    ("max_receive_count", "shown"),
    [(0, "0"), (1001, "1001"), ("many", "many"), (True, "true"), (1e999, "Infinity")],
)
def test_max_receive_count_out_of_range_is_rejected(
    client: Any, max_receive_count: object, shown: str
) -> None:
    # Text is the fake's (unverified).
    make_queue(client, "dlq")
    url = make_queue(client, "source")
    policy = redrive(queue_arn_for("dlq"), max_receive_count)

    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})

    error = assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Invalid value "
        f"for maxReceiveCount: {shown}, valid values are from 1 to 1000 both "
        "inclusive.",
        query_code="InvalidParameterValueException",
    )
    assert type(error) is ClientError
    assert "RedrivePolicy" not in attribute_names(client, url)


def test_dead_letter_target_arn_that_is_not_an_arn_is_rejected(client: Any) -> None:
    # Exact text from the research file (E08): the policy is echoed as sent.
    policy = json.dumps({"deadLetterTargetArn": "dummy", "maxReceiveCount": 42})

    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="source", Attributes={"RedrivePolicy": policy})

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message='Value {"deadLetterTargetArn": "dummy", "maxReceiveCount": 42} for parameter '
        "RedrivePolicy is invalid. Reason: Invalid value for deadLetterTargetArn.",
        query_code="InvalidParameterValueException",
    )
    assert "QueueUrls" not in client.list_queues()


def test_dead_letter_target_that_does_not_exist_is_rejected(client: Any) -> None:
    # Text as in other emulators and users' reports of AWS (unverified here).
    policy = redrive(queue_arn_for("missing"))

    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="source", Attributes={"RedrivePolicy": policy})

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Dead letter "
        "target does not exist.",
        query_code="InvalidParameterValueException",
    )
    assert "QueueUrls" not in client.list_queues()


def test_dead_letter_target_in_another_region_is_rejected(client: Any) -> None:
    west = boto3.client("sqs", region_name="us-west-2")
    west.create_queue(QueueName="dlq")
    url = make_queue(client, "source")
    policy = redrive(queue_arn_for("dlq", region="us-west-2"))

    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Dead letter "
        "target does not exist.",
        query_code="InvalidParameterValueException",
    )
    assert "RedrivePolicy" not in attribute_names(client, url)


@pytest.mark.parametrize(
    ("source_name", "source_attributes", "dlq_name", "dlq_attributes"),
    [
        ("source", {}, "dlq.fifo", {"FifoQueue": "true"}),
        ("source.fifo", {"FifoQueue": "true"}, "dlq", {}),
    ],
    ids=["standard-to-fifo", "fifo-to-standard"],
)
def test_dead_letter_queue_of_another_type_is_rejected(
    sqs_client: Any,
    source_name: str,
    source_attributes: dict[str, str],
    dlq_name: str,
    dlq_attributes: dict[str, str],
) -> None:
    make_queue(sqs_client, dlq_name, **dlq_attributes)
    policy = redrive(queue_arn_for(dlq_name))

    with pytest.raises(ClientError) as excinfo:
        make_queue(sqs_client, source_name, RedrivePolicy=policy, **source_attributes)

    # The doubled period is AWS's, as users' error reports show.
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Dead-letter "
        "queue must be same type of queue as the source..",
        query_code="InvalidParameterValueException",
    )
    assert sqs_client.list_queues()["QueueUrls"] == [queue_url_for(dlq_name)]


# --- RedriveAllowPolicy -----------------------------------------------------------------------


def test_allow_all_lets_any_source_use_the_queue(client: Any) -> None:
    make_queue(client, "dlq", RedriveAllowPolicy=allow("allowAll"))

    url = make_queue(client, "source", RedrivePolicy=redrive(queue_arn_for("dlq")))

    assert "RedrivePolicy" in attribute_names(client, url)


def test_deny_all_rejects_a_source_redrive_policy(client: Any) -> None:
    # Text is the fake's (unverified).
    make_queue(client, "dlq", RedriveAllowPolicy=allow("denyAll"))
    url = make_queue(client, "source")
    policy = redrive(queue_arn_for("dlq"))

    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=url, Attributes={"RedrivePolicy": policy})

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Queue "
        f"{queue_arn_for('source')} is not allowed to use {queue_arn_for('dlq')} as its "
        "dead-letter queue.",
        query_code="InvalidParameterValueException",
    )
    assert "RedrivePolicy" not in attribute_names(client, url)


def test_by_queue_allows_only_the_listed_sources(client: Any) -> None:
    make_queue(client, "dlq", RedriveAllowPolicy=allow("byQueue", queue_arn_for("allowed")))
    allowed = make_queue(client, "allowed", RedrivePolicy=redrive(queue_arn_for("dlq")))
    policy = redrive(queue_arn_for("dlq"))

    with pytest.raises(ClientError) as excinfo:
        make_queue(client, "other", RedrivePolicy=policy)

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {policy} for parameter RedrivePolicy is invalid. Reason: Queue "
        f"{queue_arn_for('other')} is not allowed to use {queue_arn_for('dlq')} as its "
        "dead-letter queue.",
        query_code="InvalidParameterValueException",
    )
    assert "RedrivePolicy" in attribute_names(client, allowed)
    assert client.list_queues()["QueueUrls"] == [queue_url_for("allowed"), queue_url_for("dlq")]


def test_by_queue_with_ten_sources_is_accepted(client: Any) -> None:
    arns = [queue_arn_for(f"source-{i}") for i in range(10)]
    url = make_queue(client, "dlq")

    client.set_queue_attributes(
        QueueUrl=url, Attributes={"RedriveAllowPolicy": allow("byQueue", *arns)}
    )

    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["RedriveAllowPolicy"])
    assert json.loads(attributes["Attributes"]["RedriveAllowPolicy"]) == {
        "redrivePermission": "byQueue",
        "sourceQueueArns": arns,
    }


@pytest.mark.parametrize(
    ("policy", "reason"),
    [
        (
            allow("byQueue", *(queue_arn_for(f"source-{i}") for i in range(11))),
            "Only up to 10 sourceQueueArns can be specified.",
        ),
        (allow("byQueue"), "sourceQueueArns must be specified when redrivePermission is byQueue."),
        (
            allow("allowAll", queue_arn_for("source")),
            "sourceQueueArns may be specified only when redrivePermission is byQueue.",
        ),
        (
            allow("allowSome"),
            "Invalid value for redrivePermission. Valid values are allowAll, denyAll, byQueue.",
        ),
        ('"allowAll"', "Redrive policy is not a valid JSON map."),
    ],
    ids=["eleven-sources", "by-queue-without-sources", "sources-with-allow-all", "unknown", "str"],
)
def test_invalid_redrive_allow_policy_is_rejected(client: Any, policy: str, reason: str) -> None:
    # Texts are the fake's (unverified).
    url = make_queue(client, "dlq")

    with pytest.raises(modelled_error(client, "InvalidAttributeValue")) as excinfo:
        client.set_queue_attributes(QueueUrl=url, Attributes={"RedriveAllowPolicy": policy})

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message=f"Invalid value for the parameter RedriveAllowPolicy. Reason: {reason}",
        query_code="InvalidAttributeValue",
    )
    assert "RedriveAllowPolicy" not in attribute_names(client, url)


# --- moving messages --------------------------------------------------------------------------


def test_message_moves_on_the_receive_after_max_receive_count(client: Any) -> None:
    source, dlq = make_pair(client, 2, VisibilityTimeout="0")
    sent = client.send_message(QueueUrl=source, MessageBody="poison")

    first = receive_all(client, source)
    second = receive_all(client, source)
    third = receive_all(client, source)

    assert [m["MessageId"] for m in first + second] == [sent["MessageId"]] * 2
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in first + second] == ["1", "2"]
    assert third == []
    assert visible_and_in_flight(client, source) == ("0", "0")
    assert visible_and_in_flight(client, dlq) == ("1", "0")
    assert [m["MessageId"] for m in receive_all(client, dlq)] == [sent["MessageId"]]


def test_message_moves_when_received_after_visibility_ends_not_before(
    client: Any, fake_sqs: FakeSQS
) -> None:
    source, dlq = make_pair(client, 1)
    client.send_message(QueueUrl=source, MessageBody="poison")
    assert bodies(receive_all(client, source)) == ["poison"]
    fake_sqs.advance(30)

    assert visible_and_in_flight(client, source) == ("1", "0")
    assert visible_and_in_flight(client, dlq) == ("0", "0")
    assert receive_all(client, source) == []
    assert visible_and_in_flight(client, source) == ("0", "0")
    assert bodies(receive_all(client, dlq)) == ["poison"]


def test_receive_that_moves_a_message_delivers_the_next_ones(client: Any) -> None:
    source, dlq = make_pair(client, 1, VisibilityTimeout="0")
    client.send_message(QueueUrl=source, MessageBody="poison")
    receive_all(client, source)
    client.send_message(QueueUrl=source, MessageBody="fresh")

    received = receive_all(client, source)

    assert bodies(received) == ["fresh"]
    assert bodies(receive_all(client, dlq)) == ["poison"]


def test_moved_message_keeps_id_body_and_attributes(client: Any) -> None:
    source, dlq = make_pair(client, 1, VisibilityTimeout="0")
    attributes = {
        "kind": {"DataType": "String", "StringValue": "order"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
    }
    sent = client.send_message(QueueUrl=source, MessageBody="poison", MessageAttributes=attributes)
    receive_all(client, source)
    receive_all(client, source)

    [moved] = receive_all(client, dlq)

    assert moved["MessageId"] == sent["MessageId"]
    assert moved["Body"] == "poison"
    assert moved["MD5OfBody"] == hashlib.md5(b"poison").hexdigest()
    assert moved["MD5OfMessageAttributes"] == sent["MD5OfMessageAttributes"]
    assert moved["MessageAttributes"] == attributes
    assert moved["Attributes"]["DeadLetterQueueSourceArn"] == queue_arn_for("source")
    assert moved["Attributes"]["SentTimestamp"] == str(T0 * 1000)


def test_message_received_from_the_source_has_no_source_arn(client: Any) -> None:
    source, _ = make_pair(client, 3)
    client.send_message(QueueUrl=source, MessageBody="fine")

    [message] = receive_all(client, source)

    assert "DeadLetterQueueSourceArn" not in message["Attributes"]


def test_standard_dead_letter_retention_counts_from_the_first_send(
    client: Any, fake_sqs: FakeSQS
) -> None:
    dlq = make_queue(client, "dlq", MessageRetentionPeriod="60")
    source = make_queue(client, "source", RedrivePolicy=redrive(queue_arn_for("dlq"), 1))
    client.send_message(QueueUrl=source, MessageBody="old")
    receive_all(client, source)
    fake_sqs.advance(50)
    assert receive_all(client, source) == []
    fake_sqs.advance(9)
    assert visible_and_in_flight(client, dlq) == ("1", "0")

    fake_sqs.advance(1)

    assert visible_and_in_flight(client, dlq) == ("0", "0")
    assert receive_all(client, dlq) == []


def test_source_retention_ending_leaves_the_moved_message_alone(
    client: Any, fake_sqs: FakeSQS
) -> None:
    dlq = make_queue(client, "dlq")
    source = make_queue(
        client,
        "source",
        MessageRetentionPeriod="60",
        VisibilityTimeout="0",
        RedrivePolicy=redrive(queue_arn_for("dlq"), 1),
    )
    client.send_message(QueueUrl=source, MessageBody="poison")
    receive_all(client, source)
    receive_all(client, source)
    fake_sqs.advance(60)

    assert receive_all(client, source) == []
    assert visible_and_in_flight(client, source) == ("0", "0")
    assert bodies(receive_all(client, dlq)) == ["poison"]


def test_fifo_dead_letter_retention_starts_when_the_message_moves(
    client: Any, fake_sqs: FakeSQS
) -> None:
    # AWS documents that a FIFO message's enqueue timestamp resets when it moves.
    dlq = make_queue(client, "dlq.fifo", FifoQueue="true", MessageRetentionPeriod="60")
    source = make_queue(
        client,
        "source.fifo",
        FifoQueue="true",
        RedrivePolicy=redrive(queue_arn_for("dlq.fifo"), 1),
    )
    client.send_message(
        QueueUrl=source, MessageBody="old", MessageGroupId="g", MessageDeduplicationId="d"
    )
    receive_all(client, source)
    fake_sqs.advance(50)
    assert receive_all(client, source) == []
    fake_sqs.advance(59)
    assert visible_and_in_flight(client, dlq) == ("1", "0")

    fake_sqs.advance(1)

    assert visible_and_in_flight(client, dlq) == ("0", "0")


def test_fifo_dead_letter_queue_keeps_group_order(client: Any) -> None:
    dlq = make_queue(client, "dlq.fifo", FifoQueue="true")
    source = make_queue(
        client,
        "source.fifo",
        FifoQueue="true",
        VisibilityTimeout="0",
        RedrivePolicy=redrive(queue_arn_for("dlq.fifo"), 1),
    )
    for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("a3", "A"), ("b2", "B")]:
        client.send_message(
            QueueUrl=source, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body
        )
    assert len(receive_all(client, source)) == 5

    assert receive_all(client, source) == []

    assert bodies(receive_all(client, dlq, count=1)) == ["a1"]
    received = receive_all(client, dlq)
    assert bodies(received) == ["b1", "b2"]
    assert [m["Attributes"]["MessageGroupId"] for m in received] == ["B", "B"]
    assert received[0]["Attributes"]["DeadLetterQueueSourceArn"] == queue_arn_for("source.fifo")


def test_fifo_source_moves_a_group_in_order_and_keeps_other_groups_flowing(client: Any) -> None:
    dlq = make_queue(client, "dlq.fifo", FifoQueue="true")
    source = make_queue(
        client,
        "source.fifo",
        FifoQueue="true",
        VisibilityTimeout="0",
        RedrivePolicy=redrive(queue_arn_for("dlq.fifo"), 1),
    )
    for body, group in [("a1", "A"), ("a2", "A")]:
        client.send_message(
            QueueUrl=source, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body
        )
    receive_all(client, source)
    client.send_message(
        QueueUrl=source, MessageBody="b1", MessageGroupId="B", MessageDeduplicationId="b1"
    )

    assert bodies(receive_all(client, source)) == ["b1"]
    assert bodies(receive_all(client, dlq)) == ["a1", "a2"]


def test_source_keeps_delivering_when_its_dead_letter_queue_was_deleted(client: Any) -> None:
    # The fake's choice (unverified): without a target the message stays in the source.
    source, dlq = make_pair(client, 1, VisibilityTimeout="0")
    client.send_message(QueueUrl=source, MessageBody="poison")
    receive_all(client, source)
    client.delete_queue(QueueUrl=dlq)

    received = receive_all(client, source)

    assert bodies(received) == ["poison"]
    assert received[0]["Attributes"]["ApproximateReceiveCount"] == "2"


def test_queue_that_is_its_own_dead_letter_queue_keeps_delivering(client: Any) -> None:
    # The fake's choice (unverified): moving a message into its own queue would never end.
    url = make_queue(client, "loop", VisibilityTimeout="0")
    client.set_queue_attributes(
        QueueUrl=url, Attributes={"RedrivePolicy": redrive(queue_arn_for("loop"), 1)}
    )
    client.send_message(QueueUrl=url, MessageBody="again")

    received = receive_all(client, url) + receive_all(client, url) + receive_all(client, url)

    assert [m["Attributes"]["ApproximateReceiveCount"] for m in received] == ["1", "2", "3"]
    assert "DeadLetterQueueSourceArn" not in received[2]["Attributes"]


def test_removing_the_redrive_policy_stops_moving(client: Any) -> None:
    source, dlq = make_pair(client, 1, VisibilityTimeout="0")
    client.send_message(QueueUrl=source, MessageBody="poison")
    receive_all(client, source)
    client.set_queue_attributes(QueueUrl=source, Attributes={"RedrivePolicy": ""})

    assert bodies(receive_all(client, source)) == ["poison"]
    assert visible_and_in_flight(client, dlq) == ("0", "0")


def test_moved_message_can_be_deleted_from_the_dead_letter_queue(client: Any) -> None:
    source, dlq = make_pair(client, 1, VisibilityTimeout="0")
    client.send_message(QueueUrl=source, MessageBody="poison")
    receive_all(client, source)
    receive_all(client, source)
    [moved] = receive_all(client, dlq)

    client.delete_message(QueueUrl=dlq, ReceiptHandle=moved["ReceiptHandle"])

    assert visible_and_in_flight(client, dlq) == ("0", "0")
    assert visible_and_in_flight(client, source) == ("0", "0")


# --- ListDeadLetterSourceQueues ---------------------------------------------------------------


def test_list_dead_letter_source_queues_uses_a_lowercase_key(client: Any) -> None:
    dlq = make_queue(client, "dlq")
    make_queue(client, "other-dlq")
    for name in ["source-b", "source-a"]:
        make_queue(client, name, RedrivePolicy=redrive(queue_arn_for("dlq")))
    make_queue(client, "elsewhere", RedrivePolicy=redrive(queue_arn_for("other-dlq")))
    make_queue(client, "plain")

    response = client.list_dead_letter_source_queues(QueueUrl=dlq)

    assert response["queueUrls"] == [queue_url_for("source-a"), queue_url_for("source-b")]
    assert "NextToken" not in response


def test_list_dead_letter_source_queues_of_a_queue_without_sources(sqs_client: Any) -> None:
    url = make_queue(sqs_client, "lonely")

    response = sqs_client.list_dead_letter_source_queues(QueueUrl=url)

    assert response["queueUrls"] == []


def test_list_dead_letter_source_queues_pages_by_max_results(client: Any) -> None:
    dlq = make_queue(client, "dlq")
    for name in ["s1", "s2", "s3"]:
        make_queue(client, name, RedrivePolicy=redrive(queue_arn_for("dlq")))

    first = client.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=2)
    second = client.list_dead_letter_source_queues(
        QueueUrl=dlq, MaxResults=2, NextToken=first["NextToken"]
    )

    assert first["queueUrls"] == [queue_url_for("s1"), queue_url_for("s2")]
    assert second["queueUrls"] == [queue_url_for("s3")]
    assert "NextToken" not in second


def test_list_dead_letter_source_queues_paginator(sqs_client: Any) -> None:
    dlq = make_queue(sqs_client, "dlq")
    names = [f"source-{i}" for i in range(5)]
    for name in names:
        make_queue(sqs_client, name, RedrivePolicy=redrive(queue_arn_for("dlq")))
    paginator = sqs_client.get_paginator("list_dead_letter_source_queues")

    pages = list(paginator.paginate(QueueUrl=dlq, PaginationConfig={"PageSize": 2}))

    assert [page["queueUrls"] for page in pages] == [
        [queue_url_for("source-0"), queue_url_for("source-1")],
        [queue_url_for("source-2"), queue_url_for("source-3")],
        [queue_url_for("source-4")],
    ]
    built = paginator.paginate(QueueUrl=dlq, PaginationConfig={"PageSize": 2}).build_full_result()
    assert built == {"queueUrls": [queue_url_for(name) for name in names]}


def test_list_dead_letter_source_queues_rejects_max_results_out_of_range(client: Any) -> None:
    # Text is the fake's (unverified).
    dlq = make_queue(client, "dlq")

    with pytest.raises(ClientError) as excinfo:
        client.list_dead_letter_source_queues(QueueUrl=dlq, MaxResults=1001)

    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="Value 1001 for parameter MaxResults is invalid. Reason: MaxResults must be an "
        "integer between 1 and 1000.",
        query_code="InvalidParameterValueException",
    )


def test_list_dead_letter_source_queues_of_a_missing_queue(client: Any) -> None:
    with pytest.raises(client.exceptions.QueueDoesNotExist) as excinfo:
        client.list_dead_letter_source_queues(QueueUrl=queue_url_for("missing"))

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.NonExistentQueue",
        message="The specified queue does not exist.",
        query_code="QueueDoesNotExist",
        query_message="The specified queue does not exist for this wsdl version.",
    )


def test_deleted_source_is_no_longer_listed(client: Any) -> None:
    source, dlq = make_pair(client)

    client.delete_queue(QueueUrl=source)

    assert client.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == []
