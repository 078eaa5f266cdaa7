"""Receipt handles: opaque to users, but carrying the queue and message they belong to.

Encoding the message id in the handle lets an older, well-formed handle still find its
message (standard queues accept it) without keeping every handle ever issued.
"""

from __future__ import annotations

import base64
import binascii

_PREFIX = "AQEB"


def make_receipt_handle(queue_arn: str, message_id: str, receive_count: int, nonce: int) -> str:
    payload = f"{message_id} {receive_count} {nonce:016x} {queue_arn}".encode()
    return _PREFIX + base64.b64encode(payload).decode("ascii")


def parse_receipt_handle(handle: str) -> tuple[str, str] | None:
    """The (queue ARN, message id) a handle names, or None when it is not one of ours."""
    if not handle.startswith(_PREFIX):
        return None
    try:
        payload = base64.b64decode(handle[len(_PREFIX) :], validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    parts = payload.split(" ")
    if len(parts) != 4 or not parts[1].isdigit():
        return None
    message_id, _, _, queue_arn = parts
    return queue_arn, message_id
