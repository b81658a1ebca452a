"""What an application serves: one immutable snapshot of content, its lookups,
its search index and its cached responses, replaced as a whole on reload."""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from dataclasses import dataclass

import flask

from api.cache import ResponseCache
from api.search import SearchIndex
from briefs.loader import Corpus, content_signature, load_corpus
from briefs.lookups import Lookups, build_lookups

log = logging.getLogger(__name__)

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
    signature: tuple[tuple[str, int, int], ...]
    """The content files' names, times and sizes when it was read."""


def load_snapshot(content_dir: str, search_path: str | None = None, previous: Corpus | None = None) -> Snapshot:
    """Read, parse and index the content directory (all of it off the request path)."""
    signature = content_signature(content_dir)
    # Loading makes many objects and frees none: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        corpus = load_corpus(content_dir, previous)
        snapshot = Snapshot(corpus, build_lookups(corpus), SearchIndex(corpus, search_path), ResponseCache(), signature)
    finally:
        if collecting:
            gc.enable()
    return snapshot


class CorpusStore:
    """Holds the current snapshot. A reload builds a new one beside it and swaps it
    in with one assignment, so a request sees either the old or the new content."""

    def __init__(self, content_dir: str, *, search_path: str | None = None, reload_interval: float = 0) -> None:
        self.content_dir = content_dir
        self.search_path = search_path
        self.reload_interval = reload_interval
        self._reload_lock = threading.Lock()
        self._watcher_pid: int | None = None
        self.snapshot = load_snapshot(content_dir, search_path)
        _log_errors(self.snapshot.corpus)
        os.register_at_fork(after_in_child=self._after_fork)
        # Watch from the process that loads, too: under gunicorn's preload that is the master,
        # so a worker forked later (max_requests, a crash, SIGHUP) starts from recent content,
        # not from what was there at boot.
        self.watch()

    def reload(self) -> bool:
        """Re-read the content if any file changed; True if a new snapshot is served."""
        with self._reload_lock:
            if content_signature(self.content_dir) == self.snapshot.signature:
                return False
            snapshot = load_snapshot(self.content_dir, self.search_path, previous=self.snapshot.corpus)
            self.snapshot = snapshot
        log.info(
            "content reloaded",
            extra={"content_version": snapshot.corpus.version, "briefs": len(snapshot.corpus.briefs)},
        )
        _log_errors(snapshot.corpus)
        return True

    def watch(self) -> None:
        """Poll the content files every ``reload_interval`` seconds, in this process.

        Safe to call on every request: it starts one daemon thread per process,
        so each gunicorn worker watches for itself after the fork.
        """
        if self.reload_interval <= 0 or self._watcher_pid == os.getpid():
            return
        self._watcher_pid = os.getpid()
        threading.Thread(target=self._poll, name="briefs-content-watcher", daemon=True).start()

    def _after_fork(self) -> None:
        # The parent's watcher thread does not exist here, and may have held the lock.
        self._reload_lock = threading.Lock()

    def _poll(self) -> None:
        while True:
            try:
                self.reload()
            except Exception:
                log.exception("content reload failed; still serving version %s", self.snapshot.corpus.version)
            time.sleep(self.reload_interval)


def _log_errors(corpus: Corpus) -> None:
    for error in corpus.errors:
        log.warning("content error: %s", error)
    for brief_id in corpus.stale:
        log.warning("serving the last valid version of %s until its errors are fixed", brief_id)


def current() -> Snapshot:
    """The snapshot this request is served from: taken once per request, so that a
    reload in the middle of a request cannot mix two versions."""
    snapshot: Snapshot | None = flask.g.get("snapshot")
    if snapshot is None:
        store: CorpusStore = flask.current_app.extensions[EXTENSION]
        store.watch()
        snapshot = flask.g.snapshot = store.snapshot
    return snapshot


def current_corpus() -> Corpus:
    """The corpus of the application handling this request."""
    return current().corpus
