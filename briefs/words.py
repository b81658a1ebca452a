"""Words as search compares them: folded (case and diacritics) and split the way the
full-text index splits text (SQLite FTS5's ``unicode61`` tokenizer).

Two names are the same to search when their words are: "Nagorno-Karabakh" and
"nagorno karabakh" are one name, "Naxçıvan" and "Naxcivan" another.
"""

from __future__ import annotations

import unicodedata

_LETTERS = str.maketrans({"ı": "i", "ø": "o", "đ": "d", "ł": "l", "ħ": "h", "ŧ": "t", "æ": "ae", "œ": "oe"})
"""Letters without a Unicode decomposition that readers still type without their mark."""


def fold(text: str) -> str:
    """Lower case, without diacritics: "Zürich" and "ZURICH" both become "zurich"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_LETTERS)


def is_word_character(char: str) -> bool:
    """True for a letter, a digit or a private-use character: what ``unicode61`` keeps in a token."""
    category = unicodedata.category(char)
    return category[0] in "LN" or category == "Co"


def split_words(text: str) -> list[str]:
    """The runs of word characters in ``text``, as written (``"Putin’s post-war"`` gives Putin, s, post, war)."""
    found: list[str] = []
    start = -1
    for index, char in enumerate(text):
        if is_word_character(char):
            if start < 0:
                start = index
        elif start >= 0:
            found.append(text[start:index])
            start = -1
    if start >= 0:
        found.append(text[start:])
    return found


def name_key(name: str) -> tuple[str, ...]:
    """The folded words of a name: equal keys are names that search cannot tell apart."""
    return tuple(split_words(fold(name)))
