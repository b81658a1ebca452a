"""Content errors in the formats of ``briefs check --format``: text, JSON and GitHub workflow commands."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

from briefs.errors import ContentError

FORMATS = ("text", "json", "github")
"""The values of ``--format``; the first is the default."""

SEVERITY = "error"
"""Every content error keeps a brief from being served: there are no warnings yet."""


def error_records(errors: Iterable[ContentError]) -> list[dict[str, str | int]]:
    """The errors as JSON objects ``{path, line, message, severity}``."""
    return [
        {"path": error.path, "line": error.line, "message": error.message, "severity": SEVERITY} for error in errors
    ]


def json_report(errors: Iterable[ContentError]) -> str:
    """The errors as a JSON list of :func:`error_records`."""
    return json.dumps(error_records(errors), ensure_ascii=False, indent=2)


def github_command(error: ContentError, root: Path, cwd: Path) -> str:
    """One ``::error file=…,line=…::message`` workflow command, with the file relative to ``root``.

    The error's path is as the author gave it, so relative paths are taken from ``cwd``.
    """
    path = os.path.relpath(os.path.realpath(cwd / error.path), os.path.realpath(root))
    file = Path(path).as_posix()
    return f"::error file={escape_property(file)},line={error.line}::{escape_data(error.message)}"


def escape_data(text: str) -> str:
    """Escape a workflow command's message, as GitHub's runner unescapes it."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a workflow command's property value, which also may not hold ``:`` or ``,``."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repository_root(content_dir: str | os.PathLike[str], cwd: Path) -> Path:
    """The root of the git repository holding ``content_dir``, else ``cwd``.

    A missing content directory is looked up from its nearest existing parent.
    """
    start = (cwd / content_dir).absolute()
    while not start.is_dir() and start != start.parent:
        start = start.parent
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True, check=False
        )
    except OSError:  # no git on this machine
        return cwd
    top = result.stdout.strip()
    return Path(top) if result.returncode == 0 and top else cwd
