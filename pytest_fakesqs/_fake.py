"""FakeSQS: the object a test holds. Activation, options and time travel."""

from __future__ import annotations

import copy
import functools
import inspect
import os
import sys
import time
import unittest
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO, TypeVar, overload

from . import _escapes, _hooks, _report, _setup, _time_travel
from ._app_clocks import ProcessFreeze
from ._clock import Clock
from ._engine import DEFAULT_SENDER_ID, Engine
from ._errors import SQSError
from ._ids import IdGenerator, default_seed
from ._inspect import QueueView
from ._journal import DEFAULT_HISTORY_LIMIT, CallJournal
from ._lambda import _setup as _lambda_setup
from ._long_polls import MODES
from ._model.backend import DEFAULT_ACCOUNT_ID, Backend
from ._model.realism import Realism, dice_for

if TYPE_CHECKING:
    from ._lambda._invocation import Invocation
    from ._lambda._mapping import EventSourceMapping
    from ._server import FakeSQSServer

F = TypeVar("F", bound=Callable[..., Any])

#: Set while a fake is active when the environment has none, so no real credential lookup
#: (which may reach the instance metadata service over the network) ever happens.
_DUMMY_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def _realism(value: Realism | Mapping[str, Any] | bool | None) -> Realism | None:
    """The ``realism`` option: a Realism, its keywords as a dict, True (typical) or off."""
    if value is None or value is False:
        return None
    if value is True:
        return Realism.typical()
    if isinstance(value, Realism):
        return value
    if isinstance(value, Mapping):
        return Realism(**value)
    raise ValueError(f"realism= takes True, a dict of Realism's options or a Realism: {value!r}")


@dataclass(frozen=True)
class Snapshot:
    """Every queue and message of a fake at one moment, and the fake's time then.

    Made by `FakeSQS.snapshot()`; pass it to
    `FakeSQS.restore()` of this fake or any other, as many
    times as you like: each restore gets a fresh copy.
    """

    time: float
    """The fake's time when the snapshot was taken, in epoch seconds."""
    _backend: Backend

    @property
    def at(self) -> datetime:
        """The fake's time when the snapshot was taken, as a timezone-aware UTC datetime."""
        return datetime.fromtimestamp(self.time, tz=timezone.utc)


def _check_history_limit(value: object) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(
            f"history_limit= takes a positive int, or None to keep everything; got {value!r}"
        )


def _to_timestamp(value: datetime | str | float | int) -> float:
    at = value
    if isinstance(at, str):
        at = datetime.fromisoformat(at.replace("Z", "+00:00"))
    if isinstance(at, datetime):
        at = (at if at.tzinfo is not None else at.replace(tzinfo=timezone.utc)).timestamp()
    # The fake's time must be a datetime too (fake.now, the timestamps in answers).
    if not _time_travel.EARLIEST <= at <= _time_travel.LATEST:  # False for NaN too
        raise ValueError(
            f"freeze= takes a time from 0001-01-01 to 9999-12-31T23:59:59Z, got {value!r}"
        )
    return float(at)


class FakeSQS:
    """A fake Amazon SQS serving every botocore SQS client in the process while active.

    Made by `mock_sqs` or the `fake_sqs` fixture; the constructor
    is private. Use it as a context manager, or as a decorator on a function, an `async def`
    function or a `unittest.TestCase` class (a fresh fake for each call or test):

    ```python
    with mock_sqs() as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        fake.advance(30)
    ```
    """

    def __init__(
        self,
        *,
        seed: int | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        freeze: datetime | str | float | None = None,
        sender_id: str = DEFAULT_SENDER_ID,
        queues: Sequence[str | Mapping[str, Any]] = (),
        realism: Realism | Mapping[str, Any] | bool | None = None,
        keep_history: bool = True,
        event_sources: Sequence[Mapping[str, Any]] = (),
        long_polls: str = "virtual",
        freeze_process: bool = False,
        history_limit: int | None = DEFAULT_HISTORY_LIMIT,
    ) -> None:
        if long_polls not in MODES:
            raise ValueError(f"long_polls= takes 'virtual' or 'real', got {long_polls!r}")
        self._options: dict[str, Any] = {
            "event_sources": event_sources,
            "keep_history": keep_history,
            "long_polls": long_polls,
            "freeze_process": bool(freeze_process),
            "history_limit": history_limit,
            "seed": seed,
            "account_id": account_id,
            "freeze": freeze,
            "sender_id": sender_id,
            "queues": queues,
            "realism": realism,
        }
        # Checked now, so a bad option fails where it is written, not at start().
        self._queue_specs = _setup.queue_specs(queues)
        self._realism = _realism(realism)
        self._event_source_specs = _lambda_setup.option_specs(event_sources)
        _check_history_limit(history_limit)
        if freeze is not None:
            _to_timestamp(freeze)
        self._engine: Engine | None = None
        self._saved_environment: dict[str, str | None] = {}
        self._process_freeze: ProcessFreeze | None = None
        #: The threads alive when it started, for the escape guard (None when it is off).
        self._threads_at_start: set[Any] | None = None

    # --- activation -------------------------------------------------------------------------

    def start(self) -> FakeSQS:
        """Activate with fresh state and return the fake: from now on every SQS call in the
        process is served by it. Raises RuntimeError if it is already active; the context
        manager and the fixtures call it for you."""
        if self._engine is not None:
            raise RuntimeError("this FakeSQS is already active")
        freeze = self._options["freeze"]
        seed = self._options["seed"]
        frozen_at = None if freeze is None else _to_timestamp(freeze)
        if self._options["freeze_process"]:
            # The whole process on the fake's clock: freezegun freezes time.time(), which the
            # fake's clock then follows, and moving the fake moves freezegun.
            self._process_freeze = ProcessFreeze(time.time() if frozen_at is None else frozen_at)
            self._process_freeze.start()
            frozen_at = None
        engine = Engine(
            clock=Clock(frozen_at),
            ids=IdGenerator(default_seed() if seed is None else seed),
            account_id=self._options["account_id"],
            sender_id=self._options["sender_id"],
            keep_history=self._options["keep_history"],
            history_limit=self._options["history_limit"],
        )
        engine.dice = dice_for(self._realism, engine.ids.seed)
        engine.polls.mode = self._options["long_polls"]
        for spec in self._queue_specs:
            _setup.create_queue(engine, spec)
        self._engine = engine
        for index, event_source in enumerate(self._event_source_specs):
            try:
                self.event_source_mapping(**event_source)
            except Exception as error:  # any problem of the option is the option's
                self._engine = None
                raise ValueError(f"event_sources[{index}]: {error}") from error
        _hooks.install()
        _hooks.attach_made_before_hooks()
        self._attach_default_boto3_session()
        self._saved_environment = {}
        for name, value in _DUMMY_ENVIRONMENT.items():
            if not os.environ.get(name):
                self._saved_environment[name] = os.environ.get(name)
                os.environ[name] = value
        if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
            self._saved_environment["AWS_DEFAULT_REGION"] = os.environ.get("AWS_DEFAULT_REGION")
            os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
        self._threads_at_start = _escapes.threads_now()
        _hooks.push(self._engine)
        return self

    def stop(self) -> None:
        """Deactivate: SQS calls go back to wherever they went before (an enclosing fake,
        moto, or AWS), and this fake's queues, views and clock are gone. Does nothing if it
        is not active."""
        if self._engine is None:
            return
        _hooks.pop(self._engine)
        self._engine.end_long_polls()
        if self._process_freeze is not None:
            self._process_freeze.stop()
            self._process_freeze = None
        _escapes.fake_stopped(self._threads_at_start)
        self._threads_at_start = None
        for name, value in self._saved_environment.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        self._saved_environment = {}
        self._engine = None

    @staticmethod
    def _attach_default_boto3_session() -> None:
        boto3 = sys.modules.get("boto3")
        session = getattr(boto3, "DEFAULT_SESSION", None)
        if session is not None:
            _hooks.attach(session)

    @property
    def active(self) -> bool:
        """Whether the fake is serving calls: True between `start()` and `stop()`."""
        return self._engine is not None

    def __enter__(self) -> FakeSQS:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @overload
    def __call__(self, target: type[unittest.TestCase]) -> type[unittest.TestCase]: ...

    @overload
    def __call__(self, target: F) -> F: ...

    def __call__(self, target: Any) -> Any:
        """Decorate `target` with this fake's options: a function or `async def` function gets
        a fresh fake for each call, a `unittest.TestCase` class a fresh fake for each test
        (with its `setUp` and `tearDown`), reachable there as `self.fake_sqs`."""
        if isinstance(target, type) and issubclass(target, unittest.TestCase):
            return self._decorate_test_case(target)
        if inspect.iscoroutinefunction(target):

            @functools.wraps(target)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with self._fresh():
                    return await target(*args, **kwargs)

            return run_async

        @functools.wraps(target)
        def run(*args: Any, **kwargs: Any) -> Any:
            with self._fresh():
                return target(*args, **kwargs)

        return run

    @contextmanager
    def _fresh(self) -> Iterator[FakeSQS]:
        fake = FakeSQS(**self._options)
        with fake:
            yield fake

    def _decorate_test_case(self, case: type[unittest.TestCase]) -> type[unittest.TestCase]:
        original_run = case.run
        fresh = self._fresh

        # Wrapping run() keeps the fake active across setUp, the test and tearDown.
        @functools.wraps(original_run)
        def run(test: unittest.TestCase, result: Any = None) -> Any:
            with fresh() as fake:
                test.fake_sqs = fake  # type: ignore[attr-defined]
                return original_run(test, result)

        case.run = run  # type: ignore[method-assign, assignment]
        for fixture in ("setUpClass", "tearDownClass"):
            _guard_class_fixture(case, fixture)
        return case

    # --- time -------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        """The active engine behind this fake: internal, not part of the public API. Raises
        RuntimeError when the fake is not active."""
        if self._engine is None:
            raise RuntimeError("this FakeSQS is not active: use it as a context manager first")
        return self._engine

    def advance(self, amount: float | timedelta = 0, /, **units: float) -> None:
        """Move the fake's clock forward by `amount` (seconds, or a `timedelta`) plus any
        `timedelta` keywords in `units`: `advance(30)`, `advance(timedelta(minutes=5))`,
        `advance(minutes=5)`. Delays, visibility timeouts, retention and move tasks play out
        at once. The clock never moves back: a negative total raises ValueError, as do NaN,
        an infinity and a total that would take it past the year 9999 (the fake is then
        unchanged). When freezegun or time-machine is active, their clock moves by as much:
        the code under test sees the same time as SQS.

        With event source mappings, the clock steps through every moment one is due on the
        way, running its invocations there, in this thread: a batch that fails at t is invoked
        again at t + its visibility timeout within the same `advance()`.
        """
        _time_travel.advance(self.engine, _time_travel.seconds_of(amount, units))

    @property
    def next_change_at(self) -> datetime | None:
        """When something next changes on its own (a delay or visibility timeout ends, a
        message expires, a deduplication id is forgotten, a cool-down ends, a move task
        steps, an event source mapping is due), as a timezone-aware UTC datetime; None when
        nothing is scheduled. It is now itself when a mapping has work due now."""
        at = _time_travel.next_change_at(self.engine)
        return None if at is None else datetime.fromtimestamp(at, tz=timezone.utc)

    def advance_to_next_change(self) -> datetime | None:
        """Jump the clock to `next_change_at`, run the
        event source mappings due there, and return it; with nothing scheduled, return None and
        leave the clock where it is."""
        at = _time_travel.advance_to_next_change(self.engine)
        return None if at is None else datetime.fromtimestamp(at, tz=timezone.utc)

    def run_until(
        self, condition: Callable[[], object], *, within: float | timedelta | None = None
    ) -> datetime:
        """Jump from scheduled change to scheduled change until `condition()` is true, and
        return the fake's time when it became true. `condition` is any callable and may call
        SQS; `within` (seconds or a `timedelta`) bounds the fake time spent. Fails with
        AssertionError if nothing more is scheduled, or once `within` has passed; a negative,
        NaN, infinite or past-the-year-9999 `within` raises ValueError before anything runs."""
        engine = self.engine
        limit = None
        if within is not None:
            limit = _time_travel.seconds_of(within, {}, taker="run_until(within=...)")
            if limit < 0:
                raise ValueError(f"run_until(within=...) cannot be negative; got {within!r}")
            _time_travel.check_reachable(engine, limit)
        at = _time_travel.run_until(engine, condition, limit)
        return datetime.fromtimestamp(at, tz=timezone.utc)

    # --- Lambda event source mappings -------------------------------------------------------

    def event_source_mapping(
        self,
        queue: str | QueueView,
        handler: Callable[..., Any] | str,
        *,
        batch_size: int = 10,
        maximum_batching_window: int | timedelta = 0,
        report_batch_item_failures: bool = False,
        filter_criteria: Mapping[str, Any] | Sequence[Mapping[str, Any] | str] | None = None,
        maximum_concurrency: int | None = None,
        function_name: str | None = None,
        timeout: int = 3,
        memory_size: int = 128,
        enabled: bool = True,
        region: str | None = None,
    ) -> EventSourceMapping:
        """Attach `handler` to `queue` as AWS Lambda's SQS event source mapping would, and
        return the `EventSourceMapping`.

        From then on, every time the clock moves (and on `run_due()`), the mapping receives
        the queue's messages and calls `handler(event, context)` with Lambda's SQS event, in
        this thread. A normal return deletes the batch; an exception leaves it to come back
        after the visibility timeout (and to the dead-letter queue past `maxReceiveCount`).

        `queue` is a name (looked up as `queue()` does, in `region` if given), a URL, an ARN
        or a `QueueView`. `handler` is a function (`async def` too) or its dotted path
        (`"app.handlers.handler"`). The options are Lambda's: `batch_size` (`BatchSize`, 1 to
        10,000; above 10 needs a window; FIFO: at most 10), `maximum_batching_window`
        (`MaximumBatchingWindowInSeconds`, 0 to 300; not on FIFO),
        `report_batch_item_failures` (`FunctionResponseTypes: ["ReportBatchItemFailures"]`),
        `filter_criteria` (`{"Filters": [{"Pattern": "..."}]}`, or a list of patterns),
        `maximum_concurrency` (`ScalingConfig.MaximumConcurrency`, 2 to 1,000), and the
        function's `function_name` (default: the handler's name), `timeout` (seconds, at most
        the queue's visibility timeout) and `memory_size`; `enabled=False` makes it disabled.
        A configuration Lambda refuses raises what boto3's Lambda client raises for it:
        botocore's `ClientError` (`InvalidParameterValueException`...) or
        `ParamValidationError`.
        """
        engine = self.engine
        if isinstance(queue, QueueView):
            found = queue._queue
        elif isinstance(queue, str) and queue.startswith("arn:"):
            with engine.lock:
                by_arn = engine.backend.by_arn(queue)
            if by_arn is None:
                raise LookupError(f"no queue {queue!r}; the fake has: {self._known_queues()}")
            found = by_arn
        else:
            found = self.queue(queue, region=region)._queue
        return _lambda_setup.create(
            engine,
            found,
            handler,
            batch_size=batch_size,
            maximum_batching_window=maximum_batching_window,
            report_batch_item_failures=report_batch_item_failures,
            filter_criteria=filter_criteria,
            maximum_concurrency=maximum_concurrency,
            function_name=function_name,
            timeout=timeout,
            memory_size=memory_size,
            enabled=enabled,
        )

    @property
    def event_source_mappings(self) -> list[EventSourceMapping]:
        """Every event source mapping of this fake, in the order they were made."""
        return self.engine.event_sources.mappings

    def run_due(self) -> list[Invocation]:
        """Run every event source mapping invocation due now, without moving the clock, and
        return the new `Invocation`s, oldest first. (Moving the
        clock runs them too: call this after sending, to see the handler run at once.)"""
        sources = self.engine.event_sources
        sources.refuse_inside_handler("run_due()")
        before = sources.invocation_count()
        sources.run_due()
        return sources.invocations_since(before)

    @property
    def time(self) -> float:
        """The fake's time as seconds since the epoch (a float)."""
        return self.engine.clock.now()

    @property
    def now(self) -> datetime:
        """The fake's time as a timezone-aware UTC datetime."""
        return datetime.fromtimestamp(self.time, tz=timezone.utc)

    @property
    def seed(self) -> int:
        """The seed of this activation's ids: the one given, or the default one. Pass it to
        `mock_sqs(seed=...)` or the marker's `seed=` to repeat a run's ids."""
        return self.engine.ids.seed

    def attach(self, client_or_session: Any) -> None:
        """Serve `client_or_session` (a botocore client, a botocore session or a boto3
        session) made before pytest-fakesqs hooked botocore, as outside pytest a client made
        before the first fake started. Permanent and harmless: when no fake is active, the
        hooks let calls through."""
        _hooks.attach(client_or_session)

    def end_long_polls(self) -> None:
        """From now on no long poll waits: those waiting return at once, with what is there
        (usually nothing), and later ones behave as short polls, until
        `resume_long_polls()`. The clock does not
        move. For ending worker threads quickly: `stop.set(); fake.end_long_polls(); t.join()`."""
        self.engine.end_long_polls()

    def resume_long_polls(self) -> None:
        """Undo `end_long_polls()`: long polls made
        from now on wait (or jump the clock) again, so a worker started afterwards does not
        spin on short polls. Does nothing if long polls were not ended."""
        self.engine.resume_long_polls()

    def serve(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        region: str = "us-east-1",
        request_log: TextIO | None = None,
    ) -> FakeSQSServer:
        """Serve this fake over HTTP on `host:port` (port 0: any free port) and return the
        running `FakeSQSServer`: subprocesses, the AWS CLI,
        other SDKs and boto 2 then reach the same queues on the same clock. `region` is for
        requests whose signature names none. `request_log` (a text stream such as
        `sys.stderr`) gets one line per request: the fake's time, the operation, the queue,
        the HTTP status and `ok` or the error. Stop it with `stop()` or a `with` block; the
        `fake_sqs_server` fixture does both for you."""
        from ._server import FakeSQSServer

        return FakeSQSServer(self, host=host, port=port, region=region, request_log=request_log)

    # --- inspection -------------------------------------------------------------------------

    def queue(
        self, name_or_url: str, *, region: str | None = None, account_id: str | None = None
    ) -> QueueView:
        """A `QueueView` that reads one queue without changing it.

        `name_or_url` is the queue's name or URL. By name, the queue is looked up in
        `account_id` (default: the fake's) and `region`; without a region, in whichever
        region holds a queue of that name. Raises LookupError, listing the known queues, when
        there is no such queue, or when the name is in several regions and no region is given.
        """
        engine = self.engine
        account = account_id or engine.account_id
        with engine.lock:
            if "/" in name_or_url:
                try:
                    queue = engine.backend.by_url(name_or_url, region or "us-east-1", account)
                except SQSError:
                    raise LookupError(
                        f"no queue at {name_or_url!r}; the fake has: {self._known_queues()}"
                    ) from None
                return QueueView(engine, queue)
            found = [
                queue
                for (owner, queue_region), state in engine.backend.regions().items()
                if owner == account and region in (None, queue_region)
                for name, queue in state.queues.items()
                if name == name_or_url
            ]
            if len(found) == 1:
                return QueueView(engine, found[0])
            if found:
                regions = sorted(queue.region for queue in found)
                raise LookupError(
                    f"queue {name_or_url!r} exists in several regions {regions}: pass region="
                )
            raise LookupError(
                f"no queue named {name_or_url!r} in account {account}"
                + (f" and region {region}" if region else "")
                + f"; the fake has: {self._known_queues()}"
            )

    def _known_queues(self) -> str:
        """Every queue, for a lookup's error message."""
        queues = self.engine.backend.all_queues()
        return ", ".join(sorted(f"{q.name} ({q.region})" for q in queues)) or "no queues"

    def queues(self) -> list[QueueView]:
        """A `QueueView` of every queue of every account and
        region, sorted by region then name."""
        engine = self.engine
        with engine.lock:
            engine.backend.run_move_tasks(engine.now())
            found = sorted(engine.backend.all_queues(), key=lambda q: (q.region, q.name))
            return [QueueView(engine, queue) for queue in found]

    @property
    def calls(self) -> CallJournal:
        """The `CallJournal`: the SQS calls this fake served (the
        last `history_limit` of them), in order, with their operation, params, response or
        error, and the fake's time. Raises RuntimeError when the fake was made with
        `keep_history=False`."""
        engine = self.engine
        if not engine.backend.keep_history:
            raise RuntimeError("this fake keeps no call journal (keep_history=False)")
        return engine.journal

    def report(self) -> str:
        """The fake's state as text, every queue with its messages, the last calls and each
        event source mapping's last invocations: what pytest shows under a failing test that
        used a fake fixture."""
        return _report.describe(self.engine)

    # --- setup ------------------------------------------------------------------------------

    def create_queue(
        self,
        name: str,
        attributes: Mapping[str, Any] | None = None,
        *,
        tags: Mapping[str, str] | None = None,
        region: str = _setup.DEFAULT_REGION,
    ) -> QueueView:
        """Create a queue without a client (not journaled) and return its
        `QueueView`. `name` ending in `.fifo` makes a FIFO
        queue; `attributes` are CreateQueue's, with values that may be numbers or booleans;
        `tags` are the queue's tags and `region` its region (default `us-east-1`). Invalid
        input raises botocore's ClientError with SQS's error, as CreateQueue would."""
        engine = self.engine
        spec = _setup.QueueSpec(name, dict(attributes or {}), dict(tags or {}), region)
        with engine.lock:
            url = _setup.create_queue(engine, spec)
            return QueueView(engine, engine.backend.by_url(url, region, engine.account_id))

    def snapshot(self) -> Snapshot:
        """Copy every queue and message, and the fake's time, into a
        `Snapshot` to `restore`
        later."""
        engine = self.engine
        with engine.lock:
            engine.backend.run_move_tasks(engine.now())
            return Snapshot(engine.now(), copy.deepcopy(engine.backend))

    def restore(self, snapshot: Snapshot) -> None:
        """Replace every queue and message by a copy of `snapshot`'s, and put the clock at
        the snapshot's time (even if that is earlier). The call journal, planned faults and
        ids carry on."""
        engine = self.engine
        with engine.lock:
            engine.backend = copy.deepcopy(snapshot._backend)
            engine.clock.set(snapshot.time)
            engine.event_sources.forget_batches()
            engine.notify()

    def reset(self) -> None:
        """Empty the fake: delete every queue and message, then create the `queues=` of its
        options again, as `start()` did. The call journal and planned faults are cleared; the
        clock, the ids and realism carry on. Long polls waiting in other threads return at
        once, empty. Views of a queue created again follow the new one."""
        engine = self.engine
        with engine.lock:
            engine.reset()
            for spec in self._queue_specs:
                _setup.create_queue(engine, spec)

    # --- faults -----------------------------------------------------------------------------

    def fail_next(
        self, operation: str, error_code: str, count: int = 1, *, message: str | None = None
    ) -> None:
        """Make the next `count` calls of `operation` (an API name such as `SendMessage`)
        fail with the SQS error `error_code`, exact in code, HTTP status and shape:
        `fail_next("SendMessage", "ThrottlingException")`. `message` replaces the error's
        usual message. Planned failures queue up in order, and the calls fail before reaching
        the queues."""
        self.engine.faults.add(operation, error_code, count, message)

    def set_realism(self, realism: Realism | Mapping[str, Any] | bool | None) -> None:
        """From now on, imitate standard queues' imperfections with `realism`: True
        (`Realism.typical()`), a dict of
        `Realism`'s fields, or a `Realism`; None or False turns it
        off. The draws are seeded by the fake's seed."""
        engine = self.engine
        chosen = _realism(realism)
        with engine.lock:
            engine.dice = dice_for(chosen, engine.ids.seed)


def _guard_class_fixture(case: type[unittest.TestCase], name: str) -> None:
    """Make SQS calls in a decorated class's setUpClass or tearDownClass, which no fake
    covers, refused rather than sent to AWS (in a pytest run: see ``_escapes``)."""
    original = getattr(case, name).__func__
    where = f"{case.__qualname__}.{name}"

    @functools.wraps(original)
    def guarded(cls: type[unittest.TestCase]) -> Any:
        with _escapes.class_fixture(where):
            return original(cls)

    setattr(case, name, classmethod(guarded))


@overload
def mock_sqs(func: F) -> F: ...


@overload
def mock_sqs(
    func: None = None,
    *,
    seed: int | None = None,
    account_id: str = DEFAULT_ACCOUNT_ID,
    freeze: datetime | str | float | None = None,
    sender_id: str = DEFAULT_SENDER_ID,
    queues: Sequence[str | Mapping[str, Any]] = (),
    realism: Realism | Mapping[str, Any] | bool | None = None,
    keep_history: bool = True,
    event_sources: Sequence[Mapping[str, Any]] = (),
    long_polls: str = "virtual",
    freeze_process: bool = False,
    history_limit: int | None = DEFAULT_HISTORY_LIMIT,
) -> FakeSQS: ...


def mock_sqs(func: Any = None, **options: Any) -> Any:
    """A fake SQS: `with mock_sqs() as fake:`, `@mock_sqs`, or `@mock_sqs(seed=1)`.

    Returns a `FakeSQS`, or, given `func`, the decorated function.
    Options: `seed` (reproducible ids; by default seeded from the running test's id),
    `account_id` (default 123456789012), `freeze` (a datetime, ISO 8601 string or epoch
    seconds: the clock starts there and moves only when the test moves it), `sender_id` (the
    SenderId of sent messages), `queues` (queues to create at start: names or dicts with
    name, attributes, tags, region), `realism` (seeded duplicates, reordering and sampled
    short polls on standard queues: True, a dict, or a `Realism`),
    `keep_history` (False: no call journal and no record of gone messages, for runs of
    many messages), `history_limit` (how many calls the journal keeps, and gone messages each
    queue keeps: 10,000 by default, None for all; the oldest go first, and
    `fake.calls.dropped` and `QueueView.dropped_from_history` count them), `event_sources`
    (Lambda event source mappings to attach at start: dicts with `queue`, `handler` (a
    function or its dotted path) and any of
    `event_source_mapping`'s options),
    `long_polls` ("virtual", the default: a long poll jumps the clock when nothing else in the
    test can act; "real": it waits in real time, as SQS does) and `freeze_process` (True:
    freeze the whole process on the fake's clock through freezegun, so `time.time()`,
    `time.monotonic()` and `datetime.now()` move only with the fake).
    """
    if func is not None:
        return FakeSQS(**options)(func)
    return FakeSQS(**options)
