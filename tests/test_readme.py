"""The README's journalist recipes run against a live server, so none of them rots."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import ROOT, live_server

README = (ROOT / "README.md").read_text(encoding="utf-8")
JOURNALISTS = README.split("## For journalists", 1)[1].split("\n## ", 1)[0]
RECIPES = re.findall(r"```sh\n(.*?)\n```", JOURNALISTS, flags=re.S)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with live_server() as live:
        yield live.base


def test_there_are_recipes() -> None:
    assert len(RECIPES) >= 5


@pytest.mark.parametrize("recipe", RECIPES, ids=range(len(RECIPES)))
def test_recipe_runs_and_prints_something(server: str, recipe: str, tmp_path: Path) -> None:
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", recipe], cwd=tmp_path, env={"BRIEFS": server, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() and "null" not in result.stdout.split("\n")[0], result.stdout


def test_serve_command_answers_with_the_seed_brief(server: str) -> None:
    out = subprocess.run(["curl", "-s", f"{server}/v1/briefs"], capture_output=True, text=True, check=True).stdout
    assert '"id":"sochi-summit-2021"' in out
