"""Opt-in, seeded imperfections of standard queues, as real SQS shows them.

Standard queues promise at-least-once delivery and best-effort order, and a short poll samples
only some of SQS's servers. The fake is exact and orderly by default; a test that wants to prove
its consumer copes turns these on. Every draw comes from one seeded stream, so a failing run
repeats with the same seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Realism:
    """Seeded imperfections of standard queues to imitate, as probabilities per delivered
    message or per receive: the `realism=` option and `FakeSQS.set_realism()` take one (or
    True for `typical()`, or a dict of these fields). A
    probability outside 0 to 1 raises ValueError. FIFO queues are never affected.
    """

    duplicates: float = 0.0
    """The chance that a delivered message is delivered again: half of the time a later
    receive gets it again although it was deleted, half of the time the next receive gets it
    while the first copy is still in flight."""
    reordering: float = 0.0
    """The chance that one receive takes its messages out of send order."""
    short_poll_sampling: bool = False
    """A short poll (`WaitTimeSeconds` 0) returns a random number of the messages available,
    zero included, as SQS does when it samples a few servers."""

    def __post_init__(self) -> None:
        for name in ("duplicates", "reordering"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0 <= value <= 1:
                raise ValueError(f"Realism({name}=...) is a probability from 0 to 1, got {value!r}")

    @classmethod
    def typical(cls) -> Realism:
        """What `realism=True` means, some of everything: duplicates 0.05, reordering 0.2,
        and short-poll sampling on."""
        return cls(duplicates=0.05, reordering=0.2, short_poll_sampling=True)

    @property
    def enabled(self) -> bool:
        """Whether it imitates anything at all (if not, receives stay exact)."""
        return bool(self.duplicates or self.reordering or self.short_poll_sampling)


def dice_for(realism: Realism | None, seed: int) -> Dice | None:
    """The draws for this realism, or None when it imitates nothing (receives stay exact)."""
    return Dice(realism, seed) if realism is not None and realism.enabled else None


class Dice:
    """The seeded draws a realistic receive makes."""

    __slots__ = ("_random", "realism")

    def __init__(self, realism: Realism, seed: int) -> None:
        self.realism = realism
        # A stream of its own: turning realism on does not change the ids a seed gives.
        self._random = random.Random(seed ^ 0x5EED_0F_D1CE)

    def sample_size(self, wanted: int, available: int) -> int:
        """How many messages a short poll returns."""
        if not self.realism.short_poll_sampling:
            return wanted
        return self._random.randint(0, min(wanted, available))

    def reorder(self) -> bool:
        return self._random.random() < self.realism.reordering

    def shuffle(self, items: list[object]) -> None:
        self._random.shuffle(items)

    def duplicate(self) -> str | None:
        """None, or how this delivery is duplicated: "after_delete" or "in_flight"."""
        if self._random.random() >= self.realism.duplicates:
            return None
        return "after_delete" if self._random.random() < 0.5 else "in_flight"
