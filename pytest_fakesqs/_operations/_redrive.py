"""Dead-letter queue discovery and message move tasks."""

from __future__ import annotations

from typing import Any

from .. import _errors as errors
from .._model.move_tasks import MAX_TASKS_LISTED, MoveTask, parse_task_handle
from .._model.queue import Queue
from ._params import required
from ._queues import page, resolve_queue
from ._registry import Call, operation

MAX_RATE = 500


@operation("ListDeadLetterSourceQueues")
def list_dead_letter_source_queues(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    region = call.engine.backend.region(queue.account_id, queue.region)
    sources = {
        source.name: call.url_of(source)
        for source in region.queues.values()
        if source.redrive_target_arn == queue.arn
    }
    chunk, next_token = page(call, sorted(sources))
    result: dict[str, Any] = {"queueUrls": [sources[name] for name in chunk]}
    if next_token:
        result["NextToken"] = next_token
    return result


def _source_queue(call: Call, arn: str) -> Queue:
    queue = call.engine.backend.by_arn(arn)
    if queue is None:
        raise errors.SQSError(
            errors.RESOURCE_NOT_FOUND,
            "The resource that you specified for the SourceArn parameter doesn't exist.",
        )
    return queue


@operation("StartMessageMoveTask")
def start_message_move_task(call: Call) -> dict[str, Any]:
    backend = call.engine.backend
    source = _source_queue(call, required(call, "SourceArn"))
    destination_arn = call.params.get("DestinationArn")
    rate = call.params.get("MaxNumberOfMessagesPerSecond")
    if rate is not None and not 1 <= rate <= MAX_RATE:
        raise errors.invalid_value(
            rate, "MaxNumberOfMessagesPerSecond", f"Must be between 1 and {MAX_RATE}."
        )
    if not backend.is_dead_letter_queue(source):
        raise errors.invalid_parameter("Source queue must be configured as a Dead Letter Queue.")
    if destination_arn is not None:
        destination = backend.by_arn(destination_arn)
        if destination is None:
            raise errors.SQSError(
                errors.RESOURCE_NOT_FOUND,
                "The resource that you specified for the DestinationArn parameter doesn't exist.",
            )
        if destination.fifo != source.fifo:
            raise errors.invalid_parameter(
                "The source queue and the destination queue must be of the same type."
            )
    if any(task.source is source for task in backend.running_move_tasks):
        raise errors.invalid_parameter(
            "There is already a task running. Only one active task is allowed for a source "
            "queue arn at a given time."
        )
    source.refresh(call.now)
    task = MoveTask(
        task_id=call.engine.ids.uuid(),
        source=source,
        destination_arn=destination_arn,
        rate=rate,
        started_at=call.now,
        to_move=len(source),
    )
    backend.start_move_task(task)
    return {"TaskHandle": task.handle}


@operation("CancelMessageMoveTask")
def cancel_message_move_task(call: Call) -> dict[str, Any]:
    handle = required(call, "TaskHandle")
    parsed = parse_task_handle(handle)
    if parsed is None:
        raise errors.invalid_parameter("Value for parameter TaskHandle is invalid.")
    task_id, source_arn = parsed
    source = _source_queue(call, source_arn)
    task = next(
        (
            task
            for task in call.engine.backend.move_tasks.get(source.arn, [])
            if task.task_id == task_id and task.status == "RUNNING"
        ),
        None,
    )
    if task is None:
        raise errors.SQSError(errors.RESOURCE_NOT_FOUND, "Task does not exist.")
    call.engine.backend.cancel_move_task(task)
    return {"ApproximateNumberOfMessagesMoved": task.moved}


@operation("ListMessageMoveTasks")
def list_message_move_tasks(call: Call) -> dict[str, Any]:
    source = _source_queue(call, required(call, "SourceArn"))
    max_results = call.params.get("MaxResults")
    if max_results is not None and not 1 <= max_results <= MAX_TASKS_LISTED:
        raise errors.invalid_value(
            max_results, "MaxResults", f"Must be between 1 and {MAX_TASKS_LISTED}."
        )
    tasks = call.engine.backend.move_tasks.get(source.arn, [])
    newest_first = list(reversed(tasks))[: max_results or 1]
    return {"Results": [task.describe() for task in newest_first]}
