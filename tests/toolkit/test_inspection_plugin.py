"""The toolkit at the pytest level, through pytester: the marker's ``queues=`` option, the
"fake SQS" section under a failing test, the module and session fakes, and the
snapshot-in-a-session-fixture pattern."""

from __future__ import annotations

import re

import boto3
import pytest

from pytest_fakesqs import mock_sqs

FROZEN = "2024-05-06T07:08:09Z"
#: The inner runs use no Hypothesis, and its plugin costs seconds per in-process run.
NO_HYPOTHESIS = ("-p", "no:hypothesispytest")


def usage_error(text: str) -> str:
    """A regex for the line pytest prints for a UsageError raised by fixture setup."""
    return r"E\s+pytest\.UsageError: " + re.escape(text) + "$"


def section(lines: list[str], title: str = "fake SQS") -> list[str]:
    """The lines of the first report section whose title starts with ``title``."""
    header = re.compile(r"^-+ " + re.escape(title) + r"\b.* -+$")
    start = next(i for i, line in enumerate(lines) if header.match(line))
    body = []
    for line in lines[start + 1 :]:
        if re.match(r"^(-{3,}|_{3,}|={3,}) ", line):
            break
        body.append(line)
    return body


# --- the queues= option ------------------------------------------------------------------------


def test_marker_queues_creates_named_and_described_queues_before_the_test(pytester):
    pytester.makepyfile(
        test_inner_queues="""
        import pytest

        URL = "https://sqs.{}.amazonaws.com/123456789012/{}"

        @pytest.mark.fake_sqs(
            queues=[
                "jobs",
                {"name": "orders.fifo", "attributes": {"ContentBasedDeduplication": True}},
                {
                    "name": "audit",
                    "region": "eu-west-1",
                    "attributes": {"VisibilityTimeout": 60, "DelaySeconds": 5},
                    "tags": {"team": "core"},
                },
            ]
        )
        def test_created(fake_sqs, sqs_client):
            assert [(q.region, q.name, q.fifo) for q in fake_sqs.queues()] == [
                ("eu-west-1", "audit", False),
                ("us-east-1", "jobs", False),
                ("us-east-1", "orders.fifo", True),
            ]
            assert sqs_client.list_queues()["QueueUrls"] == [
                URL.format("us-east-1", "jobs"),
                URL.format("us-east-1", "orders.fifo"),
            ]
            fifo = sqs_client.get_queue_attributes(
                QueueUrl=URL.format("us-east-1", "orders.fifo"), AttributeNames=["All"]
            )["Attributes"]
            assert (fifo["FifoQueue"], fifo["ContentBasedDeduplication"]) == ("true", "true")
            audit = fake_sqs.queue("audit")
            assert (
                audit.attributes["VisibilityTimeout"],
                audit.attributes["DelaySeconds"],
                audit.tags,
            ) == ("60", "5", {"team": "core"})
            # Made before the test, not by it: the journal holds only the test's own calls.
            assert fake_sqs.calls.operations == ["ListQueues", "GetQueueAttributes"]

        pytestmark = pytest.mark.fake_sqs(queues=["from-module"])

        def test_module_marker(fake_sqs):
            assert [q.name for q in fake_sqs.queues()] == ["from-module"]

        @pytest.mark.fake_sqs(queues=["closest"])
        def test_closest_marker_wins(fake_sqs):
            assert [q.name for q in fake_sqs.queues()] == ["closest"]
        """
    )

    result = pytester.runpytest("-v", *NO_HYPOTHESIS)

    result.assert_outcomes(passed=3)


def test_bad_queues_values_are_usage_errors(pytester):
    pytester.makepyfile(
        test_inner_bad="""
        import pytest

        @pytest.mark.fake_sqs(queues=[{"nme": "jobs"}])
        def test_no_name(fake_sqs):
            pass

        @pytest.mark.fake_sqs(queues=[{"name": "jobs", "attrs": {}}])
        def test_unknown_key(fake_sqs):
            pass

        @pytest.mark.fake_sqs(queues=[3])
        def test_not_a_queue(fake_sqs):
            pass
        """
    )

    result = pytester.runpytest(*NO_HYPOTHESIS)

    result.assert_outcomes(errors=3)
    result.stdout.re_match_lines(
        [
            usage_error(
                "test_inner_bad.py::test_no_name: @pytest.mark.fake_sqs: queues=: each queue "
                "is a name or a dict with 'name', got {'nme': 'jobs'}"
            ),
            usage_error(
                "test_inner_bad.py::test_unknown_key: @pytest.mark.fake_sqs: queues=: unknown "
                "keys ['attrs'] in {'name': 'jobs', 'attrs': {}}"
            ),
            usage_error(
                "test_inner_bad.py::test_not_a_queue: @pytest.mark.fake_sqs: queues=: each "
                "queue is a name or a dict with 'name', got 3"
            ),
        ]
    )


def test_a_single_name_for_queues_is_a_usage_error_not_one_queue_per_letter(pytester):
    pytester.makepyfile(
        test_inner_string="""
        import pytest

        @pytest.mark.fake_sqs(queues="jobs")
        def test_string(fake_sqs):
            assert [q.name for q in fake_sqs.queues()] == ["jobs"]
        """
    )

    result = pytester.runpytest(*NO_HYPOTHESIS)

    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [
            usage_error(
                "test_inner_string.py::test_string: @pytest.mark.fake_sqs: queues= takes a list of "
                "queue names or dicts (name, attributes, tags, region), got 'jobs'"
            )
        ]
    )


def test_mock_sqs_rejects_a_single_name_for_queues():
    with pytest.raises(ValueError) as excinfo:
        mock_sqs(queues="jobs")

    assert str(excinfo.value) == (
        "queues= takes a list of queue names or dicts (name, attributes, tags, region), got 'jobs'"
    )


def test_a_queue_sqs_refuses_is_a_usage_error_with_the_sqs_error(pytester):
    pytester.makepyfile(
        test_inner_refused="""
        import pytest

        @pytest.mark.fake_sqs(queues=["not a name"])
        def test_refused(fake_sqs):
            pass
        """
    )

    result = pytester.runpytest(*NO_HYPOTHESIS)

    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [
            r"E\s+pytest\.UsageError: "
            + re.escape(
                "test_inner_refused.py::test_refused: @pytest.mark.fake_sqs(queues=...): "
                "An error occurred (InvalidParameterValue) when calling the CreateQueue "
                "operation: Can only include alphanumeric characters, hyphens, or "
                "underscores. 1 to 80 in length"
            )
            + "$"
        ]
    )


# --- the report section ------------------------------------------------------------------------

REPORTED = f"""
import pytest
from botocore.exceptions import ClientError

def act(fake_sqs, sqs_client):
    for _ in range(8):
        sqs_client.list_queues()
    url = sqs_client.get_queue_url(QueueName="jobs")["QueueUrl"]
    sqs_client.send_message(QueueUrl=url, MessageBody="first")
    sqs_client.send_message(QueueUrl=url, MessageBody="second", DelaySeconds=5)
    sqs_client.receive_message(QueueUrl=url)
    fake_sqs.advance(2)
    try:
        sqs_client.get_queue_url(QueueName="missing")
    except ClientError:
        pass

@pytest.mark.fake_sqs(seed=42, freeze="{FROZEN}", queues=["jobs", "empty"])
def test_fails(fake_sqs, sqs_client):
    act(fake_sqs, sqs_client)
    assert False, "boom"

@pytest.mark.fake_sqs(seed=42, freeze="{FROZEN}", queues=["jobs", "empty"])
def test_passes(fake_sqs, sqs_client):
    act(fake_sqs, sqs_client)
"""


def message_ids_of_the_reported_run() -> list[str]:
    """The same run in a fake of the same seed: the ids the report must show."""
    with mock_sqs(seed=42, freeze=FROZEN, queues=["jobs", "empty"]):
        client = boto3.client("sqs", region_name="us-east-1")
        for _ in range(8):
            client.list_queues()
        url = client.get_queue_url(QueueName="jobs")["QueueUrl"]
        first = client.send_message(QueueUrl=url, MessageBody="first")["MessageId"]
        second = client.send_message(QueueUrl=url, MessageBody="second", DelaySeconds=5)
        return [first, second["MessageId"]]


def test_a_failing_test_gets_a_fake_sqs_section_and_a_passing_one_none(pytester):
    pytester.makepyfile(test_inner_reported=REPORTED)
    first, second = message_ids_of_the_reported_run()

    # -rP prints the sections of passing tests too: the passing test must have none.
    result = pytester.runpytest("-rP", *NO_HYPOTHESIS)

    result.assert_outcomes(passed=1, failed=1)
    assert section(result.stdout.lines) == [
        "fake time 2024-05-06T07:08:11+00:00, seed 42 (repeat with @pytest.mark.fake_sqs(seed=42))",
        "queue empty (us-east-1): 0 visible, 0 in flight, 0 delayed; 0 sent, 0 deleted",
        "queue jobs (us-east-1): 0 visible, 1 in flight, 1 delayed; 2 sent, 0 deleted",
        f"  - in_flight 'first' (id {first}, receives 1)",
        f"  - delayed 'second' (id {second}, receives 0)",
        "last 10 of 13 calls:",
        "  2024-05-06T07:08:09+00:00 ListQueues -> ok",
        "  2024-05-06T07:08:09+00:00 ListQueues -> ok",
        "  2024-05-06T07:08:09+00:00 ListQueues -> ok",
        "  2024-05-06T07:08:09+00:00 ListQueues -> ok",
        "  2024-05-06T07:08:09+00:00 ListQueues -> ok",
        "  2024-05-06T07:08:09+00:00 GetQueueUrl -> ok",
        "  2024-05-06T07:08:09+00:00 SendMessage -> ok",
        "  2024-05-06T07:08:09+00:00 SendMessage -> ok",
        "  2024-05-06T07:08:09+00:00 ReceiveMessage -> ok",
        "  2024-05-06T07:08:11+00:00 GetQueueUrl -> QueueDoesNotExist",
    ]
    headers = [line for line in result.stdout.lines if re.match(r"^-+ fake SQS\b", line)]
    assert len(headers) == 1
    passes = result.stdout.lines.index(
        next(line for line in result.stdout.lines if re.match(r"^=+ PASSES =+$", line))
    )
    assert not any("fake SQS" in line for line in result.stdout.lines[passes:])


def test_a_failing_test_without_the_fake_gets_no_section(pytester):
    pytester.makepyfile(
        test_inner_no_fake="""
        def test_fails():
            assert False
        """
    )

    result = pytester.runpytest(*NO_HYPOTHESIS)

    result.assert_outcomes(failed=1)
    assert not any("fake SQS" in line for line in result.stdout.lines)


# --- module and session fakes ------------------------------------------------------------------

MODULE_A = """
import boto3

def test_one(fake_sqs_module):
    client = boto3.client("sqs", region_name="us-east-1")
    client.create_queue(QueueName="shared")
    fake_sqs_module.queue("shared").put("from one")

def test_two(fake_sqs_module):
    client = boto3.client("sqs", region_name="us-east-1")
    assert fake_sqs_module.queue("shared").bodies == ["from one"]
    assert [m["Body"] for m in client.receive_message(QueueUrl="shared")["Messages"]] == [
        "from one"
    ]
    assert fake_sqs_module.calls.operations == ["CreateQueue", "ReceiveMessage"]
"""

MODULE_B = """
def test_fresh_in_another_module(fake_sqs_module):
    assert fake_sqs_module.queues() == []
    assert len(fake_sqs_module.calls) == 0
"""


def test_the_module_fake_is_shared_by_the_tests_of_one_module_only(pytester):
    pytester.makepyfile(test_inner_module_a=MODULE_A, test_inner_module_b=MODULE_B)

    result = pytester.runpytest(
        "-v", "test_inner_module_a.py", "test_inner_module_b.py", *NO_HYPOTHESIS
    )

    result.assert_outcomes(passed=3)


SESSION_A = """
import boto3

def test_first_module(fake_sqs_session):
    client = boto3.client("sqs", region_name="us-east-1")
    client.create_queue(QueueName="session-wide")
    fake_sqs_session.queue("session-wide").put("from module a")
"""

SESSION_B = """
import boto3

URL = "https://sqs.us-east-1.amazonaws.com/123456789012/session-wide"

def test_second_module(fake_sqs_session):
    client = boto3.client("sqs", region_name="us-east-1")
    assert client.list_queues()["QueueUrls"] == [URL]
    assert fake_sqs_session.queue("session-wide").bodies == ["from module a"]

def test_a_function_fake_stacks_on_top_and_is_isolated(fake_sqs_session, fake_sqs, sqs_client):
    assert "QueueUrls" not in sqs_client.list_queues()
    sqs_client.create_queue(QueueName="function-only")
    fake_sqs.queue("function-only").put("inner")

    assert [q.name for q in fake_sqs.queues()] == ["function-only"]
    assert [q.name for q in fake_sqs_session.queues()] == ["session-wide"]
    assert fake_sqs_session.queue("session-wide").bodies == ["from module a"]
    assert fake_sqs.calls.operations == ["ListQueues", "CreateQueue"]
    assert fake_sqs_session.calls.operations == ["CreateQueue", "ListQueues"]

def test_the_session_fake_serves_again_afterwards(fake_sqs_session):
    client = boto3.client("sqs", region_name="us-east-1")
    assert client.list_queues()["QueueUrls"] == [URL]
    assert [q.name for q in fake_sqs_session.queues()] == ["session-wide"]
"""


def test_the_session_fake_is_shared_across_modules_and_a_function_fake_stacks_on_it(pytester):
    pytester.makepyfile(test_inner_session_a=SESSION_A, test_inner_session_b=SESSION_B)

    result = pytester.runpytest(
        "-v", "test_inner_session_a.py", "test_inner_session_b.py", *NO_HYPOTHESIS
    )

    result.assert_outcomes(passed=4)


# --- the snapshot-in-a-session-fixture pattern -------------------------------------------------

SNAPSHOT_CONFTEST = f"""
import boto3
import pytest

from pytest_fakesqs import mock_sqs

BUILT = []

@pytest.fixture(scope="session")
def orders_snapshot():
    BUILT.append(1)
    with mock_sqs(seed=5, freeze="{FROZEN}") as fake:
        client = boto3.client("sqs", region_name="us-east-1")
        url = client.create_queue(QueueName="orders")["QueueUrl"]
        for n in range(3):
            client.send_message(QueueUrl=url, MessageBody=f"order {{n}}")
        fake.advance(10)
        return fake.snapshot()

@pytest.fixture
def builds():
    return BUILT

@pytest.fixture
def orders(fake_sqs, orders_snapshot):
    fake_sqs.restore(orders_snapshot)
    return fake_sqs.queue("orders")
"""

SNAPSHOT_TEST = """
import pytest

# Each test's own fake starts years later: restore() puts its clock at the snapshot's time.
pytestmark = pytest.mark.fake_sqs(freeze="2030-01-01T00:00:00Z")

def test_consume_{name}(orders, fake_sqs, sqs_client, orders_snapshot, builds):
    assert builds == [1]
    assert orders.bodies == ["order 0", "order 1", "order 2"]
    assert fake_sqs.time == orders_snapshot.time
    assert len(fake_sqs.calls) == 0
    for message in sqs_client.receive_message(QueueUrl=orders.url, MaxNumberOfMessages=10)[
        "Messages"
    ]:
        sqs_client.delete_message(QueueUrl=orders.url, ReceiptHandle=message["ReceiptHandle"])
    orders.assert_empty()
    assert [m.body for m in orders.deleted] == ["order 0", "order 1", "order 2"]
"""


def test_a_snapshot_built_once_in_a_session_fixture_is_restored_in_every_test(pytester):
    pytester.makeconftest(SNAPSHOT_CONFTEST)
    pytester.makepyfile(
        test_inner_snapshot_a=SNAPSHOT_TEST.format(name="a") + SNAPSHOT_TEST.format(name="a_again"),
        test_inner_snapshot_b=SNAPSHOT_TEST.format(name="b"),
    )

    result = pytester.runpytest("-v", *NO_HYPOTHESIS)

    result.assert_outcomes(passed=3)


def test_restoring_an_older_snapshot_moves_the_clock_back():
    with mock_sqs(seed=5, freeze=FROZEN) as builder:
        builder.create_queue("orders").put("order 0")
        snapshot = builder.snapshot()
    with mock_sqs(freeze="2030-01-01T00:00:00Z") as fake:
        fake.restore(snapshot)

        assert fake.queue("orders").bodies == ["order 0"]
        assert fake.now.isoformat() == "2024-05-06T07:08:09+00:00"


# --- history_limit: the marker and the ini file ---------------------------------------------------

HISTORY_LIMIT_TESTS = """
import pytest


def test_default(fake_sqs):
    assert fake_sqs.calls.limit == {default}


@pytest.mark.fake_sqs(history_limit=5)
def test_marker_wins(fake_sqs):
    assert fake_sqs.calls.limit == 5


@pytest.mark.fake_sqs(history_limit=None)
def test_marker_none(fake_sqs):
    assert fake_sqs.calls.limit is None


def test_module_fake(fake_sqs_module):
    assert fake_sqs_module.calls.limit == {default}


def test_mock_sqs_keeps_its_own_default():
    from pytest_fakesqs import mock_sqs

    with mock_sqs() as fake:
        assert fake.calls.limit == 10000
"""


@pytest.mark.parametrize(
    ("ini", "default"),
    [(None, "10000"), ("2", "2"), ("none", "None"), ("  None ", "None"), ("20000", "20000")],
)
def test_the_ini_history_limit_sets_the_fixtures_default(pytester, ini, default):
    if ini is not None:
        pytester.makeini(f"[pytest]\nfakesqs_history_limit = {ini}\n")
    pytester.makepyfile(test_inner_limit=HISTORY_LIMIT_TESTS.format(default=default))
    result = pytester.runpytest(*NO_HYPOTHESIS)
    result.assert_outcomes(passed=5)


@pytest.mark.parametrize("value", ["0", "-3", "lots", "1.5"])
def test_a_bad_ini_history_limit_is_a_usage_error(pytester, value):
    pytester.makeini(f"[pytest]\nfakesqs_history_limit = {value}\n")
    pytester.makepyfile("def test_nothing():\n    pass\n")
    result = pytester.runpytest(*NO_HYPOTHESIS)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [f"ERROR: fakesqs_history_limit takes a positive int or 'none', got '{value}'"]
    )


def test_a_bad_marker_history_limit_is_a_usage_error(pytester):
    pytester.makepyfile(
        test_inner_bad_limit="""
        import pytest

        @pytest.mark.fake_sqs(history_limit=0)
        def test_zero(fake_sqs):
            pass
        """
    )
    result = pytester.runpytest(*NO_HYPOTHESIS)
    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [
            usage_error(
                "test_inner_bad_limit.py::test_zero: @pytest.mark.fake_sqs: history_limit= "
                "takes a positive int, or None to keep everything; got 0"
            )
        ]
    )
