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


ALIASES = """\
actors:
  - id: nakhichevan
    name: Nakhichevan
    kind: territory
    aliases: [Nakhchivan, Naxçıvan, nakhichevan]
  - id: other
    name: Nakhchivan city
    kind: place
    aliases:
      - NAXCIVAN
      - Nagorno-Karabakh
      - "-"
      - ""
      - [a, list]
events:
  - id: talks
    title: Nagorno Karabakh talks
    date: 2021
    aliases: [Talks]
"""


def test_aliases_are_kept_in_order_and_a_repeat_of_the_own_name_is_dropped() -> None:
    entities, _ = load_entities([("entities/x.yaml", ALIASES)])
    assert entities.actors["nakhichevan"].aliases == ("Nakhchivan", "Naxçıvan")
    assert entities.events["talks"].aliases == ("Talks",)
    assert entities.actors["other"].aliases == ("Nagorno-Karabakh",)


def test_an_alias_that_names_another_entity_is_an_error_at_its_line() -> None:
    _, errors = load_entities([("entities/x.yaml", ALIASES)])
    assert [str(e) for e in errors] == [
        "entities/x.yaml:10: alias 'NAXCIVAN' of actor 'other' is already an alias of actor 'nakhichevan' "
        "(entities/x.yaml:5); a search for it could not tell which is meant",
        "entities/x.yaml:12: alias '-' of actor 'other' has no letter or digit to search for",
        "entities/x.yaml:13: 'aliases' item '' is not a non-empty string",
        "entities/x.yaml:14: 'aliases' item must be text, not a list",
    ]


def test_an_alias_that_is_a_later_entitys_name_is_the_error_in_any_file() -> None:
    _, errors = load_entities(
        [("entities/a.yaml", "actors:\n  - {id: a, name: A, kind: state, aliases: [Bee]}\n"),
         ("entities/b.yaml", "events:\n  - {id: b, title: bee, date: 2020}\n")]
    )  # fmt: skip
    assert [str(e) for e in errors] == [
        "entities/a.yaml:2: alias 'Bee' of actor 'a' is already the name of event 'b' (entities/b.yaml:2); "
        "a search for it could not tell which is meant"
    ]


def test_aliases_must_be_a_list() -> None:
    text = "actors:\n  - id: a\n    name: A\n    kind: state\n    aliases: B\n"
    _, errors = load_entities([("entities/x.yaml", text)])
    assert [str(e) for e in errors] == [
        "entities/x.yaml:5: 'aliases' must be a list, written as [a, b] or as '- item' lines"
    ]


def test_a_required_key_with_no_value_is_an_error_not_a_silent_drop() -> None:
    text = "actors:\n  - id: a\n    name:\n    kind: state\nevents:\n  - id: e\n    title: E\n    date:\n"
    entities, errors = load_entities([("entities/x.yaml", text)])
    assert [str(e) for e in errors] == [
        "entities/x.yaml:3: the required key 'name' has no value: write it after the colon",
        "entities/x.yaml:8: the required key 'date' has no value: write it after the colon",
    ]
    assert not entities.actors and not entities.events


def test_a_name_or_alias_that_yaml_reads_as_a_number_must_be_quoted() -> None:
    text = (
        "actors:\n  - id: a\n    name: 1984\n    kind: state\n"
        '  - id: b\n    name: B\n    kind: state\n    aliases: [1984, "2001"]\n'
    )
    entities, errors = load_entities([("entities/x.yaml", text)])
    assert [str(e) for e in errors] == [
        "entities/x.yaml:3: 'name' must be text, but YAML reads 1984 as a number: put it in quotes, \"1984\"",
        "entities/x.yaml:8: 'aliases' item must be text, but YAML reads 1984 as a number: put it in quotes, \"1984\"",
    ]
    assert entities.actors["b"].aliases == ("2001",)


def test_an_empty_optional_text_is_no_value() -> None:
    text = (
        'actors:\n  - {id: a, name: A, kind: state, description: ""}\n'
        'events:\n  - {id: e, title: E, date: 2020, place: ""}\n'
    )
    entities, errors = load_entities([("entities/x.yaml", text)])
    assert errors == [] and entities.actors["a"].description is None and entities.events["e"].place is None
