"""Servers for ``bench/http.py``: gunicorn and nginx on 127.0.0.1, each on a free port, always stopped.

Each context manager starts its server, waits until a path answers, yields the
server and stops it on the way out, whatever happened (an error, Ctrl-C).
Their output goes to a log file, never to the terminal.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
STOP_TIMEOUT_S = 25
LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))
"""An opener that never goes through a proxy, whatever ``http_proxy`` says: every server here is local."""


@dataclass(frozen=True, slots=True)
class Server:
    """A running server."""

    name: str
    """``project``, ``baseline``, ``nginx`` (plain files), ``export`` (``briefs export``'s nginx.conf),
    ``app`` (the project alone, as ``make serve`` runs it) or ``topology`` (``make serve-production``)."""
    base: str
    """Its base URL, ``http://127.0.0.1:PORT``."""
    log: Path
    """The file its stdout and stderr go to."""


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(name: str, app: str, log: Path, env: dict[str, str], ready_path: str) -> Iterator[Server]:
    """The project's gunicorn settings (``gunicorn.conf.py``) serving ``app`` on a free port.

    :param app: the application, as gunicorn takes it (``api:create_app()``)
    :param ready_path: a path that answers 200 once the app is loaded
    """
    port = free_port()
    command = [str(GUNICORN), "--config", "gunicorn.conf.py", "--no-control-socket",
               "--bind", f"127.0.0.1:{port}", app]  # fmt: skip
    with log.open("ab") as output:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    with _stopped_after(process):
        server = Server(name, f"http://127.0.0.1:{port}", log)
        _wait_ready(process, server, ready_path)
        yield server


@contextmanager
def nginx(files: dict[str, tuple[Path, str]], workdir: Path) -> Iterator[Server]:
    """nginx serving each file at its path (query strings ignored), with its Content-Type.

    :param files: ``{path: (file, content_type)}``
    :param workdir: an empty directory for the configuration, logs and temporary files
    """
    port = free_port()
    conf = workdir / "nginx.conf"
    conf.write_text(_nginx_conf(files, workdir, port), encoding="utf-8")
    log = workdir / "nginx.log"
    command = [_nginx_binary(), "-p", str(workdir), "-c", str(conf), "-e", str(workdir / "error.log")]
    with log.open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    with _stopped_after(process):
        server = Server("nginx", f"http://127.0.0.1:{port}", log)
        _wait_ready(process, server, next(iter(files)))
        yield server


@contextmanager
def exported_nginx(prefix: Path, port: int, ready_path: str) -> Iterator[Server]:
    """nginx running the configuration ``briefs export PREFIX --listen 127.0.0.1:PORT`` wrote, as its docs
    say (``nginx -p PREFIX -c nginx.conf``), in the foreground; as root, with workers that may read a
    private temporary directory."""
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    log = prefix / "logs" / "error.log"
    command = [_nginx_binary(), "-p", str(prefix), "-c", "nginx.conf", "-e", str(log), "-g", directives]
    with (prefix / "logs" / "nginx.out").open("ab") as output:
        process = subprocess.Popen(command, stdout=output, stderr=subprocess.STDOUT)
    with _stopped_after(process):
        server = Server("export", f"http://127.0.0.1:{port}", log)
        _wait_ready(process, server, ready_path)
        yield server


@contextmanager
def topology(run_dir: Path, settings: dict[str, str]) -> Iterator[Server]:
    """The production topology (``deploy/topology.py``, what ``make serve-production`` runs): nginx on a
    free port in front of one gunicorn replica on a Unix socket, with the replica's ``BRIEFS_*``
    ``settings``. Its log is the replica's (gunicorn's events)."""
    from deploy.topology import production  # noqa: PLC0415 - it needs the limits package of the app's venv

    with production(run_dir, free_port(), [settings]) as running:
        yield Server("topology", running.base, run_dir / "replica-0.log")


def nginx_available() -> bool:
    """Whether an nginx binary is installed (``bash bench/install.sh --nginx``)."""
    return bool(_nginx_binary())


def _nginx_binary() -> str:
    return shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")


def _nginx_conf(files: dict[str, tuple[Path, str]], workdir: Path, port: int) -> str:
    locations = "\n".join(
        f"        location = {path.split('?')[0]} {{ types {{}} default_type {content_type}; alias {file}; }}"
        for path, (file, content_type) in files.items()
    )
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "\n".join(f"    {kind}_temp_path {workdir}/{kind};" for kind in kinds)
    user = "user root;" if os.geteuid() == 0 else ""  # the workers must read files in a 0700 temporary directory
    return f"""daemon off;
master_process on;
worker_processes auto;
pid {workdir}/nginx.pid;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log {workdir}/access.log combined buffer=64k flush=1s;
{temp}
    server {{
        listen 127.0.0.1:{port};
{locations}
    }}
}}
"""


@contextmanager
def _stopped_after(process: subprocess.Popen[bytes]) -> Iterator[None]:
    """Stop the process when the block ends: SIGTERM, then SIGKILL if it lingers."""
    try:
        yield
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(process: subprocess.Popen[bytes], server: Server, path: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with LOCAL.open(server.base + path, timeout=5) as response:
                if response.status == 200:
                    return
        except OSError:  # refused while starting, or an HTTP error
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            tail = server.log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"{server.name} did not start (log {server.log}):\n{tail}")
        time.sleep(0.1)
