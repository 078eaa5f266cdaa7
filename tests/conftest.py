"""Shared by every test directory."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import threading
from collections.abc import Callable
from typing import Any

import pytest


def _moto_major() -> int | None:
    try:
        return int(importlib.metadata.version("moto").split(".")[0])
    except importlib.metadata.PackageNotFoundError:
        return None


#: aioboto3 pins an older aiobotocore than the test extra's, so it cannot share the project's
#: venv: CI runs tests/compat/test_aioboto3.py in a venv of its own (see .ci/run).
collect_ignore = [] if importlib.util.find_spec("aioboto3") else ["compat/test_aioboto3.py"]
#: The main venv has moto 5; CI runs tests/compat/test_moto4.py in a venv with moto 4.
if _moto_major() != 4:
    collect_ignore.append("compat/test_moto4.py")


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytester runs without pytest-asyncio: the inner runs have no ini file, so its
    "asyncio_default_fixture_loop_scope is unset" warning would fail them under ``-W error``.
    (pytester clears PYTEST_ADDOPTS when it starts, hence setting it here, afterwards.)"""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:asyncio")
    return pytester


@pytest.fixture
def wait_for_long_poll() -> Callable[[Any], None]:
    """A function that returns once a long poll made in another thread (or a server's
    connection) waits on the given fake's condition, so what the test does next meets it
    waiting."""

    def wait(fake: Any) -> None:
        waiting = fake.engine.changed._waiters
        for _ in range(3000):
            if waiting:
                return
            threading.Event().wait(0.01)  # real-time: the other thread's call reaching the fake
        raise AssertionError("no long poll started waiting")

    return wait
