"""Queues made for a test without a client: ``fake.create_queue`` and the ``queues`` option."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._engine import Engine

DEFAULT_REGION = "us-east-1"


@dataclass(frozen=True)
class QueueSpec:
    name: str
    attributes: Mapping[str, str] = field(default_factory=dict)
    tags: Mapping[str, str] = field(default_factory=dict)
    region: str = DEFAULT_REGION


def queue_specs(value: Any) -> list[QueueSpec]:
    """The ``queues`` option: names, or dicts with name, attributes, tags and region."""
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise ValueError(
            f"queues= takes a list of queue names or dicts (name, attributes, tags, region), "
            f"got {value!r}"
        )
    specs = []
    for item in value:
        if isinstance(item, str):
            specs.append(QueueSpec(item))
        elif isinstance(item, Mapping) and isinstance(item.get("name"), str):
            unknown = set(item) - {"name", "attributes", "tags", "region"}
            if unknown:
                raise ValueError(f"queues=: unknown keys {sorted(unknown)} in {item!r}")
            specs.append(
                QueueSpec(
                    item["name"],
                    dict(item.get("attributes") or {}),
                    dict(item.get("tags") or {}),
                    item.get("region") or DEFAULT_REGION,
                )
            )
        else:
            raise ValueError(f"queues=: each queue is a name or a dict with 'name', got {item!r}")
    return specs


def _attribute_text(value: Any) -> Any:
    """Attributes are strings on the wire; a test (or a config file) may write 30, True, or
    a policy as a dict (RedrivePolicy, RedriveAllowPolicy, Policy), which becomes its JSON."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, (Mapping, list)):
        # Compact, as SQS itself shows a policy: {"deadLetterTargetArn":"...","maxReceiveCount":3}
        return json.dumps(value, separators=(",", ":"))
    return value


def create_queue(engine: Engine, spec: QueueSpec) -> str:
    """Create (or find, if identical) a queue through CreateQueue itself, so it is validated
    exactly as a client's would be. A name ending in .fifo makes a FIFO queue."""
    attributes = {name: _attribute_text(value) for name, value in spec.attributes.items()}
    if spec.name.endswith(".fifo"):
        attributes.setdefault("FifoQueue", "true")
    params: dict[str, Any] = {"QueueName": spec.name}
    if attributes:
        params["Attributes"] = attributes
    if spec.tags:
        params["tags"] = dict(spec.tags)
    response = engine.call_or_raise("CreateQueue", params, spec.region)
    return str(response["QueueUrl"])
