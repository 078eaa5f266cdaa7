"""Dead-letter queue discovery and message move tasks."""

from __future__ import annotations

from typing import Any

from .. import _errors as errors
from ._queues import page, resolve_queue
from ._registry import Call, operation

_MOVE_TASKS_NOTE = (
    "message move tasks are not modelled yet by pytest-fakesqs; the call fails with "
    "UnsupportedOperation naming the operation"
)


@operation("ListDeadLetterSourceQueues")
def list_dead_letter_source_queues(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    region = call.engine.backend.region(queue.account_id, queue.region)
    sources = {
        source.name: source.url
        for source in region.queues.values()
        if source.redrive_target_arn == queue.arn
    }
    chunk, next_token = page(call, sorted(sources))
    result: dict[str, Any] = {"queueUrls": [sources[name] for name in chunk]}
    if next_token:
        result["NextToken"] = next_token
    return result


def _unsupported(call: Call) -> dict[str, Any]:
    raise errors.unsupported_operation(
        f"pytest-fakesqs does not model {call.operation} yet (message move tasks)."
    )


for _name in ("StartMessageMoveTask", "CancelMessageMoveTask", "ListMessageMoveTasks"):
    operation(_name, status="unsupported", notes=_MOVE_TASKS_NOTE)(_unsupported)
