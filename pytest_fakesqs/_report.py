"""The fake's state as text: the section pytest adds to a failing test's report."""

from __future__ import annotations

from datetime import datetime, timezone

from ._assertions import listing
from ._engine import Engine
from ._inspect import QueueView
from ._model.queue import Queue

_CALLS_SHOWN = 10


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
        return "\n".join(lines)


def _history_counts(view: QueueView, queue: Queue) -> str:
    """What the queue's history holds, if it keeps one."""
    if queue.gone is None:
        return ""
    counts = f"; {len(view.sent)} sent, {len(view.deleted)} deleted"
    if queue.gone_dropped:
        counts += f" ({queue.gone_dropped} gone messages dropped from the history)"
    return counts
