"""``briefs new``: a brief from the template that passes ``briefs check`` as written."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

from api.cli import main
from api.scaffold import render_brief
from briefs.blocks import BLOCK_TYPES
from briefs.frontmatter import KEYS as FRONT_MATTER_KEYS

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def content(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "content", tmp_path / "content")
    return tmp_path / "content"


def _dump(content: Path, brief_id: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    capsys.readouterr()  # what came before
    assert main(["dump", brief_id, "--content", str(content)]) == 0
    brief: dict[str, object] = json.loads(capsys.readouterr().out)
    return brief


def test_new_brief_passes_check_as_written(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "kars-talks", "--title", "Talks in Kars", "--content", str(content)]) == 0
    assert capsys.readouterr().out == (
        f"wrote {content}/briefs/kars-talks.md; fill it in, then run: briefs check --content {content}\n"
    )
    assert main(["check", "--content", str(content)]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    assert (
        "briefs/kars-talks.md: ok, 5 sections, 1 factors, 1 expectations, 2 scenarios, 1 strategy elements"
        in captured.out
    )


def test_new_brief_in_an_empty_content_directory_passes_check(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "content").mkdir()
    monkeypatch.chdir(tmp_path)
    assert main(["new", "first-brief"]) == 0
    assert (tmp_path / "content" / "briefs" / "first-brief.md").is_file()
    assert main(["check"]) == 0
    assert capsys.readouterr().out.endswith("1 briefs, 0 actors, 0 events, 0 errors in content\n")


def test_new_honours_the_content_directory_of_the_environment(
    content: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BRIEFS_CONTENT_DIR", str(content))
    assert main(["new", "kars-talks"]) == 0
    assert _dump(content, "kars-talks", capsys)["title"] == "Kars talks", "a title made from the id"


def test_the_served_brief_shows_none_of_the_comments(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["new", "kars-talks", "--content", str(content)])
    served = json.dumps(_dump(content, "kars-talks", capsys), ensure_ascii=False)
    assert "priority-for" not in served
    assert "Optional keys" not in served
    assert "Vladimir Putin" not in served


def test_a_title_with_quotes_and_colons_is_kept_as_given(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    title = 'After Sochi: "mini-summit", 50% – and #hashtags'
    assert main(["new", "after-sochi", "--title", title, "--content", str(content)]) == 0
    brief = _dump(content, "after-sochi", capsys)
    assert brief["title"] == title
    assert brief["published"] == dt.date.today().isoformat()


def test_the_template_shows_every_block_type_with_every_attribute() -> None:
    template = render_brief("x", "X", dt.date(2024, 1, 1))
    front_matter, body = template.split("\n---\n", 1)
    for block_type in BLOCK_TYPES.values():
        assert f"{{.{block_type.name} " in body, f"a {block_type.name} block in the body"
        [example] = [line for line in _commented_fences(front_matter) if f"{{.{block_type.name} " in line]
        for attribute in block_type.attributes:
            assert f" {attribute}=" in example, f"{block_type.name} with {attribute}"
        assert f"#       {block_type.name}: " in front_matter, f"a comment that says what a {block_type.name} is"
    for key in FRONT_MATTER_KEYS:
        assert re.search(rf"^(# )?{key}:", front_matter, flags=re.M), f"front matter key {key}"


def _commented_fences(front_matter: str) -> list[str]:
    return re.findall(r"^# +(:{3,} \{.*\})$", front_matter, flags=re.M)


def _put_to_use(template: str) -> str:
    """A brief with the template's optional front matter keys and commented examples put to use."""
    front_matter = template.split("\n---\n", 1)[0]
    required = front_matter.split("\n")[:4]
    optional = front_matter.split("# Optional keys", 1)[1].split("\n#\n", 1)[0].split("\n")[1:]
    fences = {fence.split()[1].split(".")[1]: fence for fence in _commented_fences(front_matter)}
    [mention] = re.findall(r"^# +(\[.*\}\.)$", front_matter, flags=re.M)
    body = [
        mention, "", "## Examples", "",
        fences["factor"], "A factor.", ":::", "",
        fences["expectation"], "An expectation.", "", fences["scenario"], "A scenario.", ":::", "::::", "",
        fences["strategy-element"], "A strategy element.", ":::",
    ]  # fmt: skip
    return "\n".join([*required, *(line.removeprefix("# ") for line in optional), "---", "", *body, ""])


def test_the_commented_examples_are_valid_when_put_to_use(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _put_to_use(render_brief("kars-talks", "Talks in Kars", dt.date(2024, 1, 1)))
    (content / "briefs" / "kars-talks.md").write_text(text, encoding="utf-8")
    assert main(["check", "--content", str(content)]) == 0, capsys.readouterr().err
    brief = _dump(content, "kars-talks", capsys)
    assert brief["authors"] == [{"name": "Ana Díaz", "affiliation": "Example Institute"}]
    assert (brief["about"], brief["revision"], brief["updated"]) == (["sochi-meeting-2021"], 2, "2024-01-01")
    lead, examples = brief["sections"]  # type: ignore[misc]
    assert lead["mentions"] == {"actors": ["vladimir-putin"], "events": ["sochi-meeting-2021"]}
    factor, expectation, strategy = examples["elements"]
    assert factor["id"] == "return-to-diplomacy"
    assert (expectation["horizon"], expectation["priority_for"]) == ("coming months", ["armenia", "azerbaijan"])
    assert expectation["scenarios"][0]["id"] == "working-group"
    assert (strategy["id"], strategy["actor"]) == ("gas-deals", "russia")


def test_new_refuses_to_overwrite_a_brief(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    existing = content / "briefs" / "sochi-summit-2021.md"
    before = existing.read_bytes()
    assert main(["new", "sochi-summit-2021", "--content", str(content)]) == 1
    assert capsys.readouterr().err == (
        f"briefs: {existing} already exists; not overwriting it (edit it, or choose another id)\n"
    )
    assert existing.read_bytes() == before


@pytest.mark.parametrize(
    ("brief_id", "why"),
    [
        ("Kars_Talks", "it has uppercase letters; it has characters other than a-z, 0-9 and '-': '_'"),
        ("kars talks", "it has characters other than a-z, 0-9 and '-': ' '"),
        ("kars--talks", "it has two hyphens in a row"),
        ("kars-talks-", "it starts or ends with a hyphen"),
        ("kars-talks.md", "it ends in '.md' (give the id; the file is named after it)"),
        ("k" * 81, "it is 81 characters long, more than 80"),
    ],
)
def test_new_refuses_an_id_that_is_not_a_slug_saying_why(
    brief_id: str, why: str, content: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", brief_id, "--content", str(content)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"briefs: '{brief_id}' is not a valid brief id: {why} (an id is a slug: lowercase letters")
    assert sorted(path.name for path in (content / "briefs").iterdir()) == ["sochi-summit-2021.md"]


def test_new_suggests_a_slug(content: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Talks in Kärs", "--content", str(content)]) == 1
    assert capsys.readouterr().err.endswith("; try 'talks-in-kars'\n")


def test_new_refuses_an_empty_title_and_a_missing_content_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "content").mkdir()
    assert main(["new", "kars-talks", "--title", " ", "--content", str(tmp_path / "content")]) == 1
    assert capsys.readouterr().err == "briefs: the title must not be empty\n"
    assert main(["new", "kars-talks", "--content", str(tmp_path / "nowhere")]) == 1
    assert capsys.readouterr().err == (
        f"briefs: content directory '{tmp_path}/nowhere' not found; create it, or pass --content DIR\n"
    )
    assert not (tmp_path / "nowhere").exists()
