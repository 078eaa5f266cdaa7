"""One handler per SQS operation, declared in a table.

A handler takes a :class:`Call` (the user's API params, the caller's region and the engine)
and returns the operation's output members as botocore's parser would give them, or raises
an :class:`~pytest_fakesqs._errors.SQSError`. The table is also what the supported-operations
docs page is generated from.
"""

from __future__ import annotations

from ._registry import OPERATIONS, Call, OperationSpec, Pending

# Importing the handler modules fills the table.
from . import _messages, _permissions, _queues, _receive, _redrive, _send  # noqa: F401  isort: skip

__all__ = ["OPERATIONS", "Call", "OperationSpec", "Pending"]
