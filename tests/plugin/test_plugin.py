"""The pytest plugin and the public activation API: fixtures, marker, mock_sqs, hooks."""

from __future__ import annotations

import asyncio
import inspect
import os
import socket
import subprocess
import sys
import unittest
from datetime import datetime, timezone

import boto3
import botocore.handlers
import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import EndpointConnectionError
from fresh_python import run_python

from pytest_fakesqs import FakeSQS, _hooks, mock_sqs

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/{}"
# An address nothing listens on, and one attempt only: a call that is not served fails at once.
NOWHERE = "http://127.0.0.1:9"
NO_RETRIES = Config(retries={"total_max_attempts": 1, "mode": "standard"}, connect_timeout=1)
DUMMY_CREDENTIALS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


def unreachable_client(service: str = "sqs", session=None):
    """A client of a service whose real endpoint cannot be reached (and no credential lookup)."""
    create = session.create_client if session is not None else boto3.client
    return create(
        service,
        region_name="us-east-1",
        endpoint_url=NOWHERE,
        config=NO_RETRIES,
        **DUMMY_CREDENTIALS,
    )


def assert_not_served(call) -> None:
    with pytest.raises(EndpointConnectionError) as excinfo:
        call()
    assert str(excinfo.value) == f'Could not connect to the endpoint URL: "{NOWHERE}/"'


def queue_names(client) -> list[str]:
    return sorted(url.rsplit("/", 1)[1] for url in client.list_queues().get("QueueUrls", []))


# --- fixtures ----------------------------------------------------------------------------------


def test_fixtures_serve_botocore_and_boto3_clients(fake_sqs, sqs_client):
    assert isinstance(fake_sqs, FakeSQS)
    assert fake_sqs.active
    assert type(sqs_client).__module__ == "botocore.client"
    assert sqs_client.meta.region_name == "us-east-1"

    url = sqs_client.create_queue(QueueName="jobs")["QueueUrl"]

    assert url == URL.format("jobs")
    assert boto3.client("sqs", region_name="us-east-1").list_queues()["QueueUrls"] == [url]


FRESH_STATE = """
    import boto3

    def _check_and_create():
        client = boto3.client("sqs", region_name="us-east-1")
        assert "QueueUrls" not in client.list_queues()
        client.create_queue(QueueName="shared")

    def test_one(fake_sqs):
        _check_and_create()

    def test_two(sqs_client):
        assert "QueueUrls" not in sqs_client.list_queues()
        sqs_client.create_queue(QueueName="shared")
        sqs_client.create_queue(QueueName="only-in-two")
"""


@pytest.mark.parametrize("order", [("test_one", "test_two"), ("test_two", "test_one")])
def test_state_is_fresh_in_every_test_whatever_the_order(pytester, order):
    path = pytester.makepyfile(test_fresh=FRESH_STATE)
    result = pytester.runpytest(*(f"{path.name}::{name}" for name in order), "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"*::{order[0]} PASSED*", f"*::{order[1]} PASSED*"])


MARKERS = """
    from datetime import datetime, timezone

    import boto3
    import pytest

    pytestmark = pytest.mark.fake_sqs(seed=1, account_id="111111111111")

    @pytest.mark.fake_sqs
    def test_marker_alone_without_the_fixture():
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        assert url == "https://sqs.us-east-1.amazonaws.com/111111111111/jobs"

    def test_module_marker(fake_sqs, sqs_client):
        assert fake_sqs.seed == 1
        assert sqs_client.meta.region_name == "us-east-1"
        url = sqs_client.create_queue(QueueName="q")["QueueUrl"]
        assert url == "https://sqs.us-east-1.amazonaws.com/111111111111/q"

    @pytest.mark.fake_sqs(
        seed=7,
        account_id="111122223333",
        region="eu-west-1",
        freeze="2024-05-01T12:00:00Z",
        sender_id="AIDASENDER",
    )
    def test_every_option(fake_sqs, sqs_client):
        assert fake_sqs.seed == 7
        assert fake_sqs.now == datetime(2024, 5, 1, 12, tzinfo=timezone.utc)
        assert sqs_client.meta.region_name == "eu-west-1"
        url = sqs_client.create_queue(QueueName="q")["QueueUrl"]
        assert url == "https://sqs.eu-west-1.amazonaws.com/111122223333/q"
        sqs_client.send_message(QueueUrl=url, MessageBody="hi")
        fake_sqs.advance(minutes=1)
        [message] = sqs_client.receive_message(QueueUrl=url, AttributeNames=["All"])["Messages"]
        assert message["Attributes"]["SenderId"] == "AIDASENDER"
        assert message["Attributes"]["SentTimestamp"] == "1714564800000"
        assert message["Attributes"]["ApproximateFirstReceiveTimestamp"] == "1714564860000"

    @pytest.mark.fake_sqs(seed=2, region="eu-west-1")
    class TestMerged:
        def test_class_marker(self, fake_sqs, sqs_client):
            assert fake_sqs.seed == 2
            assert sqs_client.meta.region_name == "eu-west-1"
            url = sqs_client.create_queue(QueueName="q")["QueueUrl"]
            assert url == "https://sqs.eu-west-1.amazonaws.com/111111111111/q"

        @pytest.mark.fake_sqs(seed=3, account_id="333333333333")
        def test_function_marker(self, fake_sqs, sqs_client):
            assert fake_sqs.seed == 3
            assert sqs_client.meta.region_name == "eu-west-1"
            url = sqs_client.create_queue(QueueName="q")["QueueUrl"]
            assert url == "https://sqs.eu-west-1.amazonaws.com/333333333333/q"
"""


def test_marker_switches_the_fake_on_and_its_options_merge_closest_first(pytester):
    pytester.makepyfile(test_markers=MARKERS)
    result = pytester.runpytest("-v", "--strict-markers")
    result.assert_outcomes(passed=5)
    result.stdout.fnmatch_lines(["*test_marker_alone_without_the_fixture PASSED*"])


def test_malformed_markers_are_usage_errors(pytester):
    pytester.makepyfile(
        test_bad="""
        import pytest

        @pytest.mark.fake_sqs(sede=1)
        def test_typo(fake_sqs):
            pass

        @pytest.mark.fake_sqs(1)
        def test_positional():
            pass
        """
    )
    result = pytester.runpytest()
    result.assert_outcomes(errors=2)
    result.stdout.fnmatch_lines(
        [
            "E *UsageError: test_bad.py::test_typo: unknown @pytest.mark.fake_sqs option "
            "'sede'; known options: seed, account_id, freeze, sender_id, region, queues, "
            "realism, keep_history, event_sources, long_polls, freeze_process, "
            "history_limit",
            "E *UsageError: test_bad.py::test_positional: @pytest.mark.fake_sqs takes "
            "keyword options only, got (1,)",
        ]
    )


def test_the_plugin_can_be_disabled(pytester):
    pytester.makepyfile(
        """
        def test_uses_the_fixture(fake_sqs):
            pass
        """
    )
    result = pytester.runpytest("-p", "no:fakesqs")
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*fixture 'fake_sqs' not found*"])


def test_a_client_created_when_the_test_module_is_imported_is_served(pytester, monkeypatch):
    # A separate process, so botocore is first imported by the test module, as in a user's run.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    pytester.makepyfile(
        """
        import sys

        assert "botocore" not in sys.modules  # the plugin loaded without importing it

        import boto3

        CLIENT = boto3.client("sqs", region_name="us-east-1")

        def test_served(fake_sqs):
            url = CLIENT.create_queue(QueueName="early")["QueueUrl"]
            assert url == "https://sqs.us-east-1.amazonaws.com/123456789012/early"
            CLIENT.send_message(QueueUrl=url, MessageBody="hello")
            [message] = CLIENT.receive_message(QueueUrl=url)["Messages"]
            assert message["Body"] == "hello"
        """
    )
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def no_credentials(monkeypatch) -> None:
    """A subprocess environment with no AWS credentials and no instance metadata to ask."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


PRE_HOOK_APP = """
import boto3

# Made at import, before pytest_fakesqs is imported: its handlers are not in this client.
CLIENT = boto3.client("sqs", region_name="us-east-1")
SESSION = boto3.session.Session(region_name="eu-west-1")
"""


def test_clients_made_before_the_hooks_are_served_under_unittest(pytester, monkeypatch):
    no_credentials(monkeypatch)
    pytester.makepyfile(
        app=PRE_HOOK_APP,
        test_early="""
        import unittest

        import app
        from pytest_fakesqs import mock_sqs

        URL = "https://sqs.{}.amazonaws.com/123456789012/{}"


        @mock_sqs
        class EarlyClients(unittest.TestCase):
            def test_module_level_client(self):
                url = app.CLIENT.create_queue(QueueName="early")["QueueUrl"]
                self.assertEqual(url, URL.format("us-east-1", "early"))
                app.CLIENT.send_message(QueueUrl=url, MessageBody="hello")
                [message] = app.CLIENT.receive_message(QueueUrl=url)["Messages"]
                self.assertEqual(message["Body"], "hello")
                self.assertEqual(self.fake_sqs.calls.operations[0], "CreateQueue")

            def test_client_of_an_early_session(self):
                client = app.SESSION.client("sqs")
                url = client.create_queue(QueueName="later")["QueueUrl"]
                self.assertEqual(url, URL.format("eu-west-1", "later"))


        if __name__ == "__main__":
            unittest.main()
        """,
    )
    done = run_python("-m", "unittest", "-v", "test_early", cwd=pytester.path)
    assert done.returncode == 0, done.stderr
    assert "Ran 2 tests" in done.stderr
    assert "NoCredentialsError" not in done.stderr


def test_a_client_made_by_a_plugin_loaded_before_this_one_is_served(pytester, monkeypatch):
    no_credentials(monkeypatch)
    pytester.makepyfile(
        early_plugin=PRE_HOOK_APP,
        test_served="""
        import sys

        import early_plugin

        def test_served(fake_sqs):
            url = early_plugin.CLIENT.create_queue(QueueName="early")["QueueUrl"]
            assert url == "https://sqs.us-east-1.amazonaws.com/123456789012/early"
            assert fake_sqs.calls.operations == ["CreateQueue"]
        """,
    )
    monkeypatch.setenv("PYTHONPATH", str(pytester.path))
    # -p loads early_plugin (and botocore with it) before the plugins of entry points.
    result = pytester.runpytest_subprocess("-p", "early_plugin", "-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


COUNT_SCANS = """
import gc, sys

scans = []
real_get_objects = gc.get_objects
gc.get_objects = lambda *args: scans.append(1) or real_get_objects(*args)
if sys.argv[1] == "hooks first":
    from pytest_fakesqs import _hooks
    _hooks.install()  # what the pytest plugin does when it loads
import boto3
client = boto3.client("sqs", region_name="us-east-1")
from pytest_fakesqs import mock_sqs
for _ in range(3):
    with mock_sqs():
        client.list_queues()
print(len(scans))
"""


@pytest.mark.parametrize(("order", "scans"), [("botocore first", "1"), ("hooks first", "0")])
def test_the_search_for_early_clients_runs_once_and_only_when_botocore_came_first(
    monkeypatch, order, scans
):
    no_credentials(monkeypatch)
    done = run_python("-c", COUNT_SCANS, order)
    assert (done.returncode, done.stderr, done.stdout.strip()) == (0, "", scans)


def test_importing_the_plugin_does_not_import_botocore():
    completed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, pytest_fakesqs.plugin; assert 'botocore' not in sys.modules",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert (completed.returncode, completed.stderr) == (0, "")


# --- what is and is not served -----------------------------------------------------------------


def test_no_socket_is_opened_while_the_fake_is_active(fake_sqs, sqs_client, monkeypatch):
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("pytest-fakesqs test: the network must not be used")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)

    for client in (sqs_client, boto3.client("sqs", region_name="us-east-1")):
        url = client.create_queue(QueueName="offline")["QueueUrl"]
        client.send_message(QueueUrl=url, MessageBody="one")
        [message] = client.receive_message(QueueUrl=url, VisibilityTimeout=5)["Messages"]
        assert message["Body"] == "one"
        client.change_message_visibility(
            QueueUrl=url, ReceiptHandle=message["ReceiptHandle"], VisibilityTimeout=0
        )
        client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
        attributes = client.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])
        assert attributes["Attributes"]["ApproximateNumberOfMessages"] == "0"
        client.delete_queue(QueueUrl=url)
        fake_sqs.advance(60)  # the name is free again for the second client
    assert attempts == []


def test_sqs_calls_pass_through_when_no_fake_is_active():
    client = unreachable_client()
    assert_not_served(client.list_queues)

    with mock_sqs():
        assert "QueueUrls" not in client.list_queues()

    assert_not_served(client.list_queues)


def test_other_aws_services_are_not_answered_by_the_fake(fake_sqs):
    s3 = unreachable_client("s3")
    assert_not_served(s3.list_buckets)


# --- mock_sqs ----------------------------------------------------------------------------------


def test_bare_decorator_gives_each_call_a_fresh_fake():
    @mock_sqs
    def work(name):
        client = boto3.client("sqs", region_name="us-east-1")
        client.create_queue(QueueName=name)
        return queue_names(client)

    assert work.__name__ == "work"
    assert work("first") == ["first"]
    assert work("second") == ["second"]
    assert_not_served(unreachable_client().list_queues)


def test_decorator_with_options():
    @mock_sqs(seed=1, account_id="210987654321")
    def work():
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        return url, client.send_message(QueueUrl=url, MessageBody="x")["MessageId"]

    url, first_id = work()
    assert url == "https://sqs.us-east-1.amazonaws.com/210987654321/jobs"
    assert work() == (url, first_id)
    with mock_sqs(seed=1, account_id="210987654321"):
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        assert client.send_message(QueueUrl=url, MessageBody="x")["MessageId"] == first_id


def test_decorated_test_case_gets_a_fresh_fake_for_every_test():
    @mock_sqs
    class QueueTests(unittest.TestCase):
        def setUp(self):
            self.client = boto3.client("sqs", region_name="us-east-1")
            self.url = self.client.create_queue(QueueName="from-setup")["QueueUrl"]

        def test_a(self):
            self.client.create_queue(QueueName="from-a")
            self.assertEqual(queue_names(self.client), ["from-a", "from-setup"])
            self.assertTrue(self.fake_sqs.active)

        def test_b(self):
            self.client.create_queue(QueueName="from-b")
            self.assertEqual(queue_names(self.client), ["from-b", "from-setup"])

    result = unittest.TestResult()
    unittest.defaultTestLoader.loadTestsFromTestCase(QueueTests).run(result)

    assert (result.testsRun, result.failures, result.errors) == (2, [], [])


def test_decorated_coroutine_function_runs_with_the_fake():
    @mock_sqs
    async def work():
        client = boto3.client("sqs", region_name="us-east-1")
        return client.create_queue(QueueName="async-jobs")["QueueUrl"]

    assert inspect.iscoroutinefunction(work)
    assert asyncio.run(work()) == URL.format("async-jobs")
    assert_not_served(unreachable_client().list_queues)


def test_dummy_environment_only_while_active_and_only_where_missing(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)

    with mock_sqs():
        assert (
            os.environ["AWS_ACCESS_KEY_ID"],
            os.environ["AWS_SECRET_ACCESS_KEY"],
            os.environ["AWS_DEFAULT_REGION"],
        ) == ("testing", "testing", "us-east-1")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION"):
        assert name not in os.environ

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUSERSOWN")
    monkeypatch.setenv("AWS_REGION", "eu-west-1")
    with mock_sqs():
        assert os.environ["AWS_ACCESS_KEY_ID"] == "AKIAUSERSOWN"
        assert os.environ["AWS_SECRET_ACCESS_KEY"] == "testing"
        assert "AWS_DEFAULT_REGION" not in os.environ
    assert (os.environ["AWS_ACCESS_KEY_ID"], os.environ["AWS_REGION"]) == (
        "AKIAUSERSOWN",
        "eu-west-1",
    )
    assert "AWS_SECRET_ACCESS_KEY" not in os.environ


def _seeded_run(seed: int) -> tuple[list[str], list[str]]:
    with mock_sqs(seed=seed) as fake:
        assert fake.seed == seed
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="jobs")["QueueUrl"]
        sent = [client.send_message(QueueUrl=url, MessageBody=b)["MessageId"] for b in "ab"]
        received = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        fake.advance(30)
        again = client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)["Messages"]
        return sent, [message["ReceiptHandle"] for message in received + again]


def test_the_same_seed_repeats_message_ids_and_receipt_handles():
    first = _seeded_run(42)
    assert len(set(first[0])) == 2
    assert len(set(first[1])) == 4
    assert _seeded_run(42) == first
    other = _seeded_run(43)
    assert set(other[0]).isdisjoint(first[0])
    assert set(other[1]).isdisjoint(first[1])


def test_an_inner_fake_serves_while_active_then_the_outer_one_again():
    client = boto3.client("sqs", region_name="us-east-1")
    with mock_sqs(account_id="111111111111"):
        outer_url = client.create_queue(QueueName="outer")["QueueUrl"]
        with mock_sqs(account_id="222222222222") as inner:
            assert "QueueUrls" not in client.list_queues()
            inner_url = client.create_queue(QueueName="inner")["QueueUrl"]
            assert inner_url == "https://sqs.us-east-1.amazonaws.com/222222222222/inner"
        assert not inner.active
        assert client.list_queues()["QueueUrls"] == [outer_url]
    assert_not_served(unreachable_client().list_queues)


def test_attach_serves_clients_and_sessions_created_before_the_hooks(monkeypatch):
    # Simulate botocore having been imported (and a session made) before the plugin loaded.
    builtin = botocore.handlers.BUILTIN_HANDLERS
    ours = [entry for entry in builtin if entry in _hooks.HANDLERS]
    assert ours == list(_hooks.HANDLERS)
    for entry in ours:
        builtin.remove(entry)
    try:
        session = botocore.session.Session()
        early_client = unreachable_client(session=session)
        other_session = botocore.session.Session()
    finally:
        builtin.extend(ours)

    with mock_sqs() as fake:
        assert_not_served(early_client.list_queues)

        fake.attach(early_client)
        url = early_client.create_queue(QueueName="attached")["QueueUrl"]
        # The client's endpoint_url is its own, so the URL is on it too.
        assert url == f"{NOWHERE}/123456789012/attached"

        fake.attach(other_session)
        later_client = unreachable_client(session=other_session)
        assert later_client.list_queues()["QueueUrls"] == [url]

        fake.attach(early_client)  # attaching twice registers the handlers once
        assert early_client.list_queues()["QueueUrls"] == [url]

        with pytest.raises(TypeError) as excinfo:
            fake.attach(42)
        assert str(excinfo.value) == "cannot attach pytest-fakesqs to 42: not a client or session"


@pytest.mark.fake_sqs(freeze=datetime(2024, 1, 1, tzinfo=timezone.utc))
def test_fixture_clock_moves_only_with_advance(fake_sqs):
    assert fake_sqs.time == 1704067200.0
    fake_sqs.advance(minutes=1, seconds=1)
    assert fake_sqs.now == datetime(2024, 1, 1, 0, 1, 1, tzinfo=timezone.utc)
