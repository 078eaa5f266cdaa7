"""Event source mappings at the pytest level: the marker's (and mock_sqs's) ``event_sources=``
option with handlers by dotted path, its usage errors, and the invocations shown under a
failing test."""

from __future__ import annotations

import re

import pytest

NO_HYPOTHESIS = ("-p", "no:hypothesispytest")

HANDLERS = """
import json

def handle_orders(event, context):
    for record in event["Records"]:
        if json.loads(record["body"]).get("bad"):
            raise ValueError("bad order")
"""


def test_the_marker_attaches_handlers_by_dotted_path(pytester: pytest.Pytester):
    pytester.makepyfile(orders_handlers=HANDLERS)
    pytester.makepyfile(
        test_inner_marker="""
        import pytest

        @pytest.mark.fake_sqs(
            freeze="2024-01-01T00:00:00Z",
            queues=["orders"],
            event_sources=[
                {"queue": "orders", "handler": "orders_handlers.handle_orders", "batch_size": 5}
            ],
        )
        def test_mapped(fake_sqs, sqs_client):
            (mapping,) = fake_sqs.event_source_mappings
            assert (mapping.function_name, mapping.batch_size) == ("handle_orders", 5)
            url = fake_sqs.queue("orders").url
            sqs_client.send_message(QueueUrl=url, MessageBody='{"id": 1}')
            fake_sqs.advance(1)
            assert [i.bodies for i in mapping.invocations] == [['{"id": 1}']]
            assert fake_sqs.queue("orders").deleted[0].body == '{"id": 1}'
        """
    )

    result = pytester.runpytest_inprocess(*NO_HYPOTHESIS)

    result.assert_outcomes(passed=1)


def test_mock_sqs_takes_the_option_too(pytester: pytest.Pytester):
    pytester.makepyfile(orders_handlers=HANDLERS)
    pytester.makepyfile(
        test_inner_mock="""
        import boto3
        import orders_handlers
        from pytest_fakesqs import mock_sqs

        def test_mapped():
            with mock_sqs(
                queues=["orders"],
                event_sources=[{"queue": "orders", "handler": orders_handlers.handle_orders}],
            ) as fake:
                sqs = boto3.client("sqs", region_name="us-east-1")
                sqs.send_message(QueueUrl=fake.queue("orders").url, MessageBody="{}")
                assert len(fake.run_due()) == 1
        """
    )

    result = pytester.runpytest_inprocess(*NO_HYPOTHESIS)

    result.assert_outcomes(passed=1)


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (
            '[{"queue": "orders"}]',
            "@pytest.mark.fake_sqs: event_sources=: each entry is a dict with 'queue' and "
            "'handler', got {'queue': 'orders'}",
        ),
        (
            '[{"queue": "orders", "handler": "json.dumps", "size": 1}]',
            "@pytest.mark.fake_sqs: event_sources=: unknown keys ['size'] in {'queue': 'orders', "
            "'handler': 'json.dumps', 'size': 1}; known: queue, handler, batch_size, "
            "maximum_batching_window, report_batch_item_failures, filter_criteria, "
            "maximum_concurrency, function_name, timeout, memory_size, enabled, region",
        ),
        (
            '[{"queue": "nope", "handler": "json.dumps"}]',
            "@pytest.mark.fake_sqs: event_sources[0]: no queue named 'nope' in account "
            "123456789012; the fake has: orders (us-east-1)",
        ),
        (
            '[{"queue": "orders", "handler": "json.dumps", "batch_size": 11}]',
            "@pytest.mark.fake_sqs: event_sources[0]: An error occurred "
            "(InvalidParameterValueException) when calling the CreateEventSourceMapping "
            "operation: Maximum batch window in seconds must be greater than 0 if maximum batch "
            "size is greater than 10",
        ),
    ],
)
def test_a_bad_event_sources_option_is_a_usage_error(
    pytester: pytest.Pytester, option: str, message: str
):
    pytester.makepyfile(
        test_inner_bad=f"""
        import pytest

        @pytest.mark.fake_sqs(queues=["orders"], event_sources={option})
        def test_bad(fake_sqs):
            pass
        """
    )

    result = pytester.runpytest_inprocess(*NO_HYPOTHESIS)

    result.assert_outcomes(errors=1)
    result.stdout.re_match_lines(
        [r"E\s+pytest\.UsageError: " + re.escape(f"test_inner_bad.py::test_bad: {message}") + "$"]
    )


def test_a_failing_test_shows_the_last_invocations(pytester: pytest.Pytester):
    pytester.makepyfile(orders_handlers=HANDLERS)
    pytester.makepyfile(
        test_inner_report="""
        import pytest

        @pytest.mark.fake_sqs(
            freeze="2024-01-01T00:00:00Z",
            queues=["orders"],
            event_sources=[{"queue": "orders", "handler": "orders_handlers.handle_orders"}],
        )
        def test_fails(fake_sqs, sqs_client):
            url = fake_sqs.queue("orders").url
            sqs_client.send_message(QueueUrl=url, MessageBody='{"bad": true}')
            sqs_client.send_message(QueueUrl=url, MessageBody='{"id": 2}')
            fake_sqs.advance(59)
            assert False
        """
    )

    result = pytester.runpytest_inprocess(*NO_HYPOTHESIS)

    result.assert_outcomes(failed=1)
    expected = [
        "event source mapping handle_orders <- orders (enabled, batch size 10): 2 invocations",
        "  2024-01-01T00:00:00+00:00 2 records ['{\"bad\": true}', '{\"id\": 2}'] -> the handler "
        "raised ValueError: bad order",
        "  2024-01-01T00:00:30+00:00 2 records ['{\"bad\": true}', '{\"id\": 2}'] -> the handler "
        "raised ValueError: bad order",
    ]
    # The last lines of the "fake SQS" section, right before pytest's summary.
    lines = result.stdout.lines
    end = lines.index(next(line for line in lines if "short test summary info" in line))
    assert lines[end - 3 : end] == expected
    assert any(re.match(r"^-+ fake SQS \(fake_sqs\) -+$", line) for line in lines[: end - 3])
