"""The markdown-it parser for briefs: CommonMark with raw HTML off, plus Pandoc's
front matter, fenced divs, bracketed spans and heading attributes.

Each syntax extension is a small plugin; rendering HTML is a separate step.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_block.table import table
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.attrs.index import _add_attrs
from mdit_py_plugins.attrs.parse import ParseError, parse
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

DIV = "div"
"""The one generic container: every Pandoc fenced div becomes ``container_div_*`` tokens."""

_TRAILING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")


def heading_attrs_plugin(md: MarkdownIt) -> None:
    """Read a trailing ``{#id .class key=value}`` on a heading, as Pandoc does.

    The attributes go to the ``heading_open`` token's ``meta["attrs"]``; the
    heading's text loses them. The attrs plugin does not handle headings.
    """
    md.core.ruler.before("inline", "heading_attrs", _heading_attrs_rule)


def _heading_attrs_rule(state: StateCore) -> None:
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        match = _TRAILING_ATTRS.search(inline.content)
        if match is None or inline.content[: match.start(1)].endswith(("]", "\\")):
            continue  # no attributes, or a bracketed span's ([words]{.actor ref=x}), or an escaped brace
        if match.group(1).replace(" ", "") == "{-}":
            attrs = {"class": "unnumbered"}  # Pandoc's shorthand for {.unnumbered}
        else:
            try:
                _, attrs = parse(match.group(1))
            except ParseError:
                continue
        token.meta["attrs"] = attrs
        inline.content = inline.content[: match.start()]


def _accept_div(params: str, *_args: Any) -> bool:
    # A bare fence line closes a div; only a fence with something after it opens one.
    return bool(params.strip())


def _render_div(self: Any, tokens: Sequence[Token], index: int, options: Any, env: Any) -> str:
    return self.renderToken(tokens, index, options, env)  # type: ignore[no-any-return]


_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
ALLOWED_SCHEMES = frozenset({"http", "https", "mailto"})
"""Links and images may use these schemes, or none (a relative link or an #anchor)."""


def validate_link(url: str) -> bool:
    """An allow-list, not markdown-it's deny-list: javascript:, ms-msdt:, tel: … never reach href or src."""
    match = _SCHEME.match(url)
    return match is None or match.group(1).lower() in ALLOWED_SCHEMES


_UNESCAPED_PIPE = re.compile(r"(?<!\\)\|")


def _pipe_table(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """markdown-it's table rule, only where a row holds a pipe that is not escaped, as Pandoc and GFM want:
    markdown-it takes ``\\|`` over ``---`` for a table of one column, where Pandoc reads a heading."""
    if start + 1 >= end or not any(
        _UNESCAPED_PIPE.search(state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]])
        for line in (start, start + 1)
    ):
        return False
    return table(state, start, end, silent)


def create_parser() -> MarkdownIt:
    """A parser with the brief syntax; html is off, so raw HTML stays text."""
    md = MarkdownIt("commonmark", {"html": False, "typographer": False, "linkify": False})
    md.validateLink = validate_link  # type: ignore[method-assign]
    md.enable("table")  # Pandoc pipe tables
    md.block.ruler.at("table", _pipe_table, {"alt": ["paragraph", "reference"]})
    md.use(front_matter_plugin)
    md.use(container_plugin, name=DIV, validate=_accept_div, render=_render_div)
    md.use(attrs_plugin, spans=True, after=())
    md.inline.ruler.at("span", _span_rule)
    md.use(heading_attrs_plugin)
    md.use(inline_cache_plugin)
    return md


# The attributes of a bracketed span in their common forms, read by one regex. mdit-py-plugins reads
# them a character at a time, after copying the rest of the paragraph (``src[pos:]``), which made
# the span rule the largest part of parsing (31% of tokenising a generated brief). Its reading of
# these forms is the same: anything else (comments, escapes, unicode spaces...) still goes to it.
_SEP = r"[ \t\n\r]"
_NAME = r"[^\s!\"#$%&'()*+,./;<=>?@\[\]^`{|}~]+"
_KEY = r"[a-zA-Z\d_:-]+"
_SPAN_ITEM = re.compile(rf'\.({_NAME})|#({_NAME})|({_KEY})=(?:"([^"\\{{}}\n]*)"|({_KEY}))')
_SPAN_ATTRS = re.compile(rf"\{{{_SEP}*(?:(?:{_SPAN_ITEM.pattern})(?:{_SEP}+|(?=\}})))*\}}")


def read_span_attributes(src: str, pos: int) -> tuple[int, dict[str, str]] | None:
    """The attributes at ``src[pos]`` (a ``{``) and the index of their closing ``}``, as
    :func:`mdit_py_plugins.attrs.parse.parse` reads them; None if they are malformed."""
    match = _SPAN_ATTRS.match(src, pos)
    if match is None:
        try:
            end, parsed = parse(src[pos:])
        except ParseError:
            return None
        return pos + end, parsed
    return match.end() - 1, _collect(_SPAN_ITEM.finditer(src, pos + 1, match.end() - 1))


def _collect(items: Iterable[re.Match[str]]) -> dict[str, str]:
    """The attributes of matches whose groups are a class, an id, then a key with the forms of its value:
    double-quoted, then bare (spans), or double-quoted, single-quoted, then bare (fences). Classes are joined
    by spaces, as mdit-py-plugins gives them, and ``\\"`` in a double-quoted value reads as ``"``."""
    attrs: dict[str, str] = {}
    classes = []
    for item in items:
        class_name, identifier, key, double, *others = item.groups()
        if class_name is not None:
            classes.append(class_name)
        elif identifier is not None:
            attrs["id"] = identifier
        else:
            if double is not None:
                value = double.replace('\\"', '"')
            else:  # the single-quoted form if given, else the bare one (the only other form of a span's value)
                value = others[0] if others[0] is not None else others[-1]
            if key == "class":
                classes.append(value)
            else:
                attrs[key] = value
    if classes:
        attrs["class"] = " ".join(classes)
    return attrs


def _span_rule(state: StateInline, silent: bool) -> bool:
    """mdit-py-plugins' span rule (``[text]{attrs}``), reading the attributes with
    :func:`read_span_attributes`, and only when a ``{`` follows the ``]``."""
    if state.src[state.pos] != "[":
        return False
    maximum = state.posMax
    label_start = state.pos + 1
    label_end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if label_end < 0 or label_end + 1 >= maximum or state.src[label_end + 1] != "{":
        return False
    read = read_span_attributes(state.src, label_end + 1)
    if read is None:
        return False
    end, attrs = read
    if not silent:
        state.pos = label_start
        state.posMax = label_end
        token = state.push("span_open", "span", 1)
        _add_attrs(state.md, token, attrs, None)
        state.md.inline.tokenize(state)
        state.push("span_close", "span", -1)
    state.pos = end + 1
    state.posMax = maximum
    return True


INLINE_CACHE_SIZE = 8192
"""Paragraphs, headings and cells whose inline tokens a parser remembers."""


def inline_cache_plugin(md: MarkdownIt) -> None:
    """Parse the inline content of a block once per text: later parses get a copy of its tokens.

    Versions of a brief differ in a paragraph or two, yet each was parsed whole: the inline
    rules (spans and their attributes above all) were two thirds of the time of a build with
    history. The tokens depend on the text alone, unless the document defines link references
    (then the block is parsed as markdown-it does). Later core rules change tokens in place, so
    the cache keeps pristine tokens and hands out copies. A text met for the first time is parsed
    as markdown-it does and only remembered: most texts of a build from scratch are met once, and
    copying their tokens into the cache cost a tenth of the parse.
    """
    md.core.ruler.at("inline", _cached_inline_rule(md))


def _cached_inline_rule(md: MarkdownIt) -> Callable[[StateCore], None]:
    @lru_cache(maxsize=INLINE_CACHE_SIZE)
    def parse_inline(content: str) -> tuple[Token, ...]:
        children: list[Token] = []
        md.inline.parse(content, md, {}, children)
        return tuple(children)

    seen: dict[str, None] = {}
    """Texts met once, oldest first (at most INLINE_CACHE_SIZE)."""

    def rule(state: StateCore) -> None:
        references = state.env.get("references")
        for token in state.tokens:
            if token.type != "inline":
                continue
            if references or token.content not in seen:
                if not references:
                    seen[token.content] = None
                    if len(seen) > INLINE_CACHE_SIZE:
                        del seen[next(iter(seen))]
                token.children = token.children or []
                state.md.inline.parse(token.content, state.md, state.env, token.children)
            else:
                token.children = _copy_tokens(parse_inline(token.content))

    return rule


def _copy_tokens(tokens: Sequence[Token]) -> list[Token]:
    # Fields set one by one on a bare instance: a third of the cost of Token(...) with keywords and
    # __post_init__ (about 0.5 against 1.4 us a token), for a few hundred tokens a brief.
    copies = []
    for t in tokens:
        copy = _bare_token(Token)
        copy.type, copy.tag, copy.nesting, copy.attrs, copy.map = t.type, t.tag, t.nesting, dict(t.attrs), t.map
        copy.level, copy.children = t.level, None if t.children is None else _copy_tokens(t.children)
        copy.content, copy.markup, copy.info, copy.meta = t.content, t.markup, t.info, dict(t.meta)
        copy.block, copy.hidden = t.block, t.hidden
        copies.append(copy)
    return copies


def _copy_tokens_by_fields(tokens: Sequence[Token]) -> list[Token]:
    return [
        dataclasses.replace(
            t, attrs=dict(t.attrs), meta=dict(t.meta), children=None if t.children is None else _copy_tokens(t.children)
        )
        for t in tokens
    ]


_bare_token = object.__new__
if tuple(field.name for field in dataclasses.fields(Token)) != (
    "type", "tag", "nesting", "attrs", "map", "level", "children", "content", "markup", "info", "meta", "block",
    "hidden",
):  # fmt: skip
    _copy_tokens = _copy_tokens_by_fields  # another markdown-it-py: a field the fast copy would miss


_SINGLE_QUOTED = re.compile(r"""([A-Za-z0-9_:-]+)='([^']*)'""")


# A fence's attributes as Pandoc reads them: items, white space between them optional; a value double-quoted
# (``\"`` inside), single-quoted, or bare up to the next white space or brace, so that
# ``title=U.S.-led`` is one value, not the value ``U`` followed by the classes ``.S`` and ``.-led``.
_FENCE_ITEM = (
    r"""\.([\w:-]+)|\#([\w:-]+)"""
    r"""|([A-Za-z0-9_:-]+)=(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"'{}][^\s{}]*))"""
)
_FENCE_ATTRS = re.compile(rf"\{{\s*(?:(?:{_FENCE_ITEM})\s*)*\}}\s*")
_ONE_FENCE_ITEM = re.compile(_FENCE_ITEM)


def _parse_simple(text: str) -> dict[str, str] | None:
    """The common forms (``.class``, ``#id``, ``key=bare``, ``key="quoted"``, ``key='quoted'``)
    without the character-by-character parser; None sends anything else to it."""
    if _FENCE_ATTRS.fullmatch(text) is None:
        return None
    return _collect(_ONE_FENCE_ITEM.finditer(text))


def parse_attributes(text: str) -> dict[str, str] | None:
    """Parse a whole ``{...}`` attribute string, or None if it is malformed.

    Values may be double-quoted, single-quoted (as Pandoc allows) or bare.
    """
    simple = _parse_simple(text)
    if simple is not None:
        return simple
    text = _SINGLE_QUOTED.sub(lambda m: m.group(1) + '="' + m.group(2).replace('"', '\\"') + '"', text)
    try:
        end, attrs = parse(text)
    except ParseError:
        return None
    if text[end + 1 :].strip():
        return None
    return {key: value.replace('\\"', '"') for key, value in attrs.items()}
