"""moto 4 (per-service decorators) beside the fake: what docs/migrating-from-moto.md says of it.

Collected only where moto 4 is installed: CI runs this file in a venv of its own with moto
4.2.14 (.ci/run), as the main venv has moto 5. It pins the S3 trap (under moto 4, S3 stays
mocked while any moto mock is active, so replacing ``mock_sqs`` by the fake can let S3 calls
out), the recipe that avoids it, and the moto 4 column of the page's tables.

No request leaves the process: the S3 client's HTTP session, which botocore reaches only when
moto has not answered, is replaced by one that records the request and answers 400.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ClientError
from moto import mock_s3
from moto import mock_sqs as moto_mock_sqs

from pytest_fakesqs import FakeSQS

REGION = "us-east-1"


class _EmptyBody(io.BytesIO):
    def stream(self, **kwargs: Any) -> Iterator[bytes]:
        yield self.read()


class _NoNetwork:
    """In place of a client's HTTP session: records what would have gone to the network."""

    def __init__(self, escaped: list[str]) -> None:
        self.escaped = escaped

    def send(self, request: Any) -> AWSResponse:
        self.escaped.append(request.url)
        return AWSResponse(request.url, 400, {}, _EmptyBody())


def s3_client(escaped: list[str]) -> Any:
    """An S3 client whose requests that moto does not answer are recorded, never sent."""
    client = boto3.client("s3", region_name=REGION)
    # botocore reaches its HTTP session only when no before-send handler (moto's) answered.
    client._endpoint.http_session = _NoNetwork(escaped)
    return client


def upload_report(s3: Any, body: bytes) -> None:
    s3.put_object(Bucket="reports", Key="report.txt", Body=body)
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.get_queue_url(QueueName="reports")["QueueUrl"]
    sqs.send_message(QueueUrl=url, MessageBody="s3://reports/report.txt")


# --- the trap ---------------------------------------------------------------------------------


def test_under_moto_4_s3_stays_mocked_while_mock_sqs_is_active() -> None:
    escaped: list[str] = []
    with moto_mock_sqs():
        with mock_s3():
            boto3.client("s3", region_name=REGION).create_bucket(Bucket="reports")
        boto3.client("sqs", region_name=REGION).create_queue(QueueName="reports")
        s3 = s3_client(escaped)

        upload_report(s3, b"%PDF")  # the mock_s3 block has ended: S3 is still moto's

        assert s3.get_object(Bucket="reports", Key="report.txt")["Body"].read() == b"%PDF"
    assert escaped == []


def test_replacing_mock_sqs_by_the_fake_lets_s3_out(fake_sqs: FakeSQS) -> None:
    escaped: list[str] = []
    with mock_s3():
        boto3.client("s3", region_name=REGION).create_bucket(Bucket="reports")
    fake_sqs.create_queue("reports")
    s3 = s3_client(escaped)

    with pytest.raises(ClientError):
        upload_report(s3, b"%PDF")

    # Without the guard, this request would have gone to the network (real AWS).
    assert escaped == ["https://reports.s3.amazonaws.com/report.txt"]


# --- the recipe -------------------------------------------------------------------------------


@pytest.fixture
def s3() -> Iterator[Any]:
    with mock_s3():
        yield boto3.client("s3", region_name=REGION)


@pytest.fixture
def s3_after_the_fake(fake_sqs: FakeSQS) -> Iterator[Any]:
    with mock_s3():
        yield boto3.client("s3", region_name=REGION)


def check_the_report_round_trip(client: Any, fake: FakeSQS) -> None:
    escaped: list[str] = []
    client.create_bucket(Bucket="reports")
    fake.create_queue("reports")

    upload_report(s3_client(escaped), b"%PDF")

    assert escaped == []
    assert fake.queue("reports").bodies == ["s3://reports/report.txt"]
    assert client.get_object(Bucket="reports", Key="report.txt")["Body"].read() == b"%PDF"


def test_moto_held_for_the_whole_test_keeps_s3_mocked(s3: Any, fake_sqs: FakeSQS) -> None:
    check_the_report_round_trip(s3, fake_sqs)


def test_the_recipe_in_the_other_order(fake_sqs: FakeSQS, s3_after_the_fake: Any) -> None:
    check_the_report_round_trip(s3_after_the_fake, fake_sqs)


# --- the page's moto 4 column -----------------------------------------------------------------


def test_what_moto_4_lets_through_and_its_texts() -> None:
    with moto_mock_sqs():
        sqs = boto3.client("sqs", region_name=REGION)
        url = sqs.create_queue(QueueName="jobs")["QueueUrl"]
        sqs.purge_queue(QueueUrl=url)
        sqs.purge_queue(QueueUrl=url)  # no 60-second rule
        sqs.delete_queue(QueueUrl=url)
        assert sqs.create_queue(QueueName="jobs")["QueueUrl"] == url  # at once
        sqs.create_queue(QueueName="orders.created")  # a dot

        with pytest.raises(ClientError) as missing:
            sqs.get_queue_url(QueueName="nope")
        with pytest.raises(ClientError) as handle:
            sqs.delete_message(QueueUrl=url, ReceiptHandle="bogus")
        with pytest.raises(ClientError) as too_many:
            sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=11)

    assert missing.value.response["Error"]["Message"] == (
        "The specified queue does not exist for this wsdl version."
    )
    assert handle.value.response["Error"]["Message"] == "The input receipt handle is invalid."
    assert too_many.value.response["Error"]["Message"] == (
        "An error occurred (InvalidParameterValue) when calling the ReceiveMessage operation: "
        "Value 11 for parameter MaxNumberOfMessages is invalid. Reason: must be between 1 and "
        "10, if provided."
    )
