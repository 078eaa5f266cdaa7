"""A FIFO queue: message groups delivered in strict order, deduplication, sequence numbers.

Both rules below are recorded on AWS (../shared/aws-recordings):

- A group is delivered in order up to, not including, its first message that is not visible
  (in flight): messages before it that came back are delivered, none after it. So a group
  whose first stored message is in flight gives nothing.
- Ready groups (first stored message visible) are served in the order in which that first
  message became available: a never-received message when it was sent (or its delay ended),
  one that came back from flight when it came back. A group just served goes behind groups
  already waiting.

Each group keeps its stored messages in send order (a deque). Every time a message becomes
visible it gets the next number of the queue's availability counter; a group whose first
message is visible waits in a heap keyed by that number. Every change that makes messages
visible refreshes the queue first, so the counter follows fake time even with a frozen clock,
where many events share one instant. A receive pops groups from the heap, so its cost does not
depend on how many groups or messages the queue holds.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from .. import _errors as errors
from .message import Message, MessageState
from .queue import DeadLetterMover, Queue, earliest
from .realism import Dice

#: How long a deduplication id (or a receive attempt id) is remembered.
DEDUPLICATION_WINDOW_SECONDS = 300
#: How long a change of DeduplicationScope takes to apply: AWS documents that attribute
#: changes take up to 60 seconds to propagate, and a recording shows sends right after the
#: change still deduplicated the old way (the new value reads back at once).
SCOPE_CHANGE_SECONDS = 60
MAX_IN_FLIGHT_FIFO = 120000
_PRINTABLE_ID = re.compile(r"[!-~]{1,128}")
_SEQUENCE_BASE = 18_000_000_000_000_000_000


@dataclass(eq=False)
class MessageGroup:
    group_id: str
    messages: deque[Message] = field(default_factory=deque)
    #: Bumped on every push to the ready heap; older heap entries are stale.
    token: int = 0

    def head(self) -> Message | None:
        """The first message still stored (drops messages that are gone from the front)."""
        messages = self.messages
        while messages and messages[0].state is MessageState.GONE:
            messages.popleft()
        return messages[0] if messages else None


@dataclass
class _Attempt:
    at: float
    delivered: list[tuple[Message, int]]


def check_printable_id(value: str, parameter: str) -> None:
    if _PRINTABLE_ID.fullmatch(value) is None:
        raise errors.invalid_value(
            value,
            parameter,
            f"{parameter} can only include alphanumeric and punctuation characters. "
            "1 to 128 in length.",
        )


class FifoQueue(Queue):
    fifo = True

    def __init__(self, **kwargs: object) -> None:
        self._groups: dict[str, MessageGroup] = {}
        self._ready_groups: list[tuple[int, int, MessageGroup]] = []
        self._dedup: dict[tuple[str, str], tuple[float, Message]] = {}
        self._dedup_order: deque[tuple[float, tuple[str, str]]] = deque()
        self._attempts: dict[str, _Attempt] = {}
        self._last_sequence = _SEQUENCE_BASE
        self._sequence_stride = 1
        #: The availability counter: the order in which messages became visible.
        self._availability = 0
        # The group a receive is taking messages from: its deque must not shift meanwhile.
        self._busy_group: MessageGroup | None = None
        #: The deduplication scope in force ("queue" or "messageGroup"), and a change waiting
        #: to apply: (when, new scope).
        self._dedup_scope = "queue"
        self._scope_change: tuple[float, str] | None = None
        super().__init__(**kwargs)  # type: ignore[arg-type]

    # --- sending ----------------------------------------------------------------------------

    @property
    def content_based_deduplication(self) -> bool:
        return self.attributes.get("ContentBasedDeduplication") == "true"

    def check_batch_requirements(self, group_id: str | None, deduplication_id: str | None) -> None:
        """Rules whose breach fails a whole SendMessageBatch on a FIFO queue, not one entry."""
        if group_id is None:
            raise errors.invalid_parameter("The request must contain the parameter MessageGroupId.")
        if deduplication_id is None and not self.content_based_deduplication:
            raise errors.invalid_parameter(
                "The queue should either have ContentBasedDeduplication enabled or "
                "MessageDeduplicationId provided explicitly"
            )

    def check_outgoing(
        self,
        body: str,
        delay: int | None,
        group_id: str | None,
        deduplication_id: str | None,
        in_batch: bool,
    ) -> None:
        if group_id is None:
            raise errors.missing_parameter("MessageGroupId")
        if delay:
            raise errors.invalid_value(
                delay,
                "DelaySeconds",
                "The request include parameter that is not valid for this queue type.",
            )
        if deduplication_id is not None:
            check_printable_id(deduplication_id, "MessageDeduplicationId")
        elif not self.content_based_deduplication:
            raise errors.invalid_parameter(
                "The queue should either have ContentBasedDeduplication enabled or "
                "MessageDeduplicationId provided explicitly"
            )

    def set_attributes(self, values: dict[str, str], now: float, *, creating: bool = False) -> None:
        super().set_attributes(values, now, creating=creating)
        scope = self.attributes["DeduplicationScope"]
        if creating:
            self._dedup_scope, self._scope_change = scope, None
        elif "DeduplicationScope" in values:
            self._scope_change = (now + SCOPE_CHANGE_SECONDS, scope)

    def _dedup_key(self, message: Message, now: float) -> tuple[str, str]:
        assert message.deduplication_id is not None
        change = self._scope_change
        if change is not None and now >= change[0]:
            self._dedup_scope, self._scope_change = change[1], None
        scope = message.group_id if self._dedup_scope == "messageGroup" else ""
        return (scope or "", message.deduplication_id)

    def _forget_old_dedup_ids(self, now: float) -> None:
        order = self._dedup_order
        while order and order[0][0] + DEDUPLICATION_WINDOW_SECONDS <= now:
            at, key = order.popleft()
            entry = self._dedup.get(key)
            if entry is not None and entry[0] == at:
                del self._dedup[key]

    def next_availability_at(self) -> float | None:
        """Also when a group's first message expires: the group may then go on."""
        return earliest([self.next_change_at(), self.next_expiry_at()])

    def next_scheduled_at(self, now: float) -> float | None:
        """Also when the oldest deduplication id is forgotten, and when a change of the
        deduplication scope applies."""
        moments = [super().next_scheduled_at(now)]
        if self._scope_change is not None:
            moments.append(self._scope_change[0])
        self._forget_old_dedup_ids(now)
        for at, key in self._dedup_order:
            entry = self._dedup.get(key)
            if entry is not None and entry[0] == at:
                moments.append(at + DEDUPLICATION_WINDOW_SECONDS)
                break
        return earliest(moments, now)

    def send(self, message: Message, delay: int | None, now: float) -> Message:
        """Store a message, or accept a duplicate without storing it.

        A duplicate (same deduplication id within 5 minutes of the first send, in the same
        scope) is told the first message's MessageId and SequenceNumber, even if that message
        was already deleted, and is never delivered.
        """
        if message.deduplication_id is None:
            message.deduplication_id = hashlib.sha256(message.body.encode("utf-8")).hexdigest()
        self._forget_old_dedup_ids(now)
        key = self._dedup_key(message, now)
        first = self._dedup.get(key)
        if first is not None:
            return first[1]
        self._last_sequence += self._sequence_stride
        message.sequence_number = f"{self._last_sequence:020d}"
        self._dedup[key] = (now, message)
        self._dedup_order.append((now, key))
        self.add(message, self.delay_seconds, now, retention_from=now)
        return message

    def add(self, message: Message, delay: int, now: float, *, retention_from: float) -> None:
        # Whatever became visible before now comes first in the availability order.
        self.refresh(now)
        group_id = message.group_id or ""
        group = self._groups.get(group_id)
        if group is None:
            group = self._groups[group_id] = MessageGroup(group_id)
        group.messages.append(message)
        super().add(message, delay, now, retention_from=retention_from)

    def start_sequences(self, draw: int) -> None:
        """Seed where sequence numbers start and how far apart they are: large and
        non-consecutive like SQS's, and the same in every run with the same seed, because they
        never read the clock."""
        self._last_sequence = _SEQUENCE_BASE + (draw & 0xFFFF_FFFF_FFFF)
        self._sequence_stride = 1 + (draw >> 48) % 997

    # --- groups ---------------------------------------------------------------------------

    def _set_state(self, message: Message, state: MessageState) -> None:
        super()._set_state(message, state)
        group = self._groups.get(message.group_id or "")
        # Only the first stored message decides whether (and where) a group waits: this one,
        # or, when this one is gone, the one after it.
        if group is not None and (state is MessageState.GONE or group.head() is message):
            self._queue_group_if_ready(group)

    def _make_visible(self, message: Message) -> None:
        # Groups, not messages, wait in the FIFO ready heap; _set_state queues the group.
        self._availability += 1
        message.available_order = self._availability
        self._set_state(message, MessageState.VISIBLE)

    def _queue_group_if_ready(self, group: MessageGroup) -> None:
        if group is self._busy_group:
            return
        head = group.head()
        if head is None:
            if not group.messages and self._groups.get(group.group_id) is group:
                # Dropped: a later message of this id starts a new group, and any heap entry
                # left for this one must go stale (else a receive would pop it and drop the
                # new group instead).
                del self._groups[group.group_id]
                group.token += 1
            return
        if head.state is MessageState.VISIBLE:
            group.token += 1
            heapq.heappush(self._ready_groups, (head.available_order, group.token, group))

    def receive(
        self,
        count: int,
        visibility_timeout: int,
        now: float,
        new_nonce: Callable[[], int],
        dead_letter: DeadLetterMover | None = None,
        attempt_id: str | None = None,
        dice: Dice | None = None,
        short_poll: bool = False,
    ) -> list[Message]:
        """Strict order, exactly once: opt-in realism (``dice``) does not apply to FIFO."""
        self.refresh(now)
        if attempt_id is not None:
            repeated = self._repeat_attempt(attempt_id, now)
            if repeated is not None:
                return repeated
        received: list[Message] = []
        ready = self._ready_groups
        while ready and len(received) < count and self.in_flight_count < MAX_IN_FLIGHT_FIFO:
            _, token, group = heapq.heappop(ready)
            if token != group.token:
                continue
            group.token += 1  # this entry is used up
            self._busy_group = group
            index = 0
            while len(received) < count and index < len(group.messages):
                message = group.messages[index]
                if message.state is MessageState.GONE:
                    index += 1
                    continue
                if message.state is not MessageState.VISIBLE:
                    break
                if self._moved_to_dead_letter_queue(message, now, dead_letter):
                    index += 1
                    continue
                self._deliver(message, visibility_timeout, now, new_nonce())
                received.append(message)
                index += 1
            self._busy_group = None
            # Ready again only if its first message is still visible (all of those taken by
            # the dead-letter queue, say), and then behind the groups already waiting.
            self._queue_group_if_ready(group)
        # An empty attempt has nothing to repeat: a retry (or the next round of a long poll)
        # must see messages that arrived since.
        if attempt_id is not None and received:
            self._attempts[attempt_id] = _Attempt(now, [(m, m.token) for m in received])
        return received

    def peek_visible(self, now: float) -> Message | None:
        """The first message of the group served next, left in place. Removing it queues its
        group again under a new token, so the heap entry left here goes stale."""
        self.refresh(now)
        ready = self._ready_groups
        while ready:
            _, token, group = ready[0]
            if token == group.token:
                head = group.head()
                if head is not None and head.state is MessageState.VISIBLE:
                    return head
            heapq.heappop(ready)
        return None

    def _repeat_attempt(self, attempt_id: str, now: float) -> list[Message] | None:
        """The same messages and handles for a retried receive, if none of them changed."""
        attempt = self._attempts.get(attempt_id)
        if attempt is None:
            return None
        if now - attempt.at >= DEDUPLICATION_WINDOW_SECONDS or any(
            message.token != token for message, token in attempt.delivered
        ):
            del self._attempts[attempt_id]
            return None
        return [message for message, _ in attempt.delivered]

    # --- settling ---------------------------------------------------------------------------

    def _check_current_handle(self, message: Message | None, handle: str) -> None:
        if message is not None and (
            message.state is not MessageState.IN_FLIGHT or message.receipt_handle != handle
        ):
            raise errors.invalid_value(handle, "ReceiptHandle", "The receipt handle has expired.")

    def delete_by_handle(self, message: Message | None, handle: str, now: float) -> None:
        """On a FIFO queue only the latest handle of an in-flight message deletes it."""
        self._check_current_handle(message, handle)
        super().delete_by_handle(message, handle, now)

    def change_visibility_by_handle(
        self, message: Message | None, handle: str, timeout: int, now: float
    ) -> None:
        self.refresh(now)
        self._check_current_handle(message, handle)
        super().change_visibility_by_handle(message, handle, timeout, now)

    def purge(self, now: float) -> None:
        super().purge(now)
        self._groups = {}
        self._ready_groups = []
        self._dedup = {}
        self._dedup_order = deque()
        self._attempts = {}
