"""Typed fields read out of YAML mappings, each problem reported at its line."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from briefs.errors import ErrorSink
from briefs.yamldata import Located, LocatedList, line_of

SLUG_MAX = 80
SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
PARTIAL_DATE_RE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")
SLUG_RULE = "lowercase letters and digits in words joined by single hyphens, at most 80 characters"


def shown(value: object) -> str:
    """A YAML value as an author would recognise it in an error message."""
    return "(empty)" if value is None else repr(value)


def not_text(what: str, value: object) -> str | None:
    """Why a YAML value that should be text is not, in an author's words; None for a string.

    YAML reads ``title: 1984``, ``id: 2021`` or ``name: yes`` as a number or a boolean. Taking
    them as the text ``str()`` makes of them would change what the author wrote (``1.10`` becomes
    ``1.1``, ``yes`` becomes ``True``), so the author is asked to quote the value instead.
    """
    if isinstance(value, str):
        return None
    if isinstance(value, bool):
        return f"{what} must be text, but YAML reads this value as {'true' if value else 'false'}: put it in quotes"
    if isinstance(value, (int, float)):
        return f'{what} must be text, but YAML reads {value!r} as a number: put it in quotes, "{value}"'
    if isinstance(value, (list, dict)):
        return f"{what} must be text, not a {'list' if isinstance(value, list) else 'mapping'}"
    return f"{what} must be text"


def is_slug(value: object) -> bool:
    """True for ``^[a-z0-9]+(-[a-z0-9]+)*$`` of at most 80 characters."""
    return isinstance(value, str) and len(value) <= SLUG_MAX and SLUG_RE.fullmatch(value) is not None


def parse_date(value: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` string as a date, or None if it is not a real day."""
    if not DATE_RE.fullmatch(value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def date_precision(value: str) -> str | None:
    """``year``, ``month`` or ``day`` for a valid partial date, else None."""
    if not PARTIAL_DATE_RE.fullmatch(value):
        return None
    year, _, rest = value.partition("-")
    if rest:
        month, _, day = rest.partition("-")
        try:
            dt.date(int(year), int(month), int(day or 1))
        except ValueError:
            return None
        return "day" if day else "month"
    return "year"


def not_slug(what: str, value: object) -> str:
    """The error for a value that should be a slug and is not."""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and is_slug(str(value)):
        return str(not_text(what, value))
    return f"{what} {value!r} is not a slug ({SLUG_RULE})"


class FieldReader:
    """Reads the fields of one YAML mapping.

    :param data: the mapping
    :param sink: where problems are recorded
    :param what: how an error names the mapping, e.g. ``front matter`` or ``actor 'x'``
    """

    def __init__(self, data: Located, sink: ErrorSink, what: str) -> None:
        self.data = data
        self.sink = sink
        self.what = what

    def line(self, key: str) -> int:
        """The line of a key, or of the mapping when the key is missing."""
        return line_of(self.data, key)

    def error(self, key: str, message: str) -> None:
        """Record a problem at the key's line."""
        self.sink.add(self.line(key), message)

    def error_unless_reported(self, key: str, message: str) -> None:
        """Record a problem at the key's line, unless that line already has one (e.g. '.nan')."""
        line = self.line(key)
        if not any(error.line == line for error in self.sink.errors):
            self.sink.add(line, message)

    def check_keys(self, known: tuple[str, ...], required: tuple[str, ...]) -> None:
        """Report unknown and missing keys."""
        for key in self.data:
            if key not in known:
                self.error(key, f"unknown key '{key}' in {self.what} (known: {', '.join(sorted(known))})")
        for key in required:
            if key not in self.data:
                self.sink.add(self.data.line, f"{self.what} is missing the required key '{key}'")
            elif self.data[key] is None:
                # 'title:' with nothing after the colon is YAML's null: reading it as absent left
                # the whole brief (or entity) out with no error at all.
                self.error(key, f"the required key '{key}' has no value: write it after the colon")

    def string(self, key: str, *, optional_text: bool = False) -> str | None:
        """A non-empty string, or None when absent or wrong.

        :param optional_text: an empty string is no value (``summary: ""``), not an error
        """
        value = self.data.get(key)
        if value is None:
            return None
        problem = not_text(f"'{key}'", value)
        if problem is not None:
            self.error(key, problem)
            return None
        if not value.strip():
            if not optional_text:
                self.error(key, f"'{key}' must be a non-empty string")
            return None
        return value.strip()

    def slug(self, key: str) -> str | None:
        """A slug, or None when absent or wrong."""
        value = self.data.get(key)
        if value is None:
            return None
        if not is_slug(value):
            self.error(key, not_slug(f"'{key}'", value))
            return None
        return str(value)

    def date(self, key: str) -> dt.date | None:
        """A ``YYYY-MM-DD`` date, or None when absent or wrong."""
        value = self.data.get(key)
        if value is None:
            return None
        parsed = parse_date(str(value)) if isinstance(value, str) else None
        if parsed is None:
            self.error(key, f"'{key}' {value!r} is not a valid date (YYYY-MM-DD)")
        return parsed

    def slug_list(self, key: str) -> tuple[str, ...]:
        """A list of slugs; wrong items are reported and left out."""
        items = self.list(key)
        result = []
        for index, item in enumerate(items):
            if is_slug(item):
                result.append(item)
            else:
                self.sink.add(line_of(items, index), not_slug(f"'{key}' item", item))
        return tuple(dict.fromkeys(result))

    def string_list(self, key: str) -> tuple[tuple[str, int], ...]:
        """A list of non-empty strings, each with its line; wrong items are reported and left out."""
        items = self.list(key)
        result = []
        for index, item in enumerate(items):
            line = line_of(items, index)
            problem = None if item is None else not_text(f"'{key}' item", item)
            if problem is not None:
                self.sink.add(line, problem)
            elif item is not None and item.strip():
                result.append((item.strip(), line))
            else:
                self.sink.add(line, f"'{key}' item {shown(item)} is not a non-empty string")
        return tuple(result)

    def list(self, key: str) -> LocatedList:
        """A list, or an empty one when absent or wrong."""
        value: Any = self.data.get(key)
        if value is None:
            return LocatedList()
        if not isinstance(value, LocatedList):
            self.error(key, f"'{key}' must be a list, written as [a, b] or as '- item' lines")
            return LocatedList()
        return value
