"""The standard queue model: storage, receive order, visibility, delays, retention, purge."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pytest_fakesqs import _errors as errors
from pytest_fakesqs._model.message import Fate, Message, MessageState
from pytest_fakesqs._model.queue import MAX_IN_FLIGHT_STANDARD, Queue
from pytest_fakesqs._model.receipts import make_receipt_handle

# The model is pure Python: it imports with botocore and boto3 unavailable.
_IMPORT = subprocess.run(
    [
        sys.executable,
        "-c",
        "import sys; sys.modules['botocore'] = sys.modules['boto3'] = None; "
        "import pytest_fakesqs._model.queue, pytest_fakesqs._model.message",
    ],
    capture_output=True,
    text=True,
    check=False,
)
assert _IMPORT.returncode == 0, _IMPORT.stderr

NOW = 1_700_000_000.0
DLQ_ARN = "arn:aws:sqs:us-east-1:123456789012:jobs-dlq"


def counts(queue: Queue) -> tuple[int, int, int]:
    """(visible, in flight, delayed)."""
    return queue.visible_count, queue.in_flight_count, queue.delayed_count


def assert_invalid_parameter(excinfo: pytest.ExceptionInfo[errors.SQSError], text: str) -> None:
    assert excinfo.value.kind is errors.INVALID_PARAMETER_VALUE
    assert excinfo.value.message == text


def test_receive_returns_oldest_first_and_counts_are_exact(make_queue, send, nonce):
    queue = make_queue()
    a, b, c = (send(queue, body) for body in "abc")
    assert counts(queue) == (3, 0, 0)

    received = queue.receive(2, 30, NOW + 1, nonce)

    assert received == [a, b]
    assert counts(queue) == (1, 2, 0)
    assert len(queue) == 3
    assert [m.state for m in (a, b, c)] == [
        MessageState.IN_FLIGHT,
        MessageState.IN_FLIGHT,
        MessageState.VISIBLE,
    ]
    assert (a.receive_count, a.first_receive_ms, a.received_at) == (1, 1_700_000_001_000, NOW + 1)
    assert a.receipt_handle == make_receipt_handle(queue.arn, a.message_id, 1, 1)
    assert b.receipt_handle == make_receipt_handle(queue.arn, b.message_id, 1, 2)
    assert c.receipt_handle is None


def test_visibility_ends_exactly_at_the_timeout(make_queue, send, nonce):
    queue = make_queue()
    message = send(queue, "a")
    queue.receive(1, 30, NOW, nonce)
    first_handle = message.receipt_handle

    queue.refresh(NOW + 29.999)
    assert counts(queue) == (0, 1, 0)
    queue.refresh(NOW + 30)
    assert counts(queue) == (1, 0, 0)

    assert queue.receive(10, 30, NOW + 31, nonce) == [message]
    assert message.receive_count == 2
    assert message.first_receive_ms == 1_700_000_000_000
    assert message.receipt_handle == make_receipt_handle(queue.arn, message.message_id, 2, 2)
    assert message.receipt_handle != first_handle


def test_queue_delay_applies_unless_the_message_sets_its_own(make_queue, send, nonce):
    queue = make_queue(attributes={"DelaySeconds": "10"})
    delayed = send(queue, "queue-delay")
    immediate = send(queue, "no-delay", delay=0)
    longer = send(queue, "own-delay", delay=20)
    assert counts(queue) == (1, 0, 2)
    assert queue.next_change_at() == NOW + 10

    assert queue.receive(10, 30, NOW + 9.999, nonce) == [immediate]
    queue.refresh(NOW + 10)
    assert counts(queue) == (1, 1, 1)
    assert queue.next_change_at() == NOW + 20
    assert queue.receive(10, 30, NOW + 20, nonce) == [delayed, longer]
    assert counts(queue) == (0, 3, 0)


def test_retention_removes_messages_in_every_state_at_the_exact_cutoff(make_queue, send, nonce):
    queue = make_queue(attributes={"MessageRetentionPeriod": "60"})
    received = send(queue, "received")
    waiting = send(queue, "waiting")
    assert queue.receive(1, 30, NOW, nonce) == [received]
    late = send(queue, "late", now=NOW + 10, delay=100)
    assert counts(queue) == (1, 1, 1)
    assert queue.next_expiry_at() == NOW + 60

    queue.refresh(NOW + 59.999)
    assert len(queue) == 3

    values = queue.attribute_values(NOW + 60)
    assert (
        values["ApproximateNumberOfMessages"],
        values["ApproximateNumberOfMessagesNotVisible"],
        values["ApproximateNumberOfMessagesDelayed"],
    ) == ("0", "0", "1")
    assert queue.find(received.message_id, NOW + 60) is None
    assert queue.find(waiting.message_id, NOW + 60) is None
    assert queue.find(late.message_id, NOW + 60) is late
    assert received.state is waiting.state is MessageState.GONE
    assert queue.next_expiry_at() == NOW + 70

    queue.refresh(NOW + 70)
    assert (len(queue), counts(queue)) == (0, (0, 0, 0))
    assert queue.next_expiry_at() is None
    assert queue.next_change_at() is None


def test_a_moved_in_message_keeps_the_retention_start_it_is_given(make_queue, send, nonce):
    queue = make_queue(attributes={"MessageRetentionPeriod": "60"})
    moved = send.message(queue, "moved", now=NOW - 50)
    delayed = send.message(queue, "delayed", now=NOW - 50)

    queue.add(moved, 0, NOW, retention_from=NOW - 50)
    queue.add(delayed, 5, NOW, retention_from=NOW)

    assert (counts(queue), moved.available_at, delayed.available_at) == ((1, 0, 1), NOW, NOW + 5)
    assert queue.next_expiry_at() == NOW + 10
    queue.refresh(NOW + 9.999)
    assert len(queue) == 2
    queue.refresh(NOW + 10)
    assert (len(queue), counts(queue), queue.next_expiry_at()) == (1, (1, 0, 0), NOW + 60)
    assert queue.receive(10, 30, NOW + 10, nonce) == [delayed]


def test_purge_drops_every_message_and_resets_the_counters(make_queue, send, nonce):
    queue = make_queue()
    send(queue, "in-flight")
    queue.receive(1, 30, NOW, nonce)
    send(queue, "visible")
    send(queue, "delayed", delay=5)
    assert counts(queue) == (1, 1, 1)

    queue.purge(NOW + 1)

    assert (len(queue), counts(queue), queue.last_purge_at) == (0, (0, 0, 0), NOW + 1)
    assert queue.next_change_at() is None
    assert queue.next_expiry_at() is None
    assert queue.receive(10, 30, NOW + 100, nonce) == []
    after = send(queue, "after", now=NOW + 2)
    assert queue.receive(10, 30, NOW + 2, nonce) == [after]


def test_changing_visibility_twice_leaves_stale_schedule_entries_that_never_fire(
    make_queue, send, nonce
):
    queue = make_queue()
    message = send(queue, "a")
    queue.receive(1, 30, NOW, nonce)
    handle = message.receipt_handle
    queue.change_visibility_by_handle(message, handle, 100, NOW + 1)  # until NOW + 101
    queue.change_visibility_by_handle(message, handle, 5, NOW + 2)  # until NOW + 7
    assert queue.next_change_at() == NOW + 7
    assert message.available_at == NOW + 7

    queue.refresh(NOW + 6.999)
    assert counts(queue) == (0, 1, 0)
    queue.refresh(NOW + 7)
    assert counts(queue) == (1, 0, 0)

    assert queue.receive(10, 1000, NOW + 8, nonce) == [message]  # in flight until NOW + 1008
    # The entries for NOW + 30 and NOW + 101 are stale: passing them changes nothing.
    queue.refresh(NOW + 101)
    assert counts(queue) == (0, 1, 0)
    assert message.state is MessageState.IN_FLIGHT
    assert queue.next_change_at() == NOW + 1008
    assert queue.receive(10, 30, NOW + 500, nonce) == []


def test_next_change_at_skips_deleted_messages(make_queue, send, nonce):
    queue = make_queue()
    later = send(queue, "later", delay=20)
    sooner = send(queue, "sooner", delay=10)
    assert queue.next_change_at() == NOW + 10

    queue.delete_by_handle(sooner, "", NOW + 1)
    assert queue.next_change_at() == NOW + 20
    queue.delete_by_handle(later, "", NOW + 1)
    assert queue.next_change_at() is None
    assert (len(queue), counts(queue)) == (0, (0, 0, 0))


def test_visibility_timeout_zero_makes_the_message_visible_at_once(make_queue, send, nonce):
    queue = make_queue()
    message = send(queue, "a")
    queue.receive(1, 30, NOW, nonce)

    queue.change_visibility_by_handle(message, message.receipt_handle, 0, NOW + 3)

    assert counts(queue) == (1, 0, 0)
    assert queue.receive(1, 30, NOW + 3, nonce) == [message]
    assert message.receive_count == 2


def test_standard_queue_changes_visibility_with_an_older_handle(make_queue, send, nonce):
    """Recorded on AWS: receive (VisibilityTimeout=0) gives h1, a second receive puts the
    message in flight for 3 s, ChangeMessageVisibility(h1, 0) makes it visible again."""
    queue = make_queue()
    message = send(queue, "a")
    queue.receive(1, 0, NOW, nonce)
    old_handle = message.receipt_handle
    queue.receive(1, 3, NOW, nonce)
    assert message.receipt_handle != old_handle

    queue.change_visibility_by_handle(message, old_handle, 0, NOW + 1)
    assert counts(queue) == (1, 0, 0)
    assert queue.receive(1, 30, NOW + 1, nonce) == [message]
    assert message.receive_count == 3


def test_standard_queue_leaves_a_message_no_longer_in_flight_as_it_is(make_queue, send, nonce):
    queue = make_queue()
    message = send(queue, "a")
    queue.receive(1, 10, NOW, nonce)

    # Its visibility already ended: accepted with no effect (recorded on AWS).
    queue.change_visibility_by_handle(message, message.receipt_handle, 300, NOW + 10)
    assert (counts(queue), message.state) == ((1, 0, 0), MessageState.VISIBLE)


def test_visibility_change_of_a_deleted_message_is_rejected(make_queue):
    queue = make_queue()
    with pytest.raises(errors.SQSError) as excinfo:
        queue.change_visibility_by_handle(None, "AQEBhandle", 10, NOW)
    assert_invalid_parameter(
        excinfo,
        "Value AQEBhandle for parameter ReceiptHandle is invalid. Reason: Message does not "
        "exist or is not available for visibility timeout change.",
    )


def test_total_visibility_may_not_exceed_twelve_hours_from_the_receive(make_queue, send, nonce):
    queue = make_queue()
    message = send(queue, "a")
    queue.receive(1, 300, NOW, nonce)

    with pytest.raises(errors.SQSError) as excinfo:
        queue.change_visibility_by_handle(message, message.receipt_handle, 43101, NOW + 100)
    assert_invalid_parameter(
        excinfo,
        "Value 43101 for parameter VisibilityTimeout is invalid. Reason: Total "
        "VisibilityTimeout for the message is beyond the limit [43200 seconds]",
    )
    assert (message.available_at, counts(queue)) == (NOW + 300, (0, 1, 0))

    queue.change_visibility_by_handle(message, message.receipt_handle, 43100, NOW + 100)
    assert message.available_at == NOW + 43200


def test_standard_queue_deletes_with_an_older_handle(make_queue, send, nonce):
    queue = make_queue()
    message = send(queue, "a")
    queue.receive(1, 10, NOW, nonce)
    old_handle = message.receipt_handle
    queue.receive(1, 10, NOW + 10, nonce)

    queue.delete_by_handle(message, old_handle, NOW + 11)
    assert (len(queue), counts(queue), message.state) == (0, (0, 0, 0), MessageState.GONE)
    queue.delete_by_handle(None, old_handle, NOW + 12)  # already gone: not an error
    assert queue.find(message.message_id, NOW + 12) is None


def test_dead_letter_mover_is_asked_once_the_receive_count_is_reached(make_queue, send, nonce):
    policy = json.dumps({"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": 2})
    queue = make_queue(attributes={"RedrivePolicy": policy})
    message = send(queue, "a")
    calls: list[tuple[Queue, Message, float]] = []
    target_exists = False

    def mover(source: Queue, moving: Message, now: float) -> bool:
        calls.append((source, moving, now))
        if target_exists:
            source.take_for_move(moving, Fate.DEAD_LETTERED)
        return target_exists

    assert queue.receive(1, 0, NOW, nonce, mover) == [message]
    assert queue.receive(1, 0, NOW + 1, nonce, mover) == [message]
    assert calls == []
    # The target is missing: the mover declines and the message is delivered a third time.
    assert queue.receive(1, 0, NOW + 2, nonce, mover) == [message]
    assert (calls, message.receive_count) == ([(queue, message, NOW + 2)], 3)

    target_exists = True
    assert queue.receive(1, 0, NOW + 3, nonce, mover) == []
    assert calls[-1] == (queue, message, NOW + 3)
    assert (len(queue), counts(queue), message.state) == (0, (0, 0, 0), MessageState.GONE)


def test_new_queue_has_the_sqs_default_attributes(make_queue):
    queue = make_queue(now=NOW + 0.75)
    assert queue.attributes == {
        "DelaySeconds": "0",
        "MaximumMessageSize": "1048576",
        "MessageRetentionPeriod": "345600",
        "ReceiveMessageWaitTimeSeconds": "0",
        "VisibilityTimeout": "30",
        "SqsManagedSseEnabled": "true",
    }
    assert queue.attribute_values(NOW + 5) == {
        **queue.attributes,
        "QueueArn": "arn:aws:sqs:us-east-1:123456789012:jobs",
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
        "CreatedTimestamp": "1700000000",
        "LastModifiedTimestamp": "1700000000",
    }


def test_setting_attributes_updates_typed_fields_and_modified_time(make_queue):
    queue = make_queue()
    policy = json.dumps({"deadLetterTargetArn": DLQ_ARN, "maxReceiveCount": 5})

    queue.set_attributes({"VisibilityTimeout": "45", "RedrivePolicy": policy}, NOW + 61.5)

    assert (queue.visibility_timeout, queue.redrive_target_arn, queue.max_receive_count) == (
        45,
        DLQ_ARN,
        5,
    )
    assert queue.attribute_values(NOW + 62)["LastModifiedTimestamp"] == "1700000061"
    assert queue.attributes["RedrivePolicy"] == policy

    queue.set_attributes({"RedrivePolicy": ""}, NOW + 70)
    assert "RedrivePolicy" not in queue.attributes
    assert (queue.redrive_target_arn, queue.max_receive_count) == (None, 0)


def test_a_kms_key_replaces_sqs_managed_encryption(make_queue):
    queue = make_queue(attributes={"KmsMasterKeyId": "alias/jobs"})
    assert (
        queue.attributes["KmsMasterKeyId"],
        queue.attributes["KmsDataKeyReusePeriodSeconds"],
        queue.attributes["SqsManagedSseEnabled"],
    ) == ("alias/jobs", "300", "false")

    queue.set_attributes({"KmsMasterKeyId": ""}, NOW + 1)
    assert "KmsMasterKeyId" not in queue.attributes
    assert "KmsDataKeyReusePeriodSeconds" not in queue.attributes


def test_standard_queue_rejects_a_deduplication_id(make_queue):
    queue = make_queue()
    queue.check_outgoing("body", None, "group-1", None, in_batch=False)  # group ids are fine
    with pytest.raises(errors.SQSError) as excinfo:
        queue.check_outgoing("body", None, None, "dedup-1", in_batch=False)
    assert_invalid_parameter(
        excinfo,
        "Value dedup-1 for parameter MessageDeduplicationId is invalid. Reason: The request "
        "include parameter that is not valid for this queue type.",
    )


def test_messages_lists_every_stored_message_oldest_first(make_queue, send, nonce):
    queue = make_queue()
    a, b, c = (send(queue, body) for body in "abc")
    queue.receive(1, 30, NOW, nonce)
    queue.delete_by_handle(b, "", NOW)

    assert list(queue.messages()) == [a, c]
    assert len(queue) == 2
    assert queue.describe() == {
        "name": "jobs",
        "url": "https://sqs.us-east-1.amazonaws.com/123456789012/jobs",
        "arn": "arn:aws:sqs:us-east-1:123456789012:jobs",
    }


# --- bounded memory ---------------------------------------------------------------------------


def test_the_gone_messages_kept_are_the_last_ones_and_the_dropped_are_counted(
    make_queue, send, nonce
):
    queue = make_queue()
    queue.keep_gone(2)
    a, b, c, d = (send(queue, body) for body in "abcd")
    received = queue.receive(3, 30, NOW, nonce)
    assert received == [a, b, c]
    for message in (c, a, b):  # deleted out of send order
        queue.delete_by_handle(message, message.receipt_handle, NOW)

    assert list(queue.gone) == [a, b]  # the last two to leave, in the order they left
    assert queue.gone_dropped == 1
    # The history: every stored message and the gone ones kept, in the order they entered.
    assert queue.history() == [a, b, d]

    queue.purge(NOW)
    assert list(queue.gone) == [b, d]
    assert queue.gone_dropped == 2
    assert queue.history() == [b, d]


def test_no_limit_keeps_every_gone_message_and_no_history_keeps_none(make_queue, send, nonce):
    everything, nothing = make_queue("everything"), make_queue("nothing")
    everything.keep_gone(None)
    nothing.keep_gone(None, keep=False)
    for queue in (everything, nothing):
        for n in range(50):
            send(queue, str(n))
        queue.purge(NOW)

    assert [m.body for m in everything.history()] == [str(n) for n in range(50)]
    assert everything.gone_dropped == 0
    assert (nothing.gone, nothing.history(), nothing.gone_dropped) == (None, None, 0)


@pytest.mark.parametrize("limit", [None, 10])
def test_a_frozen_send_receive_delete_loop_keeps_its_heaps_small(make_queue, send, nonce, limit):
    # With a frozen clock, nothing ever comes due: without compaction, every deleted message
    # would stay in the in-flight heap and the retention heap, alive, for ever.
    queue = make_queue()
    queue.keep_gone(limit)
    kept = send(queue, "kept")  # one message stays stored throughout
    for n in range(5_000):
        message = send(queue, f"job {n}")
        queue.receive(10, 30, NOW, nonce)
        queue.delete_by_handle(message, message.receipt_handle, NOW)
        queue.change_visibility_by_handle(kept, kept.receipt_handle, 0, NOW)

    assert len(queue) == 1
    slack = 1024  # the stale entries a heap may hold beyond twice its live ones
    for heap in (queue._ready, queue._pending, queue._expiry):
        assert len(heap) <= 2 * len(queue) + slack + 1
    # Compaction never loses a live entry: what is stored is still delivered, in order.
    assert queue.receive(10, 30, NOW, nonce) == [kept]
    queue.change_visibility_by_handle(kept, kept.receipt_handle, 0, NOW)
    fresh = send(queue, "fresh")
    assert queue.receive(10, 30, NOW, nonce) == [kept, fresh]
    assert queue.next_expiry_at() == NOW + 345_600


def test_at_the_in_flight_limit_a_short_poll_is_refused_and_a_long_poll_gets_nothing(
    make_queue, send, nonce
):
    # AWS's standard-queue quota page: about 120,000 messages in flight; at the limit a short
    # poll gets OverLimit, a long poll no error and no messages. (The text is the fake's.)
    queue = make_queue()
    for n in range(MAX_IN_FLIGHT_STANDARD + 1):
        send(queue, str(n))
    while queue.in_flight_count < MAX_IN_FLIGHT_STANDARD:
        queue.receive(10, 300, NOW, nonce)
    assert counts(queue) == (1, MAX_IN_FLIGHT_STANDARD, 0)

    with pytest.raises(errors.SQSError) as excinfo:
        queue.receive(1, 300, NOW, nonce, short_poll=True)
    assert excinfo.value.kind is errors.OVER_LIMIT
    assert (excinfo.value.kind.status, excinfo.value.message) == (
        403,
        "Too many messages in flight for queue jobs. The in-flight limit is 120000 messages.",
    )
    assert queue.receive(1, 300, NOW, nonce, short_poll=False) == []
    assert counts(queue) == (1, MAX_IN_FLIGHT_STANDARD, 0)

    # One message out of flight, and both kinds of receive deliver again.
    in_flight = next(m for m in queue.messages() if m.state is MessageState.IN_FLIGHT)
    queue.delete_by_handle(in_flight, in_flight.receipt_handle, NOW)
    [last] = queue.receive(1, 300, NOW, nonce, short_poll=True)
    assert last.body == str(MAX_IN_FLIGHT_STANDARD)
    assert counts(queue) == (0, MAX_IN_FLIGHT_STANDARD, 0)
