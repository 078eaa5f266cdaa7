"""The documentation stays true: the operations page is current, and every example runs.

Every ```python block in README.md and docs/*.md runs. A block that defines tests (``test_*``
functions, or test methods of a class) is written to a file and run by pytest itself, through
pytester, so its fixtures and markers work as they will for a reader; any other block is
executed in a fresh namespace. A block preceded by a ``<!-- not-run -->`` line is only
compiled.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pytest_fakesqs import _hooks

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
NOT_RUN = "<!-- not-run -->"


@dataclass(frozen=True)
class CodeBlock:
    page: Path
    line: int  # of the opening fence, 1-based
    source: str
    run: bool

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    def test_count(self) -> int:
        """How many tests pytest collects from the block (0: it is not a test module)."""
        count = 0
        for node in ast.parse(self.source).body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                count += 1
            elif isinstance(node, ast.ClassDef):
                count += sum(
                    isinstance(member, ast.FunctionDef) and member.name.startswith("test")
                    for member in node.body
                )
        return count


def python_blocks(page: Path) -> list[CodeBlock]:
    """The ```python blocks of a Markdown page, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        if lines[index].strip() != "```python":
            index += 1
            continue
        end = index + 1
        while end < len(lines) and lines[end].strip() != "```":
            end += 1
        if end == len(lines):
            raise ValueError(f"{page}:{index + 1}: unterminated ```python block")
        previous = next((line.strip() for line in reversed(lines[:index]) if line.strip()), "")
        blocks.append(
            CodeBlock(
                page=page,
                line=index + 1,
                source="\n".join(lines[index + 1 : end]) + "\n",
                run=previous != NOT_RUN,
            )
        )
        index = end + 1
    return blocks


BLOCKS = [block for page in PAGES for block in python_blocks(page)]


# real-time: docs/time-travel.md's thread example long-polls while a real thread sends; it waits
# only until that send (no sleep), as the page explains.
@pytest.mark.parametrize("block", BLOCKS, ids=[block.name for block in BLOCKS])
def test_example_runs(block: CodeBlock, pytester: pytest.Pytester) -> None:
    code = compile(block.source, block.name, "exec")
    if not block.run:
        return
    tests = block.test_count()
    if tests:
        pytester.makepyfile(test_doc_example=block.source)
        result = pytester.runpytest_inprocess(
            "-p", "no:cacheprovider", "-p", "no:hypothesispytest", "-W", "error"
        )
        result.assert_outcomes(passed=tests)
    else:
        namespace: dict[str, Any] = {"__name__": "__doc_example__"}
        exec(code, namespace)
    assert _hooks.active() is None, f"{block.name} left a fake active"


def test_the_pages_with_examples_are_all_found() -> None:
    pages = {str(block.page.relative_to(ROOT)) for block in BLOCKS}

    assert pages >= {
        "README.md",
        "docs/getting-started.md",
        "docs/fixtures.md",
        "docs/time-travel.md",
        "docs/comparison.md",
    }


def test_python_blocks_reads_fences_and_the_not_run_mark(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Intro\n\n```python\nx = 1\n```\n\n<!-- not-run -->\n\n```python\ny = 2\n```\n"
        "```sh\necho no\n```\n",
        encoding="utf-8",
    )

    assert python_blocks(page) == [
        CodeBlock(page, 3, "x = 1\n", run=True),
        CodeBlock(page, 9, "y = 2\n", run=False),
    ]


def test_python_blocks_rejects_an_unterminated_fence(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\nx = 1\n", encoding="utf-8")

    with pytest.raises(ValueError) as excinfo:
        python_blocks(page)

    assert str(excinfo.value) == f"{page}:1: unterminated ```python block"


# --- docs/operations.md -------------------------------------------------------------------------

GENERATOR = ROOT / "scripts" / "gen_operations_doc.py"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("gen_operations_doc", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_operations_page_is_current() -> None:
    result = subprocess.run(
        [sys.executable, str(GENERATOR), "--check"], capture_output=True, text=True, check=False
    )

    assert (result.returncode, result.stderr) == (0, "")


def test_operations_page_lists_every_botocore_operation(generator: ModuleType) -> None:
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| `")]

    assert [row.split("`")[1] for row in rows] == generator.botocore_operations()


@dataclass(frozen=True)
class FakeSpec:
    name: str
    status: str
    notes: str = ""


def test_an_operation_without_a_handler_is_not_routed_and_fails_the_check(
    generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    table = {
        "SendMessage": FakeSpec("SendMessage", "supported"),
        "StartMessageMoveTask": FakeSpec("StartMessageMoveTask", "unsupported", "not yet"),
        "LegacyOperation": FakeSpec("LegacyOperation", "supported"),
    }
    monkeypatch.setattr(
        generator,
        "botocore_operations",
        lambda: ["PurgeQueue", "SendMessage", "StartMessageMoveTask"],
    )
    monkeypatch.setattr(generator, "fake_operations", lambda: table)
    page = tmp_path / "operations.md"

    assert generator.main(["--output", str(page)]) == 0
    written = page.read_text(encoding="utf-8")
    assert written.endswith(
        "1 of the 3 operations in botocore's model are supported, 1 are declared unsupported "
        "and 1 are not routed.\n"
        "\n"
        "| Operation | Status | Notes |\n"
        "|---|---|---|\n"
        "| `LegacyOperation` | supported | not in botocore's model. |\n"
        "| `PurgeQueue` | **not routed**: answers UnsupportedOperation "
        "| no handler in `pytest_fakesqs._operations` |\n"
        "| `SendMessage` | supported |  |\n"
        "| `StartMessageMoveTask` | unsupported: answers UnsupportedOperation | not yet |\n"
    )
    assert capsys.readouterr().err == "warning: PurgeQueue is not routed\n"

    # Fresh, but incomplete: the check still fails.
    assert generator.main(["--check", "--output", str(page)]) == 1
    assert capsys.readouterr().err == (
        "botocore operations with no entry in pytest_fakesqs._operations.OPERATIONS: PurgeQueue\n"
    )


def test_a_stale_page_fails_the_check(
    generator: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.setattr(generator, "botocore_operations", lambda: ["SendMessage"])
    monkeypatch.setattr(
        generator, "fake_operations", lambda: {"SendMessage": FakeSpec("SendMessage", "supported")}
    )
    page = tmp_path / "operations.md"
    assert generator.main(["--output", str(page)]) == 0
    assert generator.main(["--check", "--output", str(page)]) == 0
    capsys.readouterr()

    page.write_text(page.read_text(encoding="utf-8").replace("supported |", "gone |"))

    assert generator.main(["--check", "--output", str(page)]) == 1
    assert capsys.readouterr().err == (
        f"{page} is stale: run `python scripts/gen_operations_doc.py`\n"
        f"--- {page} (on disk)\n"
        f"+++ {page} (generated)\n"
        "@@ -13,4 +13,4 @@\n"
        " \n"
        " | Operation | Status | Notes |\n"
        " |---|---|---|\n"
        "-| `SendMessage` | gone |  |\n"
        "+| `SendMessage` | supported |  |\n"
    )


def test_a_missing_page_fails_the_check(generator: ModuleType, tmp_path: Path, capsys: Any) -> None:
    page = tmp_path / "operations.md"

    assert generator.main(["--check", "--output", str(page)]) == 1
    assert capsys.readouterr().err.startswith(
        f"{page} is stale: run `python scripts/gen_operations_doc.py`\n"
    )
