"""Content bytes: the entity and brief files of a content directory, each with its
sha256, read once and handed to the parser (which never reads files itself)."""

from __future__ import annotations

import contextlib
import hashlib
import os
import posixpath
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from briefs.errors import ContentError

CONTENT_DIR_ENV = "BRIEFS_CONTENT_DIR"
DEFAULT_CONTENT_DIR = "content"
ENTITY_PATTERN = "entities/*.y*ml"
BRIEF_PATTERN = "briefs/*.md"
MISNAMED_BRIEF_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd", ".mkdn")
"""Compared lowercase: a file in ``briefs/`` with one of these endings but not ``.md`` itself
(``x.markdown``, ``x.MD``) is listed with the briefs, so that it is reported rather than ignored."""


FileStat = tuple[int, int, int, int]
"""Modification and change times (ns), inode and size of a file. A copy made with its modification time kept
(``cp -p``, ``rsync -a``) still differs: it has a new inode and change time, which no one can set back."""


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
    path: str = ""
    """Where it was read from."""
    stat: FileStat = (0, 0, 0, 0)
    """Its stat when read: while it stays the same, a later build trusts :attr:`sha256`."""
    unread: bool = False
    """True when :attr:`data` was not read (it is empty) because the file's stat and digest were known
    (:func:`read_content`); :func:`load` reads it."""

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
    read_at_ns: int = 0
    """When the files were listed (``time.time_ns()``): see :func:`read_content`."""

    version: str = field(init=False)
    """Short hash of every file's name and bytes: the same content gives the same version on every machine."""

    def __post_init__(self) -> None:
        digest = hashlib.sha256()
        for file in (*self.entity_files, *self.brief_files):
            digest.update(f"{file.name}\0{file.sha256}\0".encode())
        object.__setattr__(self, "version", digest.hexdigest()[:16])

    def file_stats(self) -> dict[str, KnownStat]:
        """What a later :func:`read_content` may trust: each brief file's stat and digest, by name."""
        return {file.name: (*file.stat, file.sha256) for file in self.brief_files if file.sha256}

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


def content_signature(content_dir: str | os.PathLike[str]) -> tuple[tuple[str, FileStat], ...]:
    """Name and stat (:data:`FileStat`) of every content file: cheap to take, and
    different whenever a file is added, removed, changed or replaced."""
    root = Path(content_dir)
    signature = []
    for path, name in (*_files(root, ENTITY_PATTERN), *_brief_files(root)):
        with contextlib.suppress(OSError):
            stat = os.stat(path)
            signature.append((name, _stat_of(stat)))
    return tuple(signature)


KnownStat = tuple[int, int, int, int, str]
"""A file's stat (the four values of :data:`FileStat`) and sha256, as a read recorded them."""
FileStats = Mapping[str, KnownStat]
"""Brief file name to what an earlier read recorded of it."""
RACY_NS = 2_000_000_000
"""A file modified this close to the read that recorded it may change again with the same stat: read it again."""


def read_content(content_dir: str | os.PathLike[str], known: FileStats | None = None, known_at_ns: int = 0) -> Content:
    """Read every entity and brief file under ``content_dir``; nothing here raises for bad content.

    :param known: stats and digests of brief files recorded by an earlier read (:meth:`Content.file_stats`),
        listed at ``known_at_ns``. A brief file whose stat is as recorded, and was modified well before
        that read, is not read again: its digest is trusted (as ``make`` and git
        trust a file's stat) and :func:`load` reads it if it must be parsed.
    """
    root = Path(content_dir)
    shown = str(content_dir)
    if not root.is_dir():
        return Content(shown, (), (), missing=True)
    started = time.time_ns()
    entity_files = tuple(_read(path, name, f"{shown}/{name}") for path, name in _files(root, ENTITY_PATTERN))
    trusted_before = known_at_ns - RACY_NS
    brief_files = tuple(
        _trusted(path, name, f"{shown}/{name}", known.get(name) if known else None, trusted_before)
        for path, name in _brief_files(root)
    )
    return Content(shown, entity_files, brief_files, read_at_ns=started)


def load(file: SourceFile) -> SourceFile:
    """The file with its bytes read, if they were not."""
    return _read(file.path, file.name, file.shown) if file.unread else file


def _trusted(path: str, name: str, shown: str, known: KnownStat | None, before: int) -> SourceFile:
    if known is not None:
        try:
            stat = os.stat(path)
        except OSError:
            return _read(path, name, shown)
        now = _stat_of(stat)
        if now == known[:4] and stat.st_mtime_ns < before:
            return SourceFile(name, shown, b"", known[4], path=path, stat=now, unread=True)
    return _read(path, name, shown)


def _files(root: Path, pattern: str) -> list[tuple[str, str]]:
    """(path, name inside the content directory) of each file matching ``<folder>/<glob>``, by name
    (as strings: sorting 10,000 paths as ``Path`` objects took half a second)."""
    folder = pattern.split("/", maxsplit=1)[0]
    names = sorted(path.name for path in root.glob(pattern))
    return [(os.path.join(root, folder, name), f"{folder}/{name}") for name in names]


def _brief_files(root: Path) -> list[tuple[str, str]]:
    """``briefs/*.md``, and the files of ``briefs/`` named as Markdown otherwise (see
    :data:`MISNAMED_BRIEF_SUFFIXES`), by name."""
    return [
        (path, name)
        for path, name in _files(root, "briefs/*")
        if is_brief_name(name) or (name.lower().endswith(MISNAMED_BRIEF_SUFFIXES) and os.path.isfile(path))
    ]


def is_brief_name(name: str) -> bool:
    """True for ``briefs/<stem>.md``: a name the format reads as a brief."""
    return name.endswith(".md")


def _read(path: str, name: str, shown: str) -> SourceFile:
    try:
        with open(path, "rb") as handle:
            stat = os.fstat(handle.fileno())
            data = handle.read()
    except OSError as exc:
        problem = ContentError(shown, 1, f"cannot read the file: {exc.strerror or exc}")
        return SourceFile(name, shown, b"", "", problem, path=path)
    return SourceFile(name, shown, data, hashlib.sha256(data).hexdigest(), path=path, stat=_stat_of(stat))


def _stat_of(stat: os.stat_result) -> FileStat:
    return stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino, stat.st_size


def decode(file: SourceFile) -> tuple[str, ContentError | None]:
    """The file's text, or why it is not valid UTF-8 (at the line of the first bad byte)."""
    if file.problem is not None:
        return "", file.problem
    try:
        return file.data.decode("utf-8").removeprefix("\ufeff"), None
    except UnicodeDecodeError as exc:
        line = file.data[: exc.start].count(b"\n") + 1
        return "", ContentError(file.shown, line, "invalid UTF-8; save the file as UTF-8")
