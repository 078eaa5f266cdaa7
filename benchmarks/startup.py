"""What the plugin adds to a pytest run whose tests never use it.

pytest loads every installed plugin at start-up, so a project that installs pytest-fakesqs
pays for importing it in every run. Measured as the difference between pytest subprocesses
run with the plugin and with ``-p no:fakesqs``, alternating, on a directory holding one
trivial test; and, for where that time goes, ``python -X importtime``.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from report import Check, table
from timing import median

#: What the plugin may add to a pytest run that does not use it, in CPU milliseconds.
STARTUP_TARGET_MS = 10.0
PLUGIN_MODULE = "pytest_fakesqs.plugin"


@dataclass(frozen=True)
class Run:
    cpu: float  # the child's user + system CPU seconds
    wall: float


@dataclass(frozen=True)
class Module:
    name: str
    self_us: int
    cumulative_us: int


@dataclass(frozen=True)
class StartupFigures:
    pairs: int
    with_plugin: list[Run]
    without_plugin: list[Run]
    #: Per pair, with minus without, in milliseconds.
    cpu_differences: list[float]
    wall_differences: list[float]
    #: ``import pytest_fakesqs.plugin`` after ``import pytest``: cumulative microseconds of
    #: each -X importtime run, and the modules it imported in the median run.
    import_runs: list[int]
    imported: list[Module]

    @property
    def cpu_ms(self) -> float:
        return median(self.cpu_differences)

    @property
    def wall_ms(self) -> float:
        return median(self.wall_differences)

    @property
    def cpu_quartiles(self) -> tuple[float, float]:
        """The middle half of the per-pair CPU differences: how noisy the median is."""
        quartiles = statistics.quantiles(self.cpu_differences, n=4)
        return quartiles[0], quartiles[2]

    @property
    def cpu_fastest_ms(self) -> float:
        """Fastest run with the plugin minus fastest without: another machine's load only ever
        adds time, so the fastest runs are the least disturbed."""
        fastest_with = min(run.cpu for run in self.with_plugin)
        fastest_without = min(run.cpu for run in self.without_plugin)
        return (fastest_with - fastest_without) * 1e3


def python_environment(bytecode: Path) -> dict[str, str]:
    """The environment for a Python subprocess: bytecode cached, as in a user's install.

    With PYTHONDONTWRITEBYTECODE set (as in some CI and container images), a package installed
    in editable mode is never compiled to bytecode, and every run would compile its source
    again. The cache goes to a directory of our own (PYTHONPYCACHEPREFIX), not the source tree.
    """
    environment = {**os.environ, "PYTHONPYCACHEPREFIX": str(bytecode)}
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


def run_pytest(directory: Path, environment: dict[str, str], *extra: str, passed: int = 1) -> Run:
    """One pytest subprocess on ``directory``; it must pass exactly ``passed`` tests."""
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *extra, "."]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    result = subprocess.run(
        command, cwd=directory, env=environment, capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0 or f"{passed} passed" not in result.stdout:
        tail = (result.stdout + result.stderr)[-3000:]
        raise SystemExit(f"{' '.join(command)} in {directory} failed:\n{tail}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(cpu, wall)


def importtime(environment: dict[str, str]) -> tuple[int, list[Module]]:
    """One ``-X importtime`` run: the plugin's cumulative microseconds, and every module its
    import brought in (pytest already imported), in import order."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", f"import pytest; import {PLUGIN_MODULE}"],
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    rows = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "[us]" in line:
            continue
        self_us, cumulative_us, name = line[len("import time:") :].split("|")
        rows.append((int(self_us), int(cumulative_us), name))
    # Lines come children first; the plugin's subtree is the run of deeper-indented lines
    # right before its own line.
    at = next(i for i, row in enumerate(rows) if row[2].strip() == PLUGIN_MODULE)
    depth = len(rows[at][2]) - len(rows[at][2].lstrip())
    start = at
    while start > 0:
        name = rows[start - 1][2]
        if len(name) - len(name.lstrip()) <= depth:
            break
        start -= 1
    modules = [Module(name.strip(), s, c) for s, c, name in rows[start : at + 1]]
    return rows[at][1], modules


def run(pairs: int, import_runs: int, bytecode: Path) -> StartupFigures:
    """``bytecode``: where the subprocesses cache their bytecode (see python_environment)."""
    with tempfile.TemporaryDirectory(prefix="fakesqs-startup-") as name:
        directory = Path(name)
        environment = python_environment(bytecode)
        # An ini file of its own stops pytest looking for one in the directories above.
        (directory / "pytest.ini").write_text("[pytest]\n")
        (directory / "test_trivial.py").write_text("def test_one():\n    assert 1 + 1 == 2\n")
        variants = {"with": (), "without": ("-p", "no:fakesqs")}
        for extra in variants.values():  # untimed: compile bytecode, warm the file cache
            run_pytest(directory, environment, *extra)
        runs: dict[str, list[Run]] = {"with": [], "without": []}
        cpu: list[float] = []
        wall: list[float] = []
        for index in range(pairs):
            order = ["with", "without"] if index % 2 == 0 else ["without", "with"]
            got = {
                variant: run_pytest(directory, environment, *variants[variant]) for variant in order
            }
            for variant, measured in got.items():
                runs[variant].append(measured)
            cpu.append((got["with"].cpu - got["without"].cpu) * 1e3)
            wall.append((got["with"].wall - got["without"].wall) * 1e3)
        measured_imports = [importtime(environment) for _ in range(import_runs)]
    totals = [total for total, _ in measured_imports]
    typical = sorted(measured_imports, key=lambda pair: pair[0])[len(measured_imports) // 2]
    return StartupFigures(
        pairs=pairs,
        with_plugin=runs["with"],
        without_plugin=runs["without"],
        cpu_differences=cpu,
        wall_differences=wall,
        import_runs=totals,
        imported=typical[1],
    )


def print_figures(figures: StartupFigures, top: int = 10) -> None:
    def ms(values: list[float]) -> str:
        return f"{median(values) * 1e3:,.0f}"

    print(
        f"pytest start-up, one trivial test, {figures.pairs} pairs of subprocesses "
        "(with the plugin / with -p no:fakesqs), alternating; medians"
    )
    rows = [
        [
            "with the plugin",
            ms([r.cpu for r in figures.with_plugin]),
            ms([r.wall for r in figures.with_plugin]),
        ],
        [
            "without (-p no:fakesqs)",
            ms([r.cpu for r in figures.without_plugin]),
            ms([r.wall for r in figures.without_plugin]),
        ],
        ["difference (median per pair)", f"{figures.cpu_ms:+.1f}", f"{figures.wall_ms:+.1f}"],
    ]
    print(table(["pytest run", "CPU ms", "wall ms"], rows))
    low, high = figures.cpu_quartiles
    print(
        f"per-pair CPU differences: middle half {low:+.0f} to {high:+.0f} ms; "
        f"fastest run with the plugin minus fastest without: {figures.cpu_fastest_ms:+.1f} ms"
    )
    imported = figures.imported
    print(
        f"python -X importtime -c 'import pytest; import {PLUGIN_MODULE}': the plugin's import "
        f"takes {median([float(t) for t in figures.import_runs]) / 1e3:.1f} ms (median of "
        f"{len(figures.import_runs)}) and brings in {len(imported)} modules; "
        f"the {min(top, len(imported))} slowest by self time:"
    )
    slowest = sorted(imported, key=lambda module: module.self_us, reverse=True)[:top]
    rows = [[m.name, f"{m.self_us / 1e3:.1f}", f"{m.cumulative_us / 1e3:.1f}"] for m in slowest]
    print(table(["module", "self ms", "cumulative ms"], rows))
    heavy = [m.name for m in imported if m.name.split(".")[0] in ("botocore", "boto3")]
    print(f"botocore imported by the plugin: {'yes: ' + ', '.join(heavy) if heavy else 'no'}")


def checks(figures: StartupFigures) -> list[Check]:
    imported = figures.imported
    package = sum(m.self_us for m in imported if m.name.startswith("pytest_fakesqs"))
    import_ms = median([float(t) for t in figures.import_runs]) / 1e3
    return [
        Check(
            "pytest start-up, plugin unused (CPU)",
            f"{figures.cpu_ms:+.1f} ms",
            f"< {STARTUP_TARGET_MS:g} ms",
            figures.cpu_ms < STARTUP_TARGET_MS,
            f"fastest runs {figures.cpu_fastest_ms:+.0f} ms; the import: {import_ms:.0f} ms, "
            f"{len(imported)} modules, {package / 1e3:.0f} ms in pytest_fakesqs itself",
        )
    ]
