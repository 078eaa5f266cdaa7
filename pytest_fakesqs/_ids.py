"""Every identifier the fake makes comes from one seeded generator, so a seeded run repeats."""

from __future__ import annotations

import os
import random
import uuid


class IdGenerator:
    """Message ids, request ids and receipt-handle nonces from one random stream."""

    __slots__ = ("_random", "seed")

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed if seed is not None else int.from_bytes(os.urandom(8), "big")
        self._random = random.Random(self.seed)

    def uuid(self) -> str:
        """A random (version 4) UUID in SQS's lower-case dashed form."""
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))

    def token(self, bits: int = 64) -> int:
        return self._random.getrandbits(bits)
