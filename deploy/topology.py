"""The production topology, runnable and tested: nginx in front of one or more gunicorn replicas.

``make serve-production PORT=8080`` runs ``python -m deploy.topology --port 8080``:

1. each replica is the project's gunicorn (``gunicorn.conf.py``, sync workers) bound to a
   Unix socket in the run directory, so that nothing but nginx reaches it, and trusting the
   one proxy in front of it for the client address (``BRIEFS_TRUSTED_PROXIES=1``);
2. nginx, configured from ``deploy/nginx.conf.template``, listens on ``127.0.0.1:PORT``,
   buffers every request and answer, holds slow clients, limits floods per client and
   spreads requests over the replicas, skipping one that fails.

Everything stops when the command is interrupted (Ctrl-C, SIGTERM), and when the
:func:`production` context manager that the tests use exits, whatever happened.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from limits import parse_many

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
GUNICORN = Path(sys.executable).parent / "gunicorn"
CONNECTIONS = 8192
"""nginx's ``worker_connections``, and each replica's listen backlog: a replica queues as many
connections as nginx may open to it."""
DEFAULT_RATELIMIT = "600 per minute"
"""The application's default (``api.config.DEFAULTS``), when ``BRIEFS_RATELIMIT`` is not set."""
PROBLEM_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'",
    "Access-Control-Allow-Origin": "*",
}
"""What nginx adds to the problems it answers itself (429 at the proxy, 503 without replicas)."""
STOP_TIMEOUT_S = 25


class UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix socket: how nginx, and the tests, reach one replica."""

    def __init__(self, path: Path | str, timeout: float = 10) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = str(path)

    def connect(self) -> None:
        """Connect to the socket file instead of a host and port."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.settimeout(self.timeout)
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


@dataclass(frozen=True, slots=True)
class Replica:
    """One gunicorn master and its workers."""

    socket: Path
    """The Unix socket it listens on."""
    process: subprocess.Popen[bytes]
    """The master; it leads its own process group, workers included."""

    def get(self, path: str, headers: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        """Ask this replica directly (status, headers, body)."""
        connection = UnixHTTPConnection(self.socket)
        try:
            connection.request("GET", path, headers=dict(headers or {}))
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: a machine lost, not a graceful stop."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()


@dataclass(frozen=True, slots=True)
class Topology:
    """A running topology."""

    base: str
    """nginx's URL, ``http://127.0.0.1:PORT``."""
    replicas: tuple[Replica, ...]
    """The application servers behind it."""
    run_dir: Path
    """Configuration, sockets and logs."""


def nginx_limits(ratelimit: str) -> tuple[list[tuple[str, str, int]], int]:
    """nginx's ``limit_req`` zones for the application's limit text, and the Retry-After of its 429.

    Each limit (``600 per minute``) becomes a zone at the same average rate, rounded up to
    whole requests per minute, with a burst of twice the limit: in any stretch of time a fixed
    window lets through at most twice its limit, so nginx never refuses what the application
    would accept, and the application stays the one that counts exactly.

    :returns: ``[(zone, rate, burst)]`` and the seconds a refused client should wait
    """
    zones, retry_after = [], 1
    for number, item in enumerate(parse_many(ratelimit)):
        seconds = item.get_expiry()
        zones.append((f"client{number}", f"{math.ceil(item.amount * 60 / seconds)}r/m", 2 * item.amount))
        retry_after = max(retry_after, math.ceil(seconds / item.amount))
    return zones, retry_after


def render_nginx_conf(
    run_dir: Path, listen: str, sockets: Sequence[Path], ratelimit: str, client_timeout: str = "10s"
) -> str:
    """The template filled in for one run."""
    zones, retry_after = nginx_limits(ratelimit)
    user = (
        "user root;  # started as root: the workers must reach sockets and files only root may"
        if os.geteuid() == 0
        else ""
    )
    values = {
        "RUN": str(run_dir),
        "USER": user,
        "LISTEN": listen,
        "CLIENT_TIMEOUT": client_timeout,
        "CONNECTIONS": str(CONNECTIONS),
        "FAIL_TIMEOUT": "5s",
        "SERVERS": "\n".join(f"        server unix:{path} max_fails=1 fail_timeout=5s;" for path in sockets),
        "LIMIT_ZONES": "\n".join(f"    limit_req_zone $binary_remote_addr zone={z}:10m rate={r};" for z, r, _ in zones),
        "LIMIT_REQS": "\n".join(f"            limit_req zone={z} burst={b} nodelay;" for z, _, b in zones),
        "RETRY_AFTER": str(retry_after),
        "RATELIMIT": ratelimit.replace("'", ""),
        "PROBLEM_HEADERS": "\n".join(f'            add_header {k} "{v}" always;' for k, v in PROBLEM_HEADERS.items()),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace(f"@{name}@", value)
    return text


def nginx_binary() -> str:
    """The nginx executable (``make nginx`` installs Debian's)."""
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise RuntimeError("nginx is not installed: run `make nginx` (Debian's package)")
    return found


@contextmanager
def production(
    run_dir: Path, port: int, replicas: Sequence[Mapping[str, str]], *, workers: int | None = None,
    client_timeout: str = "10s", ready_timeout: float = 120,
) -> Iterator[Topology]:  # fmt: skip
    """Start the replicas (one per environment in ``replicas``), then nginx on 127.0.0.1:``port``;
    yield once nginx answers ``/readyz``; stop everything on the way out.

    :param replicas: the ``BRIEFS_*`` settings of each replica (``BRIEFS_ARTIFACT`` or
        ``BRIEFS_CONTENT_DIR`` and so on), over the environment's
    """
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "tmp").mkdir(exist_ok=True)
    ratelimit = os.environ.get("BRIEFS_RATELIMIT") or DEFAULT_RATELIMIT
    with ExitStack() as stack:
        started = []
        for number, settings in enumerate(replicas):
            replica = stack.enter_context(_replica(run_dir, number, settings, workers))
            ratelimit = settings.get("BRIEFS_RATELIMIT", ratelimit)
            started.append(replica)
        for replica in started:
            _wait(lambda r=replica: r.get("/readyz")[0] == 200, replica.process, ready_timeout, f"{replica.socket}")
        conf = run_dir / "nginx.conf"
        sockets = [replica.socket for replica in started]
        conf.write_text(render_nginx_conf(run_dir, f"127.0.0.1:{port}", sockets, ratelimit, client_timeout))
        command = [nginx_binary(), "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "nginx-error.log")]
        nginx = stack.enter_context(_process(command, run_dir / "nginx.out"))
        topology = Topology(f"http://127.0.0.1:{port}", tuple(started), run_dir)
        _wait(lambda: _status(port, "/readyz") == 200, nginx, 30, "nginx")
        yield topology


@contextmanager
def _replica(run_dir: Path, number: int, settings: Mapping[str, str], workers: int | None) -> Iterator[Replica]:
    path = run_dir / f"replica-{number}.sock"
    path.unlink(missing_ok=True)
    command = [
        str(GUNICORN),
        "--config",
        str(ROOT / "gunicorn.conf.py"),
        "--no-control-socket",
        "--bind",
        f"unix:{path}",
        # A Unix socket whose backlog is full refuses at once (EAGAIN), and nginx answers 503: queue
        # as many connections as nginx itself takes (the kernel caps it at net.core.somaxconn).
        "--backlog",
        str(CONNECTIONS),
    ]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "BRIEFS_TRUSTED_PROXIES": "1", **settings}
    with _process([*command, "api:create_app()"], run_dir / f"replica-{number}.log", env) as process:
        yield Replica(path, process)


@contextmanager
def _process(command: list[str], log: Path, env: Mapping[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Run ``command`` in its own process group, its output to ``log``; stop the group on the way out."""
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
                                   start_new_session=True)  # fmt: skip
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=STOP_TIMEOUT_S)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # workers left behind by a killed master, if any
        process.wait()


def _status(port: int, path: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return 0
    finally:
        connection.close()


def _wait(ready: object, process: subprocess.Popen[bytes], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if ready():  # type: ignore[operator]
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start (exit {process.poll()}); see its log")
        time.sleep(0.1)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m deploy.topology``: serve until interrupted."""
    options = argparse.ArgumentParser(prog="deploy.topology", description=__doc__.split("\n\n")[0])
    options.add_argument("--port", type=int, default=8000, help="nginx listens on 127.0.0.1:PORT (default 8000)")
    options.add_argument("--content", default=None, help="content directory each replica builds and serves")
    options.add_argument("--artifact", default=None, help="prebuilt artifact each replica serves instead")
    options.add_argument("--replicas", type=int, default=1, help="gunicorn replicas behind nginx (default 1)")
    options.add_argument("--workers", type=int, default=None, help="workers per replica (default: gunicorn.conf.py)")
    options.add_argument("--run-dir", default=str(ROOT / ".run" / "production"), help="configuration, sockets, logs")
    args = options.parse_args(argv)
    settings = {"BRIEFS_ARTIFACT": args.artifact} if args.artifact else {}
    if args.content:
        settings["BRIEFS_CONTENT_DIR"] = str(Path(args.content).resolve())
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # unwinds the with-block: everything stops
    run_dir = Path(args.run_dir).resolve()
    try:
        with production(run_dir, args.port, [settings] * args.replicas, workers=args.workers) as topology:
            print(f"Briefs API on {topology.base} (nginx, {args.replicas} gunicorn replica(s); logs in {run_dir})")
            while True:
                time.sleep(3600)
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
