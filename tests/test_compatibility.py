"""The compatibility rule of version 1 (CHANGELOG.md): openapi.yaml keeps every promise of
the last released document, docs/openapi-v1-released.yaml. A breaking change needs /v2.

The checker is shown at work on edited copies of the current document: each breaking
change below must be reported, and additions must not be.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from tests.compatibility import breaking_changes
from tests.conftest import ROOT

pytestmark = pytest.mark.contract

RELEASED = yaml.safe_load((ROOT / "docs" / "openapi-v1-released.yaml").read_text(encoding="utf-8"))
CURRENT = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
Edit = Callable[[dict[str, Any]], object]


def test_current_document_keeps_every_promise_of_the_released_one() -> None:
    assert breaking_changes(RELEASED, CURRENT) == [], "a breaking change to /v1 needs /v2 (see CHANGELOG.md)"


def edited(edit: Edit) -> dict[str, Any]:
    spec = copy.deepcopy(CURRENT)
    edit(spec)
    return spec


def schema(spec: dict[str, Any], name: str) -> dict[str, Any]:
    schemas: dict[str, dict[str, Any]] = spec["components"]["schemas"]
    return schemas[name]


def query(spec: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    return next(p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name)


def remove_query(spec: dict[str, Any], path: str, name: str) -> None:
    spec["paths"][path]["get"]["parameters"].remove(query(spec, path, name))


BREAKING: dict[str, tuple[Edit, str]] = {
    "response field removed": (
        lambda spec: schema(spec, "Brief")["properties"].pop("title"),
        "GET /v1/briefs/{brief_id} → 200 application/json: body.title: field removed",
    ),
    "nested response field removed": (
        lambda spec: schema(spec, "Section")["properties"].pop("parent_id"),
        "GET /v1/briefs/{brief_id} → 200 application/json: body.sections[].parent_id: field removed",
    ),
    "response field no longer required": (
        lambda spec: schema(spec, "Pagination")["required"].remove("total"),
        "GET /v1/briefs → 200 application/json: body.pagination.total: no longer always present",
    ),
    "response field type changed": (
        lambda spec: schema(spec, "Pagination")["properties"]["total"].update(type="string"),
        "GET /v1/events → 200 application/json: body.pagination.total: type changed from integer to string",
    ),
    "response field made nullable": (
        lambda spec: schema(spec, "Event")["properties"]["title"].update(type=["string", "null"]),
        "GET /v1/events/{event_id} → 200 application/json: body.title: may now be null",
    ),
    "path removed": (lambda spec: spec["paths"].pop("/v1/events"), "/v1/events: path removed"),
    "operation removed": (lambda spec: spec["paths"]["/v1/actors"].pop("get"), "GET /v1/actors: operation removed"),
    "parameter removed": (
        lambda spec: remove_query(spec, "/v1/briefs", "tag"),
        "GET /v1/briefs: query parameter 'tag' removed",
    ),
    "parameter type changed": (
        lambda spec: query(spec, "/v1/briefs", "page")["schema"].update(type="string"),
        "GET /v1/briefs: query parameter 'page': type changed from integer to string",
    ),
    "optional parameter made required": (
        lambda spec: query(spec, "/v1/briefs", "tag").update(required=True),
        "GET /v1/briefs: query parameter 'tag' is now required",
    ),
    "new required parameter": (
        lambda spec: spec["paths"]["/v1/actors"]["get"]["parameters"].append(
            {"in": "query", "name": "language", "required": True, "schema": {"type": "string"}}
        ),
        "GET /v1/actors: new required query parameter 'language'",
    ),
    "enum value removed": (
        lambda spec: schema(spec, "ElementType")["enum"].remove("scenario"),
        "GET /v1/elements: query parameter 'type': enum value 'scenario' removed",
    ),
    "response media type removed": (
        lambda spec: spec["paths"]["/v1/events"]["get"]["responses"]["200"]["content"].pop("text/csv"),
        "GET /v1/events: response 200 text/csv removed",
    ),
}


@pytest.mark.parametrize("change", BREAKING)
def test_checker_reports_a_breaking_change(change: str) -> None:
    edit, expected = BREAKING[change]
    assert breaking_changes(CURRENT, CURRENT) == []
    reported = breaking_changes(CURRENT, edited(edit))
    assert expected in reported, reported


def add_optional_things(spec: dict[str, Any]) -> None:
    schema(spec, "Brief")["properties"]["subtitle"] = {"type": ["string", "null"], "description": "New."}
    spec["paths"]["/v1/briefs"]["get"]["parameters"].append(
        {"in": "query", "name": "language", "required": False, "schema": {"type": "string"}}
    )
    schema(spec, "ActorKind")["enum"].append("alliance")
    spec["paths"]["/v1/topics"] = copy.deepcopy(spec["paths"]["/v1/actors"])


def test_additions_are_not_breaking() -> None:
    assert breaking_changes(CURRENT, edited(add_optional_things)) == []


def test_changes_outside_v1_are_not_its_business() -> None:
    assert breaking_changes(CURRENT, edited(lambda spec: spec["paths"].pop("/healthz"))) == []
