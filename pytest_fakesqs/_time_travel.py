"""Moving the fake's clock for a test: by an amount, to the next scheduled change, or until a
condition holds.

Every move goes through ``_move_clock``. With Lambda event source mappings the clock steps
from one due moment to the next, running what is due at each (``engine.event_sources``), so a
batch that fails at t is invoked again at t + its visibility timeout inside the same
``advance()``. Without mappings (the usual case) a move is one step, as cheap as ever.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

from ._engine import Engine
from ._model.queue import earliest

#: run_until gives up after this many jumps: a condition that a schedule keeps feeding (a move
#: task stepping 500 times a second, say) must not spin for ever. advance() steps at most this
#: many due moments too.
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


def _move_clock(engine: Engine, seconds: float) -> None:
    """Move the fake's clock (and the application's frozen clock) forward, because the test
    moved time: no long poll runs away meanwhile. Call under the engine's lock."""
    engine.calls += 1
    engine.move_clock(seconds)


def advance(engine: Engine, seconds: float) -> None:
    sources = engine.event_sources
    sources.refuse_inside_handler("advance()")
    if seconds < 0:
        engine.clock.advance(seconds)  # raises, with the clock's own message
    with engine.lock:
        check_reachable(engine, seconds)
        if not sources:
            _move_clock(engine, seconds)
            return
    remaining = seconds
    for _ in range(MAX_JUMPS):
        sources.run_due()
        if remaining <= 0:
            return
        with engine.lock:
            now = engine.now()
            upcoming = engine.next_scheduled_at(now)
            step = remaining if upcoming is None else min(upcoming - now, remaining)
            _move_clock(engine, step)
        remaining -= step
    raise RuntimeError(f"advance(): more than {MAX_JUMPS:,} due moments on the way")


def next_change_at(engine: Engine) -> float | None:
    """The next scheduled change, or ``now`` itself when a mapping has work due now."""
    with engine.lock:
        now = engine.now()
        engine.backend.run_move_tasks(now)
        return earliest(
            [engine.backend.next_scheduled_at(now), engine.event_sources.next_due_at(now)]
        )


def advance_to_next_change(engine: Engine) -> float | None:
    """Jump to the next scheduled change and run what is due there; None (and no move) when
    nothing is scheduled. A mapping with work due now runs now, without a jump."""
    sources = engine.event_sources
    sources.refuse_inside_handler("advance_to_next_change()")
    with engine.lock:
        now = engine.now()
        at = next_change_at(engine)
    if at is not None and at <= now:
        if sources.run_due():
            return now
        with engine.lock:
            at = engine.next_scheduled_at(now)
    if at is None:
        return None
    with engine.lock:
        _move_clock(engine, max(0.0, at - engine.now()))  # move tasks due there step too
    sources.run_due()
    return at


def run_until(engine: Engine, condition: Callable[[], object], within: float | None) -> float:
    """Jump from scheduled change to scheduled change until ``condition()`` is true.

    The condition runs first at the current time and after each jump, without the fake's lock,
    so it may call SQS. Raises AssertionError if it is still false when nothing more is
    scheduled, or when ``within`` seconds of fake time have passed.
    """
    engine.event_sources.refuse_inside_handler("run_until()")
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
