"""What the server answers to the batch both wire tests send (boto3 and the JS SDK): one
table of the expected result, whichever client and protocol asked."""

from __future__ import annotations

from typing import Any

INVALID_CHARACTERS = (
    "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF "
    "| #xE000 to #xFFFD | #x10000 to #x10FFFF"
)


def expected_batch_result(first_id: str, second_id: str) -> dict[str, Any]:
    """SendMessageBatch of "first", "second" (with attributes) and "bad" (invalid text)."""
    return {
        "Successful": [
            {
                "Id": "first",
                "MessageId": first_id,
                "MD5OfMessageBody": "4ee144aa303ff0cf370b1d6652a2ada0",
            },
            {
                "Id": "second",
                "MessageId": second_id,
                "MD5OfMessageBody": "3f7e3309f07de1f7c48f969aec5cb79f",
                "MD5OfMessageAttributes": "ea8b65359cd5bb0a9df9f578f02b5d65",
            },
        ],
        "Failed": [
            {
                "Id": "bad",
                "SenderFault": True,
                "Code": "InvalidMessageContents",
                "Message": INVALID_CHARACTERS,
            }
        ],
    }
