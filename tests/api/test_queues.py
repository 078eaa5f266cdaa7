"""Queue lifecycle and metadata through real boto3 and botocore clients, standard queues.

CreateQueue, DeleteQueue, GetQueueUrl, ListQueues, Get/SetQueueAttributes, PurgeQueue, tags,
permissions, account and region isolation, and the QueueUrl forms SQS accepts.
"""

from __future__ import annotations

import base64
import json
import os
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.exceptions import ClientError
from sqs_helpers import ACCOUNT, assert_error, modelled_error, queue_arn_for, queue_url_for

from pytest_fakesqs import FakeSQS, mock_sqs

# Made at import time, before any fake is active: application code often does this.
# Explicit dummy keys keep collection from walking the credential chain.
MODULE_CLIENT = boto3.client(
    "sqs",
    region_name="us-east-1",
    aws_access_key_id="module",
    aws_secret_access_key="module",
)

FROZEN = "2024-01-01T00:00:00Z"
FROZEN_EPOCH = 1704067200
OTHER_ACCOUNT = "210987654321"

#: GetQueueAttributes(All) of a fresh standard queue, minus the timestamps.
DEFAULTS = {
    "ApproximateNumberOfMessages": "0",
    "ApproximateNumberOfMessagesDelayed": "0",
    "ApproximateNumberOfMessagesNotVisible": "0",
    "DelaySeconds": "0",
    "MaximumMessageSize": "1048576",
    "MessageRetentionPeriod": "345600",
    "ReceiveMessageWaitTimeSeconds": "0",
    "SqsManagedSseEnabled": "true",
    "VisibilityTimeout": "30",
}

#: Integer attributes with their (minimum, maximum).
INTEGER_RANGES = {
    "DelaySeconds": (0, 900),
    "MaximumMessageSize": (1024, 1048576),
    "MessageRetentionPeriod": (60, 1209600),
    "ReceiveMessageWaitTimeSeconds": (0, 20),
    "VisibilityTimeout": (0, 43200),
    "KmsDataKeyReusePeriodSeconds": (60, 86400),
}
IN_RANGE = [
    pytest.param(name, str(value), id=f"{name}-{value}")
    for name, bounds in INTEGER_RANGES.items()
    for value in bounds
]
OUT_OF_RANGE = [
    pytest.param(name, str(value), id=f"{name}-{value}")
    for name, (low, high) in INTEGER_RANGES.items()
    for value in (low - 1, high + 1)
]
INVALID_NAME = (
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
)
SSE_CONFLICT = (
    "You can use one type of server-side encryption (SSE) at one time. You can either enable "
    "KMS SSE or SQS SSE."
)


def attributes(client: Any, url: str, *names: str) -> dict[str, str]:
    response = client.get_queue_attributes(QueueUrl=url, AttributeNames=list(names or ["All"]))
    result: dict[str, str] = response.get("Attributes", {})
    return result


def with_kms_key(name: str, value: str) -> dict[str, str]:
    """The attribute alone, or with a KMS key when the attribute only means something with one."""
    if name == "KmsDataKeyReusePeriodSeconds":
        return {"KmsMasterKeyId": "alias/aws/sqs", name: value}
    return {name: value}


def assert_queue_does_not_exist(excinfo: Any, client: Any) -> None:
    assert isinstance(excinfo.value, client.exceptions.QueueDoesNotExist)
    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.NonExistentQueue",
        message="The specified queue does not exist.",
        query_code="QueueDoesNotExist",
        query_message="The specified queue does not exist for this wsdl version.",
    )


def assert_invalid_parameter(excinfo: Any, message: str) -> None:
    # Not in the service model: botocore raises a plain ClientError.
    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=message,
        query_code="InvalidParameterValueException",
    )


def assert_invalid_attribute_name(excinfo: Any, client: Any, message: str) -> None:
    assert isinstance(excinfo.value, client.exceptions.InvalidAttributeName)
    assert_error(
        excinfo, code="InvalidAttributeName", message=message, query_code="InvalidAttributeName"
    )


def assert_invalid_attribute_value(excinfo: Any, client: Any, name: str) -> None:
    assert isinstance(excinfo.value, modelled_error(client, "InvalidAttributeValue"))
    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message=f"Invalid value for the parameter {name}.",
        query_code="InvalidAttributeValue",
    )


def queue_names(client: Any, **kwargs: Any) -> list[str]:
    return [url.rsplit("/", 1)[1] for url in client.list_queues(**kwargs).get("QueueUrls", [])]


# --- CreateQueue ----------------------------------------------------------------------------


def test_create_queue_returns_the_standard_url(client: Any) -> None:
    response = client.create_queue(QueueName="orders")

    assert response["QueueUrl"] == queue_url_for("orders")
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert attributes(client, response["QueueUrl"], "QueueArn") == {
        "QueueArn": queue_arn_for("orders")
    }


def test_create_queue_through_botocore_client(sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="plain")["QueueUrl"]

    assert url == queue_url_for("plain")
    assert sqs_client.get_queue_url(QueueName="plain")["QueueUrl"] == url


def test_create_queue_accepts_80_character_name_of_every_allowed_character(client: Any) -> None:
    name = ("Az09-_" * 14)[:80]

    assert client.create_queue(QueueName=name)["QueueUrl"] == queue_url_for(name)


def test_create_queue_again_with_no_attributes_returns_same_url(client: Any) -> None:
    first = client.create_queue(QueueName="q", Attributes={"DelaySeconds": "5"})["QueueUrl"]

    assert client.create_queue(QueueName="q")["QueueUrl"] == first
    assert attributes(client, first, "DelaySeconds") == {"DelaySeconds": "5"}


def test_create_queue_again_with_equal_attributes_returns_same_url(client: Any) -> None:
    given = {"DelaySeconds": "1", "ReceiveMessageWaitTimeSeconds": "1"}
    first = client.create_queue(QueueName="q", Attributes=given)["QueueUrl"]

    assert client.create_queue(QueueName="q", Attributes=given)["QueueUrl"] == first
    assert client.list_queues()["QueueUrls"] == [first]


def test_create_queue_again_with_matching_subset_returns_same_url(client: Any) -> None:
    first = client.create_queue(
        QueueName="q", Attributes={"DelaySeconds": "1", "VisibilityTimeout": "60"}
    )["QueueUrl"]

    again = client.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "60"})

    assert again["QueueUrl"] == first


def test_create_queue_again_with_explicit_defaults_returns_same_url(client: Any) -> None:
    first = client.create_queue(QueueName="q")["QueueUrl"]

    again = client.create_queue(
        QueueName="q", Attributes={"DelaySeconds": "0", "VisibilityTimeout": "30"}
    )

    assert again["QueueUrl"] == first


def test_create_queue_again_with_different_value_fails_naming_attribute(client: Any) -> None:
    url = client.create_queue(
        QueueName="q", Attributes={"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "1"}
    )["QueueUrl"]

    with pytest.raises(client.exceptions.QueueNameExists) as excinfo:
        client.create_queue(
            QueueName="q", Attributes={"ReceiveMessageWaitTimeSeconds": "1", "DelaySeconds": "2"}
        )

    assert_error(
        excinfo,
        code="QueueAlreadyExists",
        message="A queue already exists with the same name and a different value for attribute "
        "DelaySeconds",
        query_code="QueueNameExists",
    )
    assert attributes(client, url, "DelaySeconds") == {"DelaySeconds": "1"}


def test_create_queue_again_with_attribute_the_queue_lacks_fails(client: Any) -> None:
    client.create_queue(QueueName="q")
    policy = json.dumps({"Version": "2012-10-17", "Statement": []})

    with pytest.raises(client.exceptions.QueueNameExists) as excinfo:
        client.create_queue(QueueName="q", Attributes={"Policy": policy})

    assert_error(
        excinfo,
        code="QueueAlreadyExists",
        message="A queue already exists with the same name and a different value for attribute "
        "Policy",
        query_code="QueueNameExists",
    )


def test_create_queue_compares_against_current_attributes(client: Any) -> None:
    url = client.create_queue(QueueName="q", Attributes={"DelaySeconds": "1"})["QueueUrl"]
    client.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "2"})

    assert client.create_queue(QueueName="q", Attributes={"DelaySeconds": "2"})["QueueUrl"] == url
    with pytest.raises(client.exceptions.QueueNameExists) as excinfo:
        client.create_queue(QueueName="q", Attributes={"DelaySeconds": "1"})

    assert_error(
        excinfo,
        code="QueueAlreadyExists",
        message="A queue already exists with the same name and a different value for attribute "
        "DelaySeconds",
        query_code="QueueNameExists",
    )


def test_create_queue_comparison_ignores_message_counts(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="hello")

    again = client.create_queue(QueueName="test-queue", Attributes={"DelaySeconds": "0"})

    assert again["QueueUrl"] == queue_url
    assert attributes(client, queue_url, "ApproximateNumberOfMessages") == {
        "ApproximateNumberOfMessages": "1"
    }


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_create_queue_within_60_seconds_of_delete_fails(client: Any, fake_sqs: FakeSQS) -> None:
    url = client.create_queue(QueueName="q")["QueueUrl"]
    client.delete_queue(QueueUrl=url)
    fake_sqs.advance(59)

    with pytest.raises(client.exceptions.QueueDeletedRecently) as excinfo:
        client.create_queue(QueueName="q")

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.QueueDeletedRecently",
        message="You must wait 60 seconds after deleting a queue before you can create another "
        "with the same name.",
        query_code="QueueDeletedRecently",
    )
    assert "QueueUrls" not in client.list_queues()


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_create_queue_60_seconds_after_delete_makes_a_fresh_queue(
    client: Any, fake_sqs: FakeSQS
) -> None:
    url = client.create_queue(QueueName="q", Attributes={"DelaySeconds": "7"})["QueueUrl"]
    client.send_message(QueueUrl=url, MessageBody="old")
    client.delete_queue(QueueUrl=url)
    fake_sqs.advance(60)

    assert client.create_queue(QueueName="q")["QueueUrl"] == url
    found = attributes(client, url)
    assert found["DelaySeconds"] == "0"
    assert found["ApproximateNumberOfMessages"] == "0"
    assert found["CreatedTimestamp"] == str(FROZEN_EPOCH + 60)


def test_deleted_recently_is_per_name(client: Any) -> None:
    client.delete_queue(QueueUrl=client.create_queue(QueueName="gone")["QueueUrl"])

    assert client.create_queue(QueueName="gone2")["QueueUrl"] == queue_url_for("gone2")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param("has space", id="space"),
        pytest.param("slash/name", id="slash"),
        pytest.param("dotted.name", id="dot"),
        pytest.param("caf\u00e9", id="non-ascii"),
        pytest.param("a" * 81, id="81-characters"),
        pytest.param("", id="empty"),
        pytest.param("standard.fifo", id="fifo-suffix-without-FifoQueue"),
    ],
)
def test_create_queue_rejects_invalid_name(client: Any, name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName=name)

    assert_invalid_parameter(excinfo, INVALID_NAME)
    assert "QueueUrls" not in client.list_queues()


@pytest.mark.parametrize(
    ("attribute", "value", "message"),
    [
        ("FifoQueue", "false", "Unknown Attribute FifoQueue."),
        ("ContentBasedDeduplication", "false", "Unknown Attribute ContentBasedDeduplication."),
        (
            "DeduplicationScope",
            "queue",
            "You can specify the DeduplicationScope only when FifoQueue is set to true.",
        ),
        (
            "FifoThroughputLimit",
            "perQueue",
            "You can specify the FifoThroughputLimit only when FifoQueue is set to true.",
        ),
    ],
)
def test_create_standard_queue_rejects_fifo_only_attribute(
    client: Any, attribute: str, value: str, message: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="q", Attributes={attribute: value})

    assert_invalid_attribute_name(excinfo, client, message)
    assert "QueueUrls" not in client.list_queues()


def test_create_queue_rejects_unknown_attribute(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="q", Attributes={"Foo": "1"})

    assert_invalid_attribute_name(excinfo, client, "Unknown Attribute Foo.")
    assert "QueueUrls" not in client.list_queues()


def test_create_queue_rejects_read_only_attribute(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="q", Attributes={"QueueArn": queue_arn_for("q")})

    assert_invalid_attribute_name(excinfo, client, "Unknown Attribute QueueArn.")


@pytest.mark.parametrize(("name", "value"), IN_RANGE)
def test_create_queue_accepts_integer_attribute_bounds(client: Any, name: str, value: str) -> None:
    url = client.create_queue(QueueName="q", Attributes=with_kms_key(name, value))["QueueUrl"]

    assert attributes(client, url, name) == {name: value}


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
def test_create_queue_rejects_integer_attribute_out_of_range(
    client: Any, name: str, value: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="q", Attributes=with_kms_key(name, value))

    assert_invalid_attribute_value(excinfo, client, name)
    assert "QueueUrls" not in client.list_queues()


def test_create_queue_rejects_non_integer_value(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="q", Attributes={"VisibilityTimeout": "thirty"})

    assert_invalid_attribute_value(excinfo, client, "VisibilityTimeout")


def test_create_queue_rejects_kms_and_sqs_sse_together(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(
            QueueName="q",
            Attributes={"KmsMasterKeyId": "testKeyId", "SqsManagedSseEnabled": "true"},
        )

    assert_invalid_attribute_name(excinfo, client, SSE_CONFLICT)
    assert "QueueUrls" not in client.list_queues()


def test_create_queue_with_tags(client: Any) -> None:
    url = client.create_queue(QueueName="q", tags={"team": "payments", "env": ""})["QueueUrl"]

    assert client.list_queue_tags(QueueUrl=url)["Tags"] == {"team": "payments", "env": ""}


def test_create_queue_with_50_tags(client: Any) -> None:
    tags = {f"key{index}": str(index) for index in range(50)}

    url = client.create_queue(QueueName="q", tags=tags)["QueueUrl"]

    assert client.list_queue_tags(QueueUrl=url)["Tags"] == tags


def test_create_queue_with_51_tags_fails(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.create_queue(QueueName="q", tags={f"key{index}": "v" for index in range(51)})

    assert_invalid_parameter(excinfo, "Too many tags added for queue q.")
    assert "QueueUrls" not in client.list_queues()


# --- DeleteQueue and GetQueueUrl ------------------------------------------------------------


def test_delete_queue_removes_it(client: Any, queue_url: str) -> None:
    response = client.delete_queue(QueueUrl=queue_url)

    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert "QueueUrls" not in client.list_queues()
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])
    assert_queue_does_not_exist(excinfo, client)


def test_delete_missing_queue_fails(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.delete_queue(QueueUrl=queue_url_for("missing"))

    assert_queue_does_not_exist(excinfo, client)


def test_delete_queue_twice_fails(sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="q")["QueueUrl"]
    sqs_client.delete_queue(QueueUrl=url)

    with pytest.raises(ClientError) as excinfo:
        sqs_client.delete_queue(QueueUrl=url)

    assert_queue_does_not_exist(excinfo, sqs_client)


def test_get_queue_url(client: Any, queue_url: str) -> None:
    assert client.get_queue_url(QueueName="test-queue")["QueueUrl"] == queue_url


def test_get_queue_url_of_missing_queue_fails(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_url(QueueName="missing")

    assert_queue_does_not_exist(excinfo, client)


def test_get_queue_url_with_own_account_as_owner(client: Any, queue_url: str) -> None:
    response = client.get_queue_url(QueueName="test-queue", QueueOwnerAWSAccountId=ACCOUNT)

    assert response["QueueUrl"] == queue_url


def test_get_queue_url_in_another_account_fails(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_url(QueueName="test-queue", QueueOwnerAWSAccountId=OTHER_ACCOUNT)

    assert_queue_does_not_exist(excinfo, client)


def test_get_queue_url_of_deleted_queue_fails(client: Any, queue_url: str) -> None:
    client.delete_queue(QueueUrl=queue_url)

    with pytest.raises(ClientError) as excinfo:
        client.get_queue_url(QueueName="test-queue")

    assert_queue_does_not_exist(excinfo, client)


# --- ListQueues -----------------------------------------------------------------------------


def test_list_queues_when_none_has_no_queue_urls_key(client: Any) -> None:
    response = client.list_queues()

    assert set(response) == {"ResponseMetadata"}


def test_list_queues_lists_every_queue(client: Any) -> None:
    for name in ("b", "a", "c"):
        client.create_queue(QueueName=name)

    assert client.list_queues()["QueueUrls"] == [queue_url_for(name) for name in "abc"]


def test_list_queues_by_prefix(client: Any) -> None:
    for name in ("orders", "orders-dlq", "ordersx", "payments", "Orders"):
        client.create_queue(QueueName=name)

    assert queue_names(client, QueueNamePrefix="orders") == ["orders", "orders-dlq", "ordersx"]
    assert queue_names(client, QueueNamePrefix="orders-") == ["orders-dlq"]
    assert "QueueUrls" not in client.list_queues(QueueNamePrefix="zzz")


def test_list_queues_pages_by_max_results(client: Any) -> None:
    for name in ("a", "b", "c", "d", "e"):
        client.create_queue(QueueName=name)

    first = client.list_queues(MaxResults=2)
    second = client.list_queues(MaxResults=2, NextToken=first["NextToken"])
    third = client.list_queues(MaxResults=2, NextToken=second["NextToken"])

    assert first["QueueUrls"] == [queue_url_for("a"), queue_url_for("b")]
    assert second["QueueUrls"] == [queue_url_for("c"), queue_url_for("d")]
    assert third["QueueUrls"] == [queue_url_for("e")]
    assert "NextToken" not in third


def test_list_queues_with_max_results_covering_all_has_no_next_token(client: Any) -> None:
    client.create_queue(QueueName="a")
    client.create_queue(QueueName="b")

    response = client.list_queues(MaxResults=2)

    assert response["QueueUrls"] == [queue_url_for("a"), queue_url_for("b")]
    assert "NextToken" not in response


def test_list_queues_pages_within_prefix(client: Any) -> None:
    for name in ("x1", "x2", "x3", "y1"):
        client.create_queue(QueueName=name)

    first = client.list_queues(QueueNamePrefix="x", MaxResults=2)
    rest = client.list_queues(QueueNamePrefix="x", MaxResults=2, NextToken=first["NextToken"])

    assert rest["QueueUrls"] == [queue_url_for("x3")]
    assert "NextToken" not in rest


def test_list_queues_paginator(client: Any) -> None:
    for name in ("a", "b", "c", "d", "e"):
        client.create_queue(QueueName=name)
    paginator = client.get_paginator("list_queues")

    pages = list(paginator.paginate(PaginationConfig={"PageSize": 2}))
    full = paginator.paginate(QueueNamePrefix="", PaginationConfig={"PageSize": 3})

    assert [page["QueueUrls"] for page in pages] == [
        [queue_url_for("a"), queue_url_for("b")],
        [queue_url_for("c"), queue_url_for("d")],
        [queue_url_for("e")],
    ]
    assert full.build_full_result() == {"QueueUrls": [queue_url_for(name) for name in "abcde"]}


@pytest.mark.parametrize("max_results", [0, 1001, -1])
def test_list_queues_rejects_invalid_max_results(client: Any, max_results: int) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.list_queues(MaxResults=max_results)

    assert_invalid_parameter(
        excinfo,
        f"Value {max_results} for parameter MaxResults is invalid. Reason: MaxResults must be "
        "an integer between 1 and 1000.",
    )


def test_list_queues_accepts_max_results_1000(client: Any, queue_url: str) -> None:
    response = client.list_queues(MaxResults=1000)

    assert response["QueueUrls"] == [queue_url]
    assert "NextToken" not in response


def test_list_queues_rejects_garbage_next_token(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.list_queues(MaxResults=1, NextToken="garbage")

    assert_invalid_parameter(excinfo, "Invalid NextToken value.")


def test_list_queues_rejects_a_well_formed_token_it_did_not_make(client: Any) -> None:
    token = base64.b64encode(b'{"after": 5}').decode()
    with pytest.raises(ClientError) as excinfo:
        client.list_queues(MaxResults=1, NextToken=token)

    assert_invalid_parameter(excinfo, "Invalid NextToken value.")


@pytest.mark.parametrize(
    "policy", ["[]", '"text"', '{"Statement": 5}', '{"Statement": [5]}', '{"Statement": ["a"]}']
)
def test_a_policy_that_is_not_a_policy_document_is_rejected(
    client: Any, queue_url: str, policy: str
) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": policy})

    assert_error(
        excinfo,
        code="InvalidAttributeValue",
        message="Invalid value for the parameter Policy.",
        query_code="InvalidAttributeValue",
    )
    attributes = client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])
    assert "Policy" not in attributes["Attributes"]


def test_a_policy_with_a_single_statement_object_takes_more_permissions(
    client: Any, queue_url: str
) -> None:
    single = {"Version": "2012-10-17", "Statement": {"Sid": "first", "Effect": "Allow"}}
    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": json.dumps(single)})

    client.add_permission(
        QueueUrl=queue_url, Label="second", AWSAccountIds=["111122223333"], Actions=["SendMessage"]
    )
    client.remove_permission(QueueUrl=queue_url, Label="first")

    policy = json.loads(
        client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])["Attributes"][
            "Policy"
        ]
    )
    assert [statement["Sid"] for statement in policy["Statement"]] == ["second"]


def test_list_queues_omits_deleted_queue(client: Any) -> None:
    keep = client.create_queue(QueueName="keep")["QueueUrl"]
    client.delete_queue(QueueUrl=client.create_queue(QueueName="drop")["QueueUrl"])

    assert client.list_queues()["QueueUrls"] == [keep]


# --- GetQueueAttributes ---------------------------------------------------------------------


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_get_all_attributes_of_a_new_standard_queue(client: Any, queue_url: str) -> None:
    assert attributes(client, queue_url) == {
        **DEFAULTS,
        "CreatedTimestamp": str(FROZEN_EPOCH),
        "LastModifiedTimestamp": str(FROZEN_EPOCH),
        "QueueArn": queue_arn_for("test-queue"),
    }


def test_get_specific_attributes_returns_only_those(client: Any, queue_url: str) -> None:
    found = attributes(client, queue_url, "QueueArn", "CreatedTimestamp", "VisibilityTimeout")

    assert set(found) == {"QueueArn", "CreatedTimestamp", "VisibilityTimeout"}
    assert found["VisibilityTimeout"] == "30"


def test_get_attributes_omits_unset_ones(client: Any, queue_url: str) -> None:
    response = client.get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"],
    )

    assert response["Attributes"] == {"SqsManagedSseEnabled": "true"}


def test_get_only_unset_attributes_has_no_attributes_key(client: Any, queue_url: str) -> None:
    response = client.get_queue_attributes(
        QueueUrl=queue_url, AttributeNames=["Policy", "RedrivePolicy"]
    )

    assert set(response) == {"ResponseMetadata"}


def test_get_attributes_without_names_has_no_attributes_key(client: Any, queue_url: str) -> None:
    assert set(client.get_queue_attributes(QueueUrl=queue_url)) == {"ResponseMetadata"}


@pytest.mark.parametrize("names", [["Foo"], ["VisibilityTimeout", "Foo"]])
def test_get_unknown_attribute_fails(client: Any, queue_url: str, names: list[str]) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=names)

    assert_invalid_attribute_name(excinfo, client, "Unknown Attribute Foo.")


def test_get_attributes_of_missing_queue_fails(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_attributes(QueueUrl=queue_url_for("missing"), AttributeNames=["All"])

    assert_queue_does_not_exist(excinfo, client)


COUNTS = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
)


def counts(client: Any, url: str) -> tuple[int, int, int]:
    found = attributes(client, url, *COUNTS)
    visible, in_flight, delayed = (int(found[name]) for name in COUNTS)
    return visible, in_flight, delayed


def test_approximate_counts_follow_sends_receives_and_time(
    client: Any, queue_url: str, fake_sqs: FakeSQS
) -> None:
    for index in range(3):
        client.send_message(QueueUrl=queue_url, MessageBody=f"now {index}")
    client.send_message(QueueUrl=queue_url, MessageBody="later", DelaySeconds=30)
    assert counts(client, queue_url) == (3, 0, 1)

    received = client.receive_message(
        QueueUrl=queue_url, MaxNumberOfMessages=2, VisibilityTimeout=60
    )["Messages"]
    assert counts(client, queue_url) == (1, 2, 1)

    fake_sqs.advance(30)
    assert counts(client, queue_url) == (2, 2, 0)

    client.delete_message(QueueUrl=queue_url, ReceiptHandle=received[0]["ReceiptHandle"])
    assert counts(client, queue_url) == (2, 1, 0)

    fake_sqs.advance(30)
    assert counts(client, queue_url) == (3, 0, 0)


def test_queue_delay_counts_messages_as_delayed(
    client: Any, queue_url: str, fake_sqs: FakeSQS
) -> None:
    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"DelaySeconds": "10"})
    client.send_message(QueueUrl=queue_url, MessageBody="a")
    client.send_message(QueueUrl=queue_url, MessageBody="b", DelaySeconds=0)

    assert counts(client, queue_url) == (1, 0, 1)
    fake_sqs.advance(9)
    assert counts(client, queue_url) == (1, 0, 1)
    fake_sqs.advance(1)
    assert counts(client, queue_url) == (2, 0, 0)


# --- SetQueueAttributes ---------------------------------------------------------------------


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_set_every_settable_attribute(client: Any, queue_url: str) -> None:
    dlq_arn = queue_arn_for("dlq")
    client.create_queue(QueueName="dlq")
    policy = {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": "*", "Action": "sqs:SendMessage"}],
    }
    redrive = {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 5}
    allow = {"redrivePermission": "denyAll"}

    response = client.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={
            "DelaySeconds": "15",
            "MaximumMessageSize": "2048",
            "MessageRetentionPeriod": "3600",
            "ReceiveMessageWaitTimeSeconds": "20",
            "VisibilityTimeout": "45",
            "Policy": json.dumps(policy),
            "RedrivePolicy": json.dumps(redrive),
            "RedriveAllowPolicy": json.dumps(allow),
            "KmsMasterKeyId": "alias/aws/sqs",
            "KmsDataKeyReusePeriodSeconds": "600",
            "SqsManagedSseEnabled": "false",
        },
    )

    assert set(response) == {"ResponseMetadata"}
    found = attributes(client, queue_url)
    assert json.loads(found.pop("Policy")) == policy
    assert json.loads(found.pop("RedrivePolicy")) == redrive
    assert json.loads(found.pop("RedriveAllowPolicy")) == allow
    assert found == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "CreatedTimestamp": str(FROZEN_EPOCH),
        "DelaySeconds": "15",
        "KmsDataKeyReusePeriodSeconds": "600",
        "KmsMasterKeyId": "alias/aws/sqs",
        "LastModifiedTimestamp": str(FROZEN_EPOCH),
        "MaximumMessageSize": "2048",
        "MessageRetentionPeriod": "3600",
        "QueueArn": queue_arn_for("test-queue"),
        "ReceiveMessageWaitTimeSeconds": "20",
        "SqsManagedSseEnabled": "false",
        "VisibilityTimeout": "45",
    }


def test_set_attributes_through_botocore_client(sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="q")["QueueUrl"]

    sqs_client.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "0"})

    assert attributes(sqs_client, url, "VisibilityTimeout") == {"VisibilityTimeout": "0"}


@pytest.mark.parametrize(("name", "value"), IN_RANGE)
def test_set_attributes_accepts_integer_bounds(
    client: Any, queue_url: str, name: str, value: str
) -> None:
    client.set_queue_attributes(QueueUrl=queue_url, Attributes=with_kms_key(name, value))

    assert attributes(client, queue_url, name) == {name: value}


@pytest.mark.parametrize(("name", "value"), OUT_OF_RANGE)
def test_set_attributes_rejects_integer_out_of_range(
    client: Any, queue_url: str, name: str, value: str
) -> None:
    before = attributes(client, queue_url)

    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=queue_url, Attributes=with_kms_key(name, value))

    assert_invalid_attribute_value(excinfo, client, name)
    assert attributes(client, queue_url) == before


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_set_attributes_is_atomic_when_one_value_is_bad(
    client: Any, queue_url: str, fake_sqs: FakeSQS
) -> None:
    before = attributes(client, queue_url)
    fake_sqs.advance(10)

    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(
            QueueUrl=queue_url,
            Attributes={
                "DelaySeconds": "10",
                "VisibilityTimeout": "60",
                "MaximumMessageSize": "1023",
                "Policy": json.dumps({"Version": "2012-10-17", "Statement": []}),
            },
        )

    assert_invalid_attribute_value(excinfo, client, "MaximumMessageSize")
    assert attributes(client, queue_url) == before


def test_set_attributes_is_atomic_when_one_name_is_unknown(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(
            QueueUrl=queue_url, Attributes={"DelaySeconds": "10", "Foo": "1"}
        )

    assert_invalid_attribute_name(excinfo, client, "Unknown Attribute Foo.")
    assert attributes(client, queue_url, "DelaySeconds") == {"DelaySeconds": "0"}


@pytest.mark.parametrize(
    "name",
    [
        "QueueArn",
        "ApproximateNumberOfMessages",
        "ApproximateNumberOfMessagesNotVisible",
        "ApproximateNumberOfMessagesDelayed",
        "CreatedTimestamp",
        "LastModifiedTimestamp",
    ],
)
def test_set_read_only_attribute_fails(client: Any, queue_url: str, name: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=queue_url, Attributes={name: "1"})

    assert_invalid_attribute_name(excinfo, client, f"Unknown Attribute {name}.")


@pytest.mark.parametrize("value", ["true", "false"])
def test_set_fifo_queue_on_standard_queue_fails(client: Any, queue_url: str, value: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=queue_url, Attributes={"FifoQueue": value})

    assert_invalid_attribute_name(excinfo, client, "Unknown Attribute FifoQueue.")


def test_set_policy_then_clear_it_with_empty_string(client: Any, queue_url: str) -> None:
    policy = json.dumps({"Version": "2012-10-17", "Statement": []})

    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": policy})
    assert attributes(client, queue_url, "Policy") == {"Policy": policy}

    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": ""})
    assert "Policy" not in attributes(client, queue_url)
    assert attributes(client, queue_url, "Policy") == {}


def test_set_policy_that_is_not_json_fails(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(QueueUrl=queue_url, Attributes={"Policy": "{not json"})

    assert_invalid_attribute_value(excinfo, client, "Policy")
    assert "Policy" not in attributes(client, queue_url)


def test_set_kms_key_turns_sqs_managed_sse_off(client: Any, queue_url: str) -> None:
    client.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000"},
    )

    found = attributes(client, queue_url)
    assert found["KmsMasterKeyId"] == "testKeyId"
    assert found["KmsDataKeyReusePeriodSeconds"] == "6000"
    assert found["SqsManagedSseEnabled"] == "false"


def test_set_kms_key_alone_uses_default_reuse_period(client: Any, queue_url: str) -> None:
    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"KmsMasterKeyId": "testKeyId"})

    assert attributes(
        client, queue_url, "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"
    ) == {
        "KmsMasterKeyId": "testKeyId",
        "KmsDataKeyReusePeriodSeconds": "300",
        "SqsManagedSseEnabled": "false",
    }


def test_clear_kms_key_removes_both_kms_attributes(client: Any, queue_url: str) -> None:
    client.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={"KmsMasterKeyId": "testKeyId", "KmsDataKeyReusePeriodSeconds": "6000"},
    )

    client.set_queue_attributes(
        QueueUrl=queue_url,
        Attributes={"KmsMasterKeyId": "", "KmsDataKeyReusePeriodSeconds": "300"},
    )

    found = attributes(client, queue_url)
    assert "KmsMasterKeyId" not in found
    assert "KmsDataKeyReusePeriodSeconds" not in found
    assert found["SqsManagedSseEnabled"] == "false"


def test_set_kms_and_sqs_sse_together_fails(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(
            QueueUrl=queue_url,
            Attributes={"KmsMasterKeyId": "testKeyId", "SqsManagedSseEnabled": "true"},
        )

    assert_invalid_attribute_name(excinfo, client, SSE_CONFLICT)
    assert attributes(
        client, queue_url, "KmsMasterKeyId", "KmsDataKeyReusePeriodSeconds", "SqsManagedSseEnabled"
    ) == {"SqsManagedSseEnabled": "true"}


def test_set_sqs_managed_sse_off_and_on(client: Any, queue_url: str) -> None:
    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"SqsManagedSseEnabled": "false"})
    assert attributes(client, queue_url, "SqsManagedSseEnabled") == {
        "SqsManagedSseEnabled": "false"
    }

    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"SqsManagedSseEnabled": "true"})
    assert attributes(client, queue_url, "SqsManagedSseEnabled") == {"SqsManagedSseEnabled": "true"}


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_set_attributes_moves_last_modified_timestamp(
    client: Any, queue_url: str, fake_sqs: FakeSQS
) -> None:
    fake_sqs.advance(100)

    client.set_queue_attributes(QueueUrl=queue_url, Attributes={"VisibilityTimeout": "60"})

    assert attributes(client, queue_url, "CreatedTimestamp", "LastModifiedTimestamp") == {
        "CreatedTimestamp": str(FROZEN_EPOCH),
        "LastModifiedTimestamp": str(FROZEN_EPOCH + 100),
    }


def test_set_attributes_of_missing_queue_fails(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.set_queue_attributes(
            QueueUrl=queue_url_for("missing"), Attributes={"DelaySeconds": "1"}
        )

    assert_queue_does_not_exist(excinfo, client)


# --- PurgeQueue -----------------------------------------------------------------------------


def test_purge_queue_removes_every_message(client: Any, queue_url: str, fake_sqs: FakeSQS) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="visible")
    client.send_message(QueueUrl=queue_url, MessageBody="delayed", DelaySeconds=60)
    client.send_message(QueueUrl=queue_url, MessageBody="in flight")
    client.receive_message(QueueUrl=queue_url)
    assert counts(client, queue_url) == (1, 1, 1)

    response = client.purge_queue(QueueUrl=queue_url)

    assert set(response) == {"ResponseMetadata"}
    assert counts(client, queue_url) == (0, 0, 0)
    fake_sqs.advance(120)
    assert counts(client, queue_url) == (0, 0, 0)
    assert "Messages" not in client.receive_message(QueueUrl=queue_url)


def test_purge_keeps_messages_sent_afterwards(client: Any, queue_url: str) -> None:
    client.send_message(QueueUrl=queue_url, MessageBody="before")
    client.purge_queue(QueueUrl=queue_url)
    client.send_message(QueueUrl=queue_url, MessageBody="after")

    messages = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]

    assert [message["Body"] for message in messages] == ["after"]


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_second_purge_within_60_seconds_fails(
    client: Any, queue_url: str, fake_sqs: FakeSQS
) -> None:
    client.purge_queue(QueueUrl=queue_url)
    fake_sqs.advance(59)

    with pytest.raises(client.exceptions.PurgeQueueInProgress) as excinfo:
        client.purge_queue(QueueUrl=queue_url)

    assert_error(
        excinfo,
        code="AWS.SimpleQueueService.PurgeQueueInProgress",
        message="Only one PurgeQueue operation on test-queue is allowed every 60 seconds.",
        query_code="PurgeQueueInProgress",
        status=403,
    )


@pytest.mark.fake_sqs(freeze=FROZEN)
def test_purge_allowed_again_after_60_seconds(
    client: Any, queue_url: str, fake_sqs: FakeSQS
) -> None:
    client.purge_queue(QueueUrl=queue_url)
    client.send_message(QueueUrl=queue_url, MessageBody="x")
    fake_sqs.advance(60)

    client.purge_queue(QueueUrl=queue_url)

    assert counts(client, queue_url) == (0, 0, 0)


def test_purge_limit_is_per_queue(client: Any, queue_url: str) -> None:
    other = client.create_queue(QueueName="other")["QueueUrl"]
    client.purge_queue(QueueUrl=queue_url)

    assert client.purge_queue(QueueUrl=other)["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_purge_missing_queue_fails(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.purge_queue(QueueUrl=queue_url_for("missing"))

    assert_queue_does_not_exist(excinfo, client)


# --- Tags -----------------------------------------------------------------------------------


def test_list_tags_of_untagged_queue_has_no_tags_key(client: Any, queue_url: str) -> None:
    assert set(client.list_queue_tags(QueueUrl=queue_url)) == {"ResponseMetadata"}


def test_tag_queue_adds_and_overwrites(client: Any, queue_url: str) -> None:
    client.tag_queue(QueueUrl=queue_url, Tags={"team": "a", "env": "dev"})

    response = client.tag_queue(QueueUrl=queue_url, Tags={"team": "b", "Team": "c"})

    assert set(response) == {"ResponseMetadata"}
    assert client.list_queue_tags(QueueUrl=queue_url)["Tags"] == {
        "team": "b",
        "env": "dev",
        "Team": "c",
    }


def test_untag_queue_removes_keys_and_ignores_missing_ones(client: Any, queue_url: str) -> None:
    client.tag_queue(QueueUrl=queue_url, Tags={"team": "a", "env": "dev"})

    response = client.untag_queue(QueueUrl=queue_url, TagKeys=["team", "missing"])

    assert set(response) == {"ResponseMetadata"}
    assert client.list_queue_tags(QueueUrl=queue_url)["Tags"] == {"env": "dev"}


def test_untag_last_key_leaves_no_tags_key(client: Any, queue_url: str) -> None:
    client.tag_queue(QueueUrl=queue_url, Tags={"team": "a"})
    client.untag_queue(QueueUrl=queue_url, TagKeys=["team"])

    assert "Tags" not in client.list_queue_tags(QueueUrl=queue_url)


def test_tag_queue_beyond_50_tags_fails(client: Any, queue_url: str) -> None:
    existing = {f"key{index}": "v" for index in range(50)}
    client.tag_queue(QueueUrl=queue_url, Tags=existing)

    with pytest.raises(ClientError) as excinfo:
        client.tag_queue(QueueUrl=queue_url, Tags={"key0": "new", "one-too-many": "v"})

    assert_invalid_parameter(excinfo, "Too many tags added for queue test-queue.")
    assert client.list_queue_tags(QueueUrl=queue_url)["Tags"] == existing


def test_tag_queue_overwriting_at_50_tags_succeeds(client: Any, queue_url: str) -> None:
    client.tag_queue(QueueUrl=queue_url, Tags={f"key{index}": "v" for index in range(50)})

    client.tag_queue(QueueUrl=queue_url, Tags={"key0": "new"})

    tags = client.list_queue_tags(QueueUrl=queue_url)["Tags"]
    assert len(tags) == 50
    assert tags["key0"] == "new"


def test_tag_queue_with_no_tags_fails(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.tag_queue(QueueUrl=queue_url, Tags={})

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="MissingParameter",
        message="The request must contain the parameter Tags.",
        query_code="MissingRequiredParameterException",
    )


def test_tags_of_missing_queue_fail(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.list_queue_tags(QueueUrl=queue_url_for("missing"))

    assert_queue_does_not_exist(excinfo, client)


# --- AddPermission and RemovePermission -----------------------------------------------------


def policy_of(client: Any, url: str) -> Any:
    return json.loads(attributes(client, url, "Policy")["Policy"])


def test_add_permission_for_one_account_writes_policy(client: Any, queue_url: str) -> None:
    response = client.add_permission(
        QueueUrl=queue_url,
        Label="crossaccountpermission",
        AWSAccountIds=[OTHER_ACCOUNT],
        Actions=["ReceiveMessage"],
    )

    assert set(response) == {"ResponseMetadata"}
    arn = queue_arn_for("test-queue")
    assert policy_of(client, queue_url) == {
        "Version": "2008-10-17",
        "Id": f"{arn}/SQSDefaultPolicy",
        "Statement": [
            {
                "Sid": "crossaccountpermission",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{OTHER_ACCOUNT}:root"},
                "Action": "SQS:ReceiveMessage",
                "Resource": arn,
            }
        ],
    }


def test_add_permission_for_several_accounts_lists_principals(client: Any, queue_url: str) -> None:
    client.add_permission(
        QueueUrl=queue_url,
        Label="crossaccountpermission",
        AWSAccountIds=[ACCOUNT, "668614515564"],
        Actions=["ReceiveMessage"],
    )

    statement = policy_of(client, queue_url)["Statement"][0]
    assert sorted(statement["Principal"]["AWS"]) == [
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::668614515564:root",
    ]
    assert statement["Action"] == "SQS:ReceiveMessage"


def test_add_permission_with_several_actions(client: Any, queue_url: str) -> None:
    client.add_permission(
        QueueUrl=queue_url,
        Label="send-and-receive",
        AWSAccountIds=[OTHER_ACCOUNT],
        Actions=["SendMessage", "ReceiveMessage"],
    )

    statement = policy_of(client, queue_url)["Statement"][0]
    assert statement["Action"] == ["SQS:SendMessage", "SQS:ReceiveMessage"]


def test_add_permission_with_seven_actions_is_accepted_and_eight_are_over_the_limit(
    client: Any, queue_url: str
) -> None:
    actions = [
        "ChangeMessageVisibility",
        "DeleteMessage",
        "GetQueueAttributes",
        "GetQueueUrl",
        "ListDeadLetterSourceQueues",
        "PurgeQueue",
        "ReceiveMessage",
        "SendMessage",
    ]
    client.add_permission(
        QueueUrl=queue_url, Label="seven", AWSAccountIds=[OTHER_ACCOUNT], Actions=actions[:7]
    )
    before = attributes(client, queue_url, "Policy")

    with pytest.raises(client.exceptions.OverLimit) as excinfo:
        client.add_permission(
            QueueUrl=queue_url, Label="eight", AWSAccountIds=[OTHER_ACCOUNT], Actions=actions
        )

    # AWS's quota: seven actions per policy statement.
    assert_error(
        excinfo,
        code="OverLimit",
        message="8 Actions were found, maximum allowed is 7.",
        query_code="OverLimit",
        status=403,
    )
    assert attributes(client, queue_url, "Policy") == before


def test_second_label_adds_a_statement_and_removal_keeps_the_other(
    client: Any, queue_url: str
) -> None:
    for label, action in (("first", "SendMessage"), ("second", "DeleteMessage")):
        client.add_permission(
            QueueUrl=queue_url, Label=label, AWSAccountIds=[OTHER_ACCOUNT], Actions=[action]
        )
    assert [s["Sid"] for s in policy_of(client, queue_url)["Statement"]] == ["first", "second"]

    response = client.remove_permission(QueueUrl=queue_url, Label="first")

    assert set(response) == {"ResponseMetadata"}
    statements = policy_of(client, queue_url)["Statement"]
    assert [(s["Sid"], s["Action"]) for s in statements] == [("second", "SQS:DeleteMessage")]


def test_add_permission_with_existing_label_fails(client: Any, queue_url: str) -> None:
    client.add_permission(
        QueueUrl=queue_url,
        Label="crossaccountpermission",
        AWSAccountIds=[OTHER_ACCOUNT],
        Actions=["ReceiveMessage"],
    )
    before = attributes(client, queue_url, "Policy")

    with pytest.raises(ClientError) as excinfo:
        client.add_permission(
            QueueUrl=queue_url,
            Label="crossaccountpermission",
            AWSAccountIds=[OTHER_ACCOUNT],
            Actions=["SendMessage"],
        )

    assert_invalid_parameter(
        excinfo,
        "Value crossaccountpermission for parameter Label is invalid. Reason: Already exists.",
    )
    assert attributes(client, queue_url, "Policy") == before


def test_add_permission_for_owner_only_action_fails(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.add_permission(
            QueueUrl=queue_url,
            Label="manage",
            AWSAccountIds=[OTHER_ACCOUNT],
            Actions=["DeleteQueue"],
        )

    assert_invalid_parameter(
        excinfo,
        "Value SQS:DeleteQueue for parameter ActionName is invalid. Reason: Only the queue "
        "owner is allowed to invoke this action.",
    )
    assert attributes(client, queue_url, "Policy") == {}


def test_remove_unknown_label_fails(client: Any, queue_url: str) -> None:
    client.add_permission(
        QueueUrl=queue_url,
        Label="crossaccountpermission",
        AWSAccountIds=[OTHER_ACCOUNT],
        Actions=["ReceiveMessage"],
    )

    with pytest.raises(ClientError) as excinfo:
        client.remove_permission(QueueUrl=queue_url, Label="crossaccountpermission2")

    assert_invalid_parameter(
        excinfo,
        "Value crossaccountpermission2 for parameter Label is invalid. Reason: can't find label.",
    )
    assert [s["Sid"] for s in policy_of(client, queue_url)["Statement"]] == [
        "crossaccountpermission"
    ]


def test_remove_label_from_queue_without_policy_fails(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.remove_permission(QueueUrl=queue_url, Label="nothing")

    assert_invalid_parameter(
        excinfo, "Value nothing for parameter Label is invalid. Reason: can't find label."
    )


def test_removing_last_label_removes_policy(client: Any, queue_url: str) -> None:
    client.add_permission(
        QueueUrl=queue_url, Label="only", AWSAccountIds=[OTHER_ACCOUNT], Actions=["SendMessage"]
    )

    client.remove_permission(QueueUrl=queue_url, Label="only")

    response = client.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["Policy"])
    assert set(response) == {"ResponseMetadata"}
    assert "Policy" not in attributes(client, queue_url)


# --- Accounts and regions -------------------------------------------------------------------


def test_same_name_in_two_regions_are_separate_queues(fake_sqs: FakeSQS) -> None:
    east = boto3.client("sqs", region_name="us-east-1")
    west = boto3.client("sqs", region_name="eu-west-1")

    east_url = east.create_queue(QueueName="jobs", Attributes={"DelaySeconds": "1"})["QueueUrl"]
    west_url = west.create_queue(QueueName="jobs", Attributes={"DelaySeconds": "2"})["QueueUrl"]

    assert east_url == queue_url_for("jobs")
    assert west_url == queue_url_for("jobs", region="eu-west-1")
    assert attributes(east, east_url, "DelaySeconds", "QueueArn") == {
        "DelaySeconds": "1",
        "QueueArn": queue_arn_for("jobs"),
    }
    assert attributes(west, west_url, "DelaySeconds", "QueueArn") == {
        "DelaySeconds": "2",
        "QueueArn": queue_arn_for("jobs", region="eu-west-1"),
    }
    east.delete_queue(QueueUrl=east_url)
    assert west.list_queues()["QueueUrls"] == [west_url]
    assert "QueueUrls" not in east.list_queues()


@pytest.mark.fake_sqs(region="us-west-2")
def test_sqs_client_fixture_uses_region_marker(sqs_client: Any) -> None:
    url = sqs_client.create_queue(QueueName="q")["QueueUrl"]

    assert url == queue_url_for("q", region="us-west-2")
    east = boto3.client("sqs", region_name="us-east-1")
    with pytest.raises(ClientError) as excinfo:
        east.get_queue_url(QueueName="q")
    assert_queue_does_not_exist(excinfo, east)


@pytest.mark.fake_sqs(account_id="111111111111")
def test_marker_account_id_names_the_queue_owner(client: Any) -> None:
    url = client.create_queue(QueueName="q")["QueueUrl"]

    assert url == queue_url_for("q", account="111111111111")
    assert attributes(client, url, "QueueArn") == {
        "QueueArn": queue_arn_for("q", account="111111111111")
    }


def test_same_name_in_two_accounts_via_mock_sqs() -> None:
    with mock_sqs(account_id="111111111111"):
        first = boto3.client("sqs", region_name="us-east-1")
        url_one = first.create_queue(QueueName="shared")["QueueUrl"]
        assert url_one == queue_url_for("shared", account="111111111111")
        owned = first.get_queue_url(QueueName="shared", QueueOwnerAWSAccountId="111111111111")
        assert owned["QueueUrl"] == url_one
        with pytest.raises(ClientError) as excinfo:
            first.get_queue_url(QueueName="shared", QueueOwnerAWSAccountId="222222222222")
        assert_queue_does_not_exist(excinfo, first)

        with mock_sqs(account_id="222222222222"):
            second = boto3.client("sqs", region_name="us-east-1")
            url_two = second.create_queue(QueueName="shared", Attributes={"DelaySeconds": "9"})[
                "QueueUrl"
            ]
            assert url_two == queue_url_for("shared", account="222222222222")
            with pytest.raises(ClientError) as excinfo:
                second.get_queue_attributes(QueueUrl=url_one, AttributeNames=["All"])
            assert_queue_does_not_exist(excinfo, second)

        assert attributes(first, url_one, "DelaySeconds") == {"DelaySeconds": "0"}
        assert first.list_queues()["QueueUrls"] == [url_one]


def test_url_naming_another_account_is_not_found(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_attributes(
            QueueUrl=queue_url_for("test-queue", account=OTHER_ACCOUNT), AttributeNames=["All"]
        )

    assert_queue_does_not_exist(excinfo, client)


# --- QueueUrl forms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        pytest.param(queue_url_for("test-queue"), id="standard"),
        pytest.param("https://queue.amazonaws.com/123456789012/test-queue", id="legacy-global"),
        pytest.param(
            "https://us-east-1.queue.amazonaws.com/123456789012/test-queue", id="legacy-regional"
        ),
        pytest.param("http://sqs.us-east-1.amazonaws.com/123456789012/test-queue", id="http"),
        pytest.param("test-queue", id="bare-name"),
    ],
)
def test_queue_url_forms_find_the_queue(client: Any, queue_url: str, url: str) -> None:
    client.send_message(QueueUrl=url, MessageBody="hello")

    assert attributes(client, url, "QueueArn", "ApproximateNumberOfMessages") == {
        "QueueArn": queue_arn_for("test-queue"),
        "ApproximateNumberOfMessages": "1",
    }


def test_legacy_regional_url_names_its_region(fake_sqs: FakeSQS) -> None:
    west = boto3.client("sqs", region_name="us-west-2")
    west.create_queue(QueueName="q")
    legacy = "https://us-west-2.queue.amazonaws.com/123456789012/q"

    west.set_queue_attributes(QueueUrl=legacy, Attributes={"DelaySeconds": "3"})

    assert attributes(west, legacy, "QueueArn", "DelaySeconds") == {
        "QueueArn": queue_arn_for("q", region="us-west-2"),
        "DelaySeconds": "3",
    }


def test_custom_endpoint_client_gets_urls_on_its_own_endpoint(fake_sqs: FakeSQS) -> None:
    local = boto3.client("sqs", region_name="us-east-1", endpoint_url="http://localhost:4566")
    aws = boto3.client("sqs", region_name="us-east-1")

    url = local.create_queue(QueueName="q")["QueueUrl"]
    local.send_message(QueueUrl=url, MessageBody="via localstack-style url")

    # SQS answers with URLs on the endpoint that was called; the queue is the same one.
    assert url == "http://localhost:4566/123456789012/q"
    assert local.create_queue(QueueName="q")["QueueUrl"] == url
    assert local.get_queue_url(QueueName="q")["QueueUrl"] == url
    assert local.list_queues()["QueueUrls"] == [url]
    assert aws.get_queue_url(QueueName="q")["QueueUrl"] == queue_url_for("q")
    messages = aws.receive_message(QueueUrl=queue_url_for("q"))["Messages"]
    assert [message["Body"] for message in messages] == ["via localstack-style url"]
    assert fake_sqs.queue(url).url == queue_url_for("q")


def test_custom_endpoint_keeps_scheme_and_port_in_every_url(fake_sqs: FakeSQS) -> None:
    local = boto3.client("sqs", region_name="eu-west-1", endpoint_url="https://127.0.0.1:9324")
    dlq = local.create_queue(QueueName="dlq")["QueueUrl"]
    dlq_arn = local.get_queue_attributes(QueueUrl=dlq, AttributeNames=["QueueArn"])
    policy = {"deadLetterTargetArn": dlq_arn["Attributes"]["QueueArn"], "maxReceiveCount": 2}
    source = local.create_queue(
        QueueName="source", Attributes={"RedrivePolicy": json.dumps(policy)}
    )["QueueUrl"]

    assert dlq == "https://127.0.0.1:9324/123456789012/dlq"
    assert source == "https://127.0.0.1:9324/123456789012/source"
    assert local.list_dead_letter_source_queues(QueueUrl=dlq)["queueUrls"] == [source]
    assert local.list_queues(QueueNamePrefix="s")["QueueUrls"] == [source]


def test_url_with_extra_path_is_not_found(client: Any, queue_url: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.get_queue_attributes(QueueUrl=f"{queue_url}/extra", AttributeNames=["QueueArn"])

    assert_queue_does_not_exist(excinfo, client)


# --- boto3 resource API ---------------------------------------------------------------------


def test_resource_create_queue_and_attributes(fake_sqs: FakeSQS) -> None:
    sqs = boto3.resource("sqs", region_name="us-east-1")

    queue = sqs.create_queue(QueueName="res", Attributes={"VisibilityTimeout": "90"})

    assert queue.url == queue_url_for("res")
    assert queue.attributes["VisibilityTimeout"] == "90"
    assert queue.attributes["QueueArn"] == queue_arn_for("res")


def test_resource_get_queue_by_name_and_set_attributes(fake_sqs: FakeSQS) -> None:
    sqs = boto3.resource("sqs", region_name="us-east-1")
    sqs.create_queue(QueueName="res")

    queue = sqs.get_queue_by_name(QueueName="res")
    queue.set_attributes(Attributes={"DelaySeconds": "4"})
    queue.reload()

    assert queue.url == queue_url_for("res")
    assert queue.attributes["DelaySeconds"] == "4"


def test_resource_queues_filter_and_missing_queue(fake_sqs: FakeSQS) -> None:
    sqs = boto3.resource("sqs", region_name="us-east-1")
    for name in ("a1", "a2", "b1"):
        sqs.create_queue(QueueName=name)

    assert [queue.url for queue in sqs.queues.filter(QueueNamePrefix="a")] == [
        queue_url_for("a1"),
        queue_url_for("a2"),
    ]
    with pytest.raises(ClientError) as excinfo:
        sqs.get_queue_by_name(QueueName="missing")
    assert_queue_does_not_exist(excinfo, sqs.meta.client)


# --- Clients made early, and no credentials -------------------------------------------------


def test_client_created_before_the_fake_is_served(fake_sqs: FakeSQS) -> None:
    url = MODULE_CLIENT.create_queue(QueueName="early")["QueueUrl"]

    assert url == queue_url_for("early")
    assert boto3.client("sqs", region_name="us-east-1").list_queues()["QueueUrls"] == [url]


def test_client_created_before_the_fake_sees_fresh_state_per_test(fake_sqs: FakeSQS) -> None:
    assert "QueueUrls" not in MODULE_CLIENT.list_queues()


CREDENTIAL_VARIABLES = (
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_DEFAULT_REGION",
    "AWS_REGION",
)


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> None:
    """An environment with no AWS credentials or region anywhere botocore looks."""
    for name in CREDENTIAL_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "missing-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "missing-config"))
    # Keep the credential chain off the network for clients made outside the fake.
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_credentials")
def test_calls_work_without_credentials_in_the_environment() -> None:
    with mock_sqs():
        client = boto3.session.Session().client("sqs")
        url = client.create_queue(QueueName="q")["QueueUrl"]

        assert client.meta.region_name == "us-east-1"
        assert url == queue_url_for("q")
        assert client.list_queues()["QueueUrls"] == [url]

    assert "AWS_ACCESS_KEY_ID" not in os.environ
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ
    assert "AWS_DEFAULT_REGION" not in os.environ


@pytest.mark.usefixtures("no_credentials")
def test_client_with_no_credentials_at_all_is_served() -> None:
    session = botocore.session.get_session()
    client = session.create_client("sqs", region_name="us-east-1")
    assert session.get_credentials() is None

    with mock_sqs():
        url = client.create_queue(QueueName="q")["QueueUrl"]
        assert client.get_queue_url(QueueName="q")["QueueUrl"] == url


def test_sqs_client_fixture_works_without_credentials(
    no_credentials: None, sqs_client: Any
) -> None:
    url = sqs_client.create_queue(QueueName="q")["QueueUrl"]

    assert sqs_client.meta.region_name == "us-east-1"
    assert sqs_client.get_queue_url(QueueName="q")["QueueUrl"] == url
