"""The control plane: ``/_fakesqs/...`` on the server's own port, JSON in and out.

It lets a test suite in any language drive the fake the way a Python test drives it
in-process: move the clock, reset, read every queue, and probe readiness. Each endpoint calls
the public `FakeSQS` API (`advance()`, `reset()`, `queues()` and the views), so it behaves
exactly as in-process. No SQS request uses these paths (SQS paths are ``/`` and
``/<account>/<queue>``, and accounts are twelve digits).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import math
from collections.abc import Callable, Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .._fake import FakeSQS
    from .._inspect import QueueView

PREFIX = "/_fakesqs"
CONTENT_TYPE = "application/json"
#: The latest instant a datetime can show (9999-12-31T23:59:59Z): advancing past it would
#: leave the fake with a time nothing can print.
_LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=timezone.utc).timestamp()


class ControlError(Exception):
    """A request the control plane refuses: answered with ``status`` and a JSON error body."""

    def __init__(self, status: int, code: str, message: str, *, allow: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        #: For 405: the method the path takes (the ``Allow`` header).
        self.allow = allow


@dataclasses.dataclass(frozen=True)
class Answer:
    status: int
    body: dict[str, Any]
    headers: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def encode(self) -> bytes:
        return json.dumps(self.body, ensure_ascii=False).encode("utf-8")


def is_control_path(path: str) -> bool:
    return path == PREFIX or path.startswith(PREFIX + "/")


def answer(fake: FakeSQS, method: str, path: str, body: bytes, endpoint: str) -> Answer:
    """Serve one control-plane request; every refusal is a JSON error, never a traceback."""
    try:
        route = _ROUTES.get(path.rstrip("/"))
        if route is None:
            raise ControlError(404, "NotFound", f"no control endpoint {path}; there are: {_LIST}")
        wanted, serve = route
        if method != wanted:
            raise ControlError(
                405, "MethodNotAllowed", f"{path} takes {wanted}, not {method}", allow=wanted
            )
        if not fake.active:
            raise ControlError(503, "FakeStopped", "the fake behind this server has stopped")
        return Answer(200, serve(fake, body, endpoint))
    except ControlError as error:
        return error_answer(error)


def error_answer(error: ControlError) -> Answer:
    headers = {"Allow": error.allow} if error.allow else {}
    return Answer(error.status, {"error": {"code": error.code, "message": error.message}}, headers)


# --- the endpoints ------------------------------------------------------------------------------


def _advance(fake: FakeSQS, body: bytes, endpoint: str) -> dict[str, Any]:
    request = _json_object(body, required=True)
    unknown = sorted(set(request) - {"seconds"})
    if unknown or "seconds" not in request:
        raise ControlError(
            400,
            "InvalidParameter",
            f'the body is {{"seconds": N}}; got {json.dumps(request, ensure_ascii=False)}',
        )
    seconds = request["seconds"]
    if isinstance(seconds, bool) or not isinstance(seconds, (int, float)):
        raise ControlError(
            400, "InvalidParameter", f"seconds must be a number, got {json.dumps(seconds)}"
        )
    if not math.isfinite(seconds) or seconds < 0:
        raise ControlError(
            400,
            "InvalidParameter",
            f"seconds must be a finite number >= 0 (the clock only moves forward), got {seconds}",
        )
    if fake.time + seconds > _LATEST:
        raise ControlError(
            400, "InvalidParameter", f"{seconds} seconds would move the clock past the year 9999"
        )
    fake.advance(seconds)
    return _now(fake)


def _reset(fake: FakeSQS, body: bytes, endpoint: str) -> dict[str, Any]:
    if _json_object(body, required=False):
        raise ControlError(400, "InvalidParameter", "reset takes no parameters")
    fake.reset()
    return {**_now(fake), "queues": [_url(view, endpoint) for view in fake.queues()]}


def _state(fake: FakeSQS, body: bytes, endpoint: str) -> dict[str, Any]:
    return {**_now(fake), "queues": [_queue_state(view, endpoint) for view in fake.queues()]}


def _health(fake: FakeSQS, body: bytes, endpoint: str) -> dict[str, Any]:
    return {"status": "ok"}


_ROUTES: dict[str, tuple[str, Callable[[FakeSQS, bytes, str], dict[str, Any]]]] = {
    f"{PREFIX}/advance": ("POST", _advance),
    f"{PREFIX}/reset": ("POST", _reset),
    f"{PREFIX}/state": ("GET", _state),
    f"{PREFIX}/health": ("GET", _health),
}
_LIST = ", ".join(f"{method} {path}" for path, (method, _) in _ROUTES.items())


# --- JSON in and out ----------------------------------------------------------------------------


def _json_object(body: bytes, *, required: bool) -> dict[str, Any]:
    if not body.strip():
        if required:
            raise ControlError(400, "InvalidJSON", 'the body must be a JSON object: {"seconds": N}')
        return {}
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise ControlError(400, "InvalidJSON", f"the body is not JSON: {error}") from None
    if not isinstance(value, dict):
        raise ControlError(400, "InvalidJSON", "the body must be a JSON object")
    return value


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


def _now(fake: FakeSQS) -> dict[str, Any]:
    return {"now": _iso(fake.now), "time": fake.time}


def _url(view: QueueView, endpoint: str) -> str:
    # As GetQueueUrl answers through this server: on the endpoint the client called.
    return f"{endpoint}/{view.account_id}/{view.name}"


def _queue_state(view: QueueView, endpoint: str) -> dict[str, Any]:
    return {
        "name": view.name,
        "url": _url(view, endpoint),
        "arn": view.arn,
        "region": view.region,
        "account_id": view.account_id,
        "fifo": view.fifo,
        "attributes": view.attributes,
        "tags": view.tags,
        "messages": [_jsonable(dataclasses.asdict(message)) for message in view.messages],
    }


def _jsonable(value: Any) -> Any:
    """A MessageView's fields as JSON: datetimes in ISO 8601 (UTC, "Z"), binary values in
    base64."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, Mapping):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(item) for item in value]
    return value
