"""Briefs that only bytes can describe: encodings, line endings and size limits.

The text cases live in ``tests/fixtures/errors/encoding-and-limits.md``; these
need bytes that a UTF-8 fixture file cannot hold, or sizes it should not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.brief import parse_brief
from briefs.entities import load_entities
from briefs.errors import ContentError
from briefs.model import Brief, Entities

ENTITIES_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "entities.yaml"
BRIEF_PATH = "briefs/case.md"
SHOWN_PATH = "fixture-content/briefs/case.md"
MIB = 1024 * 1024
FRONT_MATTER = b"---\nid: case\ntitle: Case\npublished: 2024-01-01\n---\n"
BODY = b'\n## Background\n\n::: {.factor title="A factor"}\nThe [OSCE]{.actor ref=osce} met.\n:::\n'
"""Lines 6-11 of a brief: a section on line 7 and a factor on lines 9 to 11."""


def _entities() -> Entities:
    entities, errors = load_entities([(str(ENTITIES_FILE), ENTITIES_FILE.read_text(encoding="utf-8"))])
    assert errors == []
    return entities


ENTITIES = _entities()


def parse(data: bytes) -> tuple[Brief | None, list[ContentError]]:
    result = parse_brief(data, ENTITIES, BRIEF_PATH, SHOWN_PATH)
    assert {error.path for error in result.errors} <= {SHOWN_PATH}
    return result.brief, list(result.errors)


def lines_with(errors: list[ContentError], substring: str) -> list[int]:
    return [error.line for error in errors if substring in error.message]


def test_the_base_brief_is_valid() -> None:
    brief, errors = parse(FRONT_MATTER + BODY)
    assert errors == []
    assert brief is not None
    assert [(e.id, e.source.line_start, e.source.line_end) for e in brief.elements] == [("factor-1", 9, 11)]


# -- encodings ----------------------------------------------------------------

INVALID_UTF8 = {
    "a stray 0xff byte": b"\xff",
    "a truncated two-byte sequence": b"\xc3",
    "an overlong encoding of '/'": b"\xc0\xaf",
    "an encoded surrogate": b"\xed\xa0\x80",
    "Latin-1 text": "Zürich".encode("latin-1"),
}


@pytest.mark.parametrize("bad", INVALID_UTF8.values(), ids=INVALID_UTF8.keys())
def test_invalid_utf8_is_reported_at_its_line(bad: bytes) -> None:
    brief, errors = parse(FRONT_MATTER + b"\n## Background\n\nTalks in " + bad + b" went well.\n")
    assert brief is None
    assert lines_with(errors, "invalid UTF-8") == [9]


def test_every_line_with_invalid_utf8_is_reported() -> None:
    brief, errors = parse(FRONT_MATTER + b"\nOne \xff.\n\nTwo.\n\nThree \xfe.\n")
    assert brief is None
    assert lines_with(errors, "invalid UTF-8") == [7, 11]


def test_invalid_utf8_in_the_front_matter_is_reported_at_its_line() -> None:
    brief, errors = parse(b"---\nid: case\ntitle: Z\xfcrich\npublished: 2024-01-01\n---\n\nBody.\n")
    assert brief is None
    assert lines_with(errors, "invalid UTF-8") == [3]


def test_invalid_utf8_does_not_hide_other_errors() -> None:
    brief, errors = parse(FRONT_MATTER + b"\nCaf\xe9.\n\n[Nobody]{.actor ref=nobody}.\n")
    assert brief is None
    assert lines_with(errors, "invalid UTF-8") == [7]
    assert lines_with(errors, "unknown actor 'nobody'") == [9]


def test_a_utf16_file_is_rejected_as_invalid_utf8() -> None:
    brief, errors = parse((FRONT_MATTER + BODY).decode("utf-8").encode("utf-16"))
    assert brief is None
    assert lines_with(errors, "invalid UTF-8")


def test_a_utf8_byte_order_mark_is_ignored() -> None:
    brief, errors = parse(b"\xef\xbb\xbf" + FRONT_MATTER + BODY)
    assert errors == []
    assert brief is not None
    assert brief.id == "case"
    assert brief.elements[0].source.line_start == 9


# -- line endings -------------------------------------------------------------


def test_windows_line_endings_parse_like_unix_ones() -> None:
    brief, errors = parse((FRONT_MATTER + BODY).replace(b"\n", b"\r\n"))
    assert errors == [], "\n".join(str(error) for error in errors)
    assert brief is not None
    assert [s.id for s in brief.sections] == ["background"]
    assert [(e.id, e.title, e.text, e.source.line_start, e.source.line_end) for e in brief.elements] == [
        ("factor-1", "A factor", "The OSCE met.", 9, 11)
    ]


# -- sizes --------------------------------------------------------------------


def _brief_of_size(size: int) -> bytes:
    """A valid brief padded with paragraphs to exactly ``size`` bytes."""
    head = FRONT_MATTER + BODY + b"\n"
    paragraph = b"The talks went on. " * 50 + b"\n\n"
    body = paragraph * ((size - len(head)) // len(paragraph))
    data = head + body
    return data + b"x" * (size - len(data) - 1) + b"\n"


def test_a_file_over_1_mb_is_rejected_at_line_1() -> None:
    data = _brief_of_size(MIB + 1)
    assert len(data) == MIB + 1
    brief, errors = parse(data)
    assert brief is None
    assert lines_with(errors, "larger than 1 MB") == [1]


def test_a_large_file_under_1_mb_is_parsed() -> None:
    data = _brief_of_size(900 * 1024)
    brief, errors = parse(data)
    assert errors == []
    assert brief is not None
    assert brief.word_count > 100_000


def _front_matter_with_summary(size: int) -> bytes:
    words = ("word " * (size // 5)).strip()
    return b"---\nid: case\ntitle: Case\npublished: 2024-01-01\nsummary: " + words.encode() + b"\n---\n" + BODY


def test_front_matter_over_64_kb_is_rejected() -> None:
    brief, errors = parse(_front_matter_with_summary(65 * 1024))
    assert brief is None
    assert lines_with(errors, "front matter is larger than 64 KB") in ([1], [2])


def test_front_matter_over_64_kb_does_not_hide_body_errors() -> None:
    data = _front_matter_with_summary(65 * 1024) + b"\n[Nobody]{.actor ref=nobody}.\n"
    brief, errors = parse(data)
    assert brief is None
    assert lines_with(errors, "front matter is larger than 64 KB")
    assert lines_with(errors, "unknown actor 'nobody'") == [14]


def test_front_matter_under_64_kb_is_read() -> None:
    brief, errors = parse(_front_matter_with_summary(60 * 1024))
    assert errors == []
    assert brief is not None
    assert brief.summary is not None
    assert len(brief.summary) > 60_000


@pytest.mark.parametrize("depth", [100, 500, 5000])
def test_deeply_nested_yaml_is_an_error_not_a_crash(depth: int) -> None:
    # Errors are values: one hostile brief must not stop the others from loading.
    nested = b"[" * depth + b"]" * depth
    brief, errors = parse(b"---\nid: case\ntitle: Case\npublished: 2024-01-01\nsummary: " + nested + b"\n---\n" + BODY)
    assert brief is None
    assert [error.line for error in errors] == [5]


CONTROL_CHARACTERS = {"BEL": "\x07", "unit separator": "\x1f", "escape": "\x1b", "noncharacter U+FFFE": "\ufffe"}


@pytest.mark.parametrize("char", CONTROL_CHARACTERS.values(), ids=CONTROL_CHARACTERS.keys())
def test_a_control_character_in_the_front_matter_is_an_error_not_a_crash(char: str) -> None:
    data = f"---\nid: case\ntitle: Ca{char}se\npublished: 2024-01-01\n---\n\nBody.\n".encode()
    brief, errors = parse(data)
    assert brief is None
    assert [error.line for error in errors] in ([2], [3])
