"""The FIFO queue model: message groups, group order, deduplication, sequence numbers."""

from __future__ import annotations

import hashlib
import itertools
import subprocess
import sys

import pytest

from pytest_fakesqs import _errors as errors
from pytest_fakesqs._model.fifo_queue import FifoQueue
from pytest_fakesqs._model.message import Message, MessageState

# The model is pure Python: it imports with botocore and boto3 unavailable.
_IMPORT = subprocess.run(
    [
        sys.executable,
        "-c",
        "import sys; sys.modules['botocore'] = sys.modules['boto3'] = None; "
        "import pytest_fakesqs._model.fifo_queue",
    ],
    capture_output=True,
    text=True,
    check=False,
)
assert _IMPORT.returncode == 0, _IMPORT.stderr

NOW = 1_700_000_000.0
_dedup_ids = itertools.count(1)


@pytest.fixture
def fifo(make_queue) -> FifoQueue:
    return make_queue("jobs.fifo")


@pytest.fixture
def put(send):
    """Send to a group with a fresh deduplication id unless one is given."""

    def put(queue: FifoQueue, body: str, group: str, **options) -> Message:
        options.setdefault("deduplication_id", f"dedup-{next(_dedup_ids)}")
        return send(queue, body, group_id=group, **options)

    return put


def bodies(messages: list[Message]) -> list[str]:
    return [message.body for message in messages]


def sequence(nth: int) -> str:
    """The sequence number an unseeded FIFO queue gives its ``nth`` stored message."""
    return f"{18_000_000_000_000_000_000 + nth:020d}"


def test_one_receive_takes_whole_groups_oldest_group_first(fifo, put, nonce):
    for body, group in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("c1", "C"), ("b2", "B")]:
        put(fifo, body, group)

    assert bodies(fifo.receive(3, 30, NOW, nonce)) == ["a1", "a2", "b1"]
    # B is locked by b1 in flight, so b2 waits even though it is visible.
    assert bodies(fifo.receive(10, 30, NOW, nonce)) == ["c1"]
    assert (fifo.visible_count, fifo.in_flight_count, fifo.delayed_count) == (1, 4, 0)


def test_an_in_flight_first_message_holds_its_group_until_deleted(fifo, put, nonce):
    a1 = put(fifo, "a1", "A")
    put(fifo, "a2", "A")
    put(fifo, "b1", "B")

    assert fifo.receive(1, 30, NOW, nonce) == [a1]
    assert bodies(fifo.receive(10, 30, NOW + 1, nonce)) == ["b1"]
    assert fifo.receive(10, 30, NOW + 2, nonce) == []

    fifo.delete_by_handle(a1, a1.receipt_handle, NOW + 3)
    assert bodies(fifo.receive(10, 30, NOW + 3, nonce)) == ["a2"]


def test_a_message_whose_visibility_ends_is_redelivered_before_the_rest_of_its_group(
    fifo, put, nonce
):
    a1 = put(fifo, "a1", "A")
    put(fifo, "a2", "A")
    fifo.receive(1, 30, NOW, nonce)

    assert fifo.receive(10, 30, NOW + 29.999, nonce) == []
    assert bodies(fifo.receive(10, 30, NOW + 30, nonce)) == ["a1", "a2"]
    assert a1.receive_count == 2


def test_changing_visibility_twice_holds_the_group_until_the_last_deadline(fifo, put, nonce):
    a1 = put(fifo, "a1", "A")
    fifo.receive(1, 30, NOW, nonce)
    fifo.change_visibility_by_handle(a1, a1.receipt_handle, 100, NOW + 1)  # until NOW + 101
    fifo.change_visibility_by_handle(a1, a1.receipt_handle, 5, NOW + 2)  # until NOW + 7
    assert fifo.next_change_at() == NOW + 7

    assert fifo.receive(10, 1000, NOW + 7, nonce) == [a1]  # in flight until NOW + 1007
    put(fifo, "a2", "A", now=NOW + 8)
    # Passing the stale deadlines (NOW + 30, NOW + 101) must not release group A.
    assert fifo.receive(10, 30, NOW + 200, nonce) == []
    assert (fifo.visible_count, fifo.in_flight_count) == (1, 1)
    assert fifo.next_change_at() == NOW + 1007


@pytest.mark.parametrize(
    ("extended", "delivered"),
    [("foo", []), ("bar", ["foo"]), ("baz", ["foo", "bar"])],
)
def test_a_group_is_delivered_up_to_its_first_message_in_flight(
    fifo, put, nonce, extended, delivered
):
    """Recorded on AWS (test_fifo_group_visibility_extends_with_change_message_visibility):
    all three received with VisibilityTimeout=1, one extended to 4 s, a receive 2.5 s later."""
    messages = {body: put(fifo, body, "g1") for body in ("foo", "bar", "baz")}
    assert bodies(fifo.receive(10, 1, NOW, nonce)) == ["foo", "bar", "baz"]
    message = messages[extended]
    fifo.change_visibility_by_handle(message, message.receipt_handle, 4, NOW)

    assert bodies(fifo.receive(10, 30, NOW + 2.5, nonce)) == delivered


def test_ready_groups_are_served_in_the_order_their_first_message_became_available(
    fifo, put, nonce
):
    """Recorded on AWS (test_fifo_empty_message_groups_added_back_to_queue family): a group
    just served goes behind the groups that were already waiting. All at one instant: the
    order of events decides, not the clock."""
    for body in ("g1-m1", "g2-m1", "g2-m2", "g3-m1", "g1-m2"):
        put(fifo, body, body[:2])

    assert bodies(fifo.receive(3, 0, NOW, nonce)) == ["g1-m1", "g1-m2", "g2-m1"]
    assert bodies(fifo.receive(10, 0, NOW, nonce)) == [
        "g3-m1",
        "g1-m1",
        "g1-m2",
        "g2-m1",
        "g2-m2",
    ]


def test_a_message_made_visible_again_queues_its_group_behind_later_sends(fifo, put, nonce):
    """Recorded on AWS: g1 = [m1, m2] both in flight, g2-m1 sent, m1 made visible: g2 first,
    and g1 only up to m2, still in flight."""
    m1 = put(fifo, "g1-m1", "g1")
    put(fifo, "g1-m2", "g1")
    assert len(fifo.receive(10, 30, NOW, nonce)) == 2
    put(fifo, "g2-m1", "g2", now=NOW + 1)
    fifo.change_visibility_by_handle(m1, m1.receipt_handle, 0, NOW + 2)

    assert bodies(fifo.receive(10, 30, NOW + 2, nonce)) == ["g2-m1", "g1-m1"]


def test_a_visibility_timeout_that_ends_queues_its_group_at_that_moment(fifo, put, nonce):
    """When a timeout ends counts, not when the fake next looks: a1 came back at NOW + 10,
    before b1 was sent at NOW + 20, although no call happened in between."""
    put(fifo, "a1", "A")
    fifo.receive(1, 10, NOW, nonce)
    put(fifo, "b1", "B", now=NOW + 20)

    assert bodies(fifo.receive(10, 30, NOW + 21, nonce)) == ["a1", "b1"]


def test_deleting_the_first_message_lets_the_next_one_go_in_its_own_place(fifo, put, nonce):
    """A never-received message waits from its send: once the message before it is deleted,
    its group goes before groups whose first message was sent later."""
    a1 = put(fifo, "a1", "A")
    put(fifo, "a2", "A")
    fifo.receive(1, 30, NOW, nonce)
    put(fifo, "b1", "B", now=NOW + 1)
    fifo.delete_by_handle(a1, a1.receipt_handle, NOW + 2)

    assert bodies(fifo.receive(10, 30, NOW + 2, nonce)) == ["a2", "b1"]


def test_only_the_latest_handle_settles_a_fifo_message(fifo, put, nonce):
    a1 = put(fifo, "a1", "A")
    fifo.receive(1, 30, NOW, nonce)
    old_handle = a1.receipt_handle
    fifo.receive(1, 30, NOW + 30, nonce)
    expired = (
        f"Value {old_handle} for parameter ReceiptHandle is invalid. "
        "Reason: The receipt handle has expired."
    )

    with pytest.raises(errors.SQSError) as deleting:
        fifo.delete_by_handle(a1, old_handle, NOW + 31)
    with pytest.raises(errors.SQSError) as changing:
        fifo.change_visibility_by_handle(a1, old_handle, 0, NOW + 31)

    for excinfo in (deleting, changing):
        assert (excinfo.value.kind, excinfo.value.message) == (
            errors.INVALID_PARAMETER_VALUE,
            expired,
        )
    assert (len(fifo), a1.state, a1.available_at) == (1, MessageState.IN_FLIGHT, NOW + 60)

    # Once its visibility ended, even the latest handle has expired. (DeleteMessage looks the
    # message up with find(), which plays the schedule up to now, before deleting.)
    assert fifo.find(a1.message_id, NOW + 60) is a1
    with pytest.raises(errors.SQSError) as late:
        fifo.delete_by_handle(a1, a1.receipt_handle, NOW + 60)
    assert late.value.message == expired.replace(old_handle, a1.receipt_handle)
    assert len(fifo) == 1


def test_a_deduplication_id_is_remembered_for_exactly_five_minutes(fifo, put):
    first = put(fifo, "first", "A", deduplication_id="d1")

    duplicate = put(fifo, "again", "B", deduplication_id="d1", now=NOW + 299.999)
    assert duplicate is first
    assert (len(fifo), first.sequence_number) == (1, sequence(1))

    fresh = put(fifo, "fresh", "A", deduplication_id="d1", now=NOW + 300)
    assert fresh is not first
    assert (len(fifo), fresh.sequence_number) == (2, sequence(2))


def test_a_duplicate_of_a_deleted_message_is_accepted_but_never_delivered(fifo, put, nonce):
    first = put(fifo, "first", "A", deduplication_id="d1")
    fifo.receive(1, 30, NOW, nonce)
    fifo.delete_by_handle(first, first.receipt_handle, NOW + 1)

    assert put(fifo, "first", "A", deduplication_id="d1", now=NOW + 2) is first
    assert (len(fifo), fifo.receive(10, 30, NOW + 2, nonce)) == (0, [])


def test_content_based_deduplication_uses_the_sha256_of_the_body(make_queue, send):
    queue = make_queue("jobs.fifo", attributes={"ContentBasedDeduplication": "true"})
    first = send(queue, "payload", group_id="A")
    assert first.deduplication_id == hashlib.sha256(b"payload").hexdigest()

    assert send(queue, "payload", group_id="B", now=NOW + 1) is first
    other = send(queue, "other", group_id="A", now=NOW + 1)
    assert (len(queue), other.deduplication_id) == (2, hashlib.sha256(b"other").hexdigest())


def test_message_group_scope_deduplicates_within_each_group_only(make_queue, put):
    queue = make_queue("jobs.fifo", attributes={"DeduplicationScope": "messageGroup"})
    in_a = put(queue, "x", "A", deduplication_id="d1")
    in_b = put(queue, "x", "B", deduplication_id="d1")

    assert in_b is not in_a
    assert put(queue, "x", "A", deduplication_id="d1") is in_a
    assert len(queue) == 2


def test_sequence_numbers_increase_and_duplicates_do_not_use_one(fifo, put):
    first = put(fifo, "1", "A", deduplication_id="d1")
    put(fifo, "1 again", "A", deduplication_id="d1")
    second = put(fifo, "2", "B")
    later = put(fifo, "3", "A", now=NOW + 1)

    # Unseeded: from 18 * 10**18 in steps of one, whatever the clock says.
    assert [first.sequence_number, second.sequence_number, later.sequence_number] == [
        "18000000000000000001",
        "18000000000000000002",
        "18000000000000000003",
    ]


def test_seeded_sequence_numbers_start_and_step_by_the_draw(make_queue, put):
    queue = make_queue("seeded.fifo")
    queue.start_sequences((7 << 48) + 123)  # start 123, stride 1 + 7
    numbers = [put(queue, str(n), "A").sequence_number for n in range(2)]
    assert numbers == ["18000000000000000131", "18000000000000000139"]


def test_a_retried_receive_attempt_returns_the_same_messages_and_handles(fifo, put, nonce):
    for body in ("a1", "a2", "a3"):
        put(fifo, body, "A")
    received = fifo.receive(2, 30, NOW, nonce, attempt_id="attempt-1")
    handles = [message.receipt_handle for message in received]

    retried = fifo.receive(2, 30, NOW + 10, nonce, attempt_id="attempt-1")
    assert retried == received
    assert [message.receipt_handle for message in retried] == handles
    assert [message.receive_count for message in retried] == [1, 1]

    # Once one of its messages changed, the attempt id starts a new receive.
    fifo.change_visibility_by_handle(received[0], handles[0], 0, NOW + 11)
    again = fifo.receive(2, 30, NOW + 11, nonce, attempt_id="attempt-1")
    # a1 came back and comes first in group A; a2 is still in flight, so it stops there.
    assert bodies(again) == ["a1"]
    assert again[0].receipt_handle != handles[0]


def test_purge_forgets_deduplication_ids(fifo, put, nonce):
    first = put(fifo, "a1", "A", deduplication_id="d1")
    fifo.receive(1, 30, NOW, nonce)

    fifo.purge(NOW + 1)
    assert (len(fifo), fifo.visible_count, fifo.in_flight_count) == (0, 0, 0)

    again = put(fifo, "a1", "A", deduplication_id="d1", now=NOW + 2)
    assert again is not first
    assert fifo.receive(10, 30, NOW + 2, nonce) == [again]


def test_the_queue_delay_holds_back_the_whole_group(make_queue, put, nonce):
    queue = make_queue("jobs.fifo", attributes={"DelaySeconds": "10"})
    put(queue, "a1", "A")
    put(queue, "a2", "A", now=NOW + 5)
    assert (queue.visible_count, queue.delayed_count) == (0, 2)

    assert queue.receive(10, 30, NOW + 9.999, nonce) == []
    assert bodies(queue.receive(10, 30, NOW + 10, nonce)) == ["a1"]
    queue.refresh(NOW + 15)
    assert (queue.visible_count, queue.in_flight_count, queue.delayed_count) == (1, 1, 0)


@pytest.mark.parametrize(
    ("delay", "group", "dedup", "kind", "text"),
    [
        (
            None,
            None,
            "d1",
            errors.MISSING_PARAMETER,
            "The request must contain the parameter MessageGroupId.",
        ),
        (
            5,
            "A",
            "d1",
            errors.INVALID_PARAMETER_VALUE,
            "Value 5 for parameter DelaySeconds is invalid. Reason: The request include "
            "parameter that is not valid for this queue type.",
        ),
        (
            None,
            "A",
            None,
            errors.INVALID_PARAMETER_VALUE,
            "The queue should either have ContentBasedDeduplication enabled or "
            "MessageDeduplicationId provided explicitly",
        ),
        (
            None,
            "A",
            "group 123",
            errors.INVALID_PARAMETER_VALUE,
            "Value group 123 for parameter MessageDeduplicationId is invalid. Reason: "
            "MessageDeduplicationId can only include alphanumeric and punctuation characters. "
            "1 to 128 in length.",
        ),
        (
            None,
            "A",
            "a" * 129,
            errors.INVALID_PARAMETER_VALUE,
            f"Value {'a' * 129} for parameter MessageDeduplicationId is invalid. Reason: "
            "MessageDeduplicationId can only include alphanumeric and punctuation characters. "
            "1 to 128 in length.",
        ),
    ],
    ids=["no-group", "delay", "no-dedup", "dedup-space", "dedup-129"],
)
def test_fifo_outgoing_message_rules(fifo, delay, group, dedup, kind, text):
    with pytest.raises(errors.SQSError) as excinfo:
        fifo.check_outgoing("body", delay, group, dedup, in_batch=False)
    assert (excinfo.value.kind, excinfo.value.message) == (kind, text)
    fifo.check_outgoing("body", 0, "A", "a" * 128, in_batch=False)  # the limits themselves pass
