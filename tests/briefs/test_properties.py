"""Properties of parse_brief on inputs nobody wrote by hand.

Whatever the bytes, an author gets either a brief and no errors, or no brief
and at least one error, each pointing at a line of the file; when a brief
comes back, its blocks point at their fence lines.
"""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefs.brief import ParseResult, parse_brief
from briefs.entities import load_entities
from tests.briefs.hang import time_limit

ROOT = Path(__file__).resolve().parents[2]
SEED_PATH = "briefs/sochi-summit-2021.md"
SEED_TEXT = (ROOT / "content" / SEED_PATH).read_text(encoding="utf-8")
SEED_LINES = SEED_TEXT.split("\n")
ENTITIES, _ = load_entities(
    (str(path), path.read_text(encoding="utf-8")) for path in sorted((ROOT / "content" / "entities").glob("*.yaml"))
)
PATH = "briefs/probe.md"
FRONT_MATTER = "---\nid: probe\ntitle: Probe\npublished: 2021-11-29\n---\n"
# markdown-it (and so every line the parser reports) counts \r\n, \r and \n as line ends.
LINE_END = re.compile(r"\r\n?|\n")
FENCE_LINE = re.compile(r":{3,}[ \t]*")

MARKDOWN_PIECES = (
    *'#:{}[].="-`<>', *"abxZé", "\n", "\n\n", "\r", "\r\n", "\u2028", "\x85", "\t", " ", "    ",
    ":::", "::::", "##", "###", "#", "-", "---", "factor", "expectation", "scenario", "strategy-element",
    "actor", "event", "ref=", "#id", ".factor", "title=", "armenia", "sochi-meeting-2021", "<b>",
)  # fmt: skip
MARKDOWNISH = st.lists(st.sampled_from(MARKDOWN_PIECES), max_size=60).map("".join)
# Characters that some tool or other reads as the end of a line.
LINE_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1c"])
MIXED_LINES = st.lists(st.tuples(MARKDOWNISH, LINE_BREAKS), max_size=12).map(
    lambda pairs: "".join(text + end for text, end in pairs)
)
ANY_TEXT = st.one_of(st.text(), MARKDOWNISH, MIXED_LINES)
YAML_LINES = st.lists(
    st.tuples(
        st.sampled_from(
            ["id: probe", "title: Probe", "published: 2021-11-29", "updated: 2021-01-01", "revision: 0", "tags:",
             "  - Bad Tag", "about: [nope]", "authors:", "  - name: Ana", "    email: x", "colour: red", "title: [",
             "  x: &a 1", "'", "", "# comment", "language: 12"]
        ),
        LINE_BREAKS,
    ),
    max_size=12,
).map(lambda pairs: "".join(text + end for text, end in pairs))  # fmt: skip
INSERTED_LINES = st.one_of(
    st.sampled_from(
        [
            ":::",
            "::::",
            ":::::",
            "::: factor",
            "::: {.factor}",
            "::: scenario",
            "::: {.scenario #s}",
            ':::: {.expectation #e title="E"}',
            "::: {.factor #return-to-diplomacy}",
            "::: {.strategy-element actor=x}",
            "::: {.factor",
            "::: factors",
            "## Heading",
            "## What to Expect Next {#outlook}",
            "### Sub {#sub}",
            "# Title",
            "#### Deep",
            "",
            "[x]{.actor ref=armenia}",
            "[x]{.event ref=nope}",
            "[x]{.actor}",
            "[x]{.place ref=sochi}",
            "---",
            "<div>raw</div>",
            "```",
            "    indented",
        ]
    ),
    MARKDOWNISH.map(lambda text: text.replace("\n", " ")),
)
PARSE_TIMEOUT_S = 5
PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def file_lines(data: bytes) -> list[str]:
    """The file's lines as the parser numbers them."""
    return LINE_END.split(data.decode("utf-8", errors="replace").removeprefix("\ufeff"))


def parse_and_check(data: bytes, path: str = PATH) -> ParseResult:
    """Parse, then check that the result is a clean brief or a list of errors on real lines."""
    with time_limit(PARSE_TIMEOUT_S):
        result = parse_brief(data, ENTITIES, path)
    if result.brief is not None:
        assert result.errors == ()
    else:
        assert result.errors, "no brief and no error to tell the author why"
    last_line = len(file_lines(data)) + 1
    for error in result.errors:
        assert 1 <= error.line <= last_line, f"{error}, but the file has {last_line - 1} lines: {data!r}"
        assert error.path == path and error.message
    return result


def check_sources(data: bytes, result: ParseResult) -> None:
    """Every section lies within the file, and every block's lines are its fences."""
    if result.brief is None:
        return
    lines = file_lines(data)
    for section in result.brief.sections:
        assert 1 <= section.source.line_start <= section.source.line_end <= len(lines), section.id
    for element in result.brief.elements:
        start, end = element.source.line_start, element.source.line_end
        assert 1 <= start < end <= len(lines), element.id
        assert lines[start - 1].startswith(":::"), f"{element.id} starts on {lines[start - 1]!r}"
        assert FENCE_LINE.fullmatch(lines[end - 1]), f"{element.id} ends on {lines[end - 1]!r}"


@st.composite
def mutated_seed(draw: st.DrawFn) -> bytes:
    """The seed brief with one to three lines deleted, duplicated or inserted."""
    lines = list(SEED_LINES)
    for _ in range(draw(st.integers(1, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["delete", "duplicate", "insert"]))
        if action == "delete":
            del lines[index]
        elif action == "duplicate":
            lines.insert(index, lines[index])
        else:
            lines.insert(index, draw(INSERTED_LINES))
    return "\n".join(lines).encode("utf-8")


def test_seed_brief_is_valid() -> None:
    result = parse_and_check(SEED_TEXT.encode("utf-8"), SEED_PATH)
    assert result.brief is not None
    check_sources(SEED_TEXT.encode("utf-8"), result)


@PROPERTY_SETTINGS
@given(ANY_TEXT)
@example("\r::: factor\r:::\n")  # once an IndexError: lone CRs split lines unlike markdown-it
def test_any_body_after_front_matter(body: str) -> None:
    data = (FRONT_MATTER + body).encode("utf-8", errors="surrogatepass")
    parse_and_check(data)


@PROPERTY_SETTINGS
@given(ANY_TEXT)
@example("\r::: a")  # once an IndexError
@example("a\r::: b\n")  # once an endless loop in the unclosed-fence recovery
def test_any_text_as_the_whole_file(text: str) -> None:
    parse_and_check(text.encode("utf-8", errors="surrogatepass"))


@PROPERTY_SETTINGS
@given(st.one_of(ANY_TEXT, YAML_LINES))
@example("\x1f")  # once a yaml.ReaderError escaping parse_brief
@example("id: probe\u2028\u2028\u2028title: [")  # once reported on line 7 of a 4-line file
def test_any_text_as_front_matter(yaml_text: str) -> None:
    parse_and_check(f"---\n{yaml_text}\n---\n".encode("utf-8", errors="surrogatepass"))


@PROPERTY_SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes(data: bytes) -> None:
    parse_and_check(data)


@PROPERTY_SETTINGS
@given(st.binary(max_size=200))
def test_any_bytes_after_front_matter(tail: bytes) -> None:
    parse_and_check(FRONT_MATTER.encode("utf-8") + tail)


@PROPERTY_SETTINGS
@given(mutated_seed())
def test_mutated_seed(data: bytes) -> None:
    check_sources(data, parse_and_check(data, SEED_PATH))


def summary(result: ParseResult) -> object:
    """What an author sees of a parse: errors, or the brief's sections, blocks, mentions and text."""
    if result.brief is None:
        return [(error.line, error.message) for error in result.errors]
    brief = result.brief
    return (
        [(s.id, s.parent_id, s.source.line_start, s.source.line_end, s.text, s.mentions) for s in brief.sections],
        [(e.id, e.source.line_start, e.source.line_end, e.text, e.mentions) for e in brief.elements],
        [(m.ref, m.line, m.start, m.end) for m in brief.mentions],
        brief.text,
        brief.word_count,
    )


@PROPERTY_SETTINGS
@given(mutated_seed().map(lambda data: data.replace(b"\r", b"")), st.sampled_from([b"\r\n", b"\r"]))
def test_line_endings_do_not_matter(data: bytes, line_end: bytes) -> None:
    with_lf = parse_and_check(data, SEED_PATH)
    converted = data.replace(b"\n", line_end)
    assert summary(parse_and_check(converted, SEED_PATH)) == summary(with_lf)
