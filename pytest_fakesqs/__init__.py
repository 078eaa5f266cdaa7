"""pytest-fakesqs: a faithful, instant and deterministic fake Amazon SQS.

Every botocore-based SQS client in the process is served in-process, through botocore event
hooks, while a fake is active.
"""

from __future__ import annotations

from ._fake import FakeSQS, mock_sqs

__all__ = ["FakeSQS", "mock_sqs"]
__version__ = "0.1.0"
