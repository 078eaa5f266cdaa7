"""The test-writer's time machine, through real boto3/botocore clients.

- ``advance()``: the units it takes, what it refuses, and ``now``/``time`` agreeing.
- ``next_change_at`` and ``advance_to_next_change()`` for every kind of scheduled change, to the
  exact moment, and the earliest across queues and regions winning.
- ``run_until()``: the moment a condition became true, ``within=`` and nothing-scheduled failures.
- freezegun (decorator, context manager, nested, ``tick``/``move_to``), pytest-freezer's
  ``freezer`` fixture and time-machine, with ``mock_sqs`` inside and outside them. The relation
  asserted everywhere: without ``freeze=``, fake time = the patched ``time.time()`` (and
  ``advance()`` and long polls move the library's clock: one clock for the application and the
  queue); with ``freeze=``, those libraries do not move the fake.

Long polls across real threads are in tests/toolkit/test_long_polls_threads.py.

(tests/api/test_time.py covers the basic freezegun/time-machine cases and the timing rules of
visibility, delays, retention and single-threaded long polls; they are not repeated here.)
"""

from __future__ import annotations

import json
import math
import time
from contextlib import ExitStack
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from freezegun import freeze_time

from pytest_fakesqs import FakeSQS, mock_sqs

START = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
FINITE = "the fake's clock moves by a finite number of seconds"
PAST_LATEST = "the fake's clock cannot go past 9999-12-31T23:59:59Z"
T0 = START.timestamp()
T0_MS = int(T0) * 1000
#: SQS's default MessageRetentionPeriod (4 days): every stored message has it scheduled.
DEFAULT_RETENTION = 345_600
ACCOUNT = "123456789012"

frozen = pytest.mark.fake_sqs(freeze=START)


# --- helpers ------------------------------------------------------------------------------------


def at(seconds: float) -> datetime:
    """START plus ``seconds``."""
    return START + timedelta(seconds=seconds)


def sqs(region: str = "us-east-1") -> Any:
    return boto3.client("sqs", region_name=region)


def make_queue(client: Any, name: str, **attributes: object) -> str:
    url: str = client.create_queue(
        QueueName=name, Attributes={key: str(value) for key, value in attributes.items()}
    )["QueueUrl"]
    return url


def counts(client: Any, url: str) -> tuple[int, int, int]:
    """(visible, in flight, delayed)."""
    attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
    return (
        int(attributes["ApproximateNumberOfMessages"]),
        int(attributes["ApproximateNumberOfMessagesNotVisible"]),
        int(attributes["ApproximateNumberOfMessagesDelayed"]),
    )


def visible_count(client: Any, url: str) -> str:
    attributes = client.get_queue_attributes(
        QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"]
    )["Attributes"]
    count: str = attributes["ApproximateNumberOfMessages"]
    return count


def receive(client: Any, url: str, **params: Any) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = client.receive_message(QueueUrl=url, **params).get(
        "Messages", []
    )
    return messages


def bodies(messages: list[dict[str, Any]]) -> list[str]:
    return [message["Body"] for message in messages]


def assert_client_error(
    excinfo: pytest.ExceptionInfo[ClientError],
    *,
    code: str,
    message: str,
    query_code: str,
    status: int = 400,
) -> None:
    error = excinfo.value.response
    assert type(excinfo.value).__name__ == query_code
    assert error["Error"]["Code"] == code
    assert error["Error"]["Message"] == message
    assert error["Error"]["QueryErrorCode"] == query_code
    assert error["ResponseMetadata"]["HTTPStatusCode"] == status


def jumps(fake: FakeSQS) -> list[datetime | None]:
    """advance_to_next_change() until it answers None; every answer, the None included."""
    moments: list[datetime | None] = []
    while True:
        moment = fake.advance_to_next_change()
        moments.append(moment)
        if moment is None:
            return moments


# --- advance() ----------------------------------------------------------------------------------


@frozen
class TestAdvance:
    def test_whole_seconds(self, fake_sqs: FakeSQS) -> None:
        fake_sqs.advance(30)

        assert fake_sqs.time == T0 + 30
        assert fake_sqs.now == at(30)

    def test_float_seconds_add_up(self, fake_sqs: FakeSQS) -> None:
        fake_sqs.advance(0.25)
        fake_sqs.advance(1.5)

        assert fake_sqs.time == T0 + 1.75
        assert fake_sqs.now == at(1.75)

    def test_timedelta(self, fake_sqs: FakeSQS) -> None:
        fake_sqs.advance(timedelta(minutes=2, milliseconds=500))

        assert fake_sqs.now == at(120.5)

    @pytest.mark.parametrize(
        ("units", "seconds"),
        [
            ({"weeks": 1}, 604_800),
            ({"days": 1}, 86_400),
            ({"hours": 1}, 3_600),
            ({"minutes": 1}, 60),
            ({"seconds": 1}, 1),
            ({"milliseconds": 250}, 0.25),
            ({"microseconds": 500_000}, 0.5),
        ],
    )
    def test_keyword_units(
        self, fake_sqs: FakeSQS, units: dict[str, float], seconds: float
    ) -> None:
        fake_sqs.advance(**units)

        assert fake_sqs.time == T0 + seconds

    def test_seconds_and_units_combine(self, fake_sqs: FakeSQS) -> None:
        fake_sqs.advance(10, minutes=1)
        assert fake_sqs.now == at(70)

        fake_sqs.advance(timedelta(seconds=5), hours=1, milliseconds=500)
        assert fake_sqs.now == at(70 + 3_605.5)

    def test_seconds_by_keyword_is_a_unit_added_to_the_amount(self, fake_sqs: FakeSQS) -> None:
        fake_sqs.advance(10, seconds=5)
        fake_sqs.advance(timedelta(minutes=1), seconds=30)
        fake_sqs.advance(minutes=1, seconds=29)

        assert fake_sqs.now == at(15 + 90 + 89)

    def test_a_negative_part_is_fine_when_the_total_is_not(self, fake_sqs: FakeSQS) -> None:
        fake_sqs.advance(60, minutes=-0.5)

        assert fake_sqs.now == at(30)

    def test_no_argument_does_not_move(self, fake_sqs: FakeSQS) -> None:
        fake_sqs.advance()

        assert fake_sqs.now == START

    def test_what_fell_due_has_happened_by_the_next_call(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "mixed", MessageRetentionPeriod=120)
        sqs_client.send_message(QueueUrl=url, MessageBody="delayed", DelaySeconds=30)
        sqs_client.send_message(QueueUrl=url, MessageBody="in flight")
        receive(sqs_client, url, VisibilityTimeout=45)

        fake_sqs.advance(29, milliseconds=999)
        assert counts(sqs_client, url) == (0, 1, 1)
        fake_sqs.advance(timedelta(milliseconds=1))
        assert counts(sqs_client, url) == (1, 1, 0)
        fake_sqs.advance(15)
        assert counts(sqs_client, url) == (2, 0, 0)
        fake_sqs.advance(minutes=1, seconds=15)
        assert counts(sqs_client, url) == (0, 0, 0)

    @pytest.mark.parametrize(
        ("args", "units", "shown"),
        [
            ((-1,), {}, "-1.0"),
            ((-0.5,), {}, "-0.5"),
            ((timedelta(seconds=-5),), {}, "-5.0"),
            ((), {"minutes": -1}, "-60.0"),
            ((10,), {"minutes": -1}, "-50.0"),
        ],
    )
    def test_a_negative_total_raises_value_error_and_the_clock_stays(
        self, fake_sqs: FakeSQS, args: tuple[Any, ...], units: dict[str, float], shown: str
    ) -> None:
        with pytest.raises(ValueError) as excinfo:
            fake_sqs.advance(*args, **units)

        assert type(excinfo.value) is ValueError
        assert str(excinfo.value) == f"the fake's clock only moves forward; got {shown} seconds"
        assert fake_sqs.now == START

    @pytest.mark.parametrize(
        ("args", "units", "message"),
        [
            ((math.nan,), {}, f"{FINITE}; got nan"),
            ((math.inf,), {}, f"{FINITE}; got inf"),
            ((-math.inf,), {}, f"{FINITE}; got -inf"),
            ((), {"seconds": math.nan}, f"{FINITE}; got seconds=nan"),
            ((1,), {"hours": math.inf}, f"{FINITE}; got hours=inf"),
            ((10**400,), {}, f"{PAST_LATEST}; got an int too large for a float"),
            ((), {"days": 1e20}, f"{PAST_LATEST}; got days=1e+20"),
            ((1e20,), {}, f"{PAST_LATEST}; got 1e+20 seconds from 2024-01-02T03:04:05Z"),
            (
                (timedelta.max,),
                {},
                f"{PAST_LATEST}; got 8.64e+13 seconds from 2024-01-02T03:04:05Z",
            ),
            (
                (),
                {"days": 3_000_000},
                f"{PAST_LATEST}; got 2.592e+11 seconds from 2024-01-02T03:04:05Z",
            ),
        ],
    )
    def test_nan_infinity_and_past_the_year_9999_raise_value_error_and_nothing_changes(
        self,
        fake_sqs: FakeSQS,
        sqs_client: Any,
        args: tuple[Any, ...],
        units: dict[str, float],
        message: str,
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=10)

        with pytest.raises(ValueError) as excinfo:
            fake_sqs.advance(*args, **units)

        assert type(excinfo.value) is ValueError
        assert str(excinfo.value) == message
        # The fake is unchanged and every later call works.
        assert fake_sqs.now == START
        assert "Messages" not in sqs_client.receive_message(QueueUrl=url)
        fake_sqs.advance(10)
        [message_] = receive(sqs_client, url)
        assert message_["Body"] == "later"

    def test_up_to_the_last_second_of_9999_is_fine(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        last = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc)
        url = make_queue(sqs_client, "jobs")

        fake_sqs.advance(last - START)
        sqs_client.send_message(QueueUrl=url, MessageBody="at the end of time")
        [message] = receive(sqs_client, url, MessageSystemAttributeNames=["SentTimestamp"])

        assert fake_sqs.now == last
        assert message["Attributes"] == {"SentTimestamp": str(int(last.timestamp()) * 1000)}
        with pytest.raises(ValueError) as excinfo:
            fake_sqs.advance(1)
        assert str(excinfo.value) == f"{PAST_LATEST}; got 1 seconds from 9999-12-31T23:59:59Z"
        assert fake_sqs.now == last

    @pytest.mark.parametrize("amount", ["30", None, True, [1], Decimal("1.5")])
    def test_a_wrong_type_raises_type_error(self, fake_sqs: FakeSQS, amount: Any) -> None:
        with pytest.raises(TypeError) as excinfo:
            fake_sqs.advance(amount)

        assert type(excinfo.value) is TypeError
        assert str(excinfo.value) == f"advance() takes seconds or a timedelta, got {amount!r}"
        assert fake_sqs.now == START

    def test_an_unknown_unit_raises_timedeltas_type_error(self, fake_sqs: FakeSQS) -> None:
        with pytest.raises(TypeError) as expected:
            timedelta(fortnights=1)  # type: ignore[call-arg]

        with pytest.raises(TypeError) as excinfo:
            fake_sqs.advance(fortnights=1)

        assert str(excinfo.value) == str(expected.value)
        assert fake_sqs.now == START

    def test_now_is_time_as_an_aware_utc_datetime(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        fake_sqs.advance(1.5)

        assert type(fake_sqs.time) is float
        assert fake_sqs.time == T0 + 1.5
        assert fake_sqs.now == datetime.fromtimestamp(fake_sqs.time, tz=timezone.utc)
        assert fake_sqs.now.tzinfo is timezone.utc
        assert fake_sqs.now.isoformat() == "2024-01-02T03:04:06.500000+00:00"
        # SQS's own timestamps read the same clock.
        url = make_queue(sqs_client, "stamped")
        sqs_client.send_message(QueueUrl=url, MessageBody="x")
        [message] = receive(sqs_client, url, MessageSystemAttributeNames=["SentTimestamp"])
        assert message["Attributes"] == {"SentTimestamp": str(T0_MS + 1500)}

    def test_time_travel_on_an_inactive_fake_raises_runtime_error(self) -> None:
        fake = mock_sqs(freeze=START)
        message = "this FakeSQS is not active: use it as a context manager first"

        for travel in (
            lambda: fake.advance(1),
            lambda: fake.next_change_at,
            fake.advance_to_next_change,
            lambda: fake.run_until(lambda: True),
            lambda: fake.time,
        ):
            with pytest.raises(RuntimeError) as excinfo:
                travel()
            assert str(excinfo.value) == message


@pytest.mark.parametrize(
    "freeze", [math.nan, math.inf, 1e20, 253_402_300_800, -62_135_596_801, "9999-12-31T23:59:59.5Z"]
)
def test_freeze_outside_the_years_1_to_9999_raises_value_error(freeze: Any) -> None:
    with pytest.raises(ValueError) as excinfo:
        mock_sqs(freeze=freeze)

    assert str(excinfo.value) == (
        f"freeze= takes a time from 0001-01-01 to 9999-12-31T23:59:59Z, got {freeze!r}"
    )


def test_freeze_at_the_edges_of_the_range() -> None:
    for freeze, shown in (
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00+00:00"),
        (253_402_300_799, "9999-12-31T23:59:59+00:00"),
    ):
        with mock_sqs(freeze=freeze) as fake:
            assert fake.now.isoformat() == shown


# --- next_change_at and advance_to_next_change() ------------------------------------------------


@frozen
class TestNextChange:
    def test_nothing_scheduled_is_none_and_the_clock_does_not_move(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        assert fake_sqs.next_change_at is None
        assert fake_sqs.advance_to_next_change() is None
        make_queue(sqs_client, "empty")
        make_queue(sqs_client, "empty.fifo", FifoQueue="true")

        assert fake_sqs.next_change_at is None
        assert fake_sqs.advance_to_next_change() is None
        assert fake_sqs.now == START

    def test_reading_next_change_at_does_not_move_the_clock(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=7)

        assert fake_sqs.next_change_at == at(7)
        assert fake_sqs.next_change_at == at(7)
        assert fake_sqs.now == START
        assert counts(sqs_client, url) == (0, 0, 1)

    def test_per_message_delay_ending(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="late", DelaySeconds=7)
        sqs_client.send_message(QueueUrl=url, MessageBody="later", DelaySeconds=9)

        assert fake_sqs.next_change_at == at(7)
        assert fake_sqs.advance_to_next_change() == at(7)
        assert fake_sqs.now == at(7)
        assert counts(sqs_client, url) == (1, 0, 1)
        assert fake_sqs.next_change_at == at(9)
        assert fake_sqs.advance_to_next_change() == at(9)
        assert bodies(receive(sqs_client, url, MaxNumberOfMessages=10)) == ["late", "later"]

    def test_queue_delay_seconds_ending(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "slow", DelaySeconds=45)
        sqs_client.send_message(QueueUrl=url, MessageBody="x")

        assert fake_sqs.next_change_at == at(45)
        assert fake_sqs.advance_to_next_change() == at(45)
        assert counts(sqs_client, url) == (1, 0, 0)
        # Then only the message's retention is left.
        assert fake_sqs.next_change_at == at(DEFAULT_RETENTION)

    def test_visibility_timeout_ending(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "work")
        for body in ("short", "default"):
            sqs_client.send_message(QueueUrl=url, MessageBody=body)
        receive(sqs_client, url, VisibilityTimeout=12)
        receive(sqs_client, url)  # the queue's 30 s

        assert fake_sqs.next_change_at == at(12)
        assert fake_sqs.advance_to_next_change() == at(12)
        assert counts(sqs_client, url) == (1, 1, 0)
        assert fake_sqs.advance_to_next_change() == at(30)
        again = receive(
            sqs_client,
            url,
            MaxNumberOfMessages=10,
            MessageSystemAttributeNames=["ApproximateReceiveCount"],
        )
        assert [(m["Body"], m["Attributes"]["ApproximateReceiveCount"]) for m in again] == [
            ("short", "2"),
            ("default", "2"),
        ]

    def test_change_message_visibility_moves_the_visibility_end(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "work")
        sqs_client.send_message(QueueUrl=url, MessageBody="x")
        [message] = receive(sqs_client, url)
        assert fake_sqs.next_change_at == at(30)

        sqs_client.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=100
        )
        assert fake_sqs.next_change_at == at(100)  # the old end at 30 s is no longer scheduled
        fake_sqs.advance(20)
        sqs_client.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=5
        )
        assert fake_sqs.next_change_at == at(25)

        assert fake_sqs.advance_to_next_change() == at(25)
        assert counts(sqs_client, url) == (1, 0, 0)

    def test_retention_expiry(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "short-lived", MessageRetentionPeriod=60)
        sqs_client.send_message(QueueUrl=url, MessageBody="old news")

        assert fake_sqs.next_change_at == at(60)
        assert fake_sqs.advance_to_next_change() == at(60)
        assert counts(sqs_client, url) == (0, 0, 0)
        assert [(m.body, m.fate) for m in fake_sqs.queue("short-lived").expired] == [
            ("old news", "expired")
        ]
        assert fake_sqs.next_change_at is None

    def test_fifo_deduplication_window_closing(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "orders.fifo", FifoQueue="true")

        def send(body: str) -> str:
            message_id: str = sqs_client.send_message(
                QueueUrl=url, MessageBody=body, MessageGroupId="g", MessageDeduplicationId="d"
            )["MessageId"]
            return message_id

        first = send("first")
        fake_sqs.advance(100)
        # A duplicate inside the window is told the first MessageId, is not stored, and does
        # not extend the window: it still closes 300 s after the first send.
        assert send("duplicate") == first
        assert visible_count(sqs_client, url) == "1"
        assert fake_sqs.next_change_at == at(300)

        assert fake_sqs.advance_to_next_change() == at(300)

        second = send("second")
        assert second != first
        assert visible_count(sqs_client, url) == "2"
        assert fake_sqs.queue("orders.fifo").bodies == ["first", "second"]
        assert fake_sqs.next_change_at == at(600)  # the second send's window

    def test_purge_queue_cool_down_ending(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.purge_queue(QueueUrl=url)

        assert fake_sqs.next_change_at == at(60)
        with pytest.raises(ClientError) as excinfo:
            sqs_client.purge_queue(QueueUrl=url)
        assert_client_error(
            excinfo,
            code="AWS.SimpleQueueService.PurgeQueueInProgress",
            message="Only one PurgeQueue operation on jobs is allowed every 60 seconds.",
            query_code="PurgeQueueInProgress",
            status=403,
        )

        assert fake_sqs.advance_to_next_change() == at(60)
        sqs_client.purge_queue(QueueUrl=url)
        assert fake_sqs.next_change_at == at(120)

    def test_deleted_queue_name_cool_down_ending(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.delete_queue(QueueUrl=url)

        assert fake_sqs.next_change_at == at(60)
        with pytest.raises(ClientError) as excinfo:
            sqs_client.create_queue(QueueName="jobs")
        assert_client_error(
            excinfo,
            code="AWS.SimpleQueueService.QueueDeletedRecently",
            message="You must wait 60 seconds after deleting a queue before you can create "
            "another with the same name.",
            query_code="QueueDeletedRecently",
        )

        assert fake_sqs.advance_to_next_change() == at(60)
        assert sqs_client.create_queue(QueueName="jobs")["QueueUrl"] == url
        assert fake_sqs.next_change_at is None

    def test_move_task_steps(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        dlq = make_queue(sqs_client, "dlq")
        dlq_arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:dlq"
        source = make_queue(
            sqs_client,
            "source",
            VisibilityTimeout=0,
            RedrivePolicy=json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1}),
        )
        for body in ("a", "b", "c"):
            sqs_client.send_message(QueueUrl=source, MessageBody=body)
        assert len(receive(sqs_client, source, MaxNumberOfMessages=10)) == 3
        assert receive(sqs_client, source, MaxNumberOfMessages=10) == []  # all dead-lettered
        assert visible_count(sqs_client, dlq) == "3"
        sqs_client.start_message_move_task(SourceArn=dlq_arn, MaxNumberOfMessagesPerSecond=1)

        def moved() -> int:
            [task] = sqs_client.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
            count: int = task["ApproximateNumberOfMessagesMoved"]
            return count

        assert fake_sqs.next_change_at == at(1)
        for step in (1, 2, 3):
            # Each jump is one step of one message a second.
            assert fake_sqs.advance_to_next_change() == at(step)
            assert moved() == step
            assert visible_count(sqs_client, dlq) == str(3 - step)
            assert visible_count(sqs_client, source) == str(step)

        [task] = sqs_client.list_message_move_tasks(SourceArn=dlq_arn)["Results"]
        assert task["Status"] == "COMPLETED"
        assert fake_sqs.queue("source").bodies == ["a", "b", "c"]
        # The task is done: only the messages' retention (from their first send) is left.
        assert fake_sqs.next_change_at == at(DEFAULT_RETENTION)

    def test_earliest_across_queues_and_regions_wins(self, fake_sqs: FakeSQS) -> None:
        east, west, europe = sqs("us-east-1"), sqs("us-west-2"), sqs("eu-west-1")
        slow = make_queue(east, "jobs")
        east.send_message(QueueUrl=slow, MessageBody="slow", DelaySeconds=50)
        fast = make_queue(europe, "jobs")
        europe.send_message(QueueUrl=fast, MessageBody="fast", DelaySeconds=20)
        west.delete_queue(QueueUrl=make_queue(west, "gone"))

        assert fake_sqs.next_change_at == at(20)
        assert fake_sqs.advance_to_next_change() == at(20)
        assert counts(europe, fast) == (1, 0, 0)
        assert counts(east, slow) == (0, 0, 1)
        # Then the other region's delay, the deleted name's cool-down, both messages' retention
        # (sent at the same instant: one moment), and nothing more.
        assert jumps(fake_sqs) == [at(50), at(60), at(DEFAULT_RETENTION), None]
        assert fake_sqs.now == at(DEFAULT_RETENTION)
        assert counts(east, slow) == counts(europe, fast) == (0, 0, 0)

    def test_next_change_is_strictly_after_now(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=10)

        fake_sqs.advance(10)  # exactly at the delay's end: it has happened, no longer next

        assert fake_sqs.next_change_at == at(DEFAULT_RETENTION)


# --- run_until() --------------------------------------------------------------------------------


@frozen
class TestRunUntil:
    def test_returns_the_moment_the_condition_became_true(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "delayed", DelaySeconds=30)
        sqs_client.send_message(QueueUrl=url, MessageBody="queue delay")
        sqs_client.send_message(QueueUrl=url, MessageBody="ten", DelaySeconds=10)
        sqs_client.send_message(QueueUrl=url, MessageBody="twenty", DelaySeconds=20)
        checked: list[datetime] = []

        def three_visible() -> bool:
            checked.append(fake_sqs.now)
            return visible_count(sqs_client, url) == "3"

        assert fake_sqs.run_until(three_visible) == at(30)
        assert fake_sqs.now == at(30)
        # Checked now, then after each scheduled change.
        assert checked == [START, at(10), at(20), at(30)]

    def test_already_true_returns_now_without_moving(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=10)
        fake_sqs.advance(2.5)

        assert fake_sqs.run_until(lambda: True) == at(2.5)
        assert fake_sqs.now == at(2.5)
        assert counts(sqs_client, url) == (0, 0, 1)

    def test_condition_may_receive_and_any_truthy_value_counts(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="first", DelaySeconds=15)
        sqs_client.send_message(QueueUrl=url, MessageBody="second", DelaySeconds=40)
        received: list[dict[str, Any]] = []

        def got_one() -> list[dict[str, Any]]:
            received.extend(receive(sqs_client, url, MaxNumberOfMessages=10))
            return received

        assert fake_sqs.run_until(got_one) == at(15)
        assert bodies(received) == ["first"]

    def test_within_seconds_fails_with_the_clock_at_the_limit(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="early", DelaySeconds=10)
        sqs_client.send_message(QueueUrl=url, MessageBody="late", DelaySeconds=100)
        fake_sqs.advance(5)
        checked: list[datetime] = []

        def two_visible() -> bool:
            checked.append(fake_sqs.now)
            return visible_count(sqs_client, url) == "2"

        with pytest.raises(AssertionError) as excinfo:
            fake_sqs.run_until(two_visible, within=30)

        assert (
            str(excinfo.value) == "run_until: condition still false after 30 seconds of fake time"
        )
        # within counts from the call's start (at 5 s), not from the fake's start.
        assert fake_sqs.now == at(35)
        assert checked == [at(5), at(10), at(35)]

    def test_within_timedelta_fails_with_the_clock_at_the_limit(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="late", DelaySeconds=900)

        with pytest.raises(AssertionError) as excinfo:
            fake_sqs.run_until(
                lambda: visible_count(sqs_client, url) == "1", within=timedelta(minutes=1)
            )

        assert str(excinfo.value) == (
            "run_until: condition still false after 60 seconds of fake time"
        )
        assert fake_sqs.now == at(60)
        assert counts(sqs_client, url) == (0, 0, 1)

    def test_within_passes_time_even_with_nothing_scheduled(self, fake_sqs: FakeSQS) -> None:
        def after_25_seconds() -> bool:
            return fake_sqs.now >= at(25)

        assert fake_sqs.run_until(after_25_seconds, within=25) == at(25)

    def test_within_with_nothing_scheduled_fails_at_the_limit(self, fake_sqs: FakeSQS) -> None:
        with pytest.raises(AssertionError) as excinfo:
            fake_sqs.run_until(lambda: False, within=45)

        assert (
            str(excinfo.value) == "run_until: condition still false after 45 seconds of fake time"
        )
        assert fake_sqs.now == at(45)

    @pytest.mark.parametrize(
        ("within", "error", "message"),
        [
            (-1, ValueError, "run_until(within=...) cannot be negative; got -1"),
            (
                timedelta(seconds=-5),
                ValueError,
                "run_until(within=...) cannot be negative; got datetime.timedelta(days=-1, "
                "seconds=86395)",
            ),
            (math.nan, ValueError, f"{FINITE}; got nan"),
            (math.inf, ValueError, f"{FINITE}; got inf"),
            (1e20, ValueError, f"{PAST_LATEST}; got 1e+20 seconds from 2024-01-02T03:04:05Z"),
            ("30", TypeError, "run_until(within=...) takes seconds or a timedelta, got '30'"),
        ],
    )
    def test_a_bad_within_raises_before_the_condition_runs(
        self, fake_sqs: FakeSQS, sqs_client: Any, within: Any, error: type, message: str
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=5)
        checked: list[datetime] = []

        with pytest.raises(error) as excinfo:
            fake_sqs.run_until(lambda: checked.append(fake_sqs.now), within=within)

        assert type(excinfo.value) is error
        assert str(excinfo.value) == message
        assert checked == []
        assert fake_sqs.now == START

    def test_within_zero_checks_once_without_moving(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=5)

        with pytest.raises(AssertionError) as excinfo:
            fake_sqs.run_until(lambda: False, within=0)

        assert str(excinfo.value) == "run_until: condition still false after 0 seconds of fake time"
        assert fake_sqs.now == START

    def test_a_change_exactly_at_the_limit_is_in_time(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=30)

        assert fake_sqs.run_until(lambda: visible_count(sqs_client, url) == "1", within=30) == at(
            30
        )

    def test_nothing_scheduled_fails_at_once(self, fake_sqs: FakeSQS) -> None:
        with pytest.raises(AssertionError) as excinfo:
            fake_sqs.run_until(lambda: False)

        assert str(excinfo.value) == (
            "run_until: condition still false and nothing more is scheduled "
            "(after 0 seconds of fake time)"
        )
        assert fake_sqs.now == START

    def test_nothing_more_scheduled_fails_after_the_last_change(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        fake_sqs.advance(12.5)
        url = make_queue(sqs_client, "jobs")
        sqs_client.purge_queue(QueueUrl=url)  # its cool-down is the only thing scheduled

        with pytest.raises(AssertionError) as excinfo:
            fake_sqs.run_until(lambda: False)

        assert str(excinfo.value) == (
            "run_until: condition still false and nothing more is scheduled "
            "(after 60 seconds of fake time)"
        )
        assert fake_sqs.now == at(72.5)

    def test_drives_a_move_task_to_the_end(self, fake_sqs: FakeSQS, sqs_client: Any) -> None:
        dlq = make_queue(sqs_client, "dlq")
        dlq_arn = f"arn:aws:sqs:us-east-1:{ACCOUNT}:dlq"
        source = make_queue(sqs_client, "source", MessageRetentionPeriod=3600)
        sqs_client.set_queue_attributes(
            QueueUrl=source,
            Attributes={
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 1})
            },
        )
        fake_sqs.queue("dlq").put("a")
        fake_sqs.queue("dlq").put("b")
        sqs_client.start_message_move_task(
            SourceArn=dlq_arn,
            DestinationArn=f"arn:aws:sqs:us-east-1:{ACCOUNT}:source",
            MaxNumberOfMessagesPerSecond=2,
        )

        assert fake_sqs.run_until(lambda: visible_count(sqs_client, source) == "2") == at(1)
        assert visible_count(sqs_client, dlq) == "0"


# --- freezegun ----------------------------------------------------------------------------------


class TestFreezegun:
    """Without ``freeze=``, fake time = freezegun's time (+ what advance() added while no
    library was active), and advance() and long polls move freezegun itself: one clock."""

    def test_mock_sqs_inside_freeze_time_follows_tick_and_move_to_and_advance_moves_it(
        self,
    ) -> None:
        with freeze_time(START) as frozen_time, mock_sqs() as fake:
            assert fake.now == START
            fake.advance(10)
            assert fake.now == at(10)
            assert datetime.now(timezone.utc) == at(10)  # the application's clock too
            frozen_time.tick(5)
            assert fake.now == at(15)
            frozen_time.move_to(START + timedelta(hours=1))
            # move_to replaces freezegun's time, advance()'s 10 s included: one clock.
            assert fake.now == at(3_600)

            client = sqs()
            url = make_queue(client, "jobs")
            client.send_message(QueueUrl=url, MessageBody="x")
            [message] = receive(client, url, MessageSystemAttributeNames=["SentTimestamp"])
            assert message["Attributes"] == {"SentTimestamp": str(T0_MS + 3_600_000)}

    def test_freeze_time_inside_mock_sqs_keeps_earlier_advances_and_lets_go_on_exit(
        self,
    ) -> None:
        with mock_sqs() as fake:
            client = sqs()
            url = make_queue(client, "jobs")
            fake.advance(100)
            with freeze_time(START) as frozen_time:
                # The offset from before freezing stays on top of freezegun's time.
                assert fake.now == at(100)
                client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=60)
                assert fake.next_change_at == at(160)
                frozen_time.tick(59)
                assert counts(client, url) == (0, 0, 1)
            # Back on the real clock, years after START: even the message's 4-day retention
            # has long ended.
            assert counts(client, url) == (0, 0, 0)
            [expired] = fake.queue("jobs").expired
            assert expired.sent_at == at(100)

    def test_nested_freeze_time_the_innermost_wins_then_the_outer_returns(self) -> None:
        with freeze_time(START), mock_sqs() as fake:
            fake.advance(5)  # moves the outer freezer
            with freeze_time(START + timedelta(days=1)) as inner:
                assert fake.now == at(86_400)
                inner.tick(10)
                assert fake.now == at(86_400 + 10)
                fake.advance(1)  # moves the innermost freezer
                assert fake.now == at(86_400 + 11)
            assert fake.now == at(5)

    @pytest.mark.parametrize("order", ["freeze_time outside", "mock_sqs outside"])
    def test_stacked_decorators_in_either_order(self, order: str) -> None:
        def first_delivery() -> dict[str, str]:
            client = sqs()
            url = make_queue(client, "jobs")
            client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=5)
            [message] = receive(
                client, url, WaitTimeSeconds=20, MessageSystemAttributeNames=["All"]
            )
            attributes: dict[str, str] = message["Attributes"]
            return {
                name: attributes[name]
                for name in ("SentTimestamp", "ApproximateFirstReceiveTimestamp")
            }

        if order == "freeze_time outside":
            decorated = freeze_time(START)(mock_sqs(first_delivery))
        else:
            decorated = mock_sqs(freeze_time(START)(first_delivery))

        # The long poll jumped the fake 5 s past freezegun's frozen START.
        assert decorated() == {
            "SentTimestamp": str(T0_MS),
            "ApproximateFirstReceiveTimestamp": str(T0_MS + 5_000),
        }

    @freeze_time(START)
    def test_decorated_test_with_mock_sqs_inside(self) -> None:
        with mock_sqs() as fake:
            assert fake.now == START
            client = sqs()
            url = make_queue(client, "jobs")
            assert receive(client, url, WaitTimeSeconds=20) == []  # nothing: a 20 s jump
            assert fake.now == at(20)

    @freeze_time(START)
    def test_decorated_test_next_change_with_the_fixture_started_outside(
        self, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        # The fixture started before freezegun froze the clock; it follows freezegun anyway.
        assert fake_sqs.now == START
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=30)

        assert fake_sqs.next_change_at == at(30)
        assert fake_sqs.advance_to_next_change() == at(30)
        assert counts(sqs_client, url) == (1, 0, 0)

    def test_next_change_is_absolute_while_freezegun_ticks(self) -> None:
        with freeze_time(START) as frozen_time, mock_sqs() as fake:
            client = sqs()
            url = make_queue(client, "jobs")
            client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=30)

            frozen_time.tick(10)
            assert fake.next_change_at == at(30)  # a moment, not a remaining time
            assert fake.advance_to_next_change() == at(30)  # moves the missing 20 s
            assert fake.now == at(30)
            assert datetime.now(timezone.utc) == at(30)  # the jump moved freezegun
            frozen_time.tick(5)
            assert fake.now == at(35)
            frozen_time.move_to(START + timedelta(minutes=1))
            assert fake.now == at(60)

    def test_move_to_an_earlier_time_takes_the_fake_back_but_what_happened_stays(
        self,
    ) -> None:
        with freeze_time(START) as frozen_time, mock_sqs() as fake:
            client = sqs()
            url = make_queue(client, "jobs")
            client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=30)
            fake.advance(5)
            frozen_time.tick(25)
            assert counts(client, url) == (1, 0, 0)  # the delay ended at 30 s

            frozen_time.move_to(START)
            assert fake.now == START  # back with freezegun, advance()'s 5 s included
            assert counts(client, url) == (1, 0, 0)  # still visible: not delayed again
            assert fake.next_change_at == at(DEFAULT_RETENTION)

    def test_run_until_under_freezegun(self) -> None:
        with freeze_time(START) as frozen_time, mock_sqs() as fake:
            client = sqs()
            url = make_queue(client, "jobs")
            client.send_message(QueueUrl=url, MessageBody="a", DelaySeconds=10)
            client.send_message(QueueUrl=url, MessageBody="b", DelaySeconds=40)
            frozen_time.tick(15)

            assert fake.run_until(lambda: visible_count(client, url) == "2") == at(40)
            with pytest.raises(AssertionError) as excinfo:
                fake.run_until(lambda: False, within=timedelta(seconds=20))
            assert str(excinfo.value) == (
                "run_until: condition still false after 20 seconds of fake time"
            )
            assert fake.now == at(60)

    def test_frozen_long_poll_with_nothing_returns_after_exactly_the_wait(self) -> None:
        with freeze_time(START) as frozen_time, mock_sqs() as fake:
            client = sqs()
            url = make_queue(client, "jobs")
            frozen_time.tick(1)

            response = client.receive_message(QueueUrl=url, WaitTimeSeconds=17)

            assert set(response) == {"ResponseMetadata"}
            assert fake.now == at(18)

    @pytest.mark.parametrize("freezegun_first", [True, False], ids=["inside", "outside"])
    def test_mock_sqs_freeze_ignores_freezegun_move_to_and_tick(
        self, freezegun_first: bool
    ) -> None:
        with ExitStack() as stack:
            if freezegun_first:
                frozen_time = stack.enter_context(freeze_time("2030-06-01 00:00:00"))
                fake = stack.enter_context(mock_sqs(freeze=START))
            else:
                fake = stack.enter_context(mock_sqs(freeze=START))
                frozen_time = stack.enter_context(freeze_time("2030-06-01 00:00:00"))
            client = sqs()
            url = make_queue(client, "jobs")
            assert fake.now == START
            client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=30)

            frozen_time.move_to("2031-01-01 00:00:00")
            frozen_time.tick(3_600)
            assert fake.now == START
            assert counts(client, url) == (0, 0, 1)
            assert fake.next_change_at == at(30)
            assert fake.advance_to_next_change() == at(30)
            [message] = receive(client, url, MessageSystemAttributeNames=["SentTimestamp"])
            assert message["Attributes"] == {"SentTimestamp": str(T0_MS)}

    def test_each_nested_fake_keeps_its_own_clock(self) -> None:
        with freeze_time(START), mock_sqs() as outer:
            client = sqs()
            url = make_queue(client, "jobs")
            with mock_sqs(freeze=START + timedelta(days=1)) as inner:
                inner.advance(100)  # its own clock, and the application's (freezegun)
                assert outer.now == at(100)
                outer.advance(5)  # freezegun only: the inner fake never reads it
                assert inner.now == at(86_400 + 100)
            # The inner fake is gone: calls are served by the outer one, on its own clock.
            client.send_message(QueueUrl=url, MessageBody="x")
            [message] = receive(client, url, MessageSystemAttributeNames=["SentTimestamp"])
            assert message["Attributes"] == {"SentTimestamp": str(T0_MS + 105_000)}


# --- pytest-freezer -----------------------------------------------------------------------------


class TestPytestFreezer:
    """pytest-freezer's ``freezer`` fixture is freezegun: the fake follows it unless frozen."""

    def test_freezer_move_to_and_tick_move_the_fake(
        self, freezer: Any, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        freezer.move_to(START)
        assert fake_sqs.now == START
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x")
        receive(sqs_client, url)

        freezer.tick(29)
        assert receive(sqs_client, url) == []
        freezer.tick(timedelta(seconds=1))
        [again] = receive(sqs_client, url, MessageSystemAttributeNames=["ApproximateReceiveCount"])
        assert again["Attributes"] == {"ApproximateReceiveCount": "2"}
        assert fake_sqs.now == at(30)

    @pytest.mark.freeze_time(START)
    def test_freeze_time_marker_with_next_change_and_long_polls(
        self, freezer: Any, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        assert fake_sqs.now == START
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=30)
        freezer.tick(10)

        assert fake_sqs.next_change_at == at(30)
        # The poll jumps 20 s to the delay's end, then an empty one 20 s more.
        assert bodies(receive(sqs_client, url, WaitTimeSeconds=20)) == ["x"]
        assert fake_sqs.now == at(30)
        assert receive(sqs_client, url, WaitTimeSeconds=20, VisibilityTimeout=600) == []
        assert fake_sqs.now == at(50)
        # The jumps moved the freezer itself: the application saw the same 50 s.
        assert datetime.now(timezone.utc) == at(50)
        freezer.move_to(START + timedelta(hours=1))
        assert fake_sqs.now == at(3_600)

    @pytest.mark.freeze_time(START)
    def test_freeze_time_marker_with_run_until(
        self, freezer: Any, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        url = make_queue(sqs_client, "jobs", DelaySeconds=90)
        sqs_client.send_message(QueueUrl=url, MessageBody="x")
        freezer.tick(60)

        assert fake_sqs.run_until(lambda: visible_count(sqs_client, url) == "1") == at(90)

    @frozen
    def test_freezer_does_not_move_a_fake_with_freeze(
        self, freezer: Any, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        freezer.move_to("2030-01-01 00:00:00")
        freezer.tick(3_600)
        assert fake_sqs.now == START
        url = make_queue(sqs_client, "jobs")
        sqs_client.send_message(QueueUrl=url, MessageBody="x")
        fake_sqs.advance(5)

        [message] = receive(sqs_client, url, MessageSystemAttributeNames=["All"])
        assert message["Attributes"]["SentTimestamp"] == str(T0_MS)
        assert message["Attributes"]["ApproximateFirstReceiveTimestamp"] == str(T0_MS + 5_000)


# --- time-machine -------------------------------------------------------------------------------


class TestTimeMachine:
    """time-machine moves an unfrozen fake like freezegun does."""

    def test_nested_travel_the_innermost_wins_then_the_outer_returns(self) -> None:
        with time_machine.travel(START, tick=False) as outer, mock_sqs() as fake:
            fake.advance(5)  # shifts the outer traveller
            with time_machine.travel(START + timedelta(days=1), tick=False) as inner:
                assert fake.now == at(86_400)
                inner.shift(60)
                assert fake.now == at(86_400 + 60)
            assert fake.now == at(5)
            outer.shift(timedelta(seconds=10))
            assert fake.now == at(15)

    def test_shift_with_next_change_and_run_until(self) -> None:
        with time_machine.travel(START, tick=False) as traveller, mock_sqs() as fake:
            client = sqs()
            url = make_queue(client, "jobs")
            client.send_message(QueueUrl=url, MessageBody="x")
            receive(client, url)
            traveller.shift(10)

            assert fake.next_change_at == at(30)
            assert fake.run_until(lambda: visible_count(client, url) == "1") == at(30)
            traveller.shift(5)
            assert fake.now == at(35)

    def test_time_machine_fixture_move_to_and_shift(
        self, time_machine: Any, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        time_machine.move_to(START, tick=False)
        assert fake_sqs.now == START
        url = make_queue(sqs_client, "jobs", DelaySeconds=30)
        sqs_client.send_message(QueueUrl=url, MessageBody="x")

        time_machine.shift(29)
        assert counts(sqs_client, url) == (0, 0, 1)
        assert fake_sqs.next_change_at == at(30)
        time_machine.shift(1)
        assert counts(sqs_client, url) == (1, 0, 0)

    def test_mock_sqs_freeze_ignores_time_machine(self) -> None:
        with (
            time_machine.travel("2030-06-01T00:00:00Z", tick=False) as traveller,
            mock_sqs(freeze=START) as fake,
        ):
            traveller.shift(3_600)
            traveller.move_to("2031-01-01T00:00:00Z")
            assert fake.now == START


# --- one clock for the application and the queue -----------------------------------------------


def sent_timestamp_of_a_new_message(client: Any) -> int:
    url = make_queue(client, "one-clock")
    client.send_message(QueueUrl=url, MessageBody="now")
    [message] = receive(client, url, MessageSystemAttributeNames=["SentTimestamp"])
    return int(message["Attributes"]["SentTimestamp"])


class TestOneClock:
    """advance() (and a long poll's jump) moves an active freezegun or time-machine clock by
    the same amount: the code under test and SQS see one time."""

    def test_advance_moves_freezegun_and_the_next_message_s_timestamp(self) -> None:
        with freeze_time(START), mock_sqs() as fake:
            fake.advance(90)

            assert datetime.now(timezone.utc) == at(90)
            assert sent_timestamp_of_a_new_message(sqs()) == T0_MS + 90_000

    def test_advance_moves_a_time_machine_traveller(self) -> None:
        with time_machine.travel(START, tick=False), mock_sqs() as fake:
            fake.advance(90)

            assert datetime.now(timezone.utc) == at(90)
            assert sent_timestamp_of_a_new_message(sqs()) == T0_MS + 90_000

    def test_advance_moves_pytest_freezers_fixture(
        self, freezer: Any, fake_sqs: FakeSQS, sqs_client: Any
    ) -> None:
        freezer.move_to(START)
        fake_sqs.advance(90)

        assert datetime.now(timezone.utc) == at(90)
        assert sent_timestamp_of_a_new_message(sqs_client) == T0_MS + 90_000

    def test_a_long_poll_s_jump_moves_freezegun_too(self) -> None:
        with freeze_time(START), mock_sqs() as fake:
            client = sqs()
            url = make_queue(client, "jobs")
            mono = time.monotonic()

            assert receive(client, url, WaitTimeSeconds=20) == []

            assert fake.now == at(20)
            assert datetime.now(timezone.utc) == at(20)
            assert time.monotonic() - mono == pytest.approx(20)

    def test_a_fake_frozen_on_its_own_moves_the_application_s_clock_by_as_much(self) -> None:
        with freeze_time("2030-06-01 00:00:00"), mock_sqs(freeze=START) as fake:
            fake.advance(90)

            assert fake.now == at(90)
            assert datetime.now(timezone.utc) == datetime(2030, 6, 1, 0, 1, 30, tzinfo=timezone.utc)


class TestFreezeProcess:
    """``freeze_process=True``: freezegun freezes the whole process on the fake's clock."""

    def test_the_application_sees_the_fake_s_time_and_it_moves_with_the_fake(self) -> None:
        with mock_sqs(freeze=START, freeze_process=True) as fake:
            assert datetime.now(timezone.utc) == START
            assert time.time() == T0
            mono = time.monotonic()

            fake.advance(30)

            assert datetime.now(timezone.utc) == at(30) == fake.now
            assert time.monotonic() - mono == pytest.approx(30)
            assert sent_timestamp_of_a_new_message(sqs()) == T0_MS + 30_000
        # Stopped with the fake: real time again.
        assert datetime.now(timezone.utc).year >= 2026

    def test_without_freeze_it_starts_at_the_real_time_and_stays_there(self) -> None:
        before = time.time()
        with mock_sqs(freeze_process=True) as fake:
            frozen_at = time.time()
            assert frozen_at >= before
            assert fake.time == frozen_at
            assert time.time() == frozen_at  # frozen: no real time passes for the process

    def test_the_marker_option(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(
            """
            from datetime import datetime, timezone

            import pytest


            @pytest.mark.fake_sqs(freeze="2024-01-02T03:04:05Z", freeze_process=True)
            def test_frozen(fake_sqs):
                assert datetime.now(timezone.utc) == fake_sqs.now
                fake_sqs.advance(60)
                assert datetime.now(timezone.utc).isoformat() == "2024-01-02T03:05:05+00:00"
            """
        )
        pytester.runpytest("-p", "no:randomly").assert_outcomes(passed=1)
