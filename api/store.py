"""What an application serves: the newest artifact, and the responses computed from it.

Two ways to run:

- ``BRIEFS_ARTIFACT=FILE`` serves a prebuilt artifact. Nothing is parsed here; a
  newer build renamed over FILE is served from the next request on.
- Otherwise the content directory is built into ``BRIEFS_CACHE_DIR`` when the
  application is created, and the process that created it (under gunicorn's
  preload, the master) watches the content and rebuilds what changed. Workers
  only read: content is parsed once per change, whatever the number of workers.

Either way, every request starts with a ``stat()`` of the artifact and of its
write-ahead log, so a worker that sat idle never answers from content older than
the newest build; a request answered by Flask then reads inside one read
transaction (:meth:`briefs.reader.ArtifactWatch.pinned`), ended when it is done.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass

import flask

from api.cache import ResponseCache
from briefs.build import BuildReport, build_artifact, default_output
from briefs.history import head_of
from briefs.reader import Artifact, ArtifactWatch
from briefs.sources import content_signature

log = logging.getLogger(__name__)

EXTENSION = "briefs"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """One artifact and the responses already computed from it."""

    artifact: Artifact
    """The content version served."""
    responses: ResponseCache
    """Responses of that version kept in this process."""


class ArtifactStore:
    """Follows the artifact, and builds it when serving a content directory."""

    def __init__(
        self,
        *,
        artifact: str | None = None,
        content_dir: str | None = None,
        cache_dir: str = ".cache",
        reload_interval: float = 0,
        connection: sqlite3.Connection | None = None,
    ) -> None:
        """:param connection: read the artifact through this connection (see :class:`briefs.reader.Artifact`)"""
        self.content_dir = content_dir
        self.reload_interval = reload_interval
        self.build_problem: str | None = None
        self.last_build: BuildReport | None = None
        self._build_lock = threading.Lock()
        if artifact is None:
            assert content_dir is not None, "give an artifact or a content directory"
            self._target = default_output(content_dir, cache_dir)
            self._signature = _signature(content_dir)
            self.build()
        else:
            self._target = artifact
        self.watch = ArtifactWatch(self._target, connection)
        self._snapshot = Snapshot(self.watch.current(), ResponseCache())
        self._snapshot_lock = threading.Lock()
        self._watcher_pid: int | None = None
        if content_dir is not None:
            # Watch from the process that builds: under gunicorn's preload that is the master,
            # and workers (whenever forked) only read what it builds.
            self._start_watcher()

    def problems(self) -> list[str]:
        """Why the newest build is not what is served, if it is not."""
        return [problem for problem in (self.build_problem, self.watch.problem) if problem]

    @property
    def path(self) -> str:
        """The artifact file served."""
        return self.watch.path

    def snapshot(self, *, pin: bool = False) -> Snapshot:
        """The newest artifact with its response cache (a new cache when the artifact changed).

        :param pin: start this thread's read transaction on it (end it with :func:`release`)
        """
        artifact = self.watch.pinned() if pin else self.watch.current()
        snapshot = self._snapshot
        if snapshot.artifact is not artifact:
            with self._snapshot_lock:
                if self._snapshot.artifact is not artifact:
                    self._snapshot = Snapshot(artifact, ResponseCache())
                snapshot = self._snapshot
        return snapshot

    def build(self, signature: tuple[object, ...] | None = None) -> BuildReport | None:
        """Build the content directory into the artifact now; None (and :attr:`build_problem`) if it failed.

        :param signature: the content's :func:`_signature`, if just taken (else it is taken here, before reading)
        """
        from api.prerender import RENDERER  # noqa: PLC0415 - prerender imports the app, which imports this module

        assert self.content_dir is not None
        with self._build_lock:
            signature = signature or _signature(self.content_dir)
            try:
                report = build_artifact(self.content_dir, self._target, renderer=RENDERER)
            except Exception as exc:  # disk full, permissions, a killed worker: keep serving the last build
                self.build_problem = f"the last build failed ({type(exc).__name__}: {exc}); serving the previous one"
                log.exception("content build failed")
                return None
            self._signature = signature
            self.build_problem = None
            self.last_build = report
        if report.written:
            log.info(
                "content built",
                extra={"content_version": report.version, "briefs": report.briefs, "parsed": report.parsed,
                       "seconds": round(report.seconds, 3)},
            )  # fmt: skip
            for error in report.errors:
                log.warning("content error: %s", error)
            for brief_id in report.stale:
                log.warning("serving the last valid version of %s until its errors are fixed", brief_id)
        return report

    def reload(self) -> bool:
        """Rebuild if any content file changed, or the last build failed; True if a new artifact was written."""
        if self.content_dir is None:
            return False
        signature = _signature(self.content_dir)
        if signature == self._signature and self.build_problem is None:
            return False
        report = self.build(signature)
        return report is not None and report.written

    def _start_watcher(self) -> None:
        if self.reload_interval <= 0 or self._watcher_pid == os.getpid():
            return
        self._watcher_pid = os.getpid()
        threading.Thread(target=self._poll, name="briefs-content-watcher", daemon=True).start()

    def _poll(self) -> None:
        while True:
            time.sleep(self.reload_interval)
            try:
                self.reload()
            except Exception:
                log.exception("content reload failed")


def _signature(content_dir: str) -> tuple[object, ...]:
    """What a change of content shows in: the files' names, times and sizes, and the commit checked out
    (a commit, pull or checkout that leaves the files as they were still makes new versions)."""
    return (content_signature(content_dir), head_of(content_dir))


def current() -> Snapshot:
    """The snapshot this request is served from: taken once per request, so that a
    new artifact in the middle of a request cannot mix two versions."""
    snapshot: Snapshot | None = flask.g.get("snapshot")
    if snapshot is None:
        store: ArtifactStore = flask.current_app.extensions[EXTENSION]
        snapshot = flask.g.snapshot = store.snapshot(pin=True)
    return snapshot


def release(_exc: BaseException | None = None) -> None:
    """End the read transaction of this request, if it started one (a ``teardown_request`` hook)."""
    snapshot: Snapshot | None = flask.g.get("snapshot")
    if snapshot is not None:
        snapshot.artifact.release()


def reader() -> Artifact:
    """The artifact of this request."""
    return current().artifact
