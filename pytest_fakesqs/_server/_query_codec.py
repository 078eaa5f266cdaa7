"""The query protocol: form-encoded requests and XML responses, as the 2012-11-05 API shapes
them, driven by the vendored query model (see ``_models``).

Request keys are read exactly as botocore's QuerySerializer writes them (``Attribute.1.Name``,
``MessageAttribute.1.Value.StringValue``, ``SendMessageBatchRequestEntry.2.Id``), and also in
boto 2's legacy unnumbered forms (``AttributeName=All``, ``Attribute.Name=...``). Responses
are written so that botocore's QueryParser reads back exactly the parsed dict.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable, Mapping
from typing import Any
from xml.sax.saxutils import escape

from botocore.model import OperationModel, Shape, StructureShape

from .._protocols import QUERY_CONTENT_TYPE, query_error
from . import _models
from . import _wire_errors as wire

CONTENT_TYPE = QUERY_CONTENT_TYPE


class _Node:
    """One dotted segment of the request's keys: its value, and the segments below it."""

    __slots__ = ("children", "value")

    def __init__(self) -> None:
        self.value: str | None = None
        self.children: dict[str, _Node] = {}

    def indexed(self) -> list[tuple[int, _Node]]:
        """The numbered children (``.1``, ``.2``...), in numeric order."""
        return sorted((int(key), child) for key, child in self.children.items() if key.isdigit())


def _tree(pairs: Iterable[tuple[str, str]]) -> _Node:
    root = _Node()
    for key, value in pairs:
        node = root
        for part in key.split("."):
            node = node.children.setdefault(part, _Node())
        node.value = value
    return root


def decode_request(operation: OperationModel, pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """The params of a query request's key/value pairs (Action and Version included)."""
    shape = operation.input_shape
    if shape is None:
        return {}
    root = _tree(pairs)
    params = _structure(shape, root, "", check_required=False)
    # Members newer than the query model: the installed model's shape and naming, or the
    # singular name SQS's query API gives lists (MessageSystemAttributeName.1). Unverified
    # against real SQS, which documents no query form for them.
    fallback = _models.json_operation(operation.name)
    if fallback is not None and fallback.input_shape is not None:
        for name, member in fallback.input_shape.members.items():
            if name in shape.members:
                continue
            node = root.children.get(_member_key(member, name))
            if node is None and member.type_name == "list":
                node = root.children.get(name.removesuffix("s"))
            if node is not None:
                value = _decode(member, node, name)
                if value is not _ABSENT:
                    params[name] = value
    _require(shape, params, "")
    return params


def _member_key(shape: Shape, name: str) -> str:
    """The key of a structure member: botocore's naming, both ways."""
    if shape.type_name == "list" and shape.serialization.get("flattened"):
        item_name = shape.member.serialization.get("name")  # type: ignore[attr-defined]
        if item_name:
            return str(item_name)
    return str(shape.serialization.get("name", name))


def _structure(
    shape: StructureShape, node: _Node, path: str, *, check_required: bool = True
) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for name, member in shape.members.items():
        key = _member_key(member, name)
        child = node.children.get(key)
        if child is None:
            empty = node.children.get(name)
            if member.type_name == "list" and empty is not None and empty.value == "":
                # botocore sends an empty flattened list under the member's own name
                # (Entries=), not its item name (SendMessageBatchRequestEntry).
                decoded[name] = []
            continue
        value = _decode(member, child, f"{path}{key}")
        if value is not _ABSENT:
            decoded[name] = value
    if check_required:
        _require(shape, decoded, path)
    return decoded


def _require(shape: StructureShape, decoded: Mapping[str, Any], path: str) -> None:
    for name in shape.required_members:
        if name not in decoded:
            # The model's member name (Tags), not its query key (Tag): SQS serves both
            # protocols from one model, and the JSON protocol names it so (unverified on query).
            raise wire.missing_parameter(f"{path}{name}")


_ABSENT: Any = object()


def _decode(shape: Shape, node: _Node, path: str) -> Any:
    kind = shape.type_name
    if kind == "structure":
        assert isinstance(shape, StructureShape)
        return _structure(shape, node, f"{path}.")
    if kind == "list":
        if shape.serialization.get("flattened"):
            return _list_items(shape, node, path)
        item_name = shape.member.serialization.get("name", "member")  # type: ignore[attr-defined]
        items = node.children.get(item_name)
        if items is None:
            return [] if node.value == "" else _ABSENT
        return _list_items(shape, items, f"{path}.{item_name}")
    if kind == "map":
        return _map(shape, node, path)
    if node.value is None:
        return _ABSENT
    return _scalar(shape, node.value, path)


def _list_items(shape: Shape, node: _Node, path: str) -> list[Any]:
    member = shape.member  # type: ignore[attr-defined]
    indexed = node.indexed()
    if not indexed:
        if node.value is None or node.value == "":
            return []  # botocore sends an empty list as "Name="
        # boto 2 sends a single item unnumbered: AttributeName=All.
        return [_scalar(member, node.value, path)]
    items = [_decode(member, child, f"{path}.{index}") for index, child in indexed]
    return [item for item in items if item is not _ABSENT]


def _map(shape: Shape, node: _Node, path: str) -> dict[str, Any]:
    key_shape = shape.key  # type: ignore[attr-defined]
    value_shape = shape.value  # type: ignore[attr-defined]
    key_name = key_shape.serialization.get("name", "key")
    value_name = value_shape.serialization.get("name", "value")
    entries = node if shape.serialization.get("flattened") else node.children.get("entry")
    if entries is None:
        return {}
    indexed = entries.indexed()
    if not indexed and key_name in entries.children:
        # boto 2 sends a single entry unnumbered: Attribute.Name=...&Attribute.Value=...
        indexed = [(0, entries)]
    decoded: dict[str, Any] = {}
    for index, entry in indexed:
        where = f"{path}.{index}" if index else path
        key_node = entry.children.get(key_name)
        if key_node is None or key_node.value is None:
            raise wire.missing_parameter(f"{where}.{key_name}")
        value_node = entry.children.get(value_name)
        value = (
            _ABSENT
            if value_node is None
            else _decode(value_shape, value_node, f"{where}.{value_name}")
        )
        if value is _ABSENT:
            raise wire.missing_parameter(f"{where}.{value_name}")
        decoded[_scalar(key_shape, key_node.value, f"{where}.{key_name}")] = value
    return decoded


def _scalar(shape: Shape, text: str, path: str) -> Any:
    kind = shape.type_name
    if kind in ("integer", "long"):
        try:
            return int(text.strip())
        except ValueError:
            raise wire.wrong_type(text, path, "an integer") from None
    if kind == "boolean":
        lowered = text.strip().lower()
        if lowered not in ("true", "false"):
            raise wire.wrong_type(text, path, "true or false")
        return lowered == "true"
    if kind == "blob":
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise wire.wrong_type(text, path, "base64-encoded") from None
    if kind in ("float", "double"):
        try:
            return float(text)
        except ValueError:
            raise wire.wrong_type(text, path, "a number") from None
    return text


# --- responses ------------------------------------------------------------------------------


def _text(value: str) -> str:
    # A bare CR would come back as LF from any XML parser: SQS escapes it.
    return escape(value).replace("\r", "&#13;")


def encode_response(operation: OperationModel, parsed: Mapping[str, Any]) -> bytes:
    """The XML body of a successful response."""
    name = operation.name
    parts = [f'<?xml version="1.0"?><{name}Response xmlns="{_models.XML_NAMESPACE}">']
    shape = operation.output_shape
    if shape is not None:
        wrapper = shape.serialization.get("resultWrapper")
        if wrapper:
            parts.append(f"<{wrapper}>")
        _members(shape, parsed, parts)
        if wrapper:
            parts.append(f"</{wrapper}>")
    request_id = parsed["ResponseMetadata"]["RequestId"]
    parts.append(f"<ResponseMetadata><RequestId>{_text(request_id)}</RequestId>")
    parts.append(f"</ResponseMetadata></{name}Response>")
    return "".join(parts).encode()


def _members(shape: Shape, value: Mapping[str, Any], parts: list[str]) -> None:
    members = shape.members  # type: ignore[attr-defined]
    for name, member in members.items():
        item = value.get(name)
        if item is not None:
            _element(member, _member_key(member, name), item, parts)


def _element(shape: Shape, tag: str, value: Any, parts: list[str]) -> None:
    kind = shape.type_name
    if kind == "list":
        member = shape.member  # type: ignore[attr-defined]
        if shape.serialization.get("flattened"):
            for item in value:
                _element(member, tag, item, parts)
            return
        item_tag = member.serialization.get("name", "member")
        parts.append(f"<{tag}>")
        for item in value:
            _element(member, item_tag, item, parts)
        parts.append(f"</{tag}>")
        return
    if kind == "map":
        key_shape = shape.key  # type: ignore[attr-defined]
        value_shape = shape.value  # type: ignore[attr-defined]
        key_tag = key_shape.serialization.get("name", "key")
        value_tag = value_shape.serialization.get("name", "value")
        flattened = shape.serialization.get("flattened")
        if not flattened:
            parts.append(f"<{tag}>")
        for key, item in value.items():
            parts.append(f"<{tag}>" if flattened else "<entry>")
            _element(key_shape, key_tag, key, parts)
            _element(value_shape, value_tag, item, parts)
            parts.append(f"</{tag}>" if flattened else "</entry>")
        if not flattened:
            parts.append(f"</{tag}>")
        return
    if kind == "structure":
        parts.append(f"<{tag}>")
        _members(shape, value, parts)
        parts.append(f"</{tag}>")
        return
    parts.append(f"<{tag}>{_scalar_text(kind, value)}</{tag}>")


def _scalar_text(kind: str, value: Any) -> str:
    if kind == "blob":
        return base64.b64encode(value).decode("ascii")
    if kind == "boolean":
        return "true" if value else "false"
    if kind in ("integer", "long"):
        return str(int(value))
    return _text(str(value))


def encode_error(error: Mapping[str, Any], request_id: str) -> bytes:
    """The XML body of an error, from the engine's canonical ``Error`` dict."""
    error = query_error(error)
    return (
        f'<?xml version="1.0"?><ErrorResponse xmlns="{_models.XML_NAMESPACE}">'
        f"<Error><Type>{error['Type']}</Type><Code>{_text(error['Code'])}</Code>"
        f"<Message>{_text(error['Message'])}</Message><Detail/></Error>"
        f"<RequestId>{_text(request_id)}</RequestId></ErrorResponse>"
    ).encode()
