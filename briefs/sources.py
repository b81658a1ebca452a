"""Content bytes: the entity and brief files of a content directory, each with its
sha256, read once and handed to the parser (which never reads files itself)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from briefs.errors import ContentError

CONTENT_DIR_ENV = "BRIEFS_CONTENT_DIR"
DEFAULT_CONTENT_DIR = "content"
ENTITY_PATTERN = "entities/*.y*ml"
BRIEF_PATTERN = "briefs/*.md"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One content file as read from disk."""

    name: str
    """Path inside the content directory: ``briefs/x.md`` or ``entities/actors.yaml``."""
    shown: str
    """Path as an author opens it, for errors: ``content/briefs/x.md``."""
    data: bytes
    """Its bytes; empty when it could not be read."""
    sha256: str
    """Hex digest of :attr:`data`: a file whose digest is unchanged need not be parsed again."""
    problem: ContentError | None = None
    """Why it could not be read, if it could not."""

    @property
    def stem(self) -> str:
        """The file name without directory and extension: a brief's id."""
        return posixpath.splitext(posixpath.basename(self.name))[0]


@dataclass(frozen=True, slots=True)
class Content:
    """Every content file of one directory, in name order."""

    shown: str
    """The directory, as given."""
    entity_files: tuple[SourceFile, ...]
    """``entities/*.yaml``, by name."""
    brief_files: tuple[SourceFile, ...]
    """``briefs/*.md``, by name."""
    missing: bool = False
    """True when the directory does not exist."""

    version: str = field(init=False)
    """Short hash of every file read: the same content gives the same version on every machine."""

    def __post_init__(self) -> None:
        digest = hashlib.sha256()
        for file in (*self.entity_files, *self.brief_files):
            digest.update(f"{file.name}\0".encode() + file.data + b"\0")
        object.__setattr__(self, "version", digest.hexdigest()[:16])  # once: hashing 100 MB takes a while

    @property
    def entity_digest(self) -> str:
        """Hash of the entity files alone: when it changes, every brief's mentions must be checked again."""
        digest = hashlib.sha256()
        for file in self.entity_files:
            digest.update(f"{file.name}\0{file.sha256}\0".encode())
        return digest.hexdigest()


def content_dir_from_env(explicit: str | None = None) -> str:
    """The content directory: an explicit one, else ``$BRIEFS_CONTENT_DIR``, else ``content``."""
    return explicit or os.environ.get(CONTENT_DIR_ENV) or DEFAULT_CONTENT_DIR


def content_signature(content_dir: str | os.PathLike[str]) -> tuple[tuple[str, int, int], ...]:
    """Name, modification time and size of every content file: cheap to take, and
    different whenever a file is added, removed or changed."""
    root = Path(content_dir)
    signature = []
    for pattern in (ENTITY_PATTERN, BRIEF_PATTERN):
        for path, name in _files(root, pattern):
            with contextlib.suppress(OSError):
                stat = os.stat(path)
                signature.append((name, stat.st_mtime_ns, stat.st_size))
    return tuple(signature)


def read_content(content_dir: str | os.PathLike[str]) -> Content:
    """Read every entity and brief file under ``content_dir``; nothing here raises for bad content."""
    root = Path(content_dir)
    shown = str(content_dir)
    if not root.is_dir():
        return Content(shown, (), (), missing=True)
    entity_files = tuple(_read(path, name, shown) for path, name in _files(root, ENTITY_PATTERN))
    brief_files = tuple(_read(path, name, shown) for path, name in _files(root, BRIEF_PATTERN))
    return Content(shown, entity_files, brief_files)


def _files(root: Path, pattern: str) -> list[tuple[str, str]]:
    """(path, name inside the content directory) of each file matching ``<folder>/<glob>``, by name
    (as strings: sorting 10,000 paths as ``Path`` objects took half a second)."""
    folder = pattern.split("/", maxsplit=1)[0]
    names = sorted(path.name for path in root.glob(pattern))
    return [(os.path.join(root, folder, name), f"{folder}/{name}") for name in names]


def _read(path: str, name: str, shown_root: str) -> SourceFile:
    shown = f"{shown_root}/{name}"
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        problem = ContentError(shown, 1, f"cannot read the file: {exc.strerror or exc}")
        return SourceFile(name, shown, b"", "", problem)
    return SourceFile(name, shown, data, hashlib.sha256(data).hexdigest())


def decode(file: SourceFile) -> tuple[str, ContentError | None]:
    """The file's text, or why it is not valid UTF-8 (at the line of the first bad byte)."""
    if file.problem is not None:
        return "", file.problem
    try:
        return file.data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = file.data[: exc.start].count(b"\n") + 1
        return "", ContentError(file.shown, line, "invalid UTF-8; save the file as UTF-8")
