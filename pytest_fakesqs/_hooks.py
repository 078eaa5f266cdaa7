"""botocore wiring: the two event handlers and how they reach every client.

The handlers are added to botocore's built-in handler list, which every botocore session
(boto3's, aiobotocore's, a plain one) copies when it is created. So that clients made at import
time of application modules are served too, the list is extended as soon as botocore is
imported: the pytest plugin installs an import hook, without importing botocore itself.
Sessions and clients made before that (botocore imported before the hooks were installed, as
under ``python -m unittest``) are found once, when the first fake starts, and attached: see
:func:`attach_made_before_hooks`. :func:`attach` does it by hand.
"""

from __future__ import annotations

import functools
import gc
import importlib.abc
import importlib.machinery
import os
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from . import _escapes, _forks
from ._protocols import ClientProtocol, for_client, protocol_of

if TYPE_CHECKING:
    from ._engine import Engine

#: Active fakes, innermost last. Shared by all threads: a producer thread sees the test's fake.
_active: list[Engine] = []
_active_lock = threading.Lock()
_PARAMS_KEY = "pytest_fakesqs.api_params"


def push(engine: Engine) -> None:
    _watch_forks()
    with _active_lock:
        _active.append(engine)


def pop(engine: Engine) -> None:
    with _active_lock:
        if engine in _active:
            _active.remove(engine)


def active() -> Engine | None:
    return _active[-1] if _active else None


_watching_forks = False


def _watch_forks() -> None:
    """Once a fake has been active, tell a forked child which fakes it inherited. The lock is
    held across the fork, so the child never inherits it held by another thread."""
    global _watching_forks
    if _watching_forks:
        return
    _watching_forks = True
    os.register_at_fork(
        before=_active_lock.acquire,
        after_in_parent=_active_lock.release,
        after_in_child=_after_fork_in_child,
    )


def _after_fork_in_child() -> None:
    _active_lock.release()
    _forks.forked(_active)


def remember_api_params(params: dict[str, Any], context: dict[str, Any], **_: Any) -> None:
    """before-parameter-build: keep the params as the user passed them, for before-call."""
    if _active:
        context[_PARAMS_KEY] = params


def answer_call(
    model: Any,
    params: dict[str, Any],
    context: dict[str, Any],
    request_signer: Any = None,
    event_name: str = "",
    **_: Any,
) -> Any:
    """before-call: answer from the active fake; None lets botocore go to the network.

    Registered for every service's ``before-call`` (and so called after botocore's own
    handlers of that event, which add headers such as X-Amzn-Trace-Id inside Lambda), it
    answers SQS calls only.
    """
    if not event_name.startswith("before-call.sqs."):
        return None
    if not _active:
        if _escapes.armed:
            _escapes.check(model.name, request_signer, endpoint_of(params.get("url", "")) is None)
        return None
    engine = _active[-1]
    url = params.get("url", "")
    endpoint = endpoint_of(url)
    if _forks.inherited and _forks.is_inherited(engine):
        # Checked before the fake's lock, which another thread may have held at the fork.
        if endpoint is not None:
            return None  # a client of the parent's server (or any endpoint of its own)
        _forks.refuse(model.name)
    api_params = context.get(_PARAMS_KEY)
    if api_params is None:
        # Created by a path that skipped before-parameter-build: nothing safe to answer with.
        return None
    if _escapes.armed:
        _escapes.note_served(request_signer)
    region = context.get("client_region") or "us-east-1"
    protocol = protocol_of(model.service_model)
    if model.name == "ReceiveMessage" and _is_async_client(request_signer):
        # aiobotocore awaits a handler's awaitable result: the long poll can then yield to
        # the event loop instead of blocking it.
        return _answer_async(engine, model.name, api_params, region, endpoint, url, protocol)
    status, parsed = engine.handle(
        model.name,
        api_params,
        region,
        endpoint=endpoint,
        trace_header=params.get("headers", {}).get("X-Amzn-Trace-Id"),
    )
    return _http_response(url, status), for_client(parsed, protocol)


async def _answer_async(
    engine: Engine,
    operation: str,
    api_params: dict[str, Any],
    region: str,
    endpoint: str | None,
    url: str,
    protocol: ClientProtocol,
) -> Any:
    status, parsed = await engine.handle_async(operation, api_params, region, endpoint=endpoint)
    return _http_response(url, status), for_client(parsed, protocol)


def _is_async_client(request_signer: Any) -> bool:
    # aiobotocore passes its own AioRequestSigner; nothing else in the call says "async".
    return type(request_signer).__module__.startswith("aiobotocore")


@functools.lru_cache(maxsize=64)
def endpoint_of(url: str) -> str | None:
    """A client's own endpoint (scheme://host:port), or None for an AWS endpoint.

    SQS returns queue URLs on the endpoint that was called; AWS's endpoints all get the
    canonical https://sqs.<region>.amazonaws.com form, whatever host the client used.
    """
    split = urlsplit(url)
    host = split.hostname or ""
    if not host or host.endswith(_AWS_HOST_SUFFIXES):
        return None
    return f"{split.scheme}://{split.netloc}"


_AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


@functools.lru_cache(maxsize=256)
def _http_response(url: str, status: int) -> Any:
    """The bare HTTP response botocore is handed with the parsed answer: one per URL and
    status, shared (botocore reads only its status; nothing changes it)."""
    from botocore.awsrequest import AWSResponse

    # The headers live in the parsed ResponseMetadata, where users read them; botocore's
    # after-call handlers only look at the status, so the response object stays bare.
    return AWSResponse(url, status, {}, None)  # type: ignore[arg-type]


HANDLERS: Sequence[tuple[str, Any]] = (
    ("before-parameter-build.sqs", remember_api_params),
    # Not "before-call.sqs": handlers of a more specific event run first, and the request
    # must be as botocore's own before-call handlers leave it.
    ("before-call", answer_call),
)


def register_builtin(handlers_module: ModuleType) -> None:
    """Add our handlers to botocore's built-in list, once."""
    builtin: list[Any] = handlers_module.BUILTIN_HANDLERS
    for entry in HANDLERS:
        if entry not in builtin:
            builtin.append(entry)


def attach(target: Any) -> None:
    """Serve a client, botocore session or boto3 session created before the plugin loaded."""
    events = None
    if hasattr(target, "meta") and hasattr(target.meta, "events"):
        events = target.meta.events
    elif hasattr(target, "_session") and hasattr(target._session, "register"):
        events = target._session
    elif hasattr(target, "register"):
        events = target
    if events is None:
        raise TypeError(f"cannot attach pytest-fakesqs to {target!r}: not a client or session")
    for event, handler in HANDLERS:
        events.unregister(event, handler)
        events.register(event, handler)


class _BotocoreHandlersFinder(importlib.abc.MetaPathFinder):
    """Runs register_builtin right after botocore.handlers is first imported."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname != "botocore.handlers":
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or spec.loader is None:
            return None
        spec.loader = _RegisteringLoader(spec.loader)
        return spec


class _RegisteringLoader(importlib.abc.Loader):
    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)  # type: ignore[no-any-return]

    def exec_module(self, module: ModuleType) -> None:
        self._loader.exec_module(module)
        register_builtin(module)


_finder = _BotocoreHandlersFinder()
#: Set when botocore was imported before our handlers were in its built-in list: sessions and
#: clients made meanwhile lack them, and the next fake to start looks for them.
_made_before_hooks = False


def install() -> None:
    """Make every botocore session created from now on carry our handlers."""
    global _made_before_hooks
    handlers = sys.modules.get("botocore.handlers")
    if handlers is not None:
        if not all(entry in handlers.BUILTIN_HANDLERS for entry in HANDLERS):
            _made_before_hooks = True
        register_builtin(handlers)
    elif _finder not in sys.meta_path:
        sys.meta_path.insert(0, _finder)


def attach_made_before_hooks() -> None:
    """Attach every botocore session and SQS client that may predate our handlers.

    Only when botocore was imported before :func:`install` ran, and only once: one pass over
    the garbage collector's objects (tens of milliseconds in a large process). Sessions made
    after that carry the handlers, and so do clients made later from the sessions attached here.
    """
    global _made_before_hooks
    if not _made_before_hooks:
        return
    _made_before_hooks = False
    from botocore.client import BaseClient
    from botocore.session import Session

    for found in gc.get_objects():
        if isinstance(found, Session) or (
            isinstance(found, BaseClient) and found.meta.service_model.service_name == "sqs"
        ):
            attach(found)
