"""ReceiveMessage, long polls included."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .. import _errors as errors
from .._model.checksums import md5_of_attributes
from .._model.fifo_queue import check_printable_id
from .._model.message import Message
from .._model.queue import MAX_VISIBILITY_TIMEOUT, Queue, earliest
from .._model.queue_attributes import KNOWN
from ._params import optional_int
from ._queues import resolve_queue
from ._registry import Call, Pending, operation

MAX_MESSAGES_PER_RECEIVE = 10
MAX_WAIT_SECONDS = 20

SYSTEM_ATTRIBUTE_NAMES = (
    "SenderId",
    "SentTimestamp",
    "ApproximateReceiveCount",
    "ApproximateFirstReceiveTimestamp",
    "SequenceNumber",
    "MessageDeduplicationId",
    "MessageGroupId",
    "AWSTraceHeader",
    "DeadLetterQueueSourceArn",
)
# AttributeNames (the older param) takes queue attribute names too; SQS ignores those here.
_ACCEPTED_NAMES = frozenset(SYSTEM_ATTRIBUTE_NAMES) | {"All"}


def _wanted_system_attributes(call: Call) -> frozenset[str]:
    names: list[str] = []
    for param in ("AttributeNames", "MessageSystemAttributeNames"):
        names.extend(call.params.get(param) or ())
    for name in names:
        if name not in _ACCEPTED_NAMES and name not in KNOWN:
            raise errors.invalid_attribute_name(name)
    if "All" in names:
        return frozenset(SYSTEM_ATTRIBUTE_NAMES)
    return frozenset(name for name in names if name in _ACCEPTED_NAMES)


def _attribute_filter(names: Iterable[str]) -> tuple[bool, frozenset[str], tuple[str, ...]]:
    """(all wanted, exact names, prefixes) from MessageAttributeNames."""
    exact: set[str] = set()
    prefixes: list[str] = []
    for name in names:
        if name in ("All", ".*", "*"):
            return True, frozenset(), ()
        if name.endswith(".*"):
            # Recorded from AWS: "Hel.*" returns both "Hello" and "Help.Me".
            prefixes.append(name[:-2])
        else:
            exact.add(name)
    return False, frozenset(exact), tuple(prefixes)


def system_attributes(message: Message, wanted: frozenset[str]) -> dict[str, str]:
    values: dict[str, str | None] = {
        "SenderId": message.sender_id,
        "SentTimestamp": str(int(message.sent_at * 1000)),
        "ApproximateReceiveCount": str(message.receive_count),
        "ApproximateFirstReceiveTimestamp": (
            None if message.first_receive_ms is None else str(message.first_receive_ms)
        ),
        "SequenceNumber": message.sequence_number,
        "MessageDeduplicationId": message.deduplication_id,
        "MessageGroupId": message.group_id,
        "AWSTraceHeader": (
            message.system_attributes["AWSTraceHeader"].string_value
            if message.system_attributes and "AWSTraceHeader" in message.system_attributes
            else None
        ),
        "DeadLetterQueueSourceArn": message.dead_letter_source_arn,
    }
    return {name: value for name, value in values.items() if name in wanted and value is not None}


def describe_received(
    message: Message,
    wanted_system: frozenset[str],
    attribute_filter: tuple[bool, frozenset[str], tuple[str, ...]],
) -> dict[str, Any]:
    """One received message as botocore's parser gives it."""
    assert message.receipt_handle is not None
    result: dict[str, Any] = {
        "MessageId": message.message_id,
        "ReceiptHandle": message.receipt_handle,
        "MD5OfBody": message.md5_of_body,
        "Body": message.body,
    }
    if wanted_system:
        attributes = system_attributes(message, wanted_system)
        if attributes:
            result["Attributes"] = attributes
    if message.attributes:
        everything, exact, prefixes = attribute_filter
        if everything:
            selected = message.attributes
        else:
            selected = {
                name: value
                for name, value in message.attributes.items()
                if name in exact or name.startswith(prefixes)
            }
        if selected:
            result["MD5OfMessageAttributes"] = (
                message.md5_of_attributes
                if len(selected) == len(message.attributes)
                else md5_of_attributes(selected)
            )
            result["MessageAttributes"] = {name: value.to_api() for name, value in selected.items()}
    return result


def _receive_now(
    call: Call, queue: Queue, count: int, visibility: int, attempt_id: str | None, wait: int
) -> list[Message]:
    engine = call.engine
    return queue.receive(
        count,
        visibility,
        engine.now(),
        engine.ids.token,
        engine.backend.move_to_dead_letter_queue,
        attempt_id,
        engine.dice,
        wait == 0,
    )


@operation("ReceiveMessage")
def receive_message(call: Call) -> dict[str, Any] | Pending:
    queue = resolve_queue(call)
    count = optional_int(
        call,
        "MaxNumberOfMessages",
        1,
        MAX_MESSAGES_PER_RECEIVE,
        "Must be between 1 and 10, if provided.",
    )
    wait = optional_int(
        call, "WaitTimeSeconds", 0, MAX_WAIT_SECONDS, "Must be >= 0 and <= 20, if provided."
    )
    visibility = optional_int(
        call,
        "VisibilityTimeout",
        0,
        MAX_VISIBILITY_TIMEOUT,
        "Must be >= 0 and <= 43200, if provided.",
    )
    attempt_id = call.params.get("ReceiveRequestAttemptId")
    if attempt_id is not None:
        check_printable_id(attempt_id, "ReceiveRequestAttemptId")
    wanted_system = _wanted_system_attributes(call)
    attribute_filter = _attribute_filter(call.params.get("MessageAttributeNames") or ())
    count = count or 1
    visibility = queue.visibility_timeout if visibility is None else visibility
    wait = queue.receive_wait_seconds if wait is None else wait

    engine = call.engine
    deadline = call.now + wait

    def attempt() -> dict[str, Any] | Pending:
        if engine.backend.by_arn(queue.arn) is not queue:
            raise errors.queue_does_not_exist()
        messages = _receive_now(call, queue, count, visibility, attempt_id, wait)
        if messages:
            described = [describe_received(m, wanted_system, attribute_filter) for m in messages]
            return {"Messages": described}
        now = engine.now()
        if now >= deadline or engine.polls_ended():
            return {}
        # A long poll: the engine waits (or jumps the clock) until this queue's next message
        # may become available (on its own, or moved in by a move task) or the wait ends,
        # then tries again.
        upcoming = earliest([queue.next_availability_at(), engine.backend.next_move_at(now)])
        return Pending(deadline if upcoming is None else min(upcoming, deadline), attempt, deadline)

    return attempt()
