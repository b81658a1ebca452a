"""Black-box tests of one builder and many readers: gunicorn on 127.0.0.1, real files, real signals."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tests.live import ROOT, live_server

pytestmark = pytest.mark.server

BRIEF = "briefs/sochi-summit-2021.md"
BRIEFS_BIN = Path(sys.executable).parent / "briefs"


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def _get(base: str, path: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(base + path, headers={"Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def _worker_and_version(base: str) -> tuple[str, str]:
    """The worker that answered (its pid is part of the request id it made) and the content version."""
    _, headers, _ = _get(base, "/readyz")
    return headers["X-Request-ID"].split("-")[0][12:], headers["X-Content-Version"]


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"{what} within {timeout} s"
        time.sleep(0.05)


def _running(pid: int) -> bool:
    """Whether a process exists and has not ended (a zombie has ended)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def test_every_worker_idle_or_new_answers_from_the_newest_build(content: Path) -> None:
    env = {"BRIEFS_RELOAD_INTERVAL": "0.2"}
    with live_server(content, workers=3, env=env) as server:
        before = {_worker_and_version(server.base)[1] for _ in range(10)}
        assert len(before) == 1
        _edit(content / BRIEF, "::: {.factor", "::: {.factors")  # break the brief: the master rebuilds
        _wait_for(lambda: _worker_and_version(server.base)[1] not in before, 5, "the new build is served")
        # From now on no worker, however long it sat idle, answers from the old build.
        seen = [_worker_and_version(server.base) for _ in range(40)]
        assert {version for _, version in seen} == {_worker_and_version(server.base)[1]}
        assert len({worker for worker, _ in seen}) >= 2
        _, _, body = _get(server.base, "/readyz")
        ready = json.loads(body)
        assert ready["stale_briefs"] == ["sochi-summit-2021"]
        assert any(":" in e["path"] or e["line"] > 1 for e in ready["content_errors"])
        # A worker forked after the edit (the master replaces a killed one) starts from the newest build too.
        new_version = seen[0][1]
        os.kill(_worker_pids(server.process.pid)[0], signal.SIGKILL)
        time.sleep(1)
        assert {_worker_and_version(server.base)[1] for _ in range(20)} == {new_version}


def test_a_prebuilt_artifact_is_followed_and_a_corrupt_one_refused(content: Path, tmp_path: Path) -> None:
    artifact = tmp_path / "shipped.sqlite"
    subprocess.run([BRIEFS_BIN, "build", "--content", str(content), "--output", str(artifact)], check=True,
                   capture_output=True)  # fmt: skip
    with live_server(content, workers=2, env={"BRIEFS_ARTIFACT": str(artifact)}) as server:
        _, first, _ = _get(server.base, "/v1")
        # A newer build, made elsewhere and renamed over the served file, is picked up on the next request.
        _edit(content / BRIEF, 'title: "', 'title: "Edited: ')
        newer = tmp_path / "newer.sqlite"
        subprocess.run([BRIEFS_BIN, "build", "--content", str(content), "--output", str(newer)], check=True,
                       capture_output=True)  # fmt: skip
        newer.replace(artifact)
        _, second, body = _get(server.base, "/v1/briefs/sochi-summit-2021")
        assert second["X-Content-Version"] != first["X-Content-Version"]
        assert json.loads(body)["title"].startswith("Edited: ")
        # Every worker has opened the new build once it has answered a request (each starts with a stat()).
        seen: set[str] = set()
        _wait_for(lambda: seen.add(_worker_and_version(server.base)[0]) or len(seen) >= 2, 10, "both workers answer")
        # A truncated file renamed over it is refused: the last good build keeps serving, and /readyz says why.
        truncated = tmp_path / "truncated.sqlite"
        truncated.write_bytes(artifact.read_bytes()[:8192])
        truncated.replace(artifact)
        for _ in range(6):
            status, headers, _ = _get(server.base, "/v1/briefs/sochi-summit-2021")
            assert status == 200 and headers["X-Content-Version"] == second["X-Content-Version"]
        ready = json.loads(_get(server.base, "/readyz")[2])
        assert ready["content_version"] == second["X-Content-Version"]
        assert any("truncated" in problem for problem in ready["artifact_problems"])


@pytest.mark.parametrize("from_scratch", [False, True], ids=["in place", "from scratch"])
def test_a_builder_killed_mid_write_replaces_nothing(content: Path, tmp_path: Path, from_scratch: bool) -> None:
    seed = (content / BRIEF).read_text(encoding="utf-8")
    for number in range(300):
        copy = seed.replace("id: sochi-summit-2021", f"id: copy-{number:03}")
        (content / "briefs" / f"copy-{number:03}.md").write_text(copy, encoding="utf-8")
    artifact = tmp_path / "served.sqlite"
    small = tmp_path / "small"
    shutil.copytree(ROOT / "content", small)
    subprocess.run([BRIEFS_BIN, "build", "--content", str(small), "--output", str(artifact)], check=True,
                   capture_output=True)  # fmt: skip
    if from_scratch:
        # As if built by an older release: the next build starts from scratch, in a file beside it.
        with closing(sqlite3.connect(artifact)) as conn, conn:
            conn.execute("UPDATE meta SET value = 'older code' WHERE key = 'fingerprint'")
    before = artifact.read_bytes()
    log = tmp_path / "served.sqlite-wal"
    with live_server(small, workers=2, env={"BRIEFS_ARTIFACT": str(artifact)}) as server:
        _, served, _ = _get(server.base, "/v1")
        builder = subprocess.Popen([BRIEFS_BIN, "build", "--content", str(content), "--output", str(artifact)],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        if from_scratch:
            _wait_for(lambda: any(p.name.endswith(".tmp") for p in tmp_path.iterdir()), 30, "the builder writes")
        else:
            # Pages of the open transaction spill into the write-ahead log before it commits.
            _wait_for(lambda: log.exists() and log.stat().st_size > 1_000_000, 60, "the builder writes")
        _wait_for(lambda: _worker_pids(builder.pid), 30, "the builder parses in worker processes")
        parsers = _worker_pids(builder.pid)
        builder.send_signal(signal.SIGKILL)
        builder.wait(10)
        # Its worker processes end with it instead of waiting for work forever.
        _wait_for(lambda: not any(_running(pid) for pid in parsers), 10, "the builder's workers end")
        assert artifact.read_bytes() == before
        for _ in range(4):
            status, headers, _ = _get(server.base, "/v1/briefs/sochi-summit-2021")
            assert status == 200 and headers["X-Content-Version"] == served["X-Content-Version"]
        assert json.loads(_get(server.base, "/readyz")[2])["artifact_problems"] == []
        # The next build cleans up what the killed one left and succeeds.
        subprocess.run([BRIEFS_BIN, "build", "--content", str(content), "--output", str(artifact)], check=True,
                       capture_output=True)  # fmt: skip
        assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        assert json.loads(_get(server.base, "/v1")[2])["counts"]["briefs"] == 301
