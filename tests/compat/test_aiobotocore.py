"""aiobotocore clients are served too: its sessions copy botocore's built-in handlers.

A long poll from an async client must not block the event loop nor wait in real time: while it
waits, the other tasks run (a producer task's message reaches a consumer's poll), and when none
is ready the fake's clock jumps to the next scheduled change or to the poll's deadline.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import threading
from collections.abc import AsyncIterator
from typing import Any

import boto3
import pytest
import pytest_asyncio
from aiobotocore.session import get_session
from botocore.exceptions import ClientError

from pytest_fakesqs import FakeSQS, _hooks, mock_sqs

REGION = "us-east-1"
FREEZE = "2026-01-01T00:00:00Z"
T0 = 1767225600.0
T0_MS = 1767225600000
URL = "https://sqs.us-east-1.amazonaws.com/123456789012/"
HELLO_MD5 = "5d41402abc4b2a76b9719d911017c592"  # md5("hello")
ALL_ATTRIBUTES = {"MessageSystemAttributeNames": ["All"]}

frozen = pytest.mark.fake_sqs(freeze=FREEZE)


def new_client() -> Any:
    """An aiobotocore SQS client, to use as ``async with new_client() as client``."""
    return get_session().create_client("sqs", region_name=REGION)


@pytest_asyncio.fixture
async def sqs(fake_sqs: FakeSQS) -> AsyncIterator[Any]:
    async with new_client() as client:
        yield client


@contextlib.asynccontextmanager
async def clients(count: int) -> AsyncIterator[list[Any]]:
    async with contextlib.AsyncExitStack() as stack:
        yield [await stack.enter_async_context(new_client()) for _ in range(count)]


def poll_started(client: Any) -> asyncio.Event:
    """An event set when ``client``'s ReceiveMessage reaches the fake, just before it answers.

    The handler is on the operation's own event, which botocore runs before the fake's
    ``before-call.sqs`` handler, and it does not await: the poll starts in the same step.
    """
    started = asyncio.Event()

    def mark(**_: Any) -> None:
        started.set()

    client.meta.events.register("before-call.sqs.ReceiveMessage", mark)
    return started


def assert_error(
    error: ClientError, expected: type[ClientError], code: str, message: str, query_code: str
) -> None:
    assert type(error) is expected
    assert error.response["Error"]["Code"] == code
    assert error.response["Error"]["Message"] == message
    assert error.response["Error"]["QueryErrorCode"] == query_code
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def received_at(message: dict[str, Any]) -> int:
    """When the fake handed the message out, in epoch milliseconds."""
    return int(message["Attributes"]["ApproximateFirstReceiveTimestamp"])


# --- the API, call by call ---------------------------------------------------------------------


@pytest.mark.asyncio
@frozen
async def test_send_receive_delete(sqs: Any, fake_sqs: FakeSQS) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    sent = await sqs.send_message(
        QueueUrl=url,
        MessageBody="hello",
        MessageAttributes={"kind": {"DataType": "String", "StringValue": "greeting"}},
    )
    received = await sqs.receive_message(
        QueueUrl=url, MessageAttributeNames=["All"], WaitTimeSeconds=20, **ALL_ATTRIBUTES
    )
    [message] = received["Messages"]
    await sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])

    assert url == URL + "jobs"
    assert sent["MD5OfMessageBody"] == HELLO_MD5
    assert sent["ResponseMetadata"]["HTTPStatusCode"] == 200
    assert message["MessageId"] == sent["MessageId"]
    assert message["Body"] == "hello"
    assert message["MD5OfBody"] == HELLO_MD5
    assert message["MessageAttributes"] == {
        "kind": {"DataType": "String", "StringValue": "greeting"}
    }
    assert message["Attributes"]["ApproximateReceiveCount"] == "1"
    assert message["Attributes"]["SentTimestamp"] == str(T0_MS)
    # A message was there: the long poll answered at once.
    assert fake_sqs.time == T0
    assert fake_sqs.queue("jobs").messages == []
    assert [m.body for m in fake_sqs.queue("jobs").deleted] == ["hello"]


@pytest.mark.asyncio
@frozen
async def test_batches(sqs: Any, fake_sqs: FakeSQS) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    sent = await sqs.send_message_batch(
        QueueUrl=url,
        Entries=[{"Id": f"e{n}", "MessageBody": f"job {n}"} for n in range(3)],
    )
    received = (await sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10))["Messages"]
    deleted = await sqs.delete_message_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "first", "ReceiptHandle": received[0]["ReceiptHandle"]},
            {"Id": "bad", "ReceiptHandle": "garbage"},
        ],
    )
    changed = await sqs.change_message_visibility_batch(
        QueueUrl=url,
        Entries=[
            {"Id": "second", "ReceiptHandle": received[1]["ReceiptHandle"], "VisibilityTimeout": 0}
        ],
    )

    assert [(entry["Id"], entry["MD5OfMessageBody"]) for entry in sent["Successful"]] == [
        (f"e{n}", hashlib.md5(f"job {n}".encode()).hexdigest()) for n in range(3)
    ]
    assert "Failed" not in sent
    assert [m["MessageId"] for m in received] == [e["MessageId"] for e in sent["Successful"]]
    assert [m["Body"] for m in received] == ["job 0", "job 1", "job 2"]
    assert deleted["Successful"] == [{"Id": "first"}]
    assert deleted["Failed"] == [
        {
            "Id": "bad",
            "SenderFault": True,
            "Code": "ReceiptHandleIsInvalid",
            "Message": 'The input receipt handle "garbage" is not a valid receipt handle.',
        }
    ]
    assert changed["Successful"] == [{"Id": "second"}]
    assert fake_sqs.queue("jobs").bodies == ["job 1", "job 2"]
    assert [m.body for m in fake_sqs.queue("jobs").visible] == ["job 1"]


@pytest.mark.asyncio
@frozen
async def test_queue_attributes_and_tags(sqs: Any) -> None:
    url = (
        await sqs.create_queue(
            QueueName="jobs",
            Attributes={"VisibilityTimeout": "45", "DelaySeconds": "2"},
            tags={"team": "billing"},
        )
    )["QueueUrl"]
    await sqs.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "90"})
    attributes = (
        await sqs.get_queue_attributes(
            QueueUrl=url,
            AttributeNames=["VisibilityTimeout", "DelaySeconds", "QueueArn", "CreatedTimestamp"],
        )
    )["Attributes"]
    tags = (await sqs.list_queue_tags(QueueUrl=url))["Tags"]
    listed = (await sqs.list_queues(QueueNamePrefix="jo"))["QueueUrls"]

    assert attributes == {
        "VisibilityTimeout": "90",
        "DelaySeconds": "2",
        "QueueArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
        "CreatedTimestamp": str(int(T0)),
    }
    assert tags == {"team": "billing"}
    assert listed == [URL + "jobs"]


@pytest.mark.asyncio
@frozen
async def test_errors_are_botocores_exceptions(sqs: Any) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]

    with pytest.raises(ClientError) as missing:
        await sqs.get_queue_url(QueueName="missing")
    with pytest.raises(ClientError) as bad_handle:
        await sqs.delete_message(QueueUrl=url, ReceiptHandle="garbage")
    with pytest.raises(ClientError) as bad_wait:
        await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=21)

    assert_error(
        missing.value,
        sqs.exceptions.QueueDoesNotExist,
        "AWS.SimpleQueueService.NonExistentQueue",
        "The specified queue does not exist.",
        "QueueDoesNotExist",
    )
    assert_error(
        bad_handle.value,
        sqs.exceptions.ReceiptHandleIsInvalid,
        "ReceiptHandleIsInvalid",
        'The input receipt handle "garbage" is not a valid receipt handle.',
        "ReceiptHandleIsInvalid",
    )
    # Not in the service model: a plain ClientError.
    assert_error(
        bad_wait.value,
        ClientError,
        "InvalidParameterValue",
        "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, "
        "if provided.",
        "InvalidParameterValueException",
    )


# --- activation ---------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_client_created_before_the_fake_started() -> None:
    async with new_client() as client:
        with mock_sqs(freeze=FREEZE) as fake:
            url = (await client.create_queue(QueueName="early"))["QueueUrl"]
            await client.send_message(QueueUrl=url, MessageBody="hello")

            assert url == URL + "early"
            assert fake.queue("early").bodies == ["hello"]
            assert fake.calls.operations == ["CreateQueue", "SendMessage"]


@pytest.mark.asyncio
@pytest.mark.fake_sqs(freeze=FREEZE, queues=["jobs"])
async def test_fake_sqs_fixture_in_an_async_test(fake_sqs: FakeSQS) -> None:
    async with new_client() as client:
        url = (await client.get_queue_url(QueueName="jobs"))["QueueUrl"]
        await client.send_message(QueueUrl=url, MessageBody="hello", DelaySeconds=30)
        fake_sqs.advance(30)
        [message] = (await client.receive_message(QueueUrl=url))["Messages"]

    assert url == URL + "jobs"
    assert message["Body"] == "hello"
    assert fake_sqs.time == T0 + 30


@mock_sqs(freeze=FREEZE)
async def _decorated() -> tuple[str, float]:
    engine = _hooks.active()
    assert engine is not None
    async with new_client() as client:
        url = (await client.create_queue(QueueName="decorated"))["QueueUrl"]
        await client.receive_message(QueueUrl=url, WaitTimeSeconds=5)
    return url, engine.now()


@pytest.mark.asyncio
async def test_mock_sqs_decorates_a_coroutine_function() -> None:
    assert _hooks.active() is None
    assert await _decorated() == (URL + "decorated", T0 + 5)
    assert _hooks.active() is None


# --- long polls ---------------------------------------------------------------------------------


@pytest.mark.asyncio
@frozen
async def test_long_poll_on_an_empty_queue_jumps_the_clock_by_its_wait(
    sqs: Any, fake_sqs: FakeSQS
) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]

    response = await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)

    assert "Messages" not in response
    assert fake_sqs.time == T0 + 20
    [poll] = fake_sqs.calls.of("ReceiveMessage")
    assert (poll.time, poll.ok) == (T0, True)


@pytest.mark.asyncio
@frozen
async def test_a_worker_thread_s_send_reaches_an_async_poll(sqs: Any, fake_sqs: FakeSQS) -> None:
    """The rules combine: the loop is idle, but a thread may still send, so the poll waits
    for it (without blocking the loop) instead of jumping past it."""
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    sender = boto3.client("sqs", region_name=REGION)
    # real-time: the Timer thread sends 0.2 s later.
    timer = threading.Timer(0.2, lambda: sender.send_message(QueueUrl=url, MessageBody="hi"))
    timer.start()

    response = await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)

    assert [m["Body"] for m in response["Messages"]] == ["hi"]
    assert fake_sqs.time == T0  # woken by the thread's send: the clock never jumped
    timer.join()


@pytest.mark.asyncio
@frozen
async def test_delayed_message_wakes_the_poll_at_its_delay(sqs: Any, fake_sqs: FakeSQS) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    await sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=7)

    [message] = (await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20, **ALL_ATTRIBUTES))[
        "Messages"
    ]

    assert message["Body"] == "later"
    assert received_at(message) == T0_MS + 7000
    assert fake_sqs.time == T0 + 7
    assert len(fake_sqs.calls.of("ReceiveMessage")) == 1


@pytest.mark.asyncio
@frozen
async def test_producer_task_delivers_into_a_waiting_poll(fake_sqs: FakeSQS) -> None:
    async with clients(2) as (consumer_client, producer_client):
        url = (await producer_client.create_queue(QueueName="jobs"))["QueueUrl"]
        polling = poll_started(consumer_client)

        async def consumer() -> dict[str, Any]:
            return await consumer_client.receive_message(  # type: ignore[no-any-return]
                QueueUrl=url, WaitTimeSeconds=20, **ALL_ATTRIBUTES
            )

        async def producer() -> None:
            await polling.wait()
            await producer_client.send_message(QueueUrl=url, MessageBody="hello")

        received, _ = await asyncio.gather(consumer(), producer())

    [message] = received["Messages"]
    assert message["Body"] == "hello"
    assert received_at(message) == T0_MS
    # The producer was ready: the poll let it run instead of jumping to its deadline.
    assert fake_sqs.time == T0
    [poll] = fake_sqs.calls.of("ReceiveMessage")
    assert poll.time == T0
    assert poll.response is not None
    assert [m["Body"] for m in poll.response["Messages"]] == ["hello"]


@pytest.mark.asyncio
@frozen
async def test_two_consumers_share_what_a_producer_sends(fake_sqs: FakeSQS) -> None:
    async with clients(3) as (first, second, producer_client):
        url = (await producer_client.create_queue(QueueName="jobs"))["QueueUrl"]
        started = [poll_started(first), poll_started(second)]

        async def consume(client: Any) -> list[str]:
            response = await client.receive_message(QueueUrl=url, WaitTimeSeconds=20)
            return [m["Body"] for m in response.get("Messages", [])]

        async def produce() -> None:
            for event in started:
                await event.wait()
            for body in ("a", "b"):
                await producer_client.send_message(QueueUrl=url, MessageBody=body)

        got_first, got_second, _ = await asyncio.gather(consume(first), consume(second), produce())

    # Each poll takes one message (MaxNumberOfMessages defaults to 1); which gets which is up
    # to the scheduling.
    assert sorted(got_first + got_second) == ["a", "b"]
    assert (len(got_first), len(got_second)) == (1, 1)
    assert fake_sqs.time == T0
    assert [poll.time for poll in fake_sqs.calls.of("ReceiveMessage")] == [T0, T0]


@pytest.mark.asyncio
@frozen
async def test_two_waiting_consumers_wake_at_each_delay(fake_sqs: FakeSQS) -> None:
    async with clients(2) as (first, second):
        url = (await first.create_queue(QueueName="jobs"))["QueueUrl"]
        await first.send_message(QueueUrl=url, MessageBody="a", DelaySeconds=5)
        await first.send_message(QueueUrl=url, MessageBody="b", DelaySeconds=9)

        async def consume(client: Any) -> tuple[str, int]:
            response = await client.receive_message(
                QueueUrl=url, WaitTimeSeconds=20, **ALL_ATTRIBUTES
            )
            [message] = response["Messages"]
            return message["Body"], received_at(message)

        results = await asyncio.gather(consume(first), consume(second))

    assert sorted(results) == [("a", T0_MS + 5000), ("b", T0_MS + 9000)]
    assert fake_sqs.time == T0 + 9
    # Both polls started before the clock moved: they waited side by side.
    assert [poll.time for poll in fake_sqs.calls.of("ReceiveMessage")] == [T0, T0]


@pytest.mark.asyncio
@frozen
async def test_relay_between_two_long_polling_tasks(fake_sqs: FakeSQS) -> None:
    async with clients(3) as (relay_client, sink_client, producer_client):
        inbox = (await producer_client.create_queue(QueueName="inbox"))["QueueUrl"]
        outbox = (await producer_client.create_queue(QueueName="outbox"))["QueueUrl"]
        started = [poll_started(relay_client), poll_started(sink_client)]

        async def relay() -> None:
            [message] = (await relay_client.receive_message(QueueUrl=inbox, WaitTimeSeconds=20))[
                "Messages"
            ]
            await relay_client.send_message(QueueUrl=outbox, MessageBody=message["Body"] + "!")
            await relay_client.delete_message(
                QueueUrl=inbox, ReceiptHandle=message["ReceiptHandle"]
            )

        async def sink() -> dict[str, Any]:
            return await sink_client.receive_message(  # type: ignore[no-any-return]
                QueueUrl=outbox, WaitTimeSeconds=20, **ALL_ATTRIBUTES
            )

        async def produce() -> None:
            for event in started:
                await event.wait()
            await producer_client.send_message(QueueUrl=inbox, MessageBody="hi", DelaySeconds=5)

        _, received, _ = await asyncio.gather(relay(), sink(), produce())

    [message] = received["Messages"]
    assert message["Body"] == "hi!"
    assert message["Attributes"]["SentTimestamp"] == str(T0_MS + 5000)
    assert received_at(message) == T0_MS + 5000
    # The sink woke when the relayed message came, not at its own deadline (T0 + 20).
    assert fake_sqs.time == T0 + 5
    # Both polls started at T0, before the delayed send.
    assert sorted(
        (poll.params["QueueUrl"], poll.time) for poll in fake_sqs.calls.of("ReceiveMessage")
    ) == [(inbox, T0), (outbox, T0)]


@pytest.mark.asyncio
@frozen
async def test_advance_from_another_task_ends_a_poll(sqs: Any, fake_sqs: FakeSQS) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    polling = poll_started(sqs)

    async def advance() -> None:
        await polling.wait()
        fake_sqs.advance(20)

    response, _ = await asyncio.gather(
        sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20), advance()
    )

    assert "Messages" not in response
    # The test's advance() used up the wait: the poll did not add its own 20 seconds.
    assert fake_sqs.time == T0 + 20
    assert len(fake_sqs.calls.of("ReceiveMessage")) == 1


@pytest.mark.asyncio
@frozen
async def test_advance_from_another_task_makes_a_delayed_message_visible(
    sqs: Any, fake_sqs: FakeSQS
) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    await sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=10)
    polling = poll_started(sqs)

    async def advance() -> None:
        await polling.wait()
        fake_sqs.advance(12)

    response, _ = await asyncio.gather(
        sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20, **ALL_ATTRIBUTES), advance()
    )

    [message] = response["Messages"]
    assert message["Body"] == "later"
    assert received_at(message) == T0_MS + 12000
    assert fake_sqs.time == T0 + 12


@pytest.mark.asyncio
@frozen
async def test_end_long_polls_from_another_task(sqs: Any, fake_sqs: FakeSQS) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]
    polling = poll_started(sqs)

    async def stop() -> None:
        await polling.wait()
        fake_sqs.end_long_polls()

    response, _ = await asyncio.gather(
        sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20), stop()
    )
    later = await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)

    assert "Messages" not in response
    assert "Messages" not in later
    # Ending long polls never moves the clock, and later polls return at once too.
    assert fake_sqs.time == T0
    assert len(fake_sqs.calls.of("ReceiveMessage")) == 2


@pytest.mark.asyncio
@frozen
async def test_journal_has_one_receive_per_poll(sqs: Any, fake_sqs: FakeSQS) -> None:
    url = (await sqs.create_queue(QueueName="jobs"))["QueueUrl"]

    await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=4)
    await sqs.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=5)
    await sqs.receive_message(QueueUrl=url, WaitTimeSeconds=20)
    await sqs.receive_message(QueueUrl=url)

    polls = fake_sqs.calls.of("ReceiveMessage")
    assert [(poll.time, poll.params.get("WaitTimeSeconds")) for poll in polls] == [
        (T0, 4),
        (T0 + 4, 20),
        (T0 + 9, None),
    ]
    assert [[m["Body"] for m in (poll.response or {}).get("Messages", [])] for poll in polls] == [
        [],
        ["later"],
        [],
    ]
    assert fake_sqs.calls.operations == [
        "CreateQueue",
        "ReceiveMessage",
        "SendMessage",
        "ReceiveMessage",
        "ReceiveMessage",
    ]
