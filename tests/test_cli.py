"""The ``briefs`` command as an author uses it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from api.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def test_check_passes_on_the_project_content(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--content", str(ROOT / "content")]) == 0
    out = capsys.readouterr().out
    assert (
        "briefs/sochi-summit-2021.md: ok, 4 sections, 3 factors, 2 expectations, 2 scenarios, 3 strategy elements"
        in out
    )


def test_check_reports_every_error_with_file_and_line(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (content / "briefs" / "broken.md").write_text(
        "---\nid: broken\ntitle: Broken\npublished: 2024-13-45\n---\n\n::: {.factors}\nx\n:::\n", encoding="utf-8"
    )
    assert main(["check", "--content", str(content)]) == 1
    captured = capsys.readouterr()
    assert f"{content}/briefs/broken.md:4: 'published' '2024-13-45' is not a valid date (YYYY-MM-DD)" in captured.err
    assert (
        f"{content}/briefs/broken.md:7: unknown block type 'factors' "
        "(known: expectation, factor, scenario, strategy-element)" in captured.err
    )
    assert "briefs/sochi-summit-2021.md: ok" in captured.out, "the other briefs still load"


def test_content_dir_comes_from_the_environment(
    content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (content / "briefs" / "sochi-summit-2021.md").rename(content / "briefs" / "renamed.md")
    monkeypatch.setenv("BRIEFS_CONTENT_DIR", str(content))
    assert main(["check"]) == 1
    assert "id 'sochi-summit-2021' must equal the file name 'renamed.md'" in capsys.readouterr().err


def test_dump_prints_the_brief_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dump", "sochi-summit-2021", "--content", str(ROOT / "content")]) == 0
    brief = json.loads(capsys.readouterr().out)
    assert brief["id"] == "sochi-summit-2021"
    assert [s["id"] for s in brief["sections"]] == ["lead", "significance", "outlook", "context"]
    assert "“mini-summit”" in brief["sections"][0]["text"], "Unicode is not escaped"


def test_dump_of_an_unknown_brief_says_which_exist(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dump", "nope", "--content", str(ROOT / "content")]) == 1
    assert "no valid brief 'nope'" in capsys.readouterr().err


def test_build_reports_what_it_did_and_then_that_it_is_up_to_date(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.sqlite"
    assert main(["build", "--content", str(content), "--output", str(output)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith(f"{output}: 1 briefs (1 parsed, 0 unchanged, 0 removed), content version ")
    assert "versions: the content directory is not in a git repository" in captured.err
    assert main(["build", "--content", str(content), "--output", str(output)]) == 0
    assert "1 briefs (up to date)" in capsys.readouterr().out


def test_build_strict_fails_on_content_errors_and_a_failed_build_names_its_file(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (content / "briefs" / "broken.md").write_text("---\nid: broken\n---\n", encoding="utf-8")
    output = tmp_path / "out.sqlite"
    assert main(["build", "--content", str(content), "--output", str(output)]) == 0
    assert main(["build", "--strict", "--content", str(content), "--output", str(output)]) == 1
    assert "broken.md:" in capsys.readouterr().err
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("a file where the output folder should be")
    assert main(["build", "--content", str(content), "--output", str(blocked / "out.sqlite")]) == 1
    assert "the build failed" in capsys.readouterr().err


def test_build_refuses_a_missing_content_directory_and_an_output_that_is_not_an_artifact(
    content: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "out.sqlite"
    assert main(["build", "--content", str(tmp_path / "contnet"), "--output", str(output)]) == 1
    assert capsys.readouterr().err == (
        f"briefs: {tmp_path / 'contnet'}: content directory not found; set BRIEFS_CONTENT_DIR or --content; "
        "nothing was built\n"
    )
    assert not output.exists()
    readme = tmp_path / "README.md"
    readme.write_text("# Read me\n", encoding="utf-8")
    assert main(["build", "--content", str(content), "--output", str(readme)]) == 1
    assert capsys.readouterr().err == (
        f"briefs: {readme} is not a briefs artifact; not replacing it (remove it, or choose another output file); "
        "nothing was built\n"
    )
    assert readme.read_text(encoding="utf-8") == "# Read me\n"


def test_output_cut_short_by_its_reader_stops_quietly() -> None:
    """``briefs dump ID | head`` stops when head does, with no traceback."""
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "dump", "sochi-summit-2021", "--content", str(ROOT / "content")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
    )  # fmt: skip
    assert process.stdout is not None
    process.stdout.close()  # the reader is gone before the brief is written
    _, err = process.communicate(timeout=60)
    assert err.decode() == ""
    assert process.returncode == 141
