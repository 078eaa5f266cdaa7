"""pytest-fakesqs: a faithful, instant and deterministic fake Amazon SQS.

Every botocore-based SQS client in the process is served in-process, through botocore event
hooks, while a fake is active.
"""

from __future__ import annotations

from ._fake import FakeSQS, Snapshot, mock_sqs
from ._inspect import MessageView, QueueView
from ._journal import CallJournal, RecordedCall
from ._model.realism import Realism

__all__ = [
    "CallJournal",
    "FakeSQS",
    "MessageView",
    "QueueView",
    "Realism",
    "RecordedCall",
    "Snapshot",
    "mock_sqs",
]
__version__ = "0.1.0"
