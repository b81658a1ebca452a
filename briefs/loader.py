"""Read a content directory: every entity file first, then every brief."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from briefs.brief import parse_brief
from briefs.entities import load_entities
from briefs.errors import ContentError
from briefs.model import Brief, Entities
from briefs.sources import (
    CONTENT_DIR_ENV,
    DEFAULT_CONTENT_DIR,
    Content,
    SourceFile,
    content_dir_from_env,
    content_signature,
    decode,
    is_brief_name,
    read_content,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Corpus:
    """Everything served, built once per load and then only read."""

    content_dir: str
    """The directory it was read from, as given."""
    briefs: Mapping[str, Brief]
    """Valid briefs by id, newest first."""
    entities: Entities
    """Actors and events."""
    errors: tuple[ContentError, ...] = field(default=())
    """Every problem found; a brief with errors is left out."""
    version: str = ""
    """Short hash of every file read: the same content gives the same version on every machine."""
    stale: tuple[str, ...] = ()
    """Briefs whose file is broken now, served in their last valid version."""


MISSING_DIR = "content directory not found; set BRIEFS_CONTENT_DIR or --content"


def load_entity_files(content: Content) -> tuple[Entities, list[ContentError]]:
    """Parse every entity file of ``content``; unreadable files are errors."""
    errors: list[ContentError] = []
    texts = []
    for file in content.entity_files:
        text, problem = decode(file)
        errors.extend([problem] if problem else [])
        texts.append((file.shown, text))
    entities, entity_errors = load_entities(texts)
    return entities, [*errors, *entity_errors]


def load_corpus(
    content_dir: str | os.PathLike[str],
    previous: Corpus | None = None,
    *,
    on_parsed: Callable[[int, int], None] | None = None,
) -> Corpus:
    """Read and parse every file under ``content_dir``.

    Nothing here raises for bad content: a missing directory, an unreadable
    file or a broken brief is an error in the result. A brief that has
    errors now but was valid in ``previous`` keeps its last valid version,
    listed in :attr:`Corpus.stale`; a new broken brief is not served.
    ``on_parsed(done, total)`` is called after each brief, for progress.
    """
    content = read_content(content_dir)
    if content.missing:
        return Corpus(content.shown, MappingProxyType({}), Entities(), (ContentError(content.shown, 1, MISSING_DIR),))
    entities, errors = load_entity_files(content)
    briefs: list[Brief] = []
    stale: list[str] = []
    for done, file in enumerate(content.brief_files, 1):
        brief, brief_errors = parse_file(file, entities)
        errors.extend(brief_errors)
        if brief is None and previous is not None and file.stem in previous.briefs:
            brief = previous.briefs[file.stem]
            stale.append(brief.id)
        if brief is not None:
            briefs.append(brief)
        if on_parsed is not None:
            on_parsed(done, len(content.brief_files))
    return Corpus(content.shown, order_briefs(briefs), entities, tuple(errors), content.version, tuple(stale))


def order_briefs(briefs: list[Brief]) -> Mapping[str, Brief]:
    """Briefs by id, newest first (ties by id, descending)."""
    briefs.sort(key=lambda brief: (brief.published, brief.id), reverse=True)
    return MappingProxyType({b.id: b for b in briefs})


def parse_file(file: SourceFile, entities: Entities) -> tuple[Brief | None, tuple[ContentError, ...]]:
    """Parse one brief file; a parser failure is an error of that file, never an exception."""
    if file.problem is not None:
        return None, (file.problem,)
    if not is_brief_name(file.name):
        stem = file.stem.lower()
        message = f"not read as a brief: a brief file is named briefs/<id>.md; rename it to briefs/{stem}.md"
        return None, (ContentError(file.shown, 1, message),)
    try:
        result = parse_brief(file.data, entities, file.name, file.shown)
    except Exception as exc:  # one brief must never stop the others from loading
        log.exception("parser failure on %s", file.shown)
        return None, (
            ContentError(file.shown, 1, f"the parser failed on this file ({type(exc).__name__}); please report it"),
        )
    return result.brief, result.errors


__all__ = [
    "CONTENT_DIR_ENV",
    "DEFAULT_CONTENT_DIR",
    "Corpus",
    "content_dir_from_env",
    "content_signature",
    "load_corpus",
    "load_entity_files",
    "order_briefs",
    "parse_file",
]
