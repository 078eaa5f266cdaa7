"""The fake's clock and id generator: pure Python, no botocore."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from datetime import datetime, timezone

import pytest
from freezegun import freeze_time

from pytest_fakesqs._clock import Clock
from pytest_fakesqs._ids import IdGenerator

# Neither needs botocore: both import with botocore and boto3 unavailable.
_IMPORT = subprocess.run(
    [
        sys.executable,
        "-c",
        "import sys; sys.modules['botocore'] = sys.modules['boto3'] = None; "
        "import pytest_fakesqs._clock, pytest_fakesqs._ids",
    ],
    capture_output=True,
    text=True,
    check=False,
)
assert _IMPORT.returncode == 0, _IMPORT.stderr

START = datetime(2024, 1, 1, tzinfo=timezone.utc).timestamp()
UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")


def test_clock_follows_time_time_as_freezegun_moves_it():
    with freeze_time("2024-01-01T00:00:00Z") as frozen:
        clock = Clock()
        assert (clock.frozen, clock.now()) == (False, START)
        frozen.tick(5)
        assert clock.now() == START + 5
        clock.advance(10)
        assert clock.now() == START + 15
        frozen.move_to("2024-01-02T00:00:00Z")
        assert clock.now() == START + 86400 + 10


def test_clock_reads_the_real_time_when_nothing_is_frozen():
    clock = Clock()
    before = time.time()
    now = clock.now()
    assert before <= now <= time.time()


def test_frozen_clock_ignores_time_time_and_moves_only_when_advanced():
    clock = Clock(frozen_at=START)
    with freeze_time("2030-06-01T00:00:00Z") as frozen:
        assert (clock.frozen, clock.now()) == (True, START)
        frozen.tick(3600)
        assert clock.now() == START
    clock.advance(0)
    clock.advance(2.5)
    assert clock.now() == START + 2.5


def test_clock_never_moves_backwards():
    clock = Clock(frozen_at=START)
    clock.advance(1)
    with pytest.raises(ValueError) as excinfo:
        clock.advance(-0.5)
    assert str(excinfo.value) == "the fake's clock only moves forward; got -0.5 seconds"
    assert clock.now() == START + 1


def test_same_seed_gives_the_same_ids():
    first, second = IdGenerator(1234), IdGenerator(1234)
    sequence = [first.uuid(), first.token(), first.uuid(), first.token(32)]
    assert [second.uuid(), second.token(), second.uuid(), second.token(32)] == sequence
    assert first.seed == second.seed == 1234
    other = IdGenerator(1235)
    assert other.uuid() != sequence[0]


def test_ids_are_lower_case_version_4_uuids_and_tokens_fit_their_bits():
    ids = IdGenerator(7)
    for _ in range(50):
        assert UUID4.fullmatch(ids.uuid())
        assert 0 <= ids.token() < 2**64
        assert 0 <= ids.token(16) < 2**16


def test_an_unseeded_generator_records_a_seed_that_repeats_it():
    unseeded = IdGenerator()
    replay = IdGenerator(unseeded.seed)
    assert [unseeded.uuid() for _ in range(3)] == [replay.uuid() for _ in range(3)]
    assert IdGenerator().seed != unseeded.seed
