"""Message move tasks (dead-letter queue redrive) through a real client: StartMessageMoveTask,
CancelMessageMoveTask and ListMessageMoveTasks.

A task moves messages lazily in fake time: ``t`` seconds after it started at rate ``r`` (500/s
when no MaxNumberOfMessagesPerSecond was given), ``floor(t * r)`` messages have moved, capped at
the dead-letter queue's message count when the task started. Every test here freezes the clock,
so time moves only with ``fake_sqs.advance``.
"""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

import pytest
from botocore.exceptions import ClientError
from sqs_helpers import assert_error, bodies, queue_arn_for, receive_all

from pytest_fakesqs import FakeSQS

T0 = 1704067200  # 2024-01-01T00:00:00Z
T0_MS = T0 * 1000
pytestmark = pytest.mark.fake_sqs(freeze="2024-01-01T00:00:00Z")

DLQ_ARN = queue_arn_for("dlq")
SOURCE_ARN = queue_arn_for("source")
NON_EXISTENT_QUEUE = "AWS.SimpleQueueService.NonExistentQueue"


# --- helpers ------------------------------------------------------------------------------------


def redrive(target_arn: str, max_receive_count: int = 1) -> str:
    return json.dumps({"deadLetterTargetArn": target_arn, "maxReceiveCount": max_receive_count})


def make_queue(client: Any, name: str, **attributes: str) -> str:
    url: str = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url


def make_pair(client: Any, **source_attributes: str) -> tuple[str, str]:
    """A dead-letter queue ``dlq`` and a source ``source`` that dead-letters a message on its
    second receive (maxReceiveCount 1, VisibilityTimeout 0); returns (source URL, DLQ URL)."""
    dlq = make_queue(client, "dlq")
    attributes = {"VisibilityTimeout": "0", "RedrivePolicy": redrive(DLQ_ARN)} | source_attributes
    source = make_queue(client, "source", **attributes)
    return source, dlq


def dead_letter(client: Any, source: str, *message_bodies: str, **send: Any) -> list[str]:
    """Send up to 10 messages to ``source`` and let them all reach its dead-letter queue;
    returns their MessageIds."""
    ids = [
        client.send_message(QueueUrl=source, MessageBody=body, **send)["MessageId"]
        for body in message_bodies
    ]
    assert len(receive_all(client, source)) == len(message_bodies)
    assert receive_all(client, source) == []
    return ids


def visible(client: Any, url: str) -> int:
    attributes = client.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"])


def tasks(client: Any, source_arn: str = DLQ_ARN, **params: Any) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = client.list_message_move_tasks(SourceArn=source_arn, **params)[
        "Results"
    ]
    return results


def task(client: Any, source_arn: str = DLQ_ARN) -> dict[str, Any]:
    [newest] = tasks(client, source_arn)
    return newest


def progress(client: Any, source: str, dlq: str) -> tuple[str, int, int, int]:
    """(status, messages moved, messages visible in the source, messages visible in the DLQ)."""
    entry = task(client)
    moved = entry["ApproximateNumberOfMessagesMoved"]
    return entry["Status"], moved, visible(client, source), visible(client, dlq)


def fake_handle(task_id: str, source_arn: str) -> str:
    """A well-formed handle in the fake's own encoding (real handles are opaque)."""
    payload = json.dumps({"taskId": task_id, "sourceArn": source_arn})
    return base64.b64encode(payload.encode()).decode("ascii")


# --- starting and listing -----------------------------------------------------------------------


def test_start_returns_a_handle_and_lists_a_running_task(sqs_client: Any) -> None:
    source, _ = make_pair(sqs_client)
    dead_letter(sqs_client, source, "a", "b", "c")

    handle = sqs_client.start_message_move_task(SourceArn=DLQ_ARN)["TaskHandle"]

    assert tasks(sqs_client) == [
        {
            "TaskHandle": handle,
            "Status": "RUNNING",
            "SourceArn": DLQ_ARN,
            "ApproximateNumberOfMessagesMoved": 0,
            "ApproximateNumberOfMessagesToMove": 3,
            "StartedTimestamp": T0_MS,
        }
    ]


def test_list_entry_carries_destination_and_rate_when_given(client: Any) -> None:
    source, _ = make_pair(client)
    make_queue(client, "other")
    dead_letter(client, source, "a", "b")

    handle = client.start_message_move_task(
        SourceArn=DLQ_ARN, DestinationArn=queue_arn_for("other"), MaxNumberOfMessagesPerSecond=1
    )["TaskHandle"]

    assert tasks(client) == [
        {
            "TaskHandle": handle,
            "Status": "RUNNING",
            "SourceArn": DLQ_ARN,
            "DestinationArn": queue_arn_for("other"),
            "MaxNumberOfMessagesPerSecond": 1,
            "ApproximateNumberOfMessagesMoved": 0,
            "ApproximateNumberOfMessagesToMove": 2,
            "StartedTimestamp": T0_MS,
        }
    ]


@pytest.mark.parametrize(("elapsed", "offset_ms"), [(1.5, 1500), (0.123, 123), (12.345, 12345)])
def test_started_timestamp_is_the_fake_clock_in_epoch_milliseconds(
    client: Any, fake_sqs: FakeSQS, elapsed: float, offset_ms: int
) -> None:
    source, _ = make_pair(client)
    dead_letter(client, source, "a")
    fake_sqs.advance(elapsed)

    client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)

    assert task(client)["StartedTimestamp"] == T0_MS + offset_ms


def test_task_of_an_empty_dead_letter_queue_completes_with_nothing_to_move(
    client: Any, fake_sqs: FakeSQS
) -> None:
    make_pair(client)
    client.start_message_move_task(SourceArn=DLQ_ARN)
    fake_sqs.advance(1)

    assert tasks(client) == [
        {
            "Status": "COMPLETED",
            "SourceArn": DLQ_ARN,
            "ApproximateNumberOfMessagesMoved": 0,
            "ApproximateNumberOfMessagesToMove": 0,
            "StartedTimestamp": T0_MS,
        }
    ]


def test_list_of_a_dead_letter_queue_without_tasks_is_empty(client: Any) -> None:
    # The fake's choice (unverified): an empty Results list.
    make_pair(client)

    assert client.list_message_move_tasks(SourceArn=DLQ_ARN)["Results"] == []


def test_list_returns_only_the_newest_task_by_default(client: Any, fake_sqs: FakeSQS) -> None:
    source, _ = make_pair(client)
    dead_letter(client, source, "a", "b")
    first = client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)
    fake_sqs.advance(1)
    client.cancel_message_move_task(TaskHandle=first["TaskHandle"])
    handle = client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=2)[
        "TaskHandle"
    ]

    assert tasks(client) == [
        {
            "TaskHandle": handle,
            "Status": "RUNNING",
            "SourceArn": DLQ_ARN,
            "MaxNumberOfMessagesPerSecond": 2,
            "ApproximateNumberOfMessagesMoved": 0,
            "ApproximateNumberOfMessagesToMove": 1,
            "StartedTimestamp": T0_MS + 1000,
        }
    ]


def test_list_with_max_results_returns_the_newest_first(client: Any, fake_sqs: FakeSQS) -> None:
    source, _ = make_pair(client)
    dead_letter(client, source, "a", "b", "c")
    first = client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)
    fake_sqs.advance(1)
    client.cancel_message_move_task(TaskHandle=first["TaskHandle"])
    for rate in (2, 3):
        client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=rate)
        fake_sqs.advance(1)

    listed = tasks(client, MaxResults=10)

    assert [entry["MaxNumberOfMessagesPerSecond"] for entry in listed] == [3, 2, 1]
    assert [entry["StartedTimestamp"] for entry in listed] == [
        T0_MS + 2000,
        T0_MS + 1000,
        T0_MS,
    ]
    assert [entry["Status"] for entry in listed] == ["COMPLETED", "COMPLETED", "CANCELLED"]
    assert [entry["ApproximateNumberOfMessagesMoved"] for entry in listed] == [0, 2, 1]
    assert [entry["ApproximateNumberOfMessagesToMove"] for entry in listed] == [0, 2, 3]
    assert tasks(client, MaxResults=2) == listed[:2]


def test_list_of_an_unknown_source_is_rejected(client: Any) -> None:
    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.list_message_move_tasks(SourceArn=queue_arn_for("missing"))

    assert_error(
        excinfo,
        code="ResourceNotFoundException",
        message="The resource that you specified for the SourceArn parameter doesn't exist.",
        query_code="ResourceNotFoundException",
        status=404,
    )


@pytest.mark.parametrize("max_results", [0, 11])
def test_list_max_results_out_of_range_is_rejected(client: Any, max_results: int) -> None:
    # Text is the fake's (unverified).
    make_pair(client)

    with pytest.raises(ClientError) as excinfo:
        client.list_message_move_tasks(SourceArn=DLQ_ARN, MaxResults=max_results)

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {max_results} for parameter MaxResults is invalid. "
        "Reason: Must be between 1 and 10.",
        query_code="InvalidParameterValueException",
    )


# --- moving messages ----------------------------------------------------------------------------


def test_task_moves_messages_back_to_their_source_and_completes(
    client: Any, fake_sqs: FakeSQS
) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b", "c")
    client.start_message_move_task(SourceArn=DLQ_ARN)

    fake_sqs.advance(1)

    assert tasks(client) == [
        {
            "Status": "COMPLETED",
            "SourceArn": DLQ_ARN,
            "ApproximateNumberOfMessagesMoved": 3,
            "ApproximateNumberOfMessagesToMove": 3,
            "StartedTimestamp": T0_MS,
        }
    ]
    assert visible(client, dlq) == 0
    assert bodies(receive_all(client, source)) == ["a", "b", "c"]


def test_nothing_moves_until_fake_time_passes(client: Any) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b")
    client.start_message_move_task(SourceArn=DLQ_ARN)

    assert progress(client, source, dlq) == ("RUNNING", 0, 0, 2)
    assert progress(client, source, dlq) == ("RUNNING", 0, 0, 2)


def test_a_long_poll_on_the_destination_returns_when_the_first_message_moves(
    client: Any, fake_sqs: FakeSQS
) -> None:
    source, _ = make_pair(client)
    dead_letter(client, source, "a", "b")
    client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)
    assert fake_sqs.next_change_at is not None
    first_move = fake_sqs.next_change_at.timestamp()

    received = receive_all(client, source, WaitTimeSeconds=20)

    assert bodies(received) == ["a"]
    # One second after the start, as next_change_at predicted: not at the poll's deadline.
    assert first_move == T0 + 1
    assert fake_sqs.time == T0 + 1


def test_progress_follows_the_rate_at_each_step(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b", "c", "d", "e")
    client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=2)

    steps = []
    for seconds in (0.25, 0.25, 0.5, 0.5, 0.75, 10):
        fake_sqs.advance(seconds)
        steps.append(progress(client, source, dlq))

    assert steps == [
        ("RUNNING", 0, 0, 5),
        ("RUNNING", 1, 1, 4),
        ("RUNNING", 2, 2, 3),
        ("RUNNING", 3, 3, 2),
        ("RUNNING", 4, 4, 1),
        ("COMPLETED", 5, 5, 0),
    ]


def test_default_rate_is_500_messages_per_second(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, *(f"m{i}" for i in range(8)))
    client.start_message_move_task(SourceArn=DLQ_ARN)

    steps = []
    for seconds in (0.001, 0.001, 0.008, 0.006):
        fake_sqs.advance(seconds)
        steps.append(progress(client, source, dlq))

    assert steps == [
        ("RUNNING", 0, 0, 8),
        ("RUNNING", 1, 1, 7),
        ("RUNNING", 5, 5, 3),
        ("COMPLETED", 8, 8, 0),
    ]


def test_rate_of_500_moves_150_messages_in_three_tenths_of_a_second(
    client: Any, fake_sqs: FakeSQS
) -> None:
    # Sent straight to the dead-letter queue (so it needs a DestinationArn): 200 messages.
    _, dlq = make_pair(client)
    destination = make_queue(client, "destination")
    for batch in range(20):
        client.send_message_batch(
            QueueUrl=dlq,
            Entries=[{"Id": str(i), "MessageBody": f"m{batch}-{i}"} for i in range(10)],
        )
    client.start_message_move_task(
        SourceArn=DLQ_ARN,
        DestinationArn=queue_arn_for("destination"),
        MaxNumberOfMessagesPerSecond=500,
    )

    fake_sqs.advance(0.3)

    assert task(client)["ApproximateNumberOfMessagesMoved"] == 150
    assert (visible(client, destination), visible(client, dlq)) == (150, 50)


def test_messages_reaching_the_dead_letter_queue_after_the_start_stay(
    client: Any, fake_sqs: FakeSQS
) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "early-1", "early-2")
    client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)
    dead_letter(client, source, "late")

    fake_sqs.advance(10)

    assert progress(client, source, dlq) == ("COMPLETED", 2, 2, 1)
    assert task(client)["ApproximateNumberOfMessagesToMove"] == 2
    assert bodies(receive_all(client, dlq)) == ["late"]
    assert bodies(receive_all(client, source)) == ["early-1", "early-2"]


def test_each_message_goes_back_to_its_own_source(client: Any, fake_sqs: FakeSQS) -> None:
    dlq = make_queue(client, "dlq")
    first = make_queue(client, "first", VisibilityTimeout="0", RedrivePolicy=redrive(DLQ_ARN))
    second = make_queue(client, "second", VisibilityTimeout="0", RedrivePolicy=redrive(DLQ_ARN))
    dead_letter(client, first, "from-first-1", "from-first-2")
    dead_letter(client, second, "from-second")
    client.start_message_move_task(SourceArn=DLQ_ARN)

    fake_sqs.advance(1)

    assert visible(client, dlq) == 0
    assert bodies(receive_all(client, first)) == ["from-first-1", "from-first-2"]
    assert bodies(receive_all(client, second)) == ["from-second"]


def test_destination_arn_receives_every_message(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    other = make_queue(client, "other")
    dead_letter(client, source, "a", "b")
    client.start_message_move_task(SourceArn=DLQ_ARN, DestinationArn=queue_arn_for("other"))

    fake_sqs.advance(1)

    assert task(client)["Status"] == "COMPLETED"
    assert (visible(client, source), visible(client, dlq)) == (0, 0)
    assert bodies(receive_all(client, other)) == ["a", "b"]


def test_moved_message_keeps_id_body_and_attributes(client: Any, fake_sqs: FakeSQS) -> None:
    source, _ = make_pair(client)
    attributes = {
        "kind": {"DataType": "String", "StringValue": "order"},
        "blob": {"DataType": "Binary", "BinaryValue": b"\x00\x01"},
    }
    [message_id] = dead_letter(client, source, "poison", MessageAttributes=attributes)
    sent_md5 = hashlib.md5(b"poison").hexdigest()
    fake_sqs.advance(5)
    client.start_message_move_task(SourceArn=DLQ_ARN)
    fake_sqs.advance(5)

    [moved] = receive_all(client, source)

    assert moved["MessageId"] == message_id
    assert moved["Body"] == "poison"
    assert moved["MD5OfBody"] == sent_md5
    assert moved["MessageAttributes"] == attributes
    assert moved["Attributes"]["SentTimestamp"] == str(T0_MS)
    assert moved["Attributes"]["ApproximateReceiveCount"] == "1"
    assert moved["Attributes"]["ApproximateFirstReceiveTimestamp"] == str(T0_MS + 10_000)
    assert "DeadLetterQueueSourceArn" not in moved["Attributes"]


def test_redriven_message_dead_letters_again_after_max_receive_count(
    client: Any, fake_sqs: FakeSQS
) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "poison")
    client.start_message_move_task(SourceArn=DLQ_ARN)
    fake_sqs.advance(1)

    first = receive_all(client, source)
    second = receive_all(client, source)

    assert bodies(first) == ["poison"]
    assert second == []
    [again] = receive_all(client, dlq)
    assert again["Attributes"]["DeadLetterQueueSourceArn"] == SOURCE_ARN


def test_standard_redriven_message_keeps_its_retention_clock(
    client: Any, fake_sqs: FakeSQS
) -> None:
    source, dlq = make_pair(client, MessageRetentionPeriod="60")
    dead_letter(client, source, "old")
    fake_sqs.advance(30)
    client.start_message_move_task(SourceArn=DLQ_ARN)
    fake_sqs.advance(1)
    assert (visible(client, source), visible(client, dlq)) == (1, 0)

    fake_sqs.advance(28)
    assert visible(client, source) == 1

    fake_sqs.advance(1)
    assert visible(client, source) == 0
    assert receive_all(client, source) == []


def test_fifo_redrive_to_the_fifo_source_keeps_group_order(client: Any, fake_sqs: FakeSQS) -> None:
    dlq = make_queue(client, "dlq.fifo", FifoQueue="true")
    source = make_queue(
        client,
        "source.fifo",
        FifoQueue="true",
        VisibilityTimeout="0",
        RedrivePolicy=redrive(queue_arn_for("dlq.fifo")),
    )
    for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("a3", "A"), ("b2", "B")]:
        client.send_message(
            QueueUrl=source, MessageBody=body, MessageGroupId=group, MessageDeduplicationId=body
        )
    assert len(receive_all(client, source)) == 5
    assert receive_all(client, source) == []
    client.start_message_move_task(
        SourceArn=queue_arn_for("dlq.fifo"), MaxNumberOfMessagesPerSecond=2
    )

    fake_sqs.advance(1)
    assert (visible(client, source), visible(client, dlq)) == (2, 3)
    fake_sqs.advance(2)
    assert task(client, queue_arn_for("dlq.fifo"))["Status"] == "COMPLETED"

    # A visibility timeout here: a second receive at 0 s would dead-letter a1 again.
    assert bodies(receive_all(client, source, count=1, VisibilityTimeout=30)) == ["a1"]
    received = receive_all(client, source, VisibilityTimeout=30)
    assert bodies(received) == ["b1", "b2"]
    assert [m["Attributes"]["MessageGroupId"] for m in received] == ["B", "B"]
    assert [m["Attributes"]["ApproximateReceiveCount"] for m in received] == ["1", "1"]
    assert all("DeadLetterQueueSourceArn" not in m["Attributes"] for m in received)


# --- cancelling ---------------------------------------------------------------------------------


def test_cancel_reports_messages_moved_and_leaves_the_rest(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b", "c", "d", "e")
    handle = client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)[
        "TaskHandle"
    ]
    fake_sqs.advance(2)

    response = client.cancel_message_move_task(TaskHandle=handle)

    assert {k: v for k, v in response.items() if k != "ResponseMetadata"} == {
        "ApproximateNumberOfMessagesMoved": 2
    }
    fake_sqs.advance(10)
    assert tasks(client) == [
        {
            "Status": "CANCELLED",
            "SourceArn": DLQ_ARN,
            "MaxNumberOfMessagesPerSecond": 1,
            "ApproximateNumberOfMessagesMoved": 2,
            "ApproximateNumberOfMessagesToMove": 5,
            "StartedTimestamp": T0_MS,
        }
    ]
    assert (visible(client, source), visible(client, dlq)) == (2, 3)
    assert bodies(receive_all(client, dlq)) == ["c", "d", "e"]


def test_cancel_before_anything_moved_returns_zero(sqs_client: Any) -> None:
    source, dlq = make_pair(sqs_client)
    dead_letter(sqs_client, source, "a")
    handle = sqs_client.start_message_move_task(SourceArn=DLQ_ARN)["TaskHandle"]

    response = sqs_client.cancel_message_move_task(TaskHandle=handle)

    assert response["ApproximateNumberOfMessagesMoved"] == 0
    assert task(sqs_client)["Status"] == "CANCELLED"
    assert visible(sqs_client, dlq) == 1


def test_cancel_with_a_garbage_handle_is_rejected(client: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        client.cancel_message_move_task(TaskHandle="foobared")

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="Value for parameter TaskHandle is invalid.",
        query_code="InvalidParameterValueException",
    )


def test_cancel_of_an_unknown_task_is_rejected(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b")
    client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)

    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.cancel_message_move_task(
            TaskHandle=fake_handle("10f57157-0000-4000-8000-000000000000", DLQ_ARN)
        )

    assert_error(
        excinfo,
        code="ResourceNotFoundException",
        message="Task does not exist.",
        query_code="ResourceNotFoundException",
        status=404,
    )
    fake_sqs.advance(1)
    assert progress(client, source, dlq) == ("RUNNING", 1, 1, 1)


def test_cancel_of_a_task_whose_source_does_not_exist_is_rejected(client: Any) -> None:
    handle = fake_handle("10f57157-0000-4000-8000-000000000000", queue_arn_for("missing"))

    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.cancel_message_move_task(TaskHandle=handle)

    assert_error(
        excinfo,
        code="ResourceNotFoundException",
        message="The resource that you specified for the SourceArn parameter doesn't exist.",
        query_code="ResourceNotFoundException",
        status=404,
    )


@pytest.mark.parametrize("ending", ["completed", "cancelled"])
def test_cancel_of_a_task_that_has_ended_is_rejected(
    client: Any, fake_sqs: FakeSQS, ending: str
) -> None:
    source, _ = make_pair(client)
    dead_letter(client, source, "a")
    handle = client.start_message_move_task(SourceArn=DLQ_ARN)["TaskHandle"]
    if ending == "cancelled":
        client.cancel_message_move_task(TaskHandle=handle)
    else:
        fake_sqs.advance(1)

    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.cancel_message_move_task(TaskHandle=handle)

    assert_error(
        excinfo,
        code="ResourceNotFoundException",
        message="Task does not exist.",
        query_code="ResourceNotFoundException",
        status=404,
    )
    assert task(client)["Status"] == ending.upper()


# --- failing ------------------------------------------------------------------------------------


def test_destination_deleted_while_running_fails_the_task(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    other = make_queue(client, "other")
    dead_letter(client, source, "a", "b", "c")
    client.start_message_move_task(
        SourceArn=DLQ_ARN, DestinationArn=queue_arn_for("other"), MaxNumberOfMessagesPerSecond=1
    )
    fake_sqs.advance(1)
    assert visible(client, other) == 1
    client.delete_queue(QueueUrl=other)

    fake_sqs.advance(1)

    assert tasks(client) == [
        {
            "Status": "FAILED",
            "SourceArn": DLQ_ARN,
            "DestinationArn": queue_arn_for("other"),
            "MaxNumberOfMessagesPerSecond": 1,
            "ApproximateNumberOfMessagesMoved": 1,
            "ApproximateNumberOfMessagesToMove": 3,
            "FailureReason": NON_EXISTENT_QUEUE,
            "StartedTimestamp": T0_MS,
        }
    ]
    assert bodies(receive_all(client, dlq)) == ["b", "c"]


def test_original_source_deleted_while_running_fails_the_task(
    client: Any, fake_sqs: FakeSQS
) -> None:
    # The fake's choice (unverified): the same failure as a deleted DestinationArn.
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b")
    client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)
    client.delete_queue(QueueUrl=source)

    fake_sqs.advance(5)

    entry = task(client)
    assert (entry["Status"], entry["FailureReason"]) == ("FAILED", NON_EXISTENT_QUEUE)
    assert entry["ApproximateNumberOfMessagesMoved"] == 0
    assert "TaskHandle" not in entry
    assert bodies(receive_all(client, dlq)) == ["a", "b"]


# --- start errors -------------------------------------------------------------------------------


def test_start_with_an_unknown_source_is_rejected(sqs_client: Any) -> None:
    with pytest.raises(sqs_client.exceptions.ResourceNotFoundException) as excinfo:
        sqs_client.start_message_move_task(SourceArn=queue_arn_for("missing"))

    assert_error(
        excinfo,
        code="ResourceNotFoundException",
        message="The resource that you specified for the SourceArn parameter doesn't exist.",
        query_code="ResourceNotFoundException",
        status=404,
    )


def test_start_from_a_queue_that_is_not_a_dead_letter_queue_is_rejected(client: Any) -> None:
    plain = make_queue(client, "plain")
    make_queue(client, "other")
    client.send_message(QueueUrl=plain, MessageBody="stay")

    with pytest.raises(ClientError) as excinfo:
        client.start_message_move_task(
            SourceArn=queue_arn_for("plain"), DestinationArn=queue_arn_for("other")
        )

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="Source queue must be configured as a Dead Letter Queue.",
        query_code="InvalidParameterValueException",
    )
    assert tasks(client, queue_arn_for("plain")) == []
    assert visible(client, plain) == 1


def test_start_with_a_missing_destination_is_rejected(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a")

    with pytest.raises(client.exceptions.ResourceNotFoundException) as excinfo:
        client.start_message_move_task(SourceArn=DLQ_ARN, DestinationArn=SOURCE_ARN + "doesntexist")

    assert_error(
        excinfo,
        code="ResourceNotFoundException",
        message="The resource that you specified for the DestinationArn parameter doesn't exist.",
        query_code="ResourceNotFoundException",
        status=404,
    )
    fake_sqs.advance(1)
    assert tasks(client) == []
    assert visible(client, dlq) == 1


def test_start_with_a_destination_of_the_other_queue_type_is_rejected(client: Any) -> None:
    # Text is the fake's (unverified).
    make_pair(client)
    make_queue(client, "other.fifo", FifoQueue="true")

    with pytest.raises(ClientError) as excinfo:
        client.start_message_move_task(
            SourceArn=DLQ_ARN, DestinationArn=queue_arn_for("other.fifo")
        )

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="The source queue and the destination queue must be of the same type.",
        query_code="InvalidParameterValueException",
    )
    assert tasks(client) == []


@pytest.mark.parametrize("rate", [0, 501])
def test_start_with_a_rate_out_of_range_is_rejected(client: Any, rate: int) -> None:
    # Text is the fake's (unverified).
    make_pair(client)

    with pytest.raises(ClientError) as excinfo:
        client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=rate)

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message=f"Value {rate} for parameter MaxNumberOfMessagesPerSecond is invalid. "
        "Reason: Must be between 1 and 500.",
        query_code="InvalidParameterValueException",
    )
    assert tasks(client) == []


@pytest.mark.parametrize("rate", [1, 500])
def test_start_with_a_rate_at_the_bounds_is_accepted(client: Any, rate: int) -> None:
    make_pair(client)

    client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=rate)

    assert task(client)["MaxNumberOfMessagesPerSecond"] == rate


def test_second_task_while_one_runs_is_rejected(client: Any, fake_sqs: FakeSQS) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b")
    handle = client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)[
        "TaskHandle"
    ]

    with pytest.raises(ClientError) as excinfo:
        client.start_message_move_task(SourceArn=DLQ_ARN)

    assert type(excinfo.value) is ClientError
    assert_error(
        excinfo,
        code="InvalidParameterValue",
        message="There is already a task running. Only one active task is allowed for a source "
        "queue arn at a given time.",
        query_code="InvalidParameterValueException",
    )
    assert [entry.get("TaskHandle") for entry in tasks(client, MaxResults=10)] == [handle]
    fake_sqs.advance(1)
    assert progress(client, source, dlq) == ("RUNNING", 1, 1, 1)


@pytest.mark.parametrize("ending", ["completed", "cancelled"])
def test_new_task_is_allowed_once_the_previous_one_ended(
    client: Any, fake_sqs: FakeSQS, ending: str
) -> None:
    source, dlq = make_pair(client)
    dead_letter(client, source, "a", "b")
    first = client.start_message_move_task(SourceArn=DLQ_ARN, MaxNumberOfMessagesPerSecond=1)[
        "TaskHandle"
    ]
    fake_sqs.advance(1)
    if ending == "cancelled":
        client.cancel_message_move_task(TaskHandle=first)
    else:
        fake_sqs.advance(1)
    assert task(client)["Status"] == ending.upper()

    second = client.start_message_move_task(SourceArn=DLQ_ARN)["TaskHandle"]

    assert second != first
    fake_sqs.advance(1)
    assert [entry["Status"] for entry in tasks(client, MaxResults=10)] == [
        "COMPLETED",
        ending.upper(),
    ]
    assert visible(client, dlq) == 0


def test_fifo_task_that_fails_leaves_the_rest_in_group_order(
    client: Any, fake_sqs: FakeSQS
) -> None:
    dlq = make_queue(client, "dlq.fifo", FifoQueue="true")
    source = make_queue(
        client,
        "source.fifo",
        FifoQueue="true",
        VisibilityTimeout="0",
        RedrivePolicy=redrive(queue_arn_for("dlq.fifo")),
    )
    other = make_queue(client, "other.fifo", FifoQueue="true")
    for body in ("a1", "a2", "a3"):
        client.send_message(
            QueueUrl=source, MessageBody=body, MessageGroupId="A", MessageDeduplicationId=body
        )
    assert len(receive_all(client, source)) == 3
    assert receive_all(client, source) == []
    client.start_message_move_task(
        SourceArn=queue_arn_for("dlq.fifo"),
        DestinationArn=queue_arn_for("other.fifo"),
        MaxNumberOfMessagesPerSecond=1,
    )
    fake_sqs.advance(1)
    assert bodies(receive_all(client, other)) == ["a1"]
    client.delete_queue(QueueUrl=other)

    fake_sqs.advance(5)

    entry = task(client, queue_arn_for("dlq.fifo"))
    assert (entry["Status"], entry["ApproximateNumberOfMessagesMoved"]) == ("FAILED", 1)
    assert bodies(receive_all(client, dlq)) == ["a2", "a3"]
