"""Every test docs/security.md cites as proof of a control exists, by file and by name.

A row cites ``tests/path.py::test_name``, and further tests in the same file as
``::test_name``; a renamed or deleted test would leave the row claiming a proof that is
no longer there.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECURITY = ROOT / "docs" / "security.md"
CITATION = re.compile(r"`(tests/[\w/]+\.py)?::(\w+)`")


def citations() -> list[tuple[str, str]]:
    """Each (file, name) the page cites, a bare ``::name`` taking the file before it."""
    cited: list[tuple[str, str]] = []
    for line in SECURITY.read_text(encoding="utf-8").splitlines():
        current = None
        for match in CITATION.finditer(line):
            current = match.group(1) or current
            assert current is not None, f"{match.group(0)} names no file: {line}"
            cited.append((current, match.group(2)))
    return cited


def defined(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def test_the_page_cites_tests() -> None:
    assert len(citations()) > 40


def test_every_cited_test_exists() -> None:
    missing = [
        f"{file}::{name}"
        for file, name in citations()
        if not (ROOT / file).is_file() or name not in defined(ROOT / file)
    ]
    assert missing == []
