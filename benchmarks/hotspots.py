"""``--profile``: where the fake spends its time in each single-message call (cProfile)."""

from __future__ import annotations

import cProfile
import os
import pstats
import sysconfig
from collections.abc import Callable
from typing import Any

from calls import OPERATIONS, Backend
from clients import REGION, make_client
from report import table
from timing import timed

import pytest_fakesqs
from pytest_fakesqs import mock_sqs

STDLIB = sysconfig.get_paths()["stdlib"]


def _where(function: tuple[str, int, str], package_root: str) -> str:
    """A profiler key as a short label: path relative to its package, line, name."""
    path, line, name = function
    if path == "~":
        return name  # a built-in
    if path.startswith(package_root):
        path = os.path.relpath(path, package_root)
    elif "site-packages" in path:
        path = path.split("site-packages" + os.sep, 1)[1]
    elif path.startswith(STDLIB):
        path = os.path.relpath(path, STDLIB)
    return f"{path}:{line}({name})"


def _engine_call(engine: Any, api_name: str) -> Callable[..., Any]:
    """Call the engine the way the fake's before-call handler does, with no botocore."""

    def call(**params: Any) -> Any:
        return engine.handle(api_name, params, REGION)

    return call


def profile(fake: Any, client: Any, calls_per_op: int, top: int) -> None:
    """Where the fake's own time goes, for each single-message operation.

    First the engine alone (no botocore, no profiler). Then cProfile over whole client calls:
    the time inside the fake's two botocore handlers is split into spots, each either a
    pytest_fakesqs function's own time or a library function it calls directly (with the
    cumulative time of those calls), so the spots add up to the fake's whole time.
    """
    backend = Backend("fake", client)
    package_dir = os.path.dirname(pytest_fakesqs.__file__)
    package_root = os.path.dirname(package_dir)
    engine = fake.engine
    for operation in OPERATIONS:
        if not operation.single:
            continue
        api_name = client.meta.method_to_api_mapping[operation.method]

        url = backend.queue()
        calls = operation.prepare(backend, url, calls_per_op)
        alone = timed(_engine_call(engine, api_name), calls)
        backend.drop(url)

        url = backend.queue()
        calls = operation.prepare(backend, url, calls_per_op)
        method = getattr(client, operation.method)
        profiler = cProfile.Profile()
        profiler.enable()
        for kwargs in calls:
            method(**kwargs)
        profiler.disable()
        backend.drop(url)

        raw: dict[Any, Any] = pstats.Stats(profiler).stats  # type: ignore[attr-defined]

        def mine(function: tuple[str, int, str]) -> bool:
            return function[0].startswith(package_dir)

        fake_total = sum(
            value[3]
            for function, value in raw.items()
            if mine(function) and not any(mine(caller) for caller in value[4])
        )
        spots: list[tuple[float, int, str]] = []
        for function, (_, calls_made, own, _, callers) in raw.items():
            if mine(function):
                spots.append((own, calls_made, _where(function, package_root)))
                continue
            from_fake = [edge for caller, edge in callers.items() if mine(caller)]
            if from_fake:
                spent = sum(edge[3] for edge in from_fake)
                made = sum(edge[1] for edge in from_fake)
                spots.append((spent, made, _where(function, package_root) + " [lib]"))
        spots.sort(reverse=True)
        print()
        print(
            f"{operation.label}: engine alone {alone:.1f} us/call (unprofiled); under cProfile "
            f"the fake's handlers take {fake_total / calls_per_op * 1e6:.1f} us/call"
        )
        rows = [
            [where, f"{made / calls_per_op:g}", f"{spent / fake_total:.1%}"]
            for spent, made, where in spots[:top]
        ]
        print(
            table(
                ["spot (own time; [lib]: a library call's cumulative)", "per call", "share"], rows
            )
        )


def run(calls_per_op: int = 2000, top: int = 12) -> None:
    with mock_sqs(seed=1) as fake:
        profile(fake, make_client(), calls_per_op, top)
