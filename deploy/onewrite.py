"""gunicorn sends a response's header and its first body bytes in one write.

gunicorn writes the status line and headers with one ``sendall`` and the body with another.
A replica lost between the two (a machine gone, ``SIGKILL``) leaves nginx with a complete
header and a truncated body: nginx has already begun the answer to its client, so it cannot
try the request on another replica, and the client sees a broken response. That was the
rare failure of ``tests/test_production.py`` when it kills a replica under load.

Sent as one write, a response that fits in the socket's buffer (every stored response here
does) reaches nginx whole or not at all; not at all means nginx reads nothing, or a reset,
before the header, and tries the next replica (``proxy_next_upstream error``). It also saves
a system call per response.

``gunicorn.conf.py`` calls :func:`install` (the master loads it before forking workers).
"""

from __future__ import annotations

from typing import Any

from gunicorn import util
from gunicorn.http import wsgi


class OneWriteResponse(wsgi.Response):  # type: ignore[misc]
    """A :class:`gunicorn.http.wsgi.Response` whose header leaves with the first body bytes."""

    headers_sent: bool

    def write(self, arg: Any) -> None:
        """As gunicorn's, but the header, when not sent yet, goes in the same ``sendall``."""
        if (
            self.headers_sent
            or self.chunked
            or getattr(self, "_omits_body", False)  # HEAD, 204, 304: gunicorn drops the body itself
            or not isinstance(arg, bytes)
            or not arg
        ):
            super().write(arg)
            return
        if self.response_length is not None:
            arg = arg[: self.response_length]  # never more than Content-Length, as gunicorn does
        tosend = self.default_headers()
        tosend.extend(["%s: %s\r\n" % (k, v) for k, v in self.headers])  # noqa: UP031 (gunicorn's own format)
        header = util.to_bytestring("%s\r\n" % "".join(tosend), "latin-1")  # noqa: UP031
        self.sock.sendall(header + arg)
        self.headers_sent = True
        self.sent += len(arg)


def install() -> None:
    """Make every response gunicorn creates from now on a :class:`OneWriteResponse`."""
    wsgi.Response = OneWriteResponse
