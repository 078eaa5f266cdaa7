"""The operation table and the call context handlers receive."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._engine import Engine
    from .._model.queue import Queue


@dataclass(slots=True)
class Call:
    """One SQS call as a handler sees it."""

    operation: str
    params: Mapping[str, Any]
    region: str
    engine: Engine
    now: float
    #: "scheme://host[:port]" of a client's own endpoint_url (LocalStack, ElasticMQ, the
    #: fake's server): queue URLs are returned on it, as SQS does for its own endpoint.
    #: None for AWS endpoints, which get the canonical https://sqs.<region>.amazonaws.com form.
    endpoint: str | None = None
    #: The request's X-Amzn-Trace-Id header (botocore adds it inside Lambda): the
    #: AWSTraceHeader of every message a send stores, unless the message names its own.
    trace_header: str | None = None

    def url_of(self, queue: Queue) -> str:
        """The queue's URL as this caller should see it."""
        if self.endpoint is None:
            return queue.url
        return f"{self.endpoint}/{queue.account_id}/{queue.name}"


@dataclass(frozen=True, slots=True)
class Pending:
    """A long poll with nothing to deliver yet: let time pass until ``at``, then ``resume()``.

    Handlers return it instead of blocking, so the engine decides how to wait: a plain client
    blocks (or jumps the clock), an async client's poll yields to its event loop meanwhile.
    """

    at: float
    resume: Callable[[], dict[str, Any] | Pending]
    #: The end of the poll's whole wait (``at`` is the next moment to look again).
    deadline: float


Handler = Callable[[Call], "dict[str, Any] | Pending"]


@dataclass(frozen=True, slots=True)
class OperationSpec:
    name: str
    handler: Handler
    #: "supported", or "unsupported" with ``notes`` saying what answers instead.
    status: str
    notes: str


OPERATIONS: dict[str, OperationSpec] = {}


def operation(
    name: str, *, status: str = "supported", notes: str = ""
) -> Callable[[Handler], Handler]:
    """Declare the handler of one SQS operation."""

    def register(handler: Handler) -> Handler:
        if name in OPERATIONS:
            raise RuntimeError(f"operation {name} declared twice")
        OPERATIONS[name] = OperationSpec(name, handler, status, notes)
        return handler

    return register
