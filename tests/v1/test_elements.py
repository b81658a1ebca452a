"""Typed blocks across briefs, and the brief filters that use mentions and search."""

from __future__ import annotations

import csv
import io

import pytest
from flask.testing import FlaskClient


def _ids(client: FlaskClient, url: str) -> list[str]:
    return [item["id"] for item in client.get(url).get_json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("type=scenario", ["trilateral-working-group", "trade-transport-working-group"]),
     ("type=strategy-element&actor=azerbaijan", ["transactional-pressure", "challenging-russia", "domestic-politics"]),
     ("type=expectation&q=border%20demarcation", ["border-demarcation"]),
     ("type=factor&event=brussels-meeting-2021", ["russia-preempts-eu"]),
     ("brief=nope", [])],
)  # fmt: skip
def test_element_filters(client: FlaskClient, query: str, expected: list[str]) -> None:
    assert _ids(client, f"/v1/elements?per_page=100&{query}") == expected


def test_all_elements_in_document_order(client: FlaskClient) -> None:
    body = client.get("/v1/elements?per_page=100").get_json()
    assert body["pagination"]["total"] == 10
    assert [e["type"] for e in body["items"]][:3] == ["factor"] * 3


def test_elements_as_csv_have_their_citation_url(client: FlaskClient) -> None:
    response = client.get("/v1/elements?type=factor", headers={"Accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["id"] for r in rows] == ["return-to-diplomacy", "russia-preempts-eu", "no-document-signed"]
    assert rows[0]["url"] == "/v1/briefs/sochi-summit-2021/factors/return-to-diplomacy"


@pytest.mark.parametrize(
    ("query", "expected"),
    [("actor=vladimir-putin", ["sochi-summit-2021"]), ("actor=nobody", []),
     ("event=ceasefire-2020", ["sochi-summit-2021"]), ("q=Nakhichevan", ["sochi-summit-2021"]), ("q=Zanzibar", [])],
)  # fmt: skip
def test_brief_filters_on_mentions_and_text(client: FlaskClient, query: str, expected: list[str]) -> None:
    assert _ids(client, f"/v1/briefs?{query}") == expected


@pytest.mark.parametrize(
    ("url", "suggestion", "suggestion_total"),
    [("/v1/briefs?q=demarkation", "demarcation", 1),
     ("/v1/elements?q=demarkation", "demarcation", 2),
     # Under the filters: no factor says "demarcation", so none is suggested.
     ("/v1/elements?q=demarkation&type=factor", None, None)],
)  # fmt: skip
def test_lists_say_how_q_was_read_and_suggest_as_search_does(
    client: FlaskClient, url: str, suggestion: str | None, suggestion_total: int | None
) -> None:
    query = client.get(url).get_json()["query"]
    assert query["as_read"] == "demarkation"
    assert (query["suggestion"], query["suggestion_total"]) == (suggestion, suggestion_total)
    if suggestion is not None:
        assert query["suggestion_url"] == url.replace("demarkation", suggestion)


def test_lists_report_dropped_characters_and_named_entities(client: FlaskClient) -> None:
    query = client.get("/v1/elements?q=Nakhchivan%00").get_json()["query"]
    assert query["dropped_characters"] == ["U+0000"]
    assert [e["id"] for e in query["entities"]] == ["nakhichevan"]


@pytest.mark.parametrize("url", ["/v1/briefs", "/v1/elements", "/v1/briefs?tag=diplomacy"])
def test_lists_without_q_have_no_query(client: FlaskClient, url: str) -> None:
    assert "query" not in client.get(url).get_json()
