"""Fuzzing every SQS operation through a real boto3 client, with parameters generated from
botocore's own service model.

The strategies walk each operation's input shape (structures, lists, maps, strings, integers,
booleans, blobs) and mix three kinds of value: valid-looking ones (real queue URLs, ARNs,
receipt handles and task handles of a pre-built state, in-range numbers), values at and past
the documented limits, and junk (odd characters, wrong types, unknown members).

What must hold for every call:

- Only botocore's own exceptions escape: ``ClientError`` (and its subclasses) from the fake,
  or ``ParamValidationError`` raised by botocore before the fake sees the call. A 500
  ``InternalError`` is a defect in the fake (its catch-all for a bug in a handler).
- A rejected call (``ClientError``) changes nothing: every queue's attributes (timestamps
  included), tags, stored messages, message history and move tasks, and the clock, are exactly
  as before.
- A batch call with partial failures (200 with ``Failed`` entries) changes only what its
  successful entries name.

The CI run is derandomized and bounded; the ``heavy`` twins run many more random examples.
"""

from __future__ import annotations

import base64
import json
import reprlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import boto3
import botocore.session
import pytest
from botocore import xform_name
from botocore.exceptions import ClientError, ParamValidationError
from botocore.model import Shape
from hypothesis import HealthCheck, Phase, currently_in_test_context, given, note, settings
from hypothesis import strategies as st

from pytest_fakesqs import FakeSQS, MessageView, mock_sqs

SERVICE = botocore.session.get_session().get_service_model("sqs")
OPERATIONS = tuple(SERVICE.operation_names)
BATCH_OPERATIONS = ("SendMessageBatch", "DeleteMessageBatch", "ChangeMessageVisibilityBatch")

SEED = 5005
FROZEN = "2024-05-01T12:00:00Z"
ACCOUNT = "123456789012"
US = "https://sqs.us-east-1.amazonaws.com/123456789012/{}"
EU = "https://sqs.eu-west-1.amazonaws.com/123456789012/{}"
ARN = "arn:aws:sqs:us-east-1:123456789012:{}"

CI = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # No shrinking in CI: each shrink step replays a whole example, so a failure would take
    # minutes to minimise. The failing calls are printed as made (note()); the heavy twins shrink.
    phases=[Phase.explicit, Phase.generate],
)
HEAVY = settings(
    derandomize=False,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


# --- values the pre-built state holds, picked when the call is made -------------------------


@dataclass(frozen=True)
class Known:
    """A value taken from a pool of what the fake holds (queue URLs, receipt handles...) when
    the call is made: receipt handles of messages received earlier in the example count too."""

    pool: str
    index: int


@dataclass(frozen=True)
class JsonOf:
    """A JSON text (a policy) written when the call is made: it may hold Known values."""

    document: Any


def known(pool: str) -> st.SearchStrategy[Known]:
    return st.integers(0, 63).map(lambda index: Known(pool, index))


def weighted(*options: tuple[int, st.SearchStrategy[Any]]) -> st.SearchStrategy[Any]:
    """One of the strategies, each ``weight`` in ``sum(weights)`` of the time; shrinks toward
    the first."""
    total = sum(weight for weight, _ in options)

    @st.composite
    def pick(draw: st.DrawFn) -> Any:
        roll = draw(st.integers(0, total - 1))
        for weight, strategy in options:
            if roll < weight:
                return draw(strategy)
            roll -= weight
        raise AssertionError("unreachable")

    return pick()


@dataclass
class World:
    """The pools Known values are picked from, and which message each receipt handle names."""

    pools: dict[str, list[str]]
    handle_owner: dict[str, str] = field(default_factory=dict)

    def resolve(self, value: Any) -> Any:
        """Generated params with every Known and JsonOf replaced by what it stands for now."""
        if isinstance(value, Known):
            pool = self.pools[value.pool]
            return pool[value.index % len(pool)]
        if isinstance(value, JsonOf):
            return json.dumps(self.resolve(value.document))
        if isinstance(value, dict):
            return {self.resolve(key): self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def add(self, pool: str, value: str) -> None:
        if value not in self.pools[pool]:
            self.pools[pool].append(value)

    def learn(self, fake: FakeSQS, operation: str, params: dict[str, Any], response: Any) -> None:
        """Feed what a successful call returned back into the pools."""
        if operation == "ReceiveMessage":
            for message in response.get("Messages", []):
                self.add("receipt_handle", message["ReceiptHandle"])
                self.handle_owner[message["ReceiptHandle"]] = message["MessageId"]
        elif operation == "CreateQueue":
            url = response["QueueUrl"]
            self.add("queue_url", url)
            self.add("queue_name", params["QueueName"])
            self.add("queue_arn", fake.queue(url).arn)
        elif operation == "StartMessageMoveTask":
            self.add("task_handle", response["TaskHandle"])
        elif operation in ("ListQueues", "ListDeadLetterSourceQueues") and "NextToken" in response:
            self.add("next_token", response["NextToken"])


def build_world(fake: FakeSQS, client: Any, eu_client: Any) -> World:
    """Queues in every interesting state; the same ids every time (fixed seed and clock)."""
    dlq_arn = ARN.format("orders-dlq")
    dlq = client.create_queue(QueueName="orders-dlq")["QueueUrl"]
    redrive = json.dumps({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": 3})
    orders = client.create_queue(
        QueueName="orders",
        Attributes={"VisibilityTimeout": "45", "RedrivePolicy": redrive},
        tags={"team": "payments", "env": "test"},
    )["QueueUrl"]
    client.add_permission(
        QueueUrl=orders, Label="grant", AWSAccountIds=["111122223333"], Actions=["SendMessage"]
    )
    for number, body in enumerate(["alpha", "beta", "gamma", "delta"]):
        attributes = {"n": {"DataType": "Number", "StringValue": str(number)}}
        client.send_message(QueueUrl=orders, MessageBody=body, MessageAttributes=attributes)
    client.send_message(QueueUrl=orders, MessageBody="later", DelaySeconds=120)
    # "alpha" received twice: its first handle is stale, the second one current.
    stale = client.receive_message(QueueUrl=orders, VisibilityTimeout=0)["Messages"]
    current = client.receive_message(QueueUrl=orders, MaxNumberOfMessages=2)["Messages"]

    fifo = client.create_queue(
        QueueName="jobs.fifo",
        Attributes={"FifoQueue": "true", "ContentBasedDeduplication": "true"},
    )["QueueUrl"]
    for group, body in [("g1", "one"), ("g1", "two"), ("g2", "three"), ("g1", "four")]:
        client.send_message(QueueUrl=fifo, MessageBody=body, MessageGroupId=group)
    fifo_received = client.receive_message(QueueUrl=fifo)["Messages"]

    for body in ("dead-1", "dead-2", "dead-3"):
        client.send_message(QueueUrl=dlq, MessageBody=body)
    cancelled = client.start_message_move_task(
        SourceArn=dlq_arn, DestinationArn=ARN.format("orders"), MaxNumberOfMessagesPerSecond=1
    )["TaskHandle"]
    client.cancel_message_move_task(TaskHandle=cancelled)
    running = client.start_message_move_task(
        SourceArn=dlq_arn, DestinationArn=ARN.format("orders"), MaxNumberOfMessagesPerSecond=1
    )["TaskHandle"]

    client.create_queue(QueueName="empty", Attributes={"ReceiveMessageWaitTimeSeconds": "20"})
    purged = client.create_queue(QueueName="purged")["QueueUrl"]
    client.send_message(QueueUrl=purged, MessageBody="purged")
    client.purge_queue(QueueUrl=purged)
    gone = client.create_queue(QueueName="gone")["QueueUrl"]
    client.delete_queue(QueueUrl=gone)
    eu_client.create_queue(QueueName="orders", tags={"team": "eu"})

    names = ["orders", "orders-dlq", "jobs.fifo", "empty", "purged"]
    world = World(
        pools={
            "queue_url": [
                *(US.format(name) for name in names),
                EU.format("orders"),
                "orders",
                "https://queue.amazonaws.com/123456789012/orders",
                "https://eu-west-1.queue.amazonaws.com/123456789012/orders",
            ],
            "bad_queue_url": [
                gone,
                "https://sqs.us-east-1.amazonaws.com/999999999999/orders",
                US.format("orders/extra"),
                "",
            ],
            "queue_name": [*names, "gone", "fresh", "fresh.fifo", "jobs"],
            "queue_arn": [
                *(ARN.format(name) for name in names),
                "arn:aws:sqs:eu-west-1:123456789012:orders",
            ],
            "bad_queue_arn": [
                ARN.format("gone"),
                "arn:aws:sqs:us-east-1:999999999999:orders",
                "arn:aws:s3:::bucket",
                "orders",
            ],
            "receipt_handle": [],
            "task_handle": [
                running,
                cancelled,
                base64.b64encode(b'{"taskId": "x"}').decode(),
                base64.b64encode(
                    json.dumps({"taskId": "x", "sourceArn": dlq_arn}).encode()
                ).decode(),
            ],
            "next_token": [
                base64.b64encode(b'{"after": "jobs.fifo"}').decode(),
                base64.b64encode(b"[]").decode(),
                base64.b64encode(b'{"after": 5}').decode(),
                "not base64!",
            ],
        }
    )
    for message in [*stale, *current, *fifo_received]:
        world.add("receipt_handle", message["ReceiptHandle"])
        world.handle_owner[message["ReceiptHandle"]] = message["MessageId"]
    # Not handles the fake gave: one letter changed, and one of a queue that does not exist.
    world.add("receipt_handle", current[0]["ReceiptHandle"].replace("AQEB", "AQEC", 1))
    world.add("receipt_handle", "AQEB" + base64.b64encode(b"id 1 00 arn:aws:sqs:x:y:z").decode())
    return world


# --- strategies generated from the service model ---------------------------------------------

ODD_CHARACTERS = ["\x00", "\x08", "\t", "\ud800", "\udfff", "\ufffe", "\uffff", "\U0001f600"]
CHARACTERS = st.one_of(st.characters(), st.sampled_from(ODD_CHARACTERS))
TEXT = st.one_of(
    st.text(CHARACTERS, max_size=12),
    st.text(st.sampled_from("ab-_.:/*"), min_size=1, max_size=12),
    st.sampled_from(["", " ", "All", "true", "0", "-1", "null", "{}", "é" * 81]),
)
JSON_JUNK = st.sampled_from([None, 7, "7", 1.5, True, [], {}, ["x"], {"x": "y"}])
WRONG_TYPE = JSON_JUNK | st.just(b"x")


def int_strings(low: int, high: int) -> st.SearchStrategy[str]:
    return st.one_of(
        st.integers(low, high).map(str),
        st.sampled_from([low - 1, high + 1, low, high]).map(str),
        st.sampled_from(["", "abc", "1.5", " 5 ", "+3", "\uff11\uff12", "9" * 30]),
    )


BOOLEAN_STRINGS = st.sampled_from(["true", "false", "TRUE", "False", "yes", "1", ""])
POLICIES = st.one_of(
    st.fixed_dictionaries(
        {"deadLetterTargetArn": known("queue_arn") | TEXT},
        optional={
            "maxReceiveCount": st.integers(-1, 1001) | st.floats() | TEXT | JSON_JUNK,
        },
    ),
    st.fixed_dictionaries(
        {"redrivePermission": st.sampled_from(["allowAll", "denyAll", "byQueue", "bogus"])},
        optional={"sourceQueueArns": st.lists(known("queue_arn") | TEXT, max_size=11)},
    ),
    st.fixed_dictionaries(
        {"Version": st.just("2012-10-17")},
        optional={
            "Statement": st.just([])
            | JSON_JUNK
            | st.lists(st.fixed_dictionaries({"Sid": st.just("grant")}) | JSON_JUNK, max_size=2)
        },
    ),
    JSON_JUNK,
)


@st.composite
def policy_values(draw: st.DrawFn) -> str | JsonOf:
    if draw(st.integers(0, 4)) == 0:
        return draw(st.sampled_from(["", "{", "[]", "null", "5", '"text"']))
    return JsonOf(draw(POLICIES))


QUEUE_ATTRIBUTE_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "DelaySeconds": int_strings(0, 900),
    "MaximumMessageSize": int_strings(1024, 1048576),
    "MessageRetentionPeriod": int_strings(60, 1209600),
    "ReceiveMessageWaitTimeSeconds": int_strings(0, 20),
    "VisibilityTimeout": int_strings(0, 43200),
    "KmsDataKeyReusePeriodSeconds": int_strings(60, 86400),
    "SqsManagedSseEnabled": BOOLEAN_STRINGS,
    "FifoQueue": BOOLEAN_STRINGS,
    "ContentBasedDeduplication": BOOLEAN_STRINGS,
    "DeduplicationScope": st.sampled_from(["messageGroup", "queue", "Queue", ""]),
    "FifoThroughputLimit": st.sampled_from(["perQueue", "perMessageGroupId", "perGroup"]),
    "RedrivePolicy": policy_values(),
    "RedriveAllowPolicy": policy_values(),
    "Policy": policy_values(),
    "KmsMasterKeyId": st.sampled_from(["alias/aws/sqs", "", "arn:aws:kms:us-east-1:1:key/x"]),
}
QUEUE_ATTRIBUTE_NAMES = SERVICE.shape_for("QueueAttributeName").enum
#: A value that suits the attribute five times in six; read-only attributes get any text.
ATTRIBUTE_VALUE = {
    name: weighted((5, QUEUE_ATTRIBUTE_VALUES.get(name, TEXT)), (1, TEXT))
    for name in QUEUE_ATTRIBUTE_NAMES
}


@st.composite
def queue_attribute_maps(draw: st.DrawFn, names: list[str]) -> dict[str, Any]:
    """Queue attributes whose values suit their names (mostly), for Create/SetQueueAttributes."""
    chosen = draw(st.lists(st.sampled_from(names), max_size=4, unique=True))
    return {name: draw(ATTRIBUTE_VALUE[name]) for name in chosen}


#: Documented ranges of integer parameters (the model carries none): values inside, at the
#: edges and just outside are drawn, besides anything an int can be.
INTEGER_RANGES = {
    "DelaySeconds": (0, 900),
    "VisibilityTimeout": (0, 43200),
    "WaitTimeSeconds": (0, 20),
    "MaxNumberOfMessages": (1, 10),
    "MaxResults": (1, 1000),
    "MaxNumberOfMessagesPerSecond": (1, 500),
}
#: Sizes of list parameters: (usual low, usual high, limit); past the limit is drawn too.
LIST_SIZES = {"Entries": (1, 4, 10), "AWSAccountIds": (1, 2, 3), "Actions": (1, 2, 3)}

#: Valid-looking values by member name ("X[]" a list's member, "X.key"/"X.value" a map's).
HINTS: dict[str, st.SearchStrategy[Any]] = {
    "QueueUrl": weighted((6, known("queue_url")), (1, known("bad_queue_url"))),
    "QueueName": known("queue_name")
    | st.from_regex(r"[A-Za-z0-9_-]{1,80}(\.fifo)?", fullmatch=True),
    "QueueNamePrefix": st.sampled_from(["", "o", "orders", "jobs", "x"]),
    "ReceiptHandle": known("receipt_handle"),
    "SourceArn": weighted((6, known("queue_arn")), (1, known("bad_queue_arn"))),
    "DestinationArn": weighted((6, known("queue_arn")), (1, known("bad_queue_arn"))),
    "TaskHandle": known("task_handle"),
    "NextToken": known("next_token"),
    "Label": st.sampled_from(["grant", "other", "bad label", "x" * 81]),
    "AWSAccountIds[]": st.sampled_from([ACCOUNT, "111122223333", "999999999999", "12"]),
    "QueueOwnerAWSAccountId": st.sampled_from([ACCOUNT, "999999999999", ""]),
    "Actions[]": st.sampled_from(["SendMessage", "ReceiveMessage", "*", "CreateQueue"]),
    "Id": st.sampled_from(["a", "b", "c", "0", "x" * 80, "x" * 81, "a b", ""]),
    "MessageBody": weighted(
        (6, st.sampled_from(["alpha", "hello", "{}"])),
        (1, st.sampled_from([1024, 1025, 262145, 1048576, 1048577]).map(lambda n: "x" * n)),
    ),
    "MessageGroupId": st.sampled_from(["g1", "g2", "g3", "", "x" * 129, "group id"]),
    "MessageDeduplicationId": st.sampled_from(["d1", "d2", "", "x" * 129]),
    "ReceiveRequestAttemptId": st.sampled_from(["attempt-1", "attempt-2", ""]),
    "MessageAttributes.key": st.sampled_from(
        ["n", "attr", "a.b", "AWS.x", "amazon.y", ".lead", "trail.", "a..b", "x" * 257]
    ),
    "MessageAttributeNames[]": st.sampled_from(["All", ".*", "n", "n.*", "a.*", "*", ""]),
    "DataType": st.sampled_from(
        ["String", "Number", "Binary", "String.json", "Number.int", "Binary.png", "string"]
    ),
    "StringValue": st.sampled_from(["1", "-2.5", "1e400", "abc", "", "x" * 300]),
    "Attributes": queue_attribute_maps(QUEUE_ATTRIBUTE_NAMES),
    "tags.key": st.sampled_from(["team", "env", "missing", ""]),
    "Tags.key": st.sampled_from(["team", "env", "new", ""]),
    "TagKeys[]": st.sampled_from(["team", "env", "missing", ""]),
}


def over_limit_list(item: Any, size: int) -> list[Any]:
    """``size`` copies of one drawn member (batch entries get distinct ids): past a limit
    without drawing every member."""
    if isinstance(item, dict) and "Id" in item:
        return [{**item, "Id": f"{item['Id']}{number}"} for number in range(size)]
    return [item] * size


def over_limit_map(key: Any, value: Any, size: int) -> dict[Any, Any]:
    if isinstance(key, Known):
        key = f"k{key.index}"
    return {f"{key}{number}": value for number in range(size)}


class ShapeStrategies:
    """Strategies for the values of botocore shapes, cached by shape and member name."""

    def __init__(self) -> None:
        self._cache: dict[tuple[str, str], st.SearchStrategy[Any]] = {}

    def value(self, shape: Shape, name: str) -> st.SearchStrategy[Any]:
        key = (shape.name, name)
        if key not in self._cache:
            generic = st.deferred(lambda: self._generic(shape, name))
            hint = HINTS.get(name)
            # Mostly valid-looking values, and what the shape alone allows.
            self._cache[key] = generic if hint is None else weighted((9, hint), (1, generic))
        return self._cache[key]

    def _generic(self, shape: Shape, name: str) -> st.SearchStrategy[Any]:
        kind = shape.type_name
        if kind == "structure":
            return self.structure(shape, top=False)
        if kind == "list":
            low, high, limit = LIST_SIZES.get(name, (0, 3, None))
            low = shape.metadata.get("min", low)
            member = self.value(shape.member, f"{name}[]")
            lists = [st.lists(member, min_size=low, max_size=high)]
            if limit is not None:
                lists.append(member.map(lambda item: over_limit_list(item, limit + 1)))
            return st.one_of(lists)
        if kind == "map":
            keys = self.value(shape.key, f"{name}.key")
            values = self.value(shape.value, f"{name}.value")
            over = st.tuples(keys, values).map(lambda item: over_limit_map(*item, 11))
            return st.one_of(st.dictionaries(keys, values, max_size=4), over)
        if kind == "string":
            return self._string(shape)
        if kind == "integer":
            return self._integer(shape, name)
        if kind == "boolean":
            return st.booleans()
        if kind == "blob":
            return st.binary(max_size=16) | st.text(max_size=8)
        raise AssertionError(f"no strategy for {shape.name} ({kind}): extend the fuzzer")

    @staticmethod
    def _string(shape: Shape) -> st.SearchStrategy[str]:
        options: list[st.SearchStrategy[str]] = []
        enum = getattr(shape, "enum", None)
        if enum:
            options.append(st.sampled_from(enum))
        pattern = shape.metadata.get("pattern")
        if pattern:
            options.append(st.from_regex(pattern, fullmatch=True))
        low, high = shape.metadata.get("min"), shape.metadata.get("max")
        if low is not None or high is not None:
            low, high = low or 0, high if high is not None else (low or 0) + 16
            options.append(st.text(CHARACTERS, min_size=low, max_size=high))
            options.append(st.text(CHARACTERS, min_size=high + 1, max_size=high + 3))
            if low:
                options.append(st.text(CHARACTERS, max_size=low - 1))
        options.append(TEXT)
        return st.one_of(options)

    @staticmethod
    def _integer(shape: Shape, name: str) -> st.SearchStrategy[int]:
        low = shape.metadata.get("min")
        high = shape.metadata.get("max")
        if name in INTEGER_RANGES:
            low, high = INTEGER_RANGES[name]
        anything = st.integers(-(2**63), 2**63)
        if low is None or high is None:
            return anything
        edges = st.sampled_from([low, high, low - 1, high + 1])
        return weighted((6, st.integers(low, high)), (2, edges), (1, anything))

    def structure(self, shape: Shape, *, top: bool) -> st.SearchStrategy[dict[str, Any]]:
        """A structure's members. Now and then (more often in an operation's input than in a
        nested structure) a required member is left out, a member has the wrong type, or an
        unknown member is added: botocore must refuse those before the fake sees them."""
        members = [
            (member, self.value(member_shape, member), member in shape.required_members)
            for member, member_shape in shape.members.items()
        ]
        names = [member for member, _, _ in members]
        one_in = 40 if top else 80

        @st.composite
        def draw_structure(draw: st.DrawFn) -> dict[str, Any]:
            def rarely() -> bool:
                # 1, not 0: Hypothesis draws the ends of a range more often than the rest.
                return draw(st.integers(0, one_in - 1)) == 1

            result: dict[str, Any] = {}
            for member, strategy, required in members:
                present = (not rarely()) if required else draw(st.booleans())
                if present:
                    result[member] = draw(strategy)
            if names and rarely():
                result[draw(st.sampled_from(names))] = draw(WRONG_TYPE)
            if top and rarely():
                result[draw(st.sampled_from(["Unknown", "queueUrl"]))] = "x"
            return result

        return draw_structure()


STRATEGIES = ShapeStrategies()


def calls_of(operation: str) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    shape = SERVICE.operation_model(operation).input_shape
    params = STRATEGIES.structure(shape, top=True) if shape is not None else st.just({})
    return st.tuples(st.just(operation), params)


ANY_CALL = st.one_of([calls_of(operation) for operation in OPERATIONS])


# --- what can be seen of the fake's state ------------------------------------------------------

COUNTS = (
    "ApproximateNumberOfMessages",
    "ApproximateNumberOfMessagesNotVisible",
    "ApproximateNumberOfMessagesDelayed",
)
STATE_OF_COUNT = dict(zip(COUNTS, ("visible", "in_flight", "delayed"), strict=True))


@dataclass(frozen=True)
class QueueState:
    url: str
    attributes: Mapping[str, str]
    tags: Mapping[str, str]
    messages: tuple[MessageView, ...]
    history: tuple[MessageView, ...]
    move_tasks: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Observed:
    time: float
    queues: Mapping[str, QueueState]  # by ARN


def observe(fake: FakeSQS, client: Any) -> Observed:
    """Everything the fake shows of its queues, read without changing them."""
    # Move tasks first: listing them lets due steps happen, so what is read next is stable.
    move_tasks = {
        view.arn: tuple(
            client.list_message_move_tasks(SourceArn=view.arn, MaxResults=10)["Results"]
        )
        for view in fake.queues()
    }
    queues = {}
    for view in fake.queues():
        state = QueueState(
            url=view.url,
            attributes=view.attributes,
            tags=view.tags,
            messages=tuple(view.messages),
            history=tuple(view.history),
            move_tasks=move_tasks[view.arn],
        )
        # The counts SQS reports agree with the messages the fake holds.
        for count, message_state in STATE_OF_COUNT.items():
            held = sum(message.state == message_state for message in state.messages)
            assert state.attributes[count] == str(held), (view.name, count, state)
        queues[view.arn] = state
    return Observed(fake.time, queues)


def without_messages(observed: Observed, message_ids: set[str]) -> Observed:
    """The observation with those messages, and the counts they move, left out."""
    return Observed(
        observed.time,
        {
            arn: QueueState(
                url=state.url,
                attributes={k: v for k, v in state.attributes.items() if k not in COUNTS},
                tags=state.tags,
                messages=tuple(m for m in state.messages if m.message_id not in message_ids),
                history=tuple(m for m in state.history if m.message_id not in message_ids),
                move_tasks=state.move_tasks,
            )
            for arn, state in observed.queues.items()
        },
    )


def message_ids(observed: Observed) -> set[str]:
    return {m.message_id for state in observed.queues.values() for m in state.history}


# --- running the calls ---------------------------------------------------------------------------

SHORT = reprlib.Repr()
SHORT.maxstring = 60
SHORT.maxother = 60
SHORT.maxlist = SHORT.maxdict = 12
SHORT.maxlevel = 5


def check_call(fake: FakeSQS, client: Any, world: World, operation: str, raw: Any) -> None:
    params = world.resolve(raw)
    if currently_in_test_context():
        note(f"{operation}({SHORT.repr(params)})")
    before = observe(fake, client)
    journal_length = len(fake.calls)
    method = getattr(client, xform_name(operation))
    try:
        response = method(**params)
    except ParamValidationError:
        # botocore refused the call itself: the fake never saw it.
        assert len(fake.calls) == journal_length
        assert observe(fake, client) == before
        return
    except ClientError as error:
        code = error.response["Error"]["Code"]
        status = error.response["ResponseMetadata"]["HTTPStatusCode"]
        assert (code, status) != ("InternalError", 500), f"a defect in the fake: {error}"
        assert status in (400, 403, 404), error.response
        recorded = fake.calls[journal_length]
        assert (recorded.operation, recorded.status, recorded.error) == (
            operation,
            status,
            error.response["Error"],
        )
        assert observe(fake, client) == before, (
            f"{operation} was rejected ({code}) but changed state"
        )
        return
    except Exception as escaped:  # anything else escaping is a defect
        raise AssertionError(f"{type(escaped).__name__} escaped from {operation}") from escaped
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    if operation in BATCH_OPERATIONS:
        check_batch(fake, client, operation, params, response, before, world)
    world.learn(fake, operation, params, response)


def check_batch(
    fake: FakeSQS,
    client: Any,
    operation: str,
    params: dict[str, Any],
    response: dict[str, Any],
    before: Observed,
    world: World,
) -> None:
    """Only the successful entries of a batch took effect."""
    entries = {entry["Id"]: entry for entry in params["Entries"]}
    successful = {entry["Id"]: entry for entry in response.get("Successful", [])}
    failed = {entry["Id"]: entry for entry in response.get("Failed", [])}
    assert set(successful) | set(failed) == set(entries)
    assert not set(successful) & set(failed)
    after = observe(fake, client)
    assert after.time == before.time
    if operation == "SendMessageBatch":
        new = message_ids(after) - message_ids(before)
        returned = {entry["MessageId"] for entry in successful.values()}
        # A FIFO duplicate is accepted without being stored again; nothing else is new.
        assert new <= returned
        stored = {m.message_id: m for s in after.queues.values() for m in s.history}
        for entry_id, entry in successful.items():
            if entry["MessageId"] in new:
                assert stored[entry["MessageId"]].body == entries[entry_id]["MessageBody"]
        changed = new
    else:
        changed = {
            world.handle_owner[entries[entry_id]["ReceiptHandle"]]
            for entry_id in successful
            if entries[entry_id]["ReceiptHandle"] in world.handle_owner
        }
    assert without_messages(after, changed) == without_messages(before, changed)


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[Any, Any]]:
    # Made under a fake, so their credentials are the fake's dummy ones. Every example then runs
    # in a fresh fake of its own, which serves them as the innermost active fake.
    with mock_sqs(seed=0):
        yield (
            boto3.client("sqs", region_name="us-east-1"),
            boto3.client("sqs", region_name="eu-west-1"),
        )


def run_calls(clients: tuple[Any, Any], calls: list[tuple[str, Any]]) -> None:
    client, eu_client = clients
    with mock_sqs(seed=SEED, freeze=FROZEN) as fake:
        world = build_world(fake, client, eu_client)
        for operation, raw in calls:
            check_call(fake, client, world, operation, raw)


# --- the tests ---------------------------------------------------------------------------------


def test_the_fuzzer_covers_every_operation_of_the_service_model():
    from pytest_fakesqs._operations import OPERATIONS as MODELLED

    assert sorted(OPERATIONS) == sorted(MODELLED)
    assert len(OPERATIONS) == 23


def test_the_world_is_the_same_in_every_example(clients):
    client, eu_client = clients
    pools = []
    for _ in range(2):
        with mock_sqs(seed=SEED, freeze=FROZEN) as fake:
            world = build_world(fake, client, eu_client)
            pools.append(world.pools)
            assert [(view.region, view.name) for view in fake.queues()] == [
                ("eu-west-1", "orders"),
                ("us-east-1", "empty"),
                ("us-east-1", "jobs.fifo"),
                ("us-east-1", "orders"),
                ("us-east-1", "orders-dlq"),
                ("us-east-1", "purged"),
            ]
            assert [m.state for m in fake.queue("orders", region="us-east-1").messages] == [
                "in_flight",
                "in_flight",
                "visible",
                "visible",
                "delayed",
            ]
            [task] = client.list_message_move_tasks(SourceArn=ARN.format("orders-dlq"))["Results"]
            assert (task["Status"], task["ApproximateNumberOfMessagesToMove"]) == ("RUNNING", 3)
    assert pools[0] == pools[1]
    assert len(pools[0]["receipt_handle"]) == 6


@settings(CI, max_examples=12)
@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_every_operation_rejects_cleanly(clients, operation, data):
    prelude = data.draw(st.lists(ANY_CALL, max_size=2), label="prelude")
    last = data.draw(calls_of(operation), label=operation)
    run_calls(clients, [*prelude, last])


#: Defects found while fuzzing: calls the fake answers with a 500 InternalError. Each is a
#: test of its own, so a fix is checked on every run whatever the generated examples are.
FOUND = [
    # A NextToken whose "after" is not a string: ListQueues compares it with queue names.
    [("ListQueues", {"NextToken": base64.b64encode(b'{"after": 5}').decode()})],
    # maxReceiveCount Infinity (valid JSON for Python's json): int() raises OverflowError.
    [
        (
            "SetQueueAttributes",
            {
                "QueueUrl": US.format("orders"),
                "Attributes": {
                    "RedrivePolicy": json.dumps(
                        {"deadLetterTargetArn": ARN.format("orders-dlq"), "maxReceiveCount": 1e999}
                    )
                },
            },
        )
    ],
    # A Policy whose Statement is not a list of objects is accepted, then breaks
    # AddPermission and RemovePermission.
    [
        (
            "SetQueueAttributes",
            {"QueueUrl": US.format("empty"), "Attributes": {"Policy": '{"Statement": 5}'}},
        ),
        (
            "AddPermission",
            {
                "QueueUrl": US.format("empty"),
                "Label": "more",
                "AWSAccountIds": ["111122223333"],
                "Actions": ["SendMessage"],
            },
        ),
    ],
    [
        (
            "SetQueueAttributes",
            {"QueueUrl": US.format("empty"), "Attributes": {"Policy": '{"Statement": [5]}'}},
        ),
        ("RemovePermission", {"QueueUrl": US.format("empty"), "Label": "grant"}),
    ],
]


@pytest.mark.parametrize(
    "calls",
    FOUND,
    ids=[
        "next-token-after-not-text",
        "max-receive-count-infinity",
        "policy-statement-5",
        "policy-statement-list-of-5",
    ],
)
def test_calls_the_fuzzer_found_are_rejected_cleanly(clients, calls):
    run_calls(clients, calls)


@settings(CI, max_examples=100)
@given(calls=st.lists(ANY_CALL, min_size=1, max_size=6))
def test_call_sequences_reject_cleanly(clients, calls):
    run_calls(clients, calls)


@pytest.mark.heavy
@settings(HEAVY, max_examples=300)
@pytest.mark.parametrize("operation", OPERATIONS)
@given(data=st.data())
def test_every_operation_rejects_cleanly_heavy(clients, operation, data):
    prelude = data.draw(st.lists(ANY_CALL, max_size=4), label="prelude")
    last = data.draw(calls_of(operation), label=operation)
    run_calls(clients, [*prelude, last])


@pytest.mark.heavy
@settings(HEAVY, max_examples=3000)
@given(calls=st.lists(ANY_CALL, min_size=1, max_size=20))
def test_call_sequences_reject_cleanly_heavy(clients, calls):
    run_calls(clients, calls)
