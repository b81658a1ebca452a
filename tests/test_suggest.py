"""Suggestions: conservative typo rules over the corpus's vocabulary, and never a suggestion that finds nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.loader import load_corpus
from briefs.search import SearchFilters, SearchIndex
from briefs.suggest import Vocabulary, allowed_typos

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex(load_corpus(ROOT / "content"))


def vocabulary(*words: str, names: tuple[str, ...] = ()) -> Vocabulary:
    return Vocabulary([(word, 1) for word in words], names)


@pytest.mark.parametrize(("word", "typos"), [("a", 0), ("talk", 0), ("talks", 1), ("treaties", 1), ("negotiate", 2)])
def test_typos_allowed_grow_with_the_word(word: str, typos: int) -> None:
    assert allowed_typos(word) == typos


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        ("greece", ("greener",), None),  # two typos in six letters: too far
        ("greece", ("greeks",), None),
        ("sevem", ("seven",), "seven"),
        ("tow", ("two",), None),  # no typo in words of four letters or fewer
        ("transprot", ("transport",), "transport"),  # a swap of two neighbours is one typo
        ("demarkation", ("demarcation",), "demarcation"),
        ("demarkatoin", ("demarcation",), "demarcation"),  # two typos in eleven letters
        ("demarkatoinn", ("demarcation",), None),  # three
        ("xorder", ("border",), None),  # a typo in the first letter counts as two: too many in six letters
        ("xegotiations", ("negotiations",), "negotiations"),  # ... but not in twelve
        ("Demarkation", ("demarcation",), "Demarcation"),  # shown as it was typed
    ],
)
def test_corrections_are_conservative(typed: str, known: tuple[str, ...], expected: str | None) -> None:
    assert vocabulary(*known).correct(typed) == expected


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        ("postwar", ("post", "war", "posture"), ["post-war"]),
        ("Postwar", ("post", "war"), ["Post-war"]),  # cased as typed
        ("ofwar", ("of", "war"), []),  # a common word is no part
        ("postwars", ("post", "war"), []),  # only whole words of the briefs
    ],
)
def test_words_run_together_are_split_into_words_of_the_briefs(
    typed: str, known: tuple[str, ...], expected: list[str]
) -> None:
    assert vocabulary(*known).splits(typed) == expected


def test_the_closest_then_the_most_common_word_wins() -> None:
    words = Vocabulary([("borders", 1), ("boarder", 9), ("border", 2)], ())
    assert words.correct("bordr") == "border"  # one typo, the others two
    assert Vocabulary([("talked", 1), ("tasked", 5)], ()).correct("taoked") == "tasked"


def test_entity_names_are_suggested_as_written() -> None:
    assert vocabulary("exclave", names=("Nakhchivan", "Naxçıvan")).correct("nakchivan") == "Nakhchivan"


@pytest.mark.parametrize(
    ("q", "suggestion", "total"),
    [
        ("demarkation", "demarcation", 4),
        ("border demarkation", "border demarcation", 4),
        ("Nakchivan", "Nakhchivan", 4),  # from an alias
        ("Pashinian", "Pashinyan", 2),
        ('"bordr demarcation"', '"border demarcation"', 3),
        ("postwar strategy", "post-war strategy", 3),  # "post-war", as the briefs write it
        ("minisummit", "mini-summit", 4),
    ],
)
def test_a_misspelt_query_gets_a_suggestion_that_finds_hits(
    index: SearchIndex, q: str, suggestion: str, total: int
) -> None:
    result = index.search(q)
    assert result.total == 0  # only suggested, never applied
    assert result.suggestion is not None
    assert (result.suggestion.text, result.suggestion.total) == (suggestion, total)
    assert index.search(result.suggestion.text).total == total


@pytest.mark.parametrize(
    "q", ["border", "negotiating", "Artsakh", "greece", "the", "zzzzzzzzzz", "negoti*", "-demarkation", "warpost"]
)
def test_no_suggestion_for_known_words_stems_names_or_hopeless_ones(index: SearchIndex, q: str) -> None:
    assert index.search(q).suggestion is None


def test_a_suggestion_never_points_to_an_empty_result(index: SearchIndex) -> None:
    # "demarcation" is in no strategy element: with that filter, nothing to suggest.
    assert index.search("demarkation", filters=SearchFilters(frozenset({"strategy-element"}))).suggestion is None
    assert index.search("demarkation", filters=SearchFilters(frozenset({"expectation"}))).suggestion is not None


def test_a_misspelt_alternative_is_suggested_even_when_the_query_has_hits(index: SearchIndex) -> None:
    # The other word finds hits; the misspelt one finds none and still gets its suggestion.
    result = index.search("border OR demarkation")
    assert result.total > 0
    assert result.suggestion is not None and result.suggestion.text == "border OR demarcation"
