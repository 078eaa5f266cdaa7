"""Moving the fake's clock for a test: by an amount, to the next scheduled change, or until a
condition holds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from ._engine import Engine

#: run_until gives up after this many jumps: a condition that a schedule keeps feeding (a move
#: task stepping 500 times a second, say) must not spin for ever.
MAX_JUMPS = 100_000


def seconds_of(amount: float | timedelta, units: dict[str, float]) -> float:
    """``advance()``'s arguments as seconds: a number or timedelta plus timedelta keywords."""
    if isinstance(amount, timedelta):
        amount = amount.total_seconds()
    if isinstance(amount, bool) or not isinstance(amount, (int, float)):
        raise TypeError(f"advance() takes seconds or a timedelta, got {amount!r}")
    return float(amount) + timedelta(**units).total_seconds()


def advance(engine: Engine, seconds: float) -> None:
    with engine.lock:
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
