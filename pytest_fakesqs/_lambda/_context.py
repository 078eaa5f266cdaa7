"""The ``context`` object a Lambda handler receives, on the fake's clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LambdaContext:
    """The `context` argument of a handler run by an
    `EventSourceMapping`, with the attributes of the AWS
    Lambda Python runtime's context object.

    Its time is the fake's: `get_remaining_time_in_millis()` counts down from the function's
    `timeout` as the fake's clock moves (a long poll in the handler moves it, real time does
    not). Made by the mapping for each invocation; the constructor is private.
    """

    function_name: str
    """The function's name (the mapping's `function_name`)."""
    function_version: str
    """Always `"$LATEST"`."""
    invoked_function_arn: str
    """`arn:aws:lambda:{region}:{account}:function:{function_name}`."""
    memory_limit_in_mb: str
    """The function's memory size, as a string, as the Python runtime gives it."""
    aws_request_id: str
    """This invocation's request id (a UUID from the fake's seeded ids)."""
    log_group_name: str
    """`/aws/lambda/{function_name}`."""
    log_stream_name: str
    """The log stream of the mapping's one execution environment."""
    identity: Any
    """Always None (set only for Amazon Cognito callers of mobile SDKs)."""
    client_context: Any
    """Always None (set only for mobile SDK callers)."""

    def __init__(
        self,
        *,
        function_name: str,
        invoked_function_arn: str,
        memory_limit_in_mb: int,
        aws_request_id: str,
        log_stream_name: str,
        deadline: float,
        now: Callable[[], float],
    ) -> None:
        self.function_name = function_name
        self.function_version = "$LATEST"
        self.invoked_function_arn = invoked_function_arn
        self.memory_limit_in_mb = str(memory_limit_in_mb)
        self.aws_request_id = aws_request_id
        self.log_group_name = f"/aws/lambda/{function_name}"
        self.log_stream_name = log_stream_name
        self.identity = None
        self.client_context = None
        self._deadline = deadline
        self._now = now

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds of fake time left before the function's timeout (0 once it passed)."""
        return max(0, round((self._deadline - self._now()) * 1000))

    def __repr__(self) -> str:
        return f"<LambdaContext {self.function_name} request {self.aws_request_id}>"
