"""``briefs check --format text|json|github``: the exact output of each format on the malformed fixtures."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from api.cli import main
from api.reports import escape_data, escape_property, github_command, repository_root
from briefs.errors import ContentError
from briefs.loader import load_corpus
from tests.briefs.test_fixtures import FIXTURES, FixtureCase, parse_expected_errors, read_fixture_dir

CASES = read_fixture_dir("errors")
UNKNOWN_TYPE = (
    "unknown block type 'factors' (known: expectation, factor, scenario, strategy-element)"
)  # fmt: skip
TWO_ERRORS = """\
---
id: case
title: Case
published: 2024-13-45
---

## Background

::: factors
A typo in the type.
:::
"""


def _repository(path: Path) -> Path:
    """A git repository at ``path`` with a content directory of the fixture entities."""
    (path / "content" / "briefs").mkdir(parents=True)
    (path / "content" / "entities").mkdir()
    shutil.copy(FIXTURES / "entities.yaml", path / "content" / "entities" / "entities.yaml")
    subprocess.run(["git", "init", "-q", "--template=", str(path)], check=True)
    return path


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One repository for all fixture cases: each writes its brief as content/briefs/case.md."""
    return _repository(tmp_path_factory.mktemp("repo"))


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def _reported(expected: FixtureCase, records: list[dict[str, object]]) -> list[str]:
    """The fixture's expectations that the records do not meet (see tests/briefs/test_fixtures.py)."""
    errors = [ContentError(str(r["path"]), int(str(r["line"])), str(r["message"])) for r in records]
    return [str(item) for item in parse_expected_errors(expected) if item.reported != any(map(item.matches, errors))]


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_format_reports_every_error_of_a_malformed_brief(
    case: FixtureCase, repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "content" / "briefs" / "case.md").write_text(case.brief, encoding="utf-8")
    content = str(repo / "content")
    corpus = load_corpus(content)
    errors = corpus.errors
    assert errors, f"{case.where}: the fixture brief has errors"
    path = f"{content}/briefs/case.md"
    monkeypatch.chdir(repo.parent)  # not the repository: github paths are relative to the repository

    status, out, err = _run(["check", "--content", content], capsys)
    assert status == 1
    assert err == "".join(f"{path}:{e.line}: {e.message}\n" for e in errors)
    actors, events = len(corpus.entities.actors), len(corpus.entities.events)
    summary = f"0 briefs, {actors} actors, {events} events, {len(errors)} errors in {content}\n"
    assert out == summary

    status, out, err = _run(["check", "--format", "json", "--content", content], capsys)
    records = json.loads(out)
    assert (status, err) == (1, "")
    assert records == [{"path": path, "line": e.line, "message": e.message, "severity": "error"} for e in errors]
    assert _reported(case, records) == [], f"{case.where}: the fixture's errors are in the JSON"

    status, out, err = _run(["check", "--format", "github", "--content", content], capsys)
    assert (status, err) == (1, "")
    assert out == "".join(f"::error file=content/briefs/case.md,line={e.line}::{e.message}\n" for e in errors) + summary


def test_text_format_is_path_line_message_on_stderr(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repository(tmp_path)
    (repo / "content" / "briefs" / "case.md").write_text(TWO_ERRORS, encoding="utf-8")
    monkeypatch.chdir(repo)
    assert _run(["check", "--content", "content"], capsys) == (
        1,
        "0 briefs, 7 actors, 3 events, 2 errors in content\n",
        "content/briefs/case.md:4: 'published' '2024-13-45' is not a valid date (YYYY-MM-DD)\n"
        f"content/briefs/case.md:9: {UNKNOWN_TYPE}\n",
    )
    assert _run(["check", "--format", "text", "--content", "content"], capsys)[0] == 1


def test_json_format_is_a_list_of_path_line_message_severity(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repository(tmp_path)
    (repo / "content" / "briefs" / "case.md").write_text(TWO_ERRORS, encoding="utf-8")
    monkeypatch.chdir(repo)
    status, out, err = _run(["check", "--format", "json", "--content", "content"], capsys)
    assert (status, err) == (1, "")
    assert out == (
        "[\n"
        "  {\n"
        '    "path": "content/briefs/case.md",\n'
        '    "line": 4,\n'
        "    \"message\": \"'published' '2024-13-45' is not a valid date (YYYY-MM-DD)\",\n"
        '    "severity": "error"\n'
        "  },\n"
        "  {\n"
        '    "path": "content/briefs/case.md",\n'
        '    "line": 9,\n'
        f'    "message": "{UNKNOWN_TYPE}",\n'
        '    "severity": "error"\n'
        "  }\n"
        "]\n"
    )


def test_json_format_of_valid_content_is_an_empty_list(capsys: pytest.CaptureFixture[str]) -> None:
    root = Path(__file__).resolve().parent.parent
    assert _run(["check", "--format", "json", "--content", str(root / "content")], capsys) == (0, "[]\n", "")


def test_github_format_annotates_each_error_relative_to_the_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repository(tmp_path / "site")
    (repo / "content" / "briefs" / "case.md").write_text(TWO_ERRORS, encoding="utf-8")
    monkeypatch.chdir(repo / "content" / "briefs")  # anywhere: the repository root decides
    status, out, err = _run(["check", "--format", "github", "--content", ".."], capsys)
    assert (status, err) == (1, "")
    assert out == (
        "::error file=content/briefs/case.md,line=4::'published' '2024-13-45' is not a valid date (YYYY-MM-DD)\n"
        f"::error file=content/briefs/case.md,line=9::{UNKNOWN_TYPE}\n"
        "0 briefs, 7 actors, 3 events, 2 errors in ..\n"
    )


def test_github_format_outside_a_repository_is_relative_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))  # git must not find a repository around tmp_path
    (tmp_path / "site" / "content" / "briefs").mkdir(parents=True)
    (tmp_path / "site" / "content" / "briefs" / "case.md").write_text(TWO_ERRORS, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    status, out, _ = _run(["check", "--format", "github", "--content", str(tmp_path / "site" / "content")], capsys)
    assert status == 1
    assert out.splitlines()[0] == (
        "::error file=site/content/briefs/case.md,line=4::'published' '2024-13-45' is not a valid date (YYYY-MM-DD)"
    )


def test_github_format_without_git_is_relative_to_the_current_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _repository(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path / "no-git-here"))
    assert repository_root("content", repo) == repo


def test_github_format_of_a_missing_content_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = _repository(tmp_path)
    monkeypatch.chdir(repo)
    assert _run(["check", "--format", "github", "--content", "nowhere/content"], capsys)[:2] == (
        1,
        "::error file=nowhere/content,line=1::content directory not found; set BRIEFS_CONTENT_DIR or --content\n"
        "0 briefs, 0 actors, 0 events, 1 errors in nowhere/content\n",
    )


def test_workflow_command_escapes_message_and_properties(tmp_path: Path) -> None:
    error = ContentError("content/briefs/a,b:c%.md", 3, "100% sure\r\nnext line")
    assert github_command(error, tmp_path, tmp_path) == (
        "::error file=content/briefs/a%2Cb%3Ac%25.md,line=3::100%25 sure%0D%0Anext line"
    )
    assert escape_data("a,b:c") == "a,b:c", "the message keeps ',' and ':'"
    assert escape_property("50%\n,:") == "50%25%0A%2C%3A"
