"""Content bytes and the signature a server polls to notice a change."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from briefs.sources import content_signature
from tests.conftest import ROOT


def test_the_signature_changes_when_a_file_is_swapped_for_one_of_the_same_size_and_time(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    before = content_signature(content)
    brief = next((content / "briefs").glob("*.md"))
    stat = brief.stat()
    swapped = tmp_path / "swapped.md"
    swapped.write_text(brief.read_text(encoding="utf-8").replace("Sochi", "Socha"), encoding="utf-8")
    os.utime(swapped, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(swapped, brief)
    assert brief.stat().st_size == stat.st_size and brief.stat().st_mtime_ns == stat.st_mtime_ns
    assert content_signature(content) != before


def test_the_signature_stays_while_nothing_changes(tmp_path: Path) -> None:
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    assert content_signature(content) == content_signature(content)


def test_a_brief_named_as_markdown_but_not_md_is_reported_not_ignored(tmp_path: Path) -> None:
    from briefs.loader import load_corpus  # noqa: PLC0415

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    brief = (content / "briefs" / "sochi-summit-2021.md").read_text(encoding="utf-8")
    (content / "briefs" / "kars-talks.markdown").write_text(brief.replace("sochi-summit-2021", "kars-talks"))
    (content / "briefs" / "notes.txt").write_text("not Markdown, not a brief")
    before = content_signature(content)
    corpus = load_corpus(content)
    assert list(corpus.briefs) == ["sochi-summit-2021"]
    assert [(e.path.rsplit("/", 1)[-1], e.line, e.message) for e in corpus.errors] == [
        ("kars-talks.markdown", 1, "not read as a brief: a brief file is named briefs/<id>.md; "
         "rename it to briefs/kars-talks.md"),
    ]  # fmt: skip
    (content / "briefs" / "other.MD").write_text("x")
    assert content_signature(content) != before, "a new misnamed file is seen by live reload"
