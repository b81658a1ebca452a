"""Text fragments (``#:~:text=``) for quotes a browser must find: whole words, parts percent-encoded."""

from __future__ import annotations

import re
from urllib.parse import quote, unquote

import pytest
from flask.testing import FlaskClient
from hypothesis import given, settings
from hypothesis import strategies as st

from api.store import EXTENSION
from briefs.textfragment import encode_part, fragment, prefix_words, suffix_words, text_directive, widen_to_words

LEAD = (
    "Closing words of the paragraph before.\n\n"
    "In a much-needed return to diplomacy, the leaders met for an important “mini-summit” convened by "
    "Russian President Vladimir Putin. Trade, transport & links: the Armenian-Azerbaijan border."
)


def parts(directive: str) -> dict[str, str]:
    """The directive's prefix, start, end and suffix, decoded; fails on a raw ``-`` or ``,`` inside a part."""
    assert directive.startswith("text=")
    raw = directive.removeprefix("text=").split(",")
    found: dict[str, str] = {}
    if raw[0].endswith("-"):
        found["prefix"] = raw.pop(0)[:-1]
    if raw[-1].startswith("-"):
        found["suffix"] = raw.pop()[1:]
    found["start"] = raw[0]
    if len(raw) == 2:
        found["end"] = raw[1]
    assert len(raw) <= 2, directive
    for name, value in found.items():
        assert not re.search(r"[-,&#\s]", value), f"{name} {value!r} is not fully percent-encoded"
        found[name] = unquote(value)
    return found


def directive_of(quote: str, text: str = LEAD, occurrence: int = 0) -> dict[str, str]:
    start = [m.start() for m in re.finditer(re.escape(quote), text)][occurrence]
    return parts(text_directive(text, start, start + len(quote)))


def test_a_hyphenated_word_is_one_part_with_its_hyphen_encoded() -> None:
    directive = text_directive(LEAD, LEAD.index("Armenian-Azerbaijan"), LEAD.index(" border."))
    assert "Armenian%2DAzerbaijan" in directive
    assert directive_of("Armenian-Azerbaijan") == {"prefix": "transport & links: the", "start": "Armenian-Azerbaijan",
                                                   "suffix": "border."}  # fmt: skip


def test_curly_quotes_stay_as_written_around_the_quote() -> None:
    found = directive_of("mini-summit")
    assert found == {"prefix": "for an important “", "start": "mini-summit", "suffix": "” convened by Russian"}
    assert "%E2%80%9C-,mini%2Dsummit,-%E2%80%9D" in text_directive(
        LEAD, LEAD.index("mini-summit"), LEAD.index("mini-summit") + len("mini-summit")
    )


def test_a_quote_at_the_start_of_a_paragraph_has_no_prefix_from_the_paragraph_before() -> None:
    found = directive_of("In a much-needed")
    assert "prefix" not in found
    assert found == {"start": "In a much-needed", "suffix": "return to diplomacy,"}


def test_a_quote_at_the_end_of_the_text_has_no_suffix() -> None:
    assert directive_of("border.") == {"prefix": "links: the Armenian-Azerbaijan", "start": "border."}


def test_commas_ampersands_and_colons_are_encoded() -> None:
    found = directive_of("Trade, transport & links")
    assert found["start"] == "Trade, transport & links"
    assert found["prefix"] == "President Vladimir Putin."


def test_a_quote_cut_inside_words_is_widened_to_whole_words() -> None:
    start = LEAD.index("Vladimir") + 3
    assert widen_to_words(LEAD, start, start + 9) == (LEAD.index("Vladimir"), LEAD.index(" Putin.") + 6)
    assert parts(text_directive(LEAD, start, start + 9))["start"] == "Vladimir Putin"


def test_a_long_quote_is_given_by_its_first_and_last_words() -> None:
    quote = "In a much-needed return to diplomacy, the leaders met for an important “mini-summit” convened"
    found = directive_of(quote)
    assert found["start"] == "In a much-needed return" and found["end"] == "an important “mini-summit” convened"


def test_a_quote_across_paragraphs_is_a_range() -> None:
    found = parts(text_directive(LEAD, LEAD.index("before."), LEAD.index(" much-needed")))
    assert (found["start"], found["end"]) == ("before.", "In a")


def test_the_fragment_keeps_the_anchor_for_browsers_without_text_fragments() -> None:
    assert fragment("lead", LEAD, 0, 7).startswith("#lead:~:text=Closing")
    assert encode_part("a-b, c&d é") == "a%2Db%2C%20c%26d%20%C3%A9"


def _matches(text: str, found: dict[str, str]) -> list[int]:
    """Where a browser would start the match: prefix, then spaces, then start (…end), then spaces, then suffix,
    whitespace collapsed; only exact and prefix/suffix forms are checked here."""
    pattern = r"\s*".join(
        [*( [re.escape(found["prefix"])] if "prefix" in found else []),
         f"({re.escape(found['start'])})",
         *([re.escape(found["suffix"])] if "suffix" in found else [])]
    )  # fmt: skip
    return [m.start(1) for m in re.finditer(pattern, text)]


def test_every_mention_of_the_real_brief_is_found_first_where_it_stands(client: FlaskClient) -> None:
    artifact = client.application.extensions[EXTENSION].watch.current()
    brief = artifact.brief("sochi-summit-2021")
    assert brief is not None and len(brief.mentions) > 30
    for mention in brief.mentions:
        found = parts(text_directive(brief.text, mention.start, mention.end))
        if "end" in found:
            continue
        start, _ = widen_to_words(brief.text, mention.start, mention.end)
        assert start in _matches(brief.text, found), (mention, found)
        # The first match is the mention itself, or an identical passage whose context is the same words.
        first = _matches(brief.text, found)[0]
        assert first == start or brief.text[first : first + 60] == brief.text[start : start + 60]


@pytest.mark.parametrize("quote", ["Vladimir Putin", "mini-summit", "Trade, transport & links"])
def test_the_decoded_parts_find_the_quote_where_it_stands(quote: str) -> None:
    assert _matches(LEAD, directive_of(quote)) == [LEAD.index(quote)]


def _context_in_full(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix words found by listing every word of the paragraph (as before the window)."""
    begin = text.rfind("\n", 0, start) + 1
    after = text.find("\n", end)
    runs = re.compile(r"\S+")
    before = list(runs.finditer(text, begin, start))[::-1]
    following = list(runs.finditer(text, end, len(text) if after == -1 else after))

    def take(runs: list[re.Match[str]]) -> list[re.Match[str]]:
        taken, counted = [], 0
        for run in runs:
            if counted == 3:
                break
            taken.append(run)
            counted += bool(re.search(r"\w", run.group()))
        return taken

    prefix, suffix = take(before), take(following)
    return (
        text[prefix[-1].start() : start].strip() if prefix else "",
        text[end : suffix[-1].end()].strip() if suffix else "",
    )


_PIECES = st.sampled_from(["a", "bc", "é", " ", " ", " ", "\n", "-", "“", "&", "x" * 50, "y" * 70, "- " * 40])


@settings(max_examples=500)
@given(st.lists(_PIECES, max_size=60).map("".join), st.data())
def test_the_context_words_are_those_of_the_whole_paragraph(text: str, data: st.DataObject) -> None:
    # prefix_words and suffix_words look at a window around the quote first; the words must be the same
    # as when every word of the paragraph is listed (long words and long runs of punctuation included).
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert (prefix_words(text, start), suffix_words(text, end)) == _context_in_full(text, start, end)


@pytest.mark.parametrize("text", ["y" * 70 + " " + "y" * 70 + " a", "a " + "y" * 70 + " " + "y" * 70])
def test_a_long_word_cut_by_the_window_is_taken_whole(text: str) -> None:
    for at in (0, 2, len(text) - 2, len(text)):
        assert (prefix_words(text, at), suffix_words(text, at)) == _context_in_full(text, at, at)


@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_a_part_is_encoded_as_quote_encodes_it_with_the_hyphen(text: str) -> None:
    assert encode_part(text) == quote(text, safe="").replace("-", "%2D")
