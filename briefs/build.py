"""``briefs build``: one content directory turned into one artifact file.

The artifact is a SQLite database holding everything serving needs: the parsed
model (one pickled brief a row), the lookups as indexed tables, the full-text
index, and the stored body, ETag and gzip form of every single resource.
Workers open it read-only and share it through the OS page cache.

A build from scratch writes a new file beside the output and renames it over
the output; two such builds of the same content give the same bytes.

Building is incremental. When the output already exists, only the briefs whose
bytes changed (by sha256) are parsed again, and their rows are replaced in the
output itself, in one transaction committed to SQLite's write-ahead log:
readers see the old build until the commit and the new one after it, never a
mix, and a build that fails or is killed commits nothing. A change to an entity
file re-checks every brief, but a brief whose parsed model comes out the same
keeps its stored responses. A lock file keeps two builders from writing at once.
"""

from __future__ import annotations

import contextlib
import ctypes
import dataclasses
import fcntl
import hashlib
import json
import logging
import os
import signal
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from multiprocessing import get_context
from pathlib import Path

from briefs import artifact, search
from briefs.errors import ContentError
from briefs.history import NONE, History, head_of, read_history
from briefs.loader import MISSING_DIR, load_entity_files, parse_file
from briefs.model import Brief, Entities
from briefs.responses import StoredResponse
from briefs.sources import Content, FileStats, SourceFile, load, read_content
from briefs.versions import VersionIndex, parse_change, update_versions

log = logging.getLogger(__name__)

Rendered = tuple[str, StoredResponse]
"""A request path and the response stored for it."""
DEFAULT_CACHE_DIR = ".cache"
"""Where ``briefs build`` and the server put artifacts unless told otherwise (ignored by git)."""
LOCK_TIMEOUT_S = 30.0
"""How long a build waits for readers: to empty the write-ahead log, or to change an old artifact to it."""
LOG_SIZE_LIMIT = 64 * 2**20
"""Bytes of write-ahead log kept once it is emptied (the rest of the file is cut off)."""
PR_SET_PDEATHSIG = 1
"""Linux's prctl() option: a signal for this process when its parent ends."""
PARALLEL_FROM = 64
"""Fewer briefs to parse than this are parsed in this process: starting workers costs more."""


class BuildRefused(Exception):
    """The build would destroy something it must not; nothing was written."""


@dataclass(frozen=True, slots=True)
class Renderer:
    """How the HTTP layer turns the model into stored responses (the pipeline knows no wire format).

    Both must be module-level functions, so that worker processes can receive them.
    """

    brief: Callable[[Brief, int | None], list[Rendered]]
    """Every response that depends on one brief alone (and its latest version, given second): the brief,
    its sections and blocks, their lists."""
    shared: Callable[[str, sqlite3.Connection], list[Rendered]]
    """Every other stored response (index, first pages, actors, events), rendered from the artifact at this path
    as the build's connection reads it (inside the transaction that writes it)."""
    fingerprint: str = ""
    """Changes whenever the code that renders changes: an artifact built by other code is rebuilt from scratch."""


@dataclass(frozen=True, slots=True)
class BuildReport:
    """What a build did."""

    output: str
    """The artifact file."""
    version: str
    """Content version of the artifact now in place."""
    briefs: int
    """Briefs served from it."""
    parsed: int
    """Brief files parsed by this build."""
    reused: int
    """Brief files whose rows were kept from the previous artifact."""
    removed: int
    """Brief files gone since the previous artifact."""
    errors: tuple[ContentError, ...]
    """Every content error."""
    stale: tuple[str, ...]
    """Briefs served in their last valid version because their file is broken now."""
    seconds: float
    """Wall time of the build."""
    written: bool = True
    """False when the artifact was already up to date and nothing was written."""
    incremental: bool = False
    """True when it started from the previous artifact."""
    history: str = ""
    """What the git history gave, or why there are no versions."""
    warnings: tuple[ContentError, ...] = ()
    """Changes in history that are not versions (the brief was invalid at that commit)."""


@dataclass(slots=True)
class _Change:
    """What one build did (counts, errors, the briefs it holds), filled in as it goes."""

    parsed: int = 0
    reused: int = 0
    removed: int = 0
    history: str = ""
    warnings: tuple[ContentError, ...] = ()
    errors: tuple[ContentError, ...] = ()
    stale: tuple[str, ...] = ()
    briefs: int = 0
    """Briefs in the artifact once written."""


@dataclass(frozen=True, slots=True)
class _Parsed:
    """One brief file after parsing (in a worker process or here)."""

    file: SourceFile
    model: bytes | None
    """The pickled brief, if valid."""
    model_sha: str
    """Digest of :attr:`model`, or empty."""
    errors: tuple[ContentError, ...]
    rows: artifact.BriefRows | None
    """Its rows, stored responses included, ready to insert (made in the worker: the builder, which
    writes every brief in turn, neither unpickles the model nor builds rows); None when the model
    equals the stored one (nothing to render)."""


def default_output(content_dir: str | os.PathLike[str], cache_dir: str | os.PathLike[str] = DEFAULT_CACHE_DIR) -> str:
    """Where a content directory's artifact goes by default: one file per directory (by absolute path)."""
    absolute = os.path.abspath(content_dir)
    key = hashlib.sha256(absolute.encode()).hexdigest()[:12]
    return str(Path(cache_dir) / f"{Path(absolute).name}-{key}.sqlite")


def build_artifact(
    content_dir: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    renderer: Renderer | None = None,
    jobs: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> BuildReport:
    """Build (or bring up to date) the artifact of ``content_dir`` at ``output``.

    :param renderer: turns the model into stored responses; without one, none are stored
    :param jobs: worker processes for parsing (default: the number of cores)
    :param progress: called with (done, total) as brief files are parsed
    :raises OSError, sqlite3.Error: when the artifact cannot be written; the old one stays in place
    :raises BuildRefused: when ``output`` is a directory or a file that is not an artifact, or when
        ``content_dir`` is gone while ``output`` holds a build of it (the build would empty it)
    """
    started = time.perf_counter()
    target = Path(output)
    check_output(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    with _lock(target):
        _remove_leftovers(target)
        fingerprint = f"{artifact.FORMAT} {renderer.fingerprint if renderer else 'no responses'}"
        previous = artifact.read_state(target, fingerprint)
        # Brief files whose stat is as the last build recorded are not read again (nor hashed).
        content = read_content(content_dir, *_known_stats(target)) if previous else read_content(content_dir)
        if content.missing and previous is not None and previous.briefs:
            # A directory that vanished (a typo, an unmounted volume) is not an edit that removed every brief.
            raise BuildRefused(f"{content.shown}: {MISSING_DIR}; {target} keeps its last build")
        head = head_of(content.shown) if not content.missing else None
        if previous is not None and previous.complete and (previous.version, previous.head) == (content.version, head):
            return BuildReport(
                str(target), previous.version, previous.briefs, 0, len(content.brief_files), 0,
                previous.errors, previous.stale, time.perf_counter() - started, written=False, incremental=True,
                history=previous.history,
            )  # fmt: skip
        incremental = previous is not None and previous.complete
        if incremental:
            change = _write_in_place(content, target, renderer=renderer, jobs=jobs, progress=progress)
        else:
            change = _write_beside(content, target, fingerprint, renderer=renderer, jobs=jobs, progress=progress)
        _save_stats(target, content)
    return BuildReport(
        str(target), content.version, change.briefs, change.parsed, change.reused, change.removed, change.errors,
        change.stale, time.perf_counter() - started, incremental=incremental, history=change.history,
        warnings=change.warnings,
    )  # fmt: skip


def _write_beside(
    content: Content,
    target: Path,
    fingerprint: str,
    *,
    renderer: Renderer | None,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> _Change:
    """Build from scratch into a new file beside ``target``, then rename it over ``target``."""
    temporary = target.parent / f".{target.name}.{os.getpid()}.tmp"
    try:
        conn = sqlite3.connect(temporary, isolation_level=None)
        try:
            # Nobody reads the new file before it is complete and renamed: no journal, no syncs until then.
            conn.execute("PRAGMA journal_mode = OFF")
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("BEGIN")
            artifact.create(conn)
            artifact.set_meta(conn, "fingerprint", fingerprint)
            artifact.set_meta(conn, "generation", "0")
            change = _update(conn, content, renderer=renderer, jobs=jobs, progress=progress)
            search.optimize_index(conn)
            artifact.set_meta(conn, "complete", "1")
            conn.execute("COMMIT")
            if renderer is not None:
                shared = renderer.shared(str(temporary), conn)
                conn.execute("BEGIN")
                artifact.insert_responses(conn, None, shared)
                conn.execute("COMMIT")
            (change.briefs,) = conn.execute("SELECT count(*) FROM briefs").fetchone()
            # Incremental builds commit to the file in place, through SQLite's write-ahead log: readers keep
            # reading the build they started with until the commit. The mode is written in the file's header.
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        _sync(temporary)
        _retire_log(target)
        os.replace(temporary, target)
        _sync_directory(target.parent)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return change


def _write_in_place(
    content: Content,
    target: Path,
    *,
    renderer: Renderer | None,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> _Change:
    """Bring ``target`` up to date in one transaction: readers see the old build until it commits, and
    nothing of it if it fails (the write-ahead log's uncommitted pages are ignored)."""
    conn = sqlite3.connect(target, isolation_level=None, timeout=LOCK_TIMEOUT_S)
    try:
        conn.execute("PRAGMA journal_mode = WAL")  # already, unless it was built by an earlier release
        # Once readers let the log start over, cut it back instead of keeping the largest build's size.
        conn.execute(f"PRAGMA journal_size_limit = {LOG_SIZE_LIMIT}")
        conn.execute("BEGIN IMMEDIATE")
        change = _update(conn, content, renderer=renderer, jobs=jobs, progress=progress)
        conn.execute("DELETE FROM responses WHERE brief_id IS NULL")
        generation = int(artifact.get_meta(conn, "generation") or 0) + 1
        artifact.set_meta(conn, "generation", str(generation))
        if renderer is not None:
            artifact.insert_responses(conn, None, renderer.shared(str(target), conn))
        (change.briefs,) = conn.execute("SELECT count(*) FROM briefs").fetchone()
        conn.execute("COMMIT")
        # Copy what readers no longer need into the file, without waiting for those still reading.
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        conn.close()  # a transaction still open (the build failed) is rolled back
    _mark_committed(target)
    return change


def _update(
    conn: sqlite3.Connection,
    content: Content,
    *,
    renderer: Renderer | None,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> _Change:
    """Bring every table of ``conn`` up to date with ``content``."""
    change = _Change()
    if content.missing:
        entities, entity_errors = Entities(), [ContentError(content.shown, 1, MISSING_DIR)]
    else:
        entities, entity_errors = load_entity_files(content)
    digest = content.entity_digest
    history = read_history(content.shown) if not content.missing else History(NONE, "no content directory")
    versions = update_versions(conn, history, content.shown, partial(_parse_changes, jobs=jobs))
    known = artifact.file_rows(conn)
    names = {file.name for file in content.brief_files}
    for name in sorted(set(known) - names):
        gone = known[name].brief_id
        if gone:
            artifact.delete_brief(conn, gone)
        conn.execute("DELETE FROM files WHERE name = ?", (name,))
        change.removed += 1
    keys = {f.name: _version_key(versions, f) for f in content.brief_files}
    todo = [f for f in content.brief_files if _needs_parse(known.get(f.name), f, digest, keys[f.name])]
    tasks = [
        _Task(f, known[f.name].model_sha if f.name in known else "", versions.version_of(f.stem, f.sha256),
              versions.latest.get(f.stem))
        for f in todo
    ]  # fmt: skip
    change.reused = len(content.brief_files) - len(todo)
    tasks = [dataclasses.replace(task, file=load(task.file)) if task.file.unread else task for task in tasks]
    for parsed in _parse_all(tasks, entities, renderer=renderer, jobs=jobs, progress=progress):
        _apply(conn, parsed, known.get(parsed.file.name), digest, keys[parsed.file.name])
        change.parsed += 1
    errors = [*entity_errors, *artifact.file_errors(conn)]
    stale = artifact.stale_briefs(conn)
    artifact.set_meta(conn, "version", content.version)
    artifact.set_meta(conn, "content_dir", content.shown)
    artifact.set_meta(conn, "errors", json.dumps([[e.path, e.line, e.message] for e in errors], ensure_ascii=False))
    artifact.set_meta(conn, "stale", json.dumps(stale))
    artifact.set_meta(conn, "entities", artifact.pickle_entities(entities))
    artifact.set_meta(
        conn, "history", json.dumps({"state": history.state, "detail": history.detail, "head": history.head})
    )
    change.history, change.warnings = history.detail, tuple(versions.warnings)
    change.errors, change.stale = tuple(errors), tuple(stale)
    return change


def _version_key(versions: VersionIndex, file: SourceFile) -> str:
    return f"{versions.version_of(file.stem, file.sha256)}:{versions.latest.get(file.stem)}"


def _needs_parse(known: artifact.KnownFile | None, file: SourceFile, digest: str, version_key: str) -> bool:
    return (
        known is None or known.sha256 != file.sha256 or known.entity_digest != digest or not file.sha256
        or known.version_key != version_key
    )  # fmt: skip


def _apply(
    conn: sqlite3.Connection, parsed: _Parsed, known: artifact.KnownFile | None, digest: str, version_key: str
) -> None:
    """Replace one file's rows: its brief when valid, else keep the last valid brief as stale."""
    file = parsed.file
    brief_id = known.brief_id if known else None
    model_sha = known.model_sha if known else ""
    is_stale = False
    if parsed.model is not None:
        if parsed.rows is not None or brief_id is None:
            if brief_id:
                artifact.delete_brief(conn, brief_id)
            rows = parsed.rows
            if rows is None:  # the stored model, yet no brief stored: its rows, without responses
                rows = artifact.brief_rows(artifact.unpickle_brief(parsed.model), parsed.model, [])
            artifact.insert_rows(conn, rows)
            brief_id = rows.brief_id
        model_sha = parsed.model_sha
    elif brief_id is not None:
        is_stale = True  # broken now: serve the last valid version
    row = artifact.FileRow(file.name, file.sha256, digest, brief_id, is_stale, parsed.errors, model_sha, version_key)
    artifact.upsert_file(conn, row)


@dataclass(frozen=True, slots=True)
class _Task:
    """One current brief file to parse and render."""

    file: SourceFile
    stored_sha: str
    """Digest of the model stored for it, if any: an equal model needs no rendering."""
    version: int | None
    """The version its bytes equal."""
    latest: int | None
    """Its brief's newest version."""


def _parse_all(
    tasks: Sequence[_Task],
    entities: Entities,
    *,
    renderer: Renderer | None,
    jobs: int | None,
    progress: Callable[[int, int], None] | None,
) -> Iterator[_Parsed]:
    """Parse (and render) files in name order, in worker processes when there are many."""
    render = renderer.brief if renderer else None
    workers = jobs or os.cpu_count() or 1
    if len(tasks) < PARALLEL_FROM or workers == 1:
        results: Iterable[_Parsed] = (_parse_one(entities, render, task) for task in tasks)
        yield from _counted(results, len(tasks), progress)
        return
    # spawn, not fork: the builder may run beside a server's threads.
    context = get_context("spawn")
    entity_blob = artifact.pickle_entities(entities)
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(os.getpid(), entity_blob, render)
    ) as pool:
        chunk = max(1, min(64, len(tasks) // (workers * 8)))
        yield from _counted(pool.map(_parse_in_worker, tasks, chunksize=chunk), len(tasks), progress)


def _parse_changes(
    files: Sequence[tuple[SourceFile, str]], entity_sets: dict[str, Entities], *, jobs: int | None
) -> list[tuple[bytes | None, tuple[ContentError, ...]]]:
    """Brief files of past commits, each with the entities of its commit, in worker processes when many."""
    workers = jobs or os.cpu_count() or 1
    if len(files) < PARALLEL_FROM or workers == 1:
        return [parse_change(file, entity_sets.get(key, Entities())) for file, key in files]
    blobs = {key: artifact.pickle_entities(entities) for key, entities in entity_sets.items()}
    with ProcessPoolExecutor(
        workers, mp_context=get_context("spawn"), initializer=_init_history_worker, initargs=(os.getpid(), blobs)
    ) as pool:
        chunk = max(1, min(64, len(files) // (workers * 8)))
        return list(pool.map(_parse_change_in_worker, files, chunksize=chunk))


def _end_with(builder: int) -> None:
    """Make this worker process end when the builder does, even when the builder is killed: else it
    would wait for work forever, holding its memory (Linux; elsewhere the pool's own checks remain)."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != builder:  # the builder ended before the line above
        os._exit(1)


def _init_history_worker(builder: int, blobs: dict[str, bytes]) -> None:
    _end_with(builder)
    _worker_state["entity_sets"] = {key: artifact.unpickle_entities(blob) for key, blob in blobs.items()}


def _parse_change_in_worker(task: tuple[SourceFile, str]) -> tuple[bytes | None, tuple[ContentError, ...]]:
    entity_sets = _worker_state["entity_sets"]
    assert isinstance(entity_sets, dict)
    return parse_change(task[0], entity_sets.get(task[1], Entities()))


def _counted(results: Iterable[_Parsed], total: int, progress: Callable[[int, int], None] | None) -> Iterator[_Parsed]:
    for done, parsed in enumerate(results, 1):
        if progress is not None:
            progress(done, total)
        yield parsed


_worker_state: dict[str, object] = {}


def _init_worker(
    builder: int, entity_blob: bytes, render: Callable[[Brief, int | None], list[Rendered]] | None
) -> None:
    _end_with(builder)
    _worker_state["entities"] = artifact.unpickle_entities(entity_blob)
    _worker_state["render"] = render


def _parse_in_worker(task: _Task) -> _Parsed:
    entities = _worker_state["entities"]
    assert isinstance(entities, Entities)
    return _parse_one(entities, _worker_state["render"], task)  # type: ignore[arg-type]


def _parse_one(
    entities: Entities, render: Callable[[Brief, int | None], list[Rendered]] | None, task: _Task
) -> _Parsed:
    parsed, errors = parse_file(task.file, entities)
    if parsed is None:
        return _Parsed(task.file, None, "", errors, None)
    brief = dataclasses.replace(parsed, version=task.version)
    model = artifact.pickle_brief(brief)
    model_sha = artifact.digest(f"{artifact.digest(model)}:{task.latest}".encode())
    if model_sha == task.stored_sha:
        return _Parsed(task.file, model, model_sha, errors, None)
    rows = artifact.brief_rows(brief, model, render(brief, task.latest) if render else [])
    return _Parsed(task.file, model, model_sha, errors, rows)


@contextlib.contextmanager
def _lock(target: Path) -> Iterator[None]:
    """Hold ``<output>.lock``: a second builder waits, then finds the artifact up to date or nearly so."""
    with open(target.parent / f"{target.name}.lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_output(target: Path) -> None:
    """Refuse an output that is a directory, or a file that is not an artifact (``--output`` named another
    file): a build from scratch would replace it. An artifact of other code, or one damaged beyond reading,
    is built again; an empty file too.

    :raises BuildRefused: with what is wrong
    """
    if target.is_dir():
        raise BuildRefused(f"{target} is a directory; give the artifact's file, such as {target / 'briefs.sqlite'}")
    try:
        with target.open("rb") as handle:
            head = handle.read(len(artifact.SQLITE_HEADER))
    except FileNotFoundError:
        return
    refusal = f"{target} is not a briefs artifact; not replacing it (remove it, or choose another output file)"
    if head and head != artifact.SQLITE_HEADER:
        raise BuildRefused(refusal)
    try:
        conn = sqlite3.connect(f"{target.resolve().as_uri()}?mode=ro", uri=True)
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        finally:
            conn.close()
    except sqlite3.Error:
        return  # damaged: only a build from scratch can mend it
    if tables and "meta" not in tables:
        raise BuildRefused(refusal)  # another program's database


def _remove_leftovers(target: Path) -> None:
    """Temporary files of builders that were killed (the lock proves none is running)."""
    for leftover in target.parent.glob(f".{target.name}.*.tmp"):
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()


def _stats_path(target: Path) -> Path:
    return target.parent / f"{target.name}.stats"


def _known_stats(target: Path) -> tuple[FileStats, int]:
    """The brief files' stats and digests as the last build read them, and when (``<output>.stats``).

    A cache beside the artifact, not in it (the artifact's bytes depend on the content alone): each
    entry holds what a file's bytes hashed to while its stat was so, whichever artifact it served.
    """
    try:
        saved = json.loads(_stats_path(target).read_bytes())
        files = {
            name: (int(m), int(c), int(ino), int(size), str(sha))
            for name, (m, c, ino, size, sha) in saved["files"].items()
        }
        return files, int(saved["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return {}, 0


def _save_stats(target: Path, content: Content) -> None:
    stats = _stats_path(target)
    temporary = stats.parent / f".{stats.name}.{os.getpid()}.tmp"
    temporary.write_text(json.dumps({"at": content.read_at_ns, "files": content.file_stats()}), encoding="utf-8")
    os.replace(temporary, stats)


def _mark_committed(target: Path) -> None:
    """Give the file a new modification time once the commit is visible.

    Readers notice a build by the stat() of the file and of its log. The log's last write comes
    before the commit is visible (SQLite publishes it in the log's index afterwards), and the
    checkpoint may leave the file alone while readers are in a request: a reader that looked in
    between would keep the old build until the next change. This stat() change comes after.
    """
    before = target.stat().st_mtime_ns
    now = max(time.time_ns(), before + 1)
    os.utime(target, ns=(now, now))


def _sync(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _sync_directory(directory: Path) -> None:
    handle = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _retire_log(target: Path) -> None:
    """Empty the write-ahead log of the artifact at ``target`` before a new file is renamed over it.

    The log stays at its path across the rename: left with pages of the old file, readers of the
    new one would apply them to it. Its pages are copied into the old file first, once the readers
    of older builds have finished their requests.

    :raises sqlite3.OperationalError: when readers kept the log busy for :data:`LOCK_TIMEOUT_S`
    """
    log_path = Path(artifact.wal_path(target))
    if not log_path.is_file() or log_path.stat().st_size == 0:
        return
    try:
        conn = sqlite3.connect(target, isolation_level=None, timeout=LOCK_TIMEOUT_S)
        try:
            (busy, _, _) = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        busy = None  # the old file is not a database: nobody can read it, nor its log
    if busy is None:
        log_path.unlink(missing_ok=True)
    elif busy:
        raise sqlite3.OperationalError(f"{target}: readers kept its write-ahead log busy; try again")
