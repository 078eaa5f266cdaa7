"""The fake's state as text: the section pytest adds to a failing test's report."""

from __future__ import annotations

from datetime import datetime, timezone

from ._assertions import listing
from ._engine import Engine
from ._inspect import QueueView
from ._model.queue import Queue

_CALLS_SHOWN = 10
_INVOCATIONS_SHOWN = 5
_BODY_SHOWN = 40


def describe(engine: Engine) -> str:
    with engine.lock:
        now = engine.now()
        lines = [
            f"fake time {datetime.fromtimestamp(now, tz=timezone.utc).isoformat()}, "
            f"seed {engine.ids.seed} (repeat with @pytest.mark.fake_sqs(seed={engine.ids.seed}))"
        ]
        queues = sorted(engine.backend.all_queues(), key=lambda q: (q.region, q.name))
        if not queues:
            lines.append("no queues")
        for queue in queues:
            view = QueueView(engine, queue)
            attributes = queue.attribute_values(now)
            lines.append(
                f"queue {queue.name} ({queue.region}): "
                f"{attributes['ApproximateNumberOfMessages']} visible, "
                f"{attributes['ApproximateNumberOfMessagesNotVisible']} in flight, "
                f"{attributes['ApproximateNumberOfMessagesDelayed']} delayed"
                + _history_counts(view, queue)
            )
            messages = view.messages
            if messages:
                lines.append(listing(messages))
        calls = list(engine.journal)  # empty when the fake keeps no history
        if calls:
            shown = calls[-_CALLS_SHOWN:]
            dropped = engine.journal.dropped
            earlier = f" ({dropped} earlier calls dropped)" if dropped else ""
            lines.append(f"last {len(shown)} of {len(calls)} calls{earlier}:")
            for call in shown:
                outcome = "ok" if call.error is None else f"{call.error_code}"
                lines.append(f"  {call.at.isoformat()} {call.operation} -> {outcome}")
        lines.extend(_event_sources(engine))
        return "\n".join(lines)


def _short(body: str) -> str:
    return repr(body if len(body) <= _BODY_SHOWN else body[: _BODY_SHOWN - 3] + "...")


def _event_sources(engine: Engine) -> list[str]:
    """Each Lambda event source mapping and its last invocations."""
    lines = []
    for mapping in engine.event_sources.mappings:
        invocations = mapping.invocations
        state = "enabled" if mapping.enabled else "disabled"
        queue = mapping.event_source_arn.rsplit(":", 1)[1]
        lines.append(
            f"event source mapping {mapping.function_name} <- {queue} ({state}, batch size "
            f"{mapping.batch_size}): {len(invocations)} invocations"
            + (
                f", {len(mapping.discarded)} messages discarded by filters"
                if mapping.discarded
                else ""
            )
        )
        for invocation in invocations[-_INVOCATIONS_SHOWN:]:
            bodies = invocation.bodies
            shown = ", ".join(_short(body) for body in bodies[:3]) + (
                ", ..." if len(bodies) > 3 else ""
            )
            outcome = "ok" if invocation.succeeded else invocation.failure
            lines.append(
                f"  {invocation.time.isoformat()} {len(bodies)} records [{shown}] -> {outcome}"
            )
    return lines


def _history_counts(view: QueueView, queue: Queue) -> str:
    """What the queue's history holds, if it keeps one."""
    if queue.gone is None:
        return ""
    counts = f"; {len(view.sent)} sent, {len(view.deleted)} deleted"
    if queue.gone_dropped:
        counts += f" ({queue.gone_dropped} gone messages dropped from the history)"
    return counts
