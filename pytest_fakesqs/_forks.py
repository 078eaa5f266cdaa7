"""A fake does not survive a fork.

A process forked while a fake is active (multiprocessing's "fork" start method, worker
libraries) gets a private copy of it: its sends would be invisible to the parent and its polls
would never see what the parent sends. So the child's calls to an inherited fake are refused,
and a client pointed at an endpoint of its own (the parent's ``fake_sqs_server``) goes there.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import NoReturn

from . import _refusals

#: In a forked child, the fakes (engines) that were active in the parent; empty otherwise.
inherited: tuple[object, ...] = ()
_parent_pid = 0


def forked(active: Sequence[object]) -> None:
    """Called in the child right after a fork, with the fakes active at that moment."""
    global inherited, _parent_pid
    inherited = (*inherited, *active)
    _parent_pid = os.getppid()


def is_inherited(engine: object) -> bool:
    return any(engine is copy for copy in inherited)


def refuse(operation: str) -> NoReturn:
    _refusals.refuse(
        operation,
        _refusals.FORKED_PROCESS,
        f"pytest-fakesqs refused {operation}: this process ({os.getpid()}) was forked from "
        f"process {_parent_pid} while a fake SQS was active there, and a fake is not shared "
        "across a fork: its sends would be invisible to the parent, and its polls would never "
        "see what the parent sends. Serve the fake to child processes over HTTP instead: the "
        "fake_sqs_server fixture (or fake.serve()) has an endpoint_url for the child's clients "
        "(server.env() puts it in the environment, for clients made after it is set); or "
        "start a fake of the child's own with mock_sqs().",
    )
