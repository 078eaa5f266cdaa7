"""What a user installing the package gets: metadata, licences, the version, the README PyPI
shows, docstrings that read well in a terminal, and a reproducible docs build.

CI builds the sdist and the wheel, checks them with ``twine check --strict`` and runs this
suite from the unpacked sdist (.ci/run); these tests read the installed distribution's
metadata, so they hold for an editable install and for the wheel alike.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import inspect
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from packaging.requirements import Requirement

import pytest_fakesqs
from pytest_fakesqs import plugin

# Python 3.11's stdlib; CI runs 3.11 (a contributor on 3.10 gets these tests skipped).
tomllib = pytest.importorskip("tomllib")

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
DOCS_SITE = "https://pytest-fakesqs.readthedocs.io/en/latest/"
REPOSITORY = "https://github.com/pytest-fakesqs/pytest-fakesqs"
#: mkdocs-autorefs' cross-reference syntax: [`text`][identifier].
CROSS_REFERENCE = re.compile(r"\]\[[\w.]*\]")


def metadata() -> importlib.metadata.PackageMetadata:
    return importlib.metadata.metadata("pytest-fakesqs")


def test_the_version_is_defined_once() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]
    assert PYPROJECT["tool"]["hatch"]["version"] == {"path": "pytest_fakesqs/__init__.py"}

    assert importlib.metadata.version("pytest-fakesqs") == pytest_fakesqs.__version__
    assert re.fullmatch(r"\d+\.\d+\.\d+", pytest_fakesqs.__version__)


def test_the_changelog_starts_with_this_version() -> None:
    changelog = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    [first] = re.findall(r"^## (\S+)", changelog, flags=re.MULTILINE)[:1]

    assert first == pytest_fakesqs.__version__


def test_what_pypi_shows() -> None:
    shown = metadata()

    assert shown["Name"] == "pytest-fakesqs"
    assert shown["Summary"] == (
        "A faithful, instant and deterministic fake Amazon SQS for pytest, served in-process "
        "through botocore event hooks."
    )
    assert shown["Requires-Python"] == ">=3.10"
    assert shown["License-Expression"] == "MIT AND Apache-2.0"
    assert shown.get_all("Project-URL") == [
        f"Homepage, {REPOSITORY}",
        "Documentation, https://pytest-fakesqs.readthedocs.io/",
        f"Source, {REPOSITORY}",
        f"Issues, {REPOSITORY}/issues",
        f"Changelog, {REPOSITORY}/blob/main/CHANGELOG.md",
    ]
    classifiers = shown.get_all("Classifier") or []
    assert "Framework :: Pytest" in classifiers
    # One classifier per minor version from requires-python's 3.10 up to the newest released.
    assert [
        c for c in classifiers if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)
    ] == [f"Programming Language :: Python :: 3.{minor}" for minor in range(10, 16)]
    assert shown["Description-Content-Type"] == "text/markdown"
    assert shown.get_payload().startswith("# pytest-fakesqs\n")  # type: ignore[attr-defined]


def test_the_licence_texts_ship_with_the_distribution() -> None:
    distribution = importlib.metadata.distribution("pytest-fakesqs")
    files = {str(path) for path in distribution.files or ()}
    licences = f"pytest_fakesqs-{pytest_fakesqs.__version__}.dist-info/licenses/"

    assert metadata().get_all("License-File") == [
        "LICENSE",
        "pytest_fakesqs/_server/LICENSE-Apache-2.0.txt",
        "pytest_fakesqs/_server/NOTICE",
    ]
    for name in metadata().get_all("License-File") or ():
        assert licences + name in files
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    apache = (ROOT / "pytest_fakesqs" / "_server" / "LICENSE-Apache-2.0.txt").read_text()
    assert apache.split()[:4] == ["Apache", "License", "Version", "2.0,"]
    notice = (ROOT / "pytest_fakesqs" / "_server" / "NOTICE").read_text(encoding="utf-8")
    assert "LICENSE-Apache-2.0.txt" in notice


def test_readme_links_work_on_pypi() -> None:
    """PyPI renders the README without the repository around it: every link is absolute, and
    points at a page of the docs site or a file of the repository that exists."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)\s]+)\)", readme)

    assert targets
    for target in targets:
        assert target.startswith("https://"), target
        if target.startswith(DOCS_SITE) and target != DOCS_SITE:
            page = target.removeprefix(DOCS_SITE).split("#")[0]
            assert page.endswith(".html"), target
            assert (ROOT / "docs" / page.replace(".html", ".md")).is_file(), target
        elif target.startswith(REPOSITORY + "/"):
            path = re.sub(r"^(blob|tree)/main/", "", target.removeprefix(REPOSITORY + "/"))
            assert (ROOT / path).exists(), target


def test_readme_opens_with_the_product_and_the_user_install() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## (.+)$", readme, flags=re.MULTILINE)

    assert headings[0] == "Install"
    assert "```sh\npip install pytest-fakesqs\n```" in readme
    assert headings.index("Set up a fresh clone (contributors)") > headings.index("Quick start")


# --- the docs build ---------------------------------------------------------------------------


def _pins() -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / "docs" / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, _, version = line.partition("==")
            assert version, f"docs/constraints.txt pins exact versions: {line!r}"
            assert name not in pins, f"{name} is pinned twice"
            pins[name] = version
    return pins


def test_the_docs_build_is_pinned() -> None:
    """Every package of the docs extra has an exact version in docs/constraints.txt (which CI
    installs with), inside the extra's bounds; the extra itself has an upper bound."""
    pins = _pins()

    for text in PYPROJECT["project"]["optional-dependencies"]["docs"]:
        requirement = Requirement(text)
        assert any(spec.operator == "<" for spec in requirement.specifier), text
        assert requirement.specifier.contains(pins[requirement.name]), (text, pins)
    # mkdocstrings[python] brings the handler and Griffe, which read the docstrings.
    assert {"mkdocstrings-python", "griffelib", "mkdocs-autorefs"} <= set(pins)


# --- docstrings in a terminal -----------------------------------------------------------------


def _public_docstrings() -> dict[str, str]:
    """Every public object's docstring and its public members', and the fixtures', as
    `help()` and `pytest --fixtures` show them. Read by Griffe, without importing the modules:
    importing botocore here, outside pytester's module snapshots, would change what the docs
    examples run later in this process import afresh."""
    import griffe

    package = griffe.load("pytest_fakesqs", search_paths=[str(ROOT)])
    found: dict[str, str] = {}
    for name in pytest_fakesqs.__all__:
        obj = package[name]
        found[name] = obj.docstring.value if obj.docstring else ""
        for member_name, member in obj.members.items() if obj.is_class else ():
            if not member_name.startswith("_") and member.docstring is not None:
                found[f"{name}.{member_name}"] = member.docstring.value
    for name in (
        "fake_sqs",
        "fake_sqs_module",
        "fake_sqs_session",
        "fake_sqs_server",
        "sqs_client",
    ):
        found[name] = inspect.getdoc(getattr(plugin, name)) or ""
    return found


def test_public_docstrings_have_no_docs_site_syntax() -> None:
    docstrings = _public_docstrings()

    assert len(docstrings) > 80
    offenders = {name: doc for name, doc in docstrings.items() if CROSS_REFERENCE.search(doc)}
    assert offenders == {}


def test_pytest_fixtures_reads_plainly(pytester: pytest.Pytester) -> None:
    pytester.makepyfile("def test_nothing(): pass")

    result = pytester.runpytest_subprocess("--fixtures", "-p", "no:cacheprovider")

    output = result.stdout.str()
    assert "fake_sqs_server -- " in output
    result.stdout.fnmatch_lines(["*A `FakeSQSServer`: `fake_sqs` served over HTTP*"])
    assert CROSS_REFERENCE.search(output) is None


@pytest.fixture(scope="module")
def crossrefs() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "griffe_crossrefs", ROOT / "scripts" / "griffe_crossrefs.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_the_docs_site_links_backticked_public_names(crossrefs: ModuleType) -> None:
    """The Griffe extension of mkdocs.yml turns plain backticks back into links on the site."""
    import griffe

    package = griffe.load("pytest_fakesqs", search_paths=[str(ROOT)])
    public = set(pytest_fakesqs.__all__)
    text = (
        "A `FakeSQS`, its `FakeSQS.serve()`, `assert_sent` and `fake_sqs`.\n"
        "Already [`QueueView`][pytest_fakesqs.QueueView].\n"
        "```python\nfake = `FakeSQS`\n```\n"
        "`QueueView.nothing_of_that_name`"
    )

    linked = crossrefs._link(text, package, public, "QueueView")

    assert linked == (
        "A [`FakeSQS`][pytest_fakesqs.FakeSQS], its "
        "[`FakeSQS.serve()`][pytest_fakesqs.FakeSQS.serve], "
        "[`assert_sent`][pytest_fakesqs.QueueView.assert_sent] and `fake_sqs`.\n"
        "Already [`QueueView`][pytest_fakesqs.QueueView].\n"
        "```python\nfake = `FakeSQS`\n```\n"
        "`QueueView.nothing_of_that_name`"
    )
    # Outside a public class, a bare member name stays plain.
    assert crossrefs._link("`assert_sent`", package, public, None) == "`assert_sent`"


# --- scripts/check_dist.py (run by CI on the built files) -------------------------------------


@pytest.fixture(scope="module")
def check_dist() -> ModuleType:
    spec = importlib.util.spec_from_file_location("check_dist", ROOT / "scripts" / "check_dist.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_check_dist_names_what_is_missing_or_must_not_ship(check_dist: ModuleType) -> None:
    info = "pytest_fakesqs-1.0.dist-info"
    wheel = [template.format(dist_info=info) for template in check_dist.WHEEL_REQUIRED]
    sdist = [f"pytest_fakesqs-1.0/{path}" for path in check_dist.SDIST_REQUIRED]
    assert check_dist.wheel_problems(wheel) == []
    assert check_dist.sdist_problems(sdist) == []

    assert check_dist.wheel_problems(
        [name for name in wheel if not name.endswith("licenses/LICENSE")]
        + ["tests/conftest.py", "pytest_fakesqs/__pycache__/x.pyc"]
    ) == [
        f"wheel: missing {info}/licenses/LICENSE",
        "wheel: pytest_fakesqs/__pycache__/x.pyc must not ship",
        "wheel: tests/conftest.py must not ship",
    ]
    assert check_dist.sdist_problems(
        [name for name in sdist if not name.endswith("/mkdocs.yml")]
        + ["pytest_fakesqs-1.0/tests/server/js/node_modules/x.js"]
    ) == [
        "sdist: missing mkdocs.yml",
        "sdist: pytest_fakesqs-1.0/tests/server/js/node_modules/x.js must not ship",
    ]


def test_check_dist_prints_what_pypi_shows(check_dist: ModuleType) -> None:
    metadata = (
        "Metadata-Version: 2.4\nName: pytest-fakesqs\nVersion: 1.0\nSummary: A fake.\n"
        "License-Expression: MIT\nRequires-Python: >=3.10\nRequires-Dist: pytest>=7\n"
        "Requires-Dist: boto3; extra == 'test'\nClassifier: Framework :: Pytest\n"
        "Project-URL: Source, https://example.org\n\n# README\n"
    )

    assert check_dist.pypi_summary(metadata) == [
        "Name: pytest-fakesqs",
        "Version: 1.0",
        "Summary: A fake.",
        "License-Expression: MIT",
        "Requires-Python: >=3.10",
        "Requires-Dist: pytest>=7",
        "Classifier: Framework :: Pytest",
        "Project-URL: Source, https://example.org",
    ]
