"""Read a content directory: every entity file first, then every brief."""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from api.corpus.brief import parse_brief
from api.corpus.entities import load_entities
from api.corpus.errors import ContentError
from api.corpus.model import Brief, Entities

log = logging.getLogger(__name__)

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
    stale: tuple[str, ...] = ()
    """Briefs whose file is broken now, served in their last valid version."""


def content_dir_from_env(explicit: str | None = None) -> str:
    """The content directory: an explicit one, else ``$BRIEFS_CONTENT_DIR``, else ``content``."""
    return explicit or os.environ.get(CONTENT_DIR_ENV) or DEFAULT_CONTENT_DIR


def content_signature(content_dir: str | os.PathLike[str]) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every content file: cheap to take, and
    different whenever a file is added, removed or changed."""
    root = Path(content_dir)
    signature = []
    for pattern in ("entities/*.y*ml", "briefs/*.md"):
        for path in sorted(root.glob(pattern)):
            with contextlib.suppress(OSError):
                stat = path.stat()
                signature.append((path.relative_to(root).as_posix(), stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


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
    root = Path(content_dir)
    shown = str(content_dir)
    if not root.is_dir():
        error = ContentError(shown, 1, "content directory not found; set BRIEFS_CONTENT_DIR or --content")
        return Corpus(shown, MappingProxyType({}), Entities(), (error,))
    digest = hashlib.sha256()
    errors: list[ContentError] = []
    entity_files = []
    for path in sorted((root / "entities").glob("*.y*ml")):
        data, problem = _read_bytes(path, f"{shown}/entities/{path.name}")
        text, problem = _decode(data, problem, f"{shown}/entities/{path.name}")
        errors.extend([problem] if problem else [])
        entity_files.append((f"{shown}/entities/{path.name}", text))
        digest.update(f"entities/{path.name}\0".encode() + data + b"\0")
    entities, entity_errors = load_entities(entity_files)
    errors.extend(entity_errors)
    briefs: list[Brief] = []
    stale: list[str] = []
    paths = sorted((root / "briefs").glob("*.md"))
    for done, path in enumerate(paths, 1):
        shown_path = f"{shown}/briefs/{path.name}"
        data, problem = _read_bytes(path, shown_path)
        digest.update(f"briefs/{path.name}\0".encode() + data + b"\0")
        brief, brief_errors = _parse_safely(data, problem, entities, path.name, shown_path)
        errors.extend(brief_errors)
        if brief is None and previous is not None and path.stem in previous.briefs:
            brief = previous.briefs[path.stem]
            stale.append(brief.id)
        if brief is not None:
            briefs.append(brief)
        if on_parsed is not None:
            on_parsed(done, len(paths))
    briefs.sort(key=lambda brief: (brief.published, brief.id), reverse=True)
    briefs_by_id = MappingProxyType({b.id: b for b in briefs})
    return Corpus(shown, briefs_by_id, entities, tuple(errors), digest.hexdigest()[:16], tuple(stale))


def _parse_safely(
    data: bytes, problem: ContentError | None, entities: Entities, name: str, shown_path: str
) -> tuple[Brief | None, tuple[ContentError, ...]]:
    if problem is not None:
        return None, (problem,)
    try:
        result = parse_brief(data, entities, f"briefs/{name}", shown_path)
    except Exception as exc:  # one brief must never stop the others from loading
        log.exception("parser failure on %s", shown_path)
        return None, (
            ContentError(shown_path, 1, f"the parser failed on this file ({type(exc).__name__}); please report it"),
        )
    return result.brief, result.errors


def _read_bytes(path: Path, shown: str) -> tuple[bytes, ContentError | None]:
    try:
        return path.read_bytes(), None
    except OSError as exc:
        return b"", ContentError(shown, 1, f"cannot read the file: {exc.strerror or exc}")


def _decode(data: bytes, problem: ContentError | None, shown: str) -> tuple[str, ContentError | None]:
    if problem is not None:
        return "", problem
    try:
        return data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return "", ContentError(shown, line, "invalid UTF-8; save the file as UTF-8")
