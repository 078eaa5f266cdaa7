"""Time on standard queues: visibility timeouts, delays, retention and long polls.

Time never really passes: tests move the fake's clock with ``fake_sqs.advance``, a frozen start
(``@pytest.mark.fake_sqs(freeze=...)``), freezegun or time-machine, and assert on the fake's
clock. Only the two thread tests wait in real time, each bounded by an event it causes.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import boto3
import pytest
import time_machine
from botocore.exceptions import ClientError
from freezegun import freeze_time
from sqs_helpers import assert_error, counts, receive

from pytest_fakesqs import FakeSQS, mock_sqs

FROZEN = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
T0 = FROZEN.timestamp()
T0_MS = int(T0) * 1000

frozen = pytest.mark.fake_sqs(freeze=FROZEN)


# --- helpers ------------------------------------------------------------------------------------


def bodies(client: Any, url: str, **params: Any) -> list[str]:
    return [message["Body"] for message in receive(client, url, **params)]


def make_queue(client: Any, name: str = "timed", **attributes: int) -> str:
    url: str = client.create_queue(
        QueueName=name, Attributes={key: str(value) for key, value in attributes.items()}
    )["QueueUrl"]
    return url


# --- visibility timeout ---------------------------------------------------------------------


@frozen
class TestVisibilityTimeout:
    def test_queue_default_of_30_seconds(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="x")
        assert bodies(client, queue_url) == ["x"]

        fake_sqs.advance(29.999)
        assert receive(client, queue_url) == []
        assert counts(client, queue_url) == (0, 1, 0)

        fake_sqs.advance(0.001)
        assert counts(client, queue_url) == (1, 0, 0)
        [message] = receive(client, queue_url, AttributeNames=["All"])
        assert message["Attributes"]["ApproximateReceiveCount"] == "2"
        # The first receive's time is kept.
        assert message["Attributes"]["ApproximateFirstReceiveTimestamp"] == str(T0_MS)

    def test_queue_attribute(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, VisibilityTimeout=10)
        client.send_message(QueueUrl=url, MessageBody="x")
        receive(client, url)

        fake_sqs.advance(9.999)
        assert receive(client, url) == []
        fake_sqs.advance(0.001)
        assert bodies(client, url) == ["x"]

    def test_per_receive_override_beats_the_queue(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, VisibilityTimeout=10)
        client.send_message(QueueUrl=url, MessageBody="x")
        receive(client, url, VisibilityTimeout=100)

        fake_sqs.advance(99.999)
        assert receive(client, url) == []
        fake_sqs.advance(0.001)
        # This receive uses the queue's 10 s again.
        assert bodies(client, url) == ["x"]
        fake_sqs.advance(10)
        assert bodies(client, url) == ["x"]

    def test_timeout_is_fixed_when_received(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, VisibilityTimeout=60)
        client.send_message(QueueUrl=url, MessageBody="x")
        receive(client, url)

        client.set_queue_attributes(QueueUrl=url, Attributes={"VisibilityTimeout": "5"})
        fake_sqs.advance(59.999)
        assert counts(client, url) == (0, 1, 0)
        fake_sqs.advance(0.001)
        assert counts(client, url) == (1, 0, 0)

    def test_changed_per_message(self, client: Any, fake_sqs: FakeSQS, queue_url: str) -> None:
        for body in ("short", "default", "long"):
            client.send_message(QueueUrl=queue_url, MessageBody=body)
        handles = {
            m["Body"]: m["ReceiptHandle"]
            for m in receive(client, queue_url, MaxNumberOfMessages=10)
        }
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=handles["short"], VisibilityTimeout=5
        )
        client.change_message_visibility(
            QueueUrl=queue_url, ReceiptHandle=handles["long"], VisibilityTimeout=300
        )

        fake_sqs.advance(5)
        assert bodies(client, queue_url, MaxNumberOfMessages=10, VisibilityTimeout=1000) == [
            "short"
        ]
        fake_sqs.advance(25)
        assert bodies(client, queue_url, MaxNumberOfMessages=10, VisibilityTimeout=1000) == [
            "default"
        ]
        fake_sqs.advance(269.999)
        assert counts(client, queue_url) == (0, 3, 0)
        fake_sqs.advance(0.001)
        assert bodies(client, queue_url, MaxNumberOfMessages=10) == ["long"]

    def test_reappearing_message_keeps_its_place(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        for body in ("first", "second"):
            client.send_message(QueueUrl=queue_url, MessageBody=body)
        receive(client, queue_url)
        fake_sqs.advance(30)

        assert bodies(client, queue_url, MaxNumberOfMessages=10) == ["first", "second"]

    def test_advance_accepts_timedelta_and_units(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="x")
        receive(client, queue_url, VisibilityTimeout=150)

        fake_sqs.advance(timedelta(minutes=1))
        fake_sqs.advance(minutes=1, seconds=29)
        assert fake_sqs.time == T0 + 149
        assert receive(client, queue_url) == []
        fake_sqs.advance(1)
        assert fake_sqs.now == FROZEN + timedelta(seconds=150)
        assert bodies(client, queue_url) == ["x"]


# --- delays ---------------------------------------------------------------------------------


@frozen
class TestDelaySeconds:
    def test_queue_delay(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, DelaySeconds=10)
        client.send_message(QueueUrl=url, MessageBody="x")
        assert counts(client, url) == (0, 0, 1)

        fake_sqs.advance(9.999)
        assert receive(client, url) == []
        assert counts(client, url) == (0, 0, 1)
        fake_sqs.advance(0.001)
        assert counts(client, url) == (1, 0, 0)
        [message] = receive(client, url, AttributeNames=["SentTimestamp"])
        # Sent when sent, not when it became visible.
        assert message["Attributes"] == {"SentTimestamp": str(T0_MS)}

    def test_per_message_delay(self, client: Any, fake_sqs: FakeSQS, queue_url: str) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="late", DelaySeconds=5)
        client.send_message(QueueUrl=queue_url, MessageBody="now")

        assert bodies(client, queue_url, MaxNumberOfMessages=10) == ["now"]
        fake_sqs.advance(4.999)
        assert counts(client, queue_url) == (0, 1, 1)
        fake_sqs.advance(0.001)
        assert bodies(client, queue_url, MaxNumberOfMessages=10) == ["late"]

    def test_per_message_zero_overrides_queue_delay(self, client: Any) -> None:
        url = make_queue(client, DelaySeconds=60)

        client.send_message(QueueUrl=url, MessageBody="at once", DelaySeconds=0)
        client.send_message(QueueUrl=url, MessageBody="queue delay")

        assert counts(client, url) == (1, 0, 1)
        assert bodies(client, url, MaxNumberOfMessages=10) == ["at once"]

    def test_per_message_delay_overrides_a_longer_queue_delay(
        self, client: Any, fake_sqs: FakeSQS
    ) -> None:
        url = make_queue(client, DelaySeconds=60)
        client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=3)

        fake_sqs.advance(3)

        assert bodies(client, url) == ["x"]

    def test_batch_entry_delays(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, DelaySeconds=20)
        client.send_message_batch(
            QueueUrl=url,
            Entries=[
                {"Id": "zero", "MessageBody": "zero", "DelaySeconds": 0},
                {"Id": "ten", "MessageBody": "ten", "DelaySeconds": 10},
                {"Id": "queue", "MessageBody": "queue"},
            ],
        )
        assert counts(client, url) == (1, 0, 2)

        fake_sqs.advance(10)
        assert counts(client, url) == (2, 0, 1)
        fake_sqs.advance(10)
        assert bodies(client, url, MaxNumberOfMessages=10) == ["zero", "ten", "queue"]

    def test_queue_delay_change_applies_to_new_messages_only(
        self, client: Any, fake_sqs: FakeSQS
    ) -> None:
        url = make_queue(client, DelaySeconds=30)
        client.send_message(QueueUrl=url, MessageBody="old")
        client.set_queue_attributes(QueueUrl=url, Attributes={"DelaySeconds": "0"})
        client.send_message(QueueUrl=url, MessageBody="new")

        assert counts(client, url) == (1, 0, 1)
        fake_sqs.advance(30)
        assert counts(client, url) == (2, 0, 0)

    def test_maximum_delay_of_900_seconds(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="x", DelaySeconds=900)

        fake_sqs.advance(minutes=14, seconds=59.999)
        assert counts(client, queue_url) == (0, 0, 1)
        fake_sqs.advance(0.001)
        assert counts(client, queue_url) == (1, 0, 0)


# --- retention ------------------------------------------------------------------------------


@frozen
class TestMessageRetentionPeriod:
    def test_visible_message_expires_at_exactly_the_period(
        self, client: Any, fake_sqs: FakeSQS
    ) -> None:
        url = make_queue(client, MessageRetentionPeriod=60)
        client.send_message(QueueUrl=url, MessageBody="x")

        fake_sqs.advance(59.999)
        assert counts(client, url) == (1, 0, 0)
        fake_sqs.advance(0.001)
        assert counts(client, url) == (0, 0, 0)
        assert receive(client, url) == []

    def test_in_flight_message_expires(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, MessageRetentionPeriod=60)
        client.send_message(QueueUrl=url, MessageBody="x")
        fake_sqs.advance(50)
        handle = receive(client, url, VisibilityTimeout=600)[0]["ReceiptHandle"]
        assert counts(client, url) == (0, 1, 0)

        fake_sqs.advance(10)

        assert counts(client, url) == (0, 0, 0)
        # Deleting an expired message's handle is no error (recorded from AWS).
        client.delete_message(QueueUrl=url, ReceiptHandle=handle)
        fake_sqs.advance(600)
        assert receive(client, url) == []

    def test_delayed_message_expires(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, MessageRetentionPeriod=60)
        client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=120)

        fake_sqs.advance(59.999)
        assert counts(client, url) == (0, 0, 1)
        fake_sqs.advance(0.001)
        assert counts(client, url) == (0, 0, 0)
        fake_sqs.advance(60)
        assert receive(client, url) == []

    def test_retention_counts_from_the_send_not_the_receive(
        self, client: Any, fake_sqs: FakeSQS
    ) -> None:
        url = make_queue(client, MessageRetentionPeriod=60)
        client.send_message(QueueUrl=url, MessageBody="early")
        fake_sqs.advance(30)
        client.send_message(QueueUrl=url, MessageBody="late")
        receive(client, url, VisibilityTimeout=0, MaxNumberOfMessages=10)

        fake_sqs.advance(30)
        assert bodies(client, url, VisibilityTimeout=0, MaxNumberOfMessages=10) == ["late"]
        fake_sqs.advance(30)
        assert counts(client, url) == (0, 0, 0)

    def test_change_visibility_of_expired_message(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, MessageRetentionPeriod=60)
        client.send_message(QueueUrl=url, MessageBody="x")
        handle = receive(client, url, VisibilityTimeout=600)[0]["ReceiptHandle"]
        fake_sqs.advance(60)

        with pytest.raises(ClientError) as excinfo:
            client.change_message_visibility(
                QueueUrl=url, ReceiptHandle=handle, VisibilityTimeout=10
            )

        assert type(excinfo.value) is ClientError
        assert_error(
            excinfo,
            code="InvalidParameterValue",
            message=f"Value {handle} for parameter ReceiptHandle is invalid. Reason: Message "
            "does not exist or is not available for visibility timeout change.",
            query_code="InvalidParameterValueException",
        )


# --- long polls -----------------------------------------------------------------------------


@frozen
class TestLongPolling:
    def test_message_present_returns_at_once(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="ready")

        assert bodies(client, queue_url, WaitTimeSeconds=20) == ["ready"]
        assert fake_sqs.time == T0

    def test_delayed_message_due_within_the_wait(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="soon", DelaySeconds=7)

        [message] = receive(client, queue_url, WaitTimeSeconds=20, AttributeNames=["All"])

        assert message["Body"] == "soon"
        assert fake_sqs.time == T0 + 7
        assert message["Attributes"]["ApproximateFirstReceiveTimestamp"] == str(T0_MS + 7000)

    def test_in_flight_message_reappearing_within_the_wait(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="again")
        receive(client, queue_url, VisibilityTimeout=12)

        assert bodies(client, queue_url, WaitTimeSeconds=20) == ["again"]
        assert fake_sqs.time == T0 + 12

    def test_earliest_of_several_scheduled_messages(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="nine", DelaySeconds=9)
        client.send_message(QueueUrl=queue_url, MessageBody="three", DelaySeconds=3)
        client.send_message(QueueUrl=queue_url, MessageBody="three too", DelaySeconds=3)

        assert bodies(client, queue_url, WaitTimeSeconds=20, MaxNumberOfMessages=10) == [
            "three",
            "three too",
        ]
        assert fake_sqs.time == T0 + 3
        assert bodies(client, queue_url, WaitTimeSeconds=20, MaxNumberOfMessages=10) == ["nine"]
        assert fake_sqs.time == T0 + 9

    def test_nothing_scheduled_returns_empty_after_exactly_the_wait(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        response = client.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20)

        assert set(response) == {"ResponseMetadata"}
        assert fake_sqs.time == T0 + 20

    def test_message_due_after_the_wait_is_not_returned(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="later", DelaySeconds=25)

        assert receive(client, queue_url, WaitTimeSeconds=20) == []
        assert fake_sqs.time == T0 + 20
        assert bodies(client, queue_url, WaitTimeSeconds=20) == ["later"]
        assert fake_sqs.time == T0 + 25

    def test_queue_receive_wait_time_applies_without_wait_time_seconds(
        self, client: Any, fake_sqs: FakeSQS
    ) -> None:
        url = make_queue(client, ReceiveMessageWaitTimeSeconds=15)

        assert receive(client, url) == []
        assert fake_sqs.time == T0 + 15

        client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=4)
        assert bodies(client, url) == ["x"]
        assert fake_sqs.time == T0 + 19

    def test_wait_time_zero_overrides_the_queue_wait(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, ReceiveMessageWaitTimeSeconds=20)

        assert receive(client, url, WaitTimeSeconds=0) == []
        assert fake_sqs.time == T0

    @pytest.mark.parametrize("wait", [21, -1])
    def test_wait_time_out_of_range(self, client: Any, queue_url: str, wait: int) -> None:
        with pytest.raises(ClientError) as excinfo:
            client.receive_message(QueueUrl=queue_url, WaitTimeSeconds=wait)

        assert type(excinfo.value) is ClientError
        assert_error(
            excinfo,
            code="InvalidParameterValue",
            message=f"Value {wait} for parameter WaitTimeSeconds is invalid. "
            "Reason: Must be >= 0 and <= 20, if provided.",
            query_code="InvalidParameterValueException",
        )

    def test_retention_expiry_during_the_wait(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, MessageRetentionPeriod=60)
        client.send_message(QueueUrl=url, MessageBody="x")
        receive(client, url, VisibilityTimeout=70)
        fake_sqs.advance(50)

        # Visible again only at +70, but gone at +60: the poll ends empty at +70.
        assert receive(client, url, WaitTimeSeconds=20) == []
        assert fake_sqs.time == T0 + 70
        assert counts(client, url) == (0, 0, 0)

    def test_botocore_client_long_polls_too(self, sqs_client: Any, fake_sqs: FakeSQS) -> None:
        url = sqs_client.create_queue(QueueName="plain")["QueueUrl"]
        sqs_client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=11)

        assert bodies(sqs_client, url, WaitTimeSeconds=20) == ["x"]
        assert fake_sqs.time == T0 + 11


def test_long_poll_on_the_real_clock_jumps_instead_of_waiting(
    client: Any, fake_sqs: FakeSQS, queue_url: str
) -> None:
    # Not frozen: the fake's clock follows time.time(). Had the poll waited for real, the
    # fake's clock would still agree with time.time(); instead it is 20 s ahead.
    assert abs(fake_sqs.time - time.time()) < 1

    assert receive(client, queue_url, WaitTimeSeconds=20) == []

    assert 19 < fake_sqs.time - time.time() <= 20


def test_mock_sqs_freeze_option_with_a_long_poll() -> None:
    with mock_sqs(freeze="2024-01-02T03:04:05Z") as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="frozen")["QueueUrl"]
        client.send_message(QueueUrl=url, MessageBody="x", DelaySeconds=6)

        assert fake.time == T0
        assert bodies(client, url, WaitTimeSeconds=20) == ["x"]
        assert fake.time == T0 + 6
        assert fake.now == FROZEN + timedelta(seconds=6)


# --- freezegun --------------------------------------------------------------------------------


class TestFreezegun:
    @freeze_time(FROZEN)
    def test_decorator_visibility_timeout(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="x")
        receive(client, queue_url)

        fake_sqs.advance(29.999)
        assert receive(client, queue_url) == []
        fake_sqs.advance(0.001)
        assert bodies(client, queue_url) == ["x"]
        assert fake_sqs.time == T0 + 30

    @freeze_time(FROZEN)
    def test_decorator_timestamps_follow_the_frozen_clock(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        client.send_message(QueueUrl=queue_url, MessageBody="x")
        fake_sqs.advance(2.5)

        [message] = receive(client, queue_url, AttributeNames=["All"])

        assert message["Attributes"]["SentTimestamp"] == str(T0_MS)
        assert message["Attributes"]["ApproximateFirstReceiveTimestamp"] == str(T0_MS + 2500)

    @freeze_time(FROZEN)
    def test_decorator_long_poll_with_nothing_does_not_hang(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        assert receive(client, queue_url, WaitTimeSeconds=20) == []
        assert fake_sqs.time == T0 + 20

    @freeze_time(FROZEN)
    def test_decorator_queue_wait_time_and_delay(self, client: Any, fake_sqs: FakeSQS) -> None:
        url = make_queue(client, ReceiveMessageWaitTimeSeconds=20, DelaySeconds=8)
        client.send_message(QueueUrl=url, MessageBody="x")
        assert counts(client, url) == (0, 0, 1)

        assert bodies(client, url) == ["x"]
        assert fake_sqs.time == T0 + 8

    def test_context_manager_long_poll_with_delayed_message(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        with freeze_time(FROZEN):
            client.send_message(QueueUrl=queue_url, MessageBody="x", DelaySeconds=5)

            assert bodies(client, queue_url, WaitTimeSeconds=20) == ["x"]
            assert fake_sqs.time == T0 + 5

    def test_context_manager_frozen_long_poll_does_not_hang(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        with freeze_time(FROZEN):
            assert receive(client, queue_url, WaitTimeSeconds=20) == []
            assert receive(client, queue_url, WaitTimeSeconds=20) == []
            assert fake_sqs.time == T0 + 40

    def test_tick_moves_the_fake_clock(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        with freeze_time(FROZEN) as frozen_time:
            client.send_message(QueueUrl=queue_url, MessageBody="x")
            receive(client, queue_url)

            frozen_time.tick(29.5)
            assert fake_sqs.time == T0 + 29.5
            assert receive(client, queue_url) == []
            frozen_time.tick(timedelta(seconds=0.5))
            assert fake_sqs.time == T0 + 30
            assert bodies(client, queue_url) == ["x"]

    def test_tick_and_advance_add_up(self, client: Any, fake_sqs: FakeSQS, queue_url: str) -> None:
        with freeze_time(FROZEN) as frozen_time:
            client.send_message(QueueUrl=queue_url, MessageBody="x", DelaySeconds=30)
            frozen_time.tick(10)
            fake_sqs.advance(19.999)
            assert counts(client, queue_url) == (0, 0, 1)

            frozen_time.tick(0.001)
            assert fake_sqs.time == T0 + 30
            assert counts(client, queue_url) == (1, 0, 0)

    def test_move_to_expires_retention(self, client: Any, fake_sqs: FakeSQS) -> None:
        with freeze_time(FROZEN) as frozen_time:
            url = make_queue(client, MessageRetentionPeriod=60)
            client.send_message(QueueUrl=url, MessageBody="x")
            receive(client, url, VisibilityTimeout=600)

            frozen_time.move_to(FROZEN + timedelta(seconds=59))
            assert counts(client, url) == (0, 1, 0)
            frozen_time.move_to("2024-01-02 03:05:05")
            assert fake_sqs.time == T0 + 60
            assert counts(client, url) == (0, 0, 0)

    def test_move_to_releases_delayed_message(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        with freeze_time(FROZEN) as frozen_time:
            client.send_message(QueueUrl=queue_url, MessageBody="x", DelaySeconds=900)
            frozen_time.move_to(FROZEN + timedelta(minutes=15))

            [message] = receive(client, queue_url, AttributeNames=["SentTimestamp"])
            assert message["Attributes"] == {"SentTimestamp": str(T0_MS)}


# --- time-machine ----------------------------------------------------------------------------


class TestTimeMachine:
    def test_visibility_timeout(self, client: Any, fake_sqs: FakeSQS, queue_url: str) -> None:
        with time_machine.travel(FROZEN, tick=False):
            client.send_message(QueueUrl=queue_url, MessageBody="x")
            receive(client, queue_url)

            fake_sqs.advance(29.999)
            assert receive(client, queue_url) == []
            fake_sqs.advance(0.001)
            assert bodies(client, queue_url) == ["x"]
            assert fake_sqs.time == T0 + 30

    def test_long_poll_with_nothing_does_not_hang(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        with time_machine.travel(FROZEN, tick=False):
            assert receive(client, queue_url, WaitTimeSeconds=20) == []
            assert fake_sqs.time == T0 + 20

    def test_long_poll_with_delayed_message(
        self, client: Any, fake_sqs: FakeSQS, queue_url: str
    ) -> None:
        with time_machine.travel(FROZEN, tick=False):
            client.send_message(QueueUrl=queue_url, MessageBody="x", DelaySeconds=13)

            [message] = receive(client, queue_url, WaitTimeSeconds=20, AttributeNames=["All"])
            assert fake_sqs.time == T0 + 13
            assert message["Attributes"]["ApproximateFirstReceiveTimestamp"] == str(T0_MS + 13000)

    def test_shift_moves_the_fake_clock(self, client: Any, fake_sqs: FakeSQS) -> None:
        with time_machine.travel(FROZEN, tick=False) as traveller:
            url = make_queue(client, MessageRetentionPeriod=60, DelaySeconds=30)
            client.send_message(QueueUrl=url, MessageBody="x")

            traveller.shift(30)
            assert counts(client, url) == (1, 0, 0)
            traveller.shift(timedelta(seconds=30))
            assert fake_sqs.time == T0 + 60
            assert counts(client, url) == (0, 0, 0)

    def test_queue_wait_time(self, client: Any, fake_sqs: FakeSQS) -> None:
        with time_machine.travel(FROZEN, tick=False):
            url = make_queue(client, ReceiveMessageWaitTimeSeconds=10)

            assert receive(client, url) == []
            assert fake_sqs.time == T0 + 10


# --- threads --------------------------------------------------------------------------------


def test_consumer_thread_long_poll_wakes_when_main_thread_sends(
    fake_sqs: FakeSQS, client: Any, queue_url: str
) -> None:
    consumer = boto3.client("sqs", region_name="us-east-1")
    responses: list[dict[str, Any]] = []
    polling = threading.Event()

    def consume() -> None:
        polling.set()
        responses.append(consumer.receive_message(QueueUrl=queue_url, WaitTimeSeconds=20))

    thread = threading.Thread(target=consume)
    thread.start()
    assert polling.wait(timeout=10)
    client.send_message(QueueUrl=queue_url, MessageBody="wake up")
    # real-time: the consumer waits on the fake's condition variable while another thread uses
    # the fake; the send above wakes it at once, so the real wait is bounded by the send.
    thread.join(timeout=10)

    assert not thread.is_alive()
    [response] = responses
    assert [m["Body"] for m in response["Messages"]] == ["wake up"]
    # Woken by the send, not by the end of the wait: the fake's clock did not jump 20 s.
    assert abs(fake_sqs.time - time.time()) < 1
    assert counts(client, queue_url) == (0, 1, 0)


def test_producer_and_consumer_threads_share_the_fake(
    fake_sqs: FakeSQS, client: Any, queue_url: str
) -> None:
    total = 2000
    producer_client = boto3.client("sqs", region_name="us-east-1")
    consumer_client = boto3.client("sqs", region_name="us-east-1")
    sent: list[str] = []
    received: list[str] = []
    problems: list[Any] = []

    def produce() -> None:
        try:
            for i in range(total):
                response = producer_client.send_message(QueueUrl=queue_url, MessageBody=str(i))
                sent.append(response["MessageId"])
        except Exception as error:  # pragma: no cover - reported below
            problems.append(error)

    def consume() -> None:
        try:
            while len(received) < total:
                messages = receive(
                    consumer_client, queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=20
                )
                if not messages:
                    problems.append("a long poll ended empty while messages were due")
                    return
                response = consumer_client.delete_message_batch(
                    QueueUrl=queue_url,
                    Entries=[
                        {"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]}
                        for n, m in enumerate(messages)
                    ],
                )
                if "Failed" in response:
                    problems.append(response["Failed"])
                received.extend(m["MessageId"] for m in messages)
        except Exception as error:  # pragma: no cover - reported below
            problems.append(error)

    threads = [threading.Thread(target=consume), threading.Thread(target=produce)]
    for thread in threads:
        thread.start()
    # real-time: the consumer's long polls wait on the fake's condition variable for the
    # producer's sends; each wait ends at the next send, so the whole run is bounded by the
    # 2,000 sends themselves (well under a second), never by WaitTimeSeconds.
    for thread in threads:
        thread.join(timeout=60)

    assert [thread.is_alive() for thread in threads] == [False, False]
    assert problems == []
    assert len(received) == total
    assert sorted(received) == sorted(sent)
    assert len(set(received)) == total
    assert counts(client, queue_url) == (0, 0, 0)
