"""Read a content directory: every entity file first, then every brief."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from api.corpus.brief import parse_brief
from api.corpus.entities import load_entities
from api.corpus.errors import ContentError
from api.corpus.model import Brief, Entities

CONTENT_DIR_ENV = "BRIEFS_CONTENT_DIR"
DEFAULT_CONTENT_DIR = "content"


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


def content_dir_from_env(explicit: str | None = None) -> str:
    """The content directory: an explicit one, else ``$BRIEFS_CONTENT_DIR``, else ``content``."""
    return explicit or os.environ.get(CONTENT_DIR_ENV) or DEFAULT_CONTENT_DIR


def load_corpus(content_dir: str | os.PathLike[str]) -> Corpus:
    """Read and parse every file under ``content_dir``.

    A missing directory is an error in the result, not an exception.
    """
    root = Path(content_dir)
    shown = str(content_dir)
    errors: list[ContentError] = []
    if not root.is_dir():
        errors.append(ContentError(shown, 1, "content directory not found; set BRIEFS_CONTENT_DIR or --content"))
        return Corpus(shown, MappingProxyType({}), Entities(), tuple(errors))
    digest = hashlib.sha256()
    entity_files = []
    for path in sorted((root / "entities").glob("*.y*ml")):
        text, problem = _read_text(path, f"{shown}/entities/{path.name}")
        if problem:
            errors.append(problem)
        else:
            entity_files.append((f"{shown}/entities/{path.name}", text))
            digest.update(f"entities/{path.name}\0{text}\0".encode())
    entities, entity_errors = load_entities(entity_files)
    errors.extend(entity_errors)
    briefs = []
    for path in sorted((root / "briefs").glob("*.md")):
        data = path.read_bytes()
        digest.update(f"briefs/{path.name}\0".encode() + data + b"\0")
        result = parse_brief(data, entities, f"briefs/{path.name}", f"{shown}/briefs/{path.name}")
        errors.extend(result.errors)
        if result.brief is not None:
            briefs.append(result.brief)
    briefs.sort(key=lambda brief: (brief.published, brief.id), reverse=True)
    briefs_by_id = MappingProxyType({b.id: b for b in briefs})
    return Corpus(shown, briefs_by_id, entities, tuple(errors), digest.hexdigest()[:16])


def _read_text(path: Path, shown: str) -> tuple[str, ContentError | None]:
    data = path.read_bytes()
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", ContentError(shown, line, "invalid UTF-8; save the file as UTF-8")
