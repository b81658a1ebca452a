"""The search index: what a reader finds, in which order, and where in the brief it stands.

How a query is read is tested case by case in tests/test_query.py; suggestions in tests/test_suggest.py.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import multiprocessing
import string
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import Schema

from api.search import CitedHit
from briefs.blocks import BLOCK_TYPES
from briefs.citations import Cited, cite_match
from briefs.index import scrubbed_characters, unscrub
from briefs.loader import Corpus, load_corpus
from briefs.search import HIT_TYPES, SearchFilters, SearchHit, SearchIndex
from schemas.citations import CitationSchema, dump_citation
from schemas.search import SearchHitSchema

ROOT = Path(__file__).resolve().parent.parent
SEED_ID = "sochi-summit-2021"

ENTITIES = """\
actors:
  - id: zurich
    name: Zürich
    kind: place
  - id: geneva
    name: Geneva
    kind: place
    aliases: [Genf]
events:
  - id: round-2022
    title: The April round
    date: 2022-04
"""

ZURICH_TALKS = """\
---
id: zurich-talks
title: "Talks in Zürich"
summary: "Delegations resumed their talks in Zürich."
published: 2022-03-01
---

Delegations met in [Zürich]{.actor ref=zurich} to continue their negotiations. A leaked memo read \
<script>alert("x")</script> & nothing more.

## Borders {#borders}

The delegations spoke about the frontier.

::: {.factor #exact-phrase title="Phrase"}
Among the many other points raised over two long days of meetings, in sessions that began early and ended late, \
with statements read out in turn by every delegation and questions passed back and forth through the chairs, \
with breaks for consultations with the capitals and with long pauses while drafts were checked, and with many \
remarks on transit, on trade, on water, on the return of prisoners and on the treatment of minorities, several \
delegates at last asked for a clear plan of border demarcation before any further step could be taken by either \
of the two sides in the talks, a request that the chairs promised to answer at the next round.
:::

::: {.factor #words-apart title="Apart"}
Demarcation first, then the border.
:::

::: {.factor #one-word title="One word"}
Border, border, border.
:::

## Outlook {#outlook}

:::: {.expectation #next-round title="Another round" horizon="spring"}
A further round is expected.

::: {.scenario #deal title="A deal"}
The sides sign a deal on transit.
:::

::::

::: {.strategy-element #patience title="Patience" actor=zurich}
Waiting for the other side to move first.
:::
"""

GENEVA_ROUND = """\
---
id: geneva-round
title: "A Round in Geneva"
published: 2022-04-01
---

The next round met in [Geneva]{.actor ref=geneva}, far from Zurich, to discuss transit.

## Venue {#venue}

[The round]{.event ref=round-2022} returned to [the city on the lake]{.actor ref=geneva} for its quiet.

## Law {#law}

The Geneva conventions were not on the table.
"""


def fold(text: str) -> str:
    """Lower case without diacritics, as the index compares words."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def ids(hits: list[SearchHit]) -> list[str | None]:
    return [hit.element_id or hit.section_id or hit.brief_id for hit in hits]


def found(
    index: SearchIndex, q: str, types: set[str] | None = None, limit: int = 20, offset: int = 0, **filters: object
) -> tuple[int, list[SearchHit]]:
    """Total and hits of a search, as the old tuple (most tests only look at those)."""
    wanted = SearchFilters(frozenset(types) if types is not None else None, **filters)  # type: ignore[arg-type]
    result = index.search(q, filters=wanted, limit=limit, offset=offset, suggest=False)
    return result.total, result.hits


@pytest.fixture(scope="module")
def seed() -> Corpus:
    """The project's content, narrowed to the seed brief so that counts hold as briefs are added."""
    corpus = load_corpus(ROOT / "content")
    assert corpus.errors == ()
    return dataclasses.replace(corpus, briefs=MappingProxyType({SEED_ID: corpus.briefs[SEED_ID]}))


@pytest.fixture(scope="module")
def seed_index(seed: Corpus) -> SearchIndex:
    return SearchIndex(seed)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    root = tmp_path_factory.mktemp("content")
    (root / "entities").mkdir()
    (root / "briefs").mkdir()
    (root / "entities" / "places.yaml").write_text(ENTITIES, encoding="utf-8")
    (root / "briefs" / "zurich-talks.md").write_text(ZURICH_TALKS, encoding="utf-8")
    (root / "briefs" / "geneva-round.md").write_text(GENEVA_ROUND, encoding="utf-8")
    corpus = load_corpus(root)
    assert corpus.errors == ()
    return corpus


@pytest.fixture(scope="module")
def small_index(small: Corpus) -> SearchIndex:
    return SearchIndex(small)


def matched(corpus: Corpus, hit: SearchHit) -> str:
    assert hit.match_start is not None and hit.match_end is not None
    return fold(corpus.briefs[hit.brief_id].text[hit.match_start : hit.match_end])


def own_span(corpus: Corpus, hit: SearchHit) -> tuple[int, int]:
    """Where the hit's own text stands in its brief's text."""
    brief = corpus.briefs[hit.brief_id]
    if hit.element_id is not None:
        element = next(e for e in brief.elements if e.id == hit.element_id)
        return element.start, element.start + len(element.text)
    if hit.section_id is not None:
        section = next(s for s in brief.sections if s.id == hit.section_id)
        return section.start, section.start + len(section.text)
    return 0, len(brief.text)


def test_diacritics_are_folded(small: Corpus, small_index: SearchIndex) -> None:
    total, hits = found(small_index, "Zurich", types={"brief"})
    assert (total, {hit.brief_id for hit in hits}) == (2, {"zurich-talks", "geneva-round"})
    spans = {hit.brief_id: small.briefs[hit.brief_id].text[hit.match_start : hit.match_end] for hit in hits}
    assert spans == {"zurich-talks": "Zürich", "geneva-round": "Zurich"}
    assert found(small_index, "zürich", types={"brief"}) == (total, hits)


def test_words_match_by_their_stem(small: Corpus, small_index: SearchIndex) -> None:
    _, hits = found(small_index, "negotiating")
    assert [(hit.type, matched(small, hit)) for hit in hits if hit.type == "section"] == [("section", "negotiations")]


def test_a_quoted_phrase_matches_only_the_words_in_order(small: Corpus, small_index: SearchIndex) -> None:
    total, hits = found(small_index, '"border demarcation"', types={"factor"})
    assert (total, ids(hits)) == (1, ["exact-phrase"])
    assert matched(small, hits[0]) == "border demarcation"


def test_plain_words_must_all_match_and_the_exact_phrase_ranks_first(small_index: SearchIndex) -> None:
    total, hits = found(small_index, "border demarcation", types={"factor"})
    assert (total, ids(hits)) == (2, ["exact-phrase", "words-apart"])  # "one-word" has only "border"
    # Relevance alone would put the short block first: the tier decides, bm25 only within it.
    assert hits[1].score > hits[0].score


def test_words_spread_over_passages_find_the_brief_after_every_passage(small_index: SearchIndex) -> None:
    # "frontier" is in the section Borders only, "deal" in the Outlook section and its blocks only:
    # no passage has both, the brief as a whole does.
    total, hits = found(small_index, "frontier deal")
    assert (total, [(hit.type, hit.brief_id) for hit in hits]) == (1, [("brief", "zurich-talks")])
    assert "<mark>" in hits[0].snippet and hits[0].match_start is not None
    # A brief matched through its text alone comes after the passages, even the weaker ones.
    _, hits = found(small_index, "border")
    assert len(hits) > 2 and [hit.type == "brief" for hit in hits] == [False] * (len(hits) - 1) + [True]


def test_a_brief_ranks_among_passages_when_its_title_or_summary_matches(small_index: SearchIndex) -> None:
    # "round" is in the title of one brief and in the text of the other.
    _, hits = found(small_index, "round")
    briefs = [hit.brief_id for hit in hits if hit.type == "brief"]
    assert briefs == ["geneva-round", "zurich-talks"] and hits[-1].type == "brief"
    assert hits.index(next(hit for hit in hits if hit.type == "brief")) < len(hits) - 2


def test_an_excluded_word_in_a_brief_text_excludes_the_brief_matched_by_its_title(small_index: SearchIndex) -> None:
    # The summary says "resumed their talks in Zürich"; the text says "negotiations".
    assert "zurich-talks" in {hit.brief_id for hit in found(small_index, "resumed", types={"brief"})[1]}
    assert found(small_index, "resumed -negotiations", types={"brief"})[0] == 0


def test_or_is_ordered_by_relevance_alone(small_index: SearchIndex) -> None:
    _, hits = found(small_index, "border OR demarcation", types={"factor"})
    assert set(ids(hits)) == {"exact-phrase", "words-apart", "one-word"}
    assert ids(hits)[-1] == "exact-phrase"
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)


@pytest.mark.parametrize("types", [{"strategy-element"}, {"brief", "scenario"}, {"section", "factor", "expectation"}])
def test_types_filter_hits(seed_index: SearchIndex, types: set[str]) -> None:
    _, everything = found(seed_index, "Azerbaijan", limit=1000)
    total, hits = found(seed_index, "Azerbaijan", types=types, limit=1000)
    assert hits == [hit for hit in everything if hit.type in types]
    assert total == len(hits) > 0
    assert {hit.type for hit in hits} == types


def test_no_types_find_nothing(seed_index: SearchIndex) -> None:
    assert found(seed_index, "Azerbaijan", types=set()) == (0, [])


def test_hit_types_are_briefs_sections_and_every_block_type() -> None:
    assert set(HIT_TYPES) == {"brief", "section", *BLOCK_TYPES}


def test_every_type_can_be_found(small_index: SearchIndex) -> None:
    types = {
        hit.type for query in ("talks", "border", "round", "transit", "waiting") for hit in found(small_index, query)[1]
    }
    assert types == set(HIT_TYPES)


def test_pages_split_the_ordered_hits(seed_index: SearchIndex) -> None:
    total, everything = found(seed_index, "Azerbaijan", limit=1000)
    assert total == len(everything) > 10
    pages = [found(seed_index, "Azerbaijan", limit=4, offset=start) for start in range(0, total, 4)]
    assert {page_total for page_total, _ in pages} == {total}
    assert [hit for _, page in pages for hit in page] == everything
    assert found(seed_index, "Azerbaijan", limit=4, offset=total) == (total, [])
    assert found(seed_index, "Azerbaijan", limit=0) == (total, [])


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("Sochi", {"sochi"}),
        # A passage found through a mention alone points at the mention (Baku is Azerbaijan).
        ("Azerbaijan", {"azerbaijan", "baku"}),
        ('"return to diplomacy"', {"return to diplomacy"}),
        ("border demarcation", {"border demarcation", "border", "demarcation"}),
        ("negotiating", {"negotiate"}),
        ("diplom*", {"diplomacy", "diplomatic", "diplomatically"}),
        ("negotiat*", {"negotiate"}),
        ("NEAR(pressure Armenia, 3)", {"pressure", "armenia"}),
    ],
)
def test_match_offsets_point_into_the_brief_text(
    seed: Corpus, seed_index: SearchIndex, query: str, words: set[str]
) -> None:
    total, hits = found(seed_index, query, limit=1000)
    assert total == len(hits) > 0
    if query == "Azerbaijan":
        # A strategy element of Azerbaijan that never names it is found through its actor, at no place.
        assert [(hit.element_id, hit.match_start) for hit in hits if hit.match_start is None] == [
            ("challenging-russia", None)
        ]
        hits = [hit for hit in hits if hit.match_start is not None]
    for hit in hits:
        assert matched(seed, hit) in words
        start, end = own_span(seed, hit)
        assert hit.match_start is not None and hit.match_end is not None
        assert start <= hit.match_start < hit.match_end <= end


def test_a_match_in_a_title_only_has_no_offsets(seed_index: SearchIndex) -> None:
    _, hits = found(seed_index, "title:preempts")
    assert [(hit.element_id, hit.match_start, hit.snippet) for hit in hits] == [
        ("russia-preempts-eu", None, "Putin <mark>preempts</mark> the EU")
    ]


def test_snippets_escape_html_and_mark_matches(small_index: SearchIndex) -> None:
    _, hits = found(small_index, "alert", types={"section"})
    assert len(hits) == 1
    snippet = hits[0].snippet
    assert "&lt;script&gt;<mark>alert</mark>(&quot;x&quot;)&lt;/script&gt; &amp;" in snippet
    assert "<script>" not in snippet


def test_snippets_are_cut_around_the_match(seed_index: SearchIndex) -> None:
    _, hits = found(seed_index, "CSTO", types={"brief"})
    snippet = hits[0].snippet
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>CSTO</mark>" in snippet
    assert 15 <= len(snippet.split()) <= 30


@pytest.mark.parametrize(
    "query", ["don't", "Zürich", "Armenian-Azerbaijani", "C++", "{x}", "a.b", "50%", "x-y", "and or not near"]
)
def test_punctuation_in_plain_words_is_safe(seed_index: SearchIndex, query: str) -> None:
    total, hits = found(seed_index, query)
    assert total >= len(hits)


def test_a_hyphenated_word_finds_what_its_words_find(seed_index: SearchIndex) -> None:
    total, hits = found(seed_index, "Armenian-Azerbaijani", types={"strategy-element"})
    assert found(seed_index, "Armenian Azerbaijani", types={"strategy-element"}) == (total, hits)
    assert (total, ids(hits)) == (1, ["challenging-russia"])
    assert "<mark>Armenian</mark>-<mark>Azerbaijani</mark>" in hits[0].snippet


@pytest.mark.parametrize("spelling", ["Putin's", "Putin’s", "PUTIN’S", "putin"])
def test_a_possessive_finds_what_the_word_finds(seed_index: SearchIndex, spelling: str) -> None:
    assert found(seed_index, spelling, limit=100) == found(seed_index, "Putin", limit=100)


def test_a_possessive_in_a_phrase_matches_with_and_without_its_s(seed_index: SearchIndex) -> None:
    # The brief writes "Russia\u2019s role", with a curly apostrophe.
    assert ids(found(seed_index, '"Russia\'s role"', types={"factor"})[1]) == ["russia-preempts-eu"]
    assert found(seed_index, '"Russia role"', types={"factor"})[0] == 0


@pytest.mark.parametrize("name", ["Geneva", "Genf", "geneva's"])
def test_a_name_finds_the_passages_that_mention_the_entity_by_other_words(
    small: Corpus, small_index: SearchIndex, name: str
) -> None:
    # Genf is an alias no text contains; "law" says "Geneva conventions" and mentions no one, so it comes last.
    _, hits = found(small_index, name, types={"section"})
    assert ids(hits) == ["lead", "venue", "law"]
    venue = hits[1]
    assert small.briefs["geneva-round"].text[venue.match_start : venue.match_end] == "the city on the lake"
    assert venue.snippet == "The round returned to <mark>the city on the lake</mark> for its quiet."


def test_a_mention_cut_by_the_snippet_window_is_shown_and_cited_whole(seed: Corpus, seed_index: SearchIndex) -> None:
    # "Transcaucasia" is an alias of the South Caucasus, mentioned last in a long sentence: the snippet's
    # window used to end inside the mention, showing "<mark>South</mark>…" and citing "South".
    result = seed_index.search("Transcaucasia")
    assert result.hits
    for hit, quote in zip(result.hits, seed_index.cite(result.hits), strict=True):
        assert "<mark>South Caucasus</mark>" in hit.snippet
        assert seed.briefs[SEED_ID].text[hit.match_start : hit.match_end] == "South Caucasus"
        assert quote is not None and quote.exact == "South Caucasus"


def test_filters_by_brief_entity_and_date(small_index: SearchIndex) -> None:
    zurich = {"zurich-talks", "next-round", "outlook", "exact-phrase", "borders"}
    geneva = {"geneva-round", "lead", "venue"}
    assert set(ids(found(small_index, "round", limit=100)[1])) == zurich | geneva
    assert set(ids(found(small_index, "round", brief="geneva-round")[1])) == geneva
    assert set(ids(found(small_index, "round", actor="geneva")[1])) == geneva
    assert set(ids(found(small_index, "round", event="round-2022")[1])) == {"geneva-round", "venue"}
    assert found(small_index, "round", actor="round-2022") == (0, [])  # an event is no actor
    assert set(ids(found(small_index, "round", published_to=dt.date(2022, 3, 31))[1])) == zurich
    assert set(ids(found(small_index, "round", published_from=dt.date(2022, 4, 1))[1])) == geneva
    assert found(small_index, "round", published_from=dt.date(2022, 4, 2)) == (0, [])


@pytest.mark.parametrize(
    ("query", "total"),
    [
        ('"return to diplomacy"', 4),
        ("diplom*", 8),
        ("russia NOT eu", 4),
        ("NEAR(border demarcation, 5)", 4),
        ("(sochi OR brussels) AND meeting", 7),
        ("title:diplomacy", 2),
        ("summary:sochi", 1),
        ("negoti*", 4),
        ("negotiat*", 4),  # a prefix of the written word, not only of its stem ("negoti")
    ],
)
def test_the_documented_syntax_works(seed_index: SearchIndex, query: str, total: int) -> None:
    assert found(seed_index, query, limit=100)[0] == total


ODD_QUERIES = [
    ('"unclosed', '"unclosed"'),
    ("AND", ""),
    ("*", ""),
    ("*id", "id"),
    ("NEAR(", ""),
    (")", ""),
    ("col:", "col"),
    ("title:", "title"),
    ("border (", "border"),
    ("-", ""),
    ("", ""),
    ("   \t\n", ""),
    ("a\x00b", "a b"),
    ("\x00", ""),
    ((string.punctuation * 70)[:2000], ""),
    ("!" * 2000, ""),
    (".,;?!" * 400, ""),
]


@pytest.mark.parametrize(("query", "as_read"), ODD_QUERIES, ids=lambda q: repr(q[:12]))
def test_odd_queries_are_read_as_words(seed_index: SearchIndex, query: str, as_read: str) -> None:
    result = seed_index.search(query)
    assert (result.reading.syntax, result.reading.as_read) == ("words", as_read)
    if not as_read:
        assert any("Nothing to search for" in note for note in result.reading.notes)


def test_invalid_fts5_syntax_says_it_was_read_as_words(seed_index: SearchIndex) -> None:
    notes = seed_index.search("NEAR(border").reading.notes
    assert len(notes) == 1 and notes[0].startswith("Read as words: it is not valid FTS5 syntax")


@pytest.mark.parametrize(
    ("query", "explained"),
    [
        ("border (", "it ends before an operator or a parenthesis is complete"),
        ("border)", 'FTS5 did not expect ")" there'),
        ("foo:border", 'FTS5 took "foo" for a column; the columns are title, summary and text'),
    ],
)
def test_the_note_says_in_words_why_fts5_could_not_read_it(seed_index: SearchIndex, query: str, explained: str) -> None:
    # FTS5's own messages ('syntax error near ""', 'no such column: foo') said little to a person.
    assert seed_index.read(query).notes == (f"Read as words: it is not valid FTS5 syntax ({explained}).",)


def test_near_between_words_is_read_as_words_without_it(seed_index: SearchIndex) -> None:
    # NEAR was kept as a word that every hit had to contain: "Sochi NEAR Brussels" found nothing.
    reading = seed_index.read("Sochi NEAR Brussels")
    assert reading.as_read == "Sochi Brussels"
    assert reading.notes == (
        "Read as words without NEAR: FTS5's NEAR takes its words in parentheses, as in NEAR(a b, 10).",
    )
    assert seed_index.search("Sochi NEAR Brussels").total == seed_index.search("Sochi Brussels").total > 0


FTS_ISH = st.lists(
    st.sampled_from(['"', "(", ")", "*", ":", "^", "-", "+", " ", "AND", "OR", "NOT", "NEAR", "NEAR(", "border",
                     "Zürich", "title", "text:", "type:", "don't", ",", "{", "}", "\x02", "\x03", "\x00"]),
    max_size=12,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(query=st.one_of(st.text(), FTS_ISH))
def test_any_query_gives_hits_never_an_error(seed_index: SearchIndex, query: str) -> None:
    total, hits = found(seed_index, query, limit=5)
    assert total >= len(hits)
    assert all(hit.type in HIT_TYPES and "\x02" not in hit.snippet for hit in hits)


def _search_in_child(index: SearchIndex, sender: Connection) -> None:
    sender.send(found(index, "border demarcation"))
    sender.close()


def test_a_forked_child_searches_with_its_own_connection(seed: Corpus) -> None:
    index = SearchIndex(seed)
    expected = found(index, "border demarcation")  # the parent opens its connection before forking
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_search_in_child, args=(index, sender))
    child.start()
    try:
        assert receiver.poll(30), "the child did not answer"
        assert receiver.recv() == expected
    finally:
        child.join(30)
        if child.is_alive():
            child.kill()
    assert child.exitcode == 0
    assert found(index, "border demarcation") == expected


def test_threads_search_concurrently(seed_index: SearchIndex) -> None:
    queries = ["Sochi", "border demarcation", '"return to diplomacy"', "Putin", "negotiating"] * 20
    expected = [found(seed_index, q) for q in queries]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda q: found(seed_index, q), queries)) == expected


@pytest.mark.slow
def test_a_thousand_briefs_are_indexed_whole(seed: Corpus) -> None:
    # Speed belongs to the benchmarks; this checks that a large corpus is indexed completely.
    brief = seed.briefs[SEED_ID]
    briefs = {f"{brief.id}-{i}": dataclasses.replace(brief, id=f"{brief.id}-{i}") for i in range(1000)}
    corpus = Corpus("generated", MappingProxyType(briefs), seed.entities)
    index = SearchIndex(corpus)
    total, hits = found(index, "border demarcation", types={"expectation"}, limit=3)
    assert total == 1000 * sum("demarcation" in e.text for e in brief.elements_of_type("expectation"))
    assert [hit.element_id for hit in hits] == ["border-demarcation"] * 3


def _citation_fields(citation: Cited | None) -> dict[str, object] | None:
    """The citation as the API shows it, through the schema and through the direct dump alike."""
    if citation is None:
        return None
    shown: dict[str, object] = CitationSchema().dump(citation)
    assert dump_citation(citation) == shown
    return shown


def test_a_quote_shows_the_characters_the_index_replaced() -> None:
    text = "a\x00b \x02c\x03 \x04 plain"
    scrubbed = scrubbed_characters(text)
    indexed = text.replace("\x00", " ").replace("\x02", " ").replace("\x03", " ").replace("\x04", " ")
    assert unscrub(indexed, scrubbed) == text
    assert scrubbed_characters("plain text") is None and unscrub("plain text", None) == "plain text"


@pytest.mark.parametrize(
    "query",
    ["Azerbaijan", "border demarcation", "working group", "Nakhchivan", "Putin", "scenarios", "title:preempts",
     "summary:sochi", "the", "Moscow", '"state of war"', "Aliyev OR CSTO"],
)  # fmt: skip
def test_hits_are_cited_as_the_whole_brief_would_cite_them(seed: Corpus, seed_index: SearchIndex, query: str) -> None:
    hits = found(seed_index, query, limit=1000)[1]
    expected = [
        cite_match(seed.briefs[hit.brief_id], hit.match_start, hit.match_end)
        if hit.match_start is not None and hit.match_end is not None else None
        for hit in hits
    ]  # fmt: skip
    cited = seed_index.cite(hits)
    assert [_citation_fields(c) for c in cited] == [_citation_fields(c) for c in expected]
    for hit, citation in zip(hits, cited, strict=True):
        # A page of hits is dumped directly, not field by field: the same dict, key for key and in order.
        shown = SearchHitSchema().dump(CitedHit(hit, citation))
        assert list(shown.items()) == list(Schema.dump(SearchHitSchema(), CitedHit(hit, citation)).items())
    if query == "Azerbaijan":
        assert {c.element_id for c in expected if c} > {None}  # citations in blocks, and in sections outside them


def test_a_brief_matched_by_its_summary_alone_shows_the_summary(small_index: SearchIndex) -> None:
    # "resumed" stands in the summary of zurich-talks, not in its text: the summary is the snippet, uncited.
    _, hits = found(small_index, "resumed", types={"brief"})
    assert [(hit.brief_id, hit.match_start) for hit in hits] == [("zurich-talks", None)]
    assert "<mark>resumed</mark>" in hits[0].snippet
