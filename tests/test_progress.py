"""Progress of long work: plain lines in a CI log, a bar on a terminal."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from api import cli
from api.progress import Progress, format_duration, track

ROOT = Path(__file__).resolve().parent.parent


class Clock:
    """A clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


class Terminal(io.StringIO):
    """Output that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def _build(count: int, seconds_each: float, clock: Clock) -> Iterator[int]:
    """Items that take ``seconds_each`` each, like briefs being built."""
    for item in range(count):
        clock.now += seconds_each
        yield item


def test_log_lines_every_interval_and_a_closing_line() -> None:
    clock, log = Clock(), io.StringIO()
    for _ in track(_build(10, 1.5, clock), "built", total=10, unit="briefs", stream=log, interval=5, clock=clock):
        pass
    assert log.getvalue() == (
        "built 4/10 briefs (40%), 6.0 s, about 9.0 s left\n"
        "built 8/10 briefs (80%), 12.0 s, about 3.0 s left\n"
        "built 10/10 briefs in 15.0 s\n"
    )


def test_quick_work_writes_only_the_closing_line() -> None:
    clock, log = Clock(), io.StringIO()
    items = list(track(range(3), "exported", unit="briefs", stream=log, clock=clock))
    assert items == [0, 1, 2]
    assert log.getvalue() == "exported 3/3 briefs in 0.0 s\n"


def test_quick_work_within_quiet_for_writes_nothing() -> None:
    clock, log = Clock(), io.StringIO()
    with Progress(3, "parsed", unit="briefs", stream=log, quiet_for=1.0, clock=clock) as progress:
        clock.now += 0.5
        progress.update(3)
    assert log.getvalue() == ""


def test_slow_work_within_quiet_for_still_reports() -> None:
    clock, log = Clock(), io.StringIO()
    with Progress(3, "parsed", unit="briefs", stream=log, quiet_for=1.0, clock=clock) as progress:
        clock.now += 2.5
        progress.update(3)
    assert log.getvalue() == "parsed 3/3 briefs in 2.5 s\n"


def test_a_total_learned_later_and_an_unknown_one() -> None:
    clock, log = Clock(), io.StringIO()
    with Progress(None, "parsed", unit="briefs", stream=log, interval=1, clock=clock) as progress:
        clock.now += 2
        progress.advance(5)
        clock.now += 2
        progress.update(8, total=20)
    assert log.getvalue() == (
        "parsed 5 briefs, 2.0 s\nparsed 8/20 briefs (40%), 4.0 s, about 6.0 s left\nparsed 8/20 briefs in 4.0 s\n"
    )


def test_work_stopped_by_an_error_says_so() -> None:
    clock, log = Clock(), io.StringIO()
    with pytest.raises(OSError), Progress(10, "exported", unit="briefs", stream=log, clock=clock) as progress:
        progress.advance(4)
        clock.now += 3
        raise OSError("disk full")
    assert log.getvalue() == "exported 4/10 briefs in 3.0 s (stopped by OSError)\n"


def test_stopping_early_on_purpose_is_not_an_error() -> None:
    clock, log = Clock(), io.StringIO()
    for item in track(range(10), "parsed", unit="briefs", stream=log, clock=clock):
        if item == 2:
            break
    assert log.getvalue() == "parsed 2/10 briefs in 0.0 s\n"


def test_a_terminal_gets_a_bar_with_counts_and_time_left() -> None:
    terminal = Terminal()
    for _ in track(range(3), "built", unit="briefs", stream=terminal):
        pass
    screen = terminal.getvalue()
    assert "\r" in screen, "the bar redraws itself in place"
    assert "built: 100%" in screen
    assert "3/3 [" in screen
    assert "<00:00" in screen, "elapsed<remaining"
    assert "built 3/3 briefs in" not in screen, "no log lines on a terminal"


def test_a_transient_bar_is_cleared_at_the_end() -> None:
    terminal = Terminal()
    with Progress(2, "parsed", unit="briefs", stream=terminal, transient=True) as progress:
        progress.advance(2)
    assert terminal.getvalue().endswith("\r")
    assert not terminal.getvalue().endswith("\n")


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0.0 s"), (41.24, "41.2 s"), (59.96, "1 min 00 s"), (185, "3 min 05 s"), (7625, "2 h 07 min")],
)
def test_durations_read_naturally(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


def test_check_shows_parsing_progress_on_stderr_only_when_it_is_slow(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["check", "--content", str(ROOT / "content")]
    assert cli.main(argv) == 0
    quick = capsys.readouterr()
    assert quick.err == "", "small content checks exactly as before"
    monkeypatch.setattr(cli, "CHECK_QUIET_FOR", 0.0)  # as if parsing had taken long
    assert cli.main(argv) == 0
    slow = capsys.readouterr()
    assert slow.out == quick.out, "progress never touches stdout"
    assert re.fullmatch(r"parsed 1/1 briefs in \d+\.\d s\n", slow.err)


def test_a_terminal_shows_nothing_for_work_quicker_than_quiet_for() -> None:
    terminal = Terminal()
    with Progress(None, "parsed", unit="briefs", stream=terminal, quiet_for=5.0, transient=True) as progress:
        progress.update(3, total=3)
    assert terminal.getvalue() == ""
