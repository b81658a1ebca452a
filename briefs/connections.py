"""One SQLite connection per thread, opened anew in a forked child: connections must not cross fork()."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable

Connect = Callable[[], sqlite3.Connection]
"""Opens a new read-only connection to a database."""


class ClosingConnection(sqlite3.Connection):
    """A connection that closes itself when it is collected.

    A thread's connection lives as long as the reader that opened it (an artifact replaced by a newer
    build, a thread that ended): nothing else knows when it is no longer used. Python 3.13 warns of
    a connection collected unclosed (``ResourceWarning``); this one is closed by then.
    """

    def __del__(self) -> None:
        self.close()


class _Local(threading.local):
    pid: int = -1
    conn: sqlite3.Connection | None = None


class ThreadConnections:
    """This thread's connection to one database, made by ``connect`` when first asked for."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._local = _Local()
        self._inherited: list[sqlite3.Connection] = []

    def get(self) -> sqlite3.Connection:
        """This thread's connection."""
        local = self._local
        if local.conn is None or local.pid != os.getpid():
            if local.conn is not None:
                # One inherited from the parent is never used again; kept, it closes with this object.
                self._inherited.append(local.conn)
            local.conn = self._connect()
            local.pid = os.getpid()
        return local.conn

    def existing(self) -> sqlite3.Connection | None:
        """This thread's connection if it has one, without opening one."""
        local = self._local
        return local.conn if local.conn is not None and local.pid == os.getpid() else None

    def close(self) -> None:
        """Close this thread's connection (others close when collected)."""
        if self._local.conn is not None and self._local.pid == os.getpid():
            self._local.conn.close()
            self._local.conn = None
