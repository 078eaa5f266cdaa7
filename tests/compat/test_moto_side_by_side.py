"""pytest-fakesqs side by side with moto's ``mock_aws()``.

moto answers in botocore's ``before-send`` event; the fake answers earlier, in ``before-call``.
So while a fake is active it serves every SQS call, whichever of the two started first, and
moto serves every other service (S3, SNS here). moto's own SQS backend stays empty.
"""

from __future__ import annotations

import boto3
import botocore.exceptions
import pytest
from moto import mock_aws
from moto.sqs.models import sqs_backends

from pytest_fakesqs import FakeSQS, mock_sqs

ACCOUNT = "123456789012"
REGION = "us-east-1"
URL = f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/orders"
ARN = f"arn:aws:sqs:{REGION}:{ACCOUNT}:orders"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:events"
# What the fake seeded with 1 gives the first message of _use_sqs: moto's ids are random uuid4s.
SEEDED_MESSAGE_ID = "78e51061-7311-48a3-82ce-6f447ed4d57b"


def _moto_sqs_queue_names() -> list[str]:
    return sorted(sqs_backends[ACCOUNT][REGION].queues)


def _use_s3_and_sns() -> None:
    """S3 and SNS calls that only moto can answer."""
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="side-by-side")
    put = s3.put_object(Bucket="side-by-side", Key="key", Body=b"data")
    assert put["ETag"] == '"8d777f385d3dfec8815d20f7496026dc"'
    assert s3.get_object(Bucket="side-by-side", Key="key")["Body"].read() == b"data"
    assert [b["Name"] for b in s3.list_buckets()["Buckets"]] == ["side-by-side"]

    sns = boto3.client("sns", region_name=REGION)
    assert sns.create_topic(Name="events")["TopicArn"] == TOPIC_ARN
    assert sns.list_topics()["Topics"] == [{"TopicArn": TOPIC_ARN}]


def _use_sqs(fake: FakeSQS) -> None:
    """SQS calls, answered by ``fake`` (seeded with 1) and not by moto."""
    sqs = boto3.client("sqs", region_name=REGION)
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    assert url == URL == fake.queue("orders").url
    sent = sqs.send_message(QueueUrl=url, MessageBody="hello")
    assert sent["MessageId"] == SEEDED_MESSAGE_ID
    assert [m.message_id for m in fake.queue("orders").messages] == [SEEDED_MESSAGE_ID]

    received = sqs.receive_message(QueueUrl=url)["Messages"]
    assert [(m["MessageId"], m["Body"]) for m in received] == [(SEEDED_MESSAGE_ID, "hello")]
    assert fake.queue("orders").messages[0].state == "in_flight"
    assert sqs.list_queues()["QueueUrls"] == [URL]
    assert fake.calls.operations == ["CreateQueue", "SendMessage", "ReceiveMessage", "ListQueues"]
    assert _moto_sqs_queue_names() == []


def _use_s3_and_sns_again_sees_state() -> None:
    """moto kept its S3 and SNS state between the SQS calls."""
    s3 = boto3.client("s3", region_name=REGION)
    assert s3.get_object(Bucket="side-by-side", Key="key")["Body"].read() == b"data"
    sns = boto3.client("sns", region_name=REGION)
    assert sns.list_topics()["Topics"] == [{"TopicArn": TOPIC_ARN}]


@pytest.mark.fake_sqs(seed=1)
def test_fake_fixture_first_then_mock_aws(fake_sqs) -> None:
    with mock_aws():
        _use_s3_and_sns()
        _use_sqs(fake_sqs)
        _use_s3_and_sns_again_sees_state()


def test_mock_aws_first_then_mock_sqs() -> None:
    with mock_aws():
        assert _moto_sqs_queue_names() == []
        with mock_sqs(seed=1) as fake:
            _use_s3_and_sns()
            _use_sqs(fake)
        assert _moto_sqs_queue_names() == []
        _use_s3_and_sns_again_sees_state()


@mock_aws
@pytest.mark.fake_sqs(seed=1)
def test_moto_decorator_with_fake_sqs_fixture(fake_sqs) -> None:
    _use_s3_and_sns()
    _use_sqs(fake_sqs)


def test_sqs_falls_through_to_moto_after_the_fake_stops() -> None:
    """Once the fake stops inside an active ``mock_aws()``, SQS calls go to moto.

    The fake's handlers stay registered but let calls through when no fake is active, so the
    same client's next calls reach moto's ``before-send`` handler: moto does not know the
    fake's queue (``list_queues`` has no ``QueueUrls``; ``get_queue_url`` raises
    ``QueueDoesNotExist``), a ``create_queue`` lands in moto's backend, and the fake, stopped,
    records none of these calls. A stopped fake's queues can no longer be inspected.
    """
    with mock_aws():
        with mock_sqs(seed=1) as fake:
            sqs = boto3.client("sqs", region_name=REGION)
            _use_sqs(fake)
            calls = fake.calls
        assert not fake.active
        with pytest.raises(RuntimeError) as stopped:
            fake.queues()
        assert str(stopped.value) == (
            "this FakeSQS is not active: use it as a context manager first"
        )

        assert "QueueUrls" not in sqs.list_queues()
        with pytest.raises(sqs.exceptions.QueueDoesNotExist):
            sqs.get_queue_url(QueueName="orders")
        url = sqs.create_queue(QueueName="moto-only")["QueueUrl"]
        assert url == f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/moto-only"
        sent = sqs.send_message(QueueUrl=url, MessageBody="to moto")
        assert sent["MessageId"] != SEEDED_MESSAGE_ID

        assert _moto_sqs_queue_names() == ["moto-only"]
        moto_queue = sqs_backends[ACCOUNT][REGION].queues["moto-only"]
        assert [m.body for m in moto_queue._messages] == ["to moto"]
        assert calls.operations == [
            "CreateQueue",
            "SendMessage",
            "ReceiveMessage",
            "ListQueues",
        ]


def _subscribe_fake_queue(sqs, sns) -> str:
    url = sqs.create_queue(QueueName="orders")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
    assert queue_arn["Attributes"] == {"QueueArn": ARN}
    topic_arn = sns.create_topic(Name="events")["TopicArn"]
    subscription = sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=ARN,
        Attributes={"RawMessageDelivery": "true"},
    )
    assert subscription["SubscriptionArn"].startswith(f"{TOPIC_ARN}:")
    return topic_arn


@pytest.mark.fake_sqs(seed=1)
def test_sns_to_sqs_publish_fails_when_only_the_fake_has_the_queue(fake_sqs) -> None:
    """Limitation: moto delivers SNS messages to its own SQS backend, never to the fake.

    Subscribing the fake's queue works (moto does not check the endpoint), but ``publish``
    then fails: moto looks the queue up in its own, empty, SQS backend.
    """
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        sns = boto3.client("sns", region_name=REGION)
        topic_arn = _subscribe_fake_queue(sqs, sns)

        with pytest.raises(botocore.exceptions.ClientError) as excinfo:
            sns.publish(TopicArn=topic_arn, Message="event")
        assert type(excinfo.value) is botocore.exceptions.ClientError
        error = excinfo.value.response["Error"]
        assert error["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
        assert error["Message"] == "The specified queue does not exist for this wsdl version."
        assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400

        assert fake_sqs.queue("orders").history == []
        assert fake_sqs.calls.operations == ["CreateQueue", "GetQueueAttributes"]
        assert _moto_sqs_queue_names() == []


@pytest.mark.fake_sqs(seed=1)
def test_sns_to_sqs_delivers_into_motos_queue_not_the_fake(fake_sqs) -> None:
    """Limitation: with a queue of the same name in moto's backend, moto delivers there.

    The publish succeeds, the message is in moto's queue, and the fake's queue stays empty.
    """
    with mock_aws():
        sqs = boto3.client("sqs", region_name=REGION)
        sns = boto3.client("sns", region_name=REGION)
        topic_arn = _subscribe_fake_queue(sqs, sns)
        sqs_backends[ACCOUNT][REGION].create_queue("orders")

        published = sns.publish(TopicArn=topic_arn, Message="event")
        assert published["ResponseMetadata"]["HTTPStatusCode"] == 200

        moto_queue = sqs_backends[ACCOUNT][REGION].queues["orders"]
        assert [m.body for m in moto_queue._messages] == ["event"]
        assert fake_sqs.queue("orders").history == []
        assert "Messages" not in sqs.receive_message(QueueUrl=URL)
        assert fake_sqs.calls.operations == [
            "CreateQueue",
            "GetQueueAttributes",
            "ReceiveMessage",
        ]
