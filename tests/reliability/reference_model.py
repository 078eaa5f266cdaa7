"""A deliberately simple reference model of SQS, to check the fake against.

Written from SQS's documented behaviour (AWS's SQS docs, and this project's docs/), not from
the package: a queue is a plain list of messages in the order they entered it, and every question
("which messages are visible?", "which group goes first?", "what expired?") is a linear scan
over that list at the model's own ``now``. No heaps, no indexes, no lazy state: slow and
obviously right is the point.

The model never invents the identifiers the fake hands out (message ids, sequence numbers,
receipt handles): the test learns them from the fake's answers and records them here, and the
model then decides which message and which receive each one belongs to.
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field

SENDER_ID = "AIDAIENQZJOLO23YVJ4VO"
ACCOUNT = "123456789012"
REGION = "us-east-1"

#: How long a FIFO deduplication id is remembered, from the first send.
DEDUPLICATION_WINDOW = 300
#: After a PurgeQueue, another one on the queue fails for this long.
PURGE_COOL_DOWN = 60
#: The longest a message may stay in flight, counted from its receive.
MAX_TOTAL_VISIBILITY = 43200

NOT_VALID_FOR_QUEUE_TYPE = "The request include parameter that is not valid for this queue type."
NO_DEDUPLICATION_ID = (
    "The queue should either have ContentBasedDeduplication enabled or "
    "MessageDeduplicationId provided explicitly"
)


@dataclass(frozen=True)
class Failure:
    """An SQS error as botocore parses it: HTTP status and the Error dict."""

    status: int
    code: str
    query_code: str
    message: str

    def error(self) -> dict[str, str]:
        return {
            "Code": self.code,
            "Message": self.message,
            "QueryErrorCode": self.query_code,
            "Type": "Sender",
        }


def invalid_parameter_value(message: str) -> Failure:
    return Failure(400, "InvalidParameterValue", "InvalidParameterValueException", message)


def invalid_value(value: object, parameter: str, reason: str) -> Failure:
    return invalid_parameter_value(
        f"Value {value} for parameter {parameter} is invalid. Reason: {reason}"
    )


def missing_parameter(name: str) -> Failure:
    return Failure(
        400,
        "MissingParameter",
        "MissingRequiredParameterException",
        f"The request must contain the parameter {name}.",
    )


def receipt_handle_is_invalid(handle: str) -> Failure:
    return Failure(
        400,
        "ReceiptHandleIsInvalid",
        "ReceiptHandleIsInvalid",
        f'The input receipt handle "{handle}" is not a valid receipt handle.',
    )


def purge_queue_in_progress(name: str) -> Failure:
    return Failure(
        403,
        "AWS.SimpleQueueService.PurgeQueueInProgress",
        "PurgeQueueInProgress",
        f"Only one PurgeQueue operation on {name} is allowed every 60 seconds.",
    )


def md5_hex(text: str) -> str:
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(eq=False)
class RefMessage:
    """One stored message. ``visible_at`` is when it is (or was) visible; until then it is
    ``hidden_as`` ("delayed" after a send, "in_flight" after a receive)."""

    body: str
    group_id: str | None
    deduplication_id: str | None
    sent_at: float
    #: Retention counts from here: the send, or a FIFO dead-letter move.
    retention_from: float
    visible_at: float
    hidden_as: str = "delayed"
    receive_count: int = 0
    first_received_at: float | None = None
    received_at: float | None = None
    #: The latest receipt handle, as the fake issued it.
    handle: str | None = None
    message_id: str | None = None
    sequence_number: str | None = None
    dead_letter_source_arn: str | None = None
    #: Deleted, expired, purged or moved away: no longer in its queue's list.
    gone: bool = False
    #: FIFO: when, among all events, it last became visible (None while it is not, or until
    #: the model next looks). Ready groups are served in the order of their first message's.
    became_visible: int | None = None

    def state(self, now: float) -> str:
        return "visible" if self.visible_at <= now else self.hidden_as


@dataclass(eq=False)
class RefQueue:
    name: str
    fifo: bool
    visibility_timeout: int = 30
    delay_seconds: int = 0
    retention_period: int = 345600
    content_based_deduplication: bool = False
    deduplicate_per_group: bool = False
    dead_letter_queue: str | None = None
    max_receive_count: int = 0
    messages: list[RefMessage] = field(default_factory=list)
    #: First sends still remembered for deduplication: (sent at, key, message).
    deduplication: list[tuple[float, tuple[str, str], RefMessage]] = field(default_factory=list)
    last_purge_at: float | None = None

    @property
    def arn(self) -> str:
        return f"arn:aws:sqs:{REGION}:{ACCOUNT}:{self.name}"

    @property
    def url(self) -> str:
        return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{self.name}"


@dataclass
class Sent:
    """A send the model accepts: the stored message, or for a FIFO duplicate the first one."""

    message: RefMessage
    duplicate: bool


@dataclass
class Receipt:
    """A receipt handle the fake issued, and the queue and message it was issued for."""

    handle: str
    queue: str
    message: RefMessage


class ReferenceSQS:
    """The reference model: queues by name, one clock, every receipt handle ever issued."""

    def __init__(self, now: float) -> None:
        self.now = now
        self.queues: dict[str, RefQueue] = {}
        self.receipts: list[Receipt] = []
        self._events = itertools.count(1)

    # --- time -------------------------------------------------------------------------------

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def upcoming(self) -> dict[str, list[float]]:
        """The future moments at which something changes by itself, soonest first, by what
        changes: "visibility" (a delay or visibility timeout ends), "retention" (a message
        expires), "deduplication" (a FIFO deduplication id is forgotten) and "purge" (a
        purge cool-down ends)."""
        self._expire()
        moments: dict[str, set[float]] = {
            "visibility": set(),
            "retention": set(),
            "deduplication": set(),
            "purge": set(),
        }
        for queue in self.queues.values():
            for message in queue.messages:
                moments["visibility"].add(message.visible_at)
                moments["retention"].add(message.retention_from + queue.retention_period)
            for at, _, _ in queue.deduplication:
                moments["deduplication"].add(at + DEDUPLICATION_WINDOW)
            if queue.last_purge_at is not None:
                moments["purge"].add(queue.last_purge_at + PURGE_COOL_DOWN)
        return {
            kind: sorted(moment for moment in found if moment > self.now)
            for kind, found in moments.items()
        }

    def _expire(self) -> None:
        """Drop every message at least MessageRetentionPeriod old, whatever its state; note
        when the messages that became visible since the model last looked did so."""
        for queue in self.queues.values():
            for message in list(queue.messages):
                if self.now - message.retention_from >= queue.retention_period:
                    self._remove(queue, message)
            came_back = [
                (message.visible_at, index, message)
                for index, message in enumerate(queue.messages)
                if message.became_visible is None and message.state(self.now) == "visible"
            ]
            for _, _, message in sorted(came_back, key=lambda entry: entry[:2]):
                message.became_visible = next(self._events)

    @staticmethod
    def _hide(message: RefMessage, until: float) -> None:
        """Out of sight until ``until``; noted as visible again when the model next looks."""
        message.visible_at = until
        message.became_visible = None

    @staticmethod
    def _remove(queue: RefQueue, message: RefMessage) -> None:
        queue.messages.remove(message)
        message.gone = True

    # --- queues -----------------------------------------------------------------------------

    def create_queue(self, queue: RefQueue) -> None:
        self.queues[queue.name] = queue

    def stored(self, name: str) -> list[RefMessage]:
        self._expire()
        return list(self.queues[name].messages)

    def counts(self, name: str) -> dict[str, str]:
        states = [message.state(self.now) for message in self.stored(name)]
        return {
            "ApproximateNumberOfMessages": str(states.count("visible")),
            "ApproximateNumberOfMessagesNotVisible": str(states.count("in_flight")),
            "ApproximateNumberOfMessagesDelayed": str(states.count("delayed")),
        }

    def set_retention_period(self, name: str, seconds: int) -> None:
        # Applies to the messages already stored too.
        self.queues[name].retention_period = seconds

    def set_visibility_timeout(self, name: str, seconds: int) -> None:
        # Only later receives use it; messages in flight keep their timeout.
        self.queues[name].visibility_timeout = seconds

    def purge(self, name: str) -> Failure | None:
        self._expire()
        queue = self.queues[name]
        if queue.last_purge_at is not None and self.now - queue.last_purge_at < PURGE_COOL_DOWN:
            return purge_queue_in_progress(name)
        for message in list(queue.messages):
            self._remove(queue, message)
        queue.deduplication = []  # a purge resets the dedup history
        queue.last_purge_at = self.now
        return None

    # --- sending ----------------------------------------------------------------------------

    def _check_send(
        self,
        queue: RefQueue,
        delay: int | None,
        group_id: str | None,
        deduplication_id: str | None,
    ) -> Failure | None:
        if not queue.fifo:
            return None
        if group_id is None:
            return missing_parameter("MessageGroupId")
        if delay:
            return invalid_value(delay, "DelaySeconds", NOT_VALID_FOR_QUEUE_TYPE)
        if deduplication_id is None and not queue.content_based_deduplication:
            return invalid_parameter_value(NO_DEDUPLICATION_ID)
        return None

    def send(
        self,
        name: str,
        body: str,
        *,
        delay: int | None = None,
        group_id: str | None = None,
        deduplication_id: str | None = None,
    ) -> Sent | Failure:
        self._expire()
        queue = self.queues[name]
        failure = self._check_send(queue, delay, group_id, deduplication_id)
        if failure is not None:
            return failure
        now = self.now
        if not queue.fifo:
            wait = queue.delay_seconds if delay is None else delay
            message = RefMessage(body, group_id, None, now, now, now + wait)
            queue.messages.append(message)
            return Sent(message, duplicate=False)
        if deduplication_id is None:
            deduplication_id = sha256_hex(body)
        key = (group_id if queue.deduplicate_per_group else "", deduplication_id)
        queue.deduplication = [
            entry for entry in queue.deduplication if now - entry[0] < DEDUPLICATION_WINDOW
        ]
        for _, seen_key, first in queue.deduplication:
            if seen_key == key:
                return Sent(first, duplicate=True)
        message = RefMessage(body, group_id, deduplication_id, now, now, now)
        message.became_visible = next(self._events)
        queue.deduplication.append((now, key, message))
        queue.messages.append(message)
        return Sent(message, duplicate=False)

    def send_batch(self, name: str, entries: list[dict[str, object]]) -> Failure | list[object]:
        """Entries in the API's shape. A FIFO entry without MessageGroupId fails the whole
        batch; otherwise each entry gets its own Sent or Failure, in order."""
        queue = self.queues[name]
        if queue.fifo and any("MessageGroupId" not in entry for entry in entries):
            return invalid_parameter_value("The request must contain the parameter MessageGroupId.")
        outcomes: list[object] = []
        for entry in entries:
            outcomes.append(
                self.send(
                    name,
                    str(entry["MessageBody"]),
                    delay=entry.get("DelaySeconds"),  # type: ignore[arg-type]
                    group_id=entry.get("MessageGroupId"),  # type: ignore[arg-type]
                    deduplication_id=entry.get("MessageDeduplicationId"),  # type: ignore[arg-type]
                )
            )
        return outcomes

    # --- receiving --------------------------------------------------------------------------

    def receive(
        self, name: str, count: int, visibility_timeout: int | None, wait: int
    ) -> list[RefMessage]:
        """Up to ``count`` messages. A long poll (``wait`` > 0) returns at the first moment
        within the wait when at least one message can be delivered, moving the clock there;
        with none, the clock ends at the deadline."""
        queue = self.queues[name]
        timeout = queue.visibility_timeout if visibility_timeout is None else visibility_timeout
        deadline = self.now + wait
        while True:
            self._expire()
            received = self._receive_now(queue, count, timeout)
            if received or self.now >= deadline:
                return received
            # Until the next moment anything in the queue changes, nothing can be delivered:
            # a delay or visibility timeout ends, or a message expires (which may unlock a
            # FIFO group whose in-flight message it was).
            moments = [message.visible_at for message in queue.messages]
            moments += [m.retention_from + queue.retention_period for m in queue.messages]
            later = [moment for moment in moments if moment > self.now]
            self.now = min([*later, deadline])

    def _receive_now(self, queue: RefQueue, count: int, timeout: int) -> list[RefMessage]:
        received: list[RefMessage] = []
        if not queue.fifo:
            for message in list(queue.messages):
                if len(received) == count:
                    break
                if message.state(self.now) == "visible":
                    self._deliver_or_dead_letter(queue, message, timeout, received)
            return received
        # FIFO: a group whose first stored message is visible is ready; ready groups go in the
        # order their first message became visible; from each, messages in order up to (not
        # including) the first one that is not visible.
        firsts: dict[str | None, RefMessage] = {}
        for message in queue.messages:
            firsts.setdefault(message.group_id, message)
        ready = [first for first in firsts.values() if first.state(self.now) == "visible"]
        for first in sorted(ready, key=lambda message: message.became_visible or 0):
            members = [m for m in queue.messages if m.group_id == first.group_id]
            for message in members:
                if len(received) == count or message.state(self.now) != "visible":
                    break
                self._deliver_or_dead_letter(queue, message, timeout, received)
        return received

    def _deliver_or_dead_letter(
        self, queue: RefQueue, message: RefMessage, timeout: int, received: list[RefMessage]
    ) -> None:
        target = self.queues.get(queue.dead_letter_queue or "")
        if target is not None and message.receive_count >= queue.max_receive_count:
            # Past maxReceiveCount: this receive moves it instead of delivering it. It keeps
            # its id, body, counts and timestamps and gains the source's ARN; a standard
            # queue's retention still counts from the send, a FIFO one's from the move.
            self._remove(queue, message)
            moved = RefMessage(
                body=message.body,
                group_id=message.group_id,
                deduplication_id=message.deduplication_id,
                sent_at=message.sent_at,
                retention_from=self.now if target.fifo else message.sent_at,
                visible_at=self.now,
                receive_count=message.receive_count,
                first_received_at=message.first_received_at,
                received_at=message.received_at,
                message_id=message.message_id,
                sequence_number=message.sequence_number,
                dead_letter_source_arn=queue.arn,
            )
            target.messages.append(moved)
            return
        message.receive_count += 1
        if message.first_received_at is None:
            message.first_received_at = self.now
        message.received_at = self.now
        message.hidden_as = "in_flight"
        # A receive with VisibilityTimeout=0 gives the message back only after the receive.
        self._hide(message, self.now + timeout)
        message.handle = None  # until record_receipt names the new one
        received.append(message)

    def record_receipt(self, name: str, message: RefMessage, handle: str) -> None:
        """The fake delivered ``message`` from queue ``name`` with this receipt handle."""
        message.handle = handle
        self.receipts.append(Receipt(handle, name, message))

    def system_attributes(self, message: RefMessage) -> dict[str, str]:
        """What MessageSystemAttributeNames=["All"] shows for a message."""
        values = {
            "SenderId": SENDER_ID,
            "SentTimestamp": str(int(message.sent_at * 1000)),
            "ApproximateReceiveCount": str(message.receive_count),
        }
        if message.first_received_at is not None:
            values["ApproximateFirstReceiveTimestamp"] = str(int(message.first_received_at * 1000))
        if message.sequence_number is not None:
            values["SequenceNumber"] = message.sequence_number
        if message.deduplication_id is not None:
            values["MessageDeduplicationId"] = message.deduplication_id
        if message.group_id is not None:
            values["MessageGroupId"] = message.group_id
        if message.dead_letter_source_arn is not None:
            values["DeadLetterQueueSourceArn"] = message.dead_letter_source_arn
        return values

    # --- settling ---------------------------------------------------------------------------

    def _receipt(self, name: str, handle: str) -> Receipt | None:
        """The receipt a handle names, if it was issued by this queue."""
        for receipt in self.receipts:
            if receipt.handle == handle:
                return receipt if receipt.queue == name else None
        return None

    def delete(self, name: str, handle: str) -> Failure | None:
        """Standard: any handle this queue issued deletes its message (an older one too), and
        a message already gone is no error. FIFO: only the latest handle of a message still in
        flight deletes it; any other handle of a stored message has expired."""
        self._expire()
        queue = self.queues[name]
        receipt = self._receipt(name, handle)
        if receipt is None:
            return receipt_handle_is_invalid(handle)
        message = receipt.message
        if message.gone:
            return None
        if queue.fifo and not self._is_latest_in_flight(message, handle):
            return invalid_value(handle, "ReceiptHandle", "The receipt handle has expired.")
        self._remove(queue, message)
        return None

    def _is_latest_in_flight(self, message: RefMessage, handle: str) -> bool:
        return message.state(self.now) == "in_flight" and message.handle == handle

    def change_visibility(self, name: str, handle: str, timeout: int) -> Failure | None:
        """Sets the remaining timeout from now. Standard: any handle the queue issued for the
        message acts on it while it is in flight (recorded on AWS), none when it is not. FIFO:
        only the latest handle of a message in flight; any other has expired."""
        self._expire()
        queue = self.queues[name]
        receipt = self._receipt(name, handle)
        if receipt is None:
            return receipt_handle_is_invalid(handle)
        message = receipt.message
        if message.gone:
            return invalid_value(
                handle,
                "ReceiptHandle",
                "Message does not exist or is not available for visibility timeout change.",
            )
        if queue.fifo and not self._is_latest_in_flight(message, handle):
            return invalid_value(handle, "ReceiptHandle", "The receipt handle has expired.")
        if message.state(self.now) != "in_flight":
            return None
        assert message.received_at is not None
        if self.now - message.received_at + timeout > MAX_TOTAL_VISIBILITY:
            return invalid_value(
                timeout,
                "VisibilityTimeout",
                "Total VisibilityTimeout for the message is beyond the limit "
                f"[{MAX_TOTAL_VISIBILITY} seconds]",
            )
        self._hide(message, self.now + timeout)
        if timeout == 0:  # back at once, after whatever came back before this call
            message.became_visible = next(self._events)
        return None
