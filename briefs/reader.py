"""Typed queries over one artifact file, opened read-only.

An :class:`Artifact` is one build of the content: it never changes. A newer build
is either another file renamed over the path (a build from scratch, or one shipped
from elsewhere) or a transaction committed to the same file (an incremental build,
in SQLite's write-ahead log); :class:`ArtifactWatch` notices either with a stat()
on each request and opens it. Each request reads inside one read transaction
(:meth:`Artifact.pin`, :meth:`Artifact.release`), so it sees one build from its
first query to its last, whatever commits meanwhile. Memory stays small whatever
the corpus size: lists are answered by SQLite, and only a few recently used briefs
are kept unpickled.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import sqlite3
import struct
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, TypeVar, overload

from briefs import artifact
from briefs.citations import Citation, cite_mention
from briefs.connections import ClosingConnection, ThreadConnections
from briefs.errors import ContentError
from briefs.facets import Facet, count_facets
from briefs.index import HIT_TYPES
from briefs.lookups import ActorEntry, EventEntry
from briefs.model import Actor, Brief, Element, Event
from briefs.responses import StoredResponse
from briefs.search import SearchIndex

log = logging.getLogger(__name__)

T = TypeVar("T")
K = TypeVar("K")
BRIEF_CACHE_SIZE = 64
"""Unpickled briefs kept per process."""
PIN_ATTEMPTS = 3
"""Times a request opens a newer build before it reads one (builds rarely commit twice in a millisecond)."""
PAGE_CACHE_KIB = 32 * 1024
"""SQLite's page cache of each reader connection, in KiB: the hot pages of the full-text index and the lists."""
_SORT_COLUMNS = {"published": "published", "title": "title"}
_MATCHING_BRIEFS = (
    "id IN (SELECT b.brief_id FROM brief_text CROSS JOIN brief_bodies b ON b.doc = brief_text.rowid "
    "WHERE brief_text MATCH :match)"
)
_MATCHING_ELEMENTS = (
    "(brief_id, position) IN (SELECT f.brief_id, f.position FROM docs CROSS JOIN doc_facets f "
    f"ON f.doc = docs.rowid WHERE docs MATCH :match AND docs.rowid % {len(HIT_TYPES)} >= 2)"
)
"""Briefs whose whole text (``brief_text``), or blocks whose own row of the full-text index, match an FTS5
expression."""


class _ReaderConnection(ClosingConnection):
    """A reader's connection, and its twin that reads stored responses (see :meth:`Artifact.response`)."""

    bodies: sqlite3.Connection | None = None


class ArtifactError(Exception):
    """The file is missing, truncated, corrupt, or of another format."""


class Rows(Sequence[T]):
    """A sequence whose keys are known and whose items are loaded only when a page asks for them."""

    def __init__(self, keys: Sequence[K], load: Callable[[K], T]) -> None:
        self._keys = keys
        self._load = load

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._load(key) for key in self._keys[index]]
        return self._load(self._keys[index])

    def __iter__(self) -> Iterator[T]:
        return (self._load(key) for key in self._keys)


class QueryRows(Sequence[T]):
    """The rows of one query, counted and sliced by SQLite: a page reads its own rows and a count,
    not every row (a list of every block of 10,000 briefs is some 300,000 rows).

    :param run: runs SQL with named parameters and returns the rows
    :param columns: what a row selects
    :param source: ``FROM ... WHERE ...``
    :param order: ``ORDER BY ...``, total (ties broken), so that pages never overlap
    :param row: turns a selected row into an item
    """

    def __init__(
        self,
        run: Callable[[str, Mapping[str, Any]], list[Any]],
        columns: str,
        source: str,
        order: str,
        *,
        params: Mapping[str, Any],
        row: Callable[[Any], T],
    ) -> None:
        self._run = run
        self._select = f"SELECT {columns} {source} {order}"
        self._count = f"SELECT count(*) {source}"
        self._params = params
        self._row = row
        self._length: int | None = None

    def __len__(self) -> int:
        if self._length is None:
            self._length = int(self._run(self._count, self._params)[0][0])
        return self._length

    def _rows(self, limit: int, offset: int) -> list[T]:
        rows = self._run(f"{self._select} LIMIT {int(limit)} OFFSET {int(offset)}", self._params)
        return [self._row(row) for row in rows]

    @overload
    def __getitem__(self, index: int) -> T: ...
    @overload
    def __getitem__(self, index: slice) -> list[T]: ...
    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return list(self)[index]
            return self._rows(max(stop - start, 0), start) if stop > start else []
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._rows(1, position)[0]

    def __iter__(self) -> Iterator[T]:
        return (self._row(row) for row in self._run(self._select, self._params))


@dataclass(frozen=True, slots=True)
class FileIdentity:
    """Tells one file at a path from the next one renamed over it."""

    device: int
    inode: int
    mtime_ns: int
    size: int

    @classmethod
    def of(cls, path: str) -> FileIdentity | None:
        """The identity of the file at ``path`` now, or None if there is none."""
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return cls(stat.st_dev, stat.st_ino, stat.st_mtime_ns, stat.st_size)


class Artifact:
    """One built content version, read-only.

    :param connection: read through this connection instead of opening one per thread: the build's
        own, inside the transaction that writes the artifact (it renders the shared responses from
        what it has written so far)
    :raises ArtifactError: if ``path`` is not a complete artifact of this format
    """

    def __init__(self, path: str, connection: sqlite3.Connection | None = None) -> None:
        self.path = path
        self.identity = FileIdentity.of(path)
        if self.identity is None:
            raise ArtifactError(f"{path}: no such artifact; run 'briefs build'")
        _check_header(path, self.identity.size)
        absolute = os.path.abspath(path)
        # SQLite keeps a write-ahead log's index beside the file, even for a reader. Where it cannot (a
        # read-only filesystem, a shipped artifact), nothing can write the file in place either: read it
        # as immutable.
        writable = os.access(os.path.dirname(absolute), os.W_OK)
        self._uri = f"file:{absolute}?mode=ro" + ("" if writable else "&immutable=1")
        self._connections = ThreadConnections(self._connect)
        self._borrowed = connection
        self._conn: Callable[[], sqlite3.Connection] = (
            self._connections.get if connection is None else lambda: connection
        )
        self._briefs: OrderedDict[str, Brief] = OrderedDict()
        self._lock = threading.Lock()
        try:
            self.begin()
            try:
                meta = dict(self._conn().execute("SELECT key, value FROM meta"))
                self.brief_count: int = self._conn().execute("SELECT count(*) FROM briefs").fetchone()[0]
                counts = self._query("SELECT entity_id, mentions, briefs FROM entity_counts")
            finally:
                self.release()
            if meta.get("format") != artifact.FORMAT:
                raise ArtifactError(f"{path}: format {meta.get('format')!r}, expected {artifact.FORMAT!r}; rebuild it")
            if meta.get("complete") != "1":
                raise ArtifactError(f"{path}: the build that wrote it did not finish")
            self.version: str = str(meta["version"])
            self.content_dir: str = str(meta["content_dir"])
            self.errors: tuple[ContentError, ...] = artifact.decode_errors(meta["errors"])
            self.stale: tuple[str, ...] = tuple(json.loads(meta["stale"]))
            self.entities = artifact.unpickle_entities(meta["entities"])
            self.build: str = _build_of(meta)
            """Tells this build from any other written to the same file (see :meth:`pin`)."""
            self.actors: Mapping[str, ActorEntry] = self._actor_entries(counts)
            self.events: tuple[Event, ...] = tuple(sorted(self.entities.events.values(), key=lambda e: e.sort_key))
        except (sqlite3.Error, KeyError, ValueError, TypeError) as exc:
            raise ArtifactError(f"{path}: not a readable artifact ({exc})") from exc
        # The index reads through this thread's connection too: inside the same read transaction.
        self.search = SearchIndex.over(self._conn, self.entities)

    # -- connections ------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self._uri, uri=True, check_same_thread=False, factory=_ReaderConnection)
        # The file is read, not mapped: every page touched through a mapping stays in the worker's RSS,
        # with the cached pages around it (the kernel's fault-around), so a worker that had answered
        # enough searches held the whole full-text index in its RSS (about 130 MB a worker at 10,000
        # briefs after 100 searches). A bounded page cache of its own keeps searches as fast.
        conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
        # Opened at the same moment, so that both read the same file (see :meth:`response`).
        conn.bodies = sqlite3.connect(self._uri, uri=True, check_same_thread=False, factory=ClosingConnection)
        return conn

    def begin(self) -> None:
        """Start this thread's read transaction, without the checks of :meth:`pin`."""
        if self._borrowed is None:
            conn = self._conn()
            if conn.in_transaction:
                conn.commit()
            conn.execute("BEGIN")

    def pin(self) -> bool:
        """Start this thread's read transaction: every query until :meth:`release` reads one build.

        :returns: False (and nothing pinned) when the file holds another build than this object was
            opened on: a commit or a rename came in between; open the artifact again.
        """
        if self._borrowed is not None:
            return True
        self.begin()
        conn = self._conn()
        try:
            build = _build_of(dict(conn.execute("SELECT key, value FROM meta WHERE key IN ('version', 'generation')")))
        except sqlite3.Error:
            build = ""  # not the file this object was opened on
        now = FileIdentity.of(self.path)
        # The file too: a build from scratch renamed over the path can hold the same content version.
        same = build == self.build and _same_file(now, self.identity)
        if not same:
            conn.commit()
        return same

    def release(self) -> None:
        """End this thread's read transaction, if it has one (a commit can then be checkpointed)."""
        if self._borrowed is None:
            conn = self._connections.existing()
            if conn is not None and conn.in_transaction:
                conn.commit()

    def _query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[Any]:
        return self._conn().execute(sql, params).fetchall()

    # -- stored responses ---------------------------------------------------------

    def response(self, key: str) -> StoredResponse | None:
        """The response stored by the build for this path, if any.

        Outside a read transaction (:meth:`pin`: the fast path answers with this one query), it is read
        through a twin connection with SQLite's small default page cache: bodies are read once each, and
        10,000 distinct ones would otherwise push the index's hot pages out of the larger cache and fill
        it, in every worker.
        """
        conn = self._conn()
        if isinstance(conn, _ReaderConnection) and not conn.in_transaction and conn.bodies is not None:
            conn = conn.bodies
        row = conn.execute("SELECT body, gzip, etag, headers FROM responses WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        body, gzipped, etag, headers = row
        if body is None:
            body = gzip.decompress(gzipped)
        return StoredResponse(body, gzipped, etag, tuple(tuple(pair) for pair in json.loads(headers)))

    def response_keys(self) -> list[str]:
        """Every path the build stored a response for, in order."""
        return [key for (key,) in self._query("SELECT key FROM responses ORDER BY key")]

    # -- briefs -------------------------------------------------------------------

    def brief(self, brief_id: str) -> Brief | None:
        """One brief, or None."""
        return self._unpickled(brief_id, "SELECT model FROM briefs WHERE id = ?", (brief_id,))

    def brief_title(self, brief_id: str) -> str | None:
        """A brief's title, without loading the brief (for pages that name briefs they do not show), or None."""
        row = self._conn().execute("SELECT title FROM briefs WHERE id = ?", (brief_id,)).fetchone()
        return None if row is None else str(row[0])

    def _unpickled(self, key: str, sql: str, params: tuple[Any, ...]) -> Brief | None:
        """The brief a query's model column holds, through the small LRU of unpickled briefs."""
        with self._lock:
            cached = self._briefs.get(key)
            if cached is not None:
                self._briefs.move_to_end(key)
                return cached
        row = self._conn().execute(sql, params).fetchone()
        if row is None:
            return None
        brief = artifact.unpickle_brief(row[0])
        with self._lock:
            self._briefs[key] = brief
            while len(self._briefs) > BRIEF_CACHE_SIZE:
                self._briefs.popitem(last=False)
        return brief

    def _must_brief(self, brief_id: str) -> Brief:
        brief = self.brief(brief_id)
        if brief is None:
            raise ArtifactError(f"{self.path}: brief {brief_id!r} is listed but not stored")
        return brief

    def brief_ids(self, *, sort: str = "-published", **filters: Any) -> Sequence[str]:
        """Ids of the briefs that pass every filter (see :meth:`brief_facets`), in the order asked (ties by id)."""
        where, params = _brief_filters(**filters)
        column = _SORT_COLUMNS[sort.lstrip("-")]
        direction = "DESC" if sort.startswith("-") else "ASC"
        return QueryRows(
            self._query, "id", f"FROM briefs {where}", f"ORDER BY {column} {direction}, id {direction}",
            params=params, row=_first,
        )  # fmt: skip

    def brief_facets(self, names: Sequence[str], **filters: Any) -> dict[str, Facet]:
        """Facets of the briefs that pass every filter.

        :param filters: ``tag``, ``actor``, ``event``, ``published_from``, ``published_to`` (dates), and
            ``match``, an FTS5 expression the brief's text must match
        """
        where, params = _brief_filters(**filters)
        return count_facets(
            self._conn(), "briefs", f"SELECT id AS brief_id, published FROM briefs {where}", params, names
        )

    def briefs(self, brief_ids: Sequence[str]) -> Rows[Brief]:
        """The briefs of these ids, loaded as a page asks for them."""
        return Rows(brief_ids, self._must_brief)

    # -- typed blocks ---------------------------------------------------------------

    def element_keys(self, **filters: str | None) -> Sequence[tuple[str, int, str]]:
        """(brief id, position, element id) of the blocks that pass every filter (see :meth:`element_facets`):
        briefs newest first, blocks in document order."""
        where, params = _element_filters(**filters)
        return QueryRows(
            self._query, "brief_id, position, element_id", f"FROM elements {where}",
            "ORDER BY published DESC, brief_id DESC, position", params=params, row=tuple,
        )  # fmt: skip

    def element_facets(self, names: Sequence[str], **filters: str | None) -> dict[str, Facet]:
        """Facets of the blocks that pass every filter.

        :param filters: ``type``, ``brief``, ``actor``, ``event``, and ``match``, an FTS5 expression the
            block's own text must match
        """
        where, params = _element_filters(**filters)
        selection = f"SELECT brief_id, position, type, published FROM elements {where}"
        return count_facets(self._conn(), "elements", selection, params, names)

    def elements(self, keys: Sequence[tuple[str, int, str]]) -> Rows[Element]:
        """The blocks of these keys, loaded as a page asks for them."""
        return Rows(keys, lambda key: self._must_brief(key[0]).elements[key[1]])

    # -- actors, events, mentions ----------------------------------------------------

    def _actor_entries(self, rows: list[Any]) -> Mapping[str, ActorEntry]:
        counts = {row[0]: (row[1], row[2]) for row in rows}
        actors: list[Actor] = sorted(self.entities.actors.values(), key=lambda a: (a.name.casefold(), a.id))
        return MappingProxyType({a.id: ActorEntry(a, *counts.get(a.id, (0, 0))) for a in actors})

    def event_entry(self, event_id: str) -> EventEntry | None:
        """An event with the briefs about it or mentioning it, newest first; None if unknown."""
        event = self.entities.events.get(event_id)
        if event is None:
            return None
        rows = self._query(
            "SELECT brief_id FROM brief_refs WHERE entity_id = ? ORDER BY published DESC, brief_id DESC", (event_id,)
        )
        return EventEntry(event, tuple(brief_id for (brief_id,) in rows))

    def must_event_entry(self, event_id: str) -> EventEntry:
        """:meth:`event_entry` of an event known to exist."""
        entry = self.event_entry(event_id)
        if entry is None:
            raise ArtifactError(f"{self.path}: event {event_id!r} is listed but not stored")
        return entry

    def citations(self, entity_id: str) -> Rows[Citation]:
        """The citation of every mention of an entity: briefs newest first, mentions in document order."""
        keys = QueryRows(
            self._query, "brief_id, position", "FROM mentions WHERE entity_id = :entity",
            "ORDER BY published DESC, brief_id DESC, position", params={"entity": entity_id}, row=tuple,
        )  # fmt: skip
        return Rows(keys, self._cite)

    def _cite(self, key: tuple[str, int]) -> Citation:
        brief = self._must_brief(key[0])
        mention = brief.mentions[key[1]]
        element = next((e for e in brief.elements if e.id == mention.element_id), None) if mention.element_id else None
        return cite_mention(brief, mention, element)

    # -- history ----------------------------------------------------------------------

    def history(self) -> dict[str, Any]:
        """``state`` (git, shallow or none), ``detail`` and ``head`` of the history the versions come from."""
        raw = self._conn().execute("SELECT value FROM meta WHERE key = 'history'").fetchone()
        return dict(json.loads(raw[0])) if raw else {"state": "none", "detail": "", "head": None}

    def versions(self, brief_id: str) -> list[dict[str, Any]]:
        """Every version of a brief, newest first."""
        rows = self._query(
            "SELECT version, commit_sha, committed_at, note, revision, sha256, summary FROM versions "
            "WHERE brief_id = ? ORDER BY version DESC",
            (brief_id,),
        )
        return [
            {"brief_id": brief_id, "version": n, "commit": sha, "committed_at": at, "note": note,
             "revision": revision, "sha256": sha256, "changes": json.loads(summary)}
            for n, sha, at, note, revision, sha256, summary in rows
        ]  # fmt: skip

    def latest_version(self, brief_id: str) -> int | None:
        """A brief's newest version, if it has any."""
        row = self._conn().execute("SELECT max(version) FROM versions WHERE brief_id = ?", (brief_id,)).fetchone()
        return row[0] if row else None

    def version_brief(self, brief_id: str, version: int) -> Brief | None:
        """A brief as it was at one version (its ``version`` field says which), or None."""
        sql = "SELECT model FROM versions WHERE brief_id = ? AND version = ?"
        return self._unpickled(f"{brief_id}@{version}", sql, (brief_id, version))

    def withdrawn(self, brief_id: str) -> int | None:
        """The last version of a brief whose file a commit deleted, or None if it is not withdrawn."""
        row = self._conn().execute("SELECT version FROM withdrawn WHERE brief_id = ?", (brief_id,)).fetchone()
        return row[0] if row else None

    def changes(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Changes of the feed after position ``after``, oldest first, with their positions."""
        rows = self._query(
            "SELECT seq, commit_sha, at, brief_id, version, change FROM events WHERE seq > ? ORDER BY seq LIMIT ?",
            (after, limit),
        )
        return [
            {"seq": seq, "commit": sha, "at": at, "brief_id": brief_id, "version": version, "change": change}
            for seq, sha, at, brief_id, version, change in rows
        ]

    def event_commit(self, seq: int) -> str | None:
        """The commit of the feed's change at position ``seq``, if there is one."""
        row = self._conn().execute("SELECT commit_sha FROM events WHERE seq = ?", (seq,)).fetchone()
        return row[0] if row else None

    def close(self) -> None:
        """Close this thread's connection (others close when collected)."""
        if self._borrowed is None:
            self._connections.close()


def _first(row: Any) -> Any:
    return row[0]


def _same_file(one: FileIdentity | None, other: FileIdentity | None) -> bool:
    """Whether two identities are of one file (which an incremental build changes in place)."""
    return one is not None and other is not None and (one.device, one.inode) == (other.device, other.inode)


def _build_of(meta: Mapping[str, Any]) -> str:
    """Which build of the content the ``meta`` table describes: its content version, and how many
    incremental builds were committed to the file since it was written from scratch."""
    return f"{meta.get('version')}/{meta.get('generation', '0')}"


def _brief_filters(
    *, tag: str | None = None, actor: str | None = None, event: str | None = None,
    published_from: Any = None, published_to: Any = None, match: str | None = None,
) -> tuple[str, dict[str, Any]]:  # fmt: skip
    """The WHERE clause over ``briefs`` of the brief list's filters, and its parameters."""
    where, params = [], {}
    if tag is not None:
        where.append("id IN (SELECT brief_id FROM brief_tags WHERE tag = :tag)")
        params["tag"] = tag
    for name, entity in (("actor", actor), ("event", event)):
        if entity is not None:
            where.append(f"id IN (SELECT brief_id FROM brief_refs WHERE entity_id = :{name})")
            params[name] = entity
    for name, operator, day in (("published_from", ">=", published_from), ("published_to", "<=", published_to)):
        if day is not None:
            where.append(f"published {operator} :{name}")
            params[name] = day.isoformat()
    if match is not None:
        where.append(_MATCHING_BRIEFS)
        params["match"] = match
    return ("WHERE " + " AND ".join(where) if where else ""), params


def _element_filters(
    *, type: str | None = None, brief: str | None = None, actor: str | None = None, event: str | None = None,
    match: str | None = None,
) -> tuple[str, dict[str, Any]]:  # fmt: skip
    """The WHERE clause over ``elements`` of the element list's filters, and its parameters."""
    where, params = [], {}
    if type is not None:
        where.append("type = :type")
        params["type"] = type
    if brief is not None:
        where.append("brief_id = :brief")
        params["brief"] = brief
    for kind, entity in (("actor", actor), ("event", event)):
        if entity is not None:
            where.append(
                "(brief_id, position) IN "
                f"(SELECT brief_id, position FROM element_refs WHERE kind = '{kind}' AND entity_id = :{kind})"
            )
            params[kind] = entity
    if match is not None:
        where.append(_MATCHING_ELEMENTS)
        params["match"] = match
    return ("WHERE " + " AND ".join(where) if where else ""), params


def _check_header(path: str, size: int) -> None:
    """A truncated or foreign file is refused before SQLite reads a page of it.

    The size is checked only when no write-ahead log holds pages: until a checkpoint copies them
    into the file, the header and the size can disagree in a sound artifact.
    """
    try:
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise ArtifactError(f"{path}: cannot read the artifact: {exc.strerror or exc}") from exc
    if len(header) < 100 or not header.startswith(artifact.SQLITE_HEADER):
        raise ArtifactError(f"{path}: not an artifact (no SQLite header)")
    (page_size,) = struct.unpack(">H", header[16:18])
    page_size = 65536 if page_size == 1 else page_size
    (pages,) = struct.unpack(">I", header[28:32])
    if pages * page_size != size and not _has_log(path):
        raise ArtifactError(f"{path}: truncated or corrupt ({size} bytes, its header says {pages * page_size})")


def _has_log(path: str) -> bool:
    """Whether the artifact's write-ahead log holds anything."""
    log_identity = FileIdentity.of(artifact.wal_path(path))
    return log_identity is not None and log_identity.size > 0


class ArtifactWatch:
    """Follows the artifact at one path: each :meth:`current` call serves the newest complete
    build, switching atomically when a new file has been renamed over the path or an incremental
    build has committed to it.

    A file that cannot be opened (truncated, corrupt, another format) is not served: the last
    good artifact stays, and :attr:`problem` says why until a good one replaces it.

    :param connection: see :class:`Artifact`
    """

    def __init__(self, path: str, connection: sqlite3.Connection | None = None) -> None:
        self.path = path
        self._connection = connection
        self._artifact = Artifact(path, connection)
        self._tried = self._identity()
        self.problem: str | None = None
        self._lock = threading.Lock()

    def _identity(self) -> tuple[FileIdentity | None, FileIdentity | None]:
        # A rename changes the file; a commit of an incremental build changes its write-ahead log.
        return FileIdentity.of(self.path), FileIdentity.of(artifact.wal_path(self.path))

    def current(self) -> Artifact:
        """The artifact to answer this request from (two stat() calls when nothing changed)."""
        identity = self._identity()
        if identity[0] is None or identity == self._tried:
            return self._artifact
        with self._lock:
            if identity != self._tried:
                self._tried = identity
                self._open()
        return self._artifact

    def pinned(self) -> Artifact:
        """:meth:`current`, with this thread's read transaction started on it (:meth:`Artifact.pin`):
        a build committed between the stat() and the transaction is opened instead."""
        for _ in range(PIN_ATTEMPTS):
            artifact = self.current()
            if artifact.pin():
                return artifact
            with self._lock:
                if artifact is self._artifact:
                    self._tried = self._identity()
                    self._open()
                if artifact is self._artifact:
                    break  # the file now there cannot be opened: keep serving the last good build
        artifact = self._artifact
        artifact.begin()
        return artifact

    def _open(self) -> None:
        try:
            opened = Artifact(self.path, self._connection)
        except ArtifactError as exc:
            self.problem = str(exc)
            log.error("keeping content version %s: %s", self._artifact.version, exc)
            return
        self.problem = None
        if opened.build == self._artifact.build and _same_file(opened.identity, self._artifact.identity):
            return  # the same build (a checkpoint, a log created): keep the object and what it caches
        self._artifact = opened
        log.info("artifact opened", extra={"content_version": opened.version})
