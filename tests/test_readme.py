"""The README's journalist recipes run against a live server, so none of them rots."""

from __future__ import annotations

import json
import re
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.live import ROOT, live_server
from tests.test_versions import Repo

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


def _recipe(starting: str) -> str:
    return next(recipe for recipe in RECIPES if recipe.startswith(starting))


def _run(recipe: str, server: str, cwd: Path) -> str:
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", recipe], cwd=cwd, env={"BRIEFS": server, "PATH": "/usr/bin:/bin"},
        capture_output=True, text=True, timeout=30, check=True,
    )  # fmt: skip
    return result.stdout


def _version(server: str) -> int | None:
    with urllib.request.urlopen(f"{server}/v1/briefs/sochi-summit-2021") as answer:
        version = json.load(answer)["version"]
    assert version is None or isinstance(version, int)
    return version


def _wait_for_version(server: str, wanted: int | None, seconds: float = 15) -> None:
    deadline = time.monotonic() + seconds
    while _version(server) != wanted:
        assert time.monotonic() < deadline, f"version {wanted} not served within {seconds} s"
        time.sleep(0.2)


def test_the_version_recipes_over_a_history_that_changes(tmp_path: Path) -> None:
    """The two recipes for journalists on a server whose content repository gets a new commit:
    the change is listed, and the text quoted before it is still served by its permalink.
    The commit leaves the working tree as it was (the edit was already there): HEAD alone
    must bring the new version, within the reload time."""
    repo = Repo(tmp_path / "repo")
    repo.commit("Publish the Sochi brief")
    changed_since = _recipe("QUOTED=1;")
    as_quoted = _recipe("LINK=$(")
    # The default reload interval (the suite's default is 0: no watcher).
    with live_server(repo.root / "content", env={"BRIEFS_RELOAD_INTERVAL": "2"}) as live:
        assert _run(changed_since, live.base, tmp_path).startswith("unchanged since version 1")
        quoted = _run(as_quoted, live.base, tmp_path)
        link = json.loads(urllib.request.urlopen(f"{live.base}/v1/actors/vladimir-putin/mentions?per_page=1").read())
        permalink = link["items"][0]["citation"]["permalink"]
        repo.edit("offered an essential return", "offered a welcome return")
        _wait_for_version(live.base, None)  # an uncommitted edit: served, with no version
        repo.commit("Reword the first factor")
        _wait_for_version(live.base, 2)
        assert "changed\tfactor return-to-diplomacy" in _run(changed_since, live.base, tmp_path).split("\n")
        again = urllib.request.urlopen(f"{live.base}{permalink}").read().decode()
        assert quoted.split(": ", 1)[1].strip() in json.loads(again)["text"]
