"""The briefs-check pre-commit hook, used as a content repository would use it.

A throwaway content repository lists this project in its
``.pre-commit-config.yaml``; pre-commit installs the project from a commit
(``language: python``, so with pip) and runs the hook on ``git commit``.
The project is a snapshot of this working tree, committed in a temporary
repository, so the test covers uncommitted changes too. pre-commit's own
cache is a temporary directory; pip's cache makes the install quick after
the first run.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from api.cli import _parser

ROOT = Path(__file__).resolve().parent.parent
PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
BROKEN = """\
---
id: kars-talks
title: Talks in Kars
published: 2024-01-01
---

## Background

::: factors
A typo in the type.
:::
"""
FIXED = BROKEN.replace("::: factors", "::: factor")
README_CONTENT = (ROOT / "README.md").read_text(encoding="utf-8").split("\n## Content\n", 1)[1].split("\n## ", 1)[0]


def _git(cwd: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300)


def _environment(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GIT_", "PRE_COMMIT"))}
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-home"),
        GIT_AUTHOR_NAME="Author", GIT_AUTHOR_EMAIL="author@example.org",
        GIT_COMMITTER_NAME="Author", GIT_COMMITTER_EMAIL="author@example.org",
        GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull,
    )  # fmt: skip
    return env


def _snapshot_of_this_project(path: Path, env: dict[str, str]) -> str:
    """This working tree (tracked and untracked files, not ignored ones) committed at ``path``; the commit."""
    listed = _git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard", env=env)
    assert listed.returncode == 0, listed.stderr
    for name in filter(None, listed.stdout.split("\0")):
        source = ROOT / name
        if source.is_file():  # not a file deleted in the working tree
            (path / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, path / name)
    for args in (["init", "-q", "--template="], ["add", "-A"], ["commit", "-q", "-m", "snapshot"]):
        assert _git(path, *args, env=env).returncode == 0
    return _git(path, "rev-parse", "HEAD", env=env).stdout.strip()


def test_readme_shows_the_hook_and_the_ci_step_as_they_are() -> None:
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    blocks = [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", README_CONTENT, flags=re.S)]
    [config] = [block for block in blocks if isinstance(block, dict) and "repos" in block]
    assert [hook["id"] for hook in config["repos"][0]["hooks"]] == [hook["id"] for hook in hooks]
    runs = [item["run"] for block in blocks if isinstance(block, list) for item in block if "run" in item]
    [step] = [run for run in runs if run.startswith("briefs ")]
    words = shlex.split(step)
    assert words[:2] == ["briefs", "check"] and "github" in words
    _parser().parse_args(words[1:])  # exits with status 2 if argparse rejects it


@pytest.mark.slow
def test_hook_blocks_a_broken_brief_and_passes_a_fixed_one(tmp_path: Path) -> None:
    env = _environment(tmp_path)
    project = tmp_path / "briefs-api"
    rev = _snapshot_of_this_project(project, env)
    site = tmp_path / "site"
    shutil.copytree(ROOT / "content" / "entities", site / "content" / "entities")
    config = {"repos": [{"repo": str(project), "rev": rev, "hooks": [{"id": "briefs-check"}]}]}
    (site / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    assert _git(site, "init", "-q", "--template=", env=env).returncode == 0
    installed = subprocess.run([PRE_COMMIT, "install"], cwd=site, env=env, capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr

    (site / "content" / "briefs").mkdir()
    (site / "content" / "briefs" / "kars-talks.md").write_text(BROKEN, encoding="utf-8")
    _git(site, "add", "-A", env=env)
    blocked = _git(site, "commit", "-m", "A brief with a typo", env=env)
    output = blocked.stdout + blocked.stderr
    assert blocked.returncode == 1, output
    assert "briefs check" in output and "Failed" in output, output
    assert (
        "content/briefs/kars-talks.md:9: unknown block type 'factors' "
        "(known: expectation, factor, scenario, strategy-element)" in output
    )
    assert _git(site, "rev-parse", "--verify", "HEAD", env=env).returncode != 0, "nothing was committed"

    (site / "content" / "briefs" / "kars-talks.md").write_text(FIXED, encoding="utf-8")
    _git(site, "add", "-A", env=env)
    passed = _git(site, "commit", "-m", "A brief", env=env)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "briefs check" in passed.stderr and "Passed" in passed.stderr, "git shows the hook's output on stderr"
    assert _git(site, "log", "--format=%s", env=env).stdout == "A brief\n"

    # The hook's environment is the project installed from the commit, not from this
    # working tree: its `briefs new` finds the template, a package data file.
    [briefs] = (tmp_path / "pre-commit-home").glob("repo*/py_env-*/bin/briefs")
    made = subprocess.run(
        [briefs, "new", "second-brief"], cwd=site, env=env, capture_output=True, text=True, check=False
    )
    assert made.returncode == 0, made.stderr
    assert (site / "content" / "briefs" / "second-brief.md").read_text(encoding="utf-8").startswith("---\nid: second-")
