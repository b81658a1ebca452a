"""Breaking changes between two OpenAPI documents of one API version.

A client written against the old document must keep working against the new one. So,
under the version's prefix (``/v1``), these are breaking:

- a path or an operation removed;
- a parameter removed, a new required parameter, or an optional one made required;
- a successful response, or one of its media types, removed;
- a response field removed, or no longer always present, or newly nullable;
- a type changed, in a parameter or a response field;
- an enumeration value removed.

Everything else is compatible: new paths, operations, optional parameters, response
fields and enumeration values. ``$ref`` is followed within each document.
"""

from __future__ import annotations

from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
Schema = dict[str, Any]


class _Document:
    """An OpenAPI document whose local ``$ref`` can be resolved."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> Any:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self.spec
            for part in node["$ref"].removeprefix("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node


def breaking_changes(old: dict[str, Any], new: dict[str, Any], prefix: str = "/v1") -> list[str]:
    """What a client of ``old`` would notice in ``new``, one line each; empty when compatible."""
    before, after = _Document(old), _Document(new)
    changes: list[str] = []
    for path, old_item in old["paths"].items():
        if path != prefix and not path.startswith(prefix + "/"):
            continue
        new_item = new["paths"].get(path)
        if new_item is None:
            changes.append(f"{path}: path removed")
            continue
        for method in (m for m in METHODS if m in old_item):
            where = f"{method.upper()} {path}"
            if method not in new_item:
                changes.append(f"{where}: operation removed")
                continue
            old_parameters = _parameters(before, old_item, old_item[method])
            new_parameters = _parameters(after, new_item, new_item[method])
            changes += _parameter_changes(where, before, old_parameters, after, new_parameters)
            changes += _response_changes(where, before, old_item[method], after, new_item[method])
    return changes


def _parameters(document: _Document, item: dict[str, Any], operation: dict[str, Any]) -> dict[tuple[str, str], Any]:
    """The parameters of an operation, its path's included, by (location, name)."""
    parameters = [document.resolve(p) for p in (*item.get("parameters", ()), *operation.get("parameters", ()))]
    return {(parameter["in"], parameter["name"]): parameter for parameter in parameters}


def _parameter_changes(
    where: str, before: _Document, old: dict[tuple[str, str], Any], after: _Document, new: dict[tuple[str, str], Any]
) -> list[str]:
    changes = []
    for key, parameter in old.items():
        name = f"{key[0]} parameter '{key[1]}'"
        if key not in new:
            changes.append(f"{where}: {name} removed")
            continue
        if new[key].get("required") and not parameter.get("required"):
            changes.append(f"{where}: {name} is now required")
        changes += _schema_changes(
            f"{where}: {name}", before, parameter.get("schema", {}), after, new[key].get("schema", {}), response=False
        )
    added = [key for key, parameter in new.items() if key not in old and parameter.get("required")]
    changes += [f"{where}: new required {location} parameter '{name}'" for location, name in added]
    return changes


def _response_changes(
    where: str, before: _Document, old: dict[str, Any], after: _Document, new: dict[str, Any]
) -> list[str]:
    changes = []
    for status, old_response in old.get("responses", {}).items():
        if not str(status).startswith("2"):
            continue
        if status not in new.get("responses", {}):
            changes.append(f"{where}: response {status} removed")
            continue
        old_content = before.resolve(old_response).get("content", {})
        new_content = after.resolve(new["responses"][status]).get("content", {})
        for media_type, old_media in old_content.items():
            if media_type not in new_content:
                changes.append(f"{where}: response {status} {media_type} removed")
                continue
            changes += _schema_changes(
                f"{where} → {status} {media_type}: body", before, old_media.get("schema", {}),
                after, new_content[media_type].get("schema", {}), response=True,
            )  # fmt: skip
    return changes


def _variants(document: _Document, schema: Schema) -> tuple[Schema, bool]:
    """The schema without a ``null`` alternative, and whether null was allowed."""
    schema = document.resolve(schema)
    types = schema.get("type")
    nullable = types == "null" or (isinstance(types, list) and "null" in types)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if alternatives:
        others = [document.resolve(a) for a in alternatives if document.resolve(a).get("type") != "null"]
        nullable = nullable or len(others) < len(alternatives)
        if len(others) == 1:
            return others[0], nullable
    return schema, nullable


def _types(schema: Schema) -> set[str]:
    types = schema.get("type")
    return {t for t in ([types] if isinstance(types, str) else types or []) if t != "null"}


def _schema_changes(
    where: str, before: _Document, old: Schema, after: _Document, new: Schema, *, response: bool,
    enclosing: frozenset[tuple[int, int]] = frozenset(),
) -> list[str]:  # fmt: skip
    """Changes of one schema that break a client; ``response`` tells which side reads it.
    ``enclosing`` holds the schemas being compared further up, so a recursive schema ends."""
    old, old_nullable = _variants(before, old)
    new, new_nullable = _variants(after, new)
    pair = (id(old), id(new))
    if pair in enclosing:
        return []
    enclosing |= {pair}
    changes = []
    if _types(old) and _types(new) and _types(old) != _types(new):
        changes.append(f"{where}: type changed from {'|'.join(sorted(_types(old)))} to {'|'.join(sorted(_types(new)))}")
    if response and new_nullable and not old_nullable:
        changes.append(f"{where}: may now be null")
    if not response and old_nullable and not new_nullable:
        changes.append(f"{where}: null no longer accepted")
    removed = [value for value in old.get("enum", ()) if value not in new.get("enum", ())]
    if "enum" in new and removed:
        changes.append(f"{where}: enum value {', '.join(map(repr, removed))} removed")
    if "items" in old and "items" in new:
        changes += _schema_changes(
            f"{where}[]", before, old["items"], after, new["items"], response=response, enclosing=enclosing
        )
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name, old_property in old.get("properties", {}).items():
        field = f"{where}.{name}"
        if name not in new.get("properties", {}):
            if response:
                changes.append(f"{field}: field removed")
            continue
        if response and name in old_required and name not in new_required:
            changes.append(f"{field}: no longer always present")
        changes += _schema_changes(
            field, before, old_property, after, new["properties"][name], response=response, enclosing=enclosing
        )
    if not response:
        changes += [f"{where}.{name}: newly required" for name in sorted(new_required - old_required)]
    return changes
