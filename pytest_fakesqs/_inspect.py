"""Looking inside the fake without touching it: queue and message views, and setup helpers.

A view reads the model under the fake's lock and copies what it shows, so reading never changes
receive counts, visibility or order. (It does apply what the clock already says is due, such as
a delay that has ended, exactly as the next SQS call would.)
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from . import _assertions, _time_travel
from ._model.message import Fate, Message, MessageState, Origin
from ._model.queue import Queue
from ._operations._receive import SYSTEM_ATTRIBUTE_NAMES, system_attributes

if TYPE_CHECKING:
    from ._engine import Engine

_ALL_SYSTEM_ATTRIBUTES = frozenset(SYSTEM_ATTRIBUTE_NAMES)
_STATES = {"visible": MessageState.VISIBLE, "in_flight": MessageState.IN_FLIGHT}
_STATES["delayed"] = MessageState.DELAYED


def _datetime(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc)


@dataclass(frozen=True)
class MessageView:
    """A frozen copy of one message as the fake holds it, taken when it was read.

    It does not change when the message does: read the queue again for its new state. Got from
    a `QueueView` (`messages`, `history`, `sent`...) or returned by
    `QueueView.put()`.
    """

    message_id: str
    """The `MessageId` SQS returned when it was sent."""
    body: str
    """The body, as sent."""
    attributes: Mapping[str, str]
    """The system attributes a receive asking for `All` would show (`SenderId`,
    `SentTimestamp`, `ApproximateReceiveCount`...; on FIFO queues `MessageGroupId`,
    `MessageDeduplicationId`, `SequenceNumber`)."""
    message_attributes: Mapping[str, Mapping[str, Any]]
    """The message attributes in the API's shape:
    `{"name": {"DataType": ..., "StringValue": ...}}`."""
    state: str
    """`"visible"`, `"in_flight"`, `"delayed"`, or `"gone"` once deleted, expired, purged,
    dead-lettered or moved."""
    receive_count: int
    """How many times it was delivered."""
    sent_at: datetime
    """When it was sent, as a timezone-aware UTC datetime."""
    visible_at: datetime | None
    """When a delayed or in-flight message becomes visible (or a visible one became so);
    None once the message is gone."""
    receipt_handle: str | None
    """The receipt handle of the latest receive; None if it was never received."""
    group_id: str | None
    """The `MessageGroupId` on a FIFO queue; None on a standard queue."""
    deduplication_id: str | None
    """The `MessageDeduplicationId` on a FIFO queue; None on a standard queue."""
    sequence_number: str | None
    """The `SequenceNumber` on a FIFO queue; None on a standard queue."""
    origin: str
    """How it entered this queue: `"sent"`, `"dead_lettered"` (moved here past a source's
    `maxReceiveCount`) or `"moved"` (by a message move task)."""
    fate: str | None
    """Why it is gone: `"deleted"`, `"expired"`, `"purged"`, `"dead_lettered"` or
    `"moved"`; None while it is stored."""
    dead_letter_source_arn: str | None = field(default=None)
    """In a dead-letter queue, the ARN of the queue it was moved from; else None."""

    def json(self) -> Any:
        """The body parsed as JSON (`json.loads(body)`); raises ValueError if it is not."""
        return json.loads(self.body)

    @classmethod
    def of(cls, message: Message) -> MessageView:
        """A view of a model message (internal: views come from a `QueueView`)."""
        gone = message.state is MessageState.GONE
        return cls(
            message_id=message.message_id,
            body=message.body,
            attributes=system_attributes(message, _ALL_SYSTEM_ATTRIBUTES),
            message_attributes={
                name: value.to_api() for name, value in (message.attributes or {}).items()
            },
            state=message.state.value,
            receive_count=message.receive_count,
            sent_at=_datetime(message.sent_at),
            visible_at=None if gone else _datetime(message.available_at),
            receipt_handle=message.receipt_handle,
            group_id=message.group_id,
            deduplication_id=message.deduplication_id,
            sequence_number=message.sequence_number,
            origin=message.origin.value,
            fate=None if message.fate is None else message.fate.value,
            dead_letter_source_arn=message.dead_letter_source_arn,
        )


class QueueView:
    """One queue, seen from the test: `fake_sqs.queue("jobs")`.

    Every property reads the queue as it is now, without changing it (no receive counts, no
    visibility, no order move); keep the view and read it again later. After
    `FakeSQS.restore()` it follows the restored queue of the same ARN. `len(view)` is the
    number of messages stored now. Made by `FakeSQS.queue()`, `FakeSQS.queues()` and
    `FakeSQS.create_queue()`; the constructor is private.
    """

    def __init__(self, engine: Engine, queue: Queue) -> None:
        self._engine = engine
        self._last_seen = queue

    def _now(self) -> float:
        """Now, with what is due applied (move-task steps, then the queue's schedule), as the
        next SQS call would apply it. Call under the lock."""
        engine = self._engine
        now = engine.now()
        engine.backend.run_move_tasks(now)
        self._queue.refresh(now)
        return now

    @property
    def _queue(self) -> Queue:
        # Looked up on every read: after restore() the queue is a new object of the same ARN.
        current = self._engine.backend.by_arn(self._last_seen.arn)
        if current is not None:
            self._last_seen = current
        return self._last_seen

    # --- identity ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        """The queue's name (ending in `.fifo` for a FIFO queue)."""
        return self._queue.name

    @property
    def url(self) -> str:
        """The queue's URL: `https://sqs.{region}.amazonaws.com/{account_id}/{name}`."""
        return self._queue.url

    @property
    def arn(self) -> str:
        """The queue's ARN: `arn:aws:sqs:{region}:{account_id}:{name}`."""
        return self._queue.arn

    @property
    def region(self) -> str:
        """The region the queue lives in."""
        return self._queue.region

    @property
    def account_id(self) -> str:
        """The account the queue belongs to."""
        return self._queue.account_id

    @property
    def fifo(self) -> bool:
        """Whether it is a FIFO queue."""
        return self._queue.fifo

    @property
    def exists(self) -> bool:
        """False once the queue was deleted (the view still shows its last state)."""
        with self._engine.lock:
            return self._engine.backend.by_arn(self._last_seen.arn) is not None

    # --- state ------------------------------------------------------------------------------

    @property
    def attributes(self) -> dict[str, str]:
        """Every attribute, as `GetQueueAttributes(AttributeNames=["All"])` returns them:
        strings, with exact message counts."""
        with self._engine.lock:
            return self._queue.attribute_values(self._now())

    @property
    def tags(self) -> dict[str, str]:
        """The queue's tags, as a new dict."""
        with self._engine.lock:
            return dict(self._queue.tags)

    def _read(self, keep: Callable[[Message], bool], stored: bool) -> list[MessageView]:
        with self._engine.lock:
            self._now()
            history = None if stored else self._queue.history()
            if not stored and history is None:
                raise RuntimeError(
                    "this fake keeps no history (keep_history=False): only the messages stored "
                    "now can be read"
                )
            source = self._queue.messages() if history is None else iter(history)
            return [MessageView.of(message) for message in source if keep(message)]

    @property
    def messages(self) -> list[MessageView]:
        """Every message stored now, in any state, in send order."""
        return self._read(lambda message: True, stored=True)

    @property
    def visible(self) -> list[MessageView]:
        """The stored messages that are visible now, in send order."""
        return self._read(lambda message: message.state is MessageState.VISIBLE, stored=True)

    @property
    def in_flight(self) -> list[MessageView]:
        """The stored messages that are in flight (received, not yet visible again), in
        send order."""
        return self._read(lambda message: message.state is MessageState.IN_FLIGHT, stored=True)

    @property
    def delayed(self) -> list[MessageView]:
        """The stored messages still in their delay, in send order."""
        return self._read(lambda message: message.state is MessageState.DELAYED, stored=True)

    @property
    def bodies(self) -> list[str]:
        """The bodies of the stored messages, in send order."""
        return [message.body for message in self.messages]

    @property
    def history(self) -> list[MessageView]:
        """Every message that entered the queue (sent, dead-lettered or moved in), gone ones
        included, in the order they entered: every stored message, and the last
        `history_limit` gone ones (see
        `dropped_from_history`). Raises
        RuntimeError with `keep_history=False`, as do `sent` and the lists of gone messages."""
        return self._read(lambda message: True, stored=False)

    @property
    def dropped_from_history(self) -> int:
        """How many gone messages (deleted, expired...) this queue's history dropped to keep
        the last `history_limit` of them; 0 while it dropped none. `history`, `sent`,
        `deleted` and the other lists of gone messages no longer show those."""
        with self._engine.lock:
            self._now()
            return self._queue.gone_dropped

    @property
    def sent(self) -> list[MessageView]:
        """Every message ever accepted by a send to this queue, deleted ones included. A FIFO
        duplicate is not a new message: it is not listed again."""
        return self._read(lambda message: message.origin is Origin.SENT, stored=False)

    def _gone(self, fate: Fate) -> list[MessageView]:
        return self._read(lambda message: message.fate is fate, stored=False)

    @property
    def deleted(self) -> list[MessageView]:
        """Messages deleted from this queue (DeleteMessage or DeleteMessageBatch)."""
        return self._gone(Fate.DELETED)

    @property
    def expired(self) -> list[MessageView]:
        """Messages dropped at the end of the retention period."""
        return self._gone(Fate.EXPIRED)

    @property
    def purged(self) -> list[MessageView]:
        """Messages dropped from this queue by PurgeQueue."""
        return self._gone(Fate.PURGED)

    @property
    def dead_lettered(self) -> list[MessageView]:
        """Messages moved from here to the dead-letter queue after maxReceiveCount receives."""
        return self._gone(Fate.DEAD_LETTERED)

    @property
    def moved(self) -> list[MessageView]:
        """Messages a message move task took from here to another queue."""
        return self._gone(Fate.MOVED)

    def __len__(self) -> int:
        with self._engine.lock:
            self._now()
            return len(self._queue)

    def __repr__(self) -> str:
        return f"<QueueView {self.name} ({self.region}, {self.account_id})>"

    # --- setup ------------------------------------------------------------------------------

    def put(
        self,
        body: str,
        *,
        message_attributes: Mapping[str, Mapping[str, Any]] | None = None,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        state: str = "visible",
        receive_count: int = 0,
        visible_in: float | None = None,
    ) -> MessageView:
        """Store a message with `body` in any state, without a client and without touching
        the journal, and return its `MessageView`.

        `message_attributes` are in the API's shape; `group_id` and `deduplication_id` are
        the FIFO ids (a FIFO queue without content-based deduplication gets a fresh
        deduplication id). `state` is "visible", "delayed" (visible after `visible_in`
        seconds, by default the queue's DelaySeconds) or "in_flight" (received
        `receive_count` times, at least once, visible again after `visible_in` seconds, by
        default the queue's VisibilityTimeout; its `receipt_handle` deletes it). The message
        is validated as SendMessage would, and an invalid one raises botocore's ClientError
        with SQS's error; a bad `state` or `receive_count` raises ValueError.
        """
        wanted = _STATES.get(state)
        if wanted is None:
            raise ValueError(f"put(state=...) is one of {sorted(_STATES)}, got {state!r}")
        if (
            isinstance(receive_count, bool)
            or not isinstance(receive_count, int)
            or receive_count < 0
        ):
            raise ValueError(f"put(receive_count=...) must be an int >= 0, got {receive_count!r}")
        if visible_in is not None:
            # NaN, an infinity or a time past the year 9999 would break the queue's schedule.
            visible_in = _time_travel.seconds_of(visible_in, {}, taker="put(visible_in=...)")
            _time_travel.check_reachable(self._engine, visible_in)
        queue = self._queue
        params: dict[str, Any] = {"QueueUrl": queue.url, "MessageBody": body}
        if message_attributes:
            params["MessageAttributes"] = message_attributes
        if group_id is not None:
            params["MessageGroupId"] = group_id
        if deduplication_id is not None:
            params["MessageDeduplicationId"] = deduplication_id
        engine = self._engine
        with engine.lock:
            if (
                queue.fifo
                and deduplication_id is None
                and queue.attributes.get("ContentBasedDeduplication") != "true"
            ):
                params["MessageDeduplicationId"] = engine.ids.uuid()
            if wanted is MessageState.DELAYED:
                delay = queue.delay_seconds if visible_in is None else visible_in
                if delay <= 0:
                    raise ValueError("put(state='delayed') needs visible_in=<seconds> > 0")
            queue.refresh(engine.now())
            stored = len(queue)
            response = engine.call_or_raise("SendMessage", params, queue.region)
            now = engine.now()
            message = queue.find(response["MessageId"], now)
            if message is None or len(queue) == stored:
                raise ValueError(
                    f"put(): a FIFO duplicate of message {response['MessageId']} (same "
                    "deduplication id within 5 minutes); nothing was stored"
                )
            if wanted is MessageState.IN_FLIGHT:
                until = now + (queue.visibility_timeout if visible_in is None else visible_in)
            else:
                until = now + (visible_in or queue.delay_seconds)
            queue.place(message, wanted, until, receive_count, now, engine.ids.token())
            engine.notify()
            return MessageView.of(message)

    # --- assertions -------------------------------------------------------------------------

    def assert_empty(self) -> None:
        """Fail (AssertionError listing what is there) unless no message is stored:
        none visible, in flight or delayed."""
        __tracebackhide__ = True
        _assertions.assert_empty(self.name, self.messages)

    def assert_sent(
        self,
        body: Any = _assertions.ANY,
        *,
        message_attributes: Mapping[str, Any] | None = None,
        group_id: str | None = None,
        count: int | None = None,
    ) -> list[MessageView]:
        """Fail unless a message matching all that is given was sent here (deleted or not).

        `body` is a string (equal), a dict or list (equal to the body parsed as JSON) or a
        predicate on the body. `message_attributes` maps names to a string value or the API's
        dict shape (other attributes the message carries do not matter). `group_id` is the
        FIFO group. `count` asks for exactly that many matches. Returns the matches; the
        AssertionError lists what was sent, with a diff against the closest message.
        """
        __tracebackhide__ = True
        return _assertions.assert_sent(
            self.name,
            self.sent,
            body,
            message_attributes,
            group_id,
            count,
            self.dropped_from_history,
        )

    def assert_not_sent(
        self,
        body: Any = _assertions.ANY,
        *,
        message_attributes: Mapping[str, Any] | None = None,
        group_id: str | None = None,
    ) -> None:
        """Fail (AssertionError listing the matches) if any message matching all that is
        given was sent here. `body`, `message_attributes` and `group_id` are as for
        `assert_sent`."""
        __tracebackhide__ = True
        _assertions.assert_sent(self.name, self.sent, body, message_attributes, group_id, 0)
