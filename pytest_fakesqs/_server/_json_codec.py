"""The JSON protocol (``application/x-amz-json-1.0``), driven by the installed service model.

A request body becomes the params botocore would have passed (checked against the input shape,
as botocore's ParamValidator checks them client side); a parsed response becomes the body
botocore parses back into it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from typing import Any

from botocore.model import OperationModel, Shape, StructureShape

from .._protocols import JSON_CONTENT_TYPE
from . import _wire_errors as wire

CONTENT_TYPE = JSON_CONTENT_TYPE
TARGET_PREFIX = "AmazonSQS."
ERROR_TYPE_PREFIX = "com.amazonaws.sqs#"

_JSON_TYPES = {
    "string": "a string",
    "integer": "an integer",
    "long": "an integer",
    "boolean": "a boolean",
    "blob": "a base64-encoded string",
    "list": "a list",
    "map": "an object",
    "structure": "an object",
    "float": "a number",
    "double": "a number",
}


def decode_request(operation: OperationModel, body: bytes) -> dict[str, Any]:
    """The params of a JSON request body; AWS-shaped errors for what SQS would refuse."""
    if not body.strip():
        document: Any = {}
    else:
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise wire.serialization(f"The request body is not valid JSON: {error}") from None
    shape = operation.input_shape
    if not isinstance(document, dict):
        raise wire.serialization("The request body must be a JSON object.")
    if shape is None:
        return {}
    params: dict[str, Any] = _structure(shape, document, "")
    return params


def _decode(shape: Shape, value: Any, name: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        if not isinstance(value, dict):
            raise _wrong(value, name, kind)
        return _structure(shape, value, f"{name}.")
    if kind == "list":
        if not isinstance(value, list):
            raise _wrong(value, name, kind)
        member = shape.member  # type: ignore[attr-defined]
        return [_decode(member, item, f"{name}.{i}") for i, item in enumerate(value, 1)]
    if kind == "map":
        if not isinstance(value, dict):
            raise _wrong(value, name, kind)
        value_shape = shape.value  # type: ignore[attr-defined]
        return {
            key: _decode(value_shape, item, f"{name}.{key}")
            for key, item in value.items()
            if item is not None
        }
    if kind == "string":
        if not isinstance(value, str):
            raise _wrong(value, name, kind)
        return value
    if kind in ("integer", "long"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise _wrong(value, name, kind)
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _wrong(value, name, kind)
        return value
    if kind == "blob":
        if not isinstance(value, str):
            raise _wrong(value, name, kind)
        try:
            return base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            raise _wrong(value, name, kind) from None
    if kind in ("float", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise _wrong(value, name, kind)
        return value
    return value


def _structure(shape: StructureShape, value: Mapping[str, Any], prefix: str) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    members = shape.members
    # Unknown members are ignored, as SQS ignores them; a null is as good as absent.
    for key, item in value.items():
        member = members.get(key)
        if member is not None and item is not None:
            decoded[key] = _decode(member, item, f"{prefix}{key}")
    for required in shape.required_members:
        if required not in decoded:
            raise wire.missing_parameter(f"{prefix}{required}")
    return decoded


def _wrong(value: Any, name: str, kind: str) -> Exception:
    shown = json.dumps(value)
    if len(shown) > 80:
        shown = shown[:77] + "..."
    return wire.serialization(
        f"Value {shown} for parameter {name} is invalid. Reason: must be {_JSON_TYPES[kind]}."
    )


def encode_response(operation: OperationModel, parsed: Mapping[str, Any]) -> bytes:
    """The JSON body of a successful response (ResponseMetadata travels in headers)."""
    shape = operation.output_shape
    document = {} if shape is None else _encode(shape, parsed)
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


def _encode(shape: Shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        members = shape.members  # type: ignore[attr-defined]
        return {
            key: _encode(members[key], item)
            for key, item in value.items()
            if key in members and item is not None
        }
    if kind == "list":
        member = shape.member  # type: ignore[attr-defined]
        return [_encode(member, item) for item in value]
    if kind == "map":
        value_shape = shape.value  # type: ignore[attr-defined]
        return {key: _encode(value_shape, item) for key, item in value.items()}
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    return value


def encode_error(error: Mapping[str, Any]) -> tuple[bytes, dict[str, str]]:
    """The body and extra headers of an error, from the parsed ``Error`` dict."""
    body = {"__type": ERROR_TYPE_PREFIX + error["QueryErrorCode"], "message": error["Message"]}
    headers = {"x-amzn-query-error": f"{error['Code']};{error['Type']}"}
    return json.dumps(body, ensure_ascii=False).encode(), headers
