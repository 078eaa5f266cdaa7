"""Moving the fake's clock for a test: by an amount, to the next scheduled change, or until a
condition holds."""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from ._engine import Engine

#: run_until gives up after this many jumps: a condition that a schedule keeps feeding (a move
#: task stepping 500 times a second, say) must not spin for ever.
MAX_JUMPS = 100_000


#: The range of times the fake's clock can show: each must be a datetime too.
EARLIEST = datetime(1, 1, 1, tzinfo=timezone.utc).timestamp()
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()


def _finite(value: float, shown: str) -> float:
    """``value`` as a float; ValueError for NaN, an infinity or an int no float can hold."""
    try:
        seconds = float(value)
    except OverflowError:
        raise ValueError(f"{_PAST_LATEST}; got an int too large for a float") from None
    if not math.isfinite(seconds):
        raise ValueError(f"the fake's clock moves by a finite number of seconds; got {shown}")
    return seconds


def seconds_of(
    amount: float | timedelta, units: dict[str, float], taker: str = "advance()"
) -> float:
    """``advance()``'s arguments as seconds: a number or timedelta plus timedelta keywords.
    ``taker`` names what took them, for the errors."""
    if isinstance(amount, timedelta):
        amount = amount.total_seconds()
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise TypeError(f"{taker} takes seconds or a timedelta, got {amount!r}")
    seconds = _finite(amount, repr(amount))
    for name, value in units.items():
        # timedelta itself turns NaN into "cannot convert float NaN to integer" and a huge
        # value into OverflowError: say what is wrong instead.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            _finite(value, f"{name}={value!r}")
    try:
        extra = timedelta(**units).total_seconds()
    except OverflowError:
        shown = ", ".join(f"{name}={value!r}" for name, value in units.items())
        raise ValueError(f"{_PAST_LATEST}; got {shown}") from None
    return seconds + extra


_PAST_LATEST = "the fake's clock cannot go past 9999-12-31T23:59:59Z"


def check_reachable(engine: Engine, seconds: float) -> None:
    """ValueError, leaving the fake as it is, if the clock cannot move ``seconds`` forward."""
    if engine.now() + seconds > LATEST:
        raise ValueError(f"{_PAST_LATEST}; got {seconds:g} seconds from {_shown(engine.now())}")


def _shown(at: float) -> str:
    return datetime.fromtimestamp(at, tz=timezone.utc).isoformat().replace("+00:00", "Z")


def advance(engine: Engine, seconds: float) -> None:
    with engine.lock:
        check_reachable(engine, seconds)
        engine.clock.advance(seconds)
        engine.notify()


def next_change_at(engine: Engine) -> float | None:
    with engine.lock:
        now = engine.now()
        engine.backend.run_move_tasks(now)
        return engine.backend.next_scheduled_at(now)


def advance_to_next_change(engine: Engine) -> float | None:
    """Jump to the next scheduled change; None (and no move) when nothing is scheduled."""
    with engine.lock:
        at = next_change_at(engine)
        if at is not None:
            engine.clock.advance(at - engine.now())
            engine.backend.run_move_tasks(at)
            engine.notify()
        return at


def run_until(engine: Engine, condition: Callable[[], object], within: float | None) -> float:
    """Jump from scheduled change to scheduled change until ``condition()`` is true.

    The condition runs first at the current time and after each jump, without the fake's lock,
    so it may call SQS. Raises AssertionError if it is still false when nothing more is
    scheduled, or when ``within`` seconds of fake time have passed.
    """
    start = engine.now()
    deadline = None if within is None else start + within
    for _ in range(MAX_JUMPS):
        if condition():
            return engine.now()
        at = next_change_at(engine)
        if deadline is not None and (at is None or at > deadline):
            if engine.now() < deadline:
                advance(engine, deadline - engine.now())
                if condition():
                    return engine.now()
            raise AssertionError(
                f"run_until: condition still false after {within:g} seconds of fake time"
            )
        if at is None:
            waited = engine.now() - start
            raise AssertionError(
                f"run_until: condition still false and nothing more is scheduled "
                f"(after {waited:g} seconds of fake time)"
            )
        advance_to_next_change(engine)
    raise AssertionError(f"run_until: condition still false after {MAX_JUMPS} scheduled changes")
