"""The OpenAPI document's conventions: one component per named enum, schema descriptions from docstrings,
and on every GET the ETag, Cache-Control and Link headers, the 304 and the error responses."""

from __future__ import annotations

from typing import Any

from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from marshmallow import fields

from api.headers import CACHE_CONTROL
from schemas.enums import NamedEnum

HEADER_DOCS = {
    "ETag": {"description": "Strong entity tag of the representation.", "schema": {"type": "string"}},
    "Cache-Control": {"description": f"Caching policy, e.g. '{CACHE_CONTROL}'.", "schema": {"type": "string"}},
    "Link": {
        "description": "RFC 8288 links to the first, prev, next and last pages.",
        "schema": {"type": "string"},
    },
}


class Converter(OpenAPIConverter):
    """Documents :class:`NamedEnum` fields as references to one component per enum,
    and takes a schema's description from its docstring."""

    def schema2jsonschema(self, schema: Any) -> dict[str, Any]:
        jsonschema: dict[str, Any] = super().schema2jsonschema(schema)
        doc = (type(schema) if not isinstance(schema, type) else schema).__doc__
        if doc and "description" not in jsonschema:
            jsonschema["description"] = " ".join(doc.strip().split("\n\n")[0].split())
        return jsonschema

    def field2property(self, field: fields.Field) -> dict[str, Any]:
        if not isinstance(field, NamedEnum):
            return super().field2property(field)  # type: ignore[no-any-return]
        if field.component not in self.spec.components.schemas:
            component = {"type": "string", "enum": list(field.values), "description": field.doc}
            if field.names:
                component["x-enum-varnames"] = list(field.names)
            self.spec.components.schema(field.component, component=component)
        ref = {"$ref": f"#/components/schemas/{field.component}"}
        return {"anyOf": [ref, {"type": "null"}]} if field.allow_none else ref


class Plugin(MarshmallowPlugin):
    """The marshmallow plugin with :class:`Converter`."""

    Converter = Converter


def document_conventions(doc: dict[str, Any], doc_info: dict[str, Any], *, method: str, **_: Any) -> dict[str, Any]:
    """A flask-smorest doc callback: every GET documents its ETag, Cache-Control (and, paged, Link)
    headers, the 304, the 422 and 429 any GET may meet, and the If-None-Match header."""
    if method != "get":
        return doc
    responses = doc.setdefault("responses", {})
    headers = {"ETag": HEADER_DOCS["ETag"], "Cache-Control": HEADER_DOCS["Cache-Control"]}
    if doc_info.get("paginated"):
        headers["Link"] = HEADER_DOCS["Link"]
    for status, response in responses.items():
        if str(status).startswith("2"):
            response.setdefault("headers", {}).update(headers)
    responses["304"] = {
        "description": "Not Modified: the If-None-Match tag still matches.",
        "headers": dict(headers),
    }
    # Any GET may meet an unknown or invalid query parameter, or the rate limit.
    responses.setdefault("422", "UNPROCESSABLE_ENTITY")
    responses.setdefault("429", "TOO_MANY_REQUESTS")
    doc.setdefault("parameters", []).append(
        {
            "name": "If-None-Match", "in": "header", "required": False,
            "description": "Answer 304 if the representation still has one of these entity tags (or '*').",
            "schema": {"type": "string"},
        }
    )  # fmt: skip
    return doc
