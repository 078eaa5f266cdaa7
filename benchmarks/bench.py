"""pytest-fakesqs benchmarks: every figure, its target, PASS or MISS, in one command.

``python benchmarks/bench.py`` runs everything (several minutes) and draws the chart;
``--quick`` is a short run (about a minute); ``--profile`` prints where the fake's time goes.
See benchmarks/README.md and docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# The section modules sit next to this file: `python benchmarks/bench.py` puts this directory
# on sys.path. clients imports moto (before any client exists).
import boto3
import botocore
import calls
import chart
import clients
import depth
import expiry
import hotspots
import lambda_flow
import memory
import startup
import suite
from report import Check, targets_table

import pytest_fakesqs

DEFAULT_CHART = Path(__file__).resolve().parent.parent / "docs" / "benchmarks.png"
SECTIONS = ("calls", "depth", "expiry", "memory", "startup", "suite", "lambda")


@dataclass(frozen=True)
class Settings:
    # calls: fake/floor block pairs per operation per round, and one moto block per round
    rounds: int
    pairs: int
    block: int
    # depth: the standard queues' depths, the FIFO queue's messages and groups
    depths: tuple[int, ...]
    fifo_messages: int
    fifo_groups: int
    depth_rounds: int
    depth_block: int
    # expiry
    expired: int
    after_calls: int
    # memory
    stored: int
    sites_sample: int
    deleted: int
    journal_cycles: int
    run_calls: int
    # startup
    startup_pairs: int
    import_runs: int
    # suite
    suite_tests: int
    suite_rounds: int
    # lambda: messages through a mapping and through a receive-and-delete loop, runs of each
    lambda_messages: int
    lambda_runs: int


FULL = Settings(
    rounds=10,
    pairs=50,
    block=10,
    depths=(10, 10_000, 1_000_000),
    fifo_messages=100_000,
    fifo_groups=10_000,
    depth_rounds=40,
    depth_block=50,
    expired=1_000_000,
    after_calls=30,
    stored=1_000_000,
    sites_sample=100_000,
    deleted=100_000,
    journal_cycles=20_000,
    run_calls=1_000_000,
    startup_pairs=40,
    import_runs=9,
    suite_tests=1000,
    suite_rounds=2,
    lambda_messages=10_000,
    lambda_runs=7,
)
QUICK = Settings(
    rounds=2,
    pairs=20,
    block=10,
    depths=(10, 10_000, 100_000),
    fifo_messages=10_000,
    fifo_groups=10_000,
    depth_rounds=6,
    depth_block=50,
    expired=100_000,
    after_calls=20,
    stored=100_000,
    sites_sample=20_000,
    deleted=10_000,
    journal_cycles=2_000,
    run_calls=100_000,
    startup_pairs=5,
    import_runs=3,
    suite_tests=200,
    suite_rounds=1,
    lambda_messages=10_000,
    lambda_runs=3,
)


@contextmanager
def section(number: int, text: str) -> Iterator[None]:
    print()
    print(f"== {number}. {text} " + "=" * max(0, 86 - len(text)))
    sys.stdout.flush()
    began = time.perf_counter()
    yield
    print(f"(section {number}: {time.perf_counter() - began:.0f} s wall)")
    sys.stdout.flush()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a short run (about a minute)")
    parser.add_argument(
        "--profile", action="store_true", help="profile the fake's single-message calls instead"
    )
    parser.add_argument(
        "--only",
        metavar="SECTION[,SECTION]",
        help=f"run only these sections: {', '.join(SECTIONS)}",
    )
    parser.add_argument(
        "--chart",
        metavar="PATH",
        type=Path,
        help=f"write the chart there (default for a full run of every section: {DEFAULT_CHART})",
    )
    parser.add_argument("--no-chart", action="store_true", help="do not draw the chart")
    args = parser.parse_args()
    if args.profile:
        hotspots.run()
        return
    chosen = SECTIONS if not args.only else tuple(args.only.split(","))
    unknown = sorted(set(chosen) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown section(s) {', '.join(unknown)}; known: {', '.join(SECTIONS)}")
    settings = QUICK if args.quick else FULL
    chart_path = args.chart
    if chart_path is None and not args.quick and not args.only:
        chart_path = DEFAULT_CHART
    if args.no_chart:
        chart_path = None

    began = time.perf_counter()
    has_moto = clients.moto is not None
    print(
        f"pytest-fakesqs {pytest_fakesqs.__version__}, boto3 {boto3.__version__}, "
        f"botocore {botocore.__version__}, "
        f"moto {clients.moto.__version__ if has_moto else 'not installed'}, "
        f"Python {platform.python_version()}, {platform.machine()}, "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
        f"{' (--quick)' if args.quick else ''}"
    )
    s = settings
    checks: list[Check] = []
    call_figures = depth_figures = None
    if "calls" in chosen:
        with section(1, "Per call: the fake against botocore's floor and moto"):
            call_figures = calls.run(s.rounds, s.pairs, s.block)
            checks += calls.checks(call_figures)
    if "depth" in chosen:
        with section(2, "Queue depth and FIFO groups"):
            depth_figures = depth.run(
                s.depths, s.fifo_messages, s.fifo_groups, s.depth_rounds, s.depth_block
            )
            depth.print_figures(depth_figures, s.depth_rounds, s.depth_block)
            checks += depth.checks(depth_figures)
    if "expiry" in chosen:
        with section(3, "Advancing the clock across the retention period"):
            expired = expiry.run(s.expired, s.after_calls)
            expiry.print_figures(expired, s.after_calls)
            checks += expiry.checks(expired)
    if "memory" in chosen:
        with section(4, "Memory per message, the history and the journal"):
            stored = memory.run(s.stored, s.sites_sample, s.deleted, s.journal_cycles, s.run_calls)
            memory.print_figures(stored)
            checks += memory.checks(stored)
    # The pytest subprocesses of sections 5 and 6 share one bytecode cache.
    with tempfile.TemporaryDirectory(prefix="fakesqs-bytecode-") as bytecode:
        if "startup" in chosen:
            with section(5, "pytest start-up with the plugin installed but unused"):
                started = startup.run(s.startup_pairs, s.import_runs, Path(bytecode))
                startup.print_figures(started)
                checks += startup.checks(started)
        if "suite" in chosen:
            with section(6, f"A suite of {s.suite_tests:,} small tests: the fake against moto"):
                ran = suite.run(s.suite_tests, s.suite_rounds, has_moto, Path(bytecode))
                suite.print_figures(ran)
                checks += suite.checks(ran)
    if "lambda" in chosen:
        with section(7, "A Lambda event source mapping against a receive-and-delete loop"):
            flowed = lambda_flow.run(s.lambda_messages, s.lambda_runs)
            lambda_flow.print_figures(flowed)
            checks += lambda_flow.checks(flowed)

    print()
    print("== Targets " + "=" * 90)
    print(targets_table(checks))
    missed = [check.figure for check in checks if check.passed is False]
    passed = sum(check.passed is True for check in checks)
    print(f"{passed} PASS, {len(missed)} MISS, {sum(c.passed is None for c in checks)} info")
    if chart_path is not None:
        chart.draw(
            chart_path,
            call_figures,
            depth_figures,
            f"pytest-fakesqs {pytest_fakesqs.__version__} benchmarks "
            f"(Python {platform.python_version()}, botocore {botocore.__version__}"
            f"{', moto ' + clients.moto.__version__ if has_moto else ''})",
        )
        print(f"chart written to {chart_path}")
    print(f"wall time {time.perf_counter() - began:.0f} s")


if __name__ == "__main__":
    main()
