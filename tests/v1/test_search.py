"""GET /v1/search, and ``q`` on every endpoint that takes it: ranked, cited, read whatever is typed."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefs.loader import load_corpus
from tests.conftest import ROOT

Q_ENDPOINTS = ["/v1/search", "/v1/briefs", "/v1/elements", "/v1/actors"]
ODD_QUERIES = ['"unclosed', "AND", "*", "NEAR(", ")", "(", "a:", "-", "^", '""', "OR OR", "NOT", "title:", "x" * 2000,
               "\x00", "a\x00b", "ß", "Zürich", "😀", "' OR 1=1 --", "%", "_", "\\", "{}", "[]", "NEAR(a b, -1)",
               "a NEAR/2 b", "col:word", "text:", " ", "\t", "\u202e", "a" * 500, "\"a\" \"b", "**"]  # fmt: skip


def test_phrase_ranks_above_a_shared_word(client: FlaskClient) -> None:
    hits = client.get("/v1/search?q=border%20demarcation&type=expectation").get_json()["items"]
    assert hits[0]["element_id"] == "border-demarcation"
    assert "<mark>" in hits[0]["snippet"]
    scenario_hits = client.get("/v1/search?q=working%20group&per_page=100").get_json()["items"]
    assert scenario_hits[0]["type"] in ("scenario", "expectation", "section", "brief")


def test_search_hits_carry_citations_at_their_offsets(client: FlaskClient) -> None:
    corpus = load_corpus(ROOT / "content")
    queries = ("Nakhichevan", "negotiating", '"border demarcation"', "border demarcation", "Armenian-Azerbaijani")
    for q in (*queries, "Putin"):
        for hit in client.get(f"/v1/search?q={quote(q)}&per_page=100").get_json()["items"]:
            citation = hit["citation"]
            if citation is None:
                continue
            text = corpus.briefs[hit["brief_id"]].text
            assert text[citation["position"]["start"] : citation["position"]["end"]] == citation["quote"]["exact"]
            assert client.get(hit["url"]).status_code == 200


def test_a_citation_quotes_the_matched_words_that_stand_together(client: FlaskClient) -> None:
    """Not the first word alone: "border demarcation" is quoted as the reader searched it."""
    for q, quoted in (("border demarcation", "border demarcation"), ("Armenian-Azerbaijani", "Armenian-Azerbaijani")):
        first = client.get(f"/v1/search?q={quote(q)}").get_json()["items"][0]
        assert first["citation"]["quote"]["exact"] == quoted
        assert first["snippet"].count("<mark>") >= 2


def test_search_type_filter_and_paging(client: FlaskClient) -> None:
    # Three strategy elements concern Azerbaijan: two name it, the third is its strategy (actor=azerbaijan).
    response = client.get("/v1/search?q=Azerbaijan&type=strategy-element&per_page=1")
    body = response.get_json()
    assert [h["type"] for h in body["items"]] == ["strategy-element"]
    assert body["pagination"]["total"] == 3 and body["pagination"]["total_pages"] == 3
    assert 'rel="next"' in response.headers["Link"]
    second = client.get("/v1/search?q=Azerbaijan&type=strategy-element&per_page=1&page=2").get_json()["items"]
    assert second[0]["element_id"] != body["items"][0]["element_id"]


def _hits(client: FlaskClient, query: str) -> list[str]:
    body = client.get(f"/v1/search?{query}&per_page=100").get_json()
    return [hit["url"] for hit in body["items"]]


@pytest.mark.parametrize("q", ["Putin%27s", "Putin%E2%80%99s", "Putin"])
def test_possessives_find_what_the_name_finds(client: FlaskClient, q: str) -> None:
    body = client.get(f"/v1/search?q={q}").get_json()
    assert body["query"]["as_read"] == "Putin"
    assert [e["id"] for e in body["query"]["entities"]] == ["vladimir-putin"]
    assert _hits(client, f"q={q}") == _hits(client, "q=Putin") != []


def test_a_misspelling_gets_a_suggestion_and_no_hits(client: FlaskClient) -> None:
    body = client.get("/v1/search?q=demarkation&type=expectation").get_json()
    assert body["items"] == [] and body["pagination"]["total"] == 0
    query = body["query"]
    assert (query["suggestion"], query["suggestion_total"]) == ("demarcation", 1)
    assert query["suggestion_url"] == "/v1/search?q=demarcation&type=expectation"
    followed = client.get(query["suggestion_url"]).get_json()
    assert followed["pagination"]["total"] == 1 and followed["query"]["suggestion"] is None


def test_an_alias_finds_the_mentions_of_its_entity(client: FlaskClient) -> None:
    body = client.get("/v1/search?q=Nakhchivan").get_json()
    assert body["query"]["entities"] == [
        {
            "kind": "actor",
            "id": "nakhichevan",
            "name": "Nakhichevan",
            "url": "/v1/actors/nakhichevan",
            "html_url": "/actors/nakhichevan",
        }
    ]
    assert body["items"][0]["element_id"] == "transport-links-agreement"
    assert all(hit["citation"]["quote"]["exact"] == "Nakhichevan" for hit in body["items"] if hit["citation"])


@pytest.mark.parametrize(
    ("q", "as_read", "dropped", "noted"),
    [
        ("border%20(", "border", [], "Read as words"),
        ("%00", "", ["U+0000"], "Nothing to search for"),
        ("%22", "", [], "Nothing to search for"),
        ("border%01demarcation", "border demarcation", ["U+0001"], None),
        ("NEAR(border", "border", [], "Read as words"),
    ],
)
def test_q_never_fails_on_syntax(
    client: FlaskClient, q: str, as_read: str, dropped: list[str], noted: str | None
) -> None:
    response = client.get(f"/v1/search?q={q}")
    assert response.status_code == 200
    query = response.get_json()["query"]
    assert (query["as_read"], query["syntax"], query["dropped_characters"]) == (as_read, "words", dropped)
    if noted:
        assert any(note.startswith(noted) for note in query["notes"])
    else:
        assert query["notes"] == []


def test_fts5_syntax_is_read_as_written(client: FlaskClient) -> None:
    query = client.get("/v1/search?q=NEAR(border%20demarcation,%205)").get_json()["query"]
    assert (query["syntax"], query["as_read"]) == ("fts5", "NEAR(border demarcation, 5)")


def test_search_filters(client: FlaskClient) -> None:
    everything = _hits(client, "q=border")
    assert _hits(client, "q=border&brief=sochi-summit-2021") == everything
    assert _hits(client, "q=border&brief=nothing") == []
    assert _hits(client, "q=border&published_from=2021-11-29&published_to=2021-11-29") == everything
    assert _hits(client, "q=border&published_from=2021-11-30") == []
    mentioning = _hits(client, "q=border&actor=russia")
    assert mentioning and set(mentioning) < set(everything)
    assert "/v1/briefs/sochi-summit-2021/strategy-elements/challenging-russia" in mentioning
    assert _hits(client, "q=border&event=border-incursions-2021")


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/v1/search?q=border&published_from=2022", "published_from"),
        ("/v1/briefs?published_to=29.11.2021", "published_to"),
    ],
)
def test_a_date_that_is_not_a_day_is_a_problem_that_shows_the_form(client: FlaskClient, url: str, name: str) -> None:
    response = client.get(url)
    assert response.status_code == 422
    (error,) = response.get_json()["errors"]
    assert error["name"] == name
    assert error["messages"] == ["Not a valid date: use YYYY-MM-DD, e.g. 2021-11-26."]


@pytest.mark.parametrize(
    ("filters", "note"),
    [
        ("actor=armnia", "No actor has the id 'armnia' (actor=): nothing can match."),
        ("event=sochi-2021", "No event has the id 'sochi-2021' (event=): nothing can match."),
        ("brief=sochi", "No brief has the id 'sochi' (brief=): nothing can match."),
        (
            "published_from=2022-01-01&published_to=2021-01-01",
            "published_from is after published_to: nothing can match.",
        ),
    ],
)
def test_a_filter_that_lets_nothing_through_says_why(client: FlaskClient, filters: str, note: str) -> None:
    # A mistyped id used to answer an empty page that looked like "no hits for these words".
    body = client.get(f"/v1/search?q=border&{filters}").get_json()
    assert body["pagination"]["total"] == 0
    assert body["query"]["notes"] == [note]


def test_filters_that_name_something_add_no_note(client: FlaskClient) -> None:
    url = "/v1/search?q=border&actor=armenia&event=border-incursions-2021&brief=sochi-summit-2021"
    assert client.get(url).get_json()["query"]["notes"] == []


def test_facets_count_every_hit_not_only_the_page(client: FlaskClient) -> None:
    body = client.get("/v1/search?q=border&per_page=1&facets=type,actor,year").get_json()
    total = body["pagination"]["total"]
    assert sum(value["count"] for value in body["facets"]["type"]) == total > 1
    assert body["facets"]["year"] == [{"value": "2021", "count": total}]
    counts = [value["count"] for value in body["facets"]["actor"]]
    assert counts == sorted(counts, reverse=True) and body["facet_totals"]["actor"] == len(counts)
    assert set(body["facets"]) == {"type", "actor", "year"} == set(body["facet_totals"])
    assert "facets" not in client.get("/v1/search?q=border").get_json()


@pytest.mark.parametrize("endpoint", ["/v1/search?q=border&", "/v1/briefs?", "/v1/elements?"])
def test_facets_on_every_collection_that_searches(client: FlaskClient, endpoint: str) -> None:
    body = client.get(f"{endpoint}facets=brief,tag").get_json()
    assert body["facets"]["brief"][0]["value"] == "sochi-summit-2021"
    assert {value["value"] for value in body["facets"]["tag"]} == {
        "armenia", "azerbaijan", "russia", "nagorno-karabakh", "diplomacy", "south-caucasus"
    }  # fmt: skip
    problem = client.get(f"{endpoint}facets=brief,bogus").get_json(force=True)
    assert problem["status"] == 422 and problem["errors"][0]["name"] == "facets"
    # An empty value names no facet: a 422, as an empty type= is, not a page without facets.
    problem = client.get(f"{endpoint}facets=").get_json(force=True)
    assert problem["status"] == 422 and problem["errors"][0]["messages"] == ["Name at least one facet."]


def test_q_is_required_and_bounded(client: FlaskClient) -> None:
    assert client.get("/v1/search").get_json(force=True)["errors"][0]["name"] == "q"
    assert client.get(f"/v1/search?q={'a' * 501}").status_code == 422
    assert client.get("/v1/search?q=").status_code == 422


@pytest.mark.parametrize("endpoint", Q_ENDPOINTS)
@pytest.mark.parametrize("q", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_odd_queries_are_answered(client: FlaskClient, endpoint: str, q: str) -> None:
    response = client.get(f"{endpoint}?q={quote(q)}")
    assert response.status_code == (422 if len(q) > 500 else 200)
    if response.status_code != 200:
        assert response.mimetype == "application/problem+json"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(max_size=520))
def test_any_string_as_q_gives_200_or_422(client: FlaskClient, q: str) -> None:
    for endpoint in Q_ENDPOINTS:
        status = client.get(f"{endpoint}?q={quote(q)}").status_code
        assert status == (200 if 1 <= len(q) <= 500 else 422), (endpoint, q)
