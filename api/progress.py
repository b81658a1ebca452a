"""Progress of long work: a bar on a terminal, plain log lines anywhere else.

On a terminal, :class:`Progress` draws a tqdm bar with counts, rate and time
left. Anywhere else (a CI log, a pipe, a file) carriage returns would only
garble the log, so it writes a plain line every ``interval`` seconds and a
closing line::

    parsed 4000/10000 briefs (40%), 16.4 s, about 24.6 s left
    parsed 10000/10000 briefs in 41.2 s

Progress goes to standard error, so it never mixes with a command's output.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sized
from types import TracebackType
from typing import Any, TextIO, TypeVar

from tqdm import tqdm

T = TypeVar("T")


class Progress:
    """How many of ``total`` items are done, shown on ``stream``.

    :param total: how many items there are; None while unknown (:meth:`update` can tell it later)
    :param description: what is done to each item, in the past tense, such as ``parsed``
    :param unit: what the items are, in the plural, such as ``briefs``
    :param stream: where progress goes; standard error when None
    :param interval: seconds between plain lines when ``stream`` is not a terminal
    :param quiet_for: work that ends within this many seconds shows nothing at all
    :param transient: on a terminal, clear the bar at the end instead of leaving it
    :param clock: the time in seconds; tests pass a fake one
    """

    def __init__(
        self,
        total: int | None,
        description: str,
        *,
        unit: str = "items",
        stream: TextIO | None = None,
        interval: float = 10.0,
        quiet_for: float = 0.0,
        transient: bool = False,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.total = total
        self.done = 0
        self.description = description
        self.unit = unit
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.quiet_for = quiet_for
        self._clock = clock
        self._started = clock()
        self._next_line = self._started + interval
        self._lines = 0
        self._closed = False
        self._bar: tqdm[Any] | None = None
        if is_terminal(self.stream):
            self._bar = tqdm(
                total=total, desc=description, unit=f" {unit}", file=self.stream,
                leave=not transient, delay=quiet_for, dynamic_ncols=True,
            )  # fmt: skip

    def __enter__(self) -> Progress:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        stopped = exc_type is not None and not issubclass(exc_type, GeneratorExit)
        self.close(stopped_by=exc_type.__name__ if stopped and exc_type is not None else None)

    def advance(self, count: int = 1) -> None:
        """Count ``count`` more items as done."""
        self.update(self.done + count)

    def update(self, done: int, total: int | None = None) -> None:
        """Set how many items are done, and the total if it is known now."""
        if total is not None and total != self.total:
            self.total = total
            if self._bar is not None:
                self._bar.total = total
        step, self.done = done - self.done, done
        if self._bar is not None:
            self._bar.update(step)
            return
        now = self._clock()
        if now >= self._next_line:
            self._write(self._running_line(now - self._started))
            self._next_line = now + self.interval

    def close(self, stopped_by: str | None = None) -> None:
        """End the bar, or write the closing line (unless the work was quick and nothing was shown)."""
        if self._closed:
            return
        self._closed = True
        if self._bar is not None:
            self._bar.close()
            return
        elapsed = self._clock() - self._started
        if self._lines or elapsed >= self.quiet_for or stopped_by:
            stopped = f" (stopped by {stopped_by})" if stopped_by else ""
            self._write(f"{self.description} {self._count()} {self.unit} in {format_duration(elapsed)}{stopped}")

    def _count(self) -> str:
        return f"{self.done}" if self.total is None else f"{self.done}/{self.total}"

    def _running_line(self, elapsed: float) -> str:
        line = f"{self.description} {self._count()} {self.unit}"
        if not self.total:
            return f"{line}, {format_duration(elapsed)}"
        line += f" ({100 * self.done // self.total}%), {format_duration(elapsed)}"
        if 0 < self.done <= self.total:
            line += f", about {format_duration(elapsed / self.done * (self.total - self.done))} left"
        return line

    def _write(self, line: str) -> None:
        self._lines += 1
        print(line, file=self.stream, flush=True)


def track(items: Iterable[T], description: str, *, total: int | None = None, **options: Any) -> Iterator[T]:
    """Yield ``items``, showing progress as each one is done (see :class:`Progress` for ``options``).

    >>> for path in track(paths, "exported", unit="briefs"):  # doctest: +SKIP
    ...     export(path)
    """
    if total is None and isinstance(items, Sized):
        total = len(items)
    with Progress(total, description, **options) as progress:
        for item in items:
            yield item
            progress.advance()


def is_terminal(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal, where a bar can redraw itself."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError, OSError):  # a closed or file-less stream
        return False


def format_duration(seconds: float) -> str:
    """``41.2 s``, ``3 min 05 s`` or ``2 h 07 min``."""
    if round(seconds, 1) < 60:
        return f"{seconds:.1f} s"
    whole = round(seconds)
    if whole < 3600:
        return f"{whole // 60} min {whole % 60:02d} s"
    return f"{whole // 3600} h {whole % 3600 // 60:02d} min"
