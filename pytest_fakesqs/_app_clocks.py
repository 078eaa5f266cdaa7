"""The application's clock when a test has frozen or moved it: freezegun and time-machine.

When one of them is active, ``time.time()`` (and ``datetime.now()``, ``time.monotonic()``...)
return its time for the whole process. Moving the fake's clock moves it too, by the same
amount, so the code under test and SQS see one time: after ``fake.advance(90)`` both
``datetime.now()`` and the next message's SentTimestamp are 90 s later. pytest-freezer's
``freezer`` fixture is freezegun's. Neither library is imported here: one is moved only if the
test already imported and started it.
"""

from __future__ import annotations

import sys
from typing import Any, Protocol


class AppClock(Protocol):
    """A started freezegun freezer or time-machine traveller."""

    def move(self, seconds: float) -> None: ...


class _Freezegun:
    def __init__(self, factory: Any) -> None:
        self._factory = factory

    def move(self, seconds: float) -> None:
        # tick() takes seconds on frozen, ticking and step-ticking factories alike.
        self._factory.tick(seconds)


class _TimeMachine:
    def __init__(self, traveller: Any) -> None:
        self._traveller = traveller

    def move(self, seconds: float) -> None:
        self._traveller.shift(seconds)


def active() -> AppClock | None:
    """The innermost active freezegun freezer or time-machine traveller, if any."""
    freezegun = sys.modules.get("freezegun.api")
    factories = getattr(freezegun, "freeze_factories", None)
    if factories:
        return _Freezegun(factories[-1])
    time_machine = sys.modules.get("time_machine")
    # time-machine 3 keeps its travellers in traveller_stack, 2.x in coordinates_stack.
    travellers = getattr(time_machine, "traveller_stack", None) or getattr(
        time_machine, "coordinates_stack", None
    )
    if travellers:
        return _TimeMachine(travellers[-1])
    return None


class ProcessFreeze:
    """The whole process frozen on the fake's clock through freezegun (``freeze_process``)."""

    def __init__(self, at: float) -> None:
        import freezegun

        self._freezer = freezegun.freeze_time(_utc(at), tick=False)
        self._factory: Any = None

    def start(self) -> None:
        self._factory = self._freezer.start()

    def stop(self) -> None:
        if self._factory is not None:
            self._freezer.stop()
            self._factory = None


def _utc(at: float) -> Any:
    from datetime import datetime, timezone

    return datetime.fromtimestamp(at, tz=timezone.utc)
