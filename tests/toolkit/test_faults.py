"""Faults and realism on purpose: ``fake.fail_next`` and seeded ``Realism`` on standard queues.

``fail_next`` makes the next calls of one operation fail with a chosen SQS error, exactly as
SQS answers it (code, query code, message, type, HTTP status, exception class), before the call
reaches any queue. Realism makes standard queues imperfect the way SQS is (duplicates, out of
order receives, sampled short polls), drawn from a seeded stream of its own so a run repeats.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError

from pytest_fakesqs import FakeSQS, Realism, mock_sqs

T0 = 1704067200.0  # 2024-01-01T00:00:00Z
FREEZE = "2024-01-01T00:00:00Z"
URL = "https://sqs.us-east-1.amazonaws.com/123456789012/{}"


@pytest.fixture
def client(fake_sqs: FakeSQS) -> Any:
    return boto3.client("sqs", region_name="us-east-1")


@pytest.fixture
def queue_url(client: Any) -> str:
    url: str = client.create_queue(QueueName="jobs")["QueueUrl"]
    return url


# --- fail_next: what the error looks like ------------------------------------------------------

# (name passed to fail_next, Code, QueryErrorCode, Message, Type, HTTP status, modelled class)
FAULTS = [
    (
        "ThrottlingException",
        "ThrottlingException",
        "ThrottlingException",
        "Rate exceeded",
        "Sender",
        400,
        None,
    ),
    (
        "RequestThrottled",
        "RequestThrottled",
        "RequestThrottled",
        "The request was denied due to request throttling.",
        "Sender",
        400,
        "RequestThrottled",
    ),
    (
        "OverLimit",
        "OverLimit",
        "OverLimit",
        "The specified action violates a limit.",
        "Sender",
        403,
        "OverLimit",
    ),
    (
        "KmsAccessDenied",
        "KmsAccessDenied",
        "KmsAccessDenied",
        "The caller doesn't have the required KMS access.",
        "Sender",
        400,
        "KmsAccessDenied",
    ),
    (
        "KmsThrottled",
        "KmsThrottled",
        "KmsThrottled",
        "Amazon Web Services KMS throttles requests.",
        "Sender",
        400,
        "KmsThrottled",
    ),
    (
        # KMS's own wording (the SQS service model's description talks of throttling).
        "KmsDisabled",
        "KmsDisabled",
        "KmsDisabled",
        "The request was rejected because the specified KMS key is not enabled.",
        "Sender",
        400,
        "KmsDisabled",
    ),
    (
        "KmsNotFound",
        "KmsNotFound",
        "KmsNotFound",
        "The request was rejected because the specified entity or resource could not be found.",
        "Sender",
        400,
        "KmsNotFound",
    ),
    (
        "InternalError",
        "InternalError",
        "InternalError",
        "We encountered an internal error. Please try again.",
        "Receiver",
        500,
        None,
    ),
    (
        "ServiceUnavailable",
        "ServiceUnavailable",
        "ServiceUnavailable",
        "Service Unavailable",
        "Receiver",
        503,
        None,
    ),
    (
        "QueueDoesNotExist",
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "The specified queue does not exist.",
        "Sender",
        400,
        "QueueDoesNotExist",
    ),
    (
        "AWS.SimpleQueueService.NonExistentQueue",
        "AWS.SimpleQueueService.NonExistentQueue",
        "QueueDoesNotExist",
        "The specified queue does not exist.",
        "Sender",
        400,
        "QueueDoesNotExist",
    ),
]
FAULT_IDS = [fault[0] for fault in FAULTS]


def _assert_injected(
    error: ClientError,
    client: Any,
    *,
    code: str,
    query_code: str,
    message: str,
    error_type: str,
    status: int,
    modelled: str | None,
    operation: str = "SendMessage",
) -> None:
    expected_class = ClientError if modelled is None else getattr(client.exceptions, modelled)
    assert type(error) is expected_class
    assert error.response["Error"] == {
        "Message": message,
        "Code": code,
        "QueryErrorCode": query_code,
        "Type": error_type,
    }
    metadata = error.response["ResponseMetadata"]
    assert metadata["HTTPStatusCode"] == status
    assert metadata["HTTPHeaders"]["x-amzn-query-error"] == f"{code};{error_type}"
    assert metadata["RetryAttempts"] == 0
    assert (
        str(error)
        == f"An error occurred ({code}) when calling the {operation} operation: {message}"
    )


@pytest.mark.parametrize(
    ("name", "code", "query_code", "message", "error_type", "status", "modelled"),
    FAULTS,
    ids=FAULT_IDS,
)
def test_an_injected_error_is_exactly_what_sqs_answers_on_boto3(
    fake_sqs, client, queue_url, name, code, query_code, message, error_type, status, modelled
):
    fake_sqs.fail_next("SendMessage", name)

    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="hello")

    _assert_injected(
        excinfo.value,
        client,
        code=code,
        query_code=query_code,
        message=message,
        error_type=error_type,
        status=status,
        modelled=modelled,
    )
    # Once only: the next call goes through.
    assert client.send_message(QueueUrl=queue_url, MessageBody="hello")["MessageId"]
    assert fake_sqs.queue("jobs").bodies == ["hello"]


@pytest.mark.parametrize(
    ("name", "code", "query_code", "message", "error_type", "status", "modelled"),
    FAULTS,
    ids=FAULT_IDS,
)
def test_an_injected_error_is_exactly_what_sqs_answers_on_botocore(
    fake_sqs, sqs_client, name, code, query_code, message, error_type, status, modelled
):
    fake_sqs.fail_next("ListQueues", name)

    with pytest.raises(ClientError) as excinfo:
        sqs_client.list_queues()

    _assert_injected(
        excinfo.value,
        sqs_client,
        code=code,
        query_code=query_code,
        message=message,
        error_type=error_type,
        status=status,
        modelled=modelled,
        operation="ListQueues",
    )
    assert "QueueUrls" not in sqs_client.list_queues()


def test_the_modelled_exception_can_be_caught_by_its_class(fake_sqs, client, queue_url):
    fake_sqs.fail_next("GetQueueUrl", "AWS.SimpleQueueService.NonExistentQueue")

    with pytest.raises(client.exceptions.QueueDoesNotExist):
        client.get_queue_url(QueueName="jobs")

    assert client.get_queue_url(QueueName="jobs")["QueueUrl"] == queue_url


def test_a_custom_message_replaces_the_default(fake_sqs, client, queue_url):
    fake_sqs.fail_next("SendMessage", "KmsThrottled", message="KMS said no (test)")

    with pytest.raises(client.exceptions.KmsThrottled) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="hello")

    assert excinfo.value.response["Error"]["Message"] == "KMS said no (test)"
    assert str(excinfo.value) == (
        "An error occurred (KmsThrottled) when calling the SendMessage operation: "
        "KMS said no (test)"
    )


def test_an_empty_custom_message_is_kept_empty(fake_sqs, client, queue_url):
    fake_sqs.fail_next("SendMessage", "InternalError", message="")

    with pytest.raises(ClientError) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="hello")

    assert excinfo.value.response["Error"]["Message"] == ""


def test_an_error_without_a_default_message_says_it_was_injected(fake_sqs, client, queue_url):
    fake_sqs.fail_next("SendMessage", "InvalidAddress")

    with pytest.raises(client.exceptions.InvalidAddress) as excinfo:
        client.send_message(QueueUrl=queue_url, MessageBody="hello")

    assert excinfo.value.response["Error"]["Message"] == (
        "Injected by fake_sqs.fail_next('SendMessage', 'InvalidAddress')."
    )
    assert excinfo.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404


# --- fail_next: how many, in which order, on which operation ------------------------------------


def _outcome(call: Any) -> str:
    try:
        call()
    except ClientError as error:
        return str(error.response["Error"]["QueryErrorCode"])
    return "ok"


def test_count_fails_exactly_that_many_calls_then_calls_succeed(fake_sqs, client, queue_url):
    fake_sqs.fail_next("SendMessage", "ThrottlingException", count=3)

    outcomes = [
        _outcome(lambda: client.send_message(QueueUrl=queue_url, MessageBody="hello"))
        for _ in range(5)
    ]

    assert outcomes == ["ThrottlingException"] * 3 + ["ok", "ok"]
    assert fake_sqs.queue("jobs").bodies == ["hello", "hello"]


def test_planned_faults_on_one_operation_are_served_in_the_order_planned(
    fake_sqs, client, queue_url
):
    fake_sqs.fail_next("SendMessage", "ThrottlingException")
    fake_sqs.fail_next("SendMessage", "InternalError", count=2)
    fake_sqs.fail_next("SendMessage", "ServiceUnavailable", message="down for a moment")

    errors = []
    for _ in range(5):
        try:
            client.send_message(QueueUrl=queue_url, MessageBody="hello")
            errors.append(("ok", ""))
        except ClientError as error:
            errors.append((error.response["Error"]["Code"], error.response["Error"]["Message"]))

    assert errors == [
        ("ThrottlingException", "Rate exceeded"),
        ("InternalError", "We encountered an internal error. Please try again."),
        ("InternalError", "We encountered an internal error. Please try again."),
        ("ServiceUnavailable", "down for a moment"),
        ("ok", ""),
    ]


def test_a_fault_on_one_operation_leaves_the_others_alone(fake_sqs, client, queue_url):
    fake_sqs.fail_next("ReceiveMessage", "OverLimit", count=2)

    assert _outcome(lambda: client.send_message(QueueUrl=queue_url, MessageBody="a")) == "ok"
    assert (
        _outcome(
            lambda: client.send_message_batch(
                QueueUrl=queue_url, Entries=[{"Id": "1", "MessageBody": "b"}]
            )
        )
        == "ok"
    )
    assert _outcome(lambda: client.get_queue_attributes(QueueUrl=queue_url)) == "ok"
    assert _outcome(lambda: client.receive_message(QueueUrl=queue_url)) == "OverLimit"
    assert _outcome(lambda: client.list_queues()) == "ok"
    assert _outcome(lambda: client.receive_message(QueueUrl=queue_url)) == "OverLimit"
    received = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    assert [message["Body"] for message in received] == ["a", "b"]


def test_the_injected_error_wins_over_the_error_the_call_would_have_had(fake_sqs, client):
    # The queue does not exist, but the planned fault answers first.
    fake_sqs.fail_next("SendMessage", "RequestThrottled")

    with pytest.raises(client.exceptions.RequestThrottled):
        client.send_message(QueueUrl=URL.format("missing"), MessageBody="hello")
    with pytest.raises(client.exceptions.QueueDoesNotExist):
        client.send_message(QueueUrl=URL.format("missing"), MessageBody="hello")


def test_the_fakes_own_setup_helpers_are_never_faulted(fake_sqs, client):
    fake_sqs.fail_next("CreateQueue", "InternalError")
    fake_sqs.fail_next("SendMessage", "InternalError")

    view = fake_sqs.create_queue("setup")
    view.put("from setup")

    assert view.bodies == ["from setup"]
    assert _outcome(lambda: client.create_queue(QueueName="other")) == "InternalError"
    assert _outcome(lambda: client.send_message(QueueUrl=view.url, MessageBody="x")) == (
        "InternalError"
    )
    assert _outcome(lambda: client.create_queue(QueueName="other")) == "ok"


# --- fail_next: a failed call changes nothing ---------------------------------------------------


def test_an_injected_send_stores_nothing(fake_sqs, client, queue_url):
    fake_sqs.fail_next("SendMessage", "InternalError")

    with pytest.raises(ClientError):
        client.send_message(QueueUrl=queue_url, MessageBody="lost")

    view = fake_sqs.queue("jobs")
    assert view.history == []
    assert view.attributes["ApproximateNumberOfMessages"] == "0"
    assert "Messages" not in client.receive_message(QueueUrl=queue_url)


def test_an_injected_delete_leaves_the_message_in_flight(fake_sqs, client, queue_url):
    client.send_message(QueueUrl=queue_url, MessageBody="work")
    [received] = client.receive_message(QueueUrl=queue_url)["Messages"]
    fake_sqs.fail_next("DeleteMessage", "ServiceUnavailable")

    with pytest.raises(ClientError):
        client.delete_message(QueueUrl=queue_url, ReceiptHandle=received["ReceiptHandle"])

    [message] = fake_sqs.queue("jobs").messages
    assert (message.state, message.receive_count, message.fate) == ("in_flight", 1, None)
    fake_sqs.advance(30)
    [again] = client.receive_message(QueueUrl=queue_url)["Messages"]
    assert again["MessageId"] == received["MessageId"]
    client.delete_message(QueueUrl=queue_url, ReceiptHandle=again["ReceiptHandle"])
    assert [m.fate for m in fake_sqs.queue("jobs").deleted] == ["deleted"]


def test_an_injected_receive_delivers_nothing(fake_sqs, client, queue_url):
    client.send_message(QueueUrl=queue_url, MessageBody="work")
    fake_sqs.fail_next("ReceiveMessage", "KmsAccessDenied")

    with pytest.raises(client.exceptions.KmsAccessDenied):
        client.receive_message(QueueUrl=queue_url)

    [message] = fake_sqs.queue("jobs").messages
    assert (message.state, message.receive_count, message.receipt_handle) == ("visible", 0, None)


def test_an_injected_create_queue_creates_no_queue(fake_sqs, client):
    fake_sqs.fail_next("CreateQueue", "OverLimit")

    with pytest.raises(client.exceptions.OverLimit):
        client.create_queue(QueueName="jobs")

    assert fake_sqs.queues() == []
    assert "QueueUrls" not in client.list_queues()


def test_an_injected_batch_send_stores_none_of_its_entries(fake_sqs, client, queue_url):
    fake_sqs.fail_next("SendMessageBatch", "InternalError")
    entries = [{"Id": str(i), "MessageBody": f"m{i}"} for i in range(3)]

    with pytest.raises(ClientError) as excinfo:
        client.send_message_batch(QueueUrl=queue_url, Entries=entries)

    assert excinfo.value.response["Error"]["Code"] == "InternalError"
    assert str(excinfo.value) == (
        "An error occurred (InternalError) when calling the SendMessageBatch operation: "
        "We encountered an internal error. Please try again."
    )
    assert fake_sqs.queue("jobs").history == []
    result = client.send_message_batch(QueueUrl=queue_url, Entries=entries)
    assert [entry["Id"] for entry in result["Successful"]] == ["0", "1", "2"]


def test_an_injected_batch_delete_deletes_none_of_its_entries(fake_sqs, client, queue_url):
    for body in ("a", "b"):
        client.send_message(QueueUrl=queue_url, MessageBody=body)
    received = client.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10)["Messages"]
    entries = [{"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(received)]
    fake_sqs.fail_next("DeleteMessageBatch", "RequestThrottled")

    with pytest.raises(client.exceptions.RequestThrottled):
        client.delete_message_batch(QueueUrl=queue_url, Entries=entries)

    view = fake_sqs.queue("jobs")
    assert [(m.body, m.state) for m in view.messages] == [("a", "in_flight"), ("b", "in_flight")]
    assert view.deleted == []


# --- fail_next: the journal and retries ---------------------------------------------------------


@pytest.mark.fake_sqs(freeze=FREEZE)
def test_a_failed_call_is_in_the_journal_with_its_error(fake_sqs, client, queue_url):
    fake_sqs.fail_next("SendMessage", "ThrottlingException")

    with pytest.raises(ClientError):
        client.send_message(QueueUrl=queue_url, MessageBody="hello")
    client.send_message(QueueUrl=queue_url, MessageBody="hello")

    assert fake_sqs.calls.operations == ["CreateQueue", "SendMessage", "SendMessage"]
    failed, succeeded = fake_sqs.calls.of("SendMessage")
    assert failed.params == {"QueueUrl": queue_url, "MessageBody": "hello"}
    assert failed.error == {
        "Message": "Rate exceeded",
        "Code": "ThrottlingException",
        "QueryErrorCode": "ThrottlingException",
        "Type": "Sender",
    }
    assert (failed.ok, failed.error_code, failed.status, failed.response) == (
        False,
        "ThrottlingException",
        400,
        None,
    )
    assert failed.time == T0
    assert (succeeded.ok, succeeded.error_code, succeeded.status) == (True, None, 200)


def test_a_legacy_code_is_journaled_under_its_modelled_name(fake_sqs, client, queue_url):
    fake_sqs.fail_next("GetQueueAttributes", "AWS.SimpleQueueService.NonExistentQueue")

    with pytest.raises(client.exceptions.QueueDoesNotExist):
        client.get_queue_attributes(QueueUrl=queue_url)

    [call] = fake_sqs.calls.of("GetQueueAttributes")
    assert call.error_code == "QueueDoesNotExist"
    assert call.error is not None
    assert call.error["Code"] == "AWS.SimpleQueueService.NonExistentQueue"


@pytest.mark.parametrize(
    "retries",
    [
        {"mode": "legacy", "max_attempts": 10},
        {"mode": "standard", "max_attempts": 10},
        {"mode": "adaptive", "max_attempts": 10},
    ],
    ids=["legacy", "standard", "adaptive"],
)
@pytest.mark.parametrize("code", ["ThrottlingException", "InternalError", "ServiceUnavailable"])
def test_injected_errors_are_not_retried_by_botocore(fake_sqs, retries, code):
    client = boto3.client("sqs", region_name="us-east-1", config=Config(retries=retries))
    url = client.create_queue(QueueName="jobs")["QueueUrl"]
    fake_sqs.fail_next("SendMessage", code, count=2)

    for _ in range(2):
        with pytest.raises(ClientError) as excinfo:
            client.send_message(QueueUrl=url, MessageBody="hello")
        assert excinfo.value.response["ResponseMetadata"]["RetryAttempts"] == 0

    # One journal entry per client call: no retry reached the fake.
    assert fake_sqs.calls.operations == ["CreateQueue", "SendMessage", "SendMessage"]
    sent = client.send_message(QueueUrl=url, MessageBody="hello")
    assert sent["ResponseMetadata"]["RetryAttempts"] == 0
    assert fake_sqs.queue("jobs").bodies == ["hello"]


# --- fail_next: usage errors --------------------------------------------------------------------

KNOWN_CODES = (
    "BatchEntryIdsNotDistinct, BatchRequestTooLong, EmptyBatchRequest, InternalError, "
    "InvalidAddress, InvalidAttributeName, InvalidAttributeValue, InvalidBatchEntryId, "
    "InvalidIdFormat, InvalidMessageContents, InvalidParameterValueException, InvalidSecurity, "
    "KmsAccessDenied, KmsDisabled, KmsInvalidKeyUsage, KmsInvalidState, KmsNotFound, "
    "KmsOptInRequired, KmsThrottled, MessageNotInflight, MissingRequiredParameterException, "
    "OverLimit, PurgeQueueInProgress, QueueDeletedRecently, QueueDoesNotExist, QueueNameExists, "
    "ReceiptHandleIsInvalid, RequestThrottled, ResourceNotFoundException, ServiceUnavailable, "
    "ThrottlingException, TooManyEntriesInBatchRequest, UnsupportedOperation"
)


@pytest.mark.parametrize("operation", ["send_message", "SendMessages", "Publish", ""])
def test_an_unknown_operation_is_a_value_error(fake_sqs, operation):
    with pytest.raises(ValueError) as excinfo:
        fake_sqs.fail_next(operation, "InternalError")

    assert str(excinfo.value) == (
        f"fail_next: {operation!r} is not an SQS operation; use the API name, such as "
        "'SendMessage' or 'ReceiveMessage'"
    )


@pytest.mark.parametrize("code", ["Throttling", "throttlingexception", "NonExistentQueue", ""])
def test_an_unknown_error_code_is_a_value_error(fake_sqs, code):
    with pytest.raises(ValueError) as excinfo:
        fake_sqs.fail_next("SendMessage", code)

    assert str(excinfo.value) == f"fail_next: unknown SQS error code {code!r}; known: {KNOWN_CODES}"


@pytest.mark.parametrize(("count", "shown"), [(0, "0"), (-1, "-1"), ("2", "'2'"), (1.0, "1.0")])
def test_a_count_that_is_not_a_positive_int_is_a_value_error(fake_sqs, count, shown):
    with pytest.raises(ValueError) as excinfo:
        fake_sqs.fail_next("SendMessage", "InternalError", count=count)

    assert str(excinfo.value) == f"fail_next: count must be a positive int, got {shown}"


def test_a_rejected_plan_plans_nothing(fake_sqs, client, queue_url):
    for bad in (
        lambda: fake_sqs.fail_next("SendMessage", "InternalError", count=0),
        lambda: fake_sqs.fail_next("SendMessage", "Nope"),
        lambda: fake_sqs.fail_next("Nope", "InternalError"),
    ):
        with pytest.raises(ValueError):
            bad()

    assert _outcome(lambda: client.send_message(QueueUrl=queue_url, MessageBody="x")) == "ok"


# --- realism: helpers ---------------------------------------------------------------------------

Received = list[tuple[str, str, str]]  # (body, MessageId, ReceiptHandle) per message


def _send(client: Any, url: str, count: int) -> list[str]:
    return [
        client.send_message(QueueUrl=url, MessageBody=f"m{i}")["MessageId"] for i in range(count)
    ]


def _receive(client: Any, url: str, **params: Any) -> Received:
    messages = client.receive_message(QueueUrl=url, **params).get("Messages", [])
    return [(m["Body"], m["MessageId"], m["ReceiptHandle"]) for m in messages]


def _bodies(received: Received) -> list[str]:
    return [body for body, _, _ in received]


def _drain(realism: Any, *, seed: int, count: int = 6, batch: int = 3) -> list[Received]:
    """A receive-process-delete consumer on a standard queue of ``count`` messages, until a
    receive comes back empty (at most 50 receives): every receive's messages, in order."""
    with mock_sqs(seed=seed, freeze=FREEZE, realism=realism):
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        _send(client, url, count)
        receives: list[Received] = []
        for _ in range(50):
            received = _receive(client, url, MaxNumberOfMessages=batch)
            receives.append(received)
            if not received:
                break
            for _, _, handle in received:
                client.delete_message(QueueUrl=url, ReceiptHandle=handle)
        return receives


# --- realism: duplicates ------------------------------------------------------------------------


def _follow_one_message(seed: int, steps: int) -> tuple[list[str], set[str]]:
    """With duplicates=1.0, follow one message: after each delivery, receive again at once;
    if it is back already it was duplicated while in flight, otherwise delete it and receive:
    it comes back although deleted. Returns the kind of each step and the message ids seen."""
    with mock_sqs(seed=seed, freeze=FREEZE, realism={"duplicates": 1.0}):
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        _send(client, url, 1)
        kinds: list[str] = []
        ids: set[str] = set()
        [current] = _receive(client, url)
        for _ in range(steps):
            again = _receive(client, url)
            if again:
                kinds.append("in_flight")
            else:
                client.delete_message(QueueUrl=url, ReceiptHandle=current[2])
                again = _receive(client, url)
                kinds.append("after_delete")
            assert _bodies(again) == ["m0"], "a delivered message did not come back"
            [current] = again
            ids.add(current[1])
        return kinds, ids


def test_with_duplicates_certain_every_delivery_comes_back_in_both_ways():
    kinds, ids = _follow_one_message(seed=11, steps=12)

    assert kinds == [
        "after_delete",
        "in_flight",
        "after_delete",
        "in_flight",
        "in_flight",
        "in_flight",
        "in_flight",
        "after_delete",
        "after_delete",
        "in_flight",
        "after_delete",
        "in_flight",
    ]
    assert len(ids) == 1  # the same message each time, not a new one


def test_duplicates_are_the_same_draws_for_the_same_seed_and_others_for_another():
    first = _follow_one_message(seed=11, steps=12)

    assert _follow_one_message(seed=11, steps=12) == first
    assert _follow_one_message(seed=12, steps=12)[0] != first[0]


def test_every_duplicate_delivery_has_a_new_receipt_handle_and_a_higher_receive_count():
    with mock_sqs(seed=11, freeze=FREEZE, realism={"duplicates": 1.0}) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        [sent_id] = _send(client, url, 1)
        seen = []
        for _ in range(8):
            [message] = client.receive_message(
                QueueUrl=url, AttributeNames=["ApproximateReceiveCount"]
            )["Messages"]
            seen.append(message)
            client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
            if not fake.queue("jobs").messages:
                break

    # Seed 11: the first delivery comes back after its delete, the second is duplicated while
    # in flight, so its delete removes the message for good.
    assert len(seen) == 2
    assert {message["MessageId"] for message in seen} == {sent_id}
    assert len({message["ReceiptHandle"] for message in seen}) == 2
    assert [message["Attributes"]["ApproximateReceiveCount"] for message in seen] == ["1", "2"]


def test_a_receive_and_delete_consumer_sees_the_exact_same_deliveries_for_a_fixed_seed():
    receives = _drain({"duplicates": 0.5}, seed=5)

    assert [_bodies(received) for received in receives] == [
        ["m0", "m1", "m2"],
        ["m2", "m3", "m4"],
        ["m2", "m4", "m5"],
        ["m4"],
        [],
    ]


def test_an_idempotent_consumer_processes_each_message_once_a_naive_one_double_counts():
    receives = _drain({"duplicates": 0.5}, seed=5)
    deliveries = [message for received in receives for message in received]

    naive = Counter(body for body, _, _ in deliveries)
    processed: dict[str, str] = {}
    for body, message_id, _ in deliveries:
        processed.setdefault(message_id, body)
    idempotent = Counter(processed.values())

    assert idempotent == Counter({f"m{i}": 1 for i in range(6)})
    assert naive == Counter({"m0": 1, "m1": 1, "m2": 3, "m3": 1, "m4": 3, "m5": 1})
    assert sum(naive.values()) == 10


# --- realism: reordering ------------------------------------------------------------------------


def test_with_reordering_certain_a_receive_takes_messages_out_of_send_order():
    receives = _drain({"reordering": 1.0}, seed=1, count=6, batch=10)

    assert [_bodies(received) for received in receives] == [
        ["m5", "m0", "m2", "m4", "m1", "m3"],
        [],
    ]


def test_reordering_keeps_every_message_exactly_once():
    for seed in range(5):
        receives = _drain({"reordering": 1.0}, seed=seed, count=8, batch=3)
        bodies = [body for received in receives for body in _bodies(received)]
        assert sorted(bodies) == [f"m{i}" for i in range(8)]


def test_reordering_can_reach_past_the_oldest_message_with_one_message_wanted():
    receives = _drain({"reordering": 1.0}, seed=3, count=4, batch=1)

    assert [_bodies(received) for received in receives] == [["m1"], ["m2"], ["m0"], ["m3"], []]


# --- realism: short poll sampling ---------------------------------------------------------------


def _sample_sizes(seed: int, wait: int | None, receives: int = 12) -> list[int]:
    """How many of 10 visible messages each receive (VisibilityTimeout 0: they stay visible)
    returns, asking for 10, with ``WaitTimeSeconds=wait`` (None: not given)."""
    with mock_sqs(seed=seed, freeze=FREEZE, realism={"short_poll_sampling": True}):
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        _send(client, url, 10)
        params: dict[str, Any] = {"MaxNumberOfMessages": 10, "VisibilityTimeout": 0}
        if wait is not None:
            params["WaitTimeSeconds"] = wait
        return [len(_receive(client, url, **params)) for _ in range(receives)]


def test_a_sampled_short_poll_returns_between_none_and_the_wanted_count():
    sizes = _sample_sizes(seed=4, wait=0)

    assert sizes == [6, 9, 5, 8, 10, 10, 7, 8, 3, 2, 2, 4]
    assert all(0 <= size <= 10 for size in sizes)


def test_a_short_poll_is_sampled_when_wait_time_is_not_given():
    assert _sample_sizes(seed=4, wait=None) == _sample_sizes(seed=4, wait=0)


def test_a_sample_never_exceeds_what_is_visible():
    with mock_sqs(seed=4, freeze=FREEZE, realism={"short_poll_sampling": True}):
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        _send(client, url, 2)
        sizes = [
            len(_receive(client, url, MaxNumberOfMessages=10, VisibilityTimeout=0))
            for _ in range(20)
        ]

    assert set(sizes) == {0, 1, 2}


@pytest.mark.parametrize("wait", [1, 20])
def test_a_long_poll_is_not_sampled(wait):
    assert _sample_sizes(seed=4, wait=wait) == [10] * 12


def test_a_queue_whose_default_wait_makes_receives_long_polls_is_not_sampled():
    with mock_sqs(seed=4, freeze=FREEZE, realism={"short_poll_sampling": True}):
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(
            QueueName="jobs", Attributes={"ReceiveMessageWaitTimeSeconds": "5"}
        )["QueueUrl"]
        _send(client, url, 10)
        sizes = [
            len(_receive(client, url, MaxNumberOfMessages=10, VisibilityTimeout=0))
            for _ in range(12)
        ]

    assert sizes == [10] * 12


# --- realism: reproducible, FIFO untouched, ids untouched ---------------------------------------


def _everything(seed: int, realism: Any) -> list[Received]:
    """A mixed scenario with every kind of realism drawing: 12 messages, receives of 4 with
    deletes, a few short polls with no delete."""
    with mock_sqs(seed=seed, freeze=FREEZE, realism=realism) as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        _send(client, url, 12)
        receives: list[Received] = []
        for step in range(20):
            received = _receive(client, url, MaxNumberOfMessages=4)
            receives.append(received)
            if step % 3 != 2:
                for _, _, handle in received:
                    client.delete_message(QueueUrl=url, ReceiptHandle=handle)
            fake.advance(10)
        return receives


def test_the_same_seed_gives_the_same_receives_and_another_seed_others():
    first = _everything(21, True)

    assert _everything(21, True) == first
    other = _everything(22, True)
    assert [_bodies(r) for r in other] != [_bodies(r) for r in first]


def test_realism_true_is_realism_typical():
    assert Realism.typical() == Realism(duplicates=0.05, reordering=0.2, short_poll_sampling=True)
    typical = _everything(21, Realism.typical())

    assert _everything(21, True) == typical
    assert _everything(
        21, {"duplicates": 0.05, "reordering": 0.2, "short_poll_sampling": True}
    ) == (typical)


def test_the_dict_form_equals_the_realism_it_names():
    assert _drain({"reordering": 1.0}, seed=1, batch=10) == _drain(
        Realism(reordering=1.0), seed=1, batch=10
    )


@pytest.mark.parametrize("off", [None, False, {}, Realism(), Realism(short_poll_sampling=False)])
def test_realism_off_or_all_zero_receives_exactly_in_send_order(off):
    receives = _drain(off, seed=1, count=6, batch=4)

    assert [_bodies(received) for received in receives] == [
        ["m0", "m1", "m2", "m3"],
        ["m4", "m5"],
        [],
    ]


def _fifo_run(seed: int, realism: Any) -> list[Received]:
    with mock_sqs(seed=seed, freeze=FREEZE, realism=realism):
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(
            QueueName="jobs.fifo",
            Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
        )["QueueUrl"]
        for i in range(8):
            client.send_message(QueueUrl=url, MessageBody=f"m{i}", MessageGroupId=f"g{i % 2}")
        receives: list[Received] = []
        for _ in range(6):
            received = _receive(client, url, MaxNumberOfMessages=3)
            receives.append(received)
            for _, _, handle in received:
                client.delete_message(QueueUrl=url, ReceiptHandle=handle)
        return receives


def test_fifo_queues_are_untouched_by_realism():
    maximal = {"duplicates": 1.0, "reordering": 1.0, "short_poll_sampling": True}
    exact = _fifo_run(9, None)

    assert _fifo_run(9, maximal) == exact
    assert [_bodies(received) for received in exact] == [
        ["m0", "m2", "m4"],
        ["m1", "m3", "m5"],
        ["m6", "m7"],
        [],
        [],
        [],
    ]


def test_realism_does_not_change_the_ids_a_seed_gives():
    def sends(realism: Any) -> tuple[list[str], list[str]]:
        with mock_sqs(seed=77, freeze=FREEZE, realism=realism) as fake:
            client = boto3.client("sqs", region_name="us-east-1")
            url = client.create_queue(QueueName="jobs")["QueueUrl"]
            message_ids = _send(client, url, 5)
            return message_ids, [
                call.response["ResponseMetadata"]["RequestId"] for call in fake.calls
            ]

    plain = sends(None)
    assert sends(True) == plain
    assert sends({"duplicates": 1.0, "reordering": 1.0, "short_poll_sampling": True}) == plain


# --- realism: switching it on and off, and bad options -----------------------------------------


@pytest.mark.fake_sqs(seed=1)
def test_set_realism_turns_it_on_and_off_mid_test(fake_sqs, client, queue_url):
    def receive_all() -> list[str]:
        return _bodies(_receive(client, queue_url, MaxNumberOfMessages=10, VisibilityTimeout=0))

    _send(client, queue_url, 6)
    assert receive_all() == ["m0", "m1", "m2", "m3", "m4", "m5"]

    fake_sqs.set_realism({"reordering": 1.0})
    shuffled = receive_all()
    assert shuffled != ["m0", "m1", "m2", "m3", "m4", "m5"]
    assert sorted(shuffled) == ["m0", "m1", "m2", "m3", "m4", "m5"]

    fake_sqs.set_realism(None)
    assert receive_all() == ["m0", "m1", "m2", "m3", "m4", "m5"]
    fake_sqs.set_realism(Realism(reordering=1.0))
    again = receive_all()
    assert again != ["m0", "m1", "m2", "m3", "m4", "m5"]
    assert sorted(again) == ["m0", "m1", "m2", "m3", "m4", "m5"]
    fake_sqs.set_realism(False)
    assert receive_all() == ["m0", "m1", "m2", "m3", "m4", "m5"]


@pytest.mark.fake_sqs(realism={"reordering": 1.0}, seed=1)
def test_the_marker_turns_realism_on(fake_sqs, client, queue_url):
    _send(client, queue_url, 6)

    received = _bodies(_receive(client, queue_url, MaxNumberOfMessages=10))

    assert received == ["m5", "m0", "m2", "m4", "m1", "m3"]


@pytest.mark.parametrize(
    ("options", "text"),
    [
        ({"duplicates": 1.5}, "Realism(duplicates=...) is a probability from 0 to 1, got 1.5"),
        ({"duplicates": -0.1}, "Realism(duplicates=...) is a probability from 0 to 1, got -0.1"),
        ({"reordering": 2}, "Realism(reordering=...) is a probability from 0 to 1, got 2"),
        ({"reordering": "0.5"}, "Realism(reordering=...) is a probability from 0 to 1, got '0.5'"),
        (
            {"duplicates": None},
            "Realism(duplicates=...) is a probability from 0 to 1, got None",
        ),
    ],
)
def test_an_invalid_probability_is_a_value_error(fake_sqs, options, text):
    with pytest.raises(ValueError) as direct:
        Realism(**options)
    with pytest.raises(ValueError) as as_option:
        mock_sqs(realism=options)
    with pytest.raises(ValueError) as mid_test:
        fake_sqs.set_realism(options)

    assert str(direct.value) == str(as_option.value) == str(mid_test.value) == text


def test_an_unknown_realism_option_is_a_type_error():
    with pytest.raises(TypeError) as excinfo:
        mock_sqs(realism={"dupes": 0.5})

    assert str(excinfo.value) == "Realism.__init__() got an unexpected keyword argument 'dupes'"


@pytest.mark.parametrize("value", ["yes", 1, 0.5, ["duplicates"]])
def test_a_realism_option_of_another_type_is_a_value_error(value):
    with pytest.raises(ValueError) as excinfo:
        mock_sqs(realism=value)

    assert str(excinfo.value) == (
        f"realism= takes True, a dict of Realism's options or a Realism: {value!r}"
    )


def test_a_bad_realism_in_the_marker_is_a_usage_error(pytester):
    pytester.makepyfile(
        test_bad="""
        import pytest

        @pytest.mark.fake_sqs(realism={"duplicates": 3})
        def test_it(fake_sqs):
            pass
        """
    )

    result = pytester.runpytest()

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*UsageError: test_bad.py::test_it: @pytest.mark.fake_sqs: "
            "Realism(duplicates=...) is a probability from 0 to 1, got 3"
        ]
    )
