"""The committed openapi.yaml is what the app serves, valid, resolvable and readable by SDK generators.

Regenerate after an API change: ``.venv/bin/flask --app api openapi write --format=yaml openapi.yaml``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from tests.conftest import ROOT

COMMITTED = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")


def _walk(node: Any, path: str = "#") -> Iterator[tuple[str, Any]]:
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _walk(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _walk(value, f"{path}/{index}")


def _resolve(spec: dict[str, Any], ref: str) -> Any:
    node: Any = spec
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def _operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item:
                yield path, method, item[method]


def test_committed_document_equals_the_served_one(client: FlaskClient) -> None:
    served = client.get("/openapi.json").get_json()
    assert served == COMMITTED, "regenerate: flask --app api openapi write --format=yaml openapi.yaml"


def test_document_is_valid_openapi_3_1() -> None:
    assert COMMITTED["openapi"].startswith("3.1")
    validate(COMMITTED)


def test_every_ref_resolves() -> None:
    refs = [(where, node["$ref"]) for where, node in _walk(COMMITTED) if isinstance(node, dict) and "$ref" in node]
    assert refs
    for where, ref in refs:
        try:
            _resolve(COMMITTED, ref)
        except (KeyError, IndexError, TypeError):
            pytest.fail(f"{where}: dangling $ref {ref}")


def test_operation_ids_are_unique_readable_camel_case() -> None:
    ids = [op.get("operationId", "") for _, _, op in _operations(COMMITTED)]
    assert len(ids) == len(set(ids))
    for operation_id in ids:
        assert re.fullmatch(r"(get|list)[A-Z][A-Za-z]+|search", operation_id), operation_id
        assert "V1" not in operation_id and "v1" not in operation_id


def test_expected_operation_ids_are_stable() -> None:
    ids = {op["operationId"] for _, _, op in _operations(COMMITTED)}
    assert {"listBriefs", "getBrief", "listBriefSections", "getBriefSection", "listBriefFactors", "getBriefFactor",
            "listBriefExpectations", "getBriefExpectation", "listBriefStrategyElements", "getBriefStrategyElement",
            "getIndex", "getHealth", "getReadiness"} <= ids  # fmt: skip


def test_enums_are_named_components_never_inline() -> None:
    schemas = COMMITTED["components"]["schemas"]
    for name in ("ElementType", "BriefSort", "ActorKind", "DatePrecision"):
        if name in schemas:
            assert schemas[name]["enum"]
    inline = [where for where, node in _walk(COMMITTED["paths"]) if isinstance(node, dict) and "enum" in node]
    inline += [
        where for where, node in _walk(schemas)
        if isinstance(node, dict) and "enum" in node and where.count("/") > 1
    ]  # fmt: skip
    assert inline == []


def test_every_schema_and_property_is_described_with_examples() -> None:
    for name, schema in COMMITTED["components"]["schemas"].items():
        assert schema.get("description"), f"{name} has no description"
        properties = schema.get("properties", {})
        for prop, body in properties.items():
            assert "$ref" in body or body.get("description") or body.get("items", {}).get("$ref"), f"{name}.{prop}"
        if properties and not name.endswith("Page"):
            assert any("example" in body for body in properties.values()), f"{name} has no example"


def test_every_get_documents_the_conventions() -> None:
    for path, method, operation in _operations(COMMITTED):
        if method != "get":
            continue
        responses = operation["responses"]
        assert {"200", "304", "422"} <= set(responses), path
        assert "ETag" in responses["200"]["headers"], path
        assert any(p["name"] == "If-None-Match" for p in operation["parameters"]), path
        if "{" in path:
            assert "404" in responses, path
        problem = _resolve(COMMITTED, responses["422"]["$ref"])
        assert "application/problem+json" in problem["content"]
