"""The MD5 digests SQS returns, computed exactly as SQS and the AWS SDKs compute them."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Mapping

from .message import AttributeValue

_STRING_TRANSPORT = b"\x01"
_BINARY_TRANSPORT = b"\x02"


def md5_of_body(body: str) -> str:
    return hashlib.md5(body.encode("utf-8"), usedforsecurity=False).hexdigest()


def _length_prefixed(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def md5_of_attributes(attributes: Mapping[str, AttributeValue]) -> str:
    """MD5 over attributes sorted by name: name, data type, transport byte, value."""
    digest = hashlib.md5(usedforsecurity=False)
    for name in sorted(attributes):
        value = attributes[name]
        digest.update(_length_prefixed(name.encode("utf-8")))
        digest.update(_length_prefixed(value.data_type.encode("utf-8")))
        if value.binary_value is not None:
            digest.update(_BINARY_TRANSPORT)
            digest.update(_length_prefixed(value.binary_value))
        else:
            digest.update(_STRING_TRANSPORT)
            digest.update(_length_prefixed((value.string_value or "").encode("utf-8")))
    return digest.hexdigest()
