"""One SQS request on the wire and its answer: decode, serve through the engine, encode.

The HTTP server answers every SQS request through it, and tests/compat/test_differential.py
parses its bytes with botocore's own parsers to check them against the in-process answers.
The protocol is JSON when the request names an ``X-Amz-Target``, else query. Signatures
are accepted without checking; only the region is read from them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

from .. import _errors
from .._engine import Engine, error_response
from . import _json_codec, _models, _query_codec
from . import _wire_errors as wire

_CREDENTIAL = re.compile(r"Credential=[^/,\s]+/\d{8}/([^/,\s]+)/")
_QUEUE_PATH = re.compile(r"^/([^/]+)/([^/]+)/?$")


class Headers(Protocol):
    """Request headers, looked up without regard to case (http.client's and botocore's)."""

    def get(self, name: str, default: Any = None) -> Any: ...


@dataclass(frozen=True, slots=True)
class WireAnswer:
    status: int
    headers: dict[str, str]
    body: bytes
    #: For the request log: the operation asked for ("" if unreadable), its params once
    #: decoded, and the engine's parsed answer.
    operation: str
    params: Mapping[str, Any] | None
    parsed: Mapping[str, Any]


def is_json_protocol(headers: Headers) -> bool:
    return headers.get("X-Amz-Target") is not None


def answer(
    engine: Engine | None,
    *,
    path: str,
    headers: Headers,
    body: bytes,
    default_region: str,
    endpoint: str | None,
) -> WireAnswer:
    """Serve one request whose body has been read; every failure is an AWS-shaped answer.

    ``path`` is the request target (path and query string); ``endpoint`` the
    ``scheme://host:port`` queue URLs are returned on (None: AWS's canonical form).
    """
    json_protocol = is_json_protocol(headers)
    asked = _Asked()
    try:
        if engine is None:
            raise wire.fake_stopped()
        if json_protocol:
            operation, params = _decode_json(path, headers, body, asked)
        else:
            operation, params = _decode_query(path, body, endpoint, asked)
        asked.params = params
        status, parsed = engine.handle(
            operation,
            params,
            _region(path, headers, default_region),
            endpoint=endpoint,
            trace_header=headers.get("X-Amzn-Trace-Id"),
        )
    except _errors.SQSError as error:
        reply = error_answer(engine, json_protocol, error)
    except Exception as bug:
        reply = error_answer(engine, json_protocol, wire.internal(bug))
    else:
        reply = encode(json_protocol, operation, status, parsed)
    return replace(reply, operation=asked.operation, params=asked.params)


@dataclass(slots=True)
class _Asked:
    """What a request asked for, as far as it could be read."""

    operation: str = ""
    params: Mapping[str, Any] | None = None


def error_answer(engine: Engine | None, json_protocol: bool, error: _errors.SQSError) -> WireAnswer:
    """The answer to a request that failed before (or outside) the engine."""
    if engine is None:
        import time
        import uuid

        parsed = error_response(error, str(uuid.uuid4()), time.time())
    else:
        with engine.lock:
            parsed = error_response(error, engine.ids.uuid(), engine.clock.now())
    return encode(json_protocol, "", error.kind.status, parsed)


def encode(
    json_protocol: bool, operation: str, status: int, parsed: Mapping[str, Any]
) -> WireAnswer:
    """The engine's canonical parsed answer as the bytes SQS sends in that protocol."""
    request_id = parsed["ResponseMetadata"]["RequestId"]
    headers = {"x-amzn-RequestId": request_id}
    error = parsed.get("Error")
    if json_protocol:
        headers["Content-Type"] = _json_codec.CONTENT_TYPE
        if error is not None:
            body, extra = _json_codec.encode_error(error)
            headers.update(extra)
        else:
            model = _models.json_operation(operation)
            assert model is not None
            body = _json_codec.encode_response(model, parsed)
    else:
        headers["Content-Type"] = _query_codec.CONTENT_TYPE
        if error is not None:
            body = _query_codec.encode_error(error, request_id)
        else:
            model = _models.query_operation(operation)
            assert model is not None
            body = _query_codec.encode_response(model, parsed)
    return WireAnswer(status, headers, body, operation, None, parsed)


def _path_parts(path: str) -> tuple[str, str]:
    split = urlsplit(path)
    route = split.path or "/"
    if route != "/" and _QUEUE_PATH.match(route) is None:
        raise wire.invalid_address(route)
    return route, split.query


def _decode_json(
    path: str, headers: Headers, body: bytes, asked: _Asked
) -> tuple[str, dict[str, Any]]:
    _path_parts(path)
    target = headers.get("X-Amz-Target", "")
    name = target.removeprefix(_json_codec.TARGET_PREFIX)
    asked.operation = name
    model = _models.json_operation(name) if target.startswith("AmazonSQS.") else None
    if model is None:
        raise wire.unknown_operation(target)
    return name, _json_codec.decode_request(model, body)


def _decode_query(
    path: str, body: bytes, endpoint: str | None, asked: _Asked
) -> tuple[str, dict[str, Any]]:
    route, query = _path_parts(path)
    try:
        pairs = parse_qsl(query, keep_blank_values=True, errors="strict")
        if body:
            pairs += parse_qsl(body.decode(), keep_blank_values=True, errors="strict")
    except (UnicodeDecodeError, ValueError) as error:
        raise wire.malformed_query_string(str(error)) from None
    values = dict(pairs)
    action = values.get("Action")
    if not action:
        raise wire.missing_action()
    asked.operation = action
    model = _models.query_operation(action)
    if model is None:
        raise wire.invalid_action(action)
    input_shape = model.input_shape
    if (
        route != "/"
        and "QueueUrl" not in values
        and input_shape is not None
        and "QueueUrl" in input_shape.members
    ):
        # boto 2 and the old query API name the queue in the request's path.
        pairs.append(("QueueUrl", (endpoint or "") + route.rstrip("/")))
    return action, _query_codec.decode_request(model, pairs)


def _region(path: str, headers: Headers, default: str) -> str:
    found = _CREDENTIAL.search(headers.get("Authorization", "") or "")
    if found is None:
        query = dict(parse_qsl(urlsplit(path).query))
        found = _CREDENTIAL.search("Credential=" + query.get("X-Amz-Credential", ""))
    return found.group(1) if found else default
