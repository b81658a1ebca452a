"""What an application serves: one immutable snapshot of content, its lookups and
its search index, replaced as a whole when content is reloaded."""

from __future__ import annotations

from dataclasses import dataclass

import flask

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


def load_snapshot(content_dir: str, search_path: str | None = None) -> Snapshot:
    """Read, parse and index the content directory."""
    corpus = load_corpus(content_dir)
    return Snapshot(corpus, build_lookups(corpus), SearchIndex(corpus, search_path))


class CorpusStore:
    """Holds the current snapshot; a reload replaces it in one assignment."""

    __slots__ = ("content_dir", "search_path", "snapshot")

    def __init__(self, content_dir: str, search_path: str | None = None) -> None:
        self.content_dir = content_dir
        self.search_path = search_path
        self.snapshot = load_snapshot(content_dir, search_path)


def current() -> Snapshot:
    """The snapshot of the application handling this request."""
    store: CorpusStore = flask.current_app.extensions[EXTENSION]
    return store.snapshot


def current_corpus() -> Corpus:
    """The corpus of the application handling this request."""
    return current().corpus
