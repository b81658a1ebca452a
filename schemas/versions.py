"""Wire schemas of a brief's history: versions, the semantic diff between two, and the changes feed."""

from __future__ import annotations

from marshmallow import Schema, fields

from schemas.common import ComputedNested, ComputedString, describe
from schemas.enums import ChangeKind, PartChangeKind, TextOpKind
from schemas.urls import absolute, version_changes_page, version_changes_url, version_page, version_url


def _any() -> list[dict[str, object]]:
    return [{"type": "string"}, {"type": "integer"}, {"type": "array", "items": {}}, {"type": "null"}]


"""A front matter value or attribute: text, a number, a list (tags, authors) or null (a new list each use)."""


class ChangeCountsSchema(Schema):
    """How many typed blocks a version added, removed, changed and moved."""

    added = fields.Integer(required=True, metadata=describe("Blocks added.", 1))
    removed = fields.Integer(required=True, metadata=describe("Blocks removed.", 0))
    changed = fields.Integer(required=True, metadata=describe("Blocks whose text or attributes changed.", 2))
    moved = fields.Integer(required=True, metadata=describe("Blocks moved, otherwise unchanged.", 0))


class VersionSchema(Schema):
    """One version of a brief: a commit of the content repository that changed its file."""

    brief_id = fields.String(required=True, metadata=describe("The brief.", "sochi-summit-2021"))
    version = fields.Integer(required=True, metadata=describe("Number, 1 for the oldest.", 2))
    commit = fields.String(
        required=True, metadata=describe("The commit's full id.", "af3691a9879ca677f9cf9bbf25424b47603fe53b")
    )
    committed_at = fields.String(
        required=True, metadata=describe("Commit time, UTC, ISO 8601.", "2021-11-29T10:00:00Z")
    )
    note = fields.String(required=True, metadata=describe("The commit message's subject line.", "Fix a date"))
    revision = fields.Integer(required=True, metadata=describe("The revision its front matter declared.", 1))
    sha256 = fields.String(required=True, metadata=describe("SHA-256 of the brief's file at that version."))
    changes = fields.Nested(ChangeCountsSchema, required=True, metadata=describe("Compared with the version before."))
    url = ComputedString(
        lambda v: version_url(v["brief_id"], v["version"]), required=True,
        metadata=describe("The brief as it was.", "/v1/briefs/sochi-summit-2021/versions/2"),
    )  # fmt: skip
    html_url = ComputedString(
        lambda v: absolute(version_page(v["brief_id"], v["version"])), required=True,
        metadata=describe("The brief as it was, as a reader page.", "/briefs/sochi-summit-2021/versions/2"),
    )  # fmt: skip


class TextOpSchema(Schema):
    """One run of a word-level diff."""

    op = TextOpKind(required=True, metadata=describe("What happened to the words.", "insert"))
    text = fields.String(required=True, metadata=describe("The words, with the spaces between them.", "border "))


class FieldChangeSchema(Schema):
    """A field whose value differs between the two versions."""

    field = fields.String(required=True, metadata=describe("The field, as the API names it.", "title"))
    old = fields.Raw(required=True, allow_none=True, metadata=describe("The value before.", "Old title", anyOf=_any()))
    new = fields.Raw(required=True, allow_none=True, metadata=describe("The value after.", "New title", anyOf=_any()))


class PartChangeSchema(Schema):
    """What happened to one section or typed block, matched by id."""

    id = fields.String(required=True, metadata=describe("Its id.", "border-demarcation"))
    type = fields.String(required=True, metadata=describe("'section', or the block type.", "expectation"))
    change = PartChangeKind(required=True, metadata=describe("What happened to it.", "changed"))
    title = fields.String(required=True, allow_none=True, metadata=describe("Its title.", "Border demarcation"))
    section_id = fields.String(
        required=True, allow_none=True,
        metadata=describe("Blocks: the section holding it; sections: the parent section.", "outlook"),
    )  # fmt: skip
    fields_changed = fields.List(
        fields.Nested(FieldChangeSchema), attribute="fields", data_key="fields", required=True,
        metadata=describe("Attributes that differ; a move shows as section_id, parent_id or position."),
    )  # fmt: skip
    text = fields.List(
        fields.Nested(TextOpSchema), required=True,
        metadata=describe("Word-level diff of its text; empty when the text is the same."),
    )  # fmt: skip


class BriefChangesSchema(Schema):
    """The semantic diff of a version against an earlier one (by default, the version before)."""

    brief_id = fields.String(required=True, metadata=describe("The brief.", "sochi-summit-2021"))
    from_version = fields.Integer(
        required=True, allow_none=True, metadata=describe("The older version; null before the first.", 1)
    )
    to_version = fields.Integer(required=True, metadata=describe("The version diffed.", 2))
    front_matter = fields.List(fields.Nested(FieldChangeSchema), required=True)
    sections = fields.List(fields.Nested(PartChangeSchema), required=True)
    elements = fields.List(fields.Nested(PartChangeSchema), required=True)
    summary = ComputedNested(lambda d: d.summary(), ChangeCountsSchema, required=True)
    url = ComputedString(
        lambda d: version_changes_url(d.brief_id, d.to_version), required=True,
        metadata=describe("Its own path.", "/v1/briefs/sochi-summit-2021/versions/2/changes"),
    )  # fmt: skip
    html_url = ComputedString(
        lambda d: absolute(version_changes_page(d.brief_id, d.to_version)), required=True,
        metadata=describe("The diff as a reader page.", "/briefs/sochi-summit-2021/versions/2/changes"),
    )  # fmt: skip


class ChangeSchema(Schema):
    """One change of one brief in the content's history."""

    brief_id = fields.String(required=True, metadata=describe("The brief.", "sochi-summit-2021"))
    version = fields.Integer(
        required=True, metadata=describe("The version created; for a withdrawal, the last version.", 1)
    )
    change = ChangeKind(required=True, metadata=describe("What happened.", "updated"))
    at = fields.String(required=True, metadata=describe("Commit time, UTC, ISO 8601.", "2021-11-29T10:00:00Z"))
    commit = fields.String(required=True, metadata=describe("The commit's full id."))
    url = ComputedString(
        lambda c: version_url(c["brief_id"], c["version"]), required=True,
        metadata=describe("The version (for a withdrawal, the last one).", "/v1/briefs/sochi-summit-2021/versions/1"),
    )  # fmt: skip
    html_url = ComputedString(
        lambda c: absolute(version_page(c["brief_id"], c["version"])), required=True,
        metadata=describe("The version as a reader page.", "/briefs/sochi-summit-2021/versions/1"),
    )  # fmt: skip


class ChangesFeedSchema(Schema):
    """A page of the changes feed; poll again with ``since=next_since``."""

    items = fields.List(fields.Nested(ChangeSchema), required=True)
    next_since = fields.String(required=True, metadata=describe("The cursor of the next poll.", "Mjo4NmU1Mjk"))
