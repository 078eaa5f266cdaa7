"""What every in-process measurement shares: the region, the message, boto3 clients (and
moto, when installed), and filling a queue straight through the fake's engine (no botocore,
not journaled)."""

from __future__ import annotations

from typing import Any

import boto3

from pytest_fakesqs._hooks import HANDLERS as FAKE_HANDLERS

try:
    # Imported before any client exists: moto adds its before-send handler to botocore's
    # built-in list at import, so every client made from here on carries the same handlers.
    import moto
    from moto import mock_aws
except ImportError:  # pragma: no cover - depends on the environment
    moto = None  # type: ignore[assignment]
    mock_aws = None  # type: ignore[assignment]

REGION = "us-east-1"
BODY = '{"order_id": 12345, "status": "created", "items": 3}'
ENTRIES = [{"Id": f"m{i}", "MessageBody": BODY} for i in range(10)]
#: Every clock-driven measurement starts here, so expiry times do not depend on the run.
FROZEN_AT = "2026-01-01T00:00:00Z"


def make_client() -> Any:
    return boto3.session.Session().client(
        "sqs",
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def without_fake(client: Any) -> Any:
    """Take the fake's handlers off one client, so the fake never answers it."""
    for event, handler in FAKE_HANDLERS:
        client.meta.events.unregister(event, handler)
    return client


def create_queue(engine: Any, name: str, attributes: dict[str, str] | None = None) -> str:
    status, parsed = engine.handle(
        "CreateQueue", {"QueueName": name, "Attributes": attributes or {}}, REGION, record=False
    )
    if status != 200:
        raise RuntimeError(f"CreateQueue {name}: {parsed}")
    return str(parsed["QueueUrl"])


def fill(engine: Any, url: str, count: int) -> None:
    """``count`` copies of BODY, ten per SendMessageBatch, through ``engine.handle`` alone:
    about ten times faster than through botocore, and left out of the journal."""
    params = {"QueueUrl": url, "Entries": ENTRIES}
    for _ in range(count // 10):
        status, parsed = engine.handle("SendMessageBatch", params, REGION, record=False)
        if status != 200 or parsed.get("Failed"):
            raise RuntimeError(f"fill: {parsed}")


def fill_fifo(engine: Any, url: str, count: int, groups: int) -> None:
    """``count`` messages spread round-robin over ``groups`` message groups."""
    for start in range(0, count, 10):
        entries = [
            {
                "Id": str(n),
                "MessageBody": BODY,
                "MessageGroupId": f"g{(start + n) % groups}",
                "MessageDeduplicationId": str(start + n),
            }
            for n in range(min(10, count - start))
        ]
        params = {"QueueUrl": url, "Entries": entries}
        status, parsed = engine.handle("SendMessageBatch", params, REGION, record=False)
        if status != 200 or parsed.get("Failed"):
            raise RuntimeError(f"fill_fifo: {parsed}")
