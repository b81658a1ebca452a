"""Facets, checked against a brute-force count over the parsed corpus.

The corpus is generated (bench/corpus_gen.py: briefs shaped like the seed, their words
varied, their dates spread over ten years), with tags varied per brief, so that every
facet has several values, some more than twenty.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from collections import Counter
from collections.abc import Iterable

import pytest

from briefs.build import build_artifact
from briefs.facets import FACETS, MAX_VALUES, Facet, FacetValue
from briefs.loader import Corpus, load_corpus
from briefs.model import Brief, Element, StrategyElement
from briefs.reader import Artifact
from briefs.search import SearchFilters, SearchHit
from tests.conftest import ROOT

BRIEFS = 40
_SPEC = importlib.util.spec_from_file_location("corpus_gen", ROOT / "bench" / "corpus_gen.py")
assert _SPEC is not None and _SPEC.loader is not None
corpus_gen = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(corpus_gen)
TAGS = ("armenia", "azerbaijan", "russia", "nagorno-karabakh", "diplomacy", "south-caucasus")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Corpus, Artifact]:
    root = tmp_path_factory.mktemp("facets")
    corpus_gen.write_corpus(root / "content", BRIEFS, seed=7)
    for number, path in enumerate(sorted((root / "content" / "briefs").glob("*.md"))):
        text = path.read_text(encoding="utf-8")
        tags = ", ".join((*TAGS[number % len(TAGS) :], f"series-{number % 23}"))
        path.write_text(re.sub(r"^tags: \[.*\]$", f"tags: [{tags}]", text, count=1, flags=re.M), encoding="utf-8")
    build_artifact(root / "content", root / "out.sqlite")
    corpus = load_corpus(root / "content")
    assert corpus.errors == () and len(corpus.briefs) == BRIEFS
    return corpus, Artifact(str(root / "out.sqlite"))


def expected(values: Iterable[str]) -> Facet:
    """The brute-force facet: every value counted, most frequent first, ties by value."""
    counts = Counter(values)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return Facet(tuple(FacetValue(value, count) for value, count in ranked[:MAX_VALUES]), len(counts))


def brief_values(brief: Brief) -> dict[str, list[str]]:
    actors = {m.ref for m in brief.mentions if m.kind == "actor"}
    events = {m.ref for m in brief.mentions if m.kind == "event"} | set(brief.about)
    return {"actor": sorted(actors), "event": sorted(events), "tag": list(brief.tags)}


def element_values(element: Element) -> dict[str, list[str]]:
    actors = set(element.mentions.actors)
    if isinstance(element, StrategyElement) and element.actor:
        actors.add(element.actor)
    return {"actor": sorted(actors), "event": sorted(set(element.mentions.events))}


def hit_values(corpus: Corpus, hit: SearchHit) -> dict[str, list[str]]:
    brief = corpus.briefs[hit.brief_id]
    if hit.element_id is not None:
        own = element_values(next(e for e in brief.elements if e.id == hit.element_id))
    elif hit.section_id is not None:
        section = next(s for s in brief.sections if s.id == hit.section_id)
        own = {"actor": list(section.mentions.actors), "event": list(section.mentions.events)}
    else:
        own = brief_values(brief)
    return {
        "type": [hit.type],
        "brief": [brief.id],
        **own,
        "tag": list(brief.tags),
        "year": [str(brief.published.year)],
    }


def brute_force(rows: list[dict[str, list[str]]]) -> dict[str, Facet]:
    return {name: expected(value for row in rows for value in row[name]) for name in FACETS}


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("border", SearchFilters()),
        ("Azerbaijan", SearchFilters()),  # every brief: more than twenty briefs, years and tags
        ("border demarcation", SearchFilters(frozenset({"expectation", "scenario"}))),
        ("Russia OR Moscow", SearchFilters(actor="vladimir-putin", published_from=dt.date(2019, 1, 1))),
        ("Sochi", SearchFilters(event="sochi-meeting-2021", published_to=dt.date(2020, 12, 31))),
        ("nothingatall", SearchFilters()),
        # Briefs ranked by their own row only when the whole brief matches too; briefs and sections only.
        ("border -demarcation", SearchFilters()),
        ("border", SearchFilters(frozenset({"brief", "section"}))),
    ],
)
@pytest.mark.parametrize("bits", [True, False], ids=["actor-bits", "actor-pairs"])
def test_search_facets_count_every_hit(
    built: tuple[Corpus, Artifact], q: str, filters: SearchFilters, bits: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, artifact = built
    # The actor facet sums bits for a catalogue of up to BIT_ACTORS actors (this one), else groups pairs.
    monkeypatch.setattr(artifact.search, "_bits", None if bits else ())
    assert bool(artifact.search._actor_bits()) == bits
    result = artifact.search.search(q, filters=filters, limit=100_000, suggest=False, facets=FACETS)
    assert len(result.hits) == result.total
    counted = result.facets
    assert counted == brute_force([hit_values(corpus, hit) for hit in result.hits])
    # A search that counts its facets with its hits (one statement) finds the same total, page and facets.
    for limit, offset in ((100_000, 0), (7, 0), (7, 7), (5, max(0, result.total - 3))):
        faceted = artifact.search.search(q, filters=filters, limit=limit, offset=offset, suggest=False, facets=FACETS)
        plain = artifact.search.search(q, filters=filters, limit=limit, offset=offset, suggest=False)
        assert (faceted.total, faceted.hits, faceted.facets) == (plain.total, plain.hits, counted)


@pytest.mark.parametrize(
    "filters",
    [{}, {"tag": "diplomacy"}, {"actor": "csto", "published_from": dt.date(2018, 1, 1)}, {"match": '"border"'}],
)
def test_brief_facets_count_every_brief(built: tuple[Corpus, Artifact], filters: dict[str, object]) -> None:
    corpus, artifact = built
    briefs = [corpus.briefs[brief_id] for brief_id in artifact.brief_ids(**filters)]
    assert briefs
    rows = [{"type": ["brief"], "brief": [b.id], **brief_values(b), "year": [str(b.published.year)]} for b in briefs]
    assert artifact.brief_facets(FACETS, **filters) == brute_force(rows)


@pytest.mark.parametrize(
    "filters", [{}, {"type": "strategy-element"}, {"actor": "russia"}, {"match": '"working group"', "brief": None}]
)
def test_element_facets_count_every_block(built: tuple[Corpus, Artifact], filters: dict[str, str | None]) -> None:
    corpus, artifact = built
    keys = artifact.element_keys(**filters)
    assert keys
    rows = []
    for brief_id, position, _ in keys:
        brief = corpus.briefs[brief_id]
        element = brief.elements[position]
        rows.append({"type": [element.type], "brief": [brief_id], **element_values(element), "tag": list(brief.tags),
                     "year": [str(brief.published.year)]})  # fmt: skip
    assert artifact.element_facets(FACETS, **filters) == brute_force(rows)


def test_a_facet_lists_twenty_values_and_counts_them_all(built: tuple[Corpus, Artifact]) -> None:
    _, artifact = built
    facets = artifact.brief_facets(["brief", "tag"])
    assert (len(facets["brief"].values), facets["brief"].total) == (MAX_VALUES, BRIEFS)
    assert len(facets["tag"].values) == MAX_VALUES and facets["tag"].total == len(TAGS) + 23


def test_facet_values_dump_as_the_nested_schema_does() -> None:
    """schemas.facets.FacetValues dumps each value directly: the same output as a list of FacetValueSchema."""
    from marshmallow import Schema, fields  # noqa: PLC0415

    from schemas.facets import FacetValues, FacetValueSchema  # noqa: PLC0415

    direct = Schema.from_dict({"actor": FacetValues()})()
    nested = Schema.from_dict({"actor": fields.List(fields.Nested(FacetValueSchema))})()
    for values in [(), (FacetValue("azerbaijan", 12), FacetValue("2021", 3)), (FacetValue("Zürich “x”", 1),), None]:
        dumped = direct.dump({"actor": values})
        assert dumped == nested.dump({"actor": values})
        assert [list(value) for value in dumped["actor"] or []] == [["value", "count"]] * len(values or ())
    assert direct.dump({}) == nested.dump({}) == {}
