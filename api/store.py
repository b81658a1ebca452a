"""What an application serves: one immutable snapshot of content, its lookups and
its search index, replaced as a whole when content is reloaded."""

from __future__ import annotations

from dataclasses import dataclass

import flask

from api.cache import ResponseCache
from api.corpus.loader import Corpus, load_corpus
from api.corpus.lookups import Lookups, build_lookups
from api.search import SearchIndex

EXTENSION = "briefs"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything built from one load of the content directory."""

    corpus: Corpus
    """Briefs, entities and content errors."""
    lookups: Lookups
    """Cross-brief indexes."""
    search: SearchIndex
    """The full-text index."""
    responses: ResponseCache
    """Responses already computed from this snapshot."""


def load_snapshot(content_dir: str, search_path: str | None = None) -> Snapshot:
    """Read, parse and index the content directory."""
    corpus = load_corpus(content_dir)
    return Snapshot(corpus, build_lookups(corpus), SearchIndex(corpus, search_path), ResponseCache())


class CorpusStore:
    """Holds the current snapshot; a reload replaces it in one assignment."""

    __slots__ = ("content_dir", "search_path", "snapshot")

    def __init__(self, content_dir: str, search_path: str | None = None) -> None:
        self.content_dir = content_dir
        self.search_path = search_path
        self.snapshot = load_snapshot(content_dir, search_path)


def current() -> Snapshot:
    """The snapshot this request is served from: taken once per request, so that a
    reload in the middle of a request cannot mix two versions."""
    snapshot: Snapshot | None = flask.g.get("snapshot")
    if snapshot is None:
        store: CorpusStore = flask.current_app.extensions[EXTENSION]
        snapshot = flask.g.snapshot = store.snapshot
    return snapshot


def current_corpus() -> Corpus:
    """The corpus of the application handling this request."""
    return current().corpus
