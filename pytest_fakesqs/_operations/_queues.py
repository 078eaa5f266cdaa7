"""Queue lifecycle and metadata: create, find, list, attributes, purge, tags, permissions."""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Mapping
from typing import Any

from .. import _errors as errors
from .._model import queue_attributes
from .._model.backend import queue_url
from .._model.fifo_queue import FifoQueue
from .._model.queue import PURGE_COOL_DOWN_SECONDS, Queue
from ._params import required
from ._redrive_policy import check_redrive_allow_policy, check_redrive_policy
from ._registry import Call, operation

_QUEUE_NAME = re.compile(r"[A-Za-z0-9_-]{1,80}")
_FIFO_QUEUE_NAME = re.compile(r"[A-Za-z0-9_-]{1,75}\.fifo")
MAX_TAGS = 50
MAX_LIST_RESULTS = 1000


def resolve_queue(call: Call) -> Queue:
    return call.engine.backend.by_url(
        required(call, "QueueUrl"), call.region, call.engine.account_id
    )


def _normalise_attributes(
    raw: Mapping[str, Any] | None, *, fifo: bool, creating: bool
) -> dict[str, str]:
    """Validate every attribute first, so a bad one leaves the queue untouched."""
    values: dict[str, str] = {}
    raw = raw or {}
    for name, value in raw.items():
        if name in ("DeduplicationScope", "FifoThroughputLimit") and not fifo:
            raise errors.SQSError(
                errors.INVALID_ATTRIBUTE_NAME,
                f"You can specify the {name} only when FifoQueue is set to true.",
            )
        if name in queue_attributes.FIFO_ONLY and not fifo:
            raise errors.invalid_attribute_name(name)
        values[name] = queue_attributes.normalise(name, value)
        if name == "FifoQueue" and values[name] != "true":
            raise errors.invalid_attribute_value(
                "FifoQueue", "Modifying queue type is not supported."
            )
    if raw.get("KmsMasterKeyId") and values.get("SqsManagedSseEnabled") == "true":
        raise errors.SQSError(
            errors.INVALID_ATTRIBUTE_NAME,
            "You can use one type of server-side encryption (SSE) at one time. You can either "
            "enable KMS SSE or SQS SSE.",
        )
    return values


def _check_fifo_attributes(values: Mapping[str, str], current: Mapping[str, str]) -> None:
    merged = {**current, **values}
    if (
        merged.get("FifoThroughputLimit") == "perMessageGroupId"
        and merged.get("DeduplicationScope") != "messageGroup"
    ):
        raise errors.invalid_attribute_value(
            "FifoThroughputLimit",
            "The queue's FifoThroughputLimit can be perMessageGroupId only when the "
            "DeduplicationScope is messageGroup.",
        )


def _check_tags(tags: Mapping[str, str], queue_name: str, existing: int = 0) -> None:
    if existing + len(tags) > MAX_TAGS:
        raise errors.invalid_parameter(f"Too many tags added for queue {queue_name}.")


@operation("CreateQueue")
def create_queue(call: Call) -> dict[str, Any]:
    name = required(call, "QueueName")
    raw_attributes = call.params.get("Attributes") or {}
    fifo = str(raw_attributes.get("FifoQueue", "false")).lower() == "true"
    if fifo:
        if _FIFO_QUEUE_NAME.fullmatch(name) is None:
            raise errors.invalid_parameter(
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, "
                "or underscores, must end with .fifo suffix and be 1 to 80 in length."
            )
    elif _QUEUE_NAME.fullmatch(name) is None:
        raise errors.invalid_parameter(
            "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
        )
    values = _normalise_attributes(raw_attributes, fifo=fifo, creating=True)
    engine = call.engine
    account_id = engine.account_id
    region = engine.backend.region(account_id, call.region)
    existing = region.queues.get(name)
    if existing is not None:
        current = existing.attributes
        for attribute, value in values.items():
            if current.get(attribute, "") != value:
                raise errors.SQSError(
                    errors.QUEUE_NAME_EXISTS,
                    "A queue already exists with the same name and a different value for "
                    f"attribute {attribute}",
                )
        return {"QueueUrl": call.url_of(existing)}
    if engine.backend.deleted_recently(account_id, call.region, name, call.now):
        raise errors.SQSError(
            errors.QUEUE_DELETED_RECENTLY,
            "You must wait 60 seconds after deleting a queue before you can create another "
            "with the same name.",
        )
    tags = call.params.get("tags") or {}
    _check_tags(tags, name)
    if fifo:
        _check_fifo_attributes(values, queue_attributes.FIFO_DEFAULTS)
        queue_class: type[Queue] = FifoQueue
    else:
        queue_class = Queue
    if "RedrivePolicy" in values:
        check_redrive_policy(call, values["RedrivePolicy"], queue_class.fifo, name, account_id)
    if "RedriveAllowPolicy" in values:
        check_redrive_allow_policy(values["RedriveAllowPolicy"])
    queue = queue_class(
        name=name,
        account_id=account_id,
        region=call.region,
        url=queue_url(call.region, account_id, name),
        attributes=values,
        tags=tags,
        now=call.now,
    )
    if isinstance(queue, FifoQueue):
        queue.start_sequences(engine.ids.token())
    engine.backend.add_queue(queue)
    return {"QueueUrl": call.url_of(queue)}


@operation("DeleteQueue")
def delete_queue(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    call.engine.backend.remove_queue(queue, call.now)
    call.engine.notify()
    return {}


@operation("GetQueueUrl")
def get_queue_url(call: Call) -> dict[str, Any]:
    name = required(call, "QueueName")
    account_id = call.params.get("QueueOwnerAWSAccountId") or call.engine.account_id
    queue = call.engine.backend.by_name(account_id, call.region, name)
    return {"QueueUrl": call.url_of(queue)}


def _decode_token(token: str) -> str:
    try:
        after = json.loads(base64.b64decode(token, validate=True))["after"]
    except (binascii.Error, ValueError, KeyError, TypeError):
        after = None
    if not isinstance(after, str):  # a token the fake did not make
        raise errors.invalid_parameter("Invalid NextToken value.")
    return after


def _encode_token(after: str) -> str:
    return base64.b64encode(json.dumps({"after": after}).encode()).decode("ascii")


def page(call: Call, names: list[str]) -> tuple[list[str], str | None]:
    """One page of sorted names, by MaxResults and NextToken, as ListQueues pages."""
    max_results = call.params.get("MaxResults")
    if max_results is not None and not 1 <= max_results <= MAX_LIST_RESULTS:
        raise errors.invalid_value(
            max_results, "MaxResults", "MaxResults must be an integer between 1 and 1000."
        )
    token = call.params.get("NextToken")
    if token:
        after = _decode_token(token)
        names = [name for name in names if name > after]
    limit = max_results or MAX_LIST_RESULTS
    chunk = names[:limit]
    next_token = None
    if max_results is not None and len(names) > limit:
        next_token = _encode_token(chunk[-1])
    return chunk, next_token


@operation("ListQueues")
def list_queues(call: Call) -> dict[str, Any]:
    prefix = call.params.get("QueueNamePrefix") or ""
    queues = call.engine.backend.region(call.engine.account_id, call.region).queues
    names = sorted(name for name in queues if name.startswith(prefix))
    chunk, next_token = page(call, names)
    result: dict[str, Any] = {}
    if chunk:
        result["QueueUrls"] = [call.url_of(queues[name]) for name in chunk]
    if next_token:
        result["NextToken"] = next_token
    return result


@operation("GetQueueAttributes")
def get_queue_attributes(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    names = call.params.get("AttributeNames") or []
    for name in names:
        if name != "All" and name not in queue_attributes.KNOWN:
            raise errors.invalid_attribute_name(name)
    if not names:
        return {}
    values = queue.attribute_values(call.now)
    wanted = queue_attributes.ALL_ORDER if "All" in names else names
    selected = {name: values[name] for name in wanted if name in values}
    return {"Attributes": selected} if selected else {}


@operation("SetQueueAttributes")
def set_queue_attributes(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    raw = required(call, "Attributes")
    values = _normalise_attributes(raw, fifo=queue.fifo, creating=False)
    if queue.fifo:
        _check_fifo_attributes(values, queue.attributes)
    if values.get("RedrivePolicy"):
        check_redrive_policy(
            call, values["RedrivePolicy"], queue.fifo, queue.name, queue.account_id
        )
    if values.get("RedriveAllowPolicy"):
        check_redrive_allow_policy(values["RedriveAllowPolicy"])
    queue.refresh(call.now)
    queue.set_attributes(values, call.now)
    call.engine.notify()
    return {}


@operation("PurgeQueue")
def purge_queue(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    if queue.last_purge_at is not None and call.now - queue.last_purge_at < PURGE_COOL_DOWN_SECONDS:
        raise errors.SQSError(
            errors.PURGE_QUEUE_IN_PROGRESS,
            f"Only one PurgeQueue operation on {queue.name} is allowed every 60 seconds.",
        )
    queue.purge(call.now)
    return {}


@operation("TagQueue")
def tag_queue(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    tags = required(call, "Tags")
    if not tags:
        raise errors.missing_parameter("Tags")
    new_keys = [key for key in tags if key not in queue.tags]
    _check_tags(dict.fromkeys(new_keys, ""), queue.name, len(queue.tags))
    queue.tags.update(tags)
    return {}


@operation("UntagQueue")
def untag_queue(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    keys = required(call, "TagKeys")
    if not keys:
        raise errors.missing_parameter("TagKeys")
    for key in keys:
        queue.tags.pop(key, None)
    return {}


@operation("ListQueueTags")
def list_queue_tags(call: Call) -> dict[str, Any]:
    queue = resolve_queue(call)
    return {"Tags": dict(queue.tags)} if queue.tags else {}
