"""``briefs --help`` and each command's help teach by example, and the examples are real invocations."""

from __future__ import annotations

import re
import shlex

import pytest

from api.cli import _parser

COMMANDS = ["check", "dump", "new"]


def _help(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_info:
        _parser().parse_args([*argv, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def _examples(help_text: str) -> list[str]:
    """The command lines under ``examples:``, without their explanations."""
    section = help_text.split("\nexamples:\n", 1)[1].split("\n\n", 1)[0]
    return [re.split(r" {2,}", line.strip(), maxsplit=1)[0] for line in section.splitlines()]


@pytest.mark.parametrize("argv", [[], *([command] for command in COMMANDS)], ids=["briefs", *COMMANDS])
def test_help_gives_examples_that_the_command_accepts(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    examples = _examples(_help(argv, capsys))
    assert examples, "an examples section"
    for example in examples:
        words = shlex.split(example.split(" | ", 1)[0])
        while "=" in words[0]:  # an environment variable set for the command
            words.pop(0)
        assert words[0] == "briefs"
        if argv:
            assert words[1] == argv[0], f"{example!r} shows the command whose help it is in"
        _parser().parse_args(words[1:])  # exits with status 2 if argparse rejects it


def test_main_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help([], capsys)
    for command in COMMANDS:
        assert re.search(rf"^    {command} +\S", text, flags=re.M), f"{command} with its one-line help"


def test_check_help_explains_each_format(capsys: pytest.CaptureFixture[str]) -> None:
    text = _help(["check"], capsys)
    assert "--format {text,json,github}" in text
    for line in ("  text    path:line: message", "  json    a JSON list of {path, line, message, severity}"):
        assert line in text
    assert "  github  ::error file=...,line=...::message" in text
