"""A Python SDK generated from the committed openapi.yaml with openapi-python-client: its
modules and classes are named after the operationIds and schemas, and
examples/sdk_example.py calls every operation through it against a live server.

The SDK is generated into a temporary folder and put on the example's ``PYTHONPATH``; its
runtime dependencies (httpx, attrs) come with openapi-python-client.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.live import ROOT, live_server

pytestmark = pytest.mark.contract

PACKAGE = "briefs_api_client"
EXAMPLE = ROOT / "examples" / "sdk_example.py"
SPEC = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
NUMBERED = re.compile(r"Type\d|\d+$|^VALUE_\d")
"""What generators name things they could not name: ``BriefType0``, ``Section1``, ``VALUE_1``."""


def snake_case(name: str) -> str:
    """``listBriefFactors`` and ``ListBriefFactors`` become ``list_brief_factors``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _operations() -> Iterator[dict[str, Any]]:
    for item in SPEC["paths"].values():
        yield from (operation for method, operation in item.items() if method != "parameters")


def _classes(module: Path) -> Iterator[ast.ClassDef]:
    yield from (node for node in ast.parse(module.read_text(encoding="utf-8")).body if isinstance(node, ast.ClassDef))


@pytest.fixture(scope="module")
def sdk(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder that holds the generated package."""
    folder = tmp_path_factory.mktemp("sdk")
    bin_dir = Path(sys.executable).parent  # ruff, which formats the generated code, lives there too
    result = subprocess.run(
        [str(bin_dir / "openapi-python-client"), "generate", "--path", str(ROOT / "openapi.yaml"),
         "--meta", "none", "--output-path", str(folder / PACKAGE)],
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"},
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Warning" not in output, output  # every operation and schema was generated
    return folder


def test_one_module_per_operation_named_after_its_operation_id(sdk: Path) -> None:
    api = sdk / PACKAGE / "api"
    modules = {f"{path.parent.name}.{path.stem}" for path in api.glob("*/*.py") if path.stem != "__init__"}
    expected = {f"{operation['tags'][0]}.{snake_case(operation['operationId'])}" for operation in _operations()}
    assert modules == expected
    assert not [module for module in modules if "v1" in module]
    functions = {node.name for path in api.glob("*/*.py") for node in ast.parse(path.read_text(encoding="utf-8")).body
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}  # fmt: skip
    assert {"sync", "sync_detailed", "asyncio", "asyncio_detailed"} <= functions
    assert not [name for name in functions if "v1" in name]


def _pascal_case(name: str) -> str:
    return "".join(part.title() for part in name.split("_"))


def test_one_model_per_schema_with_readable_names(sdk: Path) -> None:
    models = sdk / PACKAGE / "models"
    schemas = SPEC["components"]["schemas"]
    # An inline object property gets a class named after its owner, e.g. Index.links -> IndexLinks.
    inline = {owner + _pascal_case(prop) for owner, schema in schemas.items()
              for prop, body in schema.get("properties", {}).items() if body.get("type") == "object"}  # fmt: skip
    classes = {node.name: node for path in models.glob("*.py") for node in _classes(path)}
    assert set(classes) == set(schemas) | inline
    assert {path.stem for path in models.glob("*.py")} - {"__init__"} == {snake_case(name) for name in classes}
    members = [(name, ast.unparse(target)) for name, node in classes.items() for statement in node.body
               if isinstance(statement, ast.Assign) for target in statement.targets]  # fmt: skip
    numbered = [f"{owner}.{member}" for owner, member in members if NUMBERED.search(member)]
    numbered += [name for name in classes if NUMBERED.search(name)]
    assert not numbered, "named by the generator, not by the spec"
    untyped = [f"{name}.{ast.unparse(field.target)}" for name, node in classes.items() for field in node.body
               if isinstance(field, ast.AnnAssign) and ast.unparse(field.annotation) == "Any"]  # fmt: skip
    assert not untyped, "fields without a type in the spec"


def _imported_operations(tree: ast.AST) -> set[str]:
    """``tag.module`` of each operation module imported from the SDK's ``api`` package."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith(f"{PACKAGE}.api."):
            found |= {f"{node.module.rsplit('.', 1)[1]}.{alias.name}" for alias in node.names}
    return found


def test_example_calls_every_operation() -> None:
    tree = ast.parse(EXAMPLE.read_text(encoding="utf-8"))
    imported = _imported_operations(tree)
    called = {node.func.value.id for node in ast.walk(tree) if isinstance(node, ast.Call)
              and isinstance(node.func, ast.Attribute) and node.func.attr == "sync"
              and isinstance(node.func.value, ast.Name)}  # fmt: skip
    assert imported == {f"{op['tags'][0]}.{snake_case(op['operationId'])}" for op in _operations()}
    assert called == {name.split(".")[1] for name in imported}


@pytest.mark.server
def test_example_gets_typed_answers_from_a_live_server(sdk: Path) -> None:
    with live_server() as server:
        result = subprocess.run(
            [sys.executable, str(EXAMPLE), server.base], env={**os.environ, "PYTHONPATH": str(sdk)},
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "a missing brief is a problem: 404 Not Found" in result.stdout
