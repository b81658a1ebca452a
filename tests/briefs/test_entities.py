"""Entity files: one error per problem, in line order, each at its line."""

from __future__ import annotations

from briefs.entities import load_entities


def test_a_yaml_syntax_error_is_reported_once() -> None:
    _, errors = load_entities([("entities/x.yaml", "actors:\n  - id: a\n    name: [unclosed\n")])
    assert len(errors) == 1 and errors[0].message.startswith("invalid YAML")


def test_errors_come_in_line_order_with_dangling_references() -> None:
    text = (
        "events:\n  - {id: e, title: E, date: 2021, participants: [nobody]}\n"
        "actors:\n  - {id: a, name: A, kind: alien}\n  - {id: b, name: B, kind: person, affiliation: ghost}\n"
    )
    entities, errors = load_entities([("entities/x.yaml", text)])
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [
        (2, "event 'e' has unknown participant 'nobody'"),
        (4, "unknown actor kind 'alien'"),
        (5, "actor 'b' has unknown affiliation 'ghost'"),
    ]
    assert set(entities.actors) == {"b"} and entities.events["e"].date_precision == "year"


def test_ids_are_unique_across_files_and_kinds() -> None:
    _, errors = load_entities(
        [("entities/a.yaml", "actors:\n  - {id: x, name: X, kind: state}\n"),
         ("entities/b.yaml", "events:\n  - {id: x, title: X, date: 2020}\n")]
    )  # fmt: skip
    assert [str(e) for e in errors] == ["entities/b.yaml:2: duplicate entity id 'x' (first in entities/a.yaml:2)"]
