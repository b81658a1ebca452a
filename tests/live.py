"""Real servers for black-box tests: 127.0.0.1 only, a free port each, always stopped."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class LiveServer:
    """A running gunicorn master."""

    base: str
    """``http://127.0.0.1:PORT``."""
    process: subprocess.Popen[bytes]
    """The master process."""


def _wait_until_ready(base: str, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{base}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start (exit {process.poll()})") from None
            time.sleep(0.1)


@contextmanager
def live_server(
    content_dir: Path = ROOT / "content",
    workers: int = 2,
    env: dict[str, str] | None = None,
    timeout: float = 30,
    log_path: Path | None = None,
    *,
    port: int | None = None,
) -> Iterator[LiveServer]:
    """Start the project's gunicorn configuration and yield it once /readyz answers;
    its log (JSON lines) goes to ``log_path`` if given."""
    port = port or free_port()
    gunicorn = Path(sys.executable).parent / "gunicorn"
    command = [str(gunicorn), "--config", "gunicorn.conf.py", "--no-control-socket", "--bind", f"127.0.0.1:{port}",
               "--workers", str(workers), "api:create_app()"]  # fmt: skip
    environment = {**os.environ, "BRIEFS_CONTENT_DIR": str(content_dir), **(env or {})}
    log = log_path.open("wb") if log_path else subprocess.DEVNULL
    process = subprocess.Popen(command, cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=log)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_ready(base, process, timeout)
        yield LiveServer(base, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log_path:
            log.close()  # type: ignore[union-attr]


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server on 127.0.0.1 (installed by ``make deps``); yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is missing: run `make deps`")
    port = free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def nginx_server(prefix: Path, ready_url: str, timeout: float = 30) -> Iterator[subprocess.Popen[bytes]]:
    """``nginx -p PREFIX -c nginx.conf`` in the foreground (and, as root, with workers that may read a
    private temporary directory); yields once ``ready_url`` answers at all, stops it at the end."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    directives = "daemon off;" + (" user root;" if os.geteuid() == 0 else "")
    command = [
        binary,
        "-p",
        str(prefix),
        "-c",
        "nginx.conf",
        "-e",
        str(prefix / "logs" / "error.log"),
        "-g",
        directives,
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                urllib.request.urlopen(ready_url, timeout=2).close()
                break
            except urllib.error.HTTPError:
                break  # it answers
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start (exit {process.poll()})") from None
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
