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

    def string(self, key: str) -> str | None:
        """A non-empty string, or None when absent or wrong."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)) or not str(value).strip():
            self.error(key, f"'{key}' must be a non-empty string")
            return None
        return str(value).strip()

    def slug(self, key: str) -> str | None:
        """A slug, or None when absent or wrong."""
        value = self.data.get(key)
        if value is None:
            return None
        if not is_slug(value):
            self.error(key, f"'{key}' {value!r} is not a slug ({SLUG_RULE})")
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
                self.sink.add(line_of(items, index), f"'{key}' item {item!r} is not a slug ({SLUG_RULE})")
        return tuple(dict.fromkeys(result))

    def string_list(self, key: str) -> tuple[tuple[str, int], ...]:
        """A list of non-empty strings, each with its line; wrong items are reported and left out."""
        items = self.list(key)
        result = []
        for index, item in enumerate(items):
            line = line_of(items, index)
            if isinstance(item, (str, int, float)) and not isinstance(item, bool) and str(item).strip():
                result.append((str(item).strip(), line))
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
