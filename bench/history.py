"""History benchmark: reading versions from git, building with history, serving versions and diffs.

``.venv/bin/python bench/history.py`` (10,000 briefs x 10 versions; ``--briefs 200 --versions 3`` for
a smoke run of about a minute)

1. **Repository.** It writes a throwaway git repository in a temporary directory with
   ``git fast-import`` (one pack, no checkout per commit), repacks it as a clone would be
   (``git repack -a -d -f``: deltas between versions), then checks out its last commit. Shape:

   - commit 1 adds ``content/entities`` (the seed's) and N briefs shaped like the seed
     (``bench/corpus_gen.py``);
   - then V-1 revision rounds: in each, every brief is revised once, spread over
     ``--commits-per-round`` commits (default 10) of N/10 briefs each, drawn at random. A
     revision appends a sentence to one paragraph and rewords one word of another, so the
     brief stays valid and its diff is small.

   That is 1 + 10 (V-1) commits (91 by default) and N x V versions. The history is linear.
2. **Reading the history**, every variant on the same repository, interleaved (A B A B ...),
   ``--runs`` times (default 3), each with min and median wall time and median CPU time (this
   process and its children):

   - ``pygit2 read_history``: :func:`briefs.history.read_history`, as the build calls it (blob
     bytes and entity files included);
   - ``pygit2 walk, no blobs``: the same walk and Python tree comparison without reading a blob;
   - ``pygit2 C diff, no blobs`` / ``+ blobs``: the same walk, but each commit's ``briefs`` tree
     compared with its parent's by libgit2 (``Tree.diff_to_tree``) instead of in Python;
   - ``git log --raw + cat-file``: one streamed ``git log --first-parent --raw -z`` (NUL
     separated, parsed token by token), then every needed blob by id through one
     ``git cat-file --batch``; it returns the same :class:`briefs.history.History` as
     ``read_history`` (checked: the digests of both outputs must agree);
   - ``git log --name-status + cat-file``: the same with ``--name-status``, so blobs are asked
     for by ``<commit>:<path>``;
   - each ``git log`` variant also without blob reads (the list of changes only).
3. **Build** with history: ``briefs build --content <repo>/content --output <file>`` cold (no
   artifact yet), in a subprocess: wall time, CPU time (with its worker processes), peak RSS,
   artifact size. Then one new commit revising one brief, and the incremental build.
4. **Serving**: ``api.create_app({"BRIEFS_ARTIFACT": file})`` with the Flask test client (rate limit
   out of reach), p50 of ``GET /v1/briefs/<id>/versions/<n>`` over ``--gets`` distinct ids, each
   asked once, and of ``GET /v1/briefs/<id>/versions/<n>/changes`` over as many other ids (``n`` at
   random, from 2 for a diff); for reference, ``GET /v1/briefs/<id>`` (stored at build time) over as
   many others. The access log goes to stderr, one JSON line a request.
5. **Tail**: ``--tail`` more commits (default 100), each revising one brief, as a day-to-day
   history grows; the history read again (to show the cost of one more commit) and the
   incremental build after them.

Prints the figures and saves them to ``bench/results/history-<timestamp>.json`` (after every
phase, so a long run that dies keeps what it measured). A measurement, not a test: it exits 0
unless it could not measure.
"""

# Most imports follow the sys.path fix below: bench/http.py would shadow the standard library's http.
# ruff: noqa: E402

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if sys.path and Path(sys.path[0] or ".").resolve() == ROOT / "bench":
    sys.path[0] = str(ROOT)  # bench/http.py would shadow the standard library's http package

import argparse
import datetime as dt
import fnmatch
import gc
import hashlib
import json
import os
import random
import re
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

import pygit2

from bench import corpus_gen, runinfo
from briefs import history as hist
from briefs.sources import BRIEF_PATTERN, ENTITY_PATTERN, SourceFile

RESULTS = ROOT / "bench" / "results"
START = int(dt.datetime(2024, 1, 1, 9, tzinfo=dt.UTC).timestamp())
"""Commit time of the first commit; each next commit is an hour later."""
EDITOR = b"Editor <editor@example.org>"
LOG_FORMAT = "%x01%H%x00%ct%x00%B"
"""One header a commit: \\x01, full id, commit time, message, each ended by a NUL (with -z)."""
BRIEF_GLOB = Path(BRIEF_PATTERN).name
ENTITY_GLOB = Path(ENTITY_PATTERN).name
RATELIMIT = "1000000000 per minute"
_PARAGRAPH = re.compile(r"^[A-Z\[][^\n]{80,}$")
_MADE_UP = re.compile(r"\bq[a-z]{3,}\b")


# --- the repository ----------------------------------------------------------------------------


def git(repo: Path, *args: str, capture: bool = False) -> str:
    """Run git in ``repo``; its stdout when ``capture``."""
    done = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=capture, text=True)
    return done.stdout if capture else ""


def revise(text: str, rng: random.Random, number: int) -> str:
    """A brief's next version: a sentence appended to one paragraph, one made-up word reworded elsewhere."""
    lines = text.split("\n")
    body_from = lines.index("---", 1) + 1
    paragraphs = [i for i in range(body_from, len(lines)) if _PARAGRAPH.match(lines[i])]
    grown, reworded = rng.sample(paragraphs, 2) if len(paragraphs) > 1 else (paragraphs[0], paragraphs[0])
    words = " ".join(corpus_gen.made_up_word(rng, rng.randint(4, 9)) for _ in range(rng.randint(6, 14)))
    lines[grown] += f" Revision {number}: {words}."
    new_word = corpus_gen.made_up_word(rng, rng.randint(5, 9))
    lines[reworded] = _MADE_UP.sub(new_word, lines[reworded], count=1)
    return "\n".join(lines)


class FastImport:
    """Commits written by one ``git fast-import`` process onto ``refs/heads/main``."""

    def __init__(self, repo: Path, clock: int, *, onto_main: bool) -> None:
        self.proc = subprocess.Popen(["git", "-C", str(repo), "fast-import", "--quiet", "--done"],
                                     stdin=subprocess.PIPE)  # fmt: skip
        assert self.proc.stdin is not None
        self.out: IO[bytes] = self.proc.stdin
        self.clock = clock
        self.onto_main = onto_main
        """The next commit must name the branch's tip as its parent (later ones follow on their own)."""

    def _data(self, data: bytes) -> None:
        self.out.write(b"data %d\n" % len(data))
        self.out.write(data)
        self.out.write(b"\n")

    def commit(self, message: str, files: Iterable[tuple[str, bytes]]) -> None:
        self.out.write(b"commit refs/heads/main\n")
        self.out.write(b"committer %s %d +0000\n" % (EDITOR, self.clock))
        self._data(message.encode())
        if self.onto_main:
            self.out.write(b"from refs/heads/main^0\n")
            self.onto_main = False
        for path, data in files:
            self.out.write(b"M 100644 inline %s\n" % path.encode())
            self._data(data)
        self.clock += 3600

    def close(self) -> None:
        self.out.write(b"done\n")
        self.out.close()
        if self.proc.wait() != 0:
            raise RuntimeError("git fast-import failed")


@dataclass
class Corpus:
    """The repository and what it holds."""

    repo: Path
    texts: dict[str, str]
    """Brief id to its text at HEAD."""
    versions: dict[str, int]
    """Brief id to its number of versions."""
    clock: int
    rng: random.Random
    commits: int = 0
    info: dict[str, Any] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        return self.repo / "content"


def generate(root: Path, briefs: int, versions: int, per_round: int, seed: int, *, repack: bool) -> Corpus:
    """The repository of the shape the module docstring describes, checked out."""
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    rng = random.Random(seed)
    front, body = corpus_gen.read_seed()
    names = corpus_gen.entity_names()
    started = time.perf_counter()
    texts: dict[str, str] = {}
    for number in range(1, briefs + 1):
        brief_id, text = corpus_gen.make_brief(front, body, number, rng, names)
        texts[brief_id] = text
    corpus = Corpus(repo, texts, dict.fromkeys(texts, 1), START, rng)
    stream = FastImport(repo, START, onto_main=False)
    entities = [(f"content/entities/{p.name}", p.read_bytes()) for p in sorted(corpus_gen.ENTITIES_DIR.iterdir())]
    briefs_files = [(f"content/briefs/{i}.md", t.encode()) for i, t in texts.items()]
    stream.commit(f"Publish {briefs} briefs", [*entities, *briefs_files])
    ids = sorted(texts)
    commits = 1
    for number in range(2, versions + 1):
        order = rng.sample(ids, len(ids))
        size = -(-len(order) // per_round)
        for part, start in enumerate(range(0, len(order), size), 1):
            chunk = sorted(order[start : start + size])
            stream.commit(f"Revision round {number}, part {part}: {len(chunk)} briefs", _revised(corpus, chunk))
            commits += 1
    stream.close()
    corpus.clock, corpus.commits = stream.clock, commits
    imported = time.perf_counter() - started
    started = time.perf_counter()
    if repack:
        git(repo, "repack", "-a", "-d", "-f", "-q")
    repacked = time.perf_counter() - started
    git(repo, "reset", "-q", "--hard")
    corpus.info = {"commits": commits, "generate_import_s": round(imported, 1), "repack_s": round(repacked, 1),
                   "repacked": repack, **repo_size(repo)}  # fmt: skip
    return corpus


def _revised(corpus: Corpus, ids: Iterable[str]) -> Iterator[tuple[str, bytes]]:
    for brief_id in ids:
        corpus.versions[brief_id] += 1
        corpus.texts[brief_id] = revise(corpus.texts[brief_id], corpus.rng, corpus.versions[brief_id])
        yield f"content/briefs/{brief_id}.md", corpus.texts[brief_id].encode()


def add_commits(corpus: Corpus, count: int) -> list[str]:
    """``count`` more commits, each revising one brief; the working tree follows. The ids revised."""
    stream = FastImport(corpus.repo, corpus.clock, onto_main=True)
    chosen = [corpus.rng.choice(sorted(corpus.texts)) for _ in range(count)]
    for brief_id in chosen:
        stream.commit(f"Revise {brief_id}", _revised(corpus, [brief_id]))
    stream.close()
    corpus.clock = stream.clock
    corpus.commits += count
    git(corpus.repo, "reset", "-q", "--hard")
    return chosen


def repo_size(repo: Path) -> dict[str, Any]:
    counts = dict(line.split(": ", 1) for line in git(repo, "count-objects", "-v", capture=True).splitlines())
    return {"pack_mb": round(int(counts["size-pack"]) / 1024, 1), "loose_mb": round(int(counts["size"]) / 1024, 1)}


# --- reading the history: pygit2 -------------------------------------------------------------------


@dataclass
class Reading:
    """What a history reader found, reduced to a digest (so two readers can be compared cheaply)."""

    changes: int
    digest: str
    blobs: bool


def full_digest(history: hist.History) -> Reading:
    """Digest of every change: commit, time, note, name, bytes, and the entity files it is parsed with."""
    digest = hashlib.sha256()
    entity_digests = {}
    for key, files in history.entity_files.items():
        entity_digests[key] = hashlib.sha256(b"".join(f"{f.name}\0".encode() + f.data for f in files)).digest()
    for change in history.changes:
        c = change.commit
        digest.update(f"{c.sha}\0{c.committed_at}\0{c.note}\0{change.name}\0".encode())
        digest.update(b"-" if change.data is None else hashlib.sha256(change.data).digest())
        digest.update(entity_digests[change.entities])
    return Reading(len(history.changes), digest.hexdigest(), True)


Names = list[tuple[str, str, bool]]
"""(commit, ``briefs/<name>``, deleted) of every change, oldest first."""


def names_digest(changes: Iterable[tuple[str, str, bool]]) -> Reading:
    """Digest of (commit, ``briefs/<name>``, deleted) of every change."""
    digest = hashlib.sha256()
    count = 0
    for sha, name, deleted in changes:
        digest.update(f"{sha}\0{name}\0{int(deleted)}\0".encode())
        count += 1
    return Reading(count, digest.hexdigest(), False)


def _walk(content: Path) -> Iterator[tuple[pygit2.Repository, pygit2.Commit, pygit2.Tree | None, pygit2.Tree | None]]:
    """The walk of read_history: each first-parent commit whose briefs tree differs from its parent's."""
    repo = hist._repository(content)
    assert repo is not None
    prefix = hist._prefix(repo, content)
    for commit, parent in hist._first_parent(repo):
        now = hist._subtree(repo, commit.tree, f"{prefix}briefs")
        before = hist._subtree(repo, parent.tree, f"{prefix}briefs") if parent is not None else None
        if now is not None and before is not None and now.id == before.id:
            continue
        yield repo, commit, before, now


def pygit2_walk_no_blobs(content: Path) -> Names:
    """read_history's walk and Python tree comparison, no blob read."""
    changes = []
    for repo, commit, before, now in _walk(content):
        old = dict(hist._blobs(repo, before, BRIEF_GLOB))
        new = dict(hist._blobs(repo, now, BRIEF_GLOB))
        for name in sorted(old.keys() | new.keys()):
            if old.get(name) != new.get(name):
                changes.append((str(commit.id), f"briefs/{name}", name not in new))
    return changes


def _c_diff(
    repo: pygit2.Repository, before: pygit2.Tree | None, now: pygit2.Tree | None
) -> list[tuple[str, pygit2.Oid | None]]:
    """(name, blob id after or None) of every top-level ``*.md`` that differs, compared by libgit2."""
    if before is None or now is None:
        old = dict(hist._blobs(repo, before, BRIEF_GLOB))
        new = dict(hist._blobs(repo, now, BRIEF_GLOB))
        return [(n, new.get(n)) for n in sorted(old.keys() | new.keys()) if old.get(n) != new.get(n)]
    changed = []
    for delta in before.diff_to_tree(now).deltas:
        deleted = delta.status == pygit2.enums.DeltaStatus.DELETED
        name = (delta.old_file if deleted else delta.new_file).path
        if "/" in name or not fnmatch.fnmatchcase(name, BRIEF_GLOB) or delta.old_file.id == delta.new_file.id:
            continue
        changed.append((name, None if deleted else delta.new_file.id))
    return changed


def pygit2_c_diff_no_blobs(content: Path) -> Names:
    """The same walk, libgit2 comparing the trees, no blob read."""
    changes: Names = []
    for repo, commit, before, now in _walk(content):
        changes.extend((str(commit.id), f"briefs/{name}", oid is None) for name, oid in _c_diff(repo, before, now))
    return changes


def pygit2_c_diff_blobs(content: Path) -> hist.History:
    """read_history with libgit2 comparing the trees: the same History."""
    changes: list[hist.FileChange] = []
    entity_files: dict[str, tuple[SourceFile, ...]] = {}
    prefix = ""
    for repo, commit, before, now in _walk(content):
        prefix = prefix or hist._prefix(repo, content)
        changed = _c_diff(repo, before, now)
        if not changed:
            continue
        key, files = hist._entities_at(repo, commit.tree, prefix, str(content))
        entity_files.setdefault(key, files)
        about = hist.Commit(str(commit.id), hist._utc(commit.commit_time), commit.message.split("\n", 1)[0].strip())
        changes.extend(hist.FileChange(about, f"briefs/{name}", None if oid is None else hist._data(repo, oid), key)
                       for name, oid in changed)  # fmt: skip
    return hist.History(hist.GIT, "", None, tuple(changes), entity_files)


# --- reading the history: git log and git cat-file ----------------------------------------------------


@dataclass
class LogCommit:
    sha: str
    time: int
    subject: str
    """The message's first line, as read_history takes it (``%s`` would join a first paragraph's lines)."""
    entries: list[tuple[str, str, str | None]]
    """(status letter, path, new blob id: None in --name-status mode or when deleted)."""


def _tokens(stream: IO[bytes]) -> Iterator[bytes]:
    """NUL-separated tokens of a stream, read a megabyte at a time."""
    rest = b""
    while chunk := stream.read(1 << 20):
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        yield from parts
    if rest:
        yield rest


def git_log(repo: Path, prefix: str, *, raw: bool) -> list[LogCommit]:
    """The first-parent commits touching briefs or entities, newest first, with their entries.

    With ``-z`` a commit is its header (``\\x01<sha>``, time, subject: a token each), then, per
    changed file, one token (``:<modes> <old id> <new id> <status>`` with --raw, the status letter
    with --name-status, the first preceded by a newline) and one token for the path, unquoted.
    Header fields are taken by position and a path always follows its entry token, so no file
    name or subject can be mistaken for anything else. --no-renames: one path per entry.
    """
    command = ["git", "-C", str(repo), "-c", "log.showSignature=false", "log", "--first-parent",
               "--diff-merges=first-parent", "--no-renames", "--no-abbrev", "-z", f"--format={LOG_FORMAT}",
               "--raw" if raw else "--name-status", "HEAD", "--", f"{prefix}briefs/", f"{prefix}entities/"]  # fmt: skip
    proc = subprocess.Popen(command, stdout=subprocess.PIPE)
    assert proc.stdout is not None
    commits: list[LogCommit] = []
    tokens = _tokens(proc.stdout)
    for raw_token in tokens:
        token = raw_token.lstrip(b"\n")
        if token.startswith(b"\x01"):
            sha, when, message = token[1:].decode(), int(next(tokens)), next(tokens).decode()
            commits.append(LogCommit(sha, when, message.split("\n", 1)[0].strip(), []))
        elif token:
            path = next(tokens).decode()
            if raw:
                _modes, _modes2, old, new, status = token[1:].decode().split(" ")
                if old == new:
                    continue  # a mode change alone: the bytes are the same
                blob = None if status == "D" else new
                commits[-1].entries.append((status, path, blob))
            else:
                commits[-1].entries.append((token.decode(), path, None))
    if proc.wait() != 0:
        raise RuntimeError("git log failed")
    return commits


def cat_file(repo: Path, names: list[str]) -> list[bytes]:
    """Objects by name (an id or ``<commit>:<path>``) through one ``git cat-file --batch``, in order."""
    proc = subprocess.Popen(["git", "-C", str(repo), "cat-file", "--batch", "--buffer"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    stdin = proc.stdin

    def feed() -> None:
        with stdin:
            for name in names:
                stdin.write(name.encode() + b"\n")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    out: list[bytes] = []
    read, readline = proc.stdout.read, proc.stdout.readline
    for _ in names:
        header = readline()
        if header.endswith((b" missing\n", b" ambiguous\n")):
            raise RuntimeError(f"git cat-file: {header.decode(errors='replace').strip()}")
        size = int(header.rsplit(b" ", 1)[1])
        out.append(read(size))
        read(1)
    writer.join()
    if proc.wait() != 0:
        raise RuntimeError("git cat-file failed")
    return out


def _split(path: str, prefix: str) -> tuple[str, str] | None:
    """``("briefs" | "entities", file name)`` of a file the build reads (top level, its pattern), else None."""
    for folder, pattern in (("briefs", BRIEF_GLOB), ("entities", ENTITY_GLOB)):
        head = f"{prefix}{folder}/"
        name = path[len(head) :]
        if path.startswith(head) and "/" not in name and fnmatch.fnmatchcase(name, pattern):
            return folder, name
    return None


@dataclass(frozen=True, slots=True)
class GitChange:
    """A brief file changed by one commit, as git log tells it."""

    commit: LogCommit
    name: str
    """``briefs/<name>``."""
    object: str | None
    """What to ask cat-file for its bytes after the commit (blob id, or ``<commit>:<path>``); None if deleted."""
    entities: tuple[tuple[str, str], ...]
    """The entity files at the commit: (file name, object name to read it by)."""


def _repo_and_prefix(content: Path) -> tuple[Path, str]:
    repo = hist._repository(content)
    assert repo is not None and repo.workdir is not None
    return Path(repo.workdir), hist._prefix(repo, content)


def git_changes(repo: Path, prefix: str, *, raw: bool) -> list[GitChange]:
    """Oldest first, every change of a brief file, with the entity files of its commit."""
    entities: dict[str, str] = {}
    out: list[GitChange] = []
    for commit in reversed(git_log(repo, prefix, raw=raw)):
        briefs = []
        for status, path, blob in commit.entries:
            where = _split(path, prefix)
            if where is None:
                continue
            folder, name = where
            target = None if status == "D" else (blob if raw else f"{commit.sha}:{path}")
            if folder == "briefs":
                briefs.append((name, target))
            elif target is None:
                entities.pop(name, None)
            else:
                entities[name] = target
        if briefs:
            state = tuple(sorted(entities.items()))
            out.extend(GitChange(commit, f"briefs/{name}", target, state) for name, target in briefs)
    return out


def git_no_blobs(content: Path, *, raw: bool) -> Names:
    """The changes alone (no blob read) from one git log."""
    repo, prefix = _repo_and_prefix(content)
    return [(c.commit.sha, c.name, c.object is None) for c in git_changes(repo, prefix, raw=raw)]


def git_with_blobs(content: Path, *, raw: bool) -> hist.History:
    """The same History as read_history, from one git log and one git cat-file."""
    repo, prefix = _repo_and_prefix(content)
    changes = git_changes(repo, prefix, raw=raw)
    keys: dict[tuple[tuple[str, str], ...], str] = {}
    for change in changes:
        if change.entities not in keys:
            keys[change.entities] = hashlib.sha1(repr(change.entities).encode()).hexdigest()
    wanted = [c.object for c in changes if c.object is not None]
    wanted += [target for state in keys for _, target in state]
    unique = list(dict.fromkeys(wanted))
    data = dict(zip(unique, cat_file(repo, unique), strict=True))
    shown = str(content)
    entity_files: dict[str, tuple[SourceFile, ...]] = {}
    for state, key in keys.items():
        files = []
        for name, target in state:
            blob = data[target]
            files.append(SourceFile(f"entities/{name}", f"{shown}/entities/{name}", blob,
                                    hashlib.sha256(blob).hexdigest()))  # fmt: skip
        entity_files[key] = tuple(files)
    commits: dict[str, hist.Commit] = {}
    out = []
    for change in changes:
        c = change.commit
        about = commits.get(c.sha) or commits.setdefault(c.sha, hist.Commit(c.sha, hist._utc(c.time), c.subject))
        after = None if change.object is None else data[change.object]
        out.append(hist.FileChange(about, change.name, after, keys[change.entities]))
    return hist.History(hist.GIT, "", None, tuple(out), entity_files)


# --- timing the readers ---------------------------------------------------------------------------------

Reader = Callable[[Path], "hist.History | Names"]
READERS: list[tuple[str, Reader]] = [
    ("pygit2 read_history", hist.read_history),
    ("git log --raw + cat-file", lambda content: git_with_blobs(content, raw=True)),
    ("pygit2 C diff + blobs", pygit2_c_diff_blobs),
    ("git log --name-status + cat-file", lambda content: git_with_blobs(content, raw=False)),
    ("pygit2 walk, no blobs", pygit2_walk_no_blobs),
    ("git log --raw, no blobs", lambda content: git_no_blobs(content, raw=True)),
    ("pygit2 C diff, no blobs", pygit2_c_diff_no_blobs),
    ("git log --name-status, no blobs", lambda content: git_no_blobs(content, raw=False)),
]
"""Each pygit2 reader next to its git counterpart: A B A B."""


def cpu_seconds() -> float:
    """CPU time of this process and of its children waited for (git log, git cat-file)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def compare_readers(content: Path, runs: int) -> dict[str, Any]:
    """Every reader ``runs`` times, interleaved (the order reversed every other run); min and median."""
    walls: dict[str, list[float]] = {name: [] for name, _ in READERS}
    cpus: dict[str, list[float]] = {name: [] for name, _ in READERS}
    readings: dict[str, Reading] = {}
    loadavg = os.getloadavg()[0]
    for run in range(runs):
        order = READERS if run % 2 == 0 else READERS[::-1]
        for name, reader in order:
            gc.collect()
            cpu, started = cpu_seconds(), time.perf_counter()
            result = reader(content)
            wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu
            walls[name].append(wall)
            cpus[name].append(cpu)
            readings[name] = full_digest(result) if isinstance(result, hist.History) else names_digest(result)
            del result
            print(f"  run {run + 1}: {name:<34}{wall:>9.2f} s wall{cpu:>9.2f} s cpu", flush=True)
    full = {r.digest for r in readings.values() if r.blobs}
    names = {r.digest for r in readings.values() if not r.blobs}
    rows = {
        name: {"min_s": round(min(walls[name]), 3), "median_s": round(statistics.median(walls[name]), 3),
               "cpu_median_s": round(statistics.median(cpus[name]), 3), "changes": readings[name].changes,
               "blobs": readings[name].blobs, "runs_s": [round(w, 3) for w in walls[name]]}
        for name, _ in READERS
    }  # fmt: skip
    return {"loadavg_1min": round(loadavg, 2), "readers": rows, "agree": len(full) == 1 and len(names) == 1}


def print_readers(title: str, figures: dict[str, Any]) -> None:
    print(f"\n{title} (load average {figures['loadavg_1min']}; outputs agree: {figures['agree']})")
    print(f"  {'reader':<34}{'min s':>9}{'median s':>10}{'cpu s':>9}{'changes':>10}")
    for name, row in figures["readers"].items():
        print(f"  {name:<34}{row['min_s']:>9.2f}{row['median_s']:>10.2f}{row['cpu_median_s']:>9.2f}"
              f"{row['changes']:>10,}")  # fmt: skip


# --- building and serving -----------------------------------------------------------------------------------


def build(content: Path, output: Path) -> dict[str, Any]:
    """``briefs build`` in a subprocess: wall, CPU (its workers included), peak RSS, artifact figures."""
    command = [str(Path(sys.executable).parent / "briefs"), "build", "--content", str(content), "--output", str(output)]
    loadavg = os.getloadavg()[0]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err, cwd=ROOT)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"briefs build failed ({proc.returncode}):\n{stderr[-3000:]}")
    figures = {"wall_s": round(wall, 2), "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
               "peak_rss_mb": round(usage.ru_maxrss / 1024), "loadavg_1min": round(loadavg, 2),
               "artifact_mb": round(output.stat().st_size / 1e6, 1), "report": stdout.strip().splitlines()[-1],
               "warnings": stderr.count("[warning]"), "stderr_tail": stderr.strip().splitlines()[-3:]}  # fmt: skip
    figures.update(artifact_tables(output))
    return figures


def artifact_tables(path: Path) -> dict[str, Any]:
    """Rows and stored model bytes of the history tables."""
    import sqlite3  # noqa: PLC0415

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        versions, versions_bytes = conn.execute(
            "SELECT count(*), coalesce(sum(length(model)), 0) FROM versions"
        ).fetchone()
        parsed, parsed_bytes = conn.execute(
            "SELECT count(*), coalesce(sum(length(model)), 0) FROM parsed_changes"
        ).fetchone()
    finally:
        conn.close()
    return {"versions": versions, "versions_model_mb": round(versions_bytes / 1e6, 1),
            "parsed_changes": parsed, "parsed_changes_model_mb": round(parsed_bytes / 1e6, 1)}  # fmt: skip


def p50_ms(client: Any, urls: list[str]) -> dict[str, float]:
    """Median wall and CPU milliseconds of GETs made one after another; median body size."""
    wall, cpu, sizes = [], [], []
    for url in urls:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: {response.status_code} {response.get_data(as_text=True)[:300]}")
        sizes.append(len(response.data))
    return {"p50_ms": round(statistics.median(wall), 2), "cpu_p50_ms": round(statistics.median(cpu), 2),
            "p90_ms": round(statistics.quantiles(wall, n=10)[-1], 2) if len(wall) > 1 else wall[0],
            "requests": len(urls), "body_bytes_median": int(statistics.median(sizes))}  # fmt: skip


def serve(artifact: Path, corpus: Corpus, gets: int, rng: random.Random) -> dict[str, Any]:
    """Version and diff GETs through the Flask test client, distinct ids, each asked once."""
    os.environ["BRIEFS_RATELIMIT"] = RATELIMIT
    from api import create_app  # noqa: PLC0415

    loadavg = os.getloadavg()[0]
    client = create_app({"BRIEFS_ARTIFACT": str(artifact)}).test_client()
    ids = rng.sample(sorted(corpus.texts), min(len(corpus.texts), 3 * gets + 1))
    p50_ms(client, [f"/v1/briefs/{ids.pop()}/versions/1"])  # the first request of an app pays for set-up
    third = len(ids) // 3
    version_urls = [f"/v1/briefs/{i}/versions/{rng.randint(1, corpus.versions[i])}" for i in ids[:third]]
    diff_urls = [f"/v1/briefs/{i}/versions/{rng.randint(min(2, corpus.versions[i]), corpus.versions[i])}/changes"
                 for i in ids[third : 2 * third]]  # fmt: skip
    current_urls = [f"/v1/briefs/{i}" for i in ids[2 * third :]]
    return {"loadavg_1min": round(loadavg, 2), "version": p50_ms(client, version_urls),
            "changes": p50_ms(client, diff_urls), "current": p50_ms(client, current_urls)}  # fmt: skip


# --- the run ---------------------------------------------------------------------------------------------------


def save(figures: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")


def print_build(title: str, figures: dict[str, Any]) -> None:
    print(f"\n{title} (load average {figures['loadavg_1min']}): {figures['wall_s']:.1f} s wall, "
          f"{figures['cpu_s']:.1f} s cpu, peak RSS {figures['peak_rss_mb']:,} MB, "
          f"artifact {figures['artifact_mb']} MB; "
          f"{figures['versions']:,} versions ({figures['versions_model_mb']} MB of models), "
          f"{figures['parsed_changes']:,} parsed changes ({figures['parsed_changes_model_mb']} MB), "
          f"{figures['warnings']} warnings\n  {figures['report']}", flush=True)  # fmt: skip


def build_and_serve(
    corpus: Corpus, artifact: Path, gets: int, rng: random.Random, *, figures: dict[str, Any], save: Callable[[], None]
) -> None:
    """The cold build, one commit and the incremental build, then the GETs."""
    figures["build_cold"] = build(corpus.content, artifact)
    print_build("cold build", figures["build_cold"])
    save()
    add_commits(corpus, 1)
    figures["build_one_commit"] = build(corpus.content, artifact)
    print_build("incremental build after one commit revising one brief", figures["build_one_commit"])
    save()
    figures["serve"] = serve(artifact, corpus, gets, rng)
    for kind in ("version", "changes", "current"):
        row = figures["serve"][kind]
        print(f"GET {kind}: p50 {row['p50_ms']} ms (cpu {row['cpu_p50_ms']} ms), p90 {row['p90_ms']} ms, "
              f"{row['requests']} requests, median body {row['body_bytes_median']:,} B", flush=True)  # fmt: skip
    save()


def grow(corpus: Corpus, artifact: Path | None, count: int, runs: int, before: dict[str, Any]) -> dict[str, Any]:
    """``count`` single-brief commits: the history read again, what one more commit costs, the build."""
    add_commits(corpus, count)
    added = corpus.commits - before["commits"]
    figures: dict[str, Any] = {"commits": corpus.commits, **repo_size(corpus.repo)}
    figures["history"] = compare_readers(corpus.content, runs)
    print_readers(f"history read after {count} more single-brief commits, {corpus.commits} commits",
                  figures["history"])  # fmt: skip
    for name, row in figures["history"]["readers"].items():
        row["ms_per_added_commit"] = round((row["median_s"] - before["readers"][name]["median_s"]) * 1000 / added, 2)
    print("  median ms per added commit: " + ", ".join(
        f"{name} {row['ms_per_added_commit']}" for name, row in figures["history"]["readers"].items()
    ))  # fmt: skip
    if artifact is not None:
        figures["build"] = build(corpus.content, artifact)
        print_build(f"incremental build after {count} single-brief commits", figures["build"])
    return figures


def main(argv: list[str] | None = None) -> int:
    """Generate, compare the readers, build, serve, grow the history; print and save every figure."""
    options = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    options.add_argument("--briefs", type=int, default=10_000, help="briefs in the repository (default 10,000)")
    options.add_argument("--versions", type=int, default=10, help="versions of each brief (default 10)")
    options.add_argument("--commits-per-round", type=int, default=10, help="commits a revision round is spread over")
    options.add_argument("--runs", type=int, default=3, help="runs of each history reader (default 3)")
    options.add_argument("--gets", type=int, default=300, help="version GETs, and as many diff GETs (default 300)")
    options.add_argument("--tail", type=int, default=100, help="single-brief commits added at the end (default 100)")
    options.add_argument("--history-only", action="store_true", help="read the history only: no build, no GETs")
    options.add_argument("--no-repack", action="store_true", help="keep fast-import's pack as it is")
    options.add_argument("--seed", type=int, default=0)
    options.add_argument("--keep", metavar="DIR", help="build the repository in DIR (must not exist) and keep it")
    args = options.parse_args(argv)
    if args.briefs < 2 or args.versions < 1:
        options.error("need at least 2 briefs and 1 version")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    result_path = RESULTS / f"history-{stamp}.json"
    figures: dict[str, Any] = {"machine": runinfo.machine(), "started": stamp, "options": vars(args)}
    rng = random.Random(args.seed + 1)
    with tempfile.TemporaryDirectory(prefix="briefs-history-") as tmp:
        root = Path(args.keep) if args.keep else Path(tmp)
        root.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        corpus = generate(root, args.briefs, args.versions, args.commits_per_round, args.seed,
                          repack=not args.no_repack)  # fmt: skip
        figures["repository"] = {**corpus.info, "briefs": args.briefs, "versions": sum(corpus.versions.values()),
                                 "seconds": round(time.perf_counter() - started, 1)}  # fmt: skip
        print(f"repository: {json.dumps(figures['repository'])}", flush=True)
        save(figures, result_path)

        figures["history"] = {"commits": corpus.commits, **compare_readers(corpus.content, args.runs)}
        print_readers(f"history read, {corpus.commits} commits", figures["history"])
        save(figures, result_path)

        artifact = None if args.history_only else root / "artifact.sqlite"
        if artifact is not None:
            build_and_serve(corpus, artifact, args.gets, rng, figures=figures, save=lambda: save(figures, result_path))
        if args.tail:
            figures["tail"] = grow(corpus, artifact, args.tail, args.runs, figures["history"])
        figures["finished_loadavg_1min"] = round(os.getloadavg()[0], 2)
        save(figures, result_path)
    print(f"\nfigures saved to {result_path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
