"""Briefs, sections and typed elements over HTTP, as a client sees them."""

from __future__ import annotations

import re
from typing import Any

import pytest
from flask.testing import FlaskClient

from api import create_app
from tests.conftest import ROOT

SOCHI = "/v1/briefs/sochi-summit-2021"
ELEMENT_FIELDS = {
    "id",
    "type",
    "brief_id",
    "section_id",
    "ordinal",
    "title",
    "text",
    "html",
    "mentions",
    "source",
    "url",
    "html_url",
}
SECTION_FIELDS = {"id", "brief_id", "title", "level", "parent_id", "ordinal", "text", "html", "elements", "mentions",
                  "source", "url", "html_url"}  # fmt: skip
BRIEF_FIELDS = {"id", "title", "published", "updated", "revision", "summary", "authors", "publisher", "language",
                "tags", "about", "counts", "word_count", "source", "url", "html_url"}  # fmt: skip


@pytest.fixture(scope="module")
def unseen() -> FlaskClient:
    """Briefs the project has never seen, written from the contract alone."""
    return create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "tests" / "fixtures" / "unseen")}).test_client()


def _links(response: Any) -> dict[str, str]:
    return {rel: url for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers.get("Link", ""))}


def test_whole_brief_has_every_contract_field(client: FlaskClient) -> None:
    brief = client.get(SOCHI).get_json()
    assert BRIEF_FIELDS | {"sections"} <= set(brief)
    assert brief["counts"] == {"sections": 4, "factors": 3, "expectations": 2, "scenarios": 2, "strategy_elements": 3}
    assert brief["source"]["path"] == "briefs/sochi-summit-2021.md" and len(brief["source"]["sha256"]) == 64
    assert brief["url"] == SOCHI
    for section in brief["sections"]:
        assert set(section) == SECTION_FIELDS
        assert section["url"] == f"{SOCHI}/sections/{section['id']}"
        for element in section["elements"]:
            assert set(element) >= ELEMENT_FIELDS
            assert element["section_id"] == section["id"]


def test_expectation_holds_its_scenarios(client: FlaskClient) -> None:
    expectation = client.get(f"{SOCHI}/expectations/border-demarcation").get_json()
    assert expectation["priority_for"] == ["armenia"] and expectation["horizon"] == "coming months"
    assert [(s["id"], s["ordinal"], s["expectation_id"]) for s in expectation["scenarios"]] == [
        ("trilateral-working-group", 1, "border-demarcation"),
        ("trade-transport-working-group", 2, "border-demarcation"),
    ]


def test_strategy_elements_name_their_actor(client: FlaskClient) -> None:
    page = client.get(f"{SOCHI}/strategy-elements").get_json()
    assert [(e["ordinal"], e["actor"]) for e in page["items"]] == [
        (1, "azerbaijan"),
        (2, "azerbaijan"),
        (3, "azerbaijan"),
    ]


def test_unseen_brief_structure(unseen: FlaskClient) -> None:
    brief = unseen.get("/v1/briefs/geneva-talks-2022").get_json()
    sections = [(s["id"], s["level"], s["parent_id"]) for s in brief["sections"]]
    assert sections[:3] == [("lead", 2, None), ("background", 2, None), ("risks", 3, "background")]
    assert ("background-2", 2, None) in sections and ("risks-2", 3, "outlook") in sections
    factors = [e["id"] for s in brief["sections"] for e in s["elements"] if e["type"] == "factor"]
    assert factors == ["factor-1", "envoy-channel", "factor-3"]
    expectations = unseen.get("/v1/briefs/geneva-talks-2022/expectations").get_json()["items"]
    assert [s["id"] for s in expectations[0]["scenarios"]] == ["ceasefire-extension-scenario-1", "collapse"]
    assert [s["id"] for s in expectations[1]["scenarios"]] == ["expectation-2-scenario-1"]
    assert expectations[0]["priority_for"] == ["georgia", "russia"]


def test_json_is_utf8_and_not_ascii_escaped(unseen: FlaskClient) -> None:
    response = unseen.get("/v1/briefs/geneva-talks-2022")
    assert response.mimetype == "application/json"
    assert "Пётр Иванов".encode() in response.data and b"\\u" not in response.data
    assert "Zürich".encode() in response.data


def _html_fields(node: Any) -> list[str]:
    if isinstance(node, dict):
        return [v for k, v in node.items() if k == "html"] + [h for v in node.values() for h in _html_fields(v)]
    if isinstance(node, list):
        return [h for v in node for h in _html_fields(v)]
    return []


def test_raw_html_only_ever_appears_escaped(unseen: FlaskClient) -> None:
    html = [
        h for b in ("geneva-talks-2022", "tbilisi-2023") for h in _html_fields(unseen.get(f"/v1/briefs/{b}").get_json())
    ]
    assert html and not [h for h in html if "<script" in h]
    assert any("&lt;script&gt;" in h for h in html)
    text = unseen.get("/v1/briefs/tbilisi-2023").get_data(as_text=True)
    assert "A pasted <script>alert(1)</script> must be shown as text" in text, "plain text keeps the words"


def test_per_page_1_walks_every_brief_through_link_headers(unseen: FlaskClient) -> None:
    url, seen, pages = "/v1/briefs?per_page=1", [], 0
    while url:
        response = unseen.get(url)
        body = response.get_json()
        seen += [b["id"] for b in body["items"]]
        links = _links(response)
        assert links["first"].endswith("page=1&per_page=1") or "page=1" in links["first"]
        assert body["pagination"]["total"] == 2 and body["pagination"]["total_pages"] == 2
        pages += 1
        url = links.get("next", "")
        if not url:
            assert "next" not in links and "prev" in links
    assert pages == 2 and seen == ["tbilisi-2023", "geneva-talks-2022"]


BAD_QUERIES = [
    ("per_page=101", "per_page"),
    ("page=0", "page"),
    ("tags=x", "tags"),
    ("sort=date", "sort"),
    ("published_from=2021-13-01", "published_from"),
]


@pytest.mark.parametrize(("query", "name"), BAD_QUERIES)
def test_bad_parameters_are_422_problems_naming_them(client: FlaskClient, query: str, name: str) -> None:
    response = client.get(f"/v1/briefs?{query}")
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    problem = response.get_json(force=True)
    assert {"type", "title", "status", "detail"} <= set(problem)
    assert [e["name"] for e in problem["errors"]] == [name]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("tag=test-fixture", ["tbilisi-2023", "geneva-talks-2022"]), ("tag=georgia", ["geneva-talks-2022"]),
     ("tag=nope", []),
     ("published_from=2023-01-01", ["tbilisi-2023"]), ("published_to=2022-12-31", ["geneva-talks-2022"]),
     ("sort=published", ["geneva-talks-2022", "tbilisi-2023"]), ("sort=-title", ["tbilisi-2023", "geneva-talks-2022"])],
)  # fmt: skip
def test_brief_filters_and_sort(unseen: FlaskClient, query: str, expected: list[str]) -> None:
    assert [b["id"] for b in unseen.get(f"/v1/briefs?{query}").get_json()["items"]] == expected


@pytest.mark.parametrize(
    "path",
    ["/v1/briefs/..%2F..%2Fetc%2Fpasswd", "/v1/briefs/../../etc/passwd", f"{SOCHI}/sections/..%2F..%2Fpyproject.toml",
     f"{SOCHI}/factors/%2e%2e", "/v1/briefs/nope", f"{SOCHI}/expectations/return-to-diplomacy", "/v1/nothing"],
)  # fmt: skip
def test_missing_or_traversing_ids_are_404_problems(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.mimetype == "application/problem+json"
    assert response.get_json(force=True)["status"] == 404


def test_a_server_error_is_a_problem_without_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    import api.v1.briefs  # noqa: PLC0415

    def broken() -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(api.v1.briefs, "reader", broken)
    production = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content")})  # not TESTING: errors do not propagate
    response = production.test_client().get("/v1/briefs?tag=diplomacy")  # not a stored response: the view runs
    assert response.status_code == 500 and response.mimetype == "application/problem+json"
    assert "secret" not in response.get_data(as_text=True) and "Traceback" not in response.get_data(as_text=True)


def test_index_links_every_collection_and_versions(client: FlaskClient) -> None:
    index = client.get("/v1").get_json()
    assert index["links"]["briefs"] == "/v1/briefs"
    assert index["counts"]["briefs"] == 1 and len(index["content_version"]) == 16


def test_readiness_lists_content_errors(tmp_path: Any) -> None:
    import shutil  # noqa: PLC0415

    shutil.copytree(ROOT / "content", tmp_path / "content")
    (tmp_path / "content" / "briefs" / "broken.md").write_text("---\nid: broken\n---\n", encoding="utf-8")
    client = create_app({"BRIEFS_CONTENT_DIR": str(tmp_path / "content")}).test_client()
    ready = client.get("/readyz").get_json()
    assert ready["status"] == "ready" and ready["briefs"] == 1
    assert any(e["path"].endswith("broken.md") and e["line"] >= 1 for e in ready["content_errors"])
    assert client.get("/v1/briefs/sochi-summit-2021").status_code == 200
