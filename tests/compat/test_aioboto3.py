"""aioboto3's clients and resources are served by the fake (they sit on aiobotocore).

aioboto3 pins an older aiobotocore than the main test environment's, so this file runs in a
virtualenv of its own (see the CI script); the main run leaves it out.
"""

from __future__ import annotations

import asyncio
import json

import aioboto3
import pytest
from botocore.exceptions import ClientError

from pytest_fakesqs import FakeSQS

REGION = "us-east-1"
FREEZE = "2026-01-01T00:00:00Z"
T0 = 1767225600.0
T0_MS = 1767225600000
URL = "https://sqs.us-east-1.amazonaws.com/123456789012/"
ARN = "arn:aws:sqs:us-east-1:123456789012:"

frozen = pytest.mark.fake_sqs(freeze=FREEZE)


@pytest.mark.asyncio
@frozen
async def test_client(fake_sqs: FakeSQS) -> None:
    async with aioboto3.Session().client("sqs", region_name=REGION) as sqs:
        url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
        sent = await sqs.send_message(QueueUrl=url, MessageBody="hello", DelaySeconds=4)
        [message] = (await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20))["Messages"]
        await sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        empty = await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        with pytest.raises(ClientError) as missing:
            await sqs.get_queue_url(QueueName="missing")

        assert url == URL + "jobs"
        assert message["MessageId"] == sent["MessageId"]
        assert message["Body"] == "hello"
        assert "Messages" not in empty
        # Woken at the delay's end (T0 + 4), then a whole empty wait.
        assert fake_sqs.time == T0 + 24
        assert [call.time for call in fake_sqs.calls.of("ReceiveMessage")] == [T0, T0 + 4]
        assert type(missing.value) is sqs.exceptions.QueueDoesNotExist
        assert missing.value.response["Error"] == {
            "Message": "The specified queue does not exist.",
            "Code": "AWS.SimpleQueueService.NonExistentQueue",
            "QueryErrorCode": "QueueDoesNotExist",
            "Type": "Sender",
        }
        assert missing.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


@pytest.mark.asyncio
@frozen
async def test_resource(fake_sqs: FakeSQS) -> None:
    async with aioboto3.Session().resource("sqs", region_name=REGION) as sqs:
        dead = await sqs.create_queue(QueueName="jobs-dead")
        created = await sqs.create_queue(
            QueueName="jobs",
            Attributes={
                "VisibilityTimeout": "10",
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": ARN + "jobs-dead", "maxReceiveCount": 2}
                ),
            },
        )
        queue = await sqs.Queue(created.url)
        sent = await queue.send_messages(
            Entries=[{"Id": str(n), "MessageBody": f"job {n}"} for n in range(3)]
        )

        first = await queue.receive_messages(MaxNumberOfMessages=2, WaitTimeSeconds=20)
        await first[0].delete()
        await first[1].change_visibility(VisibilityTimeout=0)
        second = await queue.receive_messages(
            MaxNumberOfMessages=10, WaitTimeSeconds=20, MessageSystemAttributeNames=["All"]
        )
        attributes = await queue.attributes
        sources = [source.url async for source in dead.dead_letter_source_queues.all()]
        # Nothing visible: the poll waits until the visibility timeout (10 s) ends.
        third = await queue.receive_messages(MaxNumberOfMessages=10, WaitTimeSeconds=20)

        assert queue.url == URL + "jobs"
        assert [entry["Id"] for entry in sent["Successful"]] == ["0", "1", "2"]
        assert [await message.body for message in first] == ["job 0", "job 1"]
        assert [await message.body for message in second] == ["job 1", "job 2"]
        assert [(await message.attributes)["ApproximateReceiveCount"] for message in second] == [
            "2",
            "1",
        ]
        assert attributes["VisibilityTimeout"] == "10"
        assert attributes["QueueArn"] == ARN + "jobs"
        assert attributes["ApproximateNumberOfMessagesNotVisible"] == "2"
        assert sources == [URL + "jobs"]
        # "job 1" was received twice (maxReceiveCount): its third receive moves it to the
        # dead-letter queue instead.
        assert [await message.body for message in third] == ["job 2"]
        assert fake_sqs.time == T0 + 10
        assert fake_sqs.queue("jobs-dead").bodies == ["job 1"]
        assert [m.body for m in fake_sqs.queue("jobs").deleted] == ["job 0"]


@pytest.mark.asyncio
@frozen
async def test_resource_long_poll_gets_another_tasks_message(fake_sqs: FakeSQS) -> None:
    session = aioboto3.Session()
    async with session.resource("sqs", region_name=REGION) as sqs:
        queue = await sqs.create_queue(QueueName="jobs")
        polling = asyncio.Event()
        # Runs before the fake's own before-call handler (the more specific event comes first).
        sqs.meta.client.meta.events.register(
            "before-call.sqs.ReceiveMessage", lambda **_: polling.set()
        )

        async def produce() -> None:
            await polling.wait()
            await queue.send_message(MessageBody="hello")

        messages, _ = await asyncio.gather(
            queue.receive_messages(WaitTimeSeconds=20, MessageSystemAttributeNames=["All"]),
            produce(),
        )

        [message] = messages
        assert await message.body == "hello"
        assert (await message.attributes)["ApproximateFirstReceiveTimestamp"] == str(T0_MS)
        assert fake_sqs.time == T0
        assert len(fake_sqs.calls.of("ReceiveMessage")) == 1


@pytest.mark.asyncio
@frozen
async def test_resource_errors(fake_sqs: FakeSQS) -> None:
    async with aioboto3.Session().resource("sqs", region_name=REGION) as sqs:
        with pytest.raises(ClientError) as missing:
            await sqs.get_queue_by_name(QueueName="missing")
        queue = await sqs.create_queue(QueueName="jobs")
        message = await sqs.Message(queue.url, "garbage")
        with pytest.raises(ClientError) as bad_handle:
            await message.delete()

        exceptions = sqs.meta.client.exceptions
        assert type(missing.value) is exceptions.QueueDoesNotExist
        assert missing.value.response["Error"]["Code"] == "AWS.SimpleQueueService.NonExistentQueue"
        assert type(bad_handle.value) is exceptions.ReceiptHandleIsInvalid
        assert bad_handle.value.response["Error"]["Message"] == (
            'The input receipt handle "garbage" is not a valid receipt handle.'
        )
        assert bad_handle.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400
        assert [call.error_code for call in fake_sqs.calls] == [
            "QueueDoesNotExist",
            None,
            "ReceiptHandleIsInvalid",
        ]
