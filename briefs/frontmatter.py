"""The front matter of a brief: YAML between ``---`` lines, checked key by key."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefs.entities import unknown_id_hint
from briefs.errors import ErrorSink
from briefs.fields import FieldReader, is_slug, not_slug, shown
from briefs.model import Author, Entities
from briefs.yamldata import Located, line_of, load_yaml

FRONT_MATTER_MAX_BYTES = 64 * 1024
REQUIRED = ("id", "title", "published")
AUTHOR_KEYS = ("name", "affiliation")
# BCP 47 allows a primary language subtag of 5 to 8 letters, but none is registered: every language
# has a 2- or 3-letter code (ISO 639). Without this, 'language: English' or 'french' passed as a tag.
LANGUAGE_RE = re.compile(r"(?:[A-Za-z]{2,3}|[xX])(?:-[A-Za-z0-9]{1,8})*")


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The checked front matter fields of a brief."""

    id: str
    """The brief id."""
    title: str
    """The title."""
    published: dt.date
    """Publication date."""
    updated: dt.date | None
    """Last update."""
    revision: int
    """Revision, 1 and up."""
    summary: str | None
    """Summary."""
    authors: tuple[Author, ...]
    """Authors."""
    publisher: str | None
    """Publisher."""
    language: str
    """BCP 47 tag."""
    tags: tuple[str, ...]
    """Tag slugs."""
    about: tuple[str, ...]
    """Event ids."""


KEYS: tuple[str, ...] = FrontMatter.__slots__
"""The keys an author may write, in the order the format lists them: the fields above, listed once."""


def parse_front_matter(
    text: str, first_line: int, stem: str, entities: Entities, sink: ErrorSink
) -> FrontMatter | None:
    """Check the YAML of a brief's front matter.

    :param text: the YAML between the fences
    :param first_line: the file line on which ``text`` starts
    :param stem: the file name without ``.md``, which the id must equal
    :param entities: the known events, for ``about``
    :param sink: where problems are recorded
    :returns: the fields, or None if any required one is unusable
    """
    if len(text.encode("utf-8")) > FRONT_MATTER_MAX_BYTES:
        sink.add(first_line, f"front matter is larger than {FRONT_MATTER_MAX_BYTES // 1024} KB")
        return None
    data = load_yaml(text, sink, first_line)
    if not isinstance(data, Located):
        if data is None and not sink.errors and not text.strip():
            sink.add(first_line, "front matter is empty: write id, title and published between the '---' lines")
        elif data is not None or not sink.errors:
            sink.add(first_line, "front matter must be a mapping of keys to values, such as 'title: ...'")
        return None
    fields = FieldReader(data, sink, "front matter")
    fields.check_keys(KEYS, REQUIRED)
    brief_id = _read_id(fields, stem)
    title = fields.string("title")
    published = fields.date("published")
    updated = fields.date("updated")
    if published and updated and updated < published:
        fields.error("updated", f"'updated' {updated} is before 'published' {published}")
    about = fields.slug_list("about")
    for index, event_id in enumerate(about):
        if event_id not in entities.events:
            hint = unknown_id_hint(entities.events, event_id, "{id}")
            sink.add(line_of(fields.list("about"), index), f"'about' names unknown event '{event_id}'{hint}")
    # Every field is checked before giving up, so that all errors of the file are reported.
    revision, authors, language = _read_revision(fields), _read_authors(fields), _read_language(fields)
    tags = fields.slug_list("tags")
    summary, publisher = fields.string("summary", optional_text=True), fields.string("publisher", optional_text=True)
    if brief_id is None or title is None or published is None:
        return None
    return FrontMatter(
        id=brief_id, title=title, published=published, updated=updated, revision=revision, summary=summary,
        authors=authors, publisher=publisher, language=language, tags=tags, about=about,
    )  # fmt: skip


def _read_id(fields: FieldReader, stem: str) -> str | None:
    brief_id = fields.data.get("id")
    if brief_id is None:
        return None
    if not is_slug(brief_id):
        fields.error("id", not_slug("id", brief_id))
        return None
    if brief_id != stem:
        fields.error("id", f"id '{brief_id}' must equal the file name '{stem}.md' without '.md'")
        return None
    return str(brief_id)


def _read_revision(fields: FieldReader) -> int:
    value = fields.data.get("revision", 1)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        fields.error_unless_reported("revision", f"'revision' {shown(value)} must be a whole number, 1 or more")
        return 1
    return value


def _read_language(fields: FieldReader) -> str:
    value = fields.data.get("language", "en")
    if not isinstance(value, str) or not LANGUAGE_RE.fullmatch(value):
        fields.error_unless_reported(
            "language", f"'language' {shown(value)} is not a BCP 47 language tag such as 'en' or 'pt-BR'"
        )
        return "en"
    return value


def _read_authors(fields: FieldReader) -> tuple[Author, ...]:
    items = fields.list("authors")
    authors = []
    for index, item in enumerate(items):
        if not isinstance(item, Located):
            fields.sink.add(line_of(items, index), "each author must be a mapping such as '- name: Ana Díaz'")
            continue
        author = FieldReader(item, fields.sink, "author")
        author.check_keys(AUTHOR_KEYS, ("name",))
        name = author.string("name")
        if name is not None:
            authors.append(Author(name=name, affiliation=author.string("affiliation", optional_text=True)))
    return tuple(authors)
