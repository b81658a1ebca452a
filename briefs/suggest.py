"""Suggestions for misspelt words, from the corpus's own vocabulary and the names of its entities.

A word of a query is looked at when it matches nothing (not even by its stem),
is not a common word, and contains a letter. It is compared with the
vocabulary: every word of every brief as written (case and diacritics folded,
not stemmed) and every word of every actor's and event's names and aliases.
Typos are counted as Meilisearch counts them, conservatively, because a wrong
hit costs a journalist more than no hit:

- no typo in a word of 1 to 4 letters, one in 5 to 8, two in 9 or more;
- a letter added, left out or changed is one typo, and so is a swap of two
  neighbouring letters (the optimal string alignment distance of rapidfuzz);
- a typo in the first letter counts as two.

A word with no such neighbour that runs together two words that the briefs
write side by side (``postwar``, ``defacto``) gets them, hyphenated
(``post-war``), as Meilisearch splits words.

Among the candidates: the fewest typos, then the word found in most briefs, then
alphabetical order. The suggestion is the whole query with each such word
replaced, and it is made only when it finds hits, under the same filters.

Search only suggests; it never corrects on its own. A query that finds
nothing answers with no hits and the suggestion, so that a journalist never
reads passages about a word they did not type (``paris`` is not ``parts``).
"""

from __future__ import annotations

import sqlite3
import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from rapidfuzz import process
from rapidfuzz.distance import OSA

from briefs.expressions import quote
from briefs.names import EntityNames
from briefs.query import STOP_WORDS, Group, Reading, Term, render
from briefs.words import fold


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A respelt query that finds hits."""

    text: str
    """The query with its misspelt words replaced, in the words syntax."""
    total: int
    """The hits it finds, under the same filters."""


def allowed_typos(word: str) -> int:
    """Typos tolerated in a word of this many characters: 0 up to 4, 1 up to 8, then 2."""
    return 0 if len(word) <= 4 else 1 if len(word) <= 8 else 2


class Vocabulary:
    """Words to suggest, grouped by length and first letter so that few are compared.

    Each group is held as one string, its words one per line, beside an array of the briefs each is in:
    a string object and a dictionary entry per word took about 150 bytes of every worker that suggested,
    some 100 MB at 100,000 generated briefs; this takes the word's letters and 9 bytes.

    :param counts: every word as the index folded it, with the number of briefs that contain it
    :param names: every word of every entity name and alias, as written (suggested as written)
    """

    def __init__(self, counts: Iterable[tuple[str, int]], names: Iterable[str]) -> None:
        self._shown: dict[str, str] = {}
        for name in names:
            folded = fold(name)
            if any(char.isalpha() for char in folded):
                self._shown[folded] = name
        words: dict[tuple[int, str], list[str]] = defaultdict(list)
        briefs: dict[tuple[int, str], array[int]] = defaultdict(lambda: array("q"))

        def add(term: str, count: int) -> None:
            if any(char.isalpha() for char in term):
                words[len(term), term[0]].append(term)
                briefs[len(term), term[0]].append(count)

        unseen = set(self._shown)
        for term, count in counts:
            unseen.discard(term)
            add(term, count)
        for term in sorted(unseen):  # a name that no brief writes: suggested all the same
            add(term, 0)
        self._size = sum(map(len, words.values()))
        self._groups = {key: _Group("\n" + "\n".join(group) + "\n", briefs[key]) for key, group in words.items()}
        self._firsts: dict[int, list[str]] = defaultdict(list)
        for length, first in self._groups:
            self._firsts[length].append(first)

    def __len__(self) -> int:
        return self._size

    def briefs(self, word: str) -> int:
        """The number of briefs that contain ``word`` (folded); 0 if none does."""
        group = self._groups.get((len(word), word[:1]))
        at = -1 if group is None else group.text.find(f"\n{word}\n")
        return 0 if group is None or at < 0 else group.briefs[group.text.count("\n", 0, at)]

    def correct(self, word: str) -> str | None:
        """The closest word within the typos allowed, as it should be shown; None if there is none."""
        folded = fold(word)
        allowed = allowed_typos(folded)
        if not allowed:
            return None
        found: list[tuple[int, int, str]] = []
        for length in range(len(folded) - allowed, len(folded) + allowed + 1):
            for first in self._firsts.get(length, ()):
                # A typo in the first letter counts twice: one more than the distance says.
                limit = allowed if first == folded[0] else allowed - 1
                if limit < 1:
                    continue
                group = self._groups[length, first]
                for candidate, distance, at in process.extract(
                    folded, group.text[1:-1].split("\n"), scorer=OSA.distance, score_cutoff=limit, limit=None
                ):
                    if candidate != folded:
                        typos = int(distance) + (first != folded[0])
                        found.append((typos, -group.briefs[at], candidate))
        if not found:
            return None
        best = min(found)[2]
        return self._shown.get(best) or _cased_like(word, best)

    def splits(self, word: str) -> list[str]:
        """The ways ``word`` runs two words of the briefs together (``postwar``: ``post-war``), hyphenated
        and cased as typed, the one whose rarer word is in most briefs first; common words are no part."""
        folded = fold(word)
        found: list[tuple[int, int, str]] = []
        for at in range(2, len(folded) - 1):
            left, right = folded[:at], folded[at:]
            if left in STOP_WORDS or right in STOP_WORDS:
                continue
            briefs = min(self.briefs(left), self.briefs(right))
            if briefs:
                found.append((-briefs, abs(len(left) - len(right)), f"{left}-{right}"))
        return [_cased_like(word, split) for _, _, split in sorted(found)]


@dataclass(frozen=True, slots=True)
class _Group:
    """The words of one length and first letter: ``text`` holds them one per line, with a line break before the
    first and after the last; ``briefs[i]`` is the number of briefs that contain the i-th."""

    text: str
    briefs: array[int]


def _cased_like(typed: str, word: str) -> str:
    if typed.isupper() and len(typed) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if typed[:1].isupper() else word


class Suggester:
    """Suggests respelt queries from the vocabulary of one index, loaded on the first misspelt word.

    :param connection: this thread's connection to the index
    :param names: the entities' names and aliases
    """

    def __init__(self, connection: Callable[[], sqlite3.Connection], names: EntityNames) -> None:
        self._connection = connection
        self._names = names
        self._vocabulary: Vocabulary | None = None
        self._lock = threading.Lock()

    def vocabulary(self) -> Vocabulary:
        """The vocabulary, read from the index the first time it is needed."""
        with self._lock:
            if self._vocabulary is None:
                rows = self._connection().execute("SELECT term, doc FROM words_vocab")
                self._vocabulary = Vocabulary(rows, self._names.words())
            return self._vocabulary

    def suggest(self, reading: Reading, count: Callable[[str], int]) -> Suggestion | None:
        """The query respelt, if a word matches nothing and has a correction, and if the result has hits.

        :param count: the number of hits a query (in the words syntax) finds under the same filters
        """
        changed = False
        groups = []
        for group in reading.groups:
            terms = []
            for term in group.terms:
                respelt = term if group.excluded else self._respell(term)
                changed |= respelt is not term
                terms.append(respelt)
            groups.append(Group(tuple(terms), group.excluded))
        if not changed:
            return None
        text = render(groups)
        total = count(text)
        return Suggestion(text, total) if total else None

    def _respell(self, term: Term) -> Term:
        if term.entities or term.prefix:
            return term
        words = tuple(replace(word, text=self._correct(word.text) or word.text) for word in term.words)
        return term if words == term.words else replace(term, words=words)

    def _correct(self, word: str) -> str | None:
        folded = fold(word)
        if not allowed_typos(folded) or folded in STOP_WORDS or not any(c.isalpha() for c in folded):
            return None
        if self._found(quote(word)):
            return None
        vocabulary = self.vocabulary()
        corrected = vocabulary.correct(word)
        if corrected is not None:
            return corrected
        # Two words run together, offered only where the briefs write them side by side ("post-war").
        return next((split for split in vocabulary.splits(word) if self._found(quote(split.replace("-", " ")))), None)

    def _found(self, expression: str) -> bool:
        """Whether an FTS5 expression matches anything (brief_text holds every brief whole; a block's title
        may stand outside its brief's text)."""
        row = (
            self._connection()
            .execute(
                "SELECT 1 FROM brief_text WHERE brief_text MATCH ?1 "
                "UNION ALL SELECT 1 FROM docs WHERE docs MATCH ?1 LIMIT 1",
                (expression,),
            )
            .fetchone()
        )
        return row is not None
