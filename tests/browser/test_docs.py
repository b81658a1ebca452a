"""/docs in headless Chromium: Swagger UI renders the OpenAPI 3.1 document, "Try it out"
calls the same server, no script fails, nothing comes from elsewhere, the CSP holds and
axe-core finds no accessibility violation; the page links back to the reader pages.

Rendering Swagger UI takes seconds, so most tests read one visit (the ``docs`` fixture): /docs
opened, rendered, and "Try it out" run on getBrief.
"""

from __future__ import annotations

import itertools
import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import Browser, Locator, Page, Playwright, expect

from tests.browser.harness import BrowserMissing, PageLog, launch_chromium, open_page, run_axe, screenshot
from tests.live import ROOT

pytestmark = pytest.mark.browser

DOCUMENT = yaml.safe_load((ROOT / "openapi.yaml").read_text(encoding="utf-8"))
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
OPERATIONS = sorted(
    (method.upper(), path) for path, item in DOCUMENT["paths"].items() for method in item if method in HTTP_METHODS
)
BRIEF_ID = "sochi-summit-2021"


@dataclass
class DocsVisit:
    """/docs after "Try it out" on getBrief."""

    page: Page
    log: PageLog
    shown: list[tuple[str, str]]
    """Method and path of each operation Swagger UI showed once rendered."""
    operation: Locator
    """getBrief's block."""
    screenshot: Path
    """The page once rendered, before "Try it out"."""


def open_docs(page: Page) -> None:
    """Open /docs and wait until Swagger UI shows as many operations as the document has."""
    page.goto("/docs")
    expect(page.locator(".opblock")).to_have_count(len(OPERATIONS))


def try_get_brief(page: Page) -> Locator:
    """Expand getBrief, "Try it out" with BRIEF_ID, execute; return the operation's block."""
    operation = page.locator("#operations-briefs-getBrief")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_placeholder("brief_id").fill(BRIEF_ID)
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table tr.response .response-col_status")).to_have_text("200")
    return operation


@pytest.fixture(scope="module")
def docs(browser: Browser, live_server: str) -> Iterator[DocsVisit]:
    log = PageLog()
    with open_page(browser, live_server, log) as page:
        open_docs(page)
        shown = page.locator(".opblock-summary").evaluate_all(
            """summaries => summaries.map(s => [
                s.querySelector('.opblock-summary-method').textContent,
                s.querySelector('.opblock-summary-path').dataset.path,
            ])"""
        )
        rendered = screenshot(page, "docs")
        operation = try_get_brief(page)
        yield DocsVisit(page, log, sorted(map(tuple, shown)), operation, rendered)


def test_docs_render_every_operation_of_the_document(docs: DocsVisit) -> None:
    assert len(OPERATIONS) >= 20
    assert docs.shown == OPERATIONS
    assert docs.page.locator(".info .title").inner_text().startswith("Briefs API")
    expect(docs.page.locator(".info .version-stamp")).to_have_text("OAS 3.1")
    expect(docs.page.get_by_text("Unable to render this definition")).to_have_count(0)


def test_a_screenshot_of_the_docs_is_saved(docs: DocsVisit) -> None:
    assert docs.screenshot == ROOT / "build" / "screenshots" / "docs.png"
    png = docs.screenshot.read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert png.startswith(b"\x89PNG") and width == 1280 and height > 2000, "the whole page, every operation"


def test_try_it_out_on_get_brief_shows_the_brief_from_the_same_server(docs: DocsVisit, live_server: str) -> None:
    with urllib.request.urlopen(f"{live_server}/v1/briefs/{BRIEF_ID}", timeout=10) as served:
        expected = json.load(served)
    shown = json.loads(
        docs.operation.locator(".live-responses-table .response-col_description .highlight-code pre").inner_text()
    )
    assert shown["id"] == BRIEF_ID
    assert shown == expected
    assert docs.operation.locator(".request-url pre").inner_text() == f"{live_server}/v1/briefs/{BRIEF_ID}"
    screenshot(docs.operation, "docs-try-it-out")


def test_no_script_error_and_nothing_from_elsewhere(docs: DocsVisit, live_server: str) -> None:
    assert docs.log.errors == []
    assert f"{live_server}/v1/briefs/{BRIEF_ID}" in docs.log.requests, "the log saw the page's requests"
    assert [url for url in docs.log.requests if not url.startswith(f"{live_server}/")] == []


def test_axe_finds_no_violation(docs: DocsVisit) -> None:
    # After "Try it out": every operation listed, one expanded with its parameters and a response.
    # Of any impact: the moderate ones (no landmark around the title, h1 then h3) were fixed too.
    assert run_axe(docs.page) == []


def test_the_headings_make_an_outline_the_page_is_described_and_the_reader_pages_a_link_away(docs: DocsVisit) -> None:
    levels = docs.page.locator("h1, h2, h3, h4, h5, h6").evaluate_all(
        "hs => hs.map(h => Number(h.getAttribute('aria-level') || h.tagName[1]))"
    )
    assert levels[0] == 1 and all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    operations = [op for item in DOCUMENT["paths"].values() for m, op in item.items() if m in HTTP_METHODS]
    tags = {tag for op in operations for tag in op["tags"]}
    groups = docs.page.locator(".opblock-tag").evaluate_all("hs => hs.map(h => h.getAttribute('aria-level'))")
    assert groups == ["2"] * len(tags), "each group of operations is a level-2 heading under the title"
    home = docs.page.get_by_role("navigation", name="Site").get_by_role("link", name="Briefs", exact=True)
    expect(home).to_have_attribute("href", "/")
    assert "Briefs API" in (docs.page.locator('meta[name="description"]').get_attribute("content") or "")


def test_the_csp_blocks_inline_script_and_the_page_log_shows_it(page: Page, page_log: PageLog) -> None:
    open_docs(page)
    with page.expect_console_message(lambda message: message.type == "error"):
        page.evaluate(
            """() => {
                const script = document.createElement('script');
                script.textContent = 'window.injected = true';
                document.body.append(script);
            }"""
        )
    assert page.evaluate("window.injected") is None
    assert len(page_log.errors) == 1 and "Content Security Policy" in page_log.errors[0]


@pytest.mark.parametrize("executable", ["/nonexistent/chromium", "/bin/false"])
def test_a_browser_that_cannot_start_fails_saying_how_to_install_it(playwright: Playwright, executable: str) -> None:
    with pytest.raises(BrowserMissing, match=r"make deps.*apt-get install chromium"):
        launch_chromium(playwright, executable)
