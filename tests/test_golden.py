"""The real briefs serialise exactly as their reviewed golden JSON (regenerate: ``make golden``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.loader import load_corpus
from schemas.briefs import dump_brief
from tests.golden import GOLDEN_DIR, ROOT, render_golden

CORPUS = load_corpus(ROOT / "content")


def test_content_has_no_errors() -> None:
    assert [str(error) for error in CORPUS.errors] == []


def test_every_brief_has_a_golden_file() -> None:
    assert sorted(p.stem for p in GOLDEN_DIR.glob("*.json")) == sorted(CORPUS.briefs)


@pytest.mark.parametrize("brief_id", sorted(CORPUS.briefs))
def test_brief_matches_golden(brief_id: str) -> None:
    expected = (GOLDEN_DIR / f"{brief_id}.json").read_text(encoding="utf-8")
    assert render_golden(dump_brief(CORPUS.briefs[brief_id])) == expected, "run `make golden` and review the diff"


def test_seed_brief_has_the_annotated_blocks() -> None:
    brief = CORPUS.briefs["sochi-summit-2021"]
    counts: dict[str, int] = {}
    for element in brief.elements:
        counts[element.type] = counts.get(element.type, 0) + 1
    assert counts == {"factor": 3, "expectation": 2, "scenario": 2, "strategy-element": 3}
    border = next(e for e in brief.elements if e.id == "border-demarcation")
    assert [s.id for s in border.scenarios] == ["trilateral-working-group", "trade-transport-working-group"]  # type: ignore[attr-defined]
    assert {e.actor for e in brief.elements if e.type == "strategy-element"} == {"azerbaijan"}  # type: ignore[attr-defined]


def test_seed_block_lines_point_at_their_fences() -> None:
    brief = CORPUS.briefs["sochi-summit-2021"]
    lines = Path(ROOT / "content" / brief.source.path).read_text(encoding="utf-8").split("\n")
    for element in brief.elements:
        opening = lines[element.source.line_start - 1]
        closing = lines[element.source.line_end - 1]
        assert opening.startswith(":::") and element.type in opening, element.id
        assert closing.strip(":") == "" and closing.startswith(":::"), element.id
        if element.title:
            assert element.title in opening


def test_seed_text_keeps_the_authors_words() -> None:
    source = ROOT.parent / "shared" / "sources" / "sochi-summit-2021.txt"
    if not source.exists():
        pytest.skip("the shared source text is not beside this checkout")
    # The plain text holds headings and paragraphs in order: word for word the source.
    brief = CORPUS.briefs["sochi-summit-2021"]
    assert brief.text.split() == source.read_text(encoding="utf-8").split()
