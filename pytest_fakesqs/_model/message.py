"""One stored message and the values it carries."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class MessageState(enum.Enum):
    """Where a stored message is in its life."""

    DELAYED = "delayed"
    VISIBLE = "visible"
    IN_FLIGHT = "in_flight"
    #: No longer stored: deleted, expired, purged, or moved to a dead-letter queue.
    GONE = "gone"


class Fate(enum.Enum):
    """Why a message is no longer stored in a queue (kept for inspection)."""

    DELETED = "deleted"
    EXPIRED = "expired"
    PURGED = "purged"
    #: Moved to the queue's dead-letter queue after maxReceiveCount receives.
    DEAD_LETTERED = "dead_lettered"
    #: Moved to another queue by a message move task.
    MOVED = "moved"


class Origin(enum.Enum):
    """How a message came into a queue."""

    SENT = "sent"
    DEAD_LETTERED = "dead_lettered"
    MOVED = "moved"


@dataclass(frozen=True, slots=True)
class AttributeValue:
    """A message attribute (or message system attribute) value as SQS stores it."""

    data_type: str
    string_value: str | None = None
    binary_value: bytes | None = None

    def to_api(self) -> dict[str, Any]:
        """The shape botocore's parser gives: DataType plus StringValue or BinaryValue."""
        if self.binary_value is not None:
            return {"BinaryValue": self.binary_value, "DataType": self.data_type}
        return {"StringValue": self.string_value, "DataType": self.data_type}


class Message:
    """A message stored in a queue.

    ``available_at`` is the one "next change" timestamp for a delayed or in-flight message
    (ElasticMQ's idea): when it passes, the message is visible. ``token`` changes on every
    state change, so entries left behind in the queue's heaps are recognised as stale.
    """

    __slots__ = (
        "_md5_of_body",
        "attributes",
        "available_at",
        "available_order",
        "body",
        "dead_letter_source_arn",
        "deduplication_id",
        "fate",
        "first_receive_ms",
        "group_id",
        "md5_of_attributes",
        "md5_of_system_attributes",
        "message_id",
        "origin",
        "receipt_handle",
        "receive_count",
        "received_at",
        "redeliver_after_delete",
        "sender_id",
        "sent_at",
        "seq",
        "sequence_number",
        "size",
        "state",
        "system_attributes",
        "token",
    )

    def __init__(
        self,
        *,
        message_id: str,
        body: str,
        attributes: dict[str, AttributeValue] | None,
        system_attributes: dict[str, AttributeValue] | None,
        md5_of_body: str,
        md5_of_attributes: str | None,
        md5_of_system_attributes: str | None,
        sender_id: str,
        sent_at: float,
        seq: int,
        size: int,
        group_id: str | None = None,
        deduplication_id: str | None = None,
        sequence_number: str | None = None,
    ) -> None:
        self.message_id = message_id
        self.body = body
        self.attributes = attributes
        self.system_attributes = system_attributes
        # The 16-byte digest, not its 32-character hex text: 48 bytes less per stored message.
        self._md5_of_body = bytes.fromhex(md5_of_body)
        self.md5_of_attributes = md5_of_attributes
        self.md5_of_system_attributes = md5_of_system_attributes
        self.sender_id = sender_id
        self.sent_at = sent_at
        self.seq = seq
        self.size = size
        self.group_id = group_id
        self.deduplication_id = deduplication_id
        self.sequence_number = sequence_number
        self.dead_letter_source_arn: str | None = None
        self.state = MessageState.VISIBLE
        self.available_at = sent_at
        #: FIFO only: the order in which it last became visible (its group's place in line).
        self.available_order = 0
        self.receive_count = 0
        self.first_receive_ms: int | None = None
        self.received_at: float | None = None
        self.receipt_handle: str | None = None
        self.token = 0
        self.origin = Origin.SENT
        self.fate: Fate | None = None
        #: Realism only: the next delete puts the message back instead of removing it.
        self.redeliver_after_delete = False

    @property
    def md5_of_body(self) -> str:
        return self._md5_of_body.hex()

    def __repr__(self) -> str:
        return f"<Message {self.message_id} {self.state.value} receives={self.receive_count}>"
