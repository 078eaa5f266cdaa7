"""Check the built sdist and wheel, and print what PyPI would show and what each one holds.

    python scripts/check_dist.py dist/     # one .tar.gz and one .whl in dist/

CI (.ci/run) runs it after `python -m build`. It fails (exit 1, one line per problem) if a
file a user or a packager needs is missing, or if something that must not ship is there
(caches, virtual environments, node_modules, the tests in the wheel). That the sdist holds
everything the tests, the examples and the docs build need is proven by CI running all three
from the unpacked sdist; this catches the rest early, with a clear message.
"""

from __future__ import annotations

import argparse
import sys
import tarfile
import zipfile
from collections.abc import Iterable, Sequence
from email.parser import Parser
from pathlib import Path

#: Paths the wheel must hold ({dist_info} is the .dist-info directory).
WHEEL_REQUIRED = (
    "pytest_fakesqs/__init__.py",
    "pytest_fakesqs/plugin.py",
    "pytest_fakesqs/py.typed",
    "pytest_fakesqs/_server/sqs-query-2012-11-05.json.gz",
    "pytest_fakesqs/_server/LICENSE-Apache-2.0.txt",
    "pytest_fakesqs/_server/NOTICE",
    "{dist_info}/METADATA",
    "{dist_info}/entry_points.txt",
    "{dist_info}/licenses/LICENSE",
    "{dist_info}/licenses/pytest_fakesqs/_server/LICENSE-Apache-2.0.txt",
    "{dist_info}/licenses/pytest_fakesqs/_server/NOTICE",
)
#: Paths the sdist must hold, under its top directory.
SDIST_REQUIRED = (
    "PKG-INFO",
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    "Dockerfile",
    "mkdocs.yml",
    "docs/constraints.txt",
    "docs/index.md",
    "scripts/gen_operations_doc.py",
    "scripts/griffe_crossrefs.py",
    "examples/conftest.py",
    "examples/orders/worker.py",
    "examples/tests/test_orders.py",
    "tests/conftest.py",
    "tests/compat/transcript.json",
    "tests/server/js/package.json",
    "tests/server/js/package-lock.json",
    "pytest_fakesqs/_server/sqs-query-2012-11-05.json.gz",
)
#: Path parts that never ship.
FORBIDDEN_PARTS = ("__pycache__", "node_modules", ".venv", ".pytest_cache", ".hypothesis")


def wheel_problems(names: Iterable[str]) -> list[str]:
    names = set(names)
    dist_info = next((n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA")), "")
    problems = [
        f"wheel: missing {path}"
        for template in WHEEL_REQUIRED
        if (path := template.format(dist_info=dist_info)) not in names
    ]
    problems += [
        f"wheel: {name} must not ship"
        for name in sorted(names)
        if name.split("/")[0] not in ("pytest_fakesqs", dist_info) or _forbidden(name)
    ]
    return problems


def sdist_problems(names: Iterable[str]) -> list[str]:
    names = set(names)
    top = next(iter(sorted(names)), "").split("/")[0]
    problems = [f"sdist: missing {path}" for path in SDIST_REQUIRED if f"{top}/{path}" not in names]
    problems += [f"sdist: {name} must not ship" for name in sorted(names) if _forbidden(name)]
    return problems


def _forbidden(name: str) -> bool:
    return any(part in FORBIDDEN_PARTS for part in name.split("/"))


def pypi_summary(metadata_text: str) -> list[str]:
    """What PyPI shows beside the description, from the wheel's METADATA."""
    metadata = Parser().parsestr(metadata_text)
    lines = [
        f"Name: {metadata['Name']}",
        f"Version: {metadata['Version']}",
        f"Summary: {metadata['Summary']}",
        f"License-Expression: {metadata['License-Expression']}",
        f"Requires-Python: {metadata['Requires-Python']}",
    ]
    lines += [f"Requires-Dist: {value}" for value in metadata.get_all("Requires-Dist") or ()
              if "extra ==" not in value]  # fmt: skip
    lines += [f"Classifier: {value}" for value in metadata.get_all("Classifier") or ()]
    lines += [f"Project-URL: {value}" for value in metadata.get_all("Project-URL") or ()]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dist", type=Path, help="the directory python -m build wrote to")
    options = parser.parse_args(argv)
    [wheel] = sorted(options.dist.glob("*.whl"))
    [sdist] = sorted(options.dist.glob("*.tar.gz"))
    with zipfile.ZipFile(wheel) as archive:
        wheel_names = [name for name in archive.namelist() if not name.endswith("/")]
        metadata_name = next(n for n in wheel_names if n.endswith(".dist-info/METADATA"))
        metadata_text = archive.read(metadata_name).decode("utf-8")
    with tarfile.open(sdist) as archive:
        sdist_names = [member.name for member in archive.getmembers() if member.isfile()]

    print("\n".join(pypi_summary(metadata_text)))
    print(f"\n{wheel.name}: {len(wheel_names)} files")
    print("\n".join(f"  {name}" for name in sorted(wheel_names)))
    print(f"\n{sdist.name}: {len(sdist_names)} files")
    print("\n".join(f"  {name}" for name in sorted(sdist_names)))
    problems = wheel_problems(wheel_names) + sdist_problems(sdist_names)
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
