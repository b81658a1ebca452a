"""Fixture-driven tests of the brief parser, in the markdown-it-py style.

Each file under ``tests/fixtures/errors/`` and ``tests/fixtures/syntax/`` holds
cases separated by blank lines, each written as::

    title of the case
    .
    the whole brief file, front matter included (read as briefs/case.md)
    .
    the expected result
    .

A line that is just ``.`` ends a part, so a brief may hold blank lines but
never a line that is just ``.``.

- ``errors/``: the expected part has one error per line, ``LINE: substring of
  the message``; the brief must be rejected and report each of them within one
  line of ``LINE``, the 1-based line of the brief file. A line written
  ``!LINE: substring`` is an error that must *not* be reported there, such as
  the cascade a never-closed block would cause if it swallowed the rest.
- ``syntax/``: the expected part is a JSON object that must be a subset of
  ``dump_brief(brief)``, the JSON of ``GET /v1/briefs/{brief_id}``. Objects are
  compared key by key, recursively; lists element by element, and must have
  the same length.

The briefs may reference the actors and events of ``tests/fixtures/entities.yaml``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from briefs.brief import parse_brief
from briefs.entities import load_entities
from briefs.errors import ContentError
from briefs.model import Entities
from schemas.briefs import dump_brief

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BRIEF_PATH = "briefs/case.md"
SHOWN_PATH = "fixture-content/briefs/case.md"
LINE_TOLERANCE = 1
_EXPECTED_ERROR = re.compile(r"(!?)(\d+): (.+)")


@dataclass(frozen=True)
class FixtureCase:
    """One case of a fixture file."""

    file: Path
    """The fixture file."""
    line: int
    """The 1-based line of the case's title in the fixture file."""
    title: str
    """What the case shows."""
    brief: str
    """The text of the brief file."""
    expected: str
    """The expected part, as written."""

    @property
    def id(self) -> str:
        """The test id: fixture file stem and title."""
        return f"{self.file.stem}/{self.title}"

    @property
    def where(self) -> str:
        """Where the case is written, for failure messages."""
        return f"{self.file.relative_to(FIXTURES.parent.parent)}:{self.line}"


def read_fixture_file(path: Path) -> list[FixtureCase]:
    """The cases of one fixture file, in order.

    :raises ValueError: if the file does not follow the format
    """
    lines = path.read_text(encoding="utf-8").split("\n")
    cases = []
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        title_index = index
        if title_index + 1 >= len(lines) or lines[title_index + 1] != ".":
            raise ValueError(f"{path}:{title_index + 1}: a case is a title line followed by a '.' line")
        parts = []
        start = title_index + 2
        for _ in range(2):
            try:
                end = lines.index(".", start)
            except ValueError:
                raise ValueError(f"{path}:{title_index + 1}: the case has fewer than three '.' lines") from None
            parts.append(lines[start:end])
            start = end + 1
        brief_lines, expected_lines = parts
        cases.append(
            FixtureCase(
                file=path,
                line=title_index + 1,
                title=lines[title_index].strip(),
                brief="\n".join(brief_lines) + "\n",
                expected="\n".join(expected_lines).strip(),
            )
        )
        if start < len(lines) and lines[start].strip():
            raise ValueError(f"{path}:{start + 1}: cases are separated by a blank line")
        index = start
    titles = [case.title for case in cases]
    duplicates = sorted({title for title in titles if titles.count(title) > 1})
    if duplicates:
        raise ValueError(f"{path}: titles must be unique within a file: {duplicates}")
    return cases


def read_fixture_dir(name: str) -> list[FixtureCase]:
    """The cases of every fixture file in ``tests/fixtures/<name>/``."""
    return [case for path in sorted((FIXTURES / name).glob("*.md")) for case in read_fixture_file(path)]


@dataclass(frozen=True)
class ExpectedError:
    """One line of an error case's expected part."""

    line: int
    """The 1-based line of the brief file."""
    substring: str
    """Part of the message."""
    reported: bool
    """False for ``!LINE: substring``: an error that must not be reported."""

    def matches(self, error: ContentError) -> bool:
        """Whether ``error`` is this one, give or take a line."""
        return self.substring in error.message and abs(error.line - self.line) <= LINE_TOLERANCE

    def __str__(self) -> str:
        return f"  {'' if self.reported else '!'}{self.line}: {self.substring}"


def parse_expected_errors(case: FixtureCase) -> list[ExpectedError]:
    """The ``LINE: substring`` and ``!LINE: substring`` lines of an error case."""
    expected = []
    for line in case.expected.split("\n"):
        match = _EXPECTED_ERROR.fullmatch(line.strip())
        if match is None:
            raise ValueError(f"{case.where}: expected '[!]LINE: substring of the message', got {line!r}")
        expected.append(ExpectedError(int(match.group(2)), match.group(3), reported=not match.group(1)))
    if not any(item.reported for item in expected):
        raise ValueError(f"{case.where}: an error case expects at least one error")
    return expected


def subset_differences(expected: Any, actual: Any, where: str = "$") -> list[str]:
    """How ``actual`` fails to contain ``expected``; empty when it does.

    Objects are compared key by key, recursively, lists element by element
    (with equal lengths), and anything else by type and value.
    """
    if isinstance(expected, dict):
        return _object_differences(expected, actual, where)
    if isinstance(expected, list):
        return _list_differences(expected, actual, where)
    if type(expected) is not type(actual) or expected != actual:
        return [f"{where}: expected {_show(expected)}, got {_show(actual)}"]
    return []


def _object_differences(expected: dict[str, Any], actual: Any, where: str) -> list[str]:
    if not isinstance(actual, dict):
        return [f"{where}: expected an object, got {_show(actual)}"]
    differences = []
    for key, value in expected.items():
        if key in actual:
            differences.extend(subset_differences(value, actual[key], f"{where}.{key}"))
        else:
            differences.append(f"{where}.{key}: missing (keys: {', '.join(actual)})")
    return differences


def _list_differences(expected: list[Any], actual: Any, where: str) -> list[str]:
    if not isinstance(actual, list):
        return [f"{where}: expected a list, got {_show(actual)}"]
    if len(expected) != len(actual):
        return [f"{where}: expected {len(expected)} items, got {len(actual)}: {_show(_summary(actual))}"]
    return [
        difference
        for index, (item, actual_item) in enumerate(zip(expected, actual, strict=True))
        for difference in subset_differences(item, actual_item, f"{where}[{index}]")
    ]


def _summary(items: list[Any]) -> list[Any]:
    """Items shown by their id when they have one, to keep a length mismatch readable."""
    return [item.get("id", item) if isinstance(item, dict) else item for item in items]


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _entities() -> Entities:
    path = FIXTURES / "entities.yaml"
    entities, errors = load_entities([(str(path), path.read_text(encoding="utf-8"))])
    assert [str(error) for error in errors] == []
    return entities


ENTITIES = _entities()
ERROR_CASES = read_fixture_dir("errors")
SYNTAX_CASES = read_fixture_dir("syntax")


def _listed(errors: tuple[ContentError, ...]) -> str:
    return "\n".join(f"  {error.line}: {error.message}" for error in errors) or "  (none)"


@pytest.mark.parametrize("case", ERROR_CASES, ids=[case.id for case in ERROR_CASES])
def test_malformed_brief_is_rejected_with_its_errors(case: FixtureCase) -> None:
    result = parse_brief(case.brief.encode("utf-8"), ENTITIES, BRIEF_PATH, SHOWN_PATH)
    if result.brief is not None:
        pytest.fail(f"{case.where}: the brief was accepted", pytrace=False)
    wrong = [
        str(item)
        for item in parse_expected_errors(case)
        if item.reported != any(item.matches(error) for error in result.errors)
    ]
    if wrong:
        message = "\n".join(wrong)
        pytest.fail(
            f"{case.where}: unmet ('!' = must not be reported):\n{message}\nreported:\n{_listed(result.errors)}",
            pytrace=False,
        )
    assert {error.path for error in result.errors} == {SHOWN_PATH}


@pytest.mark.parametrize("case", SYNTAX_CASES, ids=[case.id for case in SYNTAX_CASES])
def test_valid_brief_parses_as_expected(case: FixtureCase) -> None:
    expected = json.loads(case.expected)
    assert isinstance(expected, dict), f"{case.where}: the expected part is a JSON object"
    result = parse_brief(case.brief.encode("utf-8"), ENTITIES, BRIEF_PATH, SHOWN_PATH)
    if result.errors or result.brief is None:
        pytest.fail(f"{case.where}: the brief has errors:\n{_listed(result.errors)}", pytrace=False)
    differences = subset_differences(expected, dump_brief(result.brief))
    if differences:
        pytest.fail(f"{case.where}: the JSON differs:\n" + "\n".join(differences), pytrace=False)


def test_fixture_dirs_hold_enough_cases() -> None:
    # The contract's error list and the syntax rules each need their cases;
    # an empty or misnamed fixture dir must not pass silently.
    assert len(ERROR_CASES) >= 45
    assert len(SYNTAX_CASES) >= 20


def test_subset_differences_name_each_mismatch() -> None:
    actual = {"id": "case", "sections": [{"id": "lead", "level": 2}, {"id": "outlook", "level": 2}]}
    assert subset_differences({"sections": [{}, {"id": "outlook"}]}, actual) == []
    assert subset_differences({"sections": [{"level": 3}, {}]}, actual) == ["$.sections[0].level: expected 3, got 2"]
    assert subset_differences({"sections": [{}]}, actual) == [
        '$.sections: expected 1 items, got 2: ["lead", "outlook"]'
    ]
    assert subset_differences({"title": "x"}, actual) == ["$.title: missing (keys: id, sections)"]
    assert subset_differences({"id": 1}, {"id": True}) == ["$.id: expected 1, got true"]
