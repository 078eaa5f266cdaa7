"""The engine: the model, the clock, the ids and the lock, and one entry point per call.

It knows nothing of botocore: it takes an operation name and the user's API params and gives
back an HTTP status and the parsed response dict botocore would have produced.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any

from . import _errors as errors
from ._clock import Clock
from ._faults import FaultPlan
from ._ids import IdGenerator
from ._journal import CallJournal, RecordedCall
from ._lambda._scheduler import EventSources
from ._long_polls import LongPolls, Poll
from ._model.backend import DEFAULT_ACCOUNT_ID, Backend
from ._model.queue import earliest
from ._model.realism import Dice
from ._operations import OPERATIONS, Call, Pending
from ._protocols import JSON_CONTENT_TYPE

DEFAULT_SENDER_ID = "AIDAIENQZJOLO23YVJ4VO"


class Engine:
    """All state of one fake SQS, behind one lock."""

    def __init__(
        self,
        *,
        clock: Clock,
        ids: IdGenerator,
        account_id: str = DEFAULT_ACCOUNT_ID,
        sender_id: str = DEFAULT_SENDER_ID,
        keep_history: bool = True,
        history_limit: int | None = None,
    ) -> None:
        self.clock = clock
        self.ids = ids
        self.account_id = account_id
        self.sender_id = sender_id
        self.backend = Backend(keep_history=keep_history, history_limit=history_limit)
        self.lock = threading.RLock()
        # Notified whenever a message may have become receivable: long polls wait on it.
        self.changed = threading.Condition(self.lock)
        self.journal = CallJournal(history_limit)
        self.faults = FaultPlan()
        #: The Lambda event source mappings polling this fake's queues (see _lambda/_scheduler).
        self.event_sources = EventSources()
        #: Opt-in realism for standard queues; None keeps every receive exact and orderly.
        self.dice: Dice | None = None
        #: Async long polls now yielding to their event loop (see ``_let_other_tasks_run``).
        self.async_polls_yielding = 0
        #: Counts every change that may wake a long poll (``notify``), and every call and
        #: advance(): a poll that saw no change since it looked knows nothing happened.
        self.activity = 0
        self.calls = 0
        #: Waiting long polls, the threads that may still act, and when time may jump.
        self.polls = LongPolls(self)
        #: How many times :meth:`reset` ran: a long poll started before a reset ends empty.
        self.resets = 0

    def now(self) -> float:
        return self.clock.now()

    def handle(
        self,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        *,
        record: bool = True,
        endpoint: str | None = None,
        trace_header: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """Serve one call: (HTTP status, parsed response) exactly as botocore would parse it.

        ``record=False`` (the fake's own setup helpers) leaves the call out of the journal and
        out of fault injection. ``endpoint`` is the client's own endpoint_url, if not AWS's;
        ``trace_header`` the request's X-Amzn-Trace-Id header, if it has one.
        A long poll waits here, or jumps the clock (``_long_polls``).
        """
        with self.lock:
            started = self._note_caller()
            outcome = self._start(operation, params, region, record, endpoint, trace_header)
            if not isinstance(outcome, _Waiting):
                return self._finish(operation, params, region, record, started, outcome)
        with self._polling(outcome.pending) as poll:
            while isinstance(outcome, _Waiting):
                # Lambda event source mappings due now run first, in this thread; the wait
                # then stops at the next moment one is due.
                if not self.event_sources.run_due():
                    self.polls.wait(poll, outcome.pending.at)
                with self.lock:
                    outcome = self._resume(operation, outcome)
        with self.lock:
            outcome = self._after_poll(poll, outcome)
            return self._finish(operation, params, region, record, started, outcome)

    async def handle_async(
        self,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        *,
        endpoint: str | None = None,
        trace_header: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """:meth:`handle` for a call made from an event loop (aiobotocore, aioboto3).

        A long poll never blocks the loop: it lets every other ready task run first, so a
        producer task's send reaches the waiting consumer; only when no other task is ready
        does the clock jump, and then only to the next scheduled change anywhere in the fake
        (so another task's poll on another queue gets its turn), or to the poll's deadline.
        """
        with self.lock:
            started = self._note_caller()
            outcome = self._start(operation, params, region, True, endpoint, trace_header)
            if not isinstance(outcome, _Waiting):
                return self._finish(operation, params, region, True, started, outcome)
        with self._polling(outcome.pending, in_event_loop=True) as poll:
            while isinstance(outcome, _Waiting):
                await _let_other_tasks_run(self)
                with self.lock:
                    outcome = self._resume(operation, outcome)
                if isinstance(outcome, _Waiting):
                    if not self.event_sources.run_due():
                        await self.polls.wait_async(poll, outcome.pending.at)
                    with self.lock:
                        outcome = self._resume(operation, outcome)
        with self.lock:
            outcome = self._after_poll(poll, outcome)
            return self._finish(operation, params, region, True, started, outcome)

    @contextmanager
    def _polling(self, pending: Pending, *, in_event_loop: bool = False) -> Iterator[Poll]:
        """A long poll registered as waiting (for the other threads' polls) while it waits."""
        with self.lock:
            poll = self.polls.begin(pending, in_event_loop=in_event_loop)
        try:
            yield poll
        finally:
            with self.lock:
                self.polls.end(poll)

    def _note_caller(self) -> float:
        self.calls += 1
        polls = self.polls
        thread = threading.current_thread()
        if polls.callers.get(thread.ident or 0) is not thread:
            polls.note_caller(thread)
        return self.clock.now()

    def _after_poll(
        self, poll: Poll, outcome: tuple[int, dict[str, Any]]
    ) -> tuple[int, dict[str, Any]]:
        """A runaway loop of long polls gets its error instead of its answer."""
        runaway = self.polls.runaway(poll)
        if runaway is None:
            return outcome
        request_id = outcome[1]["ResponseMetadata"]["RequestId"]
        return runaway.kind.status, error_response(runaway, request_id, self.clock.now())

    def _finish(
        self,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        record: bool,
        started: float,
        outcome: tuple[int, dict[str, Any]],
    ) -> tuple[int, dict[str, Any]]:
        status, parsed = outcome
        if record and self.backend.keep_history:
            error = parsed.get("Error")
            self.journal.record(
                RecordedCall(
                    operation=operation,
                    params=params,
                    region=region,
                    time=started,
                    status=status,
                    response=None if error is not None else parsed,
                    error=error,
                )
            )
        return outcome

    def call_or_raise(
        self, operation: str, params: Mapping[str, Any], region: str
    ) -> dict[str, Any]:
        """Serve a call for the fake's own helpers: not journaled, never faulted; an SQS error
        is raised as botocore's ClientError, as a client would."""
        status, parsed = self.handle(operation, params, region, record=False)
        if status != 200:
            from botocore.exceptions import ClientError

            raise ClientError(parsed, operation)  # type: ignore[arg-type]
        return parsed

    def end_long_polls(self, threads: Iterable[int] | None = None) -> None:
        """End waiting long polls, and make later ones return at once: every thread's, or
        only those of the given thread idents (until :meth:`resume_long_polls`)."""
        with self.lock:
            self.polls.end_polls(None if threads is None else set(threads))
            self.notify()

    def reset(self) -> None:
        """Forget every queue, message, recorded call and planned fault; the clock, the ids and
        realism carry on. Long polls waiting now return at once, empty: their queue is gone."""
        with self.lock:
            self.backend = Backend(
                keep_history=self.backend.keep_history, history_limit=self.backend.history_limit
            )
            self.journal.clear()
            self.faults.clear()
            self.resets += 1
            self.notify()

    def resume_long_polls(self, threads: Iterable[int] | None = None) -> None:
        """Undo :meth:`end_long_polls`: every thread's, or the given threads' only."""
        with self.lock:
            self.polls.resume_polls(None if threads is None else set(threads))

    def polls_ended(self) -> bool:
        """Whether a long poll made now, in this thread, must not wait."""
        return self.polls.polls_ended()

    def _start(
        self,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        faults: bool,
        endpoint: str | None,
        trace_header: str | None,
    ) -> tuple[int, dict[str, Any]] | _Waiting:
        spec = OPERATIONS.get(operation)
        request_id = self.ids.uuid()

        def run() -> dict[str, Any] | Pending:
            if spec is None:
                raise errors.unsupported_operation(
                    f"pytest-fakesqs does not model the SQS operation {operation}."
                )
            injected = self.faults.take(operation) if faults else None
            if injected is not None:
                raise injected
            now = self.clock.now()
            self.backend.run_move_tasks(now)
            return spec.handler(Call(operation, params, region, self, now, endpoint, trace_header))

        return self._step(operation, request_id, run)

    def _resume(self, operation: str, waiting: _Waiting) -> tuple[int, dict[str, Any]] | _Waiting:
        if waiting.resets != self.resets:
            # Reset while it waited: what it waited on is gone, so it ends as an empty receive.
            return self._step(operation, waiting.request_id, dict)

        def run() -> dict[str, Any] | Pending:
            self.backend.run_move_tasks(self.clock.now())
            return waiting.pending.resume()

        return self._step(operation, waiting.request_id, run)

    def _step(
        self, operation: str, request_id: str, run: Callable[[], dict[str, Any] | Pending]
    ) -> tuple[int, dict[str, Any]] | _Waiting:
        """Run a handler (or resume a long poll) and turn its outcome into a response."""
        try:
            result = run()
        except errors.SQSError as error:
            return error.kind.status, error_response(error, request_id, self.clock.now())
        except Exception as bug:  # a defect in the fake must still reach the caller as
            # botocore's own ClientError, never as a stray Python exception.
            internal = errors.SQSError(
                errors.INTERNAL_ERROR,
                f"pytest-fakesqs failed inside {operation}: {bug!r}. This is a bug in the "
                "fake, not in your code; please report it.",
            )
            return 500, error_response(internal, request_id, self.clock.now())
        if isinstance(result, Pending):
            return _Waiting(request_id, result, self.resets)
        result["ResponseMetadata"] = response_metadata(request_id, 200, self.clock.now())
        return 200, result

    # --- time -----------------------------------------------------------------------------

    def move_clock(self, seconds: float) -> None:
        """Let ``seconds`` of fake time pass (the application's frozen clock too), and let
        what falls due happen: move tasks step, waiting polls look again."""
        self.clock.move(seconds)
        self.backend.run_move_tasks(self.clock.now())
        self.notify()

    def next_scheduled_at(self, now: float) -> float | None:
        """The first moment after ``now`` when anything changes on its own, a Lambda event
        source mapping's next poll included."""
        self.backend.run_move_tasks(now)
        return earliest(
            [self.backend.next_scheduled_at(now), self.event_sources.next_due_after(now)], now
        )

    def notify(self) -> None:
        self.activity += 1
        self.changed.notify_all()


@dataclass(frozen=True, slots=True)
class _Waiting:
    """A call whose long poll is still waiting, with the request id it will answer with."""

    request_id: str
    pending: Pending
    #: ``Engine.resets`` when it started waiting.
    resets: int


#: How often an async long poll yields before deciding the event loop is idle, at most. Only
#: a task that never stops being ready (a busy ``sleep(0)`` loop) makes it reach this.
_MAX_YIELDS = 1000


async def _let_other_tasks_run(engine: Engine) -> None:
    """Yield to the event loop until no task but other waiting long polls is ready to run."""
    import asyncio

    loop = asyncio.get_running_loop()
    # asyncio's own loops keep their ready callbacks in ``_ready``; others (uvloop) do not say,
    # and get a fixed number of turns.
    ready = getattr(loop, "_ready", None)
    engine.async_polls_yielding += 1
    try:
        for _ in range(_MAX_YIELDS if ready is not None else 50):
            await asyncio.sleep(0)
            # Each other poll yielding right now has exactly one callback in the queue.
            if ready is not None and len(ready) < engine.async_polls_yielding:
                return
    finally:
        engine.async_polls_yielding -= 1


@functools.lru_cache(maxsize=4)
def _http_date(second: int) -> str:
    # One formatting per second of fake time, not per call.
    return formatdate(second, usegmt=True)


def response_metadata(request_id: str, status: int, now: float) -> dict[str, Any]:
    return {
        "RequestId": request_id,
        "HTTPStatusCode": status,
        "HTTPHeaders": {
            "x-amzn-requestid": request_id,
            "date": _http_date(int(now)),
            "content-type": JSON_CONTENT_TYPE,
            "connection": "keep-alive",
        },
        "RetryAttempts": 0,
    }


def error_response(error: errors.SQSError, request_id: str, now: float) -> dict[str, Any]:
    kind = error.kind
    metadata = response_metadata(request_id, kind.status, now)
    metadata["HTTPHeaders"]["x-amzn-query-error"] = (
        f"{kind.code};{'Sender' if kind.sender_fault else 'Receiver'}"
    )
    return {
        "Error": {
            "Message": error.message,
            "Code": kind.code,
            "QueryErrorCode": kind.query_code,
            "Type": "Sender" if kind.sender_fault else "Receiver",
        },
        "ResponseMetadata": metadata,
    }
