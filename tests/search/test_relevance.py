"""Relevance, measured: the judged queries of judged.yaml over the project's and the unseen briefs.

A quality gate on fixed content, not a timing: the mean reciprocal rank of the wanted hits
must be at least 0.9, and every wanted hit must be among the first three.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefs.loader import load_corpus
from briefs.search import SearchHit, SearchIndex

ROOT = Path(__file__).resolve().parents[2]
JUDGED: list[dict[str, Any]] = yaml.safe_load((Path(__file__).parent / "judged.yaml").read_text(encoding="utf-8"))
UNSEEN = ROOT / "tests" / "fixtures" / "unseen"
MRR_AT_LEAST = 0.9
TOP = 3


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    """The project's briefs and the unseen ones in one content directory; entities of both (an id in
    both files, such as russia, is kept once, from the project's)."""
    root = tmp_path_factory.mktemp("judged")
    shutil.copytree(ROOT / "content", root, dirs_exist_ok=True)
    for brief in (UNSEEN / "briefs").glob("*.md"):
        shutil.copy(brief, root / "briefs" / brief.name)
    known = {e["id"] for path in (ROOT / "content" / "entities").glob("*.yaml") for key in ("actors", "events")
             for e in yaml.safe_load(path.read_text(encoding="utf-8")).get(key) or ()}  # fmt: skip
    unseen = yaml.safe_load((UNSEEN / "entities" / "unseen.yaml").read_text(encoding="utf-8"))
    kept = {key: [e for e in unseen[key] if e["id"] not in known] for key in ("actors", "events")}
    (root / "entities" / "unseen.yaml").write_text(yaml.safe_dump(kept, allow_unicode=True), encoding="utf-8")
    corpus = load_corpus(root)
    assert corpus.errors == () and len(corpus.briefs) == 3
    return SearchIndex(corpus)


def hit_id(hit: SearchHit) -> str:
    own = hit.element_id or hit.section_id
    return f"{hit.brief_id}/{own}" if own else hit.brief_id


def ranked(index: SearchIndex, judged: dict[str, Any]) -> list[str]:
    """The ids of the first hits, as a journalist sees them: those of the suggestion when q finds nothing."""
    result = index.search(judged["q"], limit=10)
    if "suggests" in judged:
        assert result.total == 0 and result.suggestion is not None, judged["q"]
        assert result.suggestion.text == judged["suggests"]
        result = index.search(result.suggestion.text, limit=10)
    return [hit_id(hit) for hit in result.hits]


def rank_of(index: SearchIndex, judged: dict[str, Any]) -> int | None:
    hits = ranked(index, judged)
    return hits.index(judged["want"]) + 1 if judged["want"] in hits else None


def test_the_judged_set_covers_what_journalists_type() -> None:
    kinds = {judged["kind"] for judged in JUDGED}
    assert len(JUDGED) >= 40
    assert {"misspelling", "alias", "possessive", "phrase", "exclusion", "entity", "question"} <= kinds
    assert len({judged["q"] for judged in JUDGED}) == len(JUDGED)


@pytest.mark.parametrize("judged", JUDGED, ids=[judged["q"] for judged in JUDGED])
def test_the_wanted_hit_is_in_the_top_three(index: SearchIndex, judged: dict[str, Any]) -> None:
    rank = rank_of(index, judged)
    assert rank is not None and rank <= TOP, f"{judged['want']} at {rank}: {ranked(index, judged)[:5]}"


def test_mean_reciprocal_rank(index: SearchIndex) -> None:
    ranks = [rank_of(index, judged) for judged in JUDGED]
    mrr = sum(1 / rank for rank in ranks if rank) / len(JUDGED)
    assert mrr >= MRR_AT_LEAST, f"MRR {mrr:.3f}"
