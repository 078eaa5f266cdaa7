"""A mapping's options, checked as Lambda's CreateEventSourceMapping checks them.

The checks run in the order a request meets them: botocore's client-side validation (types,
minimums), the service's model validation (maximums), then Lambda's own rules for SQS
(recorded texts; see docs/lambda.md for the sources).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import _errors, _filters

#: A Lambda batch: at most this many messages without a batching window.
MAX_UNWINDOWED_BATCH = 10
#: The function's own settings Lambda uses when the test gives none (its defaults).
DEFAULT_TIMEOUT = 3
DEFAULT_MEMORY_SIZE = 128
_FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")

#: The request members checked, with the constraints of botocore's Lambda model (a test keeps
#: them equal to botocore's): loading the whole Lambda model costs a quarter of a second.
_SHAPES: dict[str, Any] = {
    "Request": {
        "type": "structure",
        "members": {
            "BatchSize": {"shape": "BatchSize"},
            "MaximumBatchingWindowInSeconds": {"shape": "MaximumBatchingWindowInSeconds"},
            "ScalingConfig": {"shape": "ScalingConfig"},
            "FilterCriteria": {"shape": "FilterCriteria"},
        },
    },
    "BatchSize": {"type": "integer", "min": 1, "max": 10000},
    "MaximumBatchingWindowInSeconds": {"type": "integer", "min": 0, "max": 300},
    "ScalingConfig": {
        "type": "structure",
        "members": {"MaximumConcurrency": {"shape": "MaximumConcurrency"}},
    },
    "MaximumConcurrency": {"type": "integer", "min": 2, "max": 1000},
    "FilterCriteria": {"type": "structure", "members": {"Filters": {"shape": "FilterList"}}},
    "FilterList": {"type": "list", "member": {"shape": "Filter"}},
    "Filter": {"type": "structure", "members": {"Pattern": {"shape": "Pattern"}}},
    "Pattern": {"type": "string", "min": 0, "max": 4096, "pattern": "[\\s\\S]*"},
}
#: Where the service's validation message puts each checked maximum (its camelCase paths).
_MAXIMUMS = (
    (("BatchSize",), "batchSize", 10000),
    (("MaximumBatchingWindowInSeconds",), "maximumBatchingWindowInSeconds", 300),
    (("ScalingConfig", "MaximumConcurrency"), "scalingConfig.maximumConcurrency", 1000),
)


@functools.lru_cache(maxsize=1)
def _request_shape() -> Any:
    from botocore.model import ShapeResolver

    return ShapeResolver(_SHAPES).get_shape_by_name("Request")


@dataclass(frozen=True)
class Settings:
    """A mapping's checked options."""

    batch_size: int
    maximum_batching_window: int
    report_batch_item_failures: bool
    #: The patterns as Lambda's FilterCriteria holds them (JSON text), and parsed.
    filter_patterns: tuple[str, ...]
    filters: tuple[dict[str, Any], ...]
    maximum_concurrency: int | None
    function_name: str
    timeout: int
    memory_size: int


def _bool(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"{name}= takes True or False, got {value!r}")
    return value


def _function_setting(name: str, value: Any, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name}= is a Lambda function's {name}, an int from {low} to {high}")
    return value


def _window_seconds(value: Any) -> Any:
    """A timedelta of whole seconds is taken as its seconds; anything else goes to botocore's
    validator as given (which refuses a float as Lambda's client does)."""
    total = getattr(value, "total_seconds", None)
    if total is not None and float(total()).is_integer():
        return int(total())
    return value


def check(
    *,
    batch_size: Any,
    maximum_batching_window: Any,
    report_batch_item_failures: Any,
    filter_criteria: Any,
    maximum_concurrency: Any,
    function_name: str,
    timeout: Any,
    memory_size: Any,
    fifo: bool,
    visibility_timeout: int,
    request_id: Callable[[], str],
) -> Settings:
    """The checked settings; raises what Lambda (or botocore) raises for invalid ones."""
    if not isinstance(function_name, str) or not _FUNCTION_NAME.fullmatch(function_name):
        raise ValueError(
            "function_name= is a Lambda function name: 1 to 64 letters, digits, '-' and '_', "
            f"got {function_name!r}"
        )
    timeout = _function_setting("timeout", timeout, 1, 900)
    memory_size = _function_setting("memory_size", memory_size, 128, 10240)
    report = _bool("report_batch_item_failures", report_batch_item_failures)
    window = _window_seconds(maximum_batching_window)
    patterns = None if filter_criteria is None else _filters.criteria_patterns(filter_criteria)

    request: dict[str, Any] = {"BatchSize": batch_size, "MaximumBatchingWindowInSeconds": window}
    if maximum_concurrency is not None:
        request["ScalingConfig"] = {"MaximumConcurrency": maximum_concurrency}
    if patterns is not None:
        request["FilterCriteria"] = {"Filters": [{"Pattern": text} for text in patterns]}
    _client_side_validation(request)
    _model_validation(request, request_id)

    def refuse(message: str) -> Exception:
        return _errors.lambda_error(_errors.INVALID_PARAMETER_VALUE, message, request_id())

    if batch_size > MAX_UNWINDOWED_BATCH and window == 0:
        raise refuse(
            "Maximum batch window in seconds must be greater than 0 if maximum batch size is "
            "greater than 10"
        )
    if fifo and window > 0:
        # On AWS this comes before any FIFO batch-size check: a FIFO mapping of batch size 100
        # with a 5-second window was refused with this text.
        raise refuse("Batching window is not supported for FIFO queues")
    try:
        filters = tuple(_filters.parse_pattern(text) for text in patterns or ())
    except _filters.InvalidPattern as error:
        raise refuse(str(error)) from None
    if visibility_timeout < timeout:
        raise refuse(
            f"Queue visibility timeout: {visibility_timeout} seconds is less than Function "
            f"timeout: {timeout} seconds"
        )
    return Settings(
        batch_size=batch_size,
        maximum_batching_window=window,
        report_batch_item_failures=report,
        filter_patterns=tuple(patterns or ()),
        filters=filters,
        maximum_concurrency=maximum_concurrency,
        function_name=function_name,
        timeout=timeout,
        memory_size=memory_size,
    )


def _client_side_validation(request: dict[str, Any]) -> None:
    """What botocore's Lambda client refuses before sending: types and minimums."""
    from botocore.exceptions import ParamValidationError
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(request, _request_shape())
    if report.has_errors():
        raise ParamValidationError(report=report.generate_report())


def _model_validation(request: dict[str, Any], request_id: Callable[[], str]) -> None:
    """The service's check of the model's maximums, in its usual text."""
    problems = []
    for path, name, maximum in _MAXIMUMS:
        value: Any = request
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None and value > maximum:
            problems.append(
                f"Value '{value}' at '{name}' failed to satisfy constraint: Member must have "
                f"value less than or equal to {maximum}"
            )
    if problems:
        count = len(problems)
        message = f"{count} validation error{'s' if count > 1 else ''} detected: " + "; ".join(
            problems
        )
        raise _errors.lambda_error(_errors.VALIDATION, message, request_id())
