"""A standard SQS queue: messages, visibility, delays, retention and redrive.

Cost: every operation is O(log n) in the number of stored messages (or O(k log n) for k
messages returned). Three heaps hold the schedule, each with lazy deletion: an entry is stale
when the message's ``token`` moved on or the message is gone.

- ``_ready``: visible messages, keyed by send sequence (oldest first).
- ``_pending``: delayed and in-flight messages, keyed by the time they become visible.
- ``_expiry``: every stored message, keyed by the time its retention started.

A stale entry holds its message alive, and with a frozen clock it may never come due: each heap
is compacted once stale entries outnumber live ones (plus some slack), so a test looping on
send, receive and delete keeps as many entries as it has messages, amortised O(1) per push.
"""

from __future__ import annotations

import heapq
import json
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .. import _errors as errors
from .message import Fate, Message, MessageState
from .queue_attributes import FIFO_DEFAULTS, SETTABLE, ChoiceRule, IntegerRule
from .realism import Dice
from .receipts import make_receipt_handle

MAX_VISIBILITY_TIMEOUT = 43200
MAX_IN_FLIGHT_STANDARD = 120000
#: After a PurgeQueue, another one fails for this long.
PURGE_COOL_DOWN_SECONDS = 60
#: Stale heap entries tolerated beyond the live ones before a heap is compacted.
_HEAP_SLACK = 1024


def earliest(moments: Iterable[float | None], after: float = float("-inf")) -> float | None:
    """The earliest of the moments later than ``after``, ignoring None; None if there is none."""
    return min((at for at in moments if at is not None and at > after), default=None)


#: Called when a receive finds a message past its maxReceiveCount: (message, now) -> moved?
DeadLetterMover = Callable[["Queue", Message, float], bool]


class Queue:
    """One queue's state. Every method takes ``now`` (seconds); the model never reads a clock."""

    fifo = False

    def __init__(
        self,
        *,
        name: str,
        account_id: str,
        region: str,
        url: str,
        attributes: dict[str, str],
        tags: dict[str, str],
        now: float,
    ) -> None:
        self.name = name
        self.account_id = account_id
        self.region = region
        self.url = url
        self.arn = f"arn:aws:sqs:{region}:{account_id}:{name}"
        self.attributes: dict[str, str] = {}
        self.tags = dict(tags)
        self.created_at = int(now)
        self.last_modified_at = int(now)
        self.last_purge_at: float | None = None
        self.visibility_timeout = 30
        self.delay_seconds = 0
        self.retention_period = 345600
        self.maximum_message_size = 1048576
        self.receive_wait_seconds = 0
        self.redrive_target_arn: str | None = None
        self.max_receive_count = 0
        self._messages: dict[str, Message] = {}
        self._ready: list[tuple[int, int, Message]] = []
        self._pending: list[tuple[float, int, int, Message]] = []
        self._expiry: list[tuple[float, int, Message]] = []
        self._seq = 0
        #: The messages that left the queue, oldest first: with the stored ones, the history
        #: inspection reads. Bounded by the fake's history_limit (``keep_gone``); None when
        #: the fake was made with keep_history=False (big runs, flat memory).
        self.gone: deque[Message] | None = deque()
        #: How many gone messages were dropped from ``gone`` to keep it within its limit.
        self.gone_dropped = 0
        self.visible_count = 0
        self.in_flight_count = 0
        self.delayed_count = 0
        self.set_attributes(attributes, now, creating=True)

    def keep_gone(self, limit: int | None, keep: bool = True) -> None:
        """Keep the last ``limit`` gone messages (None: all of them), or none if not ``keep``."""
        self.gone = deque(maxlen=limit) if keep else None

    def history(self) -> list[Message] | None:
        """Every stored message and every gone one kept, in the order they entered; None
        when no gone message is kept. For inspection: O(n log n)."""
        if self.gone is None:
            return None
        return sorted([*self._messages.values(), *self.gone], key=_entry_order)

    # --- attributes -------------------------------------------------------------------------

    def default_attributes(self) -> dict[str, str]:
        defaults = {
            name: str(rule.default)
            for name, rule in SETTABLE.items()
            if isinstance(rule, (IntegerRule, ChoiceRule))
            and rule.default is not None
            and name not in FIFO_DEFAULTS
        }
        if self.fifo:
            defaults.update(FIFO_DEFAULTS)
        return defaults

    def set_attributes(self, values: dict[str, str], now: float, *, creating: bool = False) -> None:
        """Apply already-normalised attribute values; the typed fields follow the strings."""
        if creating:
            self.attributes = self.default_attributes()
        for name, value in values.items():
            if value == "" and name in ("Policy", "RedrivePolicy", "RedriveAllowPolicy"):
                self.attributes.pop(name, None)
            else:
                self.attributes[name] = value
        if values.get("KmsMasterKeyId"):
            # KMS encryption replaces SQS-managed encryption.
            self.attributes.setdefault("KmsDataKeyReusePeriodSeconds", "300")
            self.attributes["SqsManagedSseEnabled"] = "false"
        elif "KmsMasterKeyId" in values:
            self.attributes.pop("KmsMasterKeyId", None)
            self.attributes.pop("KmsDataKeyReusePeriodSeconds", None)
        self.visibility_timeout = int(self.attributes["VisibilityTimeout"])
        self.delay_seconds = int(self.attributes["DelaySeconds"])
        self.retention_period = int(self.attributes["MessageRetentionPeriod"])
        self.maximum_message_size = int(self.attributes["MaximumMessageSize"])
        self.receive_wait_seconds = int(self.attributes["ReceiveMessageWaitTimeSeconds"])
        redrive = self.attributes.get("RedrivePolicy")
        if redrive:
            policy = json.loads(redrive)
            self.redrive_target_arn = str(policy["deadLetterTargetArn"])
            self.max_receive_count = int(policy["maxReceiveCount"])
        else:
            self.redrive_target_arn = None
            self.max_receive_count = 0
        if not creating:
            self.last_modified_at = int(now)

    def attribute_values(self, now: float) -> dict[str, str]:
        """Every attribute's current value, counts exact as of ``now``."""
        self.refresh(now)
        values = dict(self.attributes)
        values.update(
            QueueArn=self.arn,
            ApproximateNumberOfMessages=str(self.visible_count),
            ApproximateNumberOfMessagesNotVisible=str(self.in_flight_count),
            ApproximateNumberOfMessagesDelayed=str(self.delayed_count),
            CreatedTimestamp=str(self.created_at),
            LastModifiedTimestamp=str(self.last_modified_at),
        )
        return values

    # --- time -------------------------------------------------------------------------------

    def refresh(self, now: float) -> None:
        """Play the schedule up to ``now``: delays and visibilities end, retention expires."""
        pending = self._pending
        while pending and pending[0][0] <= now:
            _, _, token, message = heapq.heappop(pending)
            if message.token == token and message.state is not MessageState.GONE:
                self._make_visible(message)
        expiry = self._expiry
        cutoff = now - self.retention_period
        while expiry and expiry[0][0] <= cutoff:
            _, _, message = heapq.heappop(expiry)
            if message.state is not MessageState.GONE:
                self._remove(message, Fate.EXPIRED)

    def next_change_at(self) -> float | None:
        """When the next scheduled message becomes visible (None if nothing is scheduled)."""
        pending = self._pending
        while pending:
            at, _, token, message = pending[0]
            if message.token == token and message.state is not MessageState.GONE:
                return at
            heapq.heappop(pending)
        return None

    def next_availability_at(self) -> float | None:
        """The first moment a message may become receivable on its own (a long poll waits
        for it): on a standard queue, when a delay or visibility timeout ends."""
        return self.next_change_at()

    def next_expiry_at(self) -> float | None:
        expiry = self._expiry
        while expiry:
            sent_at, _, message = expiry[0]
            if message.state is not MessageState.GONE:
                return sent_at + self.retention_period
            heapq.heappop(expiry)
        return None

    def next_scheduled_at(self, now: float) -> float | None:
        """The first moment after ``now`` when something in this queue changes on its own: a
        delay or visibility timeout ends, a message expires, the purge cool-down ends."""
        self.refresh(now)
        moments = [self.next_change_at(), self.next_expiry_at()]
        if self.last_purge_at is not None:
            moments.append(self.last_purge_at + PURGE_COOL_DOWN_SECONDS)
        return earliest(moments, now)

    # --- state changes ----------------------------------------------------------------------

    def _set_state(self, message: Message, state: MessageState) -> None:
        old = message.state
        if old is MessageState.VISIBLE:
            self.visible_count -= 1
        elif old is MessageState.IN_FLIGHT:
            self.in_flight_count -= 1
        elif old is MessageState.DELAYED:
            self.delayed_count -= 1
        if state is MessageState.VISIBLE:
            self.visible_count += 1
        elif state is MessageState.IN_FLIGHT:
            self.in_flight_count += 1
        elif state is MessageState.DELAYED:
            self.delayed_count += 1
        message.state = state
        message.token += 1

    def _make_visible(self, message: Message) -> None:
        self._set_state(message, MessageState.VISIBLE)
        self._push(
            self._ready,
            (message.seq, message.token, message),
            lambda entry: _current(entry[2], entry[1]),
        )

    def _schedule(self, message: Message, state: MessageState, at: float) -> None:
        self._set_state(message, state)
        message.available_at = at
        self._push(
            self._pending,
            (at, message.seq, message.token, message),
            lambda entry: _current(entry[3], entry[2]),
        )

    def _push(self, heap: list[Any], entry: Any, live: Callable[[Any], bool]) -> None:
        """Push onto one of the schedule heaps; compact it once its stale entries (``live``
        says which are not) outnumber the stored messages (plus some slack)."""
        heapq.heappush(heap, entry)
        if len(heap) > 2 * len(self._messages) + _HEAP_SLACK:
            _compact(heap, live)

    def _remove(self, message: Message, fate: Fate) -> None:
        self._set_state(message, MessageState.GONE)
        message.fate = fate
        del self._messages[message.message_id]
        gone = self.gone
        if gone is not None:
            if len(gone) == gone.maxlen:
                self.gone_dropped += 1
            gone.append(message)

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def check_batch_requirements(self, group_id: str | None, deduplication_id: str | None) -> None:
        """Rules whose breach fails a whole SendMessageBatch (none on standard queues)."""

    def check_outgoing(
        self,
        body: str,
        delay: int | None,
        group_id: str | None,
        deduplication_id: str | None,
        in_batch: bool,
    ) -> None:
        """Rules a message must follow for this type of queue (standard: no dedup ids)."""
        if deduplication_id is not None:
            raise errors.invalid_value(
                deduplication_id,
                "MessageDeduplicationId",
                "The request include parameter that is not valid for this queue type.",
            )

    def send(self, message: Message, delay: int | None, now: float) -> Message:
        """Store a sent message; returns the message the sender is told about."""
        self.add(message, self.delay_seconds if delay is None else delay, now, retention_from=now)
        return message

    def add(self, message: Message, delay: int, now: float, *, retention_from: float) -> None:
        """Store a new (or moved-in) message, visible after ``delay`` seconds."""
        message.state = MessageState.GONE  # counted in by the transition below
        self._messages[message.message_id] = message
        if delay > 0:
            self._schedule(message, MessageState.DELAYED, now + delay)
        else:
            message.available_at = now
            self._make_visible(message)
        self._push(
            self._expiry,
            (retention_from, message.seq, message),
            lambda entry: entry[2].state is not MessageState.GONE,
        )

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
        """Deliver up to ``count`` visible messages, oldest first. ``attempt_id`` (FIFO only)
        is ignored on standard queues, as SQS ignores ReceiveRequestAttemptId there. With
        ``dice`` (opt-in realism) order, count and duplicates are drawn from it instead."""
        self.refresh(now)
        if self.in_flight_count >= MAX_IN_FLIGHT_STANDARD:
            # AWS's quota page: at the in-flight limit a short poll gets OverLimit and a long
            # poll no error, only no messages (it waits, as for an empty queue).
            if not short_poll:
                return []
            raise errors.SQSError(
                errors.OVER_LIMIT,
                f"Too many messages in flight for queue {self.name}. The in-flight limit is "
                f"{MAX_IN_FLIGHT_STANDARD} messages.",
            )
        if dice is not None:
            return self._receive_with_dice(
                count, visibility_timeout, now, new_nonce, dead_letter, dice, short_poll
            )
        received: list[Message] = []
        ready = self._ready
        while ready and len(received) < count:
            _, token, message = heapq.heappop(ready)
            if message.token != token or message.state is not MessageState.VISIBLE:
                continue
            if self._moved_to_dead_letter_queue(message, now, dead_letter):
                continue
            self._deliver(message, visibility_timeout, now, new_nonce())
            received.append(message)
        return received

    def _receive_with_dice(
        self,
        count: int,
        visibility_timeout: int,
        now: float,
        new_nonce: Callable[[], int],
        dead_letter: DeadLetterMover | None,
        dice: Dice,
        short_poll: bool,
    ) -> list[Message]:
        """A receive with SQS's imperfections: sampled, reordered, duplicated."""
        if short_poll:
            count = dice.sample_size(count, self.visible_count)
        # Candidates: up to twice what is wanted, so a reorder can reach past the oldest.
        candidates: list[Message] = []
        ready = self._ready
        while ready and len(candidates) < 2 * count:
            _, token, message = heapq.heappop(ready)
            if message.token == token and message.state is MessageState.VISIBLE:
                candidates.append(message)
        if len(candidates) > 1 and dice.reorder():
            dice.shuffle(candidates)  # type: ignore[arg-type]
        received: list[Message] = []
        for message in candidates:
            if len(received) == count:
                heapq.heappush(ready, (message.seq, message.token, message))
                continue
            if self._moved_to_dead_letter_queue(message, now, dead_letter):
                continue
            duplicate = dice.duplicate()
            if duplicate == "in_flight":
                # Visible again at once: the next receive delivers it a second time.
                self._deliver(message, 0, now, new_nonce())
            else:
                self._deliver(message, visibility_timeout, now, new_nonce())
                message.redeliver_after_delete = duplicate == "after_delete"
            received.append(message)
        return received

    def _moved_to_dead_letter_queue(
        self, message: Message, now: float, dead_letter: DeadLetterMover | None
    ) -> bool:
        """Whether this receive moved the message on, as it would pass its maxReceiveCount."""
        return (
            dead_letter is not None
            and self.max_receive_count > 0
            and message.receive_count >= self.max_receive_count
            and dead_letter(self, message, now)
        )

    def _deliver(self, message: Message, visibility_timeout: int, now: float, nonce: int) -> None:
        message.receive_count += 1
        if message.first_receive_ms is None:
            message.first_receive_ms = int(now * 1000)
        message.received_at = now
        message.receipt_handle = make_receipt_handle(
            self.arn, message.message_id, message.receive_count, nonce
        )
        self._schedule(message, MessageState.IN_FLIGHT, now + visibility_timeout)

    def place(
        self,
        message: Message,
        state: MessageState,
        until: float,
        receive_count: int,
        now: float,
        nonce: int,
    ) -> None:
        """Put a stored message straight into a state, for a test's setup: visible, delayed
        until ``until``, or in flight until ``until`` (received ``receive_count`` times, the
        last time now, with a fresh receipt handle)."""
        if state is MessageState.IN_FLIGHT:
            message.receive_count = max(receive_count, 1) - 1
            self._deliver(message, 0, now, nonce)
            self._schedule(message, MessageState.IN_FLIGHT, until)
            return
        message.receive_count = receive_count
        if receive_count and message.first_receive_ms is None:
            message.first_receive_ms = int(now * 1000)
        if state is MessageState.DELAYED:
            self._schedule(message, MessageState.DELAYED, until)
        elif message.state is not MessageState.VISIBLE:
            message.available_at = now
            self._make_visible(message)

    def peek_visible(self, now: float) -> Message | None:
        """The oldest visible message, left in place: a move task checks where it can go
        before it takes it (``take_for_move``)."""
        self.refresh(now)
        ready = self._ready
        while ready:
            _, token, message = ready[0]
            if message.token == token and message.state is MessageState.VISIBLE:
                return message
            heapq.heappop(ready)
        return None

    def take_for_move(self, message: Message, fate: Fate) -> None:
        """Remove a message that is leaving for another queue (dead-letter or move task)."""
        self._remove(message, fate)

    def find(self, message_id: str, now: float) -> Message | None:
        """The stored message with this id as of ``now`` (None once deleted or expired)."""
        self.refresh(now)
        return self._messages.get(message_id)

    def delete_by_handle(self, message: Message | None, handle: str, now: float) -> None:
        """Delete with a well-formed handle. On a standard queue an older handle still deletes,
        and a message already gone is not an error."""
        if message is None:
            return
        if message.redeliver_after_delete:
            # Realism: the delete reached one copy, another one is delivered again later.
            message.redeliver_after_delete = False
            self._make_visible(message)
            return
        self._remove(message, Fate.DELETED)

    def change_visibility_by_handle(
        self, message: Message | None, handle: str, timeout: int, now: float
    ) -> None:
        """Set an in-flight message's remaining visibility timeout, counted from ``now``.

        On a standard queue any handle the queue issued for the message acts on it, an older
        one too (recorded on AWS: a handle from a receive before the latest still changes the
        visibility the latest receive set). A message whose visibility already ended is left
        as it is, and the call succeeds (recorded).
        """
        self.refresh(now)
        if message is None:
            raise errors.invalid_value(
                handle,
                "ReceiptHandle",
                "Message does not exist or is not available for visibility timeout change.",
            )
        if message.state is not MessageState.IN_FLIGHT:
            return
        received_at = message.received_at if message.received_at is not None else now
        if now - received_at + timeout > MAX_VISIBILITY_TIMEOUT:
            raise errors.invalid_value(
                timeout,
                "VisibilityTimeout",
                f"Total VisibilityTimeout for the message is beyond the limit "
                f"[{MAX_VISIBILITY_TIMEOUT} seconds]",
            )
        self._schedule(message, MessageState.IN_FLIGHT, now + timeout)
        if timeout == 0:
            self.refresh(now)

    def purge(self, now: float) -> None:
        # Dropping the containers drops every message at once; only the fates are written
        # one by one, for inspection.
        for message in self._messages.values():
            message.state = MessageState.GONE
            message.fate = Fate.PURGED
        gone = self.gone
        if gone is not None:
            if gone.maxlen is not None:
                self.gone_dropped += max(0, len(gone) + len(self._messages) - gone.maxlen)
            gone.extend(self._messages.values())
        self._messages = {}
        self._ready = []
        self._pending = []
        self._expiry = []
        self.visible_count = self.in_flight_count = self.delayed_count = 0
        self.last_purge_at = now

    def messages(self) -> Iterator[Message]:
        """Every stored message, oldest first. For inspection; O(n log n)."""
        return iter(sorted(self._messages.values(), key=lambda message: message.seq))

    def __len__(self) -> int:
        return len(self._messages)

    def describe(self) -> dict[str, Any]:
        return {"name": self.name, "url": self.url, "arn": self.arn}


def _entry_order(message: Message) -> int:
    return message.seq


def _current(message: Message, token: int) -> bool:
    """Whether a heap entry made at ``token`` still stands for its message."""
    return message.token == token and message.state is not MessageState.GONE


def _compact(heap: list[Any], live: Callable[[Any], bool]) -> None:
    """Drop a heap's stale entries, in place: callers may hold the same list."""
    heap[:] = [entry for entry in heap if live(entry)]
    heapq.heapify(heap)
