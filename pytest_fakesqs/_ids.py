"""Every identifier the fake makes comes from one seeded generator, so a seeded run repeats."""

from __future__ import annotations

import hashlib
import os
import random

_CLEAR_VERSION = ~((0xF000 << 64) | (0xC000 << 48)) & ((1 << 128) - 1)
_VERSION_4 = (0x4000 << 64) | (0x8000 << 48)


class IdGenerator:
    """Message ids, request ids and receipt-handle nonces from one random stream."""

    __slots__ = ("_random", "seed")

    def __init__(self, seed: int | None = None) -> None:
        self.seed = seed if seed is not None else int.from_bytes(os.urandom(8), "big")
        self._random = random.Random(self.seed)

    def uuid(self) -> str:
        """A random (version 4) UUID in SQS's lower-case dashed form."""
        # The same bits uuid.UUID(int=..., version=4) would give, formatted without the class.
        value = (self._random.getrandbits(128) & _CLEAR_VERSION) | _VERSION_4
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def token(self, bits: int = 64) -> int:
        return self._random.getrandbits(bits)


def seed_for(text: str) -> int:
    """A stable seed for a name (a test's node id): the same on every run and machine."""
    return int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")


#: pytest's ``--fakesqs-seed``: an int for every unseeded fake, "random", or None (by test id).
seed_override: int | str | None = None


def default_seed() -> int | None:
    """The seed of an unseeded fake: ``--fakesqs-seed`` if given, else from the running pytest
    test's id when there is one, so a test's ids repeat run to run; None (random) outside."""
    if isinstance(seed_override, int):
        return seed_override
    if seed_override == "random":
        return None
    current = os.environ.get("PYTEST_CURRENT_TEST")
    if not current:
        return None
    # "path::test_name (call)": the phase must not change the seed.
    return seed_for(current.rsplit(" (", 1)[0])
