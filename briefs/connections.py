"""One SQLite connection per thread, opened anew in a forked child: connections must not cross fork()."""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable

Connect = Callable[[], sqlite3.Connection]
"""Opens a new read-only connection to a database; ``check_same_thread=False``, since the
connection of a thread that ended is closed by whichever thread collects it."""


class _Held:
    """A connection and the process that opened it; closed when no longer held (its thread
    ended, or its owner was collected), in that process only. Python 3.13 warns about a
    connection collected unclosed, and it keeps a file descriptor open until then."""

    __slots__ = ("conn", "pid")

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.pid = os.getpid()

    def close(self) -> None:
        if self.pid == os.getpid():
            self.conn.close()

    def __del__(self) -> None:
        self.close()


class _Local(threading.local):
    held: _Held | None = None


class ThreadConnections:
    """This thread's connection to one database, made by ``connect`` when first asked for."""

    def __init__(self, connect: Connect) -> None:
        self._connect = connect
        self._local = _Local()
        self._inherited: list[_Held] = []

    def get(self) -> sqlite3.Connection:
        """This thread's connection."""
        held = self._local.held
        if held is None or held.pid != os.getpid():
            if held is not None:
                # One inherited from the parent is neither used nor closed, only kept from the garbage collector.
                self._inherited.append(held)
            held = self._local.held = _Held(self._connect())
        return held.conn

    def close(self) -> None:
        """Close this thread's connection (those of other threads close when their thread ends
        or this object is collected)."""
        if self._local.held is not None and self._local.held.pid == os.getpid():
            self._local.held.close()
            self._local.held = None
