"""The record of one invocation of a mapping's handler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ._context import LambdaContext


@dataclass(frozen=True, eq=False)  # one invocation is itself, whatever its event holds
class Invocation:
    """One call of a handler by an `EventSourceMapping`:
    the batch it got, what it answered, and what Lambda did with the messages then.

    Read them from `mapping.invocations` (oldest first) or the list `fake.run_due()` returns.
    """

    event: dict[str, Any]
    """The event passed to the handler: `{"Records": [...]}`, one record per message."""
    context: LambdaContext
    """The `LambdaContext` passed to the handler."""
    result: Any
    """What the handler returned (awaited, for an async handler); None if it raised."""
    error: BaseException | None
    """The exception the handler raised; or the runtime's error when its answer was not JSON
    (`Unable to marshal response: ...`) or it ran past its timeout in fake time (`Task timed
    out after 3.00 seconds`); None otherwise."""
    time: datetime
    """The fake's time when the handler was called, as an aware UTC datetime."""
    deleted: tuple[str, ...]
    """The message ids Lambda deleted from the queue after this invocation."""
    retried: tuple[str, ...]
    """The message ids Lambda left in the queue: they come back when their visibility timeout
    ends (and go to the dead-letter queue past its `maxReceiveCount`)."""
    failure: str | None
    """Why messages were left for a retry, in words; None when the whole batch succeeded."""
    deleted_out_of_order: tuple[str, ...] = ()
    """FIFO only: messages deleted although an earlier message of their group in the batch
    failed. Lambda deletes what a partial batch response reports as processed, so these were
    consumed ahead of a message that will come back: the handler should have reported them as
    failed too."""

    @property
    def message_ids(self) -> list[str]:
        """The `messageId` of each record, in batch order."""
        return [record["messageId"] for record in self.event["Records"]]

    @property
    def bodies(self) -> list[str]:
        """The `body` of each record, in batch order."""
        return [record["body"] for record in self.event["Records"]]

    @property
    def succeeded(self) -> bool:
        """Whether Lambda counted the whole batch as processed (nothing left for a retry)."""
        return not self.retried

    def __repr__(self) -> str:
        outcome = "ok" if self.succeeded else self.failure
        return f"<Invocation {self.time.isoformat()} {len(self.message_ids)} records: {outcome}>"
