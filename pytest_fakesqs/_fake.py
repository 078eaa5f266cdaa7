"""FakeSQS: the object a test holds. Activation, options and time travel."""

from __future__ import annotations

import functools
import inspect
import os
import sys
import unittest
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from types import TracebackType
from typing import Any, TypeVar, overload

from . import _hooks
from ._clock import Clock
from ._engine import DEFAULT_SENDER_ID, Engine
from ._ids import IdGenerator
from ._model.backend import DEFAULT_ACCOUNT_ID

F = TypeVar("F", bound=Callable[..., Any])

#: Set while a fake is active when the environment has none, so no real credential lookup
#: (which may reach the instance metadata service over the network) ever happens.
_DUMMY_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
}


def _to_timestamp(value: datetime | str | float | int) -> float:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.timestamp()


class FakeSQS:
    """A fake Amazon SQS serving every botocore SQS client in the process while active.

    Made by :func:`pytest_fakesqs.mock_sqs` or the ``fake_sqs`` fixture; the constructor is
    private. Use it as a context manager, or as a decorator on a function or TestCase::

        with mock_sqs() as fake:
            client = boto3.client("sqs", region_name="us-east-1")
            url = client.create_queue(QueueName="jobs")["QueueUrl"]
            fake.advance(30)
    """

    def __init__(
        self,
        *,
        seed: int | None = None,
        account_id: str = DEFAULT_ACCOUNT_ID,
        freeze: datetime | str | float | None = None,
        sender_id: str = DEFAULT_SENDER_ID,
    ) -> None:
        self._options: dict[str, Any] = {
            "seed": seed,
            "account_id": account_id,
            "freeze": freeze,
            "sender_id": sender_id,
        }
        self._engine: Engine | None = None
        self._saved_environment: dict[str, str | None] = {}

    # --- activation -------------------------------------------------------------------------

    def start(self) -> FakeSQS:
        """Activate with fresh state: from now on every SQS call is served by this fake."""
        if self._engine is not None:
            raise RuntimeError("this FakeSQS is already active")
        freeze = self._options["freeze"]
        self._engine = Engine(
            clock=Clock(None if freeze is None else _to_timestamp(freeze)),
            ids=IdGenerator(self._options["seed"]),
            account_id=self._options["account_id"],
            sender_id=self._options["sender_id"],
        )
        _hooks.install()
        self._attach_default_boto3_session()
        self._saved_environment = {}
        for name, value in _DUMMY_ENVIRONMENT.items():
            if not os.environ.get(name):
                self._saved_environment[name] = os.environ.get(name)
                os.environ[name] = value
        if not (os.environ.get("AWS_DEFAULT_REGION") or os.environ.get("AWS_REGION")):
            self._saved_environment["AWS_DEFAULT_REGION"] = os.environ.get("AWS_DEFAULT_REGION")
            os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
        _hooks.push(self._engine)
        return self

    def stop(self) -> None:
        """Deactivate; SQS calls go back to wherever they went before."""
        if self._engine is None:
            return
        _hooks.pop(self._engine)
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
        """Decorate a function (fresh fake per call) or a unittest.TestCase (per test)."""
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
        return case

    # --- time -------------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise RuntimeError("this FakeSQS is not active: use it as a context manager first")
        return self._engine

    def advance(self, seconds: float | timedelta = 0, **units: float) -> None:
        """Move the fake's clock forward: ``advance(30)``, ``advance(timedelta(minutes=5))``
        or ``advance(minutes=5)``. Delays, visibility timeouts and retention play out at once.
        """
        if isinstance(seconds, timedelta):
            seconds = seconds.total_seconds()
        total = float(seconds) + timedelta(**units).total_seconds()
        engine = self.engine
        with engine.lock:
            engine.clock.advance(total)
            engine.notify()

    @property
    def time(self) -> float:
        """The fake's time as seconds since the epoch."""
        return self.engine.clock.now()

    @property
    def now(self) -> datetime:
        """The fake's time as a timezone-aware UTC datetime."""
        return datetime.fromtimestamp(self.time, tz=timezone.utc)

    @property
    def seed(self) -> int:
        """The seed of this activation's ids; pass it to ``mock_sqs(seed=...)`` to repeat a run."""
        return self.engine.ids.seed

    def attach(self, client_or_session: Any) -> None:
        """Serve a client or session created before pytest-fakesqs could hook botocore."""
        _hooks.attach(client_or_session)


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
) -> FakeSQS: ...


def mock_sqs(func: Any = None, **options: Any) -> Any:
    """A fake SQS: ``with mock_sqs() as fake:``, ``@mock_sqs``, or ``@mock_sqs(seed=1)``.

    Options: ``seed`` (reproducible ids), ``account_id`` (default 123456789012), ``freeze``
    (a datetime, ISO 8601 string or epoch seconds: the clock starts there and moves only when
    the test moves it), ``sender_id`` (the SenderId of sent messages).
    """
    if func is not None:
        return FakeSQS(**options)(func)
    return FakeSQS(**options)
