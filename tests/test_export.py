"""The static export: nginx over `briefs export` answers as the application does, byte for byte and
header for header, on every exported path, and passes everything else to the application."""

from __future__ import annotations

import http.client
import io
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from api.cli import main
from api.export import export_artifact
from api.progress import Progress
from briefs.reader import Artifact
from tests.live import ROOT, free_port, live_server, nginx_server

BRIEFS_BIN = Path(sys.executable).parent / "briefs"
SOCHI = "/v1/briefs/sochi-summit-2021"
TRANSPORT = {"date", "server", "connection", "keep-alive"}
"""Headers of the connection, not of the representation."""
RATE_LIMIT = {"x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "retry-after"}
"""The application's count of this client: a file counts nothing (a CDN in front limits)."""
ENCODINGS = ["", "gzip", "gzip, deflate, br", "br;q=1.0, gzip;q=0.8, *;q=0.1", "gzip;q=0", "identity"]


@pytest.fixture(scope="module")
def work() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="briefs-export-"))  # short: nginx's Unix socket lives in it
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="module")
def artifact(work: Path) -> Path:
    output = work / "briefs.sqlite"
    subprocess.run([BRIEFS_BIN, "build", "--content", str(ROOT / "content"), "--output", str(output)], check=True,
                   capture_output=True)  # fmt: skip
    return output


def test_export_writes_every_stored_response_and_a_configuration_nginx_accepts(work: Path, artifact: Path) -> None:
    out = work / "checked"
    assert main(["export", str(out), "--artifact", str(artifact)]) == 0
    stored = Artifact(str(artifact))
    for path in stored.response_keys():
        entry = stored.response(path)
        assert entry is not None
        assert (out / "files" / f"{path[1:]}.json").read_bytes() == entry.body
        gz = out / "files" / f"{path[1:]}.json.gz"
        assert (gz.read_bytes() if gz.exists() else None) == entry.gzipped
    conf = (out / "nginx.conf").read_text()
    assert "listen 127.0.0.1:8080;" in conf and "proxy_pass http://127.0.0.1:8000;" in conf
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    check = subprocess.run([nginx, "-t", "-p", str(out), "-c", "nginx.conf", "-e", str(out / "logs/error.log")],
                           capture_output=True, text=True, check=False)  # fmt: skip
    assert check.returncode == 0, check.stderr


def test_export_reports_its_progress_as_briefs_build_does(work: Path, artifact: Path) -> None:
    seen: list[tuple[int, int]] = []
    stored = Artifact(str(artifact))
    export_artifact(stored, work / "progress", "127.0.0.1:8080", "http://127.0.0.1:8000",
                    progress=lambda done, total: seen.append((done, total)))  # fmt: skip
    total = len(stored.response_keys())
    assert seen == [(done, total) for done in range(1, total + 1)]
    # Off a terminal, api.progress.Progress writes a plain line every 10 s, and a last one.
    lines = io.StringIO()
    with Progress(None, "exported", unit="responses", stream=lines) as progress:
        export_artifact(stored, work / "lines", "127.0.0.1:8080", "http://127.0.0.1:8000", progress=progress.update)
    assert lines.getvalue().startswith(f"exported {total}/{total} responses in "), lines.getvalue()


def test_an_upstream_that_is_not_a_base_url_is_refused(work: Path, artifact: Path) -> None:
    assert main(["export", str(work / "refused"), "--artifact", str(artifact), "--upstream", "ftp://x/y"]) == 1


def _fetch(port: int, method: str, path: str, headers: dict[str, str]) -> tuple[int, list[tuple[str, str]], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        kept = sorted((k.lower(), v) for k, v in response.getheaders() if k.lower() not in TRANSPORT | RATE_LIMIT)
        return response.status, kept, body
    finally:
        connection.close()


def _variants(tag: str) -> Iterator[tuple[str, dict[str, str]]]:
    for encoding in ENCODINGS:
        yield "GET", {"Accept-Encoding": encoding} if encoding else {}
    gz_tag = tag[:-1] + '-gz"'
    yield "HEAD", {"Accept-Encoding": "gzip"}
    yield "GET", {"If-None-Match": tag}
    yield "GET", {"If-None-Match": f'"other", W/{gz_tag}', "Accept-Encoding": "gzip"}
    yield "HEAD", {"If-None-Match": "*"}
    yield "GET", {"If-None-Match": '"stale"'}


@pytest.mark.server
def test_nginx_over_the_export_answers_as_the_application(work: Path, artifact: Path) -> None:
    app_port, nginx_port = free_port(), free_port()
    out = work / "served"
    assert main(["export", str(out), "--artifact", str(artifact), "--listen", f"127.0.0.1:{nginx_port}",
                 "--upstream", f"http://127.0.0.1:{app_port}"]) == 0  # fmt: skip
    exported = Artifact(str(artifact)).response_keys()
    proxied = [
        ("GET", "/v1/briefs?per_page=5", {}), ("GET", "/v1/search?q=border", {"Accept-Encoding": "gzip"}),
        ("GET", "/v1/briefs/nope", {}), ("GET", f"{SOCHI}?", {}), ("POST", SOCHI, {}),
        ("GET", "/v1/events", {"Accept": "text/csv"}), ("GET", f"{SOCHI}/versions", {}), ("GET", "/readyz", {}),
    ]  # fmt: skip
    with (
        live_server(workers=2, env={"BRIEFS_ARTIFACT": str(artifact)}, port=app_port) as app,
        nginx_server(out, f"http://127.0.0.1:{nginx_port}/v1") as nginx,
    ):
        compared = 0
        for path in exported:
            tag = dict(_fetch(app_port, "GET", path, {})[1])["etag"]
            for method, variant in _variants(tag):
                headers = {**variant, "X-Request-ID": f"export-{compared}"}
                expected = _fetch(app_port, method, path, headers)
                assert _fetch(nginx_port, method, path, headers) == expected, (method, path, headers)
                compared += 1
        for method, path, variant in proxied:
            headers = {**variant, "X-Request-ID": "proxied"}
            expected = _fetch(app_port, method, path, headers)
            assert _fetch(nginx_port, method, path, headers) == expected, (method, path, headers)
        app.process.terminate()
        app.process.wait(timeout=30)
        # Without the application, the files are still served, and the rest is a problem, not a page.
        assert _fetch(nginx_port, "GET", SOCHI, {})[0] == 200
        status, answered, body = _fetch(nginx_port, "GET", "/v1/search?q=border", {})
        assert status == 503 and ("content-type", "application/problem+json") in answered
        assert json.loads(body)["status"] == 503
        assert nginx.poll() is None
    assert compared == len(exported) * 11 and len(exported) >= 50
