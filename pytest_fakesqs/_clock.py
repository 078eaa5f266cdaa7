"""The fake's notion of now.

The clock reads ``time.time()`` through the module attribute on every call, never a saved
reference, so freezegun and time-machine move it; on top sits an offset the test moves with
``advance()``. In frozen mode it ignores ``time.time()`` entirely: time starts at a chosen
instant and moves only when the test (or a long poll) moves it.
"""

from __future__ import annotations

import time


class Clock:
    """Seconds since the epoch, as a float, that a test can move forward."""

    __slots__ = ("_frozen_at", "_offset")

    def __init__(self, frozen_at: float | None = None) -> None:
        self._frozen_at = frozen_at
        self._offset = 0.0

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def now(self) -> float:
        base = self._frozen_at if self._frozen_at is not None else time.time()
        return base + self._offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError(f"the fake's clock only moves forward; got {seconds} seconds")
        self._offset += seconds

    def set(self, at: float) -> None:
        """Put the clock at ``at``, even backwards: only for restoring a snapshot, whose whole
        state belongs to that moment."""
        self._offset += at - self.now()
