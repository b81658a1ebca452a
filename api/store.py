"""The corpus an application serves, held as one immutable object."""

from __future__ import annotations

import flask

from api.corpus.loader import Corpus, load_corpus

EXTENSION = "briefs"


class CorpusStore:
    """Holds the current corpus; a reload replaces it in one assignment."""

    __slots__ = ("content_dir", "corpus")

    def __init__(self, content_dir: str) -> None:
        self.content_dir = content_dir
        self.corpus: Corpus = load_corpus(content_dir)


def current_corpus() -> Corpus:
    """The corpus of the application handling this request."""
    store: CorpusStore = flask.current_app.extensions[EXTENSION]
    return store.corpus
