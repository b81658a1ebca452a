"""Imports point one way: the content pipeline knows nothing of the web or the wire format."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = sorted((ROOT / "api" / "corpus").glob("*.py"))
FORBIDDEN = ("flask", "werkzeug", "marshmallow", "flask_smorest", "schemas", "api.v1", "api.app")


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", PIPELINE, ids=lambda p: p.name)
def test_pipeline_module_imports_no_web_or_wire_code(path: Path) -> None:
    bad = {name for name in _imports(path) if name.split(".")[0] in FORBIDDEN or name.startswith(FORBIDDEN)}
    assert bad == set()


def test_loading_a_corpus_pulls_in_no_web_framework() -> None:
    code = (
        "import sys; from api.corpus.loader import load_corpus; load_corpus('content'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug', 'marshmallow')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_schemas_never_parse_markdown() -> None:
    for path in (ROOT / "schemas").glob("*.py"):
        assert not {n for n in _imports(path) if n.startswith(("markdown_it", "mdit_py_plugins", "api.corpus.brief"))}
