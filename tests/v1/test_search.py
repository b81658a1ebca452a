"""GET /v1/search, and ``q`` on every endpoint that takes it: ranked, cited, never a 500."""

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
    for q in ("Nakhichevan", "negotiating", '"border demarcation"', "Putin"):
        for hit in client.get(f"/v1/search?q={quote(q)}&per_page=100").get_json()["items"]:
            citation = hit["citation"]
            if citation is None:
                continue
            text = corpus.briefs[hit["brief_id"]].text
            assert text[citation["position"]["start"] : citation["position"]["end"]] == citation["quote"]["exact"]
            assert client.get(hit["url"]).status_code == 200


def test_search_type_filter_and_paging(client: FlaskClient) -> None:
    # "Azerbaijan" stands in two strategy elements; the third says only "Azerbaijani".
    response = client.get("/v1/search?q=Azerbaijan&type=strategy-element&per_page=1")
    body = response.get_json()
    assert [h["type"] for h in body["items"]] == ["strategy-element"]
    assert body["pagination"]["total"] == 2 and body["pagination"]["total_pages"] == 2
    assert 'rel="next"' in response.headers["Link"]
    second = client.get("/v1/search?q=Azerbaijan&type=strategy-element&per_page=1&page=2").get_json()["items"]
    assert second[0]["element_id"] != body["items"][0]["element_id"]


@pytest.mark.parametrize("q", ['"unclosed', "AND", "*", "NEAR("])
def test_unparsable_query_is_a_400_that_explains_the_syntax(client: FlaskClient, q: str) -> None:
    response = client.get(f"/v1/search?q={quote(q)}")
    assert response.status_code == 400 and response.mimetype == "application/problem+json"
    assert "phrase" in response.get_json(force=True)["detail"]


def test_q_is_required_and_bounded(client: FlaskClient) -> None:
    assert client.get("/v1/search").get_json(force=True)["errors"][0]["name"] == "q"
    assert client.get(f"/v1/search?q={'a' * 501}").status_code == 422


@pytest.mark.parametrize("endpoint", Q_ENDPOINTS)
@pytest.mark.parametrize("q", ODD_QUERIES, ids=range(len(ODD_QUERIES)))
def test_odd_queries_never_fail_the_server(client: FlaskClient, endpoint: str, q: str) -> None:
    response = client.get(f"{endpoint}?q={quote(q)}")
    assert response.status_code in (200, 400, 422)
    if response.status_code != 200:
        assert response.mimetype == "application/problem+json"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=1, max_size=60))
def test_any_query_is_answered_or_refused_cleanly(client: FlaskClient, q: str) -> None:
    for endpoint in Q_ENDPOINTS:
        assert client.get(f"{endpoint}?q={quote(q)}").status_code in (200, 400, 422)
