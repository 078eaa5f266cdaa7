"""One SQS event source mapping: Lambda's poller, batcher and invoker for one queue and one
handler, on the fake's clock.

A poll round, at one moment of fake time, receives as Lambda's pollers do: through the queue
model (receive counts, redrive to the dead-letter queue and FIFO group order are the queue's
own), every system and message attribute, the queue's visibility timeout, no short-poll
sampling (Lambda long-polls). Messages no filter matches are deleted at once, uninvoked. The
rest make batches:

- without a batching window, each of up to ``maximum_concurrency`` pollers (5 by default,
  Lambda's starting concurrency) takes one receive of up to ``batch_size`` messages, and each
  batch is invoked;
- with a window, received messages gather in one batch, invoked when it holds ``batch_size``
  messages, when its event reaches 6 MB, or when the window, begun at its first message, ends.

Handlers run after the round's receives, one at a time, in the calling thread, without the
fake's lock. Their answer decides which messages Lambda deletes (``_responses``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .. import _errors as sqs_errors
from .._model.queue import Queue, earliest
from .._operations._receive import SYSTEM_ATTRIBUTE_NAMES, describe_received
from . import _calling, _records
from ._context import LambdaContext
from ._invocation import Invocation
from ._responses import Verdict, read_response
from ._settings import Settings

if TYPE_CHECKING:
    from .._engine import Engine
    from .._inspect import QueueView
    from ._scheduler import EventSources

#: Lambda starts an SQS mapping at five concurrent batches (its scaling docs).
DEFAULT_CONCURRENCY = 5
_EVERY_SYSTEM_ATTRIBUTE = frozenset(SYSTEM_ATTRIBUTE_NAMES)
_EVERY_MESSAGE_ATTRIBUTE: tuple[bool, frozenset[str], tuple[str, ...]] = (True, frozenset(), ())
#: Clock moves land on a moment give or take a rounding error: a window ending within this
#: is over.
_EPSILON = 1e-6


class EventSourceMapping:
    """An SQS event source mapping: Lambda polling one queue and invoking one handler with
    batches of its messages, in fake time. Made by
    `FakeSQS.event_source_mapping()` (or the
    `event_sources=` option); the constructor is private.

    It runs whenever the fake's clock is moved (`advance()`, `advance_to_next_change()`,
    `run_until()`) and on `fake.run_due()`: every invocation that falls due runs then, in the
    calling thread. `invocations` records each one.
    """

    def __init__(
        self,
        *,
        engine: Engine,
        sources: EventSources,
        queue: Queue,
        handler: Callable[..., Any],
        settings: Settings,
        uuid: str,
        log_stream_name: str,
        enabled: bool,
    ) -> None:
        self._engine = engine
        self._sources = sources
        self._queue_arn = queue.arn
        self._queue_url = queue.url
        self._region = queue.region
        self._fifo = queue.fifo
        self._handler = handler
        self._settings = settings
        self._uuid = uuid
        self._log_stream_name = log_stream_name
        self._enabled = enabled
        self._gone = False
        self._invocations: list[Invocation] = []
        self._discarded: list[str] = []
        # The batch a batching window is gathering: records, their sizes, when it began.
        self._buffer: list[dict[str, Any]] = []
        self._buffer_sizes: list[int] = []
        self._window_started: float | None = None

    # --- what it is -------------------------------------------------------------------------

    @property
    def uuid(self) -> str:
        """The mapping's id, as Lambda's `UUID` (from the fake's seeded ids)."""
        return self._uuid

    @property
    def queue(self) -> QueueView:
        """A `QueueView` of the queue it polls."""
        from .._inspect import QueueView

        engine = self._engine
        with engine.lock:
            queue = engine.backend.by_arn(self._queue_arn)
            if queue is None:
                raise LookupError(f"the queue {self._queue_arn} of this mapping was deleted")
            return QueueView(engine, queue)

    @property
    def event_source_arn(self) -> str:
        """The polled queue's ARN (Lambda's `EventSourceArn`)."""
        return self._queue_arn

    @property
    def handler(self) -> Callable[..., Any]:
        """The function invoked with each batch."""
        return self._handler

    @property
    def function_name(self) -> str:
        """The Lambda function's name: `function_name=`, or the handler's name."""
        return self._settings.function_name

    @property
    def function_arn(self) -> str:
        """`arn:aws:lambda:{region}:{account}:function:{function_name}`, in the queue's region
        and account."""
        account = self._queue_arn.split(":")[4]
        return f"arn:aws:lambda:{self._region}:{account}:function:{self.function_name}"

    @property
    def batch_size(self) -> int:
        """The most records one invocation gets (Lambda's `BatchSize`)."""
        return self._settings.batch_size

    @property
    def maximum_batching_window(self) -> int:
        """Seconds a batch may gather before it is invoked (`MaximumBatchingWindowInSeconds`)."""
        return self._settings.maximum_batching_window

    @property
    def report_batch_item_failures(self) -> bool:
        """Whether the handler's answer is read as a partial batch response
        (`FunctionResponseTypes: ["ReportBatchItemFailures"]`)."""
        return self._settings.report_batch_item_failures

    @property
    def filter_criteria(self) -> dict[str, Any] | None:
        """The filters, in Lambda's `FilterCriteria` shape; None without filters."""
        patterns = self._settings.filter_patterns
        if not patterns:
            return None
        return {"Filters": [{"Pattern": pattern} for pattern in patterns]}

    @property
    def maximum_concurrency(self) -> int | None:
        """`ScalingConfig.MaximumConcurrency`: the most batches taken off the queue in one
        round before their handlers run; None for Lambda's default of 5."""
        return self._settings.maximum_concurrency

    @property
    def timeout(self) -> int:
        """The function's timeout in seconds of fake time."""
        return self._settings.timeout

    @property
    def enabled(self) -> bool:
        """Whether it polls: True until `disable()` (or `delete()`), again after `enable()`."""
        return self._enabled and not self._gone

    @property
    def invocations(self) -> list[Invocation]:
        """Every `Invocation` so far, oldest first (a new list
        on each read)."""
        return list(self._invocations)

    @property
    def discarded(self) -> list[str]:
        """The message ids matching none of the filters, which Lambda deleted uninvoked."""
        return list(self._discarded)

    def disable(self) -> None:
        """Stop polling (Lambda's `Enabled: false`). A batch a window was gathering is dropped:
        its messages stay in flight until their visibility timeout ends."""
        with self._engine.lock:
            self._enabled = False
            self._drop_buffer()

    def enable(self) -> None:
        """Poll again, from the next `advance()` or `run_due()`."""
        if self._gone:
            raise RuntimeError(f"event source mapping {self._uuid} was deleted")
        with self._engine.lock:
            self._enabled = True

    def delete(self) -> None:
        """Remove the mapping for good (Lambda's `DeleteEventSourceMapping`)."""
        self.disable()
        self._gone = True
        self._sources.remove(self)

    def __repr__(self) -> str:
        state = "enabled" if self.enabled else "disabled"
        return (
            f"<EventSourceMapping {self.function_name} <- {self._queue_arn.rsplit(':', 1)[1]} "
            f"({state}, {len(self._invocations)} invocations)>"
        )

    # --- scheduling (under the engine's lock) -----------------------------------------------

    def _live_queue(self) -> Queue | None:
        return self._engine.backend.by_arn(self._queue_arn)

    def _drop_buffer(self) -> None:
        self._buffer = []
        self._buffer_sizes = []
        self._window_started = None

    def _batch_ready(self, now: float) -> bool:
        if not self._buffer:
            return False
        assert self._window_started is not None
        window_end = self._window_started + self._settings.maximum_batching_window
        return (
            len(self._buffer) >= self._settings.batch_size
            or _records.payload_bytes(self._buffer_sizes) >= _records.MAX_PAYLOAD_BYTES
            or window_end <= now + _EPSILON
        )

    def due_at(self, now: float) -> float | None:
        """When this mapping next has something to do: ``now`` when it would receive or invoke
        now; else when a window ends or a message may become receivable; None if never."""
        queue = self._live_queue() if self.enabled else None
        if queue is None:
            return None
        if self._batch_ready(now) or queue.peek_visible(now) is not None:
            return now
        moments = [queue.next_availability_at()]
        if self._window_started is not None:
            moments.append(self._window_started + self._settings.maximum_batching_window)
        return earliest(moments)

    # --- a poll round -----------------------------------------------------------------------

    def poll(self) -> bool:
        """Run one round if one is due now: receive, drop unmatched messages, invoke the ready
        batches. Whether it did anything."""
        engine = self._engine
        with engine.lock:
            now = engine.now()
            due = self.due_at(now)
            queue = self._live_queue()
            if due is None or due > now or queue is None:
                return False
            if self._settings.maximum_batching_window:
                batches, discarded, gathered = self._gather(queue, now)
            else:
                batches, discarded = self._split_discarded(self._take_batches(queue, now))
                gathered = False
            if discarded:
                self._discarded.extend(record["messageId"] for record in discarded)
                self._delete([record["receiptHandle"] for record in discarded])
            calls = [self._prepare(batch, now) for batch in batches]
        for event, context in calls:
            self._invoke(event, context)
        return bool(calls or discarded or gathered)

    def _receive(self, queue: Queue, count: int, now: float) -> list[dict[str, Any]]:
        """One ReceiveMessage as Lambda's poller makes it, as records."""
        engine = self._engine
        engine.backend.run_move_tasks(now)
        try:
            messages = queue.receive(
                count,
                queue.visibility_timeout,
                now,
                engine.ids.token,
                engine.backend.move_to_dead_letter_queue,
                None,
                engine.dice,
                False,
            )
        except sqs_errors.SQSError:
            # The in-flight limit (OverLimit): Lambda's poller gets nothing this time.
            return []
        # A receive may have moved messages to a dead-letter queue: wake its long polls.
        engine.notify()
        windowed = self._settings.maximum_batching_window > 0
        return [
            _records.record(
                describe_received(message, _EVERY_SYSTEM_ATTRIBUTE, _EVERY_MESSAGE_ATTRIBUTE),
                self._queue_arn,
                self._region,
                windowed=windowed,
            )
            for message in messages
        ]

    def _take_batches(self, queue: Queue, now: float) -> list[list[dict[str, Any]]]:
        """Without a window: one receive per poller, each a batch."""
        batches = []
        limit = self._settings.maximum_concurrency or DEFAULT_CONCURRENCY
        for _ in range(limit):
            received = self._receive(queue, self._settings.batch_size, now)
            if not received:
                break
            batches.append(received)
        return batches

    def _split_discarded(
        self, batches: Sequence[list[dict[str, Any]]]
    ) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]]]:
        """Batches without the records no filter matches (those returned apart), and cut to
        the 6 MB payload limit."""
        kept_batches: list[list[dict[str, Any]]] = []
        discarded: list[dict[str, Any]] = []
        for batch in batches:
            kept, dropped = self._filtered(batch)
            discarded.extend(dropped)
            if kept and _records.surely_fit(kept):
                kept_batches.append(kept)
            elif kept:
                sizes = [_records.size(record) for record in kept]
                kept_batches.extend(_records.payload_batches(kept, sizes))
        return kept_batches, discarded

    def _filtered(
        self, records: list[dict[str, Any]]
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        from ._filters import record_matches

        filters = self._settings.filters
        if not filters:
            return records, []
        kept: list[dict[str, Any]] = []
        dropped: list[dict[str, Any]] = []
        for record in records:
            (kept if record_matches(filters, record) else dropped).append(record)
        return kept, dropped

    def _gather(
        self, queue: Queue, now: float
    ) -> tuple[list[list[dict[str, Any]]], list[dict[str, Any]], bool]:
        """With a window: fill the gathering batch, and hand it over once it is ready."""
        batch_size = self._settings.batch_size
        discarded: list[dict[str, Any]] = []
        gathered = False
        while (
            len(self._buffer) < batch_size
            and _records.payload_bytes(self._buffer_sizes) < _records.MAX_PAYLOAD_BYTES
        ):
            received = self._receive(queue, min(10, batch_size - len(self._buffer)), now)
            if not received:
                break
            kept, dropped = self._filtered(received)
            discarded.extend(dropped)
            for record in kept:
                self._buffer.append(record)
                self._buffer_sizes.append(_records.size(record))
                gathered = True
            if self._buffer and self._window_started is None:
                self._window_started = now
        if not self._batch_ready(now):
            return [], discarded, gathered
        count = min(_records.fits(self._buffer_sizes), batch_size)
        batch = self._buffer[:count]
        del self._buffer[:count]
        del self._buffer_sizes[:count]
        # What did not fit starts the next batch, its window from now.
        self._window_started = now if self._buffer else None
        return [batch], discarded, True

    def _delete(self, handles: Sequence[str]) -> None:
        """DeleteMessageBatch, ten at a time, as Lambda deletes (not journaled)."""
        for start in range(0, len(handles), 10):
            entries = [
                {"Id": str(index), "ReceiptHandle": handle}
                for index, handle in enumerate(handles[start : start + 10])
            ]
            # Failures (a queue deleted meanwhile, an expired FIFO handle) are Lambda's to
            # log, not the test's: the messages stay, as they would.
            self._engine.handle(
                "DeleteMessageBatch",
                {"QueueUrl": self._queue_url, "Entries": entries},
                self._region,
                record=False,
            )

    def _prepare(self, batch: list[dict[str, Any]], now: float) -> tuple[dict[str, Any], Any]:
        engine = self._engine
        context = LambdaContext(
            function_name=self.function_name,
            invoked_function_arn=self.function_arn,
            memory_limit_in_mb=self._settings.memory_size,
            aws_request_id=engine.ids.uuid(),
            log_stream_name=self._log_stream_name,
            deadline=now + self._settings.timeout,
            now=engine.now,
        )
        return {"Records": batch}, context

    # --- an invocation (outside the lock) ---------------------------------------------------

    def _invoke(self, event: dict[str, Any], context: LambdaContext) -> None:
        engine = self._engine
        # Taken before the call: the handler gets its own event on AWS, and changing this one
        # must not change which messages Lambda deletes.
        batch = [
            (
                record["messageId"],
                record["receiptHandle"],
                record["attributes"].get("MessageGroupId"),
            )
            for record in event["Records"]
        ]
        started = engine.now()
        answer, error = _calling.call(self._handler, event, context, self._sources.handler_thread)
        failure_error: BaseException | None = error
        response: Any = None
        if failure_error is None:
            try:
                response = _calling.marshal(answer)
            except _calling.RuntimeMarshalError as marshal_error:
                failure_error = marshal_error
        timeout = self._settings.timeout
        if failure_error is None and engine.now() - started > timeout + _EPSILON:
            failure_error = _calling.FunctionTimeout(f"Task timed out after {timeout:.2f} seconds")
        message_ids = [message_id for message_id, _, _ in batch]
        if failure_error is not None:
            verdict = Verdict(tuple(message_ids), _failure_text(failure_error))
        else:
            report = self._settings.report_batch_item_failures
            verdict = read_response(response, message_ids, report)
        failed = set(verdict.failed)
        processed = [
            (message_id, handle) for message_id, handle, _ in batch if message_id not in failed
        ]
        if processed:
            self._delete([handle for _, handle in processed])
        invocation = Invocation(
            event=event,
            context=context,
            result=answer,
            error=failure_error,
            time=datetime.fromtimestamp(started, tz=timezone.utc),
            deleted=tuple(message_id for message_id, _ in processed),
            retried=verdict.failed,
            failure=verdict.reason,
            deleted_out_of_order=_out_of_order(batch, failed) if self._fifo else (),
        )
        self._invocations.append(invocation)
        self._sources.record(invocation)


def _failure_text(error: BaseException) -> str:
    if isinstance(error, _calling.RuntimeMarshalError):
        return f"Runtime.MarshalError: {error}"
    if isinstance(error, _calling.FunctionTimeout):
        return str(error)
    return f"the handler raised {type(error).__name__}: {error}"


def _out_of_order(
    batch: Sequence[tuple[str, str, str | None]], failed: set[str]
) -> tuple[str, ...]:
    """FIFO: processed messages that follow a failed one of the same group in the batch."""
    failed_groups: set[str | None] = set()
    late = []
    for message_id, _, group in batch:
        if message_id in failed:
            failed_groups.add(group)
        elif group in failed_groups:
            late.append(message_id)
    return tuple(late)
