"""Shared by every test directory."""

from __future__ import annotations

import importlib.util

import pytest

#: aioboto3 pins an older aiobotocore than the test extra's, so it cannot share the project's
#: venv: CI runs tests/compat/test_aioboto3.py in a venv of its own (see .ci/run).
collect_ignore = [] if importlib.util.find_spec("aioboto3") else ["compat/test_aioboto3.py"]


@pytest.fixture
def pytester(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    """pytester runs without pytest-asyncio: the inner runs have no ini file, so its
    "asyncio_default_fixture_loop_scope is unset" warning would fail them under ``-W error``.
    (pytester clears PYTEST_ADDOPTS when it starts, hence setting it here, afterwards.)"""
    monkeypatch.setenv("PYTEST_ADDOPTS", "-p no:asyncio")
    return pytester
