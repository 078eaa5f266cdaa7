"""Every queue of every account and region, and how a name, URL or ARN finds one."""

from __future__ import annotations

import copy
import functools
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .. import _errors as errors
from .message import Fate, Message, Origin
from .move_tasks import MoveTask, move_message
from .queue import Queue, earliest

DEFAULT_ACCOUNT_ID = "123456789012"
#: How long a deleted queue's name stays taken.
QUEUE_DELETED_RECENTLY_SECONDS = 60


def queue_url(region: str, account_id: str, name: str) -> str:
    return f"https://sqs.{region}.amazonaws.com/{account_id}/{name}"


@dataclass
class RegionState:
    """The queues of one account in one region."""

    queues: dict[str, Queue] = field(default_factory=dict)
    deleted_at: dict[str, float] = field(default_factory=dict)


def region_from_host(host: str) -> str | None:
    """The region a queue URL's host names, if it names one (sqs.R.amazonaws.com, R.queue...)."""
    parts = host.split(".")
    if len(parts) >= 4 and parts[0] == "sqs" and parts[2] == "amazonaws":
        return parts[1]
    if len(parts) >= 4 and parts[1] == "queue" and parts[2] == "amazonaws":
        return parts[0]
    if host == "queue.amazonaws.com":
        return "us-east-1"
    return None


@functools.lru_cache(maxsize=1024)
def _parse_queue_url(url: str) -> tuple[str, str | None, str] | None:
    """(account, region named by the host or None, queue name); cached: URLs repeat."""
    split = urlsplit(url)
    path = split.path.strip("/").split("/")
    if len(path) != 2 or not path[0] or not path[1]:
        return None
    return path[0], region_from_host(split.hostname or ""), path[1]


class Backend:
    """The whole fake SQS: accounts, regions, queues. Not thread-safe by itself: callers lock."""

    def __init__(self, *, keep_history: bool = True, history_limit: int | None = None) -> None:
        self.keep_history = keep_history
        #: How many gone messages each queue keeps for inspection (None: all).
        self.history_limit = history_limit
        self._regions: dict[tuple[str, str], RegionState] = {}
        self._by_arn: dict[str, Queue] = {}
        #: Every move task by source ARN, newest last; and those still running.
        self.move_tasks: dict[str, list[MoveTask]] = {}
        self.running_move_tasks: list[MoveTask] = []

    def region(self, account_id: str, region: str) -> RegionState:
        key = (account_id, region)
        state = self._regions.get(key)
        if state is None:
            state = self._regions[key] = RegionState()
        return state

    def regions(self) -> dict[tuple[str, str], RegionState]:
        return self._regions

    def add_queue(self, queue: Queue) -> None:
        queue.keep_gone(self.history_limit, self.keep_history)
        self.region(queue.account_id, queue.region).queues[queue.name] = queue
        self._by_arn[queue.arn] = queue

    def remove_queue(self, queue: Queue, now: float) -> None:
        state = self.region(queue.account_id, queue.region)
        del state.queues[queue.name]
        state.deleted_at[queue.name] = now
        del self._by_arn[queue.arn]

    def deleted_recently(self, account_id: str, region: str, name: str, now: float) -> bool:
        deleted_at = self.region(account_id, region).deleted_at.get(name)
        return deleted_at is not None and now - deleted_at < QUEUE_DELETED_RECENTLY_SECONDS

    def by_name(self, account_id: str, region: str, name: str) -> Queue:
        queue = self.region(account_id, region).queues.get(name)
        if queue is None:
            raise errors.queue_does_not_exist()
        return queue

    def by_arn(self, arn: str) -> Queue | None:
        return self._by_arn.get(arn)

    def by_url(self, url: str, default_region: str, default_account_id: str) -> Queue:
        """Resolve a QueueUrl by its account and name, in any endpoint form.

        SQS also accepts a bare queue name as QueueUrl, meaning the caller's own account.
        """
        if "/" not in url:
            return self.by_name(default_account_id, default_region, url)
        parsed = _parse_queue_url(url)
        if parsed is None:
            raise errors.queue_does_not_exist()
        account_id, region, name = parsed
        return self.by_name(account_id, region or default_region, name)

    def all_queues(self) -> list[Queue]:
        return [queue for state in self._regions.values() for queue in state.queues.values()]

    def move_to_dead_letter_queue(self, source: Queue, message: Message, now: float) -> bool:
        """Move a message past its maxReceiveCount to the source's dead-letter queue."""
        target_arn = source.redrive_target_arn
        target = self._by_arn.get(target_arn) if target_arn else None
        if target is None or target is source:
            # The target was deleted (or is the source itself, where a move would loop for
            # ever): SQS keeps delivering from the source.
            return False
        source.take_for_move(message, Fate.DEAD_LETTERED)
        # A new object for the target: the source's heaps and FIFO group still hold the old
        # one, which must stay gone there.
        moved = copy.copy(message)
        moved.dead_letter_source_arn = source.arn
        moved.origin = Origin.DEAD_LETTERED
        moved.fate = None
        retention_from = message.sent_at if not target.fifo else now
        moved.seq = target.next_seq()
        target.add(moved, 0, now, retention_from=retention_from)
        return True

    def next_scheduled_at(self, now: float) -> float | None:
        """The first moment after ``now`` when anything changes on its own, in any queue:
        delays, visibility timeouts, retention, dedup windows, cool-downs, move-task steps."""
        moments = [queue.next_scheduled_at(now) for queue in self.all_queues()]
        for state in self._regions.values():
            moments.extend(at + QUEUE_DELETED_RECENTLY_SECONDS for at in state.deleted_at.values())
        moments.append(self.next_move_at(now))
        return earliest(moments, now)

    def next_move_at(self, now: float) -> float | None:
        """When a running move task next moves a message (into any queue)."""
        moments = [
            task.next_step_at()
            for task in self.running_move_tasks
            if task.moved < task.to_move and task.source.peek_visible(now) is not None
        ]
        return earliest(moments, now)

    # --- message move tasks -----------------------------------------------------------------

    def is_dead_letter_queue(self, queue: Queue) -> bool:
        region = self.region(queue.account_id, queue.region)
        return any(source.redrive_target_arn == queue.arn for source in region.queues.values())

    def start_move_task(self, task: MoveTask) -> None:
        self.move_tasks.setdefault(task.source.arn, []).append(task)
        self.running_move_tasks.append(task)

    def run_move_tasks(self, now: float) -> None:
        """Let every running task move what its rate allows by ``now``."""
        if not self.running_move_tasks:
            return
        for task in list(self.running_move_tasks):
            self._run_move_task(task, now)

    def _finish(self, task: MoveTask, status: str, reason: str | None = None) -> None:
        task.status = status
        task.failure_reason = reason
        self.running_move_tasks.remove(task)

    def _run_move_task(self, task: MoveTask, now: float) -> None:
        source = task.source
        if self._by_arn.get(source.arn) is not source:
            self._finish(task, "FAILED", "AWS.SimpleQueueService.NonExistentQueue")
            return
        rate = task.per_second
        # Elapsed time to the microsecond first: an epoch float carries ~0.2 us of noise,
        # which would make 0.01 s at 500/s move 4 messages, not 5.
        elapsed = round(now - task.started_at, 6)
        allowed = min(task.to_move, int(elapsed * rate + 1e-9))
        while task.moved < allowed:
            message = source.peek_visible(now)
            if message is None:
                break
            destination_arn = task.destination_arn or message.dead_letter_source_arn
            destination = self._by_arn.get(destination_arn) if destination_arn else None
            if destination is None:
                # The message stays where it is: the task fails and moves nothing more.
                self._finish(task, "FAILED", "AWS.SimpleQueueService.NonExistentQueue")
                return
            source.take_for_move(message, Fate.MOVED)
            move_message(message, destination, now)
            task.moved += 1
        if task.moved >= task.to_move or (task.moved < allowed and len(source) == 0):
            self._finish(task, "COMPLETED")

    def cancel_move_task(self, task: MoveTask) -> None:
        self._finish(task, "CANCELLED")
