"""The parser on briefs it was not developed on: ``tests/fixtures/unseen/``.

Every expectation here comes from ``tests/fixtures/unseen/EXPECTED.md``,
which derives it from the content format contract alone. Two readings of
EXPECTED.md are fixed here:

- the lead is a top-level section of level 2 (EXPECTED.md leaves the level
  open and names 2 as the natural choice; the model documents 2);
- an expectation's ``mentions`` include those of its scenarios (EXPECTED.md
  lists both "own" and "incl. scenarios"; a block's text holds its nested
  scenarios, so its mentions do too), and a section's exclude those of its
  subsections.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.loader import load_corpus
from briefs.model import Brief, Element, Expectation, Mentions, Scenario, StrategyElement

UNSEEN = Path(__file__).resolve().parent.parent / "fixtures" / "unseen"
CORPUS = load_corpus(UNSEEN)
GENEVA = "geneva-talks-2022"
TBILISI = "tbilisi-2023"


def brief(brief_id: str) -> Brief:
    assert brief_id in CORPUS.briefs, f"{brief_id} is not served; errors: {[str(e) for e in CORPUS.errors]}"
    return CORPUS.briefs[brief_id]


def element(brief_id: str, element_id: str) -> Element:
    found = [e for e in brief(brief_id).elements if e.id == element_id]
    assert len(found) == 1, f"{brief_id} has {len(found)} elements '{element_id}'"
    return found[0]


def mentions(actors: str = "", events: str = "") -> Mentions:
    return Mentions(tuple(actors.split()), tuple(events.split()))


def test_both_briefs_load_without_errors() -> None:
    assert [str(error) for error in CORPUS.errors] == []
    assert sorted(CORPUS.briefs) == [GENEVA, TBILISI]


# -- entities -----------------------------------------------------------------


def test_actors() -> None:
    actors = {a.id: (a.kind, a.name, a.affiliation) for a in CORPUS.entities.actors.values()}
    assert actors == {
        "georgia": ("state", "Georgia", None),
        "russia": ("state", "Russia", None),
        "european-union": ("organization", "European Union", None),
        "abkhazia": ("territory", "Abkhazia", None),
        "nino-beridze": ("person", "Nino Beridze", "georgia"),
        "pyotr-ivanov": ("person", "Пётр Иванов", "russia"),
        "geneva": ("place", "Geneva", None),
        "zurich": ("place", "Zürich", None),
        "tbilisi": ("place", "Tbilisi", "georgia"),
    }


def test_events_keep_the_precision_of_their_dates() -> None:
    events = {e.id: (e.date, e.date_precision, e.place, e.participants) for e in CORPUS.entities.events.values()}
    assert events == {
        "war-2008": ("2008", "year", None, ("georgia", "russia")),
        "geneva-round-2022": ("2022-03", "month", "Geneva", ("georgia", "russia")),
        "zurich-meeting-2022": ("2022-06-10", "day", "Zürich", ("nino-beridze", "pyotr-ivanov")),
        "tbilisi-forum-2023": ("2023-05-04", "day", "Tbilisi", ()),
    }


# -- front matter -------------------------------------------------------------


def test_geneva_front_matter() -> None:
    geneva = brief(GENEVA)
    assert geneva.title == "Geneva Talks 2022: “Quiet” Progress"
    assert (str(geneva.published), str(geneva.updated), geneva.revision) == ("2022-07-01", "2022-07-15", 2)
    assert [(a.name, a.affiliation) for a in geneva.authors] == [
        ("Jane Example", "Example Institute"),
        ("Анна Петрова", None),
    ]
    assert (geneva.publisher, geneva.language) == ("Example Press", "en-GB")
    assert geneva.tags == ("geneva", "georgia", "test-fixture")
    assert geneva.about == ("geneva-round-2022", "zurich-meeting-2022")


def test_tbilisi_front_matter_takes_the_defaults() -> None:
    tbilisi = brief(TBILISI)
    assert (tbilisi.title, str(tbilisi.published), tbilisi.updated) == ("Tbilisi Forum 2023", "2023-05-10", None)
    assert (tbilisi.revision, tbilisi.summary, tbilisi.authors, tbilisi.publisher) == (1, None, (), None)
    assert tbilisi.language == "en"
    assert (tbilisi.tags, tbilisi.about) == (("tbilisi", "test-fixture"), ("tbilisi-forum-2023",))


# -- sections -----------------------------------------------------------------

SECTIONS = {
    GENEVA: [
        ("lead", 2, None, None),
        ("background", 2, None, "Background"),
        ("risks", 3, "background", "Risks"),
        ("outlook", 2, None, "Outlook"),
        ("risks-2", 3, "outlook", "Risks"),
        ("background-2", 2, None, "Background"),
    ],
    TBILISI: [
        ("zurich-talks", 2, None, "Talks in Zürich"),
        ("competing-strategies", 2, None, "Competing Strategies"),
        ("georgian-strategy", 3, "competing-strategies", "Georgian Strategy"),
        ("russian-strategy", 3, "competing-strategies", "Russian Strategy"),
        ("forum", 2, None, "The Forum"),
    ],
}


@pytest.mark.parametrize("brief_id", SECTIONS)
def test_sections_ids_levels_and_parents(brief_id: str) -> None:
    sections = brief(brief_id).sections
    assert [(s.id, s.level, s.parent_id, s.title) for s in sections] == SECTIONS[brief_id]
    assert [s.ordinal for s in sections] == list(range(1, len(sections) + 1))


def test_the_lead_holds_the_two_paragraphs_before_the_first_heading() -> None:
    lead = brief(GENEVA).sections[0]
    assert lead.text.startswith("The March round of talks in Geneva brought Georgia and Russia back to the table")
    assert lead.text.endswith("its “findings” are invented.")
    assert lead.text.count("\n\n") == 1


def test_a_level_four_heading_stays_in_the_text_of_its_section() -> None:
    risks = next(s for s in brief(GENEVA).sections if s.id == "risks")
    assert "A level-four heading stays text" in risks.text
    assert "This paragraph follows a level-four heading" in risks.text


# -- typed blocks -------------------------------------------------------------

ELEMENTS = {
    GENEVA: [
        ("factor-1", "factor", 1, "background", None),
        ("envoy-channel", "factor", 2, "background", "The envoy channel"),
        ("factor-3", "factor", 3, "risks", "Fatigue"),
        ("ceasefire-extension", "expectation", 1, "outlook", "Extension of the monitoring mechanism"),
        ("ceasefire-extension-scenario-1", "scenario", 1, "outlook", "A quiet extension"),
        ("collapse", "scenario", 2, "outlook", "Collapse"),
        ("expectation-2", "expectation", 2, "outlook", "A second round"),
        ("expectation-2-scenario-1", "scenario", 1, "outlook", None),
    ],
    TBILISI: [
        ("factor-1", "factor", 1, "zurich-talks", "Venue neutrality"),
        ("western-anchor", "strategy-element", 1, "georgian-strategy", "Anchoring to the West"),
        ("strategy-element-2", "strategy-element", 2, "georgian-strategy", "Hedging with Moscow"),
        ("pressure-on-the-line", "strategy-element", 3, "russian-strategy", "Pressure along the line"),
        ("forum-follow-up", "expectation", 1, "forum", "A follow-up meeting"),
    ],
}


@pytest.mark.parametrize("brief_id", ELEMENTS)
def test_elements_ids_types_ordinals_and_sections(brief_id: str) -> None:
    elements = brief(brief_id).elements
    assert [(e.id, e.type, e.ordinal, e.section_id, e.title) for e in elements] == ELEMENTS[brief_id]


@pytest.mark.parametrize("brief_id", ELEMENTS)
def test_sections_hold_their_direct_blocks(brief_id: str) -> None:
    in_sections = {s.id: [e.id for e in s.elements] for s in brief(brief_id).sections}
    expected: dict[str, list[str]] = {s[0]: [] for s in SECTIONS[brief_id]}
    for element_id, type_name, _, section_id, _ in ELEMENTS[brief_id]:
        if type_name != "scenario":
            expected[section_id].append(element_id)
    assert in_sections == expected


def test_geneva_expectations_and_their_scenarios() -> None:
    extension = element(GENEVA, "ceasefire-extension")
    second = element(GENEVA, "expectation-2")
    assert isinstance(extension, Expectation)
    assert isinstance(second, Expectation)
    assert (extension.horizon, extension.priority_for) == ("next six months", ("georgia", "russia"))
    assert (second.horizon, second.priority_for) == ("2023", ())
    assert [(s.id, s.ordinal, s.expectation_id, s.title) for s in extension.scenarios] == [
        ("ceasefire-extension-scenario-1", 1, "ceasefire-extension", "A quiet extension"),
        ("collapse", 2, "ceasefire-extension", "Collapse"),
    ]
    assert [(s.id, s.ordinal, s.expectation_id, s.title) for s in second.scenarios] == [
        ("expectation-2-scenario-1", 1, "expectation-2", None),
    ]
    assert all(isinstance(s, Scenario) for s in (*extension.scenarios, *second.scenarios))


def test_geneva_has_no_strategy_elements() -> None:
    assert brief(GENEVA).elements_of_type("strategy-element") == ()


def test_tbilisi_strategy_elements_name_their_actor() -> None:
    strategy = brief(TBILISI).elements_of_type("strategy-element")
    assert all(isinstance(e, StrategyElement) for e in strategy)
    assert [(e.id, e.actor) for e in strategy] == [  # type: ignore[attr-defined]
        ("western-anchor", "georgia"),
        ("strategy-element-2", "georgia"),
        ("pressure-on-the-line", "russia"),
    ]


def test_tbilisi_expectation_without_scenarios() -> None:
    follow_up = element(TBILISI, "forum-follow-up")
    assert isinstance(follow_up, Expectation)
    assert (follow_up.horizon, follow_up.priority_for, follow_up.scenarios) == ("by the end of 2023", ("georgia",), ())
    assert brief(TBILISI).elements_of_type("scenario") == ()


@pytest.mark.parametrize("brief_id", ELEMENTS)
def test_ids_are_unique_within_the_brief(brief_id: str) -> None:
    block_ids = [e.id for e in brief(brief_id).elements]
    section_ids = [s.id for s in brief(brief_id).sections]
    assert len(set(block_ids)) == len(block_ids)
    assert len(set(section_ids)) == len(section_ids)
    assert not set(block_ids) & set(section_ids)


@pytest.mark.parametrize("brief_id", ELEMENTS)
def test_block_lines_point_at_their_fences(brief_id: str) -> None:
    lines = (UNSEEN / brief(brief_id).source.path).read_text(encoding="utf-8").split("\n")
    for block in brief(brief_id).elements:
        opening, closing = lines[block.source.line_start - 1], lines[block.source.line_end - 1]
        assert opening.startswith(":::") and block.type in opening, block.id
        assert closing.startswith(":::") and not closing.strip(":"), block.id
        if block.title:
            assert block.title in opening, block.id


# -- mentions -----------------------------------------------------------------

SECTION_MENTIONS = {
    GENEVA: {
        "lead": mentions("geneva georgia russia", "geneva-round-2022 war-2008"),
        "background": mentions("abkhazia georgia nino-beridze pyotr-ivanov", "war-2008 zurich-meeting-2022"),
        "risks": mentions("european-union"),
        "outlook": mentions("abkhazia geneva russia", "geneva-round-2022"),
        "risks-2": mentions("pyotr-ivanov"),
        "background-2": mentions(events="war-2008"),
    },
    TBILISI: {
        "zurich-talks": mentions("pyotr-ivanov zurich", "zurich-meeting-2022"),
        "competing-strategies": mentions(),
        "georgian-strategy": mentions("georgia european-union russia"),
        "russian-strategy": mentions("russia abkhazia", "war-2008"),
        "forum": mentions("tbilisi", "tbilisi-forum-2023"),
    },
}

BLOCK_MENTIONS = {
    GENEVA: {
        "factor-1": mentions("georgia"),
        "envoy-channel": mentions("nino-beridze pyotr-ivanov", "zurich-meeting-2022"),
        "factor-3": mentions(),
        "ceasefire-extension": mentions("abkhazia geneva russia"),
        "ceasefire-extension-scenario-1": mentions("geneva"),
        "collapse": mentions("russia"),
        "expectation-2": mentions(),
        "expectation-2-scenario-1": mentions(),
    },
    TBILISI: {
        "factor-1": mentions("zurich"),
        "western-anchor": mentions("georgia european-union"),
        "strategy-element-2": mentions("georgia russia"),
        "pressure-on-the-line": mentions("russia abkhazia", "war-2008"),
        "forum-follow-up": mentions(),
    },
}

WITH_SUBSECTIONS = {
    GENEVA: {
        "background": mentions(
            "abkhazia georgia nino-beridze pyotr-ivanov european-union", "war-2008 zurich-meeting-2022"
        ),
        "outlook": mentions("abkhazia geneva russia pyotr-ivanov", "geneva-round-2022"),
    },
    TBILISI: {"competing-strategies": mentions("georgia european-union russia abkhazia", "war-2008")},
}


@pytest.mark.parametrize("brief_id", SECTION_MENTIONS)
def test_section_mentions(brief_id: str) -> None:
    assert {s.id: s.mentions for s in brief(brief_id).sections} == SECTION_MENTIONS[brief_id]


@pytest.mark.parametrize("brief_id", BLOCK_MENTIONS)
def test_block_mentions(brief_id: str) -> None:
    assert {e.id: e.mentions for e in brief(brief_id).elements} == BLOCK_MENTIONS[brief_id]


@pytest.mark.parametrize("brief_id", WITH_SUBSECTIONS)
def test_section_mentions_with_their_subsections(brief_id: str) -> None:
    sections = brief(brief_id).sections
    for parent_id, expected in WITH_SUBSECTIONS[brief_id].items():
        actors: dict[str, None] = {}
        events: dict[str, None] = {}
        for section in sections:
            if parent_id in (section.id, section.parent_id):
                actors.update(dict.fromkeys(section.mentions.actors))
                events.update(dict.fromkeys(section.mentions.events))
        assert Mentions(tuple(actors), tuple(events)) == expected, parent_id


def test_a_metonym_is_a_mention_of_the_actor_it_names() -> None:
    hedging = element(TBILISI, "strategy-element-2")
    assert "Tbilisi" in hedging.text
    assert "tbilisi" not in hedging.mentions.actors
    spans = [(m.exact, m.ref) for m in brief(TBILISI).mentions if m.element_id == "strategy-element-2"]
    assert spans == [("Tbilisi", "georgia"), ("Moscow", "russia")]


# -- text ---------------------------------------------------------------------


def test_unicode_is_kept_as_written() -> None:
    talks = brief(TBILISI).sections[0]
    assert "«Мы готовы к диалогу» (“we are ready for dialogue”)" in talks.text
    assert "Пётр Иванов told reporters" in talks.text


def test_raw_html_is_text_never_markup() -> None:
    talks = brief(TBILISI).sections[0]
    assert "A pasted <script>alert(1)</script> must be shown as text, never run." in talks.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in talks.html
    assert "<script" not in talks.html
