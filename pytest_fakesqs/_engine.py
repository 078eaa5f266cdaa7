"""The engine: the model, the clock, the ids and the lock, and one entry point per call.

It knows nothing of botocore: it takes an operation name and the user's API params and gives
back an HTTP status and the parsed response dict botocore would have produced.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import formatdate
from typing import Any

from . import _errors as errors
from ._clock import Clock
from ._faults import FaultPlan
from ._ids import IdGenerator
from ._journal import CallJournal, RecordedCall
from ._model.backend import DEFAULT_ACCOUNT_ID, Backend
from ._model.realism import Dice
from ._operations import OPERATIONS, Call, Pending

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
        #: Opt-in realism for standard queues; None keeps every receive exact and orderly.
        self.dice: Dice | None = None
        #: Set when the fake stops or the test ends long polls: waiting ones return at once,
        #: and later ones do not wait.
        self.long_polls_ended = False
        #: Threads whose long polls must end (a stopping server's connections), by ident.
        self._polls_ended_in: set[int] = set()
        #: Async long polls now yielding to their event loop (see ``_let_other_tasks_run``).
        self.async_polls_yielding = 0
        # The thread that made the fake counts as a caller from the start: a worker thread's
        # long poll then waits for it (in real time) instead of racing the clock ahead.
        creator = threading.current_thread()
        self._callers: dict[int, threading.Thread] = {creator.ident or 0: creator}

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
    ) -> tuple[int, dict[str, Any]]:
        """Serve one call: (HTTP status, parsed response) exactly as botocore would parse it.

        ``record=False`` (the fake's own setup helpers) leaves the call out of the journal and
        out of fault injection. ``endpoint`` is the client's own endpoint_url, if not AWS's.
        A long poll blocks here (or jumps the clock): see :meth:`wait_until`.
        """
        with self.lock:
            started = self._note_caller()
            outcome = self._start(operation, params, region, record, endpoint)
            while isinstance(outcome, _Waiting):
                self.wait_until(outcome.pending.at)
                outcome = self._resume(operation, outcome)
            return self._finish(operation, params, region, record, started, outcome)

    async def handle_async(
        self,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        *,
        endpoint: str | None = None,
    ) -> tuple[int, dict[str, Any]]:
        """:meth:`handle` for a call made from an event loop (aiobotocore, aioboto3).

        A long poll never blocks the loop: it lets every other ready task run first, so a
        producer task's send reaches the waiting consumer; only when no other task is ready
        does the clock jump, and then only to the next scheduled change anywhere in the fake
        (so another task's poll on another queue gets its turn), or to the poll's deadline.
        """
        with self.lock:
            started = self._note_caller()
            outcome = self._start(operation, params, region, True, endpoint)
        while isinstance(outcome, _Waiting):
            await _let_other_tasks_run(self)
            with self.lock:
                outcome = self._resume(operation, outcome)
                if isinstance(outcome, _Waiting) and self._jump_towards(outcome.pending.at):
                    outcome = self._resume(operation, outcome)
        with self.lock:
            return self._finish(operation, params, region, True, started, outcome)

    def _note_caller(self) -> float:
        thread = threading.current_thread()
        ident = thread.ident or 0
        if self._callers.get(ident) is not thread:
            # A new thread (a server's connection, say): forget the finished ones, so a
            # long-running process does not keep one entry per thread it ever had.
            self._callers = {i: t for i, t in self._callers.items() if t.is_alive()}
            self._callers[ident] = thread
        return self.clock.now()

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
        only those of the given thread idents (until :meth:`resume_long_polls` for them)."""
        with self.lock:
            if threads is None:
                self.long_polls_ended = True
            else:
                self._polls_ended_in.update(threads)
            self.changed.notify_all()

    def resume_long_polls(self, threads: Iterable[int] | None = None) -> None:
        """Undo :meth:`end_long_polls`: for every thread, or only for the given idents."""
        with self.lock:
            if threads is None:
                self.long_polls_ended = False
            else:
                self._polls_ended_in.difference_update(threads)

    def polls_ended(self) -> bool:
        """Whether a long poll made now, in this thread, must not wait."""
        return self.long_polls_ended or (
            bool(self._polls_ended_in) and threading.get_ident() in self._polls_ended_in
        )

    def _start(
        self,
        operation: str,
        params: Mapping[str, Any],
        region: str,
        faults: bool,
        endpoint: str | None,
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
            return spec.handler(Call(operation, params, region, self, now, endpoint))

        return self._step(operation, request_id, run)

    def _resume(self, operation: str, waiting: _Waiting) -> tuple[int, dict[str, Any]] | _Waiting:
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
            return _Waiting(request_id, result)
        result["ResponseMetadata"] = response_metadata(request_id, 200, self.clock.now())
        return 200, result

    # --- long polls -------------------------------------------------------------------------

    def other_callers_alive(self) -> bool:
        """Whether a thread other than this one has used the fake and is still running."""
        me = threading.get_ident()
        return any(ident != me and thread.is_alive() for ident, thread in self._callers.items())

    def wait_until(self, at: float) -> None:
        """Let time pass until ``at`` (fake seconds), waking early if another thread sends.

        Single-threaded, nothing else can happen meanwhile, so the clock jumps at once. With
        other live threads using the fake, wait in real time (lock released) for a change, and
        if none comes, still jump the clock to ``at`` so frozen clocks move too.
        """
        now = self.clock.now()
        if at <= now or self.polls_ended():
            return
        # Condition.wait times out on threading's own monotonic clock, which freezegun leaves
        # alone (it ignores the threading module), so a frozen clock cannot hang this wait.
        if self.other_callers_alive() and self.changed.wait(timeout=at - now):
            return
        later = self.clock.now()
        if later < at:
            self.clock.advance(at - later)

    def _jump_towards(self, at: float) -> bool:
        """An async long poll found the loop idle: move the clock to ``at``, or sooner to the
        next change scheduled anywhere in the fake. False when time may not move (yet)."""
        now = self.clock.now()
        if self.polls_ended() or at <= now:
            return False
        self.backend.run_move_tasks(now)
        upcoming = self.backend.next_scheduled_at(now)
        target = at if upcoming is None else min(at, upcoming)
        if target <= now:
            return False
        self.clock.advance(target - now)
        self.backend.run_move_tasks(target)
        self.notify()
        return True

    def notify(self) -> None:
        self.changed.notify_all()


@dataclass(frozen=True, slots=True)
class _Waiting:
    """A call whose long poll is still waiting, with the request id it will answer with."""

    request_id: str
    pending: Pending


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
            "content-type": "application/x-amz-json-1.0",
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
