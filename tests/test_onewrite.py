"""deploy/onewrite.py: gunicorn's header and the body leave in one write, so a replica killed
mid-answer hands nginx all of a response or none of it (tests/test_production.py kills one)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from gunicorn.config import Config
from gunicorn.http import wsgi

from deploy.onewrite import OneWriteResponse, install


class Socket:
    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def sendall(self, data: bytes) -> None:
        self.writes.append(bytes(data))


def _response(method: str = "GET") -> tuple[OneWriteResponse, Socket]:
    sock = Socket()
    request = SimpleNamespace(method=method, version=(1, 1), should_close=lambda: True, headers=[], path="/v1")
    return OneWriteResponse(request, sock, Config()), sock


@pytest.mark.parametrize("body", [b'{"title": "Sochi"}', b"x" * 100_000])
def test_header_and_body_leave_in_one_write(body: bytes) -> None:
    response, sock = _response()
    response.start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    response.write(body)
    response.close()
    assert len(sock.writes) == 1
    head, sent = sock.writes[0].split(b"\r\n\r\n", 1)
    assert head.startswith(b"HTTP/1.1 200 OK\r\n") and b"Content-Length: %d" % len(body) in head
    assert sent == body


def test_never_more_than_content_length_and_later_chunks_follow() -> None:
    response, sock = _response()
    response.start_response("200 OK", [("Content-Length", "5")])
    response.write(b"abc")
    response.write(b"defgh")
    response.close()
    assert b"".join(sock.writes).split(b"\r\n\r\n", 1)[1] == b"abcde"


def test_a_response_without_a_body_still_sends_its_header() -> None:
    response, sock = _response("HEAD")
    response.start_response("304 Not Modified", [("ETag", 'W/"1"')])
    response.write(b"")
    response.close()
    assert b"".join(sock.writes).startswith(b"HTTP/1.1 304 Not Modified\r\n")


def test_install_makes_it_gunicorns_response(monkeypatch: Any) -> None:
    monkeypatch.setattr(wsgi, "Response", wsgi.Response)
    install()
    assert wsgi.Response is OneWriteResponse
