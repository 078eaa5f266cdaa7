"""A Griffe extension for the docs site (mkdocs.yml): links public names in docstrings.

The docstrings are read in a terminal too (`help()`, `pytest --fixtures`), so they name the
public API in plain backticks (`FakeSQS.serve()`), never in mkdocs's cross-reference syntax.
At docs build time this extension turns each backticked name that is a public object into
a cross-reference: `FakeSQS`, `FakeSQS.serve()` and `QueueView.put` absolutely, and inside a
public class its own members (`assert_sent` in QueueView's docstrings). Anything else in
backticks (`fake_sqs`, `"visible"`, code) is left as it is.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

PACKAGE = "pytest_fakesqs"

#: `name`, `name.attr` or `name()`, not already the text of a link (`[`name`][...]`).
_BACKTICKED = re.compile(r"(?<![\[`])`([A-Za-z_][\w.]*)(\(\))?`(?![\]`])")
_FENCE = re.compile(r"^\s*```")


def _exists(obj: griffe.Object | griffe.Alias, dotted: str) -> bool:
    try:
        obj.get_member(dotted) if "." in dotted else obj.members[dotted]
    except (KeyError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return False
    return True


class PublicCrossRefs(griffe.Extension):
    """Rewrite backticked public names as mkdocs-autorefs cross-references."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        if pkg.name != PACKAGE:
            return
        public = {str(name) for name in (pkg.exports or ())}
        for obj in _walk(pkg):
            if obj.docstring is None:
                continue
            owner = obj if obj.is_class else obj.parent
            home = owner.name if owner is not None and owner.is_class else None
            if home not in public:
                home = None
            obj.docstring.value = _link(obj.docstring.value, pkg, public, home)


def _walk(module: griffe.Module) -> list[griffe.Object]:
    """Every object defined in the package (not aliases), depth first."""
    found: list[griffe.Object] = []
    stack: list[griffe.Object] = [module]
    while stack:
        obj = stack.pop()
        found.append(obj)
        stack.extend(member for member in obj.members.values() if not member.is_alias)
    return found


def _link(text: str, pkg: griffe.Module, public: set[str], home: str | None) -> str:
    lines = text.split("\n")
    in_code = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_code = not in_code
            continue
        if not in_code:
            lines[index] = _BACKTICKED.sub(lambda m: _reference(m, pkg, public, home), line)
    return "\n".join(lines)


def _reference(match: re.Match[str], pkg: griffe.Module, public: set[str], home: str | None) -> str:
    name = match.group(1)
    if name.split(".")[0] in public and _exists(pkg, name):
        return f"[{match.group(0)}][{PACKAGE}.{name}]"
    if home is not None and _exists(pkg, f"{home}.{name}"):
        return f"[{match.group(0)}][{PACKAGE}.{home}.{name}]"
    return match.group(0)
