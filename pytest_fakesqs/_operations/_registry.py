"""The operation table and the call context handlers receive."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._engine import Engine


@dataclass(slots=True)
class Call:
    """One SQS call as a handler sees it."""

    operation: str
    params: Mapping[str, Any]
    region: str
    engine: Engine
    now: float


Handler = Callable[[Call], dict[str, Any]]


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
