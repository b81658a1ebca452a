"""RFC 9457 problem details: the body of every error."""

from __future__ import annotations

from marshmallow import Schema, fields

from schemas.common import describe


class ParameterErrorSchema(Schema):
    """One request parameter that was not accepted."""

    name = fields.String(required=True, metadata=describe("The parameter's name.", "per_page"))
    location = fields.String(
        required=True, data_key="in", metadata=describe("Where it was sent: query, path or header.", "query")
    )
    messages = fields.List(
        fields.String(), required=True, metadata=describe("What is wrong.", ["Must be between 1 and 100."])
    )


class ProblemSchema(Schema):
    """An error, as application/problem+json (RFC 9457)."""

    type = fields.String(required=True, metadata=describe("A URI naming the kind of problem.", "about:blank"))
    title = fields.String(required=True, metadata=describe("Short summary of the kind of problem.", "Not Found"))
    status = fields.Integer(required=True, metadata=describe("The HTTP status code.", 404))
    detail = fields.String(required=True, metadata=describe("What went wrong in this request.", "No brief 'x'."))
    instance = fields.String(metadata=describe("The path of the request.", "/v1/briefs/x"))
    errors = fields.List(
        fields.Nested(ParameterErrorSchema), metadata=describe("With 422: each parameter that was not accepted.")
    )
