"""The fast reading of a bracketed span's attributes agrees with mdit-py-plugins' parser."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from mdit_py_plugins.attrs.parse import ParseError, parse

from briefs.syntax import read_span_attributes

_PIECES = [
    "{", "}", " ", "\t", "\n", "\r", "\v", "\u00a0", ".", "#", "=", '"', "\\", "%", "'", ",",
    "actor", "ref", "class", "id", "x", "é", "٣", "-", "_", ":", "a1",
]  # fmt: skip


def _reference(src: str, pos: int) -> tuple[int, dict[str, str]] | None:
    try:
        end, attrs = parse(src[pos:])
    except ParseError:
        return None
    return pos + end, attrs


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14), st.text(max_size=3))
def test_same_reading_as_the_plugin(pieces: list[str], before: str) -> None:
    src = before + "{" + "".join(pieces)
    assert read_span_attributes(src, len(before)) == _reference(src, len(before))


def test_common_forms() -> None:
    src = 'x{.actor ref=nikol-pashinyan #me k="a b" class=two}tail'
    assert read_span_attributes(src, 1) == (src.index("}"), _reference(src, 1)[1])  # type: ignore[index]
    assert read_span_attributes(src, 1)[1] == {  # type: ignore[index]
        "ref": "nikol-pashinyan", "id": "me", "k": "a b", "class": "actor two",
    }  # fmt: skip
