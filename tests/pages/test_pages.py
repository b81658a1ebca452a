"""The reader pages' HTML: landmarks, headings, ids and anchors, JSON-LD that agrees with the JSON, links
that resolve, the alternate JSON, the CSP, and error pages with the API's statuses."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from flask.testing import FlaskClient

from schemas.briefs import dump_brief
from schemas.urls import PUBLIC_URL_ENV

BRIEF = "sochi-summit-2021"
HTML_ACCEPT = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGES = {
    "home": "/",
    "brief": f"/briefs/{BRIEF}",
    "versions": f"/briefs/{BRIEF}/versions",
    "version": f"/briefs/{BRIEF}/versions/1",
    "changes": f"/briefs/{BRIEF}/versions/1/changes",
    "actor": "/actors/vladimir-putin",
    "events": "/events",
    "search": "/search?q=border+demarcation",
    "search-form": "/search",
}


@dataclass
class Page:
    """What a page holds, as a parser reads it."""

    lang: str | None = None
    ids: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    headings: list[int] = field(default_factory=list)
    tags: Counter[str] = field(default_factory=Counter)
    json_ld: list[Any] = field(default_factory=list)
    meta: dict[str, list[str]] = field(default_factory=dict)
    alternate: str | None = None
    scripts: list[str] = field(default_factory=list)
    inline_styles: int = 0
    handlers: list[str] = field(default_factory=list)
    """Event-handler attributes (``onclick`` ...): none may come from content."""


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.page = Page()
        self._ld: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        page = self.page
        page.tags[tag] += 1
        if tag == "html":
            page.lang = a.get("lang")
        if "id" in a:
            page.ids.append(a["id"])
        if "style" in a:
            page.inline_styles += 1
        page.handlers += [name for name in a if name.startswith("on")]
        if tag == "a" and "href" in a:
            page.links.append(a["href"])
        if len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            page.headings.append(int(tag[1]))
        if tag == "meta" and "property" in a:
            page.meta.setdefault(a["property"], []).append(a["content"])
        if tag == "link" and a.get("rel") == "alternate" and a.get("type") == "application/json":
            page.alternate = a["href"]
        if tag == "script":
            if a.get("type") == "application/ld+json":
                self._ld = []
            else:
                page.scripts.append(a.get("src", "INLINE"))

    def handle_data(self, data: str) -> None:
        if self._ld is not None:
            self._ld.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._ld is not None:
            self.page.json_ld.append(json.loads("".join(self._ld)))
            self._ld = None


def read(html: str) -> Page:
    reader = _Reader()
    reader.feed(html)
    return reader.page


@pytest.fixture(scope="module")
def pages(app: Any) -> dict[str, tuple[Any, Page]]:
    client = app.test_client()
    answers = {name: client.get(path, headers=HTML_ACCEPT) for name, path in PAGES.items()}
    return {name: (response, read(response.get_data(as_text=True))) for name, response in answers.items()}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_is_html_with_lang_landmarks_one_h1_and_unique_ids(pages: dict[str, Any], name: str) -> None:
    response, page = pages[name]
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert page.lang == "en"
    assert page.tags["main"] == 1 and page.tags["header"] >= 1 and page.tags["nav"] >= 1 and page.tags["footer"] == 1
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    # Headings never skip a level going down (h2 to h4 would).
    assert all(b <= a + 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), page.headings
    duplicates = [i for i, n in Counter(page.ids).items() if n > 1]
    assert duplicates == []
    assert page.scripts == ["/static/cite.js"] and page.inline_styles == 0 and page.handlers == []


@pytest.mark.parametrize("name", PAGES)
def test_pages_have_a_strict_csp_strong_etag_and_cache_control(pages: dict[str, Any], name: str) -> None:
    response, _ = pages[name]
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "default-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["ETag"].startswith('"') and response.headers["Cache-Control"] == "public, max-age=60"


@pytest.mark.parametrize("name", [n for n in PAGES if n != "search-form"])
def test_each_page_links_to_its_json_which_answers(client: FlaskClient, pages: dict[str, Any], name: str) -> None:
    response, page = pages[name]
    assert page.alternate and page.alternate.startswith("/v1")
    assert f'<{page.alternate}>; rel="alternate"; type="application/json"' in response.headers["Link"]
    assert client.get(page.alternate).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_every_link_resolves_and_every_anchor_exists(client: FlaskClient, pages: dict[str, Any], name: str) -> None:
    _, page = pages[name]
    targets: dict[str, Page] = {}
    for href in page.links:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            pytest.fail(f"a link leaves the server: {href}")
        if not parts.path and not parts.query:  # #id: on this very page
            assert unquote(parts.fragment) in page.ids, f"{href}: no such id on {PAGES[name]}"
            continue
        path = parts.path
        if path not in targets:
            answer = client.get(f"{path}?{parts.query}" if parts.query else path, headers=HTML_ACCEPT)
            assert answer.status_code == 200, href
            targets[path] = read(answer.get_data(as_text=True)) if answer.mimetype == "text/html" else Page()
        anchor = unquote(parts.fragment.split(":~:")[0])
        if anchor and not path.startswith("/v1"):
            assert anchor in targets[path].ids, f"{href}: no #{anchor} on {path}"


def test_the_brief_page_marks_every_block_and_section_with_its_id(client: FlaskClient, pages: dict[str, Any]) -> None:
    _, page = pages["brief"]
    brief = client.get(f"/v1/briefs/{BRIEF}").get_json()
    for section in brief["sections"]:
        assert section["id"] in page.ids
        assert urlsplit(section["html_url"]).fragment == section["id"]
        for element in section["elements"]:
            assert element["id"] in page.ids
            assert element["html_url"] == f"/briefs/{BRIEF}#{element['id']}"
    html = pages["brief"][0].get_data(as_text=True)
    assert html.count('<details class="cite"') == len(brief["sections"][1]["elements"]) + 2 + 2 + 3
    assert 'class="mention actor" href="/actors/vladimir-putin"' in html
    assert 'class="mention event" href="/events#sochi-meeting-2021"' in html


def test_the_json_ld_is_a_report_that_agrees_with_the_json(client: FlaskClient, pages: dict[str, Any]) -> None:
    _, page = pages["brief"]
    brief = client.get(f"/v1/briefs/{BRIEF}").get_json()
    [report] = page.json_ld
    assert report["@context"] == "https://schema.org" and report["@type"] == "Report"
    assert report["headline"] == brief["title"] and report["url"] == brief["html_url"]
    assert report["datePublished"] == brief["published"]
    assert report["dateModified"] >= brief["published"]
    assert report["description"] == brief["summary"] and report["inLanguage"] == brief["language"]
    assert report["author"] == [{"@type": "Person", "name": a["name"]} for a in brief["authors"]]
    assert [e["@id"] for e in report["about"]] == [f"/events#{e}" for e in brief["about"]]
    mentioned = {a for s in brief["sections"] for a in s["mentions"]["actors"]}
    assert {m["@id"].removeprefix("/actors/") for m in report["mentions"]} == mentioned
    assert all(m["name"] for m in report["mentions"])
    assert ("publisher" in report) == (brief["publisher"] is not None)


def test_open_graph_tags_describe_the_brief(client: FlaskClient, pages: dict[str, Any]) -> None:
    _, page = pages["brief"]
    brief = client.get(f"/v1/briefs/{BRIEF}").get_json()
    assert page.meta["og:type"] == ["article"] and page.meta["og:title"] == [brief["title"]]
    assert page.meta["og:description"] == [brief["summary"]]
    assert page.meta["article:published_time"] == [brief["published"]]
    assert page.meta["article:tag"] == brief["tags"]


def test_a_version_page_is_pinned_and_says_so(pages: dict[str, Any]) -> None:
    response, page = pages["version"]
    html = response.get_data(as_text=True)
    assert "You are reading version 1" in html
    assert page.alternate == f"/v1/briefs/{BRIEF}/versions/1"
    assert page.json_ld[0]["url"] == f"/briefs/{BRIEF}/versions/1" and page.json_ld[0]["version"] == 1


def test_the_cite_control_shows_the_citation_as_text_without_script(pages: dict[str, Any]) -> None:
    html = pages["actor"][0].get_data(as_text=True)
    assert '<summary>Cite<span class="visually-hidden"> this mention</span></summary>' in html
    assert '<p class="citation">“' in html and "— <cite>After Sochi" in html
    assert f'href="/briefs/{BRIEF}/versions/1#lead:~:text=' in html


def test_the_actor_page_marks_the_mention_in_each_quote(client: FlaskClient) -> None:
    # Azerbaijan is also named "Baku": the reader sees which word of the quote is the mention.
    html = client.get("/actors/azerbaijan", headers=HTML_ACCEPT).get_data(as_text=True)
    mentions = client.get("/v1/actors/azerbaijan/mentions?per_page=100").get_json()["items"]
    quotes = html.split('<ol class="mentions"', 1)[1].split("<blockquote ")[1:]
    assert len(quotes) == len(mentions)
    for quote, mention in zip(quotes, mentions, strict=True):
        assert quote.count("<mark>") == 1 and f"<mark>{mention['exact']}</mark>" in quote
    assert "political commodity, <mark>Baku</mark> is only likely" in html


def test_the_changes_page_marks_insertions_and_deletions(pages: dict[str, Any]) -> None:
    html = pages["changes"][0].get_data(as_text=True)
    assert "The first version: everything was added" in html
    # The text before the first heading (section "lead") is named as the brief page names it.
    assert f'section <a href="/briefs/{BRIEF}/versions/1#lead">Introduction</a>' in html
    assert "<ins>" in html


def test_search_shows_highlights_facets_as_filters_and_a_suggestion(client: FlaskClient) -> None:
    html = client.get("/search?q=border+demarcation", headers=HTML_ACCEPT).get_data(as_text=True)
    assert "<mark>" in html and 'aria-labelledby="filters-heading"' in html
    assert 'href="/search?q=border+demarcation&amp;type=expectation"' in html
    typo = client.get("/search?q=demarkation", headers=HTML_ACCEPT).get_data(as_text=True)
    assert 'Did you mean <a href="/search?q=demarcation">demarcation</a>?' in typo


def test_a_hit_whose_title_alone_matched_is_cited_by_its_title(client: FlaskClient) -> None:
    hits = client.get("/v1/search?q=Folded").get_json()["items"]
    hit = next(h for h in hits if h["citation"] is None)  # a scenario's title matched; no text did
    html = client.get("/search?q=Folded", headers=HTML_ACCEPT).get_data(as_text=True)
    item = html.split(f'href="{hit["html_url"]}"', 1)[1].split("</li>", 1)[0]
    assert '<summary>Cite<span class="visually-hidden"> this passage</span></summary>' in item
    assert f"“{hit['title']}”" in item and "— <cite>After Sochi" in item
    assert f"/versions/1#{hit['element_id']}:~:text=Folded%20" in item


def test_search_lists_the_hits_before_the_filters_and_names_briefs_by_title(client: FlaskClient) -> None:
    # On a phone the columns stack: filters first would push every hit below a screen of links.
    html = client.get("/search?q=border+demarcation", headers=HTML_ACCEPT).get_data(as_text=True)
    assert html.index('<ol class="hits"') < html.index('<nav class="facets" id="filters"')
    assert '· <a href="#filters">Filter these hits</a>' in html
    title = client.get(f"/v1/briefs/{BRIEF}").get_json()["title"].replace("’", "&rsquo;")
    html = html.replace("’", "&rsquo;")
    assert f"Expectation in <cite>{title}</cite>" in html and f"in {BRIEF}<" not in html
    assert f'&amp;brief={BRIEF}">{title}</a>' in html  # the brief facet names the brief by its title
    assert '<label for="q">Search the briefs</label>' in html and 'aria-describedby="q-hint"' in html


def test_a_search_with_no_hit_says_so_and_what_to_try(client: FlaskClient) -> None:
    html = client.get("/search?q=zzzqqqxx", headers=HTML_ACCEPT).get_data(as_text=True)
    assert "0 hits for <q>zzzqqqxx</q>" in html
    assert '<p class="empty">Nothing in the briefs matches <q>zzzqqqxx</q>.' in html
    assert 'class="facets"' not in html and 'class="hits"' not in html, "no empty Filter heading, no empty list"
    filtered = client.get("/search?q=zzzqqqxx&type=factor", headers=HTML_ACCEPT).get_data(as_text=True)
    assert "matches <q>zzzqqqxx</q> with these filters." in filtered and "Clear the filters" in filtered


def test_an_empty_search_field_shows_the_form_and_a_blank_one_says_to_type_a_word(client: FlaskClient) -> None:
    empty = client.get("/search?q=", headers=HTML_ACCEPT)
    assert empty.status_code == 200, "the field sent empty is the empty form, not an error"
    assert '<input id="q" name="q" type="search" value=""' in empty.get_data(as_text=True)
    assert "hits for" not in empty.get_data(as_text=True)
    assert client.get("/v1/search?q=").status_code == 422, "the API keeps its answer"
    blank = client.get("/search?q=%20%20", headers=HTML_ACCEPT).get_data(as_text=True)
    assert '<p class="note">Nothing to search for: type a word.</p>' in blank
    assert "hits for <q></q>" not in blank and "matches <q></q>" not in blank


@pytest.mark.parametrize(
    ("path", "last"),
    [("/?page=3", "/?page=1"), ("/search?q=azerbaijan&page=99", "/search?q=azerbaijan&amp;page=1")],
)
def test_a_page_past_the_last_says_so_and_links_to_the_last(client: FlaskClient, path: str, last: str) -> None:
    response = client.get(path, headers=HTML_ACCEPT)
    assert response.status_code == 200  # as the API answers: an empty page, not an error
    html = response.get_data(as_text=True)
    number = path.rsplit("=", 1)[1]
    assert f'<p class="past-end">There is no page {number}: the list has 1 page.' in html
    assert f'<a href="{last}">Go to the last page</a>' in html


def test_search_pages_number_their_hits_from_the_page_start(client: FlaskClient) -> None:
    html = client.get("/search?q=azerbaijan&per_page=3&page=2", headers=HTML_ACCEPT).get_data(as_text=True)
    assert '<ol class="hits" aria-labelledby="result-count" start="4">' in html
    assert 'rel="prev" href="/search?q=azerbaijan&amp;per_page=3&amp;page=1"' in html


def test_paged_pages_honour_per_page_and_number_from_the_page_start(client: FlaskClient) -> None:
    # per_page is accepted on every paged page, as on the API; it was accepted and ignored.
    html = client.get("/actors/azerbaijan?per_page=3&page=2", headers=HTML_ACCEPT).get_data(as_text=True)
    assert html.count("<blockquote ") == 3 and '<ol class="mentions" start="4">' in html
    assert '<li id="mention-4">' in html and "Page 2 of 4" in html
    assert "<title>Azerbaijan, page 2 · Briefs</title>" in html, "each page of a list has a title of its own"
    assert 'rel="prev" href="/actors/azerbaijan?per_page=3&amp;page=1"' in html
    assert 'rel="next" href="/actors/azerbaijan?per_page=3&amp;page=3"' in html
    default = client.get("/actors/azerbaijan", headers=HTML_ACCEPT).get_data(as_text=True)
    assert default.count("<blockquote ") == 11 and 'class="pager"' not in default  # the page's own size, 50


def test_tables_scroll_in_a_focusable_named_box(pages: dict[str, Any]) -> None:
    # A table wider than a phone scrolls inside its box, not the page; a keyboard can scroll a box it can focus.
    html = pages["versions"][0].get_data(as_text=True)
    assert '<div class="table-scroll" role="region" aria-labelledby="versions-caption" tabindex="0">' in html
    assert '<caption class="visually-hidden" id="versions-caption">' in html


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/briefs/no-such-brief", 404, "No brief 'no-such-brief'."),
        (f"/briefs/{BRIEF}/versions/999", 404, "No version 999"),
        (f"/briefs/{BRIEF}/versions/latest", 422, "Invalid 'version'"),
        ("/actors/nobody", 404, "No actor 'nobody'."),
        ("/search?q=border&bogus=1", 422, "bogus"),
        ("/search?q=" + "x" * 600, 422, "Invalid 'q'"),
        ("/no-such-page", 404, "Not Found"),
        ("/docs/no-such-page", 404, "Not Found"),  # a mistyped address under /docs, opened in a browser
    ],
)
def test_errors_are_pages_for_browsers_and_problems_for_api_clients(
    client: FlaskClient, path: str, status: int, words: str
) -> None:
    page = client.get(path, headers=HTML_ACCEPT)
    assert page.status_code == status and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert words.replace("'", "&#39;") in html and read(html).headings[0] == 1
    assert "Unprocessable Entity</h1>" not in html, "a reader gets plain words, not HTTP's"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    problem = client.get(path, headers={"Accept": "application/json"})
    assert problem.status_code == status and problem.mimetype == "application/problem+json"


def test_api_paths_answer_problems_even_to_browsers(client: FlaskClient) -> None:
    response = client.get("/v1/briefs/no-such-brief", headers=HTML_ACCEPT)
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_html_url_and_html_permalink_are_absolute_under_the_public_url(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    artifact = client.application.extensions["briefs"].watch.current()
    brief = artifact.brief(BRIEF)
    monkeypatch.setenv(PUBLIC_URL_ENV, "https://briefs.example.org/")
    dumped = dump_brief(brief)
    assert dumped["html_url"] == f"https://briefs.example.org/briefs/{BRIEF}"
    assert dumped["sections"][0]["html_url"] == f"https://briefs.example.org/briefs/{BRIEF}#lead"
    assert dumped["url"] == f"/v1/briefs/{BRIEF}", "url stays a path"


def test_citations_carry_page_links_with_the_text_fragment(client: FlaskClient) -> None:
    mention = client.get("/v1/actors/vladimir-putin/mentions").get_json()["items"][0]
    citation = mention["citation"]
    anchor = citation["element_id"] or citation["section_id"]
    assert citation["html_url"].startswith(f"/briefs/{BRIEF}#{anchor}:~:text=")
    assert citation["html_permalink"] == citation["html_url"].replace(
        f"/briefs/{BRIEF}#", f"/briefs/{BRIEF}/versions/{citation['version']}#"
    )
    assert ",Vladimir%20Putin," in citation["html_permalink"]


def test_the_rate_limit_on_a_cached_page_is_a_page_with_retry_after() -> None:
    from api import create_app  # noqa: PLC0415 - an app of its own, with a limit in reach
    from tests.conftest import ROOT  # noqa: PLC0415

    client = create_app({"BRIEFS_CONTENT_DIR": str(ROOT / "content"), "BRIEFS_RATELIMIT": "2 per minute"}).test_client()
    statuses = [client.get("/events", headers=HTML_ACCEPT) for _ in range(3)]  # the second is a fast-path hit
    assert [s.status_code for s in statuses] == [200, 200, 429]
    refused = statuses[2]
    assert refused.mimetype == "text/html" and int(refused.headers["Retry-After"]) > 0
    assert "Too Many Requests" in refused.get_data(as_text=True)


HOSTILE = """---
id: hostile
title: "</script><script>alert(1)</script> & <b>bold</b>"
summary: "\\" onmouseover=\\"alert(2)"
published: 2021-12-01
---

Intro <script>alert(3)</script> text.

## A heading </script><img src=x onerror=alert(4)> {#heading}

::: {.factor #hostile-factor title="\\"><script>alert(5)</script>"}

Factor text with [Putin]{.actor ref=vladimir-putin}.

:::
"""


def _client_with_brief(tmp_path: Any, name: str, text: str) -> Any:
    """A test client over the project's entities and one brief file, ``briefs/<name>``."""
    from api import create_app  # noqa: PLC0415
    from tests.conftest import ROOT  # noqa: PLC0415

    content = tmp_path / "content"
    (content / "briefs").mkdir(parents=True)
    (content / "entities").mkdir()
    for entity_file in (ROOT / "content" / "entities").glob("*.yaml"):
        (content / "entities" / entity_file.name).write_bytes(entity_file.read_bytes())
    (content / "briefs" / name).write_text(text, encoding="utf-8")
    return create_app({"BRIEFS_CONTENT_DIR": str(content)}).test_client()


def test_a_hostile_brief_brings_no_script_into_its_page(tmp_path: Any) -> None:
    client = _client_with_brief(tmp_path, "hostile.md", HOSTILE)
    response = client.get("/briefs/hostile", headers=HTML_ACCEPT)
    assert response.status_code == 200, response.get_data(as_text=True)
    html = response.get_data(as_text=True)
    page = read(html)
    assert page.scripts == ["/static/cite.js"], "no script element but the page's own"
    assert page.handlers == [] and page.tags["img"] == 0
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in html, "shown as text"
    [report] = page.json_ld
    assert report["headline"] == "</script><script>alert(1)</script> & <b>bold</b>"
    assert "hostile-factor" in page.ids


def test_a_brief_in_another_language_marks_its_article_not_the_english_site_around_it(tmp_path: Any) -> None:
    brief = "---\nid: apres-sotchi\ntitle: Après Sotchi\npublished: 2021-12-01\nlanguage: fr\n---\n\nLe sommet.\n"
    client = _client_with_brief(tmp_path, "apres-sotchi.md", brief)
    html = client.get("/briefs/apres-sotchi", headers=HTML_ACCEPT).get_data(as_text=True)
    # A screen reader reads "All briefs", "Search" and "Cite" in English, the brief in French.
    assert read(html).lang == "en" and '<article class="brief" lang="fr"' in html


def test_the_changes_page_shows_an_edit_word_by_word(tmp_path: Any) -> None:
    from api import create_app  # noqa: PLC0415
    from tests.test_versions import Repo  # noqa: PLC0415 - the scripted content repository of the versions tests

    repo = Repo(tmp_path / "repo")
    repo.commit("Publish the Sochi brief")
    repo.edit("offered an essential return to diplomacy", "offered a welcome return to diplomacy")
    repo.commit("Reword the first factor")
    client = create_app({"BRIEFS_CONTENT_DIR": str(repo.root / "content")}).test_client()
    response = client.get(f"/briefs/{BRIEF}/versions/2/changes", headers=HTML_ACCEPT)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'Compared with <a href="/briefs/sochi-summit-2021/versions/1">version 1</a>' in html
    assert "<del>an essential </del>" in html and "<ins>a welcome </ins>" in html
    assert 'href="/briefs/sochi-summit-2021/versions/2#return-to-diplomacy"' in html
    # The version page quotes the new words, and its Cite links to version 2.
    page = client.get(f"/briefs/{BRIEF}/versions/2", headers=HTML_ACCEPT).get_data(as_text=True)
    assert "offered a welcome return to diplomacy" in page
    assert f"/briefs/{BRIEF}/versions/2#return-to-diplomacy:~:text=First%2C" in page
