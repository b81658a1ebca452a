"""Versions from history: each valid brief file change of the first-parent history, numbered per brief.

A change is parsed with the entity files of its commit, once: its result is kept
in the artifact (``parsed_changes``) and reused by every later build. Numbers are
then given in history order, so every replica of the same repository gives every
version the same number. A change whose brief is invalid at its commit is not a
version: it is reported as a warning naming the file, line and commit.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from briefs import artifact
from briefs.diff import diff_briefs
from briefs.entities import load_entities
from briefs.errors import ContentError
from briefs.history import GIT, FileChange, History
from briefs.loader import parse_file
from briefs.model import Brief, Entities
from briefs.sources import SourceFile, decode

CREATED, UPDATED, WITHDRAWN = "created", "updated", "withdrawn"

ParseMany = Callable[
    [Sequence[tuple[SourceFile, str]], dict[str, Entities]], list[tuple[bytes | None, tuple[ContentError, ...]]]
]
"""Parses (file, entities key) pairs, in worker processes when there are many."""


@dataclass(slots=True)
class VersionIndex:
    """What the current briefs need to know of their history."""

    latest: dict[str, int] = field(default_factory=dict)
    """Brief id to its newest version."""
    by_sha: dict[tuple[str, str], int] = field(default_factory=dict)
    """(brief id, sha256 of the file) to the newest version with those bytes."""
    warnings: list[ContentError] = field(default_factory=list)
    """Changes in history that are not versions, because the brief was invalid at that commit."""
    parsed: int = 0
    """Changes parsed by this build (the others were parsed by an earlier one)."""

    def version_of(self, brief_id: str, sha256: str) -> int | None:
        """The version the working tree's bytes equal, if any."""
        return self.by_sha.get((brief_id, sha256))


def update_versions(conn: sqlite3.Connection, history: History, shown: str, parse_many: ParseMany) -> VersionIndex:
    """Bring ``versions``, ``events`` and ``withdrawn`` up to date with ``history``."""
    index = VersionIndex()
    conn.execute("DELETE FROM events")
    conn.execute("DELETE FROM withdrawn")
    if history.state != GIT:
        conn.execute("DELETE FROM versions")
        return index
    results = _parse_new(conn, history, parse_many, index)
    existing = {
        (b, n): (sha, sha256)
        for b, n, sha, sha256 in conn.execute("SELECT brief_id, version, commit_sha, sha256 FROM versions")
    }
    wanted: set[tuple[str, int]] = set()
    numbers: dict[str, int] = {}
    previous: dict[str, Brief | None] = {}
    for change in history.changes:
        brief_id = change.brief_id
        number = numbers.get(brief_id, 0)
        if change.deleted:
            if number:
                _event(conn, change, number, WITHDRAWN)
                conn.execute("INSERT OR REPLACE INTO withdrawn VALUES (?, ?, ?, ?)",
                             (brief_id, number, change.commit.sha, change.commit.committed_at))  # fmt: skip
            continue
        valid, errors = results[(change.commit.sha, change.name)]
        if not valid:
            index.warnings.extend(_at_commit(error, change, shown) for error in errors)
            continue
        number += 1
        numbers[brief_id] = number
        withdrawn = conn.execute("DELETE FROM withdrawn WHERE brief_id = ?", (brief_id,)).rowcount
        _event(conn, change, number, CREATED if number == 1 or withdrawn else UPDATED)
        wanted.add((brief_id, number))
        stored = existing.get((brief_id, number))
        if stored is not None and stored[0] == change.commit.sha:
            index.by_sha[(brief_id, stored[1])] = number
            index.latest[brief_id] = number
            previous[brief_id] = None  # loaded from the table if the next version needs it
            continue
        sha256 = artifact.digest(change.read())
        index.by_sha[(brief_id, sha256)] = number
        index.latest[brief_id] = number
        brief = dataclasses.replace(artifact.unpickle_brief(_model(conn, change)), version=number)
        before = previous.get(brief_id) or _stored_version(conn, brief_id, number - 1)
        summary = diff_briefs(before, brief, number - 1 if before else None, number).summary()
        conn.execute(
            "INSERT OR REPLACE INTO versions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (brief_id, number, change.commit.sha, change.commit.committed_at, change.commit.note, brief.revision,
             sha256, json.dumps(summary), artifact.pickle_brief(brief)),
        )  # fmt: skip
        previous[brief_id] = brief
    for key in existing.keys() - wanted:
        conn.execute("DELETE FROM versions WHERE brief_id = ? AND version = ?", key)
    return index


def _parse_new(
    conn: sqlite3.Connection, history: History, parse_many: ParseMany, index: VersionIndex
) -> dict[tuple[str, str], tuple[bool, tuple[ContentError, ...]]]:
    """Whether each change parsed, and its errors: from ``parsed_changes``, or parsed now (and kept there).

    The models stay in the table (:func:`_model` reads one when a version row is written): a
    build that reloads after one commit must not read every version of every brief.
    """
    results = {
        (sha, name): (valid == 1, artifact.decode_errors(errors))
        for sha, name, valid, errors in conn.execute(
            "SELECT commit_sha, name, model IS NOT NULL, errors FROM parsed_changes"
        )
    }
    todo = [c for c in history.changes if not c.deleted and (c.commit.sha, c.name) not in results]
    # A brief's versions side by side (oldest first): a worker then parses them one after another,
    # and the parser's inline cache (briefs.syntax) reads each unchanged paragraph once.
    todo.sort(key=lambda change: change.name)
    if not todo:
        return results
    entity_sets = {
        key: _entities(files) for key, files in history.entity_files.items() if key in {c.entities for c in todo}
    }
    files = []
    for change in todo:
        data = change.read()
        files.append((SourceFile(change.name, f"briefs/{change.brief_id}.md", data, artifact.digest(data)),
                      change.entities))  # fmt: skip
    for change, (model, errors) in zip(todo, parse_many(files, entity_sets), strict=True):
        results[(change.commit.sha, change.name)] = (model is not None, errors)
        conn.execute(
            "INSERT OR REPLACE INTO parsed_changes VALUES (?, ?, ?, ?, ?)",
            (change.commit.sha, change.name, change.entities, model,
             json.dumps([[e.path, e.line, e.message] for e in errors], ensure_ascii=False)),
        )  # fmt: skip
    index.parsed = len(todo)
    return results


def parse_change(file: SourceFile, entities: Entities) -> tuple[bytes | None, tuple[ContentError, ...]]:
    """One brief file at a commit, pickled as the artifact stores it (without its version number)."""
    brief, errors = parse_file(file, entities)
    return (artifact.pickle_brief(brief) if brief is not None else None), errors


def _entities(files: tuple[SourceFile, ...]) -> Entities:
    texts = []
    for file in files:
        text, _ = decode(file)
        texts.append((file.shown, text))
    entities, _ = load_entities(texts)
    return entities


def _model(conn: sqlite3.Connection, change: FileChange) -> bytes:
    row = conn.execute(
        "SELECT model FROM parsed_changes WHERE commit_sha = ? AND name = ?", (change.commit.sha, change.name)
    ).fetchone()
    assert row is not None and row[0] is not None, (change.commit.sha, change.name)
    return bytes(row[0])


def _stored_version(conn: sqlite3.Connection, brief_id: str, number: int) -> Brief | None:
    if number < 1:
        return None
    row = conn.execute("SELECT model FROM versions WHERE brief_id = ? AND version = ?", (brief_id, number)).fetchone()
    return artifact.unpickle_brief(row[0]) if row else None


def _event(conn: sqlite3.Connection, change: FileChange, number: int, kind: str) -> None:
    conn.execute(
        "INSERT INTO events(commit_sha, at, brief_id, version, change) VALUES (?, ?, ?, ?, ?)",
        (change.commit.sha, change.commit.committed_at, change.brief_id, number, kind),
    )


def _at_commit(error: ContentError, change: FileChange, shown: str) -> ContentError:
    return ContentError(
        f"{shown}/{change.name}", error.line,
        f"{error.message} (at commit {change.commit.sha[:12]}, which is therefore not a version of this brief)",
    )  # fmt: skip
