"""Long polls across real threads (docs/time-travel.md, "Long polls and threads").

Rule 1, never miss a message real SQS would deliver: while another thread of the test may act
(a Timer, a producer, a worker: started while the fake is active, or a caller of the fake), a
poll waits in real time and is woken by its send. Rule 2, never wait in real time when nothing
else can act: with every other thread finished or blocked (join, Event/Condition wait, a queue,
Future.result, a lock, its own long poll), the clock jumps, as in a single-threaded test.

Every test runs through real boto3 clients and real threads, on a frozen clock, and asserts
the messages received. A test that must not wait in real time asserts that the fake clock
jumped (``count_jumps``) and that the block ended well under a real long poll
(``real_seconds`` < 10 s, where the poll's real wait would be 20 s). Real waits are bounded,
short, and marked ``# real-time:``.
"""

from __future__ import annotations

import queue
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError
from thread_helpers import CEILING, Worker, count_jumps, poll_in_a_worker, real_seconds

from pytest_fakesqs import FakeSQS, _long_polls, mock_sqs

START = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
T0 = START.timestamp()


def at(seconds: float) -> datetime:
    return START + timedelta(seconds=seconds)


def sqs() -> Any:
    return boto3.client("sqs", region_name="us-east-1")


def make_queue(client: Any, name: str = "jobs", **attributes: str) -> str:
    url: str = client.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
    return url


def bodies(response: dict[str, Any]) -> list[str]:
    return [message["Body"] for message in response.get("Messages", [])]


# --- rule 1: never miss a message another thread sends ------------------------------------------


def test_a_timer_thread_s_send_reaches_the_test_thread_s_long_poll() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)
        jumps = count_jumps(fake)
        # real-time: the Timer fires 0.2 s later, in real time, as a user's Timer does.
        timer = threading.Timer(0.2, lambda: sqs().send_message(QueueUrl=url, MessageBody="hi"))
        timer.start()

        response = client.receive_message(QueueUrl=url, WaitTimeSeconds=10)

        assert bodies(response) == ["hi"]
        assert jumps == []  # the Timer could act: the clock never jumped past its send
        assert fake.now == START
        timer.join()


def test_a_timer_send_reaches_a_poll_that_waits_by_the_queue_s_attribute() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client, ReceiveMessageWaitTimeSeconds="10")
        # real-time: the Timer fires 0.2 s later.
        timer = threading.Timer(0.2, lambda: sqs().send_message(QueueUrl=url, MessageBody="hi"))
        timer.start()

        assert bodies(client.receive_message(QueueUrl=url)) == ["hi"]
        assert fake.now == START
        timer.join()


def test_a_producer_sending_three_messages_apart_loses_none_of_them() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)

        def produce() -> None:
            producer = sqs()
            for n in range(3):
                time.sleep(0.2)  # real-time: a producer pacing its sends, 0.2 s apart
                producer.send_message(QueueUrl=url, MessageBody=f"m{n}")

        worker = Worker(produce)
        worker.start()
        received: list[str] = []
        while len(received) < 3:
            response = client.receive_message(QueueUrl=url, WaitTimeSeconds=10)
            received += bodies(response)
            for message in response.get("Messages", []):
                client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        worker.finish()

        assert received == ["m0", "m1", "m2"]
        assert fake.now == START  # each poll was woken by a send, none ran out


def test_a_sleeping_thread_may_wake_and_send_so_the_poll_waits_for_it() -> None:
    """time.sleep cannot be told from work: the thread counts as able to act."""
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)

        def later() -> None:
            time.sleep(0.3)  # real-time: the pattern under test
            sqs().send_message(QueueUrl=url, MessageBody="after a nap")

        worker = Worker(later)
        worker.start()
        jumps = count_jumps(fake)

        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=20)) == ["after a nap"]
        assert jumps == []
        worker.finish()


def test_a_worker_s_poll_is_woken_by_the_main_thread_s_send() -> None:
    with mock_sqs(freeze=START) as fake:
        main, consumer = sqs(), sqs()
        url = make_queue(main)
        # The main thread is running (the helper's wait has a timeout shorter than the poll),
        # so the poll waits in real time.
        worker, waits_for = poll_in_a_worker(fake, consumer, url)
        assert waits_for == T0 + 20
        main.send_message(QueueUrl=url, MessageBody="wake up")

        assert bodies(worker.finish()) == ["wake up"]
        assert fake.now == START  # woken by the send, not by the end of its wait


def test_advance_from_the_main_thread_ends_a_worker_s_wait() -> None:
    with mock_sqs(freeze=START) as fake:
        main, consumer = sqs(), sqs()
        url = make_queue(main)
        main.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=7)
        worker, waits_for = poll_in_a_worker(fake, consumer, url)
        assert waits_for == T0 + 7  # the delay's end
        assert fake.advance_to_next_change() == at(7)

        assert bodies(worker.finish()) == ["later"]
        assert fake.now == at(7)


# --- rule 2: never wait in real time when nothing else can act ----------------------------------


def test_a_long_poll_through_an_executor_returns_in_virtual_time() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)
        jumps = count_jumps(fake)

        with ThreadPoolExecutor(max_workers=2) as pool, real_seconds() as took:
            future = pool.submit(client.receive_message, QueueUrl=url, WaitTimeSeconds=20)
            response = future.result()  # the test thread blocks here: it cannot act

        assert bodies(response) == []
        assert jumps == [20]
        assert fake.now == at(20)
        assert took[0] < CEILING


def test_two_consumers_polling_an_empty_queue_while_the_test_joins_them() -> None:
    with mock_sqs(freeze=START) as fake:
        url = make_queue(sqs())
        workers = [
            Worker(lambda: sqs().receive_message(QueueUrl=url, WaitTimeSeconds=20))
            for _ in range(2)
        ]

        with real_seconds() as took:
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()

        assert [bodies(worker.finish()) for worker in workers] == [[], []]
        assert fake.now == at(20)  # both waits ended on the one jump to their deadline
        assert took[0] < CEILING


def test_a_worker_s_last_poll_ends_in_virtual_time_while_the_test_waits_for_it() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)
        stop = threading.Event()
        handled = threading.Event()
        seen: list[str] = []

        def work() -> None:
            consumer = sqs()
            while not stop.is_set():
                response = consumer.receive_message(QueueUrl=url, WaitTimeSeconds=20)
                for message in response.get("Messages", []):
                    seen.append(message["Body"])
                    consumer.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
                    handled.set()

        worker = Worker(work)
        worker.start()
        client.send_message(QueueUrl=url, MessageBody="job")
        assert handled.wait(timeout=CEILING)  # real-time: the worker handles it at once
        # real-time: until the worker's next poll has begun (this thread may still act, so
        # it waits in real time meanwhile).
        while worker.ident not in fake.engine.polls._waiting:
            assert worker.is_alive()
            threading.Event().wait(0.001)

        with real_seconds() as took:
            stop.set()
            worker.join()  # the worker is in its next poll: with this thread joined, it jumps

        worker.finish()
        assert seen == ["job"]
        assert took[0] < CEILING
        assert fake.now == at(20)


def test_a_test_body_running_in_a_worker_thread_while_main_joins() -> None:
    with mock_sqs(freeze=START) as fake:
        url = make_queue(sqs())

        def body() -> list[str]:
            client = sqs()
            client.send_message(QueueUrl=url, MessageBody="first")
            got = bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=20))
            got += bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=20))
            return got

        worker = Worker(body)
        with real_seconds() as took:
            worker.start()
            worker.join()

        assert worker.finish() == ["first"]
        assert fake.now == at(20)  # the second poll found nothing and jumped
        assert took[0] < CEILING


class Release:
    """What ends a blocked thread's wait, whatever it waits on."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.condition = threading.Condition()

    def wait(self, timeout: float | None = None) -> bool:
        return self.event.wait(timeout)

    def is_set(self) -> bool:
        return self.event.is_set()

    def set(self) -> None:
        self.event.set()
        with self.condition:
            self.condition.notify_all()


def _blocked_in_event_wait(release: Release) -> None:
    release.wait()


def _blocked_in_condition_wait(release: Release) -> None:
    with release.condition:
        release.condition.wait_for(release.is_set)


def _blocked_in_queue_get(release: Release) -> None:
    items: queue.Queue[int] = queue.Queue()
    threading.Thread(target=lambda: (release.wait(), items.put(1)), daemon=True).start()
    items.get()


def _blocked_in_future_result(release: Release) -> None:
    future: Future[int] = Future()
    threading.Thread(target=lambda: (release.wait(), future.set_result(1)), daemon=True).start()
    future.result()


LOCK = threading.Lock()


def _blocked_in_lock_acquire(release: Release) -> None:
    LOCK.acquire()
    LOCK.release()


def _blocked_in_with_lock(release: Release) -> None:
    with LOCK:
        pass


def _blocked_in_its_own_long_poll(release: Release) -> None:
    client = sqs()
    url = make_queue(client, "other")
    while not release.is_set():
        client.receive_message(QueueUrl=url, WaitTimeSeconds=20)


def _blocked_in_a_timed_wait_longer_than_the_poll(release: Release) -> None:
    release.wait(timeout=60)  # a pytest-timeout-like watchdog


@pytest.mark.parametrize(
    "blocked",
    [
        _blocked_in_event_wait,
        _blocked_in_condition_wait,
        _blocked_in_queue_get,
        _blocked_in_future_result,
        _blocked_in_lock_acquire,
        _blocked_in_with_lock,
        _blocked_in_its_own_long_poll,
        _blocked_in_a_timed_wait_longer_than_the_poll,
    ],
    ids=lambda function: function.__name__.removeprefix("_blocked_in_"),
)
def test_a_poll_jumps_while_every_other_thread_is_blocked(blocked: Any) -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)
        release = Release()
        LOCK.acquire()  # held by the test thread: the lock-waiting threads wait for it
        try:
            worker = Worker(lambda: blocked(release))
            worker.start()
            jumps = count_jumps(fake)

            with real_seconds() as took:
                response = client.receive_message(QueueUrl=url, WaitTimeSeconds=20)

            assert bodies(response) == []
            assert fake.now >= at(20)
            assert sum(jumps) >= 20
            assert took[0] < CEILING
        finally:
            LOCK.release()
            release.set()
        fake.end_long_polls()  # a worker in its own long poll sees release at once
        worker.finish()


def test_a_thread_started_before_the_fake_that_never_calls_it_does_not_count() -> None:
    release = threading.Event()
    # real-time: busy until released (each wait 10 ms): it is running, but not the test's.
    outsider = Worker(lambda: [release.wait(0.01) for _ in range(1000)])
    outsider.start()
    try:
        with mock_sqs(freeze=START) as fake:
            client = sqs()
            url = make_queue(client)

            with real_seconds() as took:
                assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=20)) == []

            assert fake.now == at(20)
            assert took[0] < CEILING
    finally:
        release.set()
        outsider.finish()


def test_a_finished_worker_no_longer_counts() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)
        worker = Worker(lambda: sqs().get_queue_url(QueueName="jobs"))
        worker.start()
        assert worker.finish()["QueueUrl"] == url
        jumps = count_jumps(fake)

        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=20)) == []
        assert jumps == [20]


def test_the_server_s_accept_loop_does_not_hold_a_poll_in_real_time(
    fake_sqs: FakeSQS, fake_sqs_server: Any, sqs_client: Any
) -> None:
    url = make_queue(sqs_client)
    start = fake_sqs.time
    with real_seconds() as took:
        assert bodies(sqs_client.receive_message(QueueUrl=url, WaitTimeSeconds=20)) == []
    assert fake_sqs.time - start >= 20
    assert took[0] < CEILING


def test_the_same_threads_give_the_same_fake_times() -> None:
    def run() -> list[float]:
        with mock_sqs(freeze=START, seed=7) as fake:
            url = make_queue(sqs())
            workers = [
                Worker(lambda w=w: sqs().receive_message(QueueUrl=url, WaitTimeSeconds=w))
                for w in (5, 20)
            ]
            for worker in workers:
                worker.start()
            for worker in workers:
                worker.join()
                worker.finish()
            return [*sorted(call.time - T0 for call in fake.calls), fake.time - T0]

    assert run() == run() == [0.0, 0.0, 0.0, 20.0]


# --- ending long polls --------------------------------------------------------------------------


def test_stopping_the_fake_ends_a_waiting_poll_with_an_empty_answer() -> None:
    fake = mock_sqs(freeze=START)
    with fake:
        main, consumer = sqs(), sqs()
        url = make_queue(main)
        worker, waits_for = poll_in_a_worker(fake, consumer, url)
        assert waits_for == T0 + 20

    answer = worker.finish()
    assert set(answer) == {"ResponseMetadata"}
    assert not fake.active


def test_end_long_polls_ends_a_waiting_poll_and_later_ones_do_not_wait() -> None:
    with mock_sqs(freeze=START) as fake:
        main, consumer = sqs(), sqs()
        url = make_queue(main)
        worker, waits_for = poll_in_a_worker(fake, consumer, url)
        assert waits_for == T0 + 20

        fake.end_long_polls()
        answer = worker.finish()

        assert set(answer) == {"ResponseMetadata"}
        assert fake.now == START  # ended, not timed out: the clock did not move
        assert bodies(main.receive_message(QueueUrl=url, WaitTimeSeconds=20)) == []
        assert fake.now == START  # a long poll is now a short poll: no jump either


def test_resume_long_polls_makes_a_worker_started_afterwards_wait_again() -> None:
    with mock_sqs(freeze=START) as fake:
        main, consumer = sqs(), sqs()
        url = make_queue(main)
        fake.end_long_polls()
        assert bodies(main.receive_message(QueueUrl=url, WaitTimeSeconds=20)) == []
        assert fake.now == START  # ended: a short poll, no jump

        fake.resume_long_polls()
        worker, waits_for = poll_in_a_worker(fake, consumer, url)
        assert waits_for == T0 + 20
        main.send_message(QueueUrl=url, MessageBody="after the resume")

        assert bodies(worker.finish()) == ["after the resume"]
        assert fake.now == START  # woken by the send, not timed out
        receives = [c for c in fake.calls if c.operation == "ReceiveMessage"]
        assert len(receives) == 2  # the worker polled once: it did not spin


def test_resume_long_polls_in_one_thread_jumps_the_clock_again() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)
        fake.resume_long_polls()  # nothing ended: nothing changes
        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=5)) == []
        assert fake.now == at(5)

        fake.end_long_polls()
        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=5)) == []
        assert fake.now == at(5)
        fake.resume_long_polls()
        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=5)) == []
        assert fake.now == at(10)


# --- long_polls="real" --------------------------------------------------------------------------


def test_real_long_polls_never_jump_and_are_woken_by_a_send() -> None:
    with mock_sqs(freeze=START, long_polls="real") as fake:
        client = sqs()
        url = make_queue(client)
        jumps = count_jumps(fake)
        # real-time: the Timer fires 0.2 s later.
        timer = threading.Timer(0.2, lambda: sqs().send_message(QueueUrl=url, MessageBody="hi"))
        timer.start()

        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=10)) == ["hi"]
        timer.join()
        # real-time: an empty poll waits its whole second, like SQS; the frozen clock is then
        # moved as far as real time went.
        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=1)) == []
        assert jumps == []
        assert fake.time - T0 >= 1


def test_long_polls_takes_virtual_or_real_only() -> None:
    with pytest.raises(ValueError, match="long_polls= takes 'virtual' or 'real', got 'fast'"):
        mock_sqs(long_polls="fast")


# --- runaway loops ------------------------------------------------------------------------------


RUNAWAY = (
    "pytest-fakesqs: this thread's long polls have moved the fake clock 24 hours ahead with "
    "nothing else happening (no other SQS call, no advance()). Each long poll that finds "
    "nothing returns at once and jumps the clock, so a loop bounded by the wall clock "
    "(time.monotonic(), time.time()) never ends. Bound the loop in fake time, freeze the "
    "process on the fake's clock (mock_sqs(freeze_process=True), or the marker's "
    "freeze_process=True) so time.monotonic() moves with it, or let long polls wait in real "
    'time (long_polls="real"). This thread\'s long polls now wait in real time until another '
    "call or advance() happens."
)


def _poll_until_a_wall_clock_deadline(client: Any, url: str, seconds: float) -> int:
    """Consumer code bounding its polling by the wall clock, as real workers do."""
    polls = 0
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        client.receive_message(QueueUrl=url, WaitTimeSeconds=20)
        polls += 1
    return polls


def test_a_loop_bounded_by_the_wall_clock_fails_with_a_clear_error() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)

        with pytest.raises(ClientError) as excinfo:
            _poll_until_a_wall_clock_deadline(client, url, seconds=60)

        error = excinfo.value.response
        assert error["Error"]["Code"] == "PytestFakeSQS.RunawayLongPolls"
        assert error["Error"]["Message"] == RUNAWAY
        assert error["ResponseMetadata"]["HTTPStatusCode"] == 400
        # 24 hours of 20-second jumps, then the poll that went past them.
        assert fake.now == at(24 * 3600 + 20)
        jumps = count_jumps(fake)
        # real-time: that thread's next polls wait in real time (one second here).
        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=1)) == []
        assert jumps == []
        # Anything else happening ends the streak: polls jump again.
        fake.advance(1)
        assert bodies(client.receive_message(QueueUrl=url, WaitTimeSeconds=20)) == []
        assert jumps == [20]


@pytest.fixture
def two_hour_runaways(monkeypatch: pytest.MonkeyPatch) -> None:
    """A shorter runaway threshold (2 hours of fake time), for a quicker test."""
    monkeypatch.setattr(_long_polls, "RUNAWAY_AFTER", 2 * 3600)


@pytest.mark.usefixtures("two_hour_runaways")
def test_a_loop_receiving_the_same_message_for_ever_is_a_runaway_too() -> None:
    with mock_sqs(freeze=START):
        client = sqs()
        url = make_queue(client)
        client.send_message(QueueUrl=url, MessageBody="never deleted")

        with pytest.raises(ClientError) as excinfo:
            while True:  # received, never deleted, received again after each timeout
                client.receive_message(QueueUrl=url, WaitTimeSeconds=20)

        assert excinfo.value.response["Error"]["Code"] == "PytestFakeSQS.RunawayLongPolls"


@pytest.mark.usefixtures("two_hour_runaways")
def test_other_calls_between_polls_are_no_runaway() -> None:
    with mock_sqs(freeze=START) as fake:
        client = sqs()
        url = make_queue(client)
        for _ in range(2 * 3600 // 20 + 10):
            client.receive_message(QueueUrl=url, WaitTimeSeconds=20)
            client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
        assert fake.now > at(2 * 3600)


def test_the_one_clock_mode_ends_a_wall_clock_loop_in_fake_time() -> None:
    with mock_sqs(freeze=START, freeze_process=True) as fake:
        client = sqs()
        url = make_queue(client)

        # time.monotonic() is freezegun's: each empty poll's jump moves it 20 s.
        polls = _poll_until_a_wall_clock_deadline(client, url, seconds=60)

        assert polls == 3
        assert fake.now == at(60)


def test_the_ini_option_and_the_marker_choose_real_long_polls(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfakesqs_long_polls = real\n")
    pytester.makepyfile(
        """
        import pytest


        def test_from_the_ini(fake_sqs):
            assert fake_sqs.engine.polls.mode == "real"


        @pytest.mark.fake_sqs(long_polls="virtual")
        def test_the_marker_wins(fake_sqs):
            assert fake_sqs.engine.polls.mode == "virtual"
        """
    )
    pytester.runpytest().assert_outcomes(passed=2)


def test_a_bad_ini_value_stops_the_run(pytester: pytest.Pytester) -> None:
    pytester.makeini("[pytest]\nfakesqs_long_polls = fast\n")
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*fakesqs_long_polls takes 'virtual' or 'real', got 'fast'"])


# --- FIFO: a delete that lets a group go on wakes a waiting poll --------------------------------


@pytest.mark.parametrize("batch", [False, True], ids=["DeleteMessage", "DeleteMessageBatch"])
def test_deleting_a_fifo_message_wakes_a_poll_waiting_for_its_group(batch: bool) -> None:
    with mock_sqs(freeze=START) as fake:
        main, consumer = sqs(), sqs()
        url = main.create_queue(
            QueueName="jobs.fifo",
            Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
        )["QueueUrl"]
        for body in ("a1", "a2"):
            main.send_message(QueueUrl=url, MessageBody=body, MessageGroupId="A")
        [first] = main.receive_message(QueueUrl=url, VisibilityTimeout=600)["Messages"]
        worker, waits_for = poll_in_a_worker(fake, consumer, url)
        assert waits_for == T0 + 20  # a1 in flight holds group A

        if batch:
            main.delete_message_batch(
                QueueUrl=url, Entries=[{"Id": "1", "ReceiptHandle": first["ReceiptHandle"]}]
            )
        else:
            main.delete_message(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"])

        assert bodies(worker.finish()) == ["a2"]
        # Woken by the delete: not at its deadline (which a missed wake-up would reach by a
        # jump once this thread blocks in finish()).
        assert fake.now == START


def test_deleting_the_queue_ends_a_poll_waiting_on_it_with_queue_does_not_exist() -> None:
    # The fake's choice (AWS's answer to a poll whose queue is deleted under it is not recorded):
    # the poll is woken at once and answers as any later call on the queue would.
    with mock_sqs(freeze=START) as fake:
        main, consumer = sqs(), sqs()
        url = make_queue(main)
        worker, waits_for = poll_in_a_worker(fake, consumer, url)
        assert waits_for == T0 + 20

        main.delete_queue(QueueUrl=url)

        with pytest.raises(ClientError) as excinfo:
            worker.finish()
        assert type(excinfo.value) is consumer.exceptions.QueueDoesNotExist
        assert excinfo.value.response["Error"]["Message"] == "The specified queue does not exist."
        assert fake.now == START  # woken by the delete, not at the poll's deadline
