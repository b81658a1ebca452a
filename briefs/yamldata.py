"""YAML text to plain JSON-like data, with the line of every value kept.

PyYAML's safe loader still accepts anchors, aliases, duplicate keys and
tags such as ``!!binary`` or ``!!set``. Content is data, not a program, so
each of those is reported as an error at its line and the value is left out.
Timestamps stay the strings the author wrote; :mod:`briefs.fields`
checks their form.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from briefs.errors import ErrorSink

_CORE = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset(_CORE + t for t in ("str", "int", "float", "bool", "null"))
_TIMESTAMP = _CORE + "timestamp"
_COLLECTION_TAGS = frozenset((_CORE + "map", _CORE + "seq"))
_C_LOADER = getattr(yaml, "CSafeLoader", None)


class Located(dict[str, Any]):
    """A YAML mapping that remembers the line of itself and of each key."""

    line: int = 1
    key_lines: dict[str, int] = {}  # noqa: RUF012 - replaced per instance, never mutated here


class LocatedList(list[Any]):
    """A YAML sequence that remembers the line of itself and of each item."""

    line: int = 1
    item_lines: list[int] = []  # noqa: RUF012 - replaced per instance, never mutated here


def line_of(container: Located | LocatedList, key: str | int) -> int:
    """The 1-based line of a mapping key or sequence item."""
    if isinstance(container, Located):
        return container.key_lines.get(str(key), container.line)
    if isinstance(key, int) and 0 <= key < len(container.item_lines):
        return container.item_lines[key]
    return container.line


def _lines_before(text: str, mark: Any) -> int:
    """The lines of ``text`` before a YAML mark's. YAML also breaks lines at U+0085, U+2028 and U+2029,
    which are not line ends in the file (nor ``mark.line``'s count), so lines are counted by newlines."""
    return text.count("\n", 0, mark.index)


class _Loader(yaml.SafeLoader):
    """A safe loader whose composer reports anchors and aliases instead of following them."""

    def __init__(self, text: str, sink: ErrorSink, first_line: int) -> None:
        super().__init__(text)
        self.text = text
        self.sink = sink
        self.first_line = first_line

    def line_of_mark(self, mark: Any) -> int:
        """The file line of a YAML mark."""
        return self.first_line + _lines_before(self.text, mark)

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            self.sink.add(
                self.line_of_mark(event.start_mark),
                "YAML anchors and aliases are not allowed; write the value out",
            )
        return super().compose_node(parent, index)


def load_yaml(text: str, sink: ErrorSink, first_line: int = 1) -> Any:
    """Parse one YAML document into dicts, lists and scalars.

    :param text: the YAML text
    :param sink: where problems are recorded
    :param first_line: the file line on which ``text`` starts
    :returns: the data, or None if the text is not valid YAML
    """
    loader = None
    try:
        loader = _Loader(text, sink, first_line)
        node = _compose(text, loader)
        return None if node is None else _convert(node, loader)
    except yaml.YAMLError as exc:
        line, message = _describe_error(exc, text)
        sink.add(first_line + line, f"invalid YAML: {message}")
    except RecursionError:
        lines = text.split("\n")
        deepest = max(range(len(lines)), key=lambda i: lines[i].count("[") + lines[i].count("{"))
        sink.add(first_line + deepest, "YAML is nested too deeply")
    finally:
        if loader is not None:
            loader.dispose()
    return None


_UNCLOSED = {
    "while scanning a quoted scalar": "a quoted value that starts on this line is never closed",
    "while parsing a flow sequence": "a '[' list that starts on this line is never closed with ']'",
    "while parsing a flow mapping": "a '{' mapping that starts on this line is never closed with '}'",
}


def _describe_error(exc: yaml.YAMLError, text: str) -> tuple[int, str]:
    """The 0-based line of ``text`` a YAML error belongs to, and what an author should read.

    PyYAML marks where it gave up. For an unclosed quote or bracket that is the end of the text
    or a later line, so the error goes to the line where the quote or bracket opens instead.
    """
    problem_mark = getattr(exc, "problem_mark", None)
    context_mark = getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None)
    mark = problem_mark or context_mark
    line = _lines_before(text, mark) if mark is not None else 0
    if context in _UNCLOSED and context_mark is not None:
        return _lines_before(text, context_mark), f"{_UNCLOSED[context]} ({problem})"
    if problem_mark is not None and text[problem_mark.index : problem_mark.index + 1] == "\t":
        return line, "a tab character: YAML indents with spaces only"
    return line, problem


def _compose(text: str, loader: _Loader) -> yaml.Node | None:
    """The node tree: from libyaml when the text cannot hold an anchor or alias (its
    composer would follow them silently), else from the pure-Python composer that reports them."""
    if _C_LOADER is not None and "&" not in text and "*" not in text:
        return yaml.compose(text, Loader=_C_LOADER)  # type: ignore[no-any-return]
    return loader.get_single_node()  # type: ignore[no-any-return]


def _convert(node: yaml.Node, loader: _Loader) -> Any:
    line = loader.line_of_mark(node.start_mark)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
        _report_tag(node, loader, line)
        return None
    if isinstance(node, yaml.MappingNode):
        return _convert_mapping(node, loader)
    if isinstance(node, yaml.SequenceNode):
        items = LocatedList()
        items.line, items.item_lines = line, []
        for child in node.value:
            items.append(_convert(child, loader))
            items.item_lines.append(loader.line_of_mark(child.start_mark))
        return items
    return _convert_scalar(node, loader, line)


def _convert_mapping(node: yaml.MappingNode, loader: _Loader) -> Located:
    mapping = Located()
    mapping.line, mapping.key_lines = loader.line_of_mark(node.start_mark), {}
    for key_node, value_node in node.value:
        key_line = loader.line_of_mark(key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _CORE + "merge":
            loader.sink.add(key_line, "a mapping key must be a plain word")
            continue
        key = key_node.value
        if key in mapping.key_lines:
            loader.sink.add(key_line, f"duplicate key '{key}' (first on line {mapping.key_lines[key]})")
            continue
        mapping.key_lines[key] = key_line
        mapping[key] = _convert(value_node, loader)
    return mapping


def _convert_scalar(node: yaml.Node, loader: _Loader, line: int) -> Any:
    if node.tag == _TIMESTAMP:
        return node.value
    if node.tag not in _SCALAR_TAGS:
        _report_tag(node, loader, line)
        return None
    value = loader.construct_object(node)
    if isinstance(value, float) and not math.isfinite(value):
        loader.sink.add(line, f"'{node.value}' is not a finite number")
        return None
    return value


def _report_tag(node: yaml.Node, loader: _Loader, line: int) -> None:
    shown = node.tag.replace(_CORE, "!!")
    loader.sink.add(
        line,
        f"unsupported YAML tag '{shown}': use only strings, numbers, booleans, null, lists and mappings",
    )
