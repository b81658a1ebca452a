"""A query read in the words syntax, written as FTS5 expressions: the one that selects hits, and the
tiers that rank them (the exact phrase first, then the passages that mention the entities named).

Every word goes to FTS5 inside double quotes, so no word of a query is ever read as FTS5 syntax.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Sequence

from briefs.names import NamedEntity
from briefs.query import STOP_WORDS, SYNTAX_WORDS, Group, Reading, Term, Word, folded_words, is_plain, render
from briefs.words import fold, name_key, split_words

REFS_COLUMN = "refs"
"""The index column that holds, for each row, a token per entity the row mentions."""
_MAX_VARIANTS = 8
"""Phrase spellings tried at most, with and without each possessive 's."""


def required(groups: Iterable[Group]) -> tuple[list[Group], list[str]]:
    """The groups that must match, and the common words left out of them (unless nothing else is left)."""
    groups = list(groups)
    optional = [g for g in groups if is_plain(g) and not g.terms[0].entities and _is_stop_word(g.terms[0])]
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
    typed = folded_words(term.words)
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
