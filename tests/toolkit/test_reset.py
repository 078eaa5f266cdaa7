"""FakeSQS.reset(): the fake emptied in place, its preset queues made again, through real
botocore clients; and policies given as dicts in queue setup."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

import pytest

from pytest_fakesqs import FakeSQS, mock_sqs

FROZEN = "2024-05-06T07:08:09Z"
DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:jobs-dlq"

pytestmark = pytest.mark.fake_sqs(freeze=FROZEN)


@pytest.mark.fake_sqs(queues=["jobs-dlq", {"name": "jobs", "attributes": {"DelaySeconds": 5}}])
def test_reset_deletes_everything_and_makes_the_preset_queues_again(
    fake_sqs: FakeSQS, sqs_client: Any
) -> None:
    jobs = fake_sqs.queue("jobs")
    sqs_client.send_message(QueueUrl=jobs.url, MessageBody="old")
    other = sqs_client.create_queue(QueueName="other")["QueueUrl"]
    sqs_client.delete_queue(QueueUrl=fake_sqs.queue("jobs-dlq").url)
    sqs_client.purge_queue(QueueUrl=jobs.url)
    fake_sqs.fail_next("SendMessage", "ThrottlingException")
    sent_ids = [m.message_id for m in jobs.sent]
    fake_sqs.advance(10)

    fake_sqs.reset()

    assert [view.name for view in fake_sqs.queues()] == ["jobs", "jobs-dlq"]
    assert jobs.messages == [] and jobs.sent == []  # the view follows the new queue
    assert jobs.attributes["DelaySeconds"] == "5"
    assert list(fake_sqs.calls) == []
    with pytest.raises(sqs_client.exceptions.QueueDoesNotExist):
        sqs_client.get_queue_url(QueueName="other")
    # A fresh start: no fault planned, no purge or deletion cool-down left over; the clock
    # and the ids carry on.
    assert fake_sqs.now.isoformat() == "2024-05-06T07:08:19+00:00"
    sqs_client.purge_queue(QueueUrl=jobs.url)
    new_id = sqs_client.send_message(QueueUrl=jobs.url, MessageBody="new")["MessageId"]
    assert new_id not in sent_ids
    assert sqs_client.create_queue(QueueName="other")["QueueUrl"] == other
    assert fake_sqs.calls.operations == ["GetQueueUrl", "PurgeQueue", "SendMessage", "CreateQueue"]


def test_reset_ends_a_long_poll_waiting_in_another_thread(
    fake_sqs: FakeSQS, sqs_client: Any, wait_for_long_poll: Callable[[FakeSQS], None]
) -> None:
    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]
    outcome: list[Any] = []

    def consumer() -> None:
        outcome.append(sqs_client.receive_message(QueueUrl=url, WaitTimeSeconds=20))

    thread = threading.Thread(target=consumer)
    thread.start()
    wait_for_long_poll(fake_sqs)

    fake_sqs.reset()
    thread.join(30)  # real-time: the reset ends the poll at once

    assert not thread.is_alive()
    assert "Messages" not in outcome[0]
    assert outcome[0]["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert fake_sqs.now.isoformat() == "2024-05-06T07:08:09+00:00"


def test_reset_of_an_inactive_fake_raises() -> None:
    fake = mock_sqs()

    with pytest.raises(RuntimeError) as excinfo:
        fake.reset()

    assert str(excinfo.value) == ("this FakeSQS is not active: use it as a context manager first")


def test_policies_may_be_given_as_dicts(fake_sqs: FakeSQS, sqs_client: Any) -> None:
    fake_sqs.create_queue("jobs-dlq", {"RedriveAllowPolicy": {"redrivePermission": "allowAll"}})
    jobs = fake_sqs.create_queue(
        "jobs", {"RedrivePolicy": {"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": 2}}
    )

    attributes = sqs_client.get_queue_attributes(QueueUrl=jobs.url, AttributeNames=["All"])
    assert attributes["Attributes"]["RedrivePolicy"] == (
        '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:jobs-dlq","maxReceiveCount":2}'
    )
    assert json.loads(fake_sqs.queue("jobs-dlq").attributes["RedriveAllowPolicy"]) == {
        "redrivePermission": "allowAll"
    }


def test_a_float_attribute_is_refused_as_sqs_refuses_its_text(fake_sqs: FakeSQS) -> None:
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as excinfo:
        fake_sqs.create_queue("jobs", {"VisibilityTimeout": 1.5})

    assert excinfo.value.response["Error"]["Code"] == "InvalidAttributeValue"
    assert excinfo.value.response["Error"]["Message"] == (
        "Invalid value for the parameter VisibilityTimeout."
    )
