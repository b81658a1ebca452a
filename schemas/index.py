"""The API index and the health endpoints."""

from __future__ import annotations

from marshmallow import Schema, fields

from schemas.common import describe
from schemas.enums import HistoryState


class IndexCountsSchema(Schema):
    """How much the corpus holds."""

    briefs = fields.Integer(required=True, metadata=describe("Briefs served.", 1))
    actors = fields.Integer(required=True, metadata=describe("Actors.", 14))
    events = fields.Integer(required=True, metadata=describe("Events.", 5))
    content_errors = fields.Integer(required=True, metadata=describe("Content errors; see /readyz.", 0))


class IndexSchema(Schema):
    """Entry point of version 1: links to every collection, versions and counts."""

    api_version = fields.String(required=True, metadata=describe("Version of the API document.", "1.0.0"))
    content_version = fields.String(
        required=True,
        metadata=describe("Hash of the content files served; changes when content changes.", "3df07add7a080a9d"),
    )
    links = fields.Dict(
        keys=fields.String(), values=fields.String(), required=True,
        metadata=describe("Collection name to its path.", {"briefs": "/v1/briefs"}),
    )  # fmt: skip
    counts = fields.Nested(IndexCountsSchema, required=True)
    url = fields.String(required=True, metadata=describe("Its own path.", "/v1"))
    html_url = fields.String(
        required=True, metadata=describe("The reader's home page: briefs, newest first, with search.", "/")
    )


class HealthSchema(Schema):
    """Liveness: the process answers."""

    status = fields.String(required=True, metadata=describe("Always 'ok'.", "ok"))


class ContentErrorSchema(Schema):
    """A problem in a content file; the brief it is in is not served."""

    path = fields.String(required=True, metadata=describe("The file.", "content/briefs/x.md"))
    line = fields.Integer(required=True, metadata=describe("1-based line.", 12))
    message = fields.String(required=True, metadata=describe("What is wrong.", "unknown block type 'factors'"))


class HistorySchema(Schema):
    """Where versions come from: the content repository's history, or why there are none."""

    state = HistoryState(required=True, metadata=describe("git, shallow (no versions served) or none.", "git"))
    detail = fields.String(
        required=True,
        metadata=describe("What the history gave, or why versions are not served.", "git history: 41 commits"),
    )
    head = fields.String(required=True, allow_none=True, metadata=describe("The commit checked out, if any."))


class ReadinessSchema(Schema):
    """Readiness: content is loaded; lists content errors, if any."""

    status = fields.String(required=True, metadata=describe("'ready' once content is loaded.", "ready"))
    content_version = fields.String(required=True, metadata=describe("Hash of the content served.", "3df07add7a080a9d"))
    briefs = fields.Integer(required=True, metadata=describe("Briefs served.", 1))
    content_errors = fields.List(fields.Nested(ContentErrorSchema), required=True)
    stale_briefs = fields.List(
        fields.String(), required=True,
        metadata=describe("Briefs whose file is broken now, served in their last valid version.", []),
    )  # fmt: skip
    history = fields.Nested(HistorySchema, required=True)
    artifact_problems = fields.List(
        fields.String(), required=True,
        metadata=describe(
            "Why the newest build is not served, if it is not: a build that failed, or an artifact that "
            "could not be opened. The previous content version keeps serving meanwhile.", [],
        ),
    )  # fmt: skip
