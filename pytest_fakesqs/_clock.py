"""The fake's notion of now.

The clock reads ``time.time()`` through the module attribute on every call, never a saved
reference, so freezegun and time-machine move it; on top sits an offset the test moves with
``advance()``. In frozen mode it ignores ``time.time()`` entirely: time starts at a chosen
instant and moves only when the test (or a long poll) moves it.

``move()`` is how time passes for a test (advance, a long poll's jump): it moves the
application's frozen clock too, when freezegun or time-machine is active, so both stay in step.
"""

from __future__ import annotations

import math
import time

from . import _app_clocks


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
        """Move the fake's own time only (the application's clock stays)."""
        if seconds < 0:
            raise ValueError(f"the fake's clock only moves forward; got {seconds} seconds")
        self._offset += seconds

    def move(self, seconds: float) -> None:
        """Let ``seconds`` pass for the fake and, when freezegun or time-machine is active,
        for the application's clock too."""
        if seconds < 0 or not math.isfinite(seconds):
            raise ValueError(f"the fake's clock only moves forward; got {seconds} seconds")
        app_clock = _app_clocks.active()
        if app_clock is None:
            self._offset += seconds
            return
        if self._frozen_at is not None:
            self._offset += seconds
            app_clock.move(seconds)
            return
        # The fake reads the application's clock: moving that moves the fake. Whatever it did
        # not move (a module freezegun ignores, rounding) the offset makes up, so the fake
        # always moves by exactly ``seconds``.
        target = self.now() + seconds
        app_clock.move(seconds)
        shortfall = target - self.now()
        if shortfall > 0:
            self._offset += shortfall

    def set(self, at: float) -> None:
        """Put the clock at ``at``, even backwards: only for restoring a snapshot, whose whole
        state belongs to that moment."""
        self._offset += at - self.now()
