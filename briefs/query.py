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
  matches every passage that mentions that entity, whatever words it uses.
- **FTS5 syntax**, as written, when the query uses one of FTS5's own operators
  (``AND``, ``NOT``, ``NEAR``, parentheses, ``^`` or a column filter such as
  ``title:``) and FTS5 can parse it. When it cannot, the query is read as words,
  with the operators' punctuation ignored.

Control characters (NUL included) are dropped, and reported.

This module only reads and writes text; :mod:`briefs.search` checks FTS5 syntax
against the index and runs the query.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace

from briefs.model import Entities
from briefs.words import fold, is_word_character, name_key, split_words

SYNTAX_WORDS = "words"
"""The query was read in the words syntax described above."""
SYNTAX_FTS5 = "fts5"
"""The query was given to FTS5 as written."""
REFS_COLUMN = "refs"
"""The index column that holds, for each row, a token per entity the row mentions."""
# Lucene's English stop words, and the question words and auxiliaries that start the questions
# people type ("what did Putin say about the EU").

_STOP_WORDS = """
a an and are as at be but by for if in into is it no not of on or such that the their then there these they
this to was will with what which who whom whose when where why how do does did has have had can could would
should may might about from its i we you he she his her our your my me us them been being were
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
"""Words that a query of other words does not require."""
_APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u2018\u02bc\uff07\u0060\u00b4", "'"))
_WHITESPACE_CONTROLS = frozenset("\t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85")
_FTS5_OPERATOR = re.compile(r"(?:^|\s)(?:AND|NOT)(?=\s|$)|NEAR\s*\(|[()^]|[^\s\"]:")
_FTS5_PUNCTUATION = re.compile(r"[(){}^:+,]")
_FTS5_WORDS = re.compile(r"(?<!\S)(?:AND|NOT|NEAR)(?!\S)")
_OPERATOR_WORDS = frozenset({"AND", "OR", "NOT", "NEAR"})
_MAX_VARIANTS = 8
"""Phrase spellings tried at most, with and without each possessive 's."""


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a query, as typed."""

    text: str
    """The word without a possessive 's."""
    possessive: bool = False
    """True when it was typed with a possessive 's (``Putin's``)."""


@dataclass(frozen=True, slots=True)
class NamedEntity:
    """An actor or event, as a query can name it."""

    kind: str
    """``actor`` or ``event``."""
    id: str
    """Its id."""
    name: str
    """Its name (an actor's name, an event's title)."""
    names: tuple[str, ...]
    """Its name and every alias."""

    @property
    def token(self) -> str:
        """The token that stands for it in the ``refs`` column of the index."""
        return ref_token(self.id)


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


class EntityNames:
    """Every name and alias of the actors and events, as a query may contain them."""

    def __init__(self, entities: Entities | None = None) -> None:
        self._by_key: dict[tuple[str, ...], tuple[NamedEntity, ...]] = {}
        actors = entities.actors if entities is not None else {}
        events = entities.events if entities is not None else {}
        named = [NamedEntity("actor", a.id, a.name, (a.name, *a.aliases)) for _, a in sorted(actors.items())]
        named += [NamedEntity("event", e.id, e.title, (e.title, *e.aliases)) for _, e in sorted(events.items())]
        self._ids = {kind: {e.id for e in named if e.kind == kind} for kind in ("actor", "event")}
        for entity in named:
            for name in entity.names:
                key = name_key(name)
                if key and entity not in self._by_key.get(key, ()):
                    self._by_key[key] = (*self._by_key.get(key, ()), entity)
        self.longest = max((len(key) for key in self._by_key), default=0)
        """Words in the longest name."""

    def is_entity(self, kind: str, entity_id: str) -> bool:
        """True if an actor (``kind`` "actor") or event of this id exists."""
        return entity_id in self._ids[kind]

    def names(self) -> list[tuple[str, ...]]:
        """Every name and alias, as folded words."""
        return list(self._by_key)

    def find(self, key: tuple[str, ...]) -> tuple[NamedEntity, ...]:
        """The entities with this name (folded words), if any."""
        return self._by_key.get(key, ())

    def words(self) -> Iterator[str]:
        """Every word of every name, as written."""
        for entities in self._by_key.values():
            for entity in entities:
                for name in entity.names:
                    yield from split_words(name)


def ref_token(entity_id: str) -> str:
    """The single index token that stands for an entity: longer than 64 characters, so that the
    porter stemmer leaves it alone, and made of letters and digits no text contains."""
    return ("zzref" + entity_id.encode().hex()).ljust(66, "z")


# -- reading ---------------------------------------------------------------------------


def clean(q: str) -> tuple[str, tuple[str, ...]]:
    """``q`` with control characters dropped (and listed, as ``U+0000``; words on either side stay
    apart), whitespace controls made spaces, and every apostrophe (curly, modifier, full-width) made
    a plain ``'``."""
    kept, dropped = [], []
    for char in q:
        if char in _WHITESPACE_CONTROLS:
            kept.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cs"):
            dropped.append(f"U+{ord(char):04X}")
            kept.append(" ")  # dropped, but the words on either side stay apart
        else:
            kept.append(char)
    return "".join(kept).translate(_APOSTROPHES), tuple(dict.fromkeys(dropped))


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
        if _plain(group):
            pending.append(group)
            continue
        result += _resolve_run(pending, names)
        pending = []
        terms = tuple(t if t.prefix else replace(t, entities=names.find(_key(t.words))) for t in group.terms)
        result.append(replace(group, terms=terms))
    return result + _resolve_run(pending, names)


def _plain(group: Group) -> bool:
    return not group.excluded and len(group.terms) == 1 and not group.terms[0].phrase and not group.terms[0].prefix


def _key(words: Iterable[Word]) -> tuple[str, ...]:
    return tuple(part for word in words for part in split_words(fold(word.text)))


def _resolve_run(run: list[Group], names: EntityNames) -> list[Group]:
    """Plain one-term groups, with each longest run of terms that spells a name merged into one term."""
    result: list[Group] = []
    start = 0
    while start < len(run):
        for end in range(min(len(run), start + names.longest), start, -1):
            words = tuple(word for group in run[start:end] for word in group.terms[0].words)
            found = names.find(_key(words)) if len(words) <= names.longest else ()
            if found:
                result.append(Group((Term(words, entities=found),)))
                start = end
                break
        else:
            result.append(run[start])
            start += 1
    return result


# -- writing -----------------------------------------------------------------------------


def required(groups: Iterable[Group]) -> tuple[list[Group], list[str]]:
    """The groups that must match, and the common words left out of them (unless nothing else is left)."""
    groups = list(groups)
    optional = [g for g in groups if _plain(g) and not g.terms[0].entities and _is_stop_word(g.terms[0])]
    if len(optional) == len([g for g in groups if not g.excluded]):
        return groups, []
    return [g for g in groups if g not in optional], [g.terms[0].words[0].text for g in optional]


def _is_stop_word(term: Term) -> bool:
    return len(term.words) == 1 and fold(term.words[0].text) in STOP_WORDS


Completions = Callable[[str], Sequence[str]]
"""The words of the corpus, as written, that start with a prefix."""


def read_words(
    groups: list[Group],
    dropped: tuple[str, ...] = (),
    notes: tuple[str, ...] = (),
    completions: Completions | None = None,
) -> Reading:
    """The reading of parsed, resolved groups: their FTS5 expression, tiers and text.

    :param completions: the written words a prefix stands for; without it a prefix matches the
        start of stems only (FTS5's own prefix query)
    """
    must, optional = required(groups)
    positive = [group_expression(g, completions) for g in must if not g.excluded]
    negative = [group_expression(g, completions) for g in must if g.excluded]
    notes = tuple(notes)
    if optional:
        notes += (f"Not required, as common words: {', '.join(optional)}; they still rank the exact phrase first.",)
    if not positive:
        notes += ("Nothing to search for: type a word." if not negative else "Nothing to search for: a query "
                  "needs a word to look for, besides the words it excludes.",)  # fmt: skip
        return Reading(render(groups), SYNTAX_WORDS, None, (), tuple(groups), dropped, notes)
    match = " AND ".join(positive)
    if negative:
        match = f"({match}) NOT ({' OR '.join(negative)})"
    return Reading(render(groups), SYNTAX_WORDS, match, _tiers(groups), tuple(groups), dropped, notes)


def _tiers(groups: list[Group]) -> tuple[str, ...]:
    """The exact phrase of the plain words, when there are two or more and nothing but them; then the
    passages that mention every entity named."""
    tiers = []
    positive = [g for g in groups if not g.excluded]
    words = tuple(word for g in positive for word in g.terms[0].words)
    if all(len(g.terms) == 1 and not g.terms[0].phrase and not g.terms[0].prefix for g in positive) and len(words) > 1:
        tiers.append(phrase_expression(words))
    entity_groups = [g.terms[0].entities for g in positive if len(g.terms) == 1 and g.terms[0].entities]
    if entity_groups:
        tiers.append(" AND ".join(_refs(entities) for entities in entity_groups))
    return tuple(tiers)


def _refs(entities: tuple[NamedEntity, ...]) -> str:
    refs = [f'{REFS_COLUMN} : "{entity.token}"' for entity in entities]
    return refs[0] if len(refs) == 1 else "(" + " OR ".join(refs) + ")"


def quote(text: str) -> str:
    """An FTS5 string: double quotes around, inner double quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def phrase_expression(words: tuple[Word, ...], *, prefix: bool = False) -> str:
    """The words in this order; a possessive word is tried with its 's and without."""
    spellings = [(word.text, f"{word.text} s") if word.possessive else (word.text,) for word in words]
    variants = [" ".join(choice) for choice in itertools.islice(itertools.product(*spellings), _MAX_VARIANTS)]
    star = "*" if prefix else ""
    expressions = [quote(variant) + star for variant in variants]
    return expressions[0] if len(expressions) == 1 else "(" + " OR ".join(expressions) + ")"


def term_expression(term: Term, completions: Completions | None = None) -> str:
    """A term in FTS5 syntax: its words (all of them, or as a phrase), or a mention of an entity it names."""
    if term.phrase:
        text = phrase_expression(term.words, prefix=term.prefix)
    else:
        # Outside a phrase a possessive needs no variant: "Putin" matches "Putin's" as written.
        parts = [quote(word.text) for word in term.words]
        if term.prefix:
            parts[-1] = _prefix_expression(term.words[-1].text, completions)
        text = parts[0] if len(parts) == 1 else "(" + " AND ".join(parts) + ")"
    if not term.entities:
        return text
    typed = _key(term.words)
    others = {
        name_key(name): name for entity in term.entities for name in entity.names if name_key(name) != typed
    }  # fmt: skip
    alternatives = [text, *(quote(" ".join(split_words(name))) for name in others.values()), _refs(term.entities)]
    return "(" + " OR ".join(alternatives) + ")"


def _prefix_expression(prefix: str, completions: Completions | None) -> str:
    """A prefix of a written word: FTS5 compares a prefix with stems ("negotiat*" would miss
    "negotiations", stemmed "negoti"), so the written words it completes are searched too."""
    words = [quote(word) for word in (completions(prefix) if completions else ())]
    return "(" + " OR ".join([quote(prefix) + "*", *words]) + ")" if words else quote(prefix) + "*"


def group_expression(group: Group, completions: Completions | None = None) -> str:
    """A group in FTS5 syntax: any of its terms."""
    expressions = [term_expression(term, completions) for term in group.terms]
    return expressions[0] if len(expressions) == 1 else "(" + " OR ".join(expressions) + ")"


def render(groups: Iterable[Group]) -> str:
    """Groups written back in the words syntax: reading the result again gives the same query."""
    return " ".join(_render_group(group) for group in groups)


def _render_group(group: Group) -> str:
    # Plain words that spell a name are written apart (they were typed apart, or joined, alike);
    # words joined by punctuation in an excluded term or an alternative of OR keep a hyphen.
    joiner = " " if _plain(group) else "-"
    return ("-" if group.excluded else "") + " OR ".join(_render_term(term, joiner) for term in group.terms)


def _render_term(term: Term, joiner: str) -> str:
    star = "*" if term.prefix else ""
    if term.phrase:
        # A possessive matters inside a phrase ("Putin's role" is also tried as "Putin s role").
        return '"' + " ".join(word.text + ("'s" if word.possessive else "") for word in term.words) + '"' + star
    return joiner.join(word.text for word in term.words) + star
