"""Many real threads on one fake: 8 producers and 8 consumers, one boto3 client each.

Producers send messages with unique bodies, in batches and one by one; consumers long-poll
(WaitTimeSeconds 1 to 20) and delete what they receive. The fake's clock is frozen and moves
only by ``advance()`` and by long polls that time out, so fake time never depends on how fast
the machine is; what the threads interleave does, and the assertions hold whatever it is.

- Exactly once: visibility long enough that every message is deleted while in flight. Every
  message is processed once, received once, deleted; the queue ends empty.
- At least once: a short visibility timeout, and the first delivery of every fourth message is
  abandoned (half let their visibility run out while a coordinator advances the clock, half
  are handed back with ChangeMessageVisibility 0). Every message is processed at least once,
  none is lost, the queue ends empty.

Consumers end the documented way (docs/time-travel.md, "Long polls and threads"): set a stop
flag, then ``advance(20)`` so that every waiting long poll passes its deadline and returns. No
test here asserts how long anything took; the real-time bounds only turn a deadlock into a
failure instead of a hang.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from pytest_fakesqs import FakeSQS, mock_sqs

PRODUCERS = 8
CONSUMERS = 8
FROZEN = "2024-01-01T00:00:00Z"
#: The longest real-time wait of any one step: a thread join, the coordinator's tick.
JOIN_SECONDS = 120.0
#: Coordinator steps without any message processed before the test calls it a deadlock.
MAX_IDLE_STEPS = 3000

SIZES = [
    pytest.param(3000, id="3000-messages"),
    pytest.param(100_000, id="100000-messages", marks=pytest.mark.heavy),
]


@dataclass
class Run:
    """What the threads share: the queue, the stop flag, what was processed, what failed."""

    url: str
    total: int
    stop: threading.Event = field(default_factory=threading.Event)
    all_processed: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: Bodies in the order consumers processed them, repeats included.
    processed: list[str] = field(default_factory=list)
    distinct: set[str] = field(default_factory=set)
    #: Bodies whose first delivery was abandoned (not processed, not deleted).
    abandoned: list[str] = field(default_factory=list)
    errors: list[BaseException] = field(default_factory=list)

    def record(self, bodies: list[str]) -> None:
        with self.lock:
            self.processed.extend(bodies)
            self.distinct.update(bodies)
            if len(self.distinct) == self.total:
                self.all_processed.set()

    def progress(self) -> int:
        with self.lock:
            return len(self.processed)


def body_of(producer: int, index: int) -> str:
    return f"p{producer}-{index:06d}"


def shares(total: int) -> list[range]:
    """Each producer's message indexes."""
    return [range(producer, total, PRODUCERS) for producer in range(PRODUCERS)]


def produce(run: Run, client: Any, producer: int, indexes: range) -> None:
    rng = random.Random(f"producer-{producer}")
    bodies = [body_of(producer, index) for index in indexes]
    position = 0
    while position < len(bodies):
        size = rng.choice([1, 1, rng.randint(2, 10)])
        chunk = bodies[position : position + size]
        position += len(chunk)
        if len(chunk) == 1:
            client.send_message(QueueUrl=run.url, MessageBody=chunk[0])
            continue
        response = client.send_message_batch(
            QueueUrl=run.url,
            Entries=[{"Id": str(number), "MessageBody": body} for number, body in enumerate(chunk)],
        )
        assert "Failed" not in response, response["Failed"]
        assert len(response["Successful"]) == len(chunk)


def abandons_first_delivery(body: str) -> bool:
    return int(body[-6:]) % 4 == 0


def hand_back(client: Any, url: str, handle: str) -> None:
    """ChangeMessageVisibility 0. Had this consumer been slow enough for the visibility to run
    out and another consumer to delete the message meanwhile, SQS says the message is gone."""
    try:
        client.change_message_visibility(QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=0)
    except ClientError as error:
        gone = (
            f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message does not "
            "exist or is not available for visibility timeout change."
        )
        if error.response["Error"] != {
            "Code": "InvalidParameterValue",
            "Message": gone,
            "QueryErrorCode": "InvalidParameterValueException",
            "Type": "Sender",
        }:
            raise


def consume(run: Run, client: Any, consumer: int, abandon: bool) -> None:
    """Long-poll, process and delete until told to stop. With ``abandon``, the first delivery
    of every fourth message is dropped: handed back at once, or left to time out."""
    rng = random.Random(f"consumer-{consumer}")
    while not run.stop.is_set():
        response = client.receive_message(
            QueueUrl=run.url,
            MaxNumberOfMessages=rng.randint(1, 10),
            WaitTimeSeconds=rng.randint(1, 20),
            MessageSystemAttributeNames=["ApproximateReceiveCount"],
        )
        to_delete = []
        processed = []
        abandoned = []
        for message in response.get("Messages", []):
            body = message["Body"]
            first = message["Attributes"]["ApproximateReceiveCount"] == "1"
            if abandon and first and abandons_first_delivery(body):
                abandoned.append(body)
                if int(body[-6:]) % 8 == 0:
                    hand_back(client, run.url, message["ReceiptHandle"])
                # else: its visibility runs out as the coordinator moves the clock.
                continue
            processed.append(body)
            to_delete.append(message["ReceiptHandle"])
        if len(to_delete) > 1 and rng.random() < 0.5:
            result = client.delete_message_batch(
                QueueUrl=run.url,
                Entries=[{"Id": str(n), "ReceiptHandle": h} for n, h in enumerate(to_delete)],
            )
            assert "Failed" not in result, result["Failed"]
        else:
            for handle in to_delete:
                client.delete_message(QueueUrl=run.url, ReceiptHandle=handle)
        with run.lock:
            run.abandoned.extend(abandoned)
        run.record(processed)


def guarded(run: Run, target: Callable[..., None], *args: Any) -> Callable[[], None]:
    """The thread's body; an exception is kept for the test to report, not lost on stderr."""

    def body() -> None:
        try:
            target(*args)
        except BaseException as error:
            run.errors.append(error)
            run.stop.set()

    return body


@contextmanager
def threads_running(run: Run, fake: FakeSQS, *, abandon: bool) -> Iterator[None]:
    """Producers and consumers at work inside the block; all of them joined when it ends,
    whatever happened: a call made after the fake stops would go to AWS."""
    producers, consumers = start_threads(run, abandon)
    try:
        yield
    finally:
        left = stop_threads(run, fake, producers, consumers)
    assert left == []


def start_threads(run: Run, abandon: bool) -> tuple[list[threading.Thread], list[threading.Thread]]:
    # One client per thread, made here: making clients from one session is not thread-safe.
    producers = [
        threading.Thread(
            target=guarded(
                run, produce, run, boto3.client("sqs", region_name="us-east-1"), number, share
            ),
            name=f"producer-{number}",
        )
        for number, share in enumerate(shares(run.total))
    ]
    consumers = [
        threading.Thread(
            target=guarded(
                run, consume, run, boto3.client("sqs", region_name="us-east-1"), number, abandon
            ),
            name=f"consumer-{number}",
        )
        for number in range(CONSUMERS)
    ]
    for thread in [*consumers, *producers]:
        thread.start()
    return producers, consumers


def wait_for_everything_processed(run: Run, fake: FakeSQS, advance_by: float) -> None:
    """Step the coordinator until every message was processed at least once, advancing the
    clock by ``advance_by`` fake seconds a step (0: the clock is left alone)."""
    idle, last = 0, -1
    # real-time: the producers and consumers work while the coordinator waits between steps.
    while not run.all_processed.wait(timeout=0.01):
        assert not run.errors, run.errors
        if advance_by:
            fake.advance(advance_by)
        done = run.progress()
        idle = idle + 1 if done == last else 0
        last = done
        assert idle < MAX_IDLE_STEPS, f"no message processed in {idle} steps: {done} done"


def stop_threads(
    run: Run, fake: FakeSQS, producers: list[threading.Thread], consumers: list[threading.Thread]
) -> list[str]:
    """Join every thread; returns the names of those still alive after their bound.

    Consumers end by the documented idiom: a stop flag, then advance(20) so that waiting long
    polls pass their deadline and return. A consumer may start one more long poll between the
    flag and the advance, so the clock is advanced again until every consumer has returned."""
    run.stop.set()
    for thread in producers:
        thread.join(timeout=JOIN_SECONDS)  # real-time: a producer only sends, it never waits
    for _ in range(MAX_IDLE_STEPS):
        fake.advance(20)
        for thread in consumers:
            thread.join(timeout=0.01)  # real-time: a woken consumer returns and sees the flag
        if not any(thread.is_alive() for thread in consumers):
            break
    return [thread.name for thread in [*producers, *consumers] if thread.is_alive()]


def assert_drained(fake: FakeSQS, client: Any, run: Run) -> list[Any]:
    """Every message sent once and deleted, none left; returns the deleted messages."""
    everything = {body_of(p, i) for p, share in enumerate(shares(run.total)) for i in share}
    view = fake.queue(run.url)
    sent = view.sent
    deleted = view.deleted
    assert len(sent) == run.total
    assert {message.body for message in sent} == everything
    assert len(deleted) == run.total
    assert {message.body for message in deleted} == everything
    assert len(view) == 0
    attributes = client.get_queue_attributes(QueueUrl=run.url, AttributeNames=["All"])["Attributes"]
    counts = {name: value for name, value in attributes.items() if name.startswith("Approx")}
    assert counts == {
        "ApproximateNumberOfMessages": "0",
        "ApproximateNumberOfMessagesNotVisible": "0",
        "ApproximateNumberOfMessagesDelayed": "0",
    }
    assert set(run.distinct) == everything
    return deleted


@pytest.mark.parametrize("total", SIZES)
def test_every_message_is_processed_exactly_once(total):
    with mock_sqs(seed=1, freeze=FROZEN) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        # Far longer than any consumer holds a message, even after long polls that time out
        # (each moves the frozen clock by at most 20 seconds).
        url = client.create_queue(QueueName="stress", Attributes={"VisibilityTimeout": "43200"})[
            "QueueUrl"
        ]
        run = Run(url, total)
        with threads_running(run, fake, abandon=False):
            wait_for_everything_processed(run, fake, advance_by=0)

        assert run.errors == []
        deleted = assert_drained(fake, client, run)
        assert len(run.processed) == total
        assert Counter(run.processed).most_common(1)[0][1] == 1
        assert {message.receive_count for message in deleted} == {1}
        assert {message.fate for message in deleted} == {"deleted"}
        assert run.abandoned == []


@pytest.mark.parametrize("total", SIZES)
def test_abandoned_messages_are_delivered_again_and_none_is_lost(total):
    with mock_sqs(seed=2, freeze=FROZEN) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(
            QueueName="redelivery",
            Attributes={"VisibilityTimeout": "5", "MessageRetentionPeriod": "1209600"},
        )["QueueUrl"]
        run = Run(url, total)
        with threads_running(run, fake, abandon=True):
            # The coordinator moves the clock a second a step: abandoned messages come back
            # once their 5 seconds are over (and so may one a slow consumer holds: at least
            # once).
            wait_for_everything_processed(run, fake, advance_by=1)

        assert run.errors == []
        deleted = assert_drained(fake, client, run)
        marked = {body for body in run.distinct if abandons_first_delivery(body)}
        assert len(marked) == total // 4 + (total % 4 > 0)
        # Every marked message was abandoned exactly once, on its first delivery...
        assert sorted(run.abandoned) == sorted(marked)
        # ...so every delivery was either that abandonment or a processing.
        assert sum(message.receive_count for message in deleted) == len(run.processed) + len(marked)
        for message in deleted:
            assert message.receive_count >= (2 if message.body in marked else 1), message
