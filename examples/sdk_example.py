"""The Briefs API from Python, through a client generated from openapi.yaml.

Generate the client once (``make sdk`` does the same into ``build/sdk``), then run this
against a server, e.g. the one ``make serve`` starts::

    .venv/bin/openapi-python-client generate --path openapi.yaml --meta none \\
        --output-path build/sdk/briefs_api_client
    PYTHONPATH=build/sdk .venv/bin/python examples/sdk_example.py http://127.0.0.1:8000

Every operation is called once. Each function of the client returns the model of the
documented answer: a ``Brief`` whose sections and elements are ``Section`` and ``Element``
objects, dates as ``datetime.date``, enumerations as ``Enum`` members, and an error as a
``Problem``; :func:`expect` shows how to tell them apart. The test suite runs this file
(tests/test_sdk.py), so it keeps working.
"""

from __future__ import annotations

import datetime
import enum
import sys
from typing import TypeVar

from briefs_api_client import Client
from briefs_api_client.api.actors import get_actor, list_actor_mentions, list_actors
from briefs_api_client.api.briefs import (
    get_brief,
    get_brief_expectation,
    get_brief_factor,
    get_brief_scenario,
    get_brief_section,
    get_brief_strategy_element,
    list_brief_expectations,
    list_brief_factors,
    list_brief_scenarios,
    list_brief_sections,
    list_brief_strategy_elements,
    list_briefs,
)
from briefs_api_client.api.changes import list_changes
from briefs_api_client.api.elements import list_elements
from briefs_api_client.api.events import get_event, list_events
from briefs_api_client.api.health import get_health, get_readiness
from briefs_api_client.api.index import get_index
from briefs_api_client.api.search import search
from briefs_api_client.api.versions import (
    get_brief_version,
    get_brief_version_changes,
    get_brief_version_expectation,
    get_brief_version_factor,
    get_brief_version_scenario,
    get_brief_version_section,
    get_brief_version_strategy_element,
    list_brief_version_expectations,
    list_brief_version_factors,
    list_brief_version_scenarios,
    list_brief_version_sections,
    list_brief_version_strategy_elements,
    list_brief_versions,
)
from briefs_api_client.models import (
    Actor,
    ActorKind,
    ActorPage,
    Brief,
    BriefChanges,
    BriefSort,
    BriefSummaryPage,
    ChangeKind,
    ChangesFeed,
    DatePrecision,
    Element,
    ElementPage,
    ElementType,
    Event,
    EventPage,
    Expectation,
    ExpectationPage,
    Factor,
    FactorPage,
    Health,
    HitType,
    Index,
    MentionPage,
    Problem,
    Readiness,
    Scenario,
    ScenarioPage,
    SearchHitPage,
    Section,
    SectionPage,
    StrategyElement,
    StrategyElementPage,
    VersionPage,
)

T = TypeVar("T")


def expect(answer: object, model: type[T]) -> T:
    """The answer if it is a ``model``; a function returns a ``Problem`` when the API answers an error."""
    if not isinstance(answer, model):
        raise TypeError(f"expected {model.__name__}, got {answer!r}")
    return answer


def tour_briefs(client: Client) -> Brief:
    """A brief, its sections and each kind of typed element, as lists and one by one."""
    page = expect(list_briefs.sync(client=client, sort=BriefSort.TITLE, per_page=5), BriefSummaryPage)
    summary = page.items[0]
    assert isinstance(summary.published, datetime.date)
    print(f"briefs: {page.pagination.total}; first by title: {summary.title} ({summary.published:%d %B %Y})")

    brief = expect(get_brief.sync(summary.id, client=client), Brief)
    assert all(isinstance(section, Section) for section in brief.sections)
    elements = [element for section in brief.sections for element in section.elements]
    assert elements and all(isinstance(element, Element) for element in elements)
    assert all(isinstance(element.type_, ElementType) and isinstance(element.type_, enum.Enum) for element in elements)
    print(f"{brief.title}: {brief.counts.sections} sections, {len(elements)} typed elements")

    sections = expect(list_brief_sections.sync(brief.id, client=client), SectionPage)
    section = expect(get_brief_section.sync(brief.id, sections.items[-1].id, client=client), Section)
    print(f"last section: {section.title} (level {section.level})")

    factors = expect(list_brief_factors.sync(brief.id, client=client), FactorPage)
    factor = expect(get_brief_factor.sync(brief.id, factors.items[0].id, client=client), Factor)
    print(f"factor: {factor.title}")

    expectations = expect(list_brief_expectations.sync(brief.id, client=client), ExpectationPage)
    richest = max(expectations.items, key=lambda item: len(item.scenarios))
    expectation = expect(get_brief_expectation.sync(brief.id, richest.id, client=client), Expectation)
    assert all(isinstance(scenario, Scenario) for scenario in expectation.scenarios)
    print(f"expectation: {expectation.title}, {len(expectation.scenarios)} scenarios, horizon {expectation.horizon}")

    scenarios = expect(list_brief_scenarios.sync(brief.id, client=client), ScenarioPage)
    scenario = expect(get_brief_scenario.sync(brief.id, scenarios.items[0].id, client=client), Scenario)
    print(f"scenario of {scenario.expectation_id}: {scenario.title}")

    strategy = expect(list_brief_strategy_elements.sync(brief.id, client=client), StrategyElementPage)
    element = expect(get_brief_strategy_element.sync(brief.id, strategy.items[0].id, client=client), StrategyElement)
    print(f"strategy element of {element.actor}: {element.title}")
    return brief


def tour_versions(client: Client, brief: Brief) -> None:
    """A brief's history: its versions, one version whole and in parts, its diff, and the changes feed."""
    versions = expect(list_brief_versions.sync(brief.id, client=client), VersionPage)
    feed = expect(list_changes.sync(client=client), ChangesFeed)
    assert all(isinstance(item.change, ChangeKind) for item in feed.items)
    print(f"{brief.id}: {versions.pagination.total} versions; the changes feed starts with {len(feed.items)} changes")
    if not versions.items:
        print("no versions: the content is not in a full git clone")
        return
    number = versions.items[0].version
    old = expect(get_brief_version.sync(brief.id, number, client=client), Brief)
    assert old.version == number
    changes = expect(get_brief_version_changes.sync(brief.id, number, client=client), BriefChanges)
    print(f"version {number} ({versions.items[0].note}): {changes.summary.added} blocks added")
    sections = expect(list_brief_version_sections.sync(brief.id, number, client=client), SectionPage)
    expect(get_brief_version_section.sync(brief.id, number, sections.items[0].id, client=client), Section)
    factors = expect(list_brief_version_factors.sync(brief.id, number, client=client), FactorPage)
    expect(get_brief_version_factor.sync(brief.id, number, factors.items[0].id, client=client), Factor)
    expectations = expect(list_brief_version_expectations.sync(brief.id, number, client=client), ExpectationPage)
    expect(get_brief_version_expectation.sync(brief.id, number, expectations.items[0].id, client=client), Expectation)
    scenarios = expect(list_brief_version_scenarios.sync(brief.id, number, client=client), ScenarioPage)
    expect(get_brief_version_scenario.sync(brief.id, number, scenarios.items[0].id, client=client), Scenario)
    strategy = expect(list_brief_version_strategy_elements.sync(brief.id, number, client=client), StrategyElementPage)
    element = strategy.items[0].id
    expect(get_brief_version_strategy_element.sync(brief.id, number, element, client=client), StrategyElement)


def tour_entities(client: Client) -> None:
    """Actors and where briefs mention them, events as a timeline, typed blocks across briefs."""
    actors = expect(list_actors.sync(client=client, kind=ActorKind.PERSON), ActorPage)
    actor = expect(get_actor.sync(actors.items[0].id, client=client), Actor)
    assert actor.kind is ActorKind.PERSON
    mentions = expect(list_actor_mentions.sync(actor.id, client=client), MentionPage)
    print(f"{actor.name} is mentioned {mentions.pagination.total} times, first: {mentions.items[0].citation.url}")

    events = expect(list_events.sync(client=client, from_="2020"), EventPage)
    event = expect(get_event.sync(events.items[0].id, client=client), Event)
    assert isinstance(event.date_precision, DatePrecision)
    print(f"first event since 2020: {event.date} {event.title} ({event.date_precision.value} precision)")

    expectations = expect(list_elements.sync(client=client, type_=ElementType.EXPECTATION), ElementPage)
    assert all(element.type_ is ElementType.EXPECTATION for element in expectations.items)
    print(f"{expectations.pagination.total} expectations across briefs")


def main(base_url: str) -> None:
    """Call every operation of the API once and check the type of each answer."""
    client = Client(base_url=base_url, raise_on_unexpected_status=True)
    index = expect(get_index.sync(client=client), Index)
    expect(get_health.sync(client=client), Health)
    readiness = expect(get_readiness.sync(client=client), Readiness)
    print(f"API {index.api_version}, content {readiness.content_version}, briefs: {index.counts.briefs}")

    brief = tour_briefs(client)
    tour_versions(client, brief)
    tour_entities(client)

    hits = expect(search.sync(client=client, q="border demarcation", type_=HitType.EXPECTATION), SearchHitPage)
    print(f"search: {hits.items[0].title} ({hits.items[0].url})")

    problem = expect(get_brief.sync("no-such-brief", client=client), Problem)
    assert problem.status == 404
    print(f"a missing brief is a problem: {problem.status} {problem.title}: {problem.detail}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
