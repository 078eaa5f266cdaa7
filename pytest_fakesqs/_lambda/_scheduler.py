"""Every event source mapping of one fake, as the clock sees them.

The engine holds one ``EventSources`` (``engine.event_sources``); the time-travel code asks it
two things:

- ``next_due_at(now)``: the first moment, ``now`` included, when a mapping has something to do
  (call it under the engine's lock);
- ``run_due()``: run every poll and invocation due at the current fake time, in the calling
  thread, without the engine's lock held (it takes the lock itself for receives and deletes,
  and runs handlers without it); whether anything ran.

Handlers may call SQS through any client. They may not move the fake's clock
(``refuse_inside_handler``): time moves between invocations, not inside one. ``run_due()``
called from a thread that is running a handler, or while another thread runs the mappings,
does nothing and returns False.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._invocation import Invocation
    from ._mapping import EventSourceMapping

#: ``run_due`` gives up after this many rounds with work at one moment of fake time: a handler
#: that keeps feeding its own queue, or messages that come straight back, never run dry.
MAX_ROUNDS = 10_000


class EventSources:
    """The event source mappings of one fake, in the order they were made."""

    def __init__(self) -> None:
        self._mappings: list[EventSourceMapping] = []
        self._invocations: list[Invocation] = []
        self._handler_threads: set[int] = set()
        self._running = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self._mappings)

    @property
    def mappings(self) -> list[EventSourceMapping]:
        return list(self._mappings)

    def add(self, mapping: EventSourceMapping) -> None:
        self._mappings.append(mapping)

    def remove(self, mapping: EventSourceMapping) -> None:
        if mapping in self._mappings:
            self._mappings.remove(mapping)

    # --- the clock's questions --------------------------------------------------------------

    def next_due_at(self, now: float) -> float | None:
        """The first moment (``now`` included) a mapping has something to do; None if none."""
        moments = [mapping.due_at(now) for mapping in self._mappings]
        return min((at for at in moments if at is not None), default=None)

    def next_due_after(self, now: float) -> float | None:
        """The first moment strictly after ``now`` a mapping has something to do."""
        moments = [mapping.due_at(now) for mapping in self._mappings]
        return min((at for at in moments if at is not None and at > now), default=None)

    def run_due(self) -> bool:
        """Run every round due now, until none is; whether any ran."""
        if not self._mappings or self.inside_handler():
            return False
        if not self._running.acquire(blocking=False):
            return False
        try:
            ran = False
            for _ in range(MAX_ROUNDS):
                progressed = False
                for mapping in list(self._mappings):
                    if mapping.poll():
                        progressed = True
                if not progressed:
                    return ran
                ran = True
            raise RuntimeError(
                f"the event source mappings still had work after {MAX_ROUNDS:,} poll rounds at "
                "one moment of fake time: a handler keeps sending to its own queue, or failed "
                "messages come straight back (VisibilityTimeout 0) with no dead-letter queue"
            )
        finally:
            self._running.release()

    # --- invocations ------------------------------------------------------------------------

    def record(self, invocation: Invocation) -> None:
        self._invocations.append(invocation)

    def invocation_count(self) -> int:
        return len(self._invocations)

    def invocations_since(self, count: int) -> list[Invocation]:
        return self._invocations[count:]

    # --- re-entrancy ------------------------------------------------------------------------

    @contextmanager
    def handler_thread(self) -> Iterator[None]:
        """Mark the current thread as running a handler while the block runs."""
        ident = threading.get_ident()
        self._handler_threads.add(ident)
        try:
            yield
        finally:
            self._handler_threads.discard(ident)

    def inside_handler(self) -> bool:
        return threading.get_ident() in self._handler_threads

    def refuse_inside_handler(self, what: str) -> None:
        """RuntimeError if the current thread is running a mapping's handler."""
        if self.inside_handler():
            raise RuntimeError(
                f"{what} was called from inside an event source mapping's handler: the fake's "
                "clock moves only between invocations. Move it from the test instead."
            )

    def forget_batches(self) -> None:
        """After a restore: batches a window was gathering held messages of the old state."""
        for mapping in self._mappings:
            mapping._drop_buffer()
