"""Imports point one way: the content pipeline knows nothing of the web or the wire format."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PIPELINE = sorted((ROOT / "briefs").glob("*.py"))
FORBIDDEN = ("flask", "werkzeug", "marshmallow", "flask_smorest", "schemas", "api")


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
    bad = {name for name in _imports(path) if name.split(".")[0] in FORBIDDEN}
    assert bad == set()


def test_loading_a_corpus_pulls_in_no_web_framework() -> None:
    code = (
        "import sys; from briefs.loader import load_corpus; load_corpus('content'); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('flask', 'werkzeug', 'marshmallow')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_schemas_never_parse_markdown() -> None:
    for path in (ROOT / "schemas").glob("*.py"):
        assert not {n for n in _imports(path) if n.startswith(("markdown_it", "mdit_py_plugins", "briefs.brief"))}


def test_schemas_import_no_http_layer() -> None:
    for path in (ROOT / "schemas").glob("*.py"):
        assert not {n for n in _imports(path) if n.split(".")[0] in ("api", "flask_smorest")}, path.name


def test_block_attributes_know_nothing_of_the_walker() -> None:
    # The walker calls blockattrs and keeps the state; not even a TYPE_CHECKING import goes back.
    assert "briefs.walker" not in _imports(ROOT / "briefs" / "blockattrs.py")
