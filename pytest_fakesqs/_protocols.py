"""What one answer looks like to a client of each SQS protocol, and of each service model.

The engine answers in one canonical form: the parsed dict a JSON-protocol botocore gets from
SQS, without the members that depend on the client's service model. This module turns that
into exactly what the calling client's botocore would have parsed from AWS's bytes:

- JSON protocol: an error whose legacy ``Code`` names a modelled error shape of the client's
  model (``InvalidAttributeName``, ``ResourceNotFoundException``...) also carries the shape's
  members at the top level, as botocore's endpoint adds them (``"message": "..."``). Which
  shapes exist depends on the botocore release, hence the service model.
- Query protocol (botocore before 1.31, or any client built from a query model): ``Error`` is
  ``{Code, Message, Type, Detail: None}`` with no ``QueryErrorCode`` (recorded on AWS), and a
  few messages have their query-era text.

The localhost server's codecs use the same functions, so the two paths cannot drift apart;
tests/compat/test_differential.py checks both against botocore's own parsers.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._errors import QUERY_PROTOCOL_MESSAGES

JSON_CONTENT_TYPE = "application/x-amz-json-1.0"
QUERY_CONTENT_TYPE = "text/xml"


@dataclass(frozen=True, slots=True)
class ClientProtocol:
    """What a client's service model decides about the shape of its answers."""

    query: bool
    #: Legacy error code -> the member names of the modelled error shape it names.
    error_members: Mapping[str, tuple[str, ...]]


@functools.lru_cache(maxsize=32)
def protocol_of(service_model: Any) -> ClientProtocol:
    """The protocol view of a botocore ServiceModel (cached: one per loaded model)."""
    query = service_model.protocol == "query"
    members: dict[str, tuple[str, ...]] = {}
    if not query:
        for shape in service_model.error_shapes:
            code = shape.metadata.get("error", {}).get("code") or shape.name
            members[code] = tuple(shape.members)
    return ClientProtocol(query=query, error_members=members)


def for_client(parsed: dict[str, Any], protocol: ClientProtocol) -> dict[str, Any]:
    """The canonical parsed answer as this client's botocore would have parsed it."""
    error = parsed.get("Error")
    if protocol.query:
        headers = parsed["ResponseMetadata"]["HTTPHeaders"]
        headers["content-type"] = QUERY_CONTENT_TYPE
        if error is not None:
            headers.pop("x-amzn-query-error", None)
            parsed["Error"] = query_error(error)
        return parsed
    if error is not None:
        for member in protocol.error_members.get(error["Code"], ()):
            # Every SQS error shape has one member, its message; the wire body carries only it.
            if member == "message":
                parsed["message"] = error["Message"]
    return parsed


def query_error(error: Mapping[str, Any]) -> dict[str, Any]:
    """A canonical ``Error`` dict as botocore's QueryParser reads AWS's XML error."""
    message = error["Message"]
    return {
        "Code": error["Code"],
        "Message": QUERY_PROTOCOL_MESSAGES.get((error["Code"], message), message),
        "Type": error["Type"],
        "Detail": None,
    }
