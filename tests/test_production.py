"""Black-box tests of the production topology (deploy/topology.py, what `make serve-production` runs):
nginx in front of gunicorn replicas, on 127.0.0.1 and Unix sockets only, every load bounded in time,
everything stopped at the end, even on failure."""

from __future__ import annotations

import http.client
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from deploy.topology import nginx_limits, production, render_nginx_conf
from tests.live import ROOT, free_port, live_server, redis_server

pytestmark = pytest.mark.server
SOCHI = "/v1/briefs/sochi-summit-2021"
PATHS = [SOCHI, "/v1/briefs", "/v1/search?q=border", f"{SOCHI}/factors", "/v1"]
BRIEFS_BIN = Path(sys.executable).parent / "briefs"


@pytest.fixture
def run_dir() -> Iterator[Path]:
    # Short: a Unix socket's path must fit in 108 bytes.
    path = Path(tempfile.mkdtemp(prefix="briefs-prod-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def content(run_dir: Path) -> Path:
    shutil.copytree(ROOT / "content", run_dir / "content")
    return run_dir / "content"


class Load:
    """``connections`` threads asking for ``paths`` on new connections until stopped; every
    outcome and every latency is kept."""

    def __init__(self, port: int, connections: int, paths: list[str] = PATHS) -> None:
        self.port, self.paths = port, paths
        self.outcomes: Counter[str] = Counter()
        self.latencies: list[float] = []
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(n,), daemon=True) for n in range(connections)]

    def _run(self, number: int) -> None:
        index = number
        while not self._stop.is_set():
            index += 1
            started = time.perf_counter()
            connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
            try:
                connection.request("GET", self.paths[index % len(self.paths)])
                response = connection.getresponse()
                response.read()
                outcome = str(response.status)
            except (OSError, http.client.HTTPException) as error:
                outcome = f"failed: {type(error).__name__}"
            finally:
                connection.close()
            self.latencies.append(time.perf_counter() - started)
            self.outcomes[outcome] += 1

    def __enter__(self) -> Load:
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=15)

    def p99(self) -> float:
        return statistics.quantiles(self.latencies, n=100)[98]


def _slow_connections(port: int, count: int, first_bytes: bytes) -> list[socket.socket]:
    """``count`` connections that send ``first_bytes``, then nothing."""
    sockets = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        sock.sendall(first_bytes)
        sockets.append(sock)
    return sockets


def _still_open(sock: socket.socket) -> bool:
    sock.setblocking(False)
    try:
        return sock.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True  # nothing to read, and not closed
    except OSError:
        return False


HALF_A_REQUEST_LINE = b"GET /v1/briefs/soch"
STALLED_BODY = b"POST /v1/briefs HTTP/1.1\r\nHost: x\r\nContent-Length: 10000\r\n\r\n" + b"x" * 100


def test_gunicorn_alone_is_taken_down_by_four_slow_clients(content: Path) -> None:
    # The failure the topology exists for: each sync worker waits on a client that never finishes.
    with live_server(content, workers=2) as server:
        port = int(server.base.rsplit(":", 1)[1])
        held = _slow_connections(port, 4, HALF_A_REQUEST_LINE)
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=3)
            try:
                with pytest.raises(TimeoutError):
                    connection.request("GET", "/v1")
                    connection.getresponse()
            finally:
                connection.close()
        finally:
            for sock in held:
                sock.close()


def test_behind_nginx_400_slow_clients_starve_nothing(run_dir: Path, content: Path) -> None:
    port = free_port()
    with production(run_dir, port, [{"BRIEFS_CONTENT_DIR": str(content)}], workers=2) as topology:
        held = _slow_connections(port, 200, HALF_A_REQUEST_LINE) + _slow_connections(port, 200, STALLED_BODY)
        try:
            with Load(port, connections=8) as load:
                time.sleep(4)
            assert all(_still_open(sock) for sock in held), "nginx held every slow client while serving the others"
        finally:
            for sock in held:
                sock.close()
        assert topology.replicas[0].process.poll() is None
    assert set(load.outcomes) == {"200"}, load.outcomes
    assert load.outcomes["200"] >= 100
    assert load.p99() <= 1.0, f"p99 {load.p99():.3f} s"


def _build(content: Path, output: Path) -> None:
    subprocess.run([BRIEFS_BIN, "build", "--content", str(content), "--output", str(output)], check=True,
                   capture_output=True)  # fmt: skip


def _publish(build: Path, target: Path) -> None:
    """Ship a build to a replica's machine and rename it over the served file."""
    shipped = target.with_suffix(".new")
    shutil.copyfile(build, shipped)
    shipped.replace(target)


def test_two_replicas_agree_follow_new_content_and_survive_losing_one(run_dir: Path, content: Path) -> None:
    build = run_dir / "build.sqlite"
    _build(content, build)
    artifacts = [run_dir / "replica-a.sqlite", run_dir / "replica-b.sqlite"]
    for artifact in artifacts:
        _publish(build, artifact)
    port = free_port()
    with redis_server() as redis_url:
        shared = {"BRIEFS_RATELIMIT": "100000 per minute", "BRIEFS_RATELIMIT_STORAGE_URI": redis_url}
        replicas = [{**shared, "BRIEFS_ARTIFACT": str(artifact)} for artifact in artifacts]
        with production(run_dir, port, replicas, workers=2) as topology:
            one, two = topology.replicas
            # The same bytes and ETags from both.
            for path in PATHS:
                assert one.get(path)[1]["ETag"] == two.get(path)[1]["ETag"]
            # One count per client for both, in Redis: alternate replicas, and the count still falls by one.
            client = {"X-Forwarded-For": "203.0.113.9"}
            remaining = [int(replica.get("/v1", client)[1]["X-RateLimit-Remaining"]) for replica in (one, two) * 3]
            assert remaining == list(range(remaining[0], remaining[0] - 6, -1))
            # A content change reaches both.
            text = (content / "briefs/sochi-summit-2021.md").read_text(encoding="utf-8")
            (content / "briefs/sochi-summit-2021.md").write_text(text.replace('title: "', 'title: "Edited: ', 1))
            _build(content, build)
            for artifact in artifacts:
                _publish(build, artifact)
            served = [replica.get(SOCHI) for replica in (one, two)]
            assert {json.loads(body)["title"][:8] for _, _, body in served} == {"Edited: "}
            assert served[0][1]["ETag"] == served[1][1]["ETag"]
            assert served[0][1]["X-Content-Version"] == served[1][1]["X-Content-Version"]
            # One replica lost under load: nginx retries on the other; no client sees a failure.
            with Load(port, connections=8) as load:
                time.sleep(1.5)
                two.kill()
                time.sleep(2.5)
            assert set(load.outcomes) == {"200"}, load.outcomes
            assert load.outcomes["200"] >= 50
            # With none left, nginx answers with a problem, not an HTML page.
            one.kill()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                connection.request("GET", SOCHI)
                response = connection.getresponse()
                assert response.status == 503
                assert response.getheader("Content-Type") == "application/problem+json"
                assert json.loads(response.read())["status"] == 503
            finally:
                connection.close()


def test_nginx_limits_are_never_stricter_than_the_apps() -> None:
    zones, retry_after = nginx_limits("10 per second; 600 per minute; 1000 per day")
    assert zones == [("client0", "600r/m", 20), ("client1", "600r/m", 1200), ("client2", "1r/m", 2000)]
    assert retry_after == 87  # a day's 1,000 requests come back one per 86.4 s
    conf = render_nginx_conf(Path("/run/x"), "127.0.0.1:8080", [Path("/run/x/a.sock")], "600 per minute")
    assert "limit_req zone=client0 burst=1200 nodelay;" in conf and not re.search("@[A-Z_]+@", conf)
