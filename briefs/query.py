"""Reading what people type into a search box as a query for the full-text index.

A query is read in one of two ways, and never refused:

- **Words** (the usual case). Plain words must all match; ``"a phrase"`` matches
  the words in that order; ``-word`` or ``-"a phrase"`` excludes; ``word*`` is a
  prefix; ``a OR b`` (or ``a | b``) matches either, and binds tighter than the
  implicit AND. Apostrophes, curly or straight, and hyphens behave as in the
  text: ``Putin's`` reads as ``Putin`` (as Elasticsearch's English possessive
  filter does), ``Armenian-Azerbaijani`` as ``Armenian Azerbaijani``. Common
  English words (``the``, ``what``, ``does`` ...) are not required to match
  unless the query has nothing else, but still rank the exact phrase first. A
  word, or run of words, that is the name or an alias of an actor or event also
  matches every passage that mentions that entity, whatever words it uses; so
  does a prefix whose words are a whole name (``Nakhchivan*``).
- **FTS5 syntax**, as written, when the query uses one of FTS5's own operators
  (``AND``, ``NOT``, ``NEAR``, parentheses, ``^`` or a column filter such as
  ``title:``) and FTS5 can parse it. When it cannot, the query is read as words,
  with the operators' punctuation ignored. ``NEAR`` between two words (``Sochi NEAR Brussels``,
  not FTS5 syntax) is left out too, rather than required as a word.

Control characters (NUL included) are dropped, and reported; a tab or a line break is a space. Typographic
double quotes (“a phrase”, „a phrase“, «a phrase») delimit a phrase as ``"`` does.

This module reads and writes the words syntax; :mod:`briefs.expressions` turns
what it read into FTS5 expressions, and :mod:`briefs.search` checks FTS5 syntax
against the index and runs the query.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from briefs.names import EntityNames, NamedEntity
from briefs.words import fold, is_word_character, split_words

SYNTAX_WORDS = "words"
"""The query was read in the words syntax described above."""
SYNTAX_FTS5 = "fts5"
"""The query was given to FTS5 as written."""
# Lucene's English stop words, and the question words and auxiliaries that start the questions
# people type ("what did Putin say about the EU").

_STOP_WORDS = """
a an and are as at be but by for if in into is it no not of on or such that the their then there these they
this to was will with what which who whom whose when where why how do does did has have had can could would
should may might about from its i we you he she his her our your my me us them been being were
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
"""Words that a query of other words does not require."""
_APOSTROPHES = dict.fromkeys("\u2019\u2018\u02bc\uff07\u0060\u00b4", "'")
# Typographic double quotes delimit a phrase as " does: phones and word processors turn "a phrase" into
# “a phrase” (English), „a phrase“ (German) or «a phrase» (French) as it is typed.
_QUOTES = dict.fromkeys("\u201c\u201d\u201e\u201f\u00ab\u00bb\uff02", '"')
_PLAIN_MARKS = str.maketrans({**_APOSTROPHES, **_QUOTES})
"""Every apostrophe and double quote made plain, in one pass."""
# The controls that stand for a space in pasted text. Every other control character (the information
# separators U+001C to U+001F included, which str.split() would take for spaces) is dropped and reported.
_WHITESPACE_CONTROLS = frozenset("\t\n\r")
_FTS5_OPERATOR = re.compile(r"(?:^|\s)(?:AND|NOT)(?=\s|$)|NEAR\s*\(|[()^]|[^\s\"]:")
_FTS5_PUNCTUATION = re.compile(r"[(){}^:+,]")
_FTS5_WORDS = re.compile(r"(?<!\S)(?:AND|NOT|NEAR)(?!\S)")
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})
INFIX_NEAR = re.compile(r"(?<=\S)\s+NEAR(?=\s+\S)")
"""NEAR between two words, as other search engines write proximity; FTS5 wants NEAR(a b)."""


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a query, as typed."""

    text: str
    """The word without a possessive 's."""
    possessive: bool = False
    """True when it was typed with a possessive 's (``Putin's``)."""


@dataclass(frozen=True, slots=True)
class Term:
    """Something to look for: a word, words joined by punctuation, or a phrase."""

    words: tuple[Word, ...]
    """Its words, at least one."""
    phrase: bool = False
    """Typed in double quotes: the words in this order."""
    prefix: bool = False
    """Typed with a final ``*``: the last word is the start of a word."""
    entities: tuple[NamedEntity, ...] = ()
    """The entities its words name; a passage that mentions one matches too."""


@dataclass(frozen=True, slots=True)
class Group:
    """Terms of which one must match (``a OR b``); or, if excluded, none may."""

    terms: tuple[Term, ...]
    excluded: bool = False


@dataclass(frozen=True, slots=True)
class Reading:
    """A query as read: what it asks for, in FTS5 terms and in the words syntax."""

    as_read: str
    """The query as understood, in the syntax it was read in."""
    syntax: str
    """:data:`SYNTAX_WORDS` or :data:`SYNTAX_FTS5`."""
    match: str | None
    """The FTS5 expression that selects hits; None when there is nothing to look for."""
    tiers: tuple[str, ...] = ()
    """Expressions whose hits rank first, in this order: the exact phrase, then the named entities."""
    groups: tuple[Group, ...] = ()
    """The words syntax, parsed (empty for FTS5 syntax)."""
    dropped: tuple[str, ...] = ()
    """Control characters that were dropped, as ``U+0000``."""
    notes: tuple[str, ...] = ()
    """Sentences that explain the reading to a person."""

    @property
    def entities(self) -> tuple[NamedEntity, ...]:
        """The entities that the query names, in order, each once."""
        found = (e for group in self.groups if not group.excluded for term in group.terms for e in term.entities)
        return tuple(dict.fromkeys(found))


# -- reading ---------------------------------------------------------------------------


def clean(q: str) -> tuple[str, tuple[str, ...]]:
    """``q`` with control characters dropped (and listed, as ``U+0000``; words on either side stay
    apart), tabs and line breaks made spaces, every apostrophe (curly, modifier, full-width) made
    a plain ``'`` and every typographic double quote (“ ” „ « ») a plain ``"``."""
    kept, dropped = [], []
    for char in q:
        if char in _WHITESPACE_CONTROLS:
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cs"):
            dropped.append(f"U+{ord(char):04X}")
            kept.append(" ")  # dropped, but the words on either side stay apart
        else:
            kept.append(char)
    return "".join(kept).translate(_PLAIN_MARKS), tuple(dict.fromkeys(dropped))


def looks_like_fts5(text: str) -> bool:
    """True when ``text`` uses an operator that only FTS5 syntax has."""
    return _FTS5_OPERATOR.search(text) is not None


def without_fts5_operators(text: str) -> str:
    """``text`` with FTS5's own operators and punctuation made spaces, to be read as words."""
    return _FTS5_WORDS.sub(" ", _FTS5_PUNCTUATION.sub(" ", text))


def parse(text: str) -> list[Group]:
    """The words syntax: groups of terms, in the order typed."""
    groups: list[Group] = []
    position, joining = 0, False
    while position < len(text):
        if text[position].isspace():
            position += 1
            continue
        excluded = text[position] == "-" and position + 1 < len(text) and _starts_term(text[position + 1])
        position += excluded
        if text[position] == '"':
            end = text.find('"', position + 1)
            end = len(text) if end < 0 else end
            body, position = text[position + 1 : end], end + 1
            prefix = position < len(text) and text[position] == "*"
            term = _term(body, phrase=True, prefix=prefix)
        else:
            end = position
            while end < len(text) and not text[end].isspace() and text[end] != '"':
                end += 1
            token, position = text[position:end], end
            if token in ("OR", "|") and not excluded:
                joining = bool(groups) and not groups[-1].excluded
                continue
            term = _term(token, phrase=False, prefix=token.endswith("*"))
        if term is None:
            continue
        if joining and not excluded:
            groups[-1] = Group((*groups[-1].terms, term))
        else:
            groups.append(Group((term,), excluded))
        joining = False
    return [split for group in groups for split in _split_joined(group)]


def _split_joined(group: Group) -> list[Group]:
    """Words joined by punctuation (``Armenian-Azerbaijani``, ``don't``) are read as separate words,
    unless they are excluded together or are one alternative of ``OR``."""
    term = group.terms[0]
    if group.excluded or len(group.terms) > 1 or term.phrase or len(term.words) == 1:
        return [group]
    last = len(term.words) - 1
    return [Group((Term((word,), prefix=term.prefix and i == last),)) for i, word in enumerate(term.words)]


def _starts_term(char: str) -> bool:
    return char == '"' or is_word_character(char)


def _term(text: str, *, phrase: bool, prefix: bool) -> Term | None:
    found = tuple(_words(text))
    return Term(found, phrase=phrase, prefix=prefix) if found else None


def _words(text: str) -> Iterator[Word]:
    """The words of a token or phrase; a final ``'s`` after a word is a possessive, and left out."""
    pending: Word | None = None
    index = 0
    for part in split_words(text):
        start = text.index(part, index)
        index = start + len(part)
        if (
            pending is not None and part in ("s", "S") and text[start - 1 : start] == "'"
            and start >= 2 and is_word_character(text[start - 2])
        ):  # fmt: skip
            pending = replace(pending, possessive=True)
            continue
        if pending is not None:
            yield pending
        # A word such as OR that is not an operator where it stands (":OR") is kept in lower case,
        # so that the query as read is read the same way again.
        pending = Word(part.lower() if part in _OPERATOR_WORDS else part)
    if pending is not None:
        yield pending


def resolve(groups: Iterable[Group], names: EntityNames) -> list[Group]:
    """Mark the terms that name an entity. Consecutive plain words are matched against names,
    longest first (``Vladimir Putin`` before ``Putin``); a phrase, an alternative of ``OR``, or an
    excluded term names an entity when all of its words do."""
    result: list[Group] = []
    pending: list[Group] = []
    for group in groups:
        if is_plain(group):
            pending.append(group)
            continue
        result += _resolve_run(pending, names)
        pending = []
        # A prefix names an entity when its words do: "Nakhchivan*" stands for the name and the words
        # that start with it, so it finds every mention that "Nakhchivan" finds.
        terms = tuple(replace(t, entities=names.find(folded_words(t.words))) for t in group.terms)
        result.append(replace(group, terms=terms))
    return result + _resolve_run(pending, names)


def is_plain(group: Group) -> bool:
    """One positive term of plain words: not a phrase, a prefix, an exclusion or an alternative."""
    return not group.excluded and len(group.terms) == 1 and not group.terms[0].phrase and not group.terms[0].prefix


def folded_words(words: Iterable[Word]) -> tuple[str, ...]:
    """The words as search compares them with names."""
    return tuple(part for word in words for part in split_words(fold(word.text)))


def _resolve_run(run: list[Group], names: EntityNames) -> list[Group]:
    """Plain one-term groups, with each longest run of terms that spells a name merged into one term."""
    result: list[Group] = []
    start = 0
    while start < len(run):
        for end in range(min(len(run), start + names.longest), start, -1):
            words = tuple(word for group in run[start:end] for word in group.terms[0].words)
            found = names.find(folded_words(words)) if len(words) <= names.longest else ()
            if found:
                result.append(Group((Term(words, entities=found),)))
                start = end
                break
        else:
            result.append(run[start])
            start += 1
    return result


def render(groups: Iterable[Group]) -> str:
    """Groups written back in the words syntax: reading the result again gives the same query."""
    return " ".join(_render_group(group) for group in groups)


def _render_group(group: Group) -> str:
    # Plain words that spell a name are written apart (they were typed apart, or joined, alike);
    # words joined by punctuation in an excluded term or an alternative of OR keep a hyphen.
    joiner = " " if is_plain(group) else "-"
    return ("-" if group.excluded else "") + " OR ".join(_render_term(term, joiner) for term in group.terms)


def _render_term(term: Term, joiner: str) -> str:
    star = "*" if term.prefix else ""
    if term.phrase:
        # A possessive matters inside a phrase ("Putin's role" is also tried as "Putin s role").
        return '"' + " ".join(word.text + ("'s" if word.possessive else "") for word in term.words) + '"' + star
    return joiner.join(word.text for word in term.words) + star
