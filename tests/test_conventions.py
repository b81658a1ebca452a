"""The HTTP conventions, checked once on every GET route in the URL map."""

from __future__ import annotations

import re

import flask
import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from api import create_app
from tests.conftest import ROOT

_APP = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content")})
PROBLEM_ACCEPT = {"Accept": "application/problem+json, application/json;q=0.9"}
"""A client of the API: the reader pages answer their errors as HTML pages to anyone else (tests/pages)."""
_PARAM = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")


def _required_query(client: FlaskClient, rule: str) -> str:
    """Required query parameters, filled with their documented examples."""
    operation = client.get("/openapi.json").get_json()["paths"].get(_PARAM.sub(r"{\1}", rule), {}).get("get", {})
    required = [p for p in operation.get("parameters", []) if p["in"] == "query" and p.get("required")]
    return "&".join(f"{p['name']}={p['schema']['example']}" for p in required)


def _concrete_url(client: FlaskClient, rule: str) -> str:
    """Fill each path parameter with a real id, taken from the collection one level up,
    and each required query parameter with its documented example."""
    static_files = {"/docs/assets/": "swagger-ui.css", "/docs/static/": "docs-init.js"}
    for prefix, name in static_files.items():
        if rule.startswith(prefix):
            return prefix + name
    if not rule.startswith(("/v1", "/docs", "/openapi", "/healthz", "/readyz")) and "<" in rule:
        # A reader page (api/pages) takes the ids of the JSON resource at the same path under /v1.
        return _concrete_url(client, "/v1" + rule).removeprefix("/v1")
    query = _required_query(client, rule)
    if query:
        return f"{rule}?{query}"
    while (match := _PARAM.search(rule)) is not None:
        collection = rule[: match.start()].rstrip("/")
        items = client.get(collection).get_json()["items"]
        assert items, f"{collection} is empty: cannot test {rule}"
        value = str(items[0]["version"]) if "version" in match.group(0) else items[0]["id"]
        rule = rule[: match.start()] + value + rule[match.end() :]
    return rule


GET_RULES = sorted(
    rule.rule for rule in _APP.url_map.iter_rules() if "GET" in (rule.methods or ()) and rule.endpoint != "static"
)
URLS = {rule: _concrete_url(_APP.test_client(), rule) for rule in GET_RULES}


class _ClosingClient(FlaskClient):
    """Reads and closes every response, so static files leave no open handle."""

    def open(self, *args: object, **kwargs: object) -> TestResponse:  # type: ignore[override]
        kwargs["buffered"] = True
        response = super().open(*args, **kwargs)  # type: ignore[arg-type]
        response.close()
        return response


@pytest.fixture(scope="module")
def conv_client() -> FlaskClient:
    _APP.test_client_class = _ClosingClient
    return _APP.test_client()


@pytest.mark.parametrize("rule", GET_RULES)
def test_get_has_strong_etag_cache_control_and_cors(conv_client: FlaskClient, rule: str) -> None:
    response = conv_client.get(URLS[rule], headers={"Origin": "https://newsroom.example"})
    assert response.status_code == 200
    etag = response.headers["ETag"]
    assert etag.startswith('"') and etag.endswith('"'), "a strong ETag"
    assert response.headers["Cache-Control"]
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("rule", GET_RULES)
@pytest.mark.parametrize("form", ["strong", "weak", "star", "list"])
def test_if_none_match_gives_304_with_the_same_headers(conv_client: FlaskClient, rule: str, form: str) -> None:
    first = conv_client.get(URLS[rule])
    etag = first.headers["ETag"]
    header = {"strong": etag, "weak": f"W/{etag}", "star": "*", "list": f'"other", W/{etag}'}[form]
    second = conv_client.get(URLS[rule], headers={"If-None-Match": header})
    assert second.status_code == 304
    assert second.data == b""
    assert second.headers["ETag"] == etag
    assert second.headers["Cache-Control"] == first.headers["Cache-Control"]


@pytest.mark.parametrize("rule", GET_RULES)
def test_a_stale_tag_gets_the_full_answer(conv_client: FlaskClient, rule: str) -> None:
    response = conv_client.get(URLS[rule], headers={"If-None-Match": '"stale"'})
    assert response.status_code == 200 and response.data


@pytest.mark.parametrize("rule", GET_RULES)
def test_head_answers_like_get_without_a_body(conv_client: FlaskClient, rule: str) -> None:
    get, head = conv_client.get(URLS[rule]), conv_client.head(URLS[rule])
    assert head.status_code == 200
    assert head.data == b""
    assert head.headers["ETag"] == get.headers["ETag"]
    assert head.headers["Content-Type"] == get.headers["Content-Type"]


@pytest.mark.parametrize("rule", GET_RULES)
def test_unknown_query_parameter_is_a_problem_naming_it(conv_client: FlaskClient, rule: str) -> None:
    separator = "&" if "?" in URLS[rule] else "?"
    response = conv_client.get(f"{URLS[rule]}{separator}bogus_param=1", headers=PROBLEM_ACCEPT)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json(force=True)
    assert problem["status"] == 422 and "bogus_param" in problem["detail"]
    assert [e["name"] for e in problem["errors"]] == ["bogus_param"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/v1/search?q=Sochi&q=Brussels", "q"),
        ("/v1/search?q=border&type=factor&type=section", "type"),
        ("/v1/search?q=border&facets=actor&facets=year", "facets"),
        ("/v1/briefs?tag=armenia&tag=russia", "tag"),
        ("/v1/elements?page=1&page=2", "page"),
    ],
)
def test_a_parameter_given_twice_is_a_problem_naming_it(conv_client: FlaskClient, url: str, name: str) -> None:
    # The second value used to be dropped without a word: q=Sochi&q=Brussels searched for Sochi alone.
    response = conv_client.get(url, headers=PROBLEM_ACCEPT)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    problem = response.get_json(force=True)
    assert [e["name"] for e in problem["errors"]] == [name]
    assert f"'{name}' is given 2 times; give it once" in problem["detail"]


@pytest.mark.parametrize("rule", GET_RULES)
def test_other_methods_are_405_problems_that_keep_allow(conv_client: FlaskClient, rule: str) -> None:
    response = conv_client.post(URLS[rule], headers=PROBLEM_ACCEPT)
    assert response.status_code == 405
    assert response.mimetype == "application/problem+json"
    assert "GET" in response.headers["Allow"]


def test_every_route_was_given_a_url(app: flask.Flask) -> None:
    assert len(URLS) >= 17
