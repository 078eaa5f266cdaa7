"""Making a mapping: the handler (a callable or its dotted path), the function's name, the
checks CreateEventSourceMapping makes, and the ``event_sources=`` option."""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from . import _errors, _settings
from ._mapping import EventSourceMapping

if TYPE_CHECKING:
    from .._engine import Engine
    from .._model.queue import Queue

#: The keyword options of ``FakeSQS.event_source_mapping`` (and of an ``event_sources=`` entry,
#: beside ``queue`` and ``handler``).
OPTIONS = (
    "batch_size",
    "maximum_batching_window",
    "report_batch_item_failures",
    "filter_criteria",
    "maximum_concurrency",
    "function_name",
    "timeout",
    "memory_size",
    "enabled",
    "region",
)


def resolve_handler(handler: Any) -> Callable[..., Any]:
    """A callable, or one named by ``"package.module.function"`` / ``"package.module:function"``."""
    if callable(handler):
        return handler  # type: ignore[no-any-return]
    if not isinstance(handler, str) or not handler.strip():
        raise TypeError(f"handler= takes a callable or its dotted path, got {handler!r}")
    module_name, _, attribute = handler.partition(":")
    if not attribute:
        module_name, _, attribute = handler.rpartition(".")
    if not module_name or not attribute:
        raise ValueError(f"handler {handler!r}: give 'package.module.function'")
    module = importlib.import_module(module_name)
    target: Any = module
    for part in attribute.split("."):
        target = getattr(target, part, None)
        if target is None:
            raise ValueError(f"handler {handler!r}: {module_name} has no {attribute}")
    if not callable(target):
        raise TypeError(f"handler {handler!r} is not callable: {target!r}")
    return target  # type: ignore[no-any-return]


def default_function_name(handler: Callable[..., Any]) -> str:
    """The handler's name, as a Lambda function name (letters, digits, '-' and '_')."""
    name = getattr(handler, "__name__", None) or type(handler).__name__
    return re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:64] or "function"


def create(
    engine: Engine,
    queue: Queue,
    handler: Any,
    *,
    batch_size: Any = 10,
    maximum_batching_window: Any = 0,
    report_batch_item_failures: Any = False,
    filter_criteria: Any = None,
    maximum_concurrency: Any = None,
    function_name: str | None = None,
    timeout: Any = _settings.DEFAULT_TIMEOUT,
    memory_size: Any = _settings.DEFAULT_MEMORY_SIZE,
    enabled: Any = True,
) -> EventSourceMapping:
    """A new mapping of ``handler`` to ``queue``, checked as Lambda checks one."""
    function = resolve_handler(handler)
    name = default_function_name(function) if function_name is None else function_name
    if not isinstance(enabled, bool):
        raise TypeError(f"enabled= takes True or False, got {enabled!r}")
    with engine.lock:
        settings = _settings.check(
            batch_size=batch_size,
            maximum_batching_window=maximum_batching_window,
            report_batch_item_failures=report_batch_item_failures,
            filter_criteria=filter_criteria,
            maximum_concurrency=maximum_concurrency,
            function_name=name,
            timeout=timeout,
            memory_size=memory_size,
            fifo=queue.fifo,
            visibility_timeout=queue.visibility_timeout,
            request_id=engine.ids.uuid,
        )
        sources = engine.event_sources
        for existing in sources.mappings:
            if existing.event_source_arn == queue.arn and existing.function_name == name:
                # Recorded on AWS, spaces inside the quotes included.
                raise _errors.lambda_error(
                    _errors.RESOURCE_CONFLICT,
                    f'An event source mapping with SQS arn (" {queue.arn} ") and function '
                    f'(" {name} ") already exists. Please update or delete the existing mapping '
                    f"with UUID {existing.uuid}",
                    engine.ids.uuid(),
                )
        day = datetime.fromtimestamp(engine.now(), tz=timezone.utc).strftime("%Y/%m/%d")
        mapping = EventSourceMapping(
            engine=engine,
            sources=sources,
            queue=queue,
            handler=function,
            settings=settings,
            uuid=engine.ids.uuid(),
            log_stream_name=f"{day}/[$LATEST]{engine.ids.token(128):032x}",
            enabled=enabled,
        )
        sources.add(mapping)
        return mapping


def option_specs(value: Any) -> list[dict[str, Any]]:
    """The ``event_sources=`` option: dicts with ``queue``, ``handler`` and any of
    ``event_source_mapping``'s keyword options. Checked for shape only; the handlers and
    queues are looked up when the fake starts."""
    if isinstance(value, (str, Mapping)) or not isinstance(value, Sequence):
        raise ValueError(
            "event_sources= takes a list of dicts with 'queue', 'handler' and "
            f"event_source_mapping()'s options, got {value!r}"
        )
    specs = []
    for item in value:
        if not isinstance(item, Mapping) or "queue" not in item or "handler" not in item:
            raise ValueError(
                f"event_sources=: each entry is a dict with 'queue' and 'handler', got {item!r}"
            )
        unknown = sorted(set(item) - {"queue", "handler", *OPTIONS})
        if unknown:
            raise ValueError(
                f"event_sources=: unknown keys {unknown} in {dict(item)!r}; "
                f"known: queue, handler, {', '.join(OPTIONS)}"
            )
        specs.append(dict(item))
    return specs
