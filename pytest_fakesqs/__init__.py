"""pytest-fakesqs: a faithful, instant and deterministic fake Amazon SQS.

Every botocore-based SQS client in the process is served in-process, through botocore event
hooks, while a fake is active.

The names below are imported on first use, not with the package: pytest loads the plugin in
every run, and a suite that never touches SQS should not pay for the whole fake.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._fake import FakeSQS, Snapshot, mock_sqs
    from ._inspect import MessageView, QueueView
    from ._journal import CallJournal, RecordedCall
    from ._lambda._context import LambdaContext
    from ._lambda._invocation import Invocation
    from ._lambda._mapping import EventSourceMapping
    from ._model.realism import Realism
    from ._server import FakeSQSServer

#: Each public name and the private module that defines it.
_PUBLIC = {
    "CallJournal": "._journal",
    "EventSourceMapping": "._lambda._mapping",
    "FakeSQS": "._fake",
    "FakeSQSServer": "._server",
    "Invocation": "._lambda._invocation",
    "LambdaContext": "._lambda._context",
    "MessageView": "._inspect",
    "QueueView": "._inspect",
    "Realism": "._model.realism",
    "RecordedCall": "._journal",
    "Snapshot": "._fake",
    "mock_sqs": "._fake",
}

__all__ = [
    "CallJournal",
    "EventSourceMapping",
    "FakeSQS",
    "FakeSQSServer",
    "Invocation",
    "LambdaContext",
    "MessageView",
    "QueueView",
    "Realism",
    "RecordedCall",
    "Snapshot",
    "mock_sqs",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'pytest_fakesqs' has no attribute {name!r}")
    # Not cached in this module: a test run that restores sys.modules (pytester) may import
    # the defining module afresh, and the name must then give the fresh class.
    return getattr(importlib.import_module(module, __name__), name)


def __dir__() -> list[str]:
    return sorted([*globals(), *_PUBLIC])
