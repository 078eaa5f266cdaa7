"""Queues as recorded on AWS: creation, attributes, tags, listing, purging, permissions and
missing queues (tests/aws/services/sqs/test_sqs.py, class TestSqsProvider)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from recording_helpers import (
    ACCOUNT,
    EMPTY_200,
    TIMESTAMP,
    Recording,
    assert_error,
    match,
    protocols,
    queue_arn_for,
    queue_url_for,
)

#: GetQueueAttributes(All) of a new standard queue on AWS, nothing set.
STANDARD_DEFAULTS = {
    "ApproximateNumberOfMessages": "0",
    "ApproximateNumberOfMessagesDelayed": "0",
    "ApproximateNumberOfMessagesNotVisible": "0",
    "CreatedTimestamp": TIMESTAMP,
    "DelaySeconds": "0",
    "LastModifiedTimestamp": TIMESTAMP,
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "QueueArn": queue_arn_for("recorded"),
    "ReceiveMessageWaitTimeSeconds": "0",
    "SqsManagedSseEnabled": "true",
    "VisibilityTimeout": "30",
}


def _all_attributes(client: Any, url: str) -> dict[str, Any]:
    response: dict[str, Any] = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
    return response


@protocols()
def test_tag_untag_queue(client: Any) -> None:
    """Recording test_tag_untag_queue, keys get-tag-1, get-tag-2 and get-tag-after-untag: tags
    (an empty value included) list back as set; untagging them all leaves no Tags key."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    tags = {"tag1": "value1", "tag2": "value2", "tag3": ""}
    client.tag_queue(QueueUrl=url, Tags=tags)
    match(client.list_queue_tags(QueueUrl=url), {"Tags": tags, **EMPTY_200})
    client.untag_queue(QueueUrl=url, TagKeys=["tag1", "tag3"])
    match(client.list_queue_tags(QueueUrl=url), {"Tags": {"tag2": "value2"}, **EMPTY_200})
    client.untag_queue(QueueUrl=url, TagKeys=["tag2"])
    match(client.list_queue_tags(QueueUrl=url), EMPTY_200)


def _already_exists(client: Any, raised: Any, attribute: str) -> None:
    assert_error(
        client,
        raised,
        code="QueueAlreadyExists",
        message="A queue already exists with the same name and a different value for "
        f"attribute {attribute}",
        query_code="QueueNameExists",
    )


@protocols()
def test_create_queue_with_different_attributes_raises_exception(client: Any) -> None:
    """Recording test_create_queue_with_different_attributes_raises_exception, keys
    create_queue_01 and create_queue_02: CreateQueue of an existing name returns its URL when no
    given attribute differs (none given, or a subset), and fails naming the attribute that
    differs, compared with the queue's current values (after SetQueueAttributes)."""
    name = "recorded"
    attributes = {"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "1"}
    url = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    assert client.create_queue(QueueName=name)["QueueUrl"] == url
    assert client.create_queue(QueueName=name, Attributes={"DelaySeconds": "1"})["QueueUrl"] == url
    changed = {"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "2"}
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.create_queue(QueueName=name, Attributes=changed)
    _already_exists(client, raised, "DelaySeconds")
    client.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "2"})
    assert client.create_queue(QueueName=name, Attributes=changed)["QueueUrl"] == url
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.create_queue(QueueName=name, Attributes=attributes)
    _already_exists(client, raised, "DelaySeconds")


@protocols()
def test_create_fifo_queue_with_different_attributes_raises_error(client: Any) -> None:
    """Recording test_create_fifo_queue_with_different_attributes_raises_error, key
    queue-already-exists: a FIFO queue re-created with another ContentBasedDeduplication."""
    name = "recorded.fifo"
    client.create_queue(
        QueueName=name, Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"}
    )
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.create_queue(
            QueueName=name, Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "false"}
        )
    _already_exists(client, raised, "ContentBasedDeduplication")


@protocols()
def test_create_and_update_queue_attributes(client: Any) -> None:
    """Recording test_create_and_update_queue_attributes, keys get_queue_attributes and
    get_updated_queue_attributes: All lists exactly these attributes, before and after
    SetQueueAttributes."""
    url = client.create_queue(
        QueueName="recorded",
        Attributes={
            "MessageRetentionPeriod": "604800",
            "ReceiveMessageWaitTimeSeconds": "10",
            "VisibilityTimeout": "20",
        },
    )["QueueUrl"]
    created = {
        **STANDARD_DEFAULTS,
        "MessageRetentionPeriod": "604800",
        "ReceiveMessageWaitTimeSeconds": "10",
        "VisibilityTimeout": "20",
    }
    match(_all_attributes(client, url), {"Attributes": created, **EMPTY_200})
    client.set_queue_attributes(
        QueueUrl=url,
        Attributes={"MaximumMessageSize": "2048", "VisibilityTimeout": "69", "DelaySeconds": "420"},
    )
    updated = {
        **created,
        "MaximumMessageSize": "2048",
        "VisibilityTimeout": "69",
        "DelaySeconds": "420",
    }
    match(_all_attributes(client, url), {"Attributes": updated, **EMPTY_200})


@protocols()
def test_set_queue_attributes_default_values(client: Any) -> None:
    """Recording test_set_queue_attributes_default_values, every key: setting KmsMasterKeyId
    turns SqsManagedSseEnabled to false; setting it back to "" (with the default reuse period)
    removes both Kms attributes from All, and SqsManagedSseEnabled stays false."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    match(_all_attributes(client, url), {"Attributes": STANDARD_DEFAULTS, **EMPTY_200})
    kms = {"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000"}
    client.set_queue_attributes(QueueUrl=url, Attributes=kms)
    with_kms = {**STANDARD_DEFAULTS, **kms, "SqsManagedSseEnabled": "false"}
    match(_all_attributes(client, url), {"Attributes": with_kms, **EMPTY_200})
    client.set_queue_attributes(
        QueueUrl=url, Attributes={"KmsMasterKeyId": "", "KmsDataKeyReusePeriodSeconds": "300"}
    )
    without = {**STANDARD_DEFAULTS, "SqsManagedSseEnabled": "false"}
    match(_all_attributes(client, url), {"Attributes": without, **EMPTY_200})


@protocols()
def test_sse_queue_attributes(client: Any) -> None:
    """Recording test_sse_queue_attributes, keys sse_kms_attributes and sse_sqs_attributes:
    the three SSE attributes asked for by name; a queue without KMS lists only
    SqsManagedSseEnabled."""
    names = ["KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"]
    kms = {
        "KmsMasterKeyId": "testKeyId",
        "KmsDataKeyReusePeriodSeconds": "6000",
        "SqsManagedSseEnabled": "false",
    }
    url = client.create_queue(QueueName="recorded-kms")["QueueUrl"]
    client.set_queue_attributes(QueueUrl=url, Attributes=kms)
    match(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=names),
        {"Attributes": kms, **EMPTY_200},
    )
    url = client.create_queue(QueueName="recorded-sqs")["QueueUrl"]
    client.set_queue_attributes(QueueUrl=url, Attributes={"SqsManagedSseEnabled": "true"})
    match(
        client.get_queue_attributes(QueueUrl=url, AttributeNames=names),
        {"Attributes": {"SqsManagedSseEnabled": "true"}, **EMPTY_200},
    )


@protocols()
def test_sse_kms_and_sqs_are_mutually_exclusive(client: Any) -> None:
    """Recording test_sse_kms_and_sqs_are_mutually_exclusive, key error (the exception's str
    only was recorded): KmsMasterKeyId with SqsManagedSseEnabled=true is refused."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.set_queue_attributes(
            QueueUrl=url,
            Attributes={"KmsMasterKeyId": "testKeyId", "SqsManagedSseEnabled": "true"},
        )
    assert str(raised.value) == (
        "An error occurred (InvalidAttributeName) when calling the SetQueueAttributes operation: "
        "You can use one type of server-side encryption (SSE) at one time. You can either enable "
        "KMS SSE or SQS SSE."
    )


def _unknown_fifo_queue(client: Any, raised: Any) -> None:
    assert_error(
        client,
        raised,
        code="InvalidAttributeName",
        message="Unknown Attribute FifoQueue.",
        query_code="InvalidAttributeName",
    )


@protocols()
def test_set_unsupported_attribute_standard(client: Any) -> None:
    """Recording test_set_unsupported_attribute_standard, keys invalid-attr-name-1 and -2: a
    standard queue knows no FifoQueue attribute, whether set to true or false."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    for value in ("true", "false"):
        with pytest.raises(client.exceptions.ClientError) as raised:
            client.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": value})
        _unknown_fifo_queue(client, raised)


@protocols()
def test_set_unsupported_attribute_fifo(client: Any) -> None:
    """Recording test_set_unsupported_attribute_fifo, keys invalid-attr-name-1 and -2: FifoQueue
    cannot be set on a standard queue; on a FIFO queue, true is accepted and false refused."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.set_queue_attributes(QueueUrl=url, Attributes={"FifoQueue": "true"})
    _unknown_fifo_queue(client, raised)
    fifo = client.create_queue(QueueName="recorded.fifo", Attributes={"FifoQueue": "true"})
    client.set_queue_attributes(QueueUrl=fifo["QueueUrl"], Attributes={"FifoQueue": "true"})
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.set_queue_attributes(QueueUrl=fifo["QueueUrl"], Attributes={"FifoQueue": "false"})
    assert_error(
        client,
        raised,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not "
        "supported.",
        query_code="InvalidAttributeValue",
    )


#: (recording key, the one FIFO-only attribute, the error message)
FIFO_ONLY_ATTRIBUTES = [
    ("invalid-attribute-fifo-queue", {"FifoQueue": "false"}, "Unknown Attribute FifoQueue."),
    (
        "invalid-attribute-content-based-deduplication",
        {"ContentBasedDeduplication": "false"},
        "Unknown Attribute ContentBasedDeduplication.",
    ),
    (
        "invalid-attribute-deduplication-scope",
        {"DeduplicationScope": "queue"},
        "You can specify the DeduplicationScope only when FifoQueue is set to true.",
    ),
    (
        "invalid-attribute-throughput-limit",
        {"FifoThroughputLimit": "perQueue"},
        "You can specify the FifoThroughputLimit only when FifoQueue is set to true.",
    ),
]


@protocols()
@pytest.mark.parametrize(
    ("key", "attributes", "message"), FIFO_ONLY_ATTRIBUTES, ids=[c[0] for c in FIFO_ONLY_ATTRIBUTES]
)
def test_create_standard_queue_with_fifo_attribute_raises_error(
    client: Any, key: str, attributes: dict[str, str], message: str
) -> None:
    """Recording test_create_standard_queue_with_fifo_attribute_raises_error, every key: a
    standard queue's CreateQueue with a FIFO-only attribute fails with InvalidAttributeName."""
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.create_queue(QueueName="recorded", Attributes=attributes)
    assert_error(
        client,
        raised,
        code="InvalidAttributeName",
        message=message,
        query_code="InvalidAttributeName",
    )


@protocols()
def test_successive_purge_calls_fail(client: Any) -> None:
    """Recording test_successive_purge_calls_fail, key purge_queue_error: a second purge at once
    fails with HTTP 403, naming the queue."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    client.purge_queue(QueueUrl=url)
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.purge_queue(QueueUrl=url)
    assert_error(
        client,
        raised,
        code="AWS.SimpleQueueService.PurgeQueueInProgress",
        message="Only one PurgeQueue operation on recorded is allowed every 60 seconds.",
        query_code="PurgeQueueInProgress",
        status=403,
    )


def test_list_queues_pagination(json_client: Any) -> None:
    """Recording test_list_queues_pagination, keys list_all, list_two_max and list_remaining:
    ten queues by prefix in name order; MaxResults=2 gives the first two and a NextToken; the
    token with MaxResults=10 gives the other eight and no NextToken. (The recorder replaced
    the token's value: only its presence is a fact.)"""
    names = [f"7f7df0f5-test-queue-{number}" for number in range(10)]
    for name in names:
        json_client.create_queue(QueueName=name)
    urls = [queue_url_for(name) for name in names]
    match(json_client.list_queues(QueueNamePrefix="7f7df0f5"), {"QueueUrls": urls, **EMPTY_200})
    first = json_client.list_queues(MaxResults=2, QueueNamePrefix="7f7df0f5")
    match(first, {"QueueUrls": urls[:2], "NextToken": "<token:1>", **EMPTY_200})
    rest = json_client.list_queues(
        MaxResults=10, NextToken=first["NextToken"], QueueNamePrefix="7f7df0f5"
    )
    match(rest, {"QueueUrls": urls[2:], **EMPTY_200})


def test_non_existent_queue(json_client: Any) -> None:
    """Recording test_non_existent_queue, keys queue-does-not-exist and queue-does-not-exist-url
    (JSON client): after DeleteQueue, GetQueueAttributes and GetQueueUrl fail with
    NonExistentQueue; GetQueueUrl raises the QueueDoesNotExist class."""
    url = json_client.create_queue(QueueName="recorded")["QueueUrl"]
    json_client.delete_queue(QueueUrl=url)
    with pytest.raises(json_client.exceptions.ClientError) as raised:
        json_client.get_queue_attributes(QueueUrl=url)
    expected = {
        "code": "AWS.SimpleQueueService.NonExistentQueue",
        "message": "The specified queue does not exist.",
        "query_code": "QueueDoesNotExist",
    }
    assert_error(json_client, raised, **expected)
    with pytest.raises(json_client.exceptions.QueueDoesNotExist) as raised_class:
        json_client.get_queue_url(QueueName="recorded")
    assert_error(json_client, raised_class, **expected)


def test_non_existent_queue_query(json_client: Any, query_client: Any) -> None:
    """Recording test_non_existent_queue, key queue-does-not-exist-query: GetQueueAttributes of
    a deleted queue through the query protocol."""
    url = json_client.create_queue(QueueName="recorded")["QueueUrl"]
    json_client.delete_queue(QueueUrl=url)
    # botocore picks the class from Error.Code on the query protocol (no QueryErrorCode there).
    with pytest.raises(query_client.exceptions.QueueDoesNotExist) as raised:
        query_client.get_queue_attributes(QueueUrl=url)
    assert_error(
        query_client,
        raised,
        code="AWS.SimpleQueueService.NonExistentQueue",
        message="The specified queue does not exist for this wsdl version.",
        query_code="QueueDoesNotExist",
    )


# --- permissions -------------------------------------------------------------------------------

OTHER_ACCOUNT = "668614515564"


def _policy(client: Any, url: str, recording: Recording) -> list[dict[str, Any]] | None:
    """The queue's Policy statements, after checking the policy's fixed parts; None when the
    queue has no Policy (GetQueueAttributes then has no Attributes key at all)."""
    response = client.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"])
    if "Attributes" not in response:
        match(response, EMPTY_200)
        return None
    assert list(response["Attributes"]) == ["Policy"]
    policy = json.loads(response["Attributes"]["Policy"])
    arn, _, policy_id = policy["Id"].rpartition("/")
    assert (arn, policy["Version"], set(policy)) == (
        queue_arn_for("recorded"),
        "2008-10-17",
        {"Version", "Id", "Statement"},
    )
    recording.match(policy_id, "<resource:1>")
    statements: list[dict[str, Any]] = policy["Statement"]
    for statement in statements:
        principals = statement["Principal"]["AWS"]
        for principal in principals if isinstance(principals, list) else [principals]:
            prefix, _, name = principal.rpartition(":")
            assert prefix in (f"arn:aws:iam::{ACCOUNT}", f"arn:aws:iam::{OTHER_ACCOUNT}")
            recording.match(name, "<resource:3>")
    return statements


def _statement(sid: str, principal: Any) -> dict[str, Any]:
    return {
        "Sid": sid,
        "Effect": "Allow",
        "Principal": {"AWS": principal},
        "Action": "SQS:ReceiveMessage",
        "Resource": queue_arn_for("recorded"),
    }


def _principal(account: str, recording: Recording) -> str:
    return f"arn:aws:iam::{account}:{recording.bound['<resource:3>']}"


@protocols()
def test_sqs_permission_lifecycle(client: Any) -> None:
    """Recording test_sqs_permission_lifecycle, every key: AddPermission writes a policy
    statement per label (one account: a string principal; two: a list); RemovePermission takes
    it out, and the last one removes the Policy attribute; a label added twice, or removed when
    absent, is InvalidParameterValue."""
    url = client.create_queue(QueueName="recorded")["QueueUrl"]
    recording = Recording()
    label = "crossaccountpermission"
    match(
        client.add_permission(
            QueueUrl=url,
            AWSAccountIds=[ACCOUNT, OTHER_ACCOUNT],
            Actions=["ReceiveMessage"],
            Label=label,
        ),
        EMPTY_200,
    )
    statements = _policy(client, url, recording)
    assert statements is not None
    # The recording sorted the two principals, the other account first: AWS's order varies.
    statements[0]["Principal"]["AWS"].sort(key=lambda arn: 0 if OTHER_ACCOUNT in arn else 1)
    both = [_principal(OTHER_ACCOUNT, recording), _principal(ACCOUNT, recording)]
    assert statements == [_statement(label, both)]
    match(client.remove_permission(QueueUrl=url, Label=label), EMPTY_200)
    assert _policy(client, url, recording) is None

    client.add_permission(
        QueueUrl=url, AWSAccountIds=[ACCOUNT], Actions=["ReceiveMessage"], Label=label
    )
    mine = _principal(ACCOUNT, recording)
    assert _policy(client, url, recording) == [_statement(label, mine)]
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.add_permission(
            QueueUrl=url, AWSAccountIds=[OTHER_ACCOUNT], Actions=["ReceiveMessage"], Label=label
        )
    assert_error(
        client,
        raised,
        code="InvalidParameterValue",
        message=f"Value {label} for parameter Label is invalid. Reason: Already exists.",
        query_code="InvalidParameterValueException",
    )
    client.add_permission(
        QueueUrl=url, AWSAccountIds=[ACCOUNT], Actions=["ReceiveMessage"], Label=f"{label}2"
    )
    assert _policy(client, url, recording) == [
        _statement(label, mine),
        _statement(f"{label}2", mine),
    ]
    client.remove_permission(QueueUrl=url, Label=label)
    assert _policy(client, url, recording) == [_statement(f"{label}2", mine)]
    client.remove_permission(QueueUrl=url, Label=f"{label}2")
    assert _policy(client, url, recording) is None
    with pytest.raises(client.exceptions.ClientError) as raised:
        client.remove_permission(QueueUrl=url, Label=f"{label}2")
    assert_error(
        client,
        raised,
        code="InvalidParameterValue",
        message=f"Value {label}2 for parameter Label is invalid. Reason: can't find label.",
        query_code="InvalidParameterValueException",
    )
