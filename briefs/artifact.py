"""The artifact's tables, and the rows one brief owns in them.

Every table is ordered for the queries that serve it: briefs newest first
(``published DESC, brief_id DESC``, the corpus order), blocks in document order
within their brief, mentions likewise. No row holds a position across briefs,
so one brief's rows can be replaced without renumbering the others.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import sqlite3
import zlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from briefs import search
from briefs.errors import ContentError
from briefs.model import Actor, Brief, Entities, Event
from briefs.responses import StoredResponse

SQLITE_HEADER = b"SQLite format 3\x00"
"""The first bytes of every SQLite database file: an artifact's, or another program's."""
PICKLE_PROTOCOL = 5
FORMAT = "briefs-artifact/8"
"""Changes whenever the tables change: a reader refuses, and a builder rebuilds, any other."""

SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE files(
    name TEXT PRIMARY KEY, sha256 TEXT NOT NULL, entity_digest TEXT NOT NULL,
    brief_id TEXT, stale INTEGER NOT NULL, errors TEXT NOT NULL, model_sha TEXT NOT NULL, version_key TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE briefs(id TEXT PRIMARY KEY, published TEXT NOT NULL, title TEXT NOT NULL, model BLOB NOT NULL);
CREATE INDEX briefs_by_published ON briefs(published DESC, id DESC);
CREATE TABLE brief_tags(tag TEXT, brief_id TEXT, PRIMARY KEY(tag, brief_id)) WITHOUT ROWID;
CREATE INDEX brief_tags_by_brief ON brief_tags(brief_id);
CREATE TABLE brief_refs(
    entity_id TEXT, published TEXT, brief_id TEXT, PRIMARY KEY(entity_id, published DESC, brief_id DESC)
) WITHOUT ROWID;
CREATE INDEX brief_refs_by_brief ON brief_refs(brief_id);
CREATE TABLE elements(
    brief_id TEXT, position INTEGER, element_id TEXT NOT NULL, type TEXT NOT NULL, published TEXT NOT NULL,
    PRIMARY KEY(brief_id, position)
) WITHOUT ROWID;
CREATE INDEX elements_in_order ON elements(published DESC, brief_id DESC, position);
CREATE INDEX elements_by_type ON elements(type, published DESC, brief_id DESC, position);
CREATE TABLE element_refs(
    kind TEXT, entity_id TEXT, brief_id TEXT, position INTEGER, PRIMARY KEY(kind, entity_id, brief_id, position)
) WITHOUT ROWID;
CREATE INDEX element_refs_by_brief ON element_refs(brief_id);
CREATE TABLE mentions(
    entity_id TEXT, published TEXT, brief_id TEXT, position INTEGER,
    PRIMARY KEY(entity_id, published DESC, brief_id DESC, position)
) WITHOUT ROWID;
CREATE INDEX mentions_by_brief ON mentions(brief_id);
CREATE TABLE entity_counts(
    entity_id TEXT PRIMARY KEY, mentions INTEGER NOT NULL, briefs INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE responses(key TEXT PRIMARY KEY, brief_id TEXT, body BLOB, gzip BLOB, etag TEXT, headers TEXT);
CREATE INDEX responses_by_brief ON responses(brief_id);
CREATE TABLE doc_rows(brief_id TEXT PRIMARY KEY, first INTEGER NOT NULL, end INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE parsed_changes(
    commit_sha TEXT, name TEXT, entities TEXT NOT NULL, model BLOB, errors TEXT NOT NULL,
    PRIMARY KEY(commit_sha, name)
);
CREATE TABLE versions(
    brief_id TEXT, version INTEGER, commit_sha TEXT NOT NULL, committed_at TEXT NOT NULL, note TEXT NOT NULL,
    revision INTEGER NOT NULL, sha256 TEXT NOT NULL, summary TEXT NOT NULL, model BLOB NOT NULL,
    PRIMARY KEY(brief_id, version)
);
CREATE TABLE events(
    seq INTEGER PRIMARY KEY, commit_sha TEXT NOT NULL, at TEXT NOT NULL, brief_id TEXT NOT NULL,
    version INTEGER, change TEXT NOT NULL
);
CREATE TABLE withdrawn(brief_id TEXT PRIMARY KEY, version INTEGER, commit_sha TEXT NOT NULL, at TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True)
class FileRow:
    """What the last build learnt of one brief file."""

    name: str
    """``briefs/<id>.md``."""
    sha256: str
    """Digest of the bytes parsed."""
    entity_digest: str
    """Digest of the entity files it was checked against."""
    brief_id: str | None
    """The brief served from it (valid now, or stale), if any."""
    stale: bool
    """True when the file is broken and its last valid brief is served."""
    errors: tuple[ContentError, ...]
    """Its errors."""
    model_sha: str
    """Digest of the pickled brief served from it."""
    version_key: str = ""
    """The version it equals and its brief's latest version, when it was rendered."""


@dataclass(frozen=True, slots=True)
class KnownFile:
    """What a build needs to know of a brief file the artifact holds (:class:`FileRow` without its errors)."""

    sha256: str
    entity_digest: str
    brief_id: str | None
    model_sha: str
    version_key: str


@dataclass(frozen=True, slots=True)
class State:
    """The summary of an existing artifact that a builder needs."""

    version: str
    briefs: int
    errors: tuple[ContentError, ...]
    stale: tuple[str, ...]
    complete: bool
    history: str = ""
    head: str | None = None
    """The commit the versions were read at."""


def digest(data: bytes) -> str:
    """Hex sha256."""
    return hashlib.sha256(data).hexdigest()


def wal_path(path: str | Path) -> str:
    """Where SQLite keeps an artifact's write-ahead log: an incremental build commits there."""
    return f"{path}-wal"


def create(conn: sqlite3.Connection) -> None:
    """Create every table of an empty artifact."""
    for statement in SCHEMA.split(";"):
        if statement.strip():
            conn.execute(statement)
    search.create_index(conn)
    set_meta(conn, "format", FORMAT)
    set_meta(conn, "next_doc", "0")


def set_meta(conn: sqlite3.Connection, key: str, value: str | bytes) -> None:
    """Set one metadata value."""
    conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def get_meta(conn: sqlite3.Connection, key: str) -> str | bytes | None:
    """One metadata value, or None."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def read_state(path: Path, fingerprint: str) -> State | None:
    """The state of the artifact at ``path``, or None if there is none, or it was built by other code
    (another ``fingerprint``) and must be built again from scratch."""
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            if get_meta(conn, "format") != FORMAT or get_meta(conn, "fingerprint") != fingerprint:
                return None
            (briefs,) = conn.execute("SELECT count(*) FROM briefs").fetchone()
            return State(
                str(get_meta(conn, "version") or ""),
                briefs,
                decode_errors(get_meta(conn, "errors")),
                tuple(json.loads(get_meta(conn, "stale") or "[]")),
                get_meta(conn, "complete") == "1",
                json.loads(get_meta(conn, "history") or "{}").get("detail", ""),
                json.loads(get_meta(conn, "history") or "{}").get("head"),
            )
        finally:
            conn.close()
    except sqlite3.Error:
        return None  # corrupt or not SQLite: rebuild from scratch


def decode_errors(raw: str | bytes | None) -> tuple[ContentError, ...]:
    """Errors as stored in ``meta`` or ``files``."""
    return tuple(ContentError(path, line, message) for path, line, message in json.loads(raw or "[]"))


def _encode_errors(errors: Iterable[ContentError]) -> str:
    return json.dumps([[e.path, e.line, e.message] for e in errors], ensure_ascii=False)


def file_rows(conn: sqlite3.Connection) -> dict[str, KnownFile]:
    """Every brief file the artifact knows, by name."""
    rows = conn.execute("SELECT name, sha256, entity_digest, brief_id, model_sha, version_key FROM files")
    return {name: KnownFile(*known) for name, *known in rows}


def upsert_file(conn: sqlite3.Connection, row: FileRow) -> None:
    """Record what the build learnt of one brief file."""
    conn.execute(
        "INSERT OR REPLACE INTO files(name, sha256, entity_digest, brief_id, stale, errors, model_sha, version_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (row.name, row.sha256, row.entity_digest, row.brief_id, int(row.stale), _encode_errors(row.errors),
         row.model_sha, row.version_key),
    )  # fmt: skip


def file_errors(conn: sqlite3.Connection) -> list[ContentError]:
    """Every brief file's errors, files in name order."""
    rows = conn.execute("SELECT errors FROM files WHERE errors <> '[]' ORDER BY name")
    return [e for (raw,) in rows for e in decode_errors(raw)]


def stale_briefs(conn: sqlite3.Connection) -> list[str]:
    """Briefs served in their last valid version, in file name order."""
    return [brief_id for (brief_id,) in conn.execute("SELECT brief_id FROM files WHERE stale ORDER BY name")]


@dataclass(frozen=True, slots=True)
class BriefRows:
    """Every row one brief owns, made where the brief is parsed (a build's worker process), so that the
    builder, which writes every brief in turn, only writes them (:func:`insert_rows`)."""

    brief_id: str
    brief: tuple[str, str, str, bytes]
    """id, published, title and the pickled brief."""
    tags: list[tuple[str, str]]
    refs: list[tuple[str, str, str]]
    elements: list[tuple[str, int, str, str, str]]
    element_refs: list[tuple[str, str, str, int]]
    mentions: list[tuple[str, str, str, int]]
    responses: list[tuple[str, str | None, bytes | None, bytes | None, str, str]]
    index: search.IndexRows
    """Its rows in the full-text index, numbered from 0."""


def brief_rows(brief: Brief, model: bytes, rendered: Iterable[tuple[str, StoredResponse]]) -> BriefRows:
    """The rows :func:`insert_brief` adds for one brief, its pickled ``model`` and its responses."""
    published = brief.published.isoformat()
    refs = sorted({m.ref for m in brief.mentions} | set(brief.about))
    element_rows = []
    ref_rows = set()
    for position, element in enumerate(brief.elements):
        element_rows.append((brief.id, position, element.id, element.type, published))
        own = getattr(element, "actor", None)
        for actor in {*element.mentions.actors, *([own] if own else [])}:
            ref_rows.add(("actor", actor, brief.id, position))
        for event in element.mentions.events:
            ref_rows.add(("event", event, brief.id, position))
    return BriefRows(
        brief.id,
        (brief.id, published, brief.title, model),
        [(tag, brief.id) for tag in brief.tags],
        [(ref, published, brief.id) for ref in refs],
        element_rows,
        sorted(ref_rows),
        [(mention.ref, published, brief.id, position) for position, mention in enumerate(brief.mentions)],
        _response_rows(brief.id, rendered),
        search.index_rows(brief),
    )


def insert_brief(
    conn: sqlite3.Connection, brief: Brief, model: bytes, rendered: Iterable[tuple[str, StoredResponse]]
) -> None:
    """Add every row one brief owns."""
    insert_rows(conn, brief_rows(brief, model, rendered))


def insert_rows(conn: sqlite3.Connection, rows: BriefRows) -> None:
    """Add the rows of one brief that :func:`brief_rows` made."""
    conn.execute("INSERT INTO briefs(id, published, title, model) VALUES (?, ?, ?, ?)", rows.brief)
    conn.executemany("INSERT OR IGNORE INTO brief_tags VALUES (?, ?)", rows.tags)
    conn.executemany("INSERT INTO brief_refs VALUES (?, ?, ?)", rows.refs)
    conn.executemany("INSERT INTO elements VALUES (?, ?, ?, ?, ?)", rows.elements)
    conn.executemany("INSERT INTO element_refs VALUES (?, ?, ?, ?)", rows.element_refs)
    conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?)", rows.mentions)
    counts = Counter(mention[0] for mention in rows.mentions)
    _count_mentions(conn, {ref[0]: counts[ref[0]] for ref in rows.refs}, 1)
    conn.executemany(_INSERT_RESPONSE, rows.responses)
    first = int(get_meta(conn, "next_doc") or 0)
    end = search.insert_index_rows(conn, rows.index, first)
    conn.execute("INSERT INTO doc_rows VALUES (?, ?, ?)", (rows.brief_id, first, end))
    set_meta(conn, "next_doc", str(end))


def delete_brief(conn: sqlite3.Connection, brief_id: str) -> None:
    """Remove every row one brief owns."""
    counts = dict(conn.execute("SELECT entity_id, count(*) FROM mentions WHERE brief_id = ? GROUP BY 1", (brief_id,)))
    refs = conn.execute("SELECT entity_id FROM brief_refs WHERE brief_id = ?", (brief_id,))
    _count_mentions(conn, {ref: counts.get(ref, 0) for (ref,) in refs}, -1)
    for table, column in (
        ("briefs", "id"), ("brief_tags", "brief_id"), ("brief_refs", "brief_id"), ("elements", "brief_id"),
        ("element_refs", "brief_id"), ("mentions", "brief_id"), ("responses", "brief_id"),
    ):  # fmt: skip
        conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (brief_id,))
    span = conn.execute("SELECT first, end FROM doc_rows WHERE brief_id = ?", (brief_id,)).fetchone()
    if span is not None:
        search.remove_rows(conn, *span)
        conn.execute("DELETE FROM doc_rows WHERE brief_id = ?", (brief_id,))


def insert_responses(
    conn: sqlite3.Connection, brief_id: str | None, rendered: Iterable[tuple[str, StoredResponse]]
) -> None:
    """Store responses (``brief_id`` None for those that depend on more than one brief)."""
    conn.executemany(_INSERT_RESPONSE, _response_rows(brief_id, rendered))


_INSERT_RESPONSE = (
    "INSERT OR REPLACE INTO responses(key, brief_id, body, gzip, etag, headers) VALUES (?, ?, ?, ?, ?, ?)"
)


def _response_rows(
    brief_id: str | None, rendered: Iterable[tuple[str, StoredResponse]]
) -> list[tuple[str, str | None, bytes | None, bytes | None, str, str]]:
    # A body with a gzip form is stored only gzipped: the identity form is one decompression away.
    return [
        (key, brief_id, None if r.gzipped else r.body, r.gzipped, r.etag, json.dumps(r.headers)) for key, r in rendered
    ]


def _count_mentions(conn: sqlite3.Connection, mentions: dict[str, int], sign: int) -> None:
    """Add (``sign`` 1) or take away (-1) one brief's share of each entity's counts: its mentions of the
    entity (``mentions``, one key per entity it mentions or is about), and one brief. An edit thus recounts
    what the briefs it replaces mention, instead of every entity over the whole corpus."""
    conn.executemany(
        "INSERT INTO entity_counts(entity_id, mentions, briefs) VALUES (?, ?, ?) ON CONFLICT(entity_id) "
        "DO UPDATE SET mentions = mentions + excluded.mentions, briefs = briefs + excluded.briefs",
        [(entity_id, sign * count, sign) for entity_id, count in mentions.items()],
    )
    if sign < 0:
        conn.execute("DELETE FROM entity_counts WHERE briefs = 0")


def pickle_brief(brief: Brief) -> bytes:
    """A brief as stored: pickled, then compressed (a third of the size, and fast to read back)."""
    return zlib.compress(pickle.dumps(brief, protocol=PICKLE_PROTOCOL), 1)


def unpickle_brief(model: bytes) -> Brief:
    """A brief as stored."""
    brief: Brief = pickle.loads(zlib.decompress(model))
    return brief


def pickle_entities(entities: Entities) -> bytes:
    """The actors and events, in id order (a MappingProxyType does not pickle)."""
    actors = tuple(entities.actors[key] for key in sorted(entities.actors))
    events = tuple(entities.events[key] for key in sorted(entities.events))
    return pickle.dumps((actors, events), protocol=PICKLE_PROTOCOL)


def unpickle_entities(blob: bytes) -> Entities:
    """What :func:`pickle_entities` stored."""
    actors: tuple[Actor, ...]
    events: tuple[Event, ...]
    actors, events = pickle.loads(blob)  # the artifact is written by this code, never by a user
    return Entities(MappingProxyType({a.id: a for a in actors}), MappingProxyType({e.id: e for e in events}))
