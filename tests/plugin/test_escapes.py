"""No silent escapes to real AWS: what is refused once no fake answers, and what is let through.

This run has the plugin loaded, so the guard is armed here as in a user's suite. The network
is shut (``no_network``) in every test that lets a call through, so an escape fails with
``EndpointConnectionError`` at once instead of leaving the machine; a refused call never gets
that far. The ini opt-out, ``-p no:fakesqs`` and plain Python are run in pytester runs or
subprocesses of their own. (aiobotocore and moto are imported by the tests that use them: the
version matrix runs this file without them.)
"""

from __future__ import annotations

import asyncio
import socket
import threading
import unittest
from collections.abc import Callable
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, EndpointConnectionError
from fresh_python import run_python

from pytest_fakesqs import mock_sqs

REGION = "us-east-1"
AWS = "https://sqs.us-east-1.amazonaws.com/"
#: One attempt and no credential lookup: a call that is let through fails at once.
ONE_ATTEMPT = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=1)
CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
OPT_OUT = (
    "or, if this test suite means to call real AWS, set fakesqs_allow_real_aws = true in its "
    "pytest configuration (or run pytest -o fakesqs_allow_real_aws=true)."
)
REFUSED = "pytest-fakesqs refused {}, which would have gone to real AWS: "
CLIENT_REASON = (
    "this client was served by a fake SQS earlier in this test run, and no fake is active now. "
    "Use it while a fake is active: ask for the fake_sqs fixture (or add @pytest.mark.fake_sqs) "
    "in this test too; "
)


#: The start of the programs run in pytester runs and subprocesses below: a client that makes
#: one attempt (a call let through fails at once) and needs no credential lookup.
CLIENT_PRELUDE = """
import boto3
from botocore.config import Config


def one_attempt_client():
    return boto3.client(
        "sqs",
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1),
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
"""


def thread_reason(name: str) -> str:
    return (
        f"this thread ({name}) was started while a fake SQS was active, and it still calls SQS "
        "after that fake stopped. Stop and join worker threads before the test ends, for "
        "example: stop.set(); fake_sqs.end_long_polls(); worker.join(); "
    )


def client(**options: Any) -> Any:
    return boto3.client("sqs", region_name=REGION, config=ONE_ATTEMPT, **CREDENTIALS, **options)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Shut the network: any attempt is recorded and fails at once."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args[0] if args else kwargs)
        raise OSError("tests/plugin/test_escapes.py: the network is shut")

    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def assert_refused(excinfo: pytest.ExceptionInfo[Any], operation: str, message: str) -> None:
    error = excinfo.value
    assert type(error) is ClientError
    assert error.operation_name == operation
    assert error.response == {
        "Error": {"Code": "PytestFakeSQS.RealAWSRefused", "Message": message, "Type": "Sender"},
        "ResponseMetadata": {"HTTPStatusCode": 400, "HTTPHeaders": {}, "RetryAttempts": 0},
    }
    assert str(error) == (
        f"An error occurred (PytestFakeSQS.RealAWSRefused) when calling the {operation} "
        f"operation: {message}"
    )


def assert_let_through(call: Callable[[], object], attempts: list[object], host: str) -> None:
    """The call went for the network (and found it shut)."""
    with pytest.raises(EndpointConnectionError):
        call()
    assert host in attempts


def run_in_thread(call: Callable[[], object]) -> Callable[[], object]:
    """Start a thread that waits, then makes ``call``; the function returned lets it go and
    gives back what the call returned or raised."""
    go = threading.Event()
    outcome: list[object] = []

    def work() -> None:
        go.wait(timeout=10)
        try:
            outcome.append(call())
        except Exception as error:  # handed back to the test
            outcome.append(error)

    thread = threading.Thread(target=work, name="leaky-worker", daemon=True)
    thread.start()

    def finish() -> object:
        go.set()
        # real-time: the worker only makes one call that fails or returns at once.
        thread.join(timeout=10)
        assert not thread.is_alive()
        return outcome[0]

    return finish


# --- refused ---------------------------------------------------------------------------------


def test_a_thread_started_while_a_fake_was_active_is_refused_after_it_stops(no_network):
    with mock_sqs():
        finish = run_in_thread(lambda: client().list_queues())

    error = finish()

    with pytest.raises(ClientError) as excinfo:
        raise error  # type: ignore[misc]
    reason = thread_reason("leaky-worker")
    assert_refused(excinfo, "ListQueues", REFUSED.format("ListQueues") + reason + OPT_OUT)
    assert no_network == []


def test_a_leaked_thread_is_refused_without_credentials_too(no_network, monkeypatch):
    # The refusal comes before botocore signs the request: no NoCredentialsError first.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with mock_sqs():
        # The client is made after the fake stopped: it has no credentials at all.
        finish = run_in_thread(
            lambda: boto3.client("sqs", region_name=REGION, config=ONE_ATTEMPT).send_message(
                QueueUrl=f"{AWS}123456789012/jobs", MessageBody="x"
            )
        )

    error = finish()

    assert type(error) is ClientError
    assert error.response["Error"]["Code"] == "PytestFakeSQS.RealAWSRefused"
    assert error.response["Error"]["Message"].startswith(
        REFUSED.format("SendMessage") + thread_reason("leaky-worker")
    )
    assert no_network == []


def test_a_client_a_fake_served_is_refused_once_no_fake_is_active(no_network):
    sqs = client()
    with mock_sqs():
        url = sqs.create_queue(QueueName="jobs")["QueueUrl"]

    with pytest.raises(ClientError) as excinfo:
        sqs.send_message(QueueUrl=url, MessageBody="after the fake")

    assert_refused(excinfo, "SendMessage", REFUSED.format("SendMessage") + CLIENT_REASON + OPT_OUT)
    # Served again as soon as a fake is active again.
    with mock_sqs():
        assert "QueueUrls" not in sqs.list_queues()
    with pytest.raises(ClientError) as excinfo:
        sqs.list_queues()
    assert excinfo.value.response["Error"]["Code"] == "PytestFakeSQS.RealAWSRefused"
    assert no_network == []


def test_an_async_client_a_fake_served_is_refused_too(no_network):
    get_session = pytest.importorskip("aiobotocore.session").get_session

    async def story() -> ClientError:
        async with get_session().create_client(
            "sqs", region_name=REGION, config=ONE_ATTEMPT, **CREDENTIALS
        ) as sqs:
            with mock_sqs():
                await sqs.list_queues()
            try:
                await sqs.list_queues()
            except ClientError as error:
                return error
        raise AssertionError("not refused")

    error = asyncio.run(story())

    with pytest.raises(ClientError) as excinfo:
        raise error
    assert_refused(excinfo, "ListQueues", REFUSED.format("ListQueues") + CLIENT_REASON + OPT_OUT)
    assert no_network == []


SET_UP_CLASS = (
    "it was made in {}, which @mock_sqs does not cover (each test gets a fresh fake, active "
    "from its setUp to its tearDown). Create queues and messages in setUp; "
)


def test_set_up_class_and_tear_down_class_of_a_decorated_test_case_are_refused(no_network):
    refused: list[ClientError] = []

    @mock_sqs
    class Jobs(unittest.TestCase):
        @classmethod
        def setUpClass(cls) -> None:
            try:
                client().create_queue(QueueName="made-too-early")
            except ClientError as error:
                refused.append(error)

        @classmethod
        def tearDownClass(cls) -> None:
            try:
                client().delete_queue(QueueUrl=f"{AWS}123456789012/made-too-early")
            except ClientError as error:
                refused.append(error)

        def test_inside_the_fake(self) -> None:
            client().create_queue(QueueName="fine")  # served by the test's fake

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(Jobs).run(result)

    assert (result.testsRun, result.errors, result.failures) == (1, [], [])
    assert [(e.operation_name, e.response["Error"]["Message"]) for e in refused] == [
        (
            "CreateQueue",
            REFUSED.format("CreateQueue")
            + SET_UP_CLASS.format(
                "test_set_up_class_and_tear_down_class_of_a_decorated_test_case_are_refused"
                ".<locals>.Jobs.setUpClass"
            )
            + OPT_OUT,
        ),
        (
            "DeleteQueue",
            REFUSED.format("DeleteQueue")
            + SET_UP_CLASS.format(
                "test_set_up_class_and_tear_down_class_of_a_decorated_test_case_are_refused"
                ".<locals>.Jobs.tearDownClass"
            )
            + OPT_OUT,
        ),
    ]
    assert no_network == []


SET_UP_CLASS_PROGRAM = """
import unittest

from pytest_fakesqs import mock_sqs


@mock_sqs
class Jobs(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.url = one_attempt_client().create_queue(QueueName="jobs")["QueueUrl"]

    def test_jobs(self):
        pass
"""


def test_set_up_class_under_pytest_fails_with_the_refusal(pytester):
    pytester.makepyfile(test_inner_class=CLIENT_PRELUDE + SET_UP_CLASS_PROGRAM)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "E*botocore.exceptions.ClientError: An error occurred "
            "(PytestFakeSQS.RealAWSRefused) when calling the CreateQueue operation: "
            "pytest-fakesqs refused CreateQueue, which would have gone to real AWS: it was made "
            "in Jobs.setUpClass, which @mock_sqs does not cover*"
        ]
    )


# --- let through -----------------------------------------------------------------------------


def test_a_fresh_client_with_no_fake_goes_where_it_always_went(no_network):
    # A suite that never uses the fake, or a test calling AWS on purpose with a new client.
    with mock_sqs():
        pass  # a fake came and went in this thread: that alone refuses nothing

    assert_let_through(client().list_queues, no_network, "sqs.us-east-1.amazonaws.com")


def test_calls_to_an_endpoint_of_its_own_are_not_refused(no_network):
    local = client(endpoint_url="http://localhost:4566")
    with mock_sqs():
        local.list_queues()
        finish = run_in_thread(client(endpoint_url="http://localhost:4566").list_queues)

    assert_let_through(local.list_queues, no_network, "localhost")
    assert type(finish()) is EndpointConnectionError


def test_moto_answers_what_the_guard_would_refuse(no_network):
    mock_aws = pytest.importorskip("moto").mock_aws
    with mock_aws():
        # Made once moto is active: boto3's default session of before may predate moto's
        # handler (moto's own rule), and would go to the network with or without the fake.
        sqs = client()
        with mock_sqs():
            sqs.create_queue(QueueName="fake-only")
            finish = run_in_thread(lambda: client().create_queue(QueueName="from-the-thread"))
        try:
            # Served by the fake before: moto answers now, nothing leaves the process.
            url = sqs.create_queue(QueueName="moto-only")["QueueUrl"]
        finally:
            from_thread = finish()
        assert url == f"{AWS}123456789012/moto-only"
        assert from_thread["QueueUrl"] == f"{AWS}123456789012/from-the-thread"  # type: ignore[index]
    assert no_network == []


def test_a_thread_started_before_the_fake_is_not_refused(no_network):
    # Not started while a fake was active, and its client was never served.
    finish = run_in_thread(lambda: client().list_queues())
    with mock_sqs():
        pass

    assert type(finish()) is EndpointConnectionError
    assert "sqs.us-east-1.amazonaws.com" in no_network


LEAKS = (
    CLIENT_PRELUDE
    + """
import threading

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from pytest_fakesqs import mock_sqs

SQS = one_attempt_client()


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("the network is shut")

    monkeypatch.setattr("socket.getaddrinfo", refuse)
    monkeypatch.setattr("socket.socket.connect", refuse)


def test_served():
    with mock_sqs():
        SQS.list_queues()


def test_client_after_the_fake(no_network):
    with pytest.raises(EXPECTED):
        SQS.list_queues()


def test_leaked_thread(no_network):
    outcome = []
    with mock_sqs():
        worker = threading.Thread(target=lambda: outcome.append(call()))
        go = threading.Event()

        def call():
            go.wait(10)
            try:
                return SQS.list_queues()
            except Exception as error:
                return error

        worker.start()
    go.set()
    worker.join(10)
    assert type(outcome[0]) is EXPECTED
"""
)


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        (("-o", "fakesqs_allow_real_aws=false"), "ClientError"),
        (("-o", "fakesqs_allow_real_aws=true"), "EndpointConnectionError"),
        ("ini", "EndpointConnectionError"),
    ],
)
def test_the_ini_option_lets_every_call_through(pytester, how, expected):
    pytester.makepyfile(test_inner_leaks=LEAKS.replace("EXPECTED", expected))
    args = list(how) if how != "ini" else []
    if how == "ini":
        pytester.makeini("[pytest]\nfakesqs_allow_real_aws = true\n")
    result = pytester.runpytest("-p", "no:cacheprovider", *args)
    result.assert_outcomes(passed=3)


def test_with_the_plugin_disabled_nothing_is_refused(pytester):
    pytester.makepyfile(test_inner_leaks=LEAKS.replace("EXPECTED", "EndpointConnectionError"))
    # A subprocess: in this process the guard is armed by the outer run's plugin.
    result = pytester.runpytest_subprocess("-p", "no:fakesqs", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=3)


OUTSIDE_PYTEST = (
    CLIENT_PRELUDE
    + """
import socket

from botocore.exceptions import EndpointConnectionError

from pytest_fakesqs import mock_sqs

def refuse(*args, **kwargs):
    raise OSError("the network is shut")

socket.getaddrinfo = refuse
sqs = one_attempt_client()
with mock_sqs():
    sqs.list_queues()
try:
    sqs.list_queues()
except EndpointConnectionError:
    print("let through")
"""
)


def test_outside_pytest_nothing_is_refused():
    done = run_python("-c", OUTSIDE_PYTEST)
    assert (done.returncode, done.stderr, done.stdout) == (0, "", "let through\n")
