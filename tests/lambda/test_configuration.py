"""What CreateEventSourceMapping refuses, raised as boto3's Lambda client raises it: botocore's
client-side ParamValidationError, the service's ValidationException, and Lambda's modelled
InvalidParameterValueException and ResourceConflictException (texts recorded on AWS where
noted)."""

from __future__ import annotations

import json
from typing import Any

import botocore.session
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from conftest import START, Recorder, arn, create

from pytest_fakesqs import FakeSQS
from pytest_fakesqs._lambda import _settings

pytestmark = pytest.mark.fake_sqs(freeze=START)


def handler(event: dict[str, Any], context: Any) -> None:
    """A handler named ``handler``."""


def refused(fake: FakeSQS, queue: str, **options: Any) -> ClientError:
    with pytest.raises(ClientError) as excinfo:
        fake.event_source_mapping(queue, handler, **options)
    assert fake.event_source_mappings == []
    return excinfo.value


def test_invalid_parameter_value_has_lambdas_recorded_shape(fake_sqs: FakeSQS, sqs: Any):
    create(sqs, "orders")

    error = refused(fake_sqs, "orders", batch_size=11)

    message = (
        "Maximum batch window in seconds must be greater than 0 if maximum batch size is "
        "greater than 10"
    )
    assert type(error).__name__ == "InvalidParameterValueException"
    assert error.operation_name == "CreateEventSourceMapping"
    assert str(error) == (
        "An error occurred (InvalidParameterValueException) when calling the "
        f"CreateEventSourceMapping operation: {message}"
    )
    response = dict(error.response)
    metadata = response.pop("ResponseMetadata")
    assert response == {
        "Error": {"Code": "InvalidParameterValueException", "Message": message},
        "Type": "User",
        "message": message,
    }
    assert metadata["HTTPStatusCode"] == 400


def test_a_batch_above_ten_is_fine_with_a_window(fake_sqs: FakeSQS, sqs: Any):
    create(sqs, "orders")

    mapping = fake_sqs.event_source_mapping(
        "orders", handler, batch_size=10_000, maximum_batching_window=1
    )

    assert (mapping.batch_size, mapping.maximum_batching_window) == (10_000, 1)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        # A FIFO mapping of batch size 100 with a window was refused with this on AWS: the
        # window comes first.
        (
            {"batch_size": 100, "maximum_batching_window": 5},
            "Batching window is not supported for FIFO queues",
        ),
        ({"maximum_batching_window": 1}, "Batching window is not supported for FIFO queues"),
        (
            {"batch_size": 11},
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is "
            "greater than 10",
        ),
    ],
)
def test_fifo_queues_take_no_window_so_at_most_ten(
    fake_sqs: FakeSQS, sqs: Any, options: dict[str, Any], message: str
):
    create(sqs, "orders.fifo")

    error = refused(fake_sqs, "orders.fifo", **options)

    assert error.response["Error"] == {"Code": "InvalidParameterValueException", "Message": message}


def test_the_function_timeout_may_not_exceed_the_queues_visibility_timeout(
    fake_sqs: FakeSQS, sqs: Any
):
    create(sqs, "orders")

    error = refused(fake_sqs, "orders", timeout=60)

    assert error.response["Error"]["Message"] == (
        "Queue visibility timeout: 30 seconds is less than Function timeout: 60 seconds"
    )
    assert fake_sqs.event_source_mapping("orders", handler, timeout=30).timeout == 30


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"batch_size": 10_001, "maximum_batching_window": 1},
            "1 validation error detected: Value '10001' at 'batchSize' failed to satisfy "
            "constraint: Member must have value less than or equal to 10000",
        ),
        (
            {"maximum_batching_window": 301},
            "1 validation error detected: Value '301' at 'maximumBatchingWindowInSeconds' failed "
            "to satisfy constraint: Member must have value less than or equal to 300",
        ),
        (
            {"batch_size": 20_000, "maximum_concurrency": 1001},
            "2 validation errors detected: Value '20000' at 'batchSize' failed to satisfy "
            "constraint: Member must have value less than or equal to 10000; Value '1001' at "
            "'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have "
            "value less than or equal to 1000",
        ),
    ],
)
def test_values_above_the_models_maximums_are_the_services_validation_errors(
    fake_sqs: FakeSQS, sqs: Any, options: dict[str, Any], message: str
):
    create(sqs, "orders")

    error = refused(fake_sqs, "orders", **options)

    assert type(error) is ClientError
    assert error.response["Error"] == {"Code": "ValidationException", "Message": message}


@pytest.mark.parametrize(
    ("options", "report"),
    [
        ({"batch_size": 0}, "Invalid value for parameter BatchSize, value: 0, valid min value: 1"),
        (
            {"maximum_concurrency": 1},
            "Invalid value for parameter ScalingConfig.MaximumConcurrency, value: 1, valid min "
            "value: 2",
        ),
        (
            {"maximum_batching_window": 1.5},
            "Invalid type for parameter MaximumBatchingWindowInSeconds, value: 1.5, type: "
            "<class 'float'>, valid types: <class 'int'>",
        ),
        (
            {"batch_size": "10"},
            "Invalid type for parameter BatchSize, value: 10, type: <class 'str'>, valid types: "
            "<class 'int'>",
        ),
    ],
)
def test_types_and_minimums_are_botocores_client_side_errors(
    fake_sqs: FakeSQS, sqs: Any, options: dict[str, Any], report: str
):
    create(sqs, "orders")

    with pytest.raises(ParamValidationError) as excinfo:
        fake_sqs.event_source_mapping("orders", handler, **options)

    assert str(excinfo.value) == f"Parameter validation failed:\n{report}"


def test_the_checked_limits_are_botocores_lambda_model(fake_sqs: FakeSQS):
    model = botocore.session.get_session().get_service_model("lambda")
    shape = model.operation_model("CreateEventSourceMapping").input_shape
    scaling = shape.members["ScalingConfig"].members["MaximumConcurrency"]
    pattern = shape.members["FilterCriteria"].members["Filters"].member.members["Pattern"]

    assert {
        "BatchSize": shape.members["BatchSize"].metadata,
        "MaximumBatchingWindowInSeconds": shape.members["MaximumBatchingWindowInSeconds"].metadata,
        "MaximumConcurrency": scaling.metadata,
        "Pattern": {key: pattern.metadata[key] for key in ("min", "max")},
    } == {
        name: {key: _settings._SHAPES[name][key] for key in ("min", "max")}
        for name in ("BatchSize", "MaximumBatchingWindowInSeconds", "MaximumConcurrency", "Pattern")
    }


def test_a_second_mapping_of_the_same_function_and_queue_is_a_conflict(fake_sqs: FakeSQS, sqs: Any):
    create(sqs, "orders")
    first = fake_sqs.event_source_mapping("orders", handler)

    error = refused_again(fake_sqs)

    # Recorded on AWS, spaces inside the quotes included.
    assert type(error).__name__ == "ResourceConflictException"
    assert error.response["Error"] == {
        "Code": "ResourceConflictException",
        "Message": f'An event source mapping with SQS arn (" {arn("orders")} ") and function '
        f'(" handler ") already exists. Please update or delete the existing mapping with UUID '
        f"{first.uuid}",
    }
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 409
    # Another function on the same queue is fine: they compete for its messages.
    other = fake_sqs.event_source_mapping("orders", handler, function_name="other")
    assert fake_sqs.event_source_mappings == [first, other]


def refused_again(fake: FakeSQS) -> ClientError:
    with pytest.raises(ClientError) as excinfo:
        fake.event_source_mapping("orders", handler)
    return excinfo.value


@pytest.mark.parametrize(
    "pattern",
    [
        "null",
        "simple string",
        json.dumps({"eventSource": "aws:sqs"}),
        json.dumps({"eventSource": []}),
        json.dumps({}),
        json.dumps({"body": {}}),
        json.dumps({"body": {"n": [{"numeric": [">", "ten"]}]}}),
        json.dumps({"body": {"n": [{"numeric": ["<", 1, ">", 0]}]}}),
        json.dumps({"body": {"n": [{"unknown-operator": 1}]}}),
        json.dumps({"body": {"n": [{"exists": "yes"}]}}),
        json.dumps({"body": {"n": [{"prefix": 1}]}}),
        json.dumps({"body": {"n": [{"anything-but": []}]}}),
        json.dumps({"body": {"n": [["nested"]]}}),
    ],
)
def test_patterns_lambda_cannot_read_are_refused(fake_sqs: FakeSQS, sqs: Any, pattern: str):
    # The first four recorded on AWS.
    create(sqs, "orders")

    error = refused(fake_sqs, "orders", filter_criteria={"Filters": [{"Pattern": pattern}]})

    assert error.response["Error"] == {
        "Code": "InvalidParameterValueException",
        "Message": "Invalid filter pattern definition.",
    }


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        ({"body": {"file": [{"wildcard": "*.png"}]}}, "operator 'wildcard'"),
        ({"$or": [{"a": ["1"]}, {"b": ["2"]}]}, "operator '$or'"),
        ({"body": {"ip": [{"cidr": "10.0.0.0/24"}]}}, "operator 'cidr'"),
        ({"body": {"s": [{"anything-but": {"prefix": "a"}}]}}, "'anything-but' with ['prefix']"),
        (
            {"body": {"s": [{"prefix": {"equals-ignore-case": "a"}}]}},
            "'prefix' with ['equals-ignore-case']",
        ),
    ],
)
def test_eventbridge_operators_lambda_does_not_document_are_named_as_not_modelled(
    fake_sqs: FakeSQS, sqs: Any, pattern: dict[str, Any], what: str
):
    create(sqs, "orders")

    with pytest.raises(NotImplementedError) as excinfo:
        fake_sqs.event_source_mapping("orders", handler, filter_criteria=[pattern])

    assert str(excinfo.value) == (
        f"pytest-fakesqs does not model the event filter {what}; the operators it models are "
        "equals, prefix, suffix, equals-ignore-case, anything-but (values), exists and numeric"
    )


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        (
            {"function_name": "bad name"},
            ValueError,
            "function_name= is a Lambda function name: 1 to 64 letters, digits, '-' and '_', "
            "got 'bad name'",
        ),
        (
            {"timeout": 0},
            ValueError,
            "timeout= is a Lambda function's timeout, an int from 1 to 900",
        ),
        (
            {"memory_size": 64},
            ValueError,
            "memory_size= is a Lambda function's memory_size, an int from 128 to 10240",
        ),
        (
            {"report_batch_item_failures": "yes"},
            TypeError,
            "report_batch_item_failures= takes True or False, got 'yes'",
        ),
        ({"enabled": 1}, TypeError, "enabled= takes True or False, got 1"),
        (
            {"filter_criteria": "{}"},
            TypeError,
            "filter_criteria= takes Lambda's {'Filters': [{'Pattern': '...'}]} or a list of "
            "patterns (dicts or JSON text), got '{}'",
        ),
    ],
)
def test_the_functions_own_settings_are_checked_by_the_fake(
    fake_sqs: FakeSQS, sqs: Any, options: dict[str, Any], error: type[Exception], message: str
):
    create(sqs, "orders", VisibilityTimeout=900)

    with pytest.raises(error) as excinfo:
        fake_sqs.event_source_mapping("orders", handler, **options)

    assert str(excinfo.value) == message


def test_queues_are_found_by_name_url_arn_or_view_and_unknown_ones_are_listed(
    fake_sqs: FakeSQS, sqs: Any
):
    url = create(sqs, "orders")
    found = [
        fake_sqs.event_source_mapping(queue, handler, function_name=f"f{n}").event_source_arn
        for n, queue in enumerate(["orders", url, arn("orders"), fake_sqs.queue("orders")])
    ]

    assert found == [arn("orders")] * 4
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.event_source_mapping("nope", handler)
    assert str(excinfo.value) == (
        "no queue named 'nope' in account 123456789012; the fake has: orders (us-east-1)"
    )
    with pytest.raises(LookupError) as excinfo:
        fake_sqs.event_source_mapping(arn("nope"), handler)
    assert str(excinfo.value) == f"no queue {arn('nope')!r}; the fake has: orders (us-east-1)"


def test_a_handler_by_dotted_path(fake_sqs: FakeSQS, sqs: Any):
    create(sqs, "orders")

    by_dots = fake_sqs.event_source_mapping("orders", "json.dumps")
    by_colon = fake_sqs.event_source_mapping("orders", "json:loads")

    assert (by_dots.handler, by_dots.function_name) == (json.dumps, "dumps")
    assert (by_colon.handler, by_colon.function_name) == (json.loads, "loads")
    with pytest.raises(ValueError) as excinfo:
        fake_sqs.event_source_mapping("orders", "json.nothing_here")
    assert str(excinfo.value) == "handler 'json.nothing_here': json has no nothing_here"
    with pytest.raises(TypeError) as type_error:
        fake_sqs.event_source_mapping("orders", 42)
    assert str(type_error.value) == "handler= takes a callable or its dotted path, got 42"


def test_the_mapping_reports_its_configuration(fake_sqs: FakeSQS, sqs: Any):
    create(sqs, "orders", VisibilityTimeout=60)
    pattern = {"body": {"kind": ["order"]}}

    mapping = fake_sqs.event_source_mapping(
        "orders",
        Recorder(),
        batch_size=50,
        maximum_batching_window=__import__("datetime").timedelta(seconds=30),
        report_batch_item_failures=True,
        filter_criteria=[pattern],
        maximum_concurrency=3,
        function_name="orders-worker",
        timeout=20,
    )

    assert (
        mapping.batch_size,
        mapping.maximum_batching_window,
        mapping.report_batch_item_failures,
        mapping.filter_criteria,
        mapping.maximum_concurrency,
        mapping.function_name,
        mapping.timeout,
        mapping.enabled,
        mapping.queue.name,
    ) == (
        50,
        30,
        True,
        {"Filters": [{"Pattern": json.dumps(pattern)}]},
        3,
        "orders-worker",
        20,
        True,
        "orders",
    )
    assert repr(mapping) == "<EventSourceMapping orders-worker <- orders (enabled, 0 invocations)>"
