"""The query reader: what people type, the FTS5 query it becomes, and the hits it finds
(cases in tests/fixtures/search/reader.md), and the properties every reading has."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefs.loader import load_corpus
from briefs.names import EntityNames, ref_token
from briefs.query import SYNTAX_WORDS, clean, parse, render, resolve
from briefs.search import SearchIndex

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "search" / "reader.md"


def _cases() -> list[tuple[str, str, str, str, str]]:
    text = FIXTURE.read_text(encoding="utf-8")
    blocks = text.split("\n\n", 1)[1].strip().split("\n.\n\n")
    cases = []
    for block in blocks:
        title, q, reading, match, hits = (part.strip() for part in block.removesuffix("\n.").split("\n.\n"))
        q = re.sub(r"\\x([0-9a-f]{2})", lambda m: chr(int(m.group(1), 16)), q)
        cases.append((title, q, reading, match, hits))
    return cases


CASES = _cases()


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    corpus = load_corpus(ROOT / "content")
    assert corpus.errors == ()
    return SearchIndex(corpus)


def _shown(index: SearchIndex, match: str | None) -> str:
    if match is None:
        return "(nothing)"
    tokens = {ref_token(e.id): e.id for key in index.names.names() for e in index.names.find(key)}
    return re.sub(r'refs : "(zzref[0-9a-fz]+)"', lambda m: f"refs:@{tokens[m.group(1)]}", match)


def test_the_fixture_has_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_query_reads_as_written_in_the_fixture(index: SearchIndex, case: tuple[str, str, str, str, str]) -> None:
    _, q, reading, match, hits = case
    result = index.search(q, limit=100, suggest=False)
    assert f"{result.reading.syntax}: {result.reading.as_read}".strip() == reading
    assert _shown(index, result.reading.match) == match
    assert (" ".join(hit.element_id or hit.section_id or "brief" for hit in result.hits) or "(none)") == hits


@pytest.mark.parametrize(
    ("q", "dropped"),
    [
        ("a\x00b", ("U+0000",)),
        ("\x1b[31m", ("U+001B",)),
        ("tab\tand\nnewline\r\n", ()),
        ("\x00\x00", ("U+0000",)),
        # Controls that Python's str.split() takes for spaces, but that nobody types: dropped and reported.
        ("border\x1fx\x1c", ("U+001F", "U+001C")),
        ("a\x0bb\x0cc\x85", ("U+000B", "U+000C", "U+0085")),
    ],
)
def test_control_characters_are_dropped_and_reported(q: str, dropped: tuple[str, ...]) -> None:
    text, found = clean(q)
    assert found == dropped
    assert not any(char < " " for char in text)


QUERY_ISH = st.lists(
    st.sampled_from(['"', "-", "*", "OR", "|", " ", "border", "Putin's", "Putin’s", "Nakhchivan", "Sochi", "summit",
                     "post-war", "the", "what", "Zürich", "x", "(", "AND", ":", "\x00"]),
    max_size=10,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(q=st.one_of(st.text(max_size=40), QUERY_ISH))
def test_reading_what_was_read_gives_the_same_query(index: SearchIndex, q: str) -> None:
    first = index.read(q)
    if first.syntax == SYNTAX_WORDS:
        again = index.read(first.as_read)
        assert (again.as_read, again.match) == (first.as_read, first.match)


@settings(max_examples=300, deadline=None)
@given(q=st.one_of(st.text(max_size=60), QUERY_ISH))
def test_any_query_is_read_and_searched(index: SearchIndex, q: str) -> None:
    result = index.search(q, limit=5)
    assert result.total >= len(result.hits)
    assert (result.reading.match is None) == (result.total == 0 and not result.reading.match)
    assert not any(char in result.reading.as_read for char in "\x00\x02\x03")


def test_names_are_found_longest_first() -> None:
    corpus = load_corpus(ROOT / "content")
    groups = resolve(parse("Vladimir Putin Sochi summit"), EntityNames(corpus.entities))
    assert [[e.id for e in group.terms[0].entities] for group in groups] == [["vladimir-putin"], ["sochi-meeting-2021"]]
    assert render(groups) == "Vladimir Putin Sochi summit"
