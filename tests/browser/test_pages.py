"""The reader pages in headless Chromium against gunicorn: every page type renders with no script error and
nothing from elsewhere, axe-core finds no violation of any impact, a screenshot of each is saved; "Cite"
copies a citation whose permalink scrolls to the quote; the pages work by keyboard alone, and without
script the citation is still there to select."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.harness import PageLog, open_page, run_axe, screenshot

pytestmark = pytest.mark.browser

BRIEF = "sochi-summit-2021"
PAGE_TYPES = {
    "home": "/",
    "brief": f"/briefs/{BRIEF}",
    "versions": f"/briefs/{BRIEF}/versions",
    "version": f"/briefs/{BRIEF}/versions/1",
    "changes": f"/briefs/{BRIEF}/versions/1/changes",
    "actor": "/actors/vladimir-putin",
    "events": "/events",
    "search": "/search?q=border+demarcation",
    "error": "/briefs/no-such-brief",
}
TITLE = "After Sochi: Diplomacy, Demarcation and Azerbaijan’s Post-War Strategy"


def get_json(base: str, path: str) -> dict:  # type: ignore[type-arg]
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as answer:
        return json.load(answer)  # type: ignore[no-any-return]


@pytest.fixture
def citing_page(browser: Browser, live_server: str, page_log: PageLog) -> Iterator[Page]:
    """A page allowed to write and read the clipboard, with a short viewport so that a quote can be out of view."""
    with open_page(browser, live_server, page_log) as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
        page.set_viewport_size({"width": 1024, "height": 600})
        yield page


def quote_in_view(page: Page, quote: str) -> bool:
    """Whether the first occurrence of ``quote`` in the main text (citations aside) is inside the viewport."""
    return bool(
        page.evaluate(
            """quote => {
                const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
                const texts = [];
                while (walker.nextNode()) {
                    const node = walker.currentNode;
                    if (!node.parentElement.closest('details, .meta, blockquote')) texts.push(node);
                }
                const all = texts.map(n => n.data).join('');
                const at = all.indexOf(quote);
                if (at < 0) return false;
                let offset = 0;
                for (const node of texts) {
                    if (offset + node.data.length > at) {
                        const range = document.createRange();
                        range.setStart(node, at - offset);
                        range.setEnd(node, Math.min(node.data.length, at - offset + 1));
                        const box = range.getBoundingClientRect();
                        return box.top >= 0 && box.bottom <= window.innerHeight && window.scrollY > 0;
                    }
                    offset += node.data.length;
                }
                return false;
            }""",
            quote,
        )
    )


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_every_page_type_renders_cleanly_and_passes_axe(
    page: Page, page_log: PageLog, live_server: str, name: str
) -> None:
    response = page.goto(PAGE_TYPES[name])
    assert response is not None and response.status == (404 if name == "error" else 200)
    expect(page.locator("h1")).to_have_count(1)
    shot = screenshot(page, f"page-{name}")
    assert shot.read_bytes().startswith(b"\x89PNG")
    assert run_axe(page) == [], f"axe on {PAGE_TYPES[name]}"
    the_404 = f"the server responded with a status of 404 (NOT FOUND) ({live_server}{PAGE_TYPES['error']})"
    errors = [e for e in page_log.errors if not (name == "error" and the_404 in e)]
    assert errors == [], "no script error, no CSP violation (the JSON-LD block is data, not script)"
    assert [url for url in page_log.requests if not url.startswith(f"{live_server}/")] == []
    assert f"{live_server}/static/reader.css" in page_log.requests
    assert f"{live_server}/static/cite.js" in page_log.requests


def test_at_phone_width_nothing_overflows_and_the_first_hit_is_in_view(browser: Browser, live_server: str) -> None:
    """375 px wide (a small phone): no page scrolls sideways (a table scrolls in its own box), and a search
    shows its first hit on the first screen, before the filters."""
    context = browser.new_context(base_url=live_server, viewport={"width": 375, "height": 740})
    try:
        page = context.new_page()
        long_word = "/search?q=" + "demarcation" * 8  # a pasted word longer than the screen is wide
        for name, path in [*PAGE_TYPES.items(), ("long-word", long_word)]:
            page.goto(path)
            wider = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
            assert wider <= 0, f"{path} scrolls sideways by {wider} px at 375 px"
            if name in ("home", "brief", "versions", "search"):
                screenshot(page, f"page-{name}-375")
        page.goto(PAGE_TYPES["search"])
        first_hit = page.locator(".hits > li").first.bounding_box()
        assert first_hit is not None and first_hit["y"] < 740, "the first hit is on the first screen"
    finally:
        context.close()


def test_on_the_timeline_a_date_stands_above_its_event_not_in_its_title(page: Page) -> None:
    """Beside its title, the date read as part of it ("2020 Second war for ..."): it is a line of its own."""
    page.goto("/events")
    event = page.locator(".timeline > li").first
    date, title = event.locator("h2 time").bounding_box(), event.locator(".event-title").bounding_box()
    assert date is not None and title is not None
    assert date["y"] + date["height"] <= title["y"]


def test_the_block_a_link_points_at_is_marked(page: Page) -> None:
    page.goto(f"/briefs/{BRIEF}#border-demarcation")
    target, other = page.locator("#border-demarcation"), page.locator("#return-to-diplomacy")
    marked = target.evaluate("e => getComputedStyle(e).backgroundColor")
    assert marked != other.evaluate("e => getComputedStyle(e).backgroundColor"), "the reader sees where it landed"


def test_cite_copies_the_quote_title_version_and_an_absolute_permalink(citing_page: Page, live_server: str) -> None:
    page = citing_page
    page.goto(f"/briefs/{BRIEF}")
    block = page.locator("#russia-preempts-eu")
    block.locator("details.cite > summary").first.click()
    expect(page.locator("#cite-status")).to_have_text("Citation copied to the clipboard.")
    copied = page.evaluate("navigator.clipboard.readText()")
    quote, _, rest = copied.partition(" — ")
    assert quote.startswith("“A second significant aspect of the Sochi meeting") and quote.endswith("European Union.”")
    version = get_json(live_server, f"/v1/briefs/{BRIEF}/versions")["items"][-1]
    assert rest.startswith(f"{TITLE}, version 1, {version['committed_at'][:10]}. ")
    link = rest.rsplit(" ", 1)[1]
    assert link.startswith(f"{live_server}/briefs/{BRIEF}/versions/1#russia-preempts-eu:~:text=A%20second")
    expect(block.locator(".citation")).to_be_visible()
    # Closing the control copies nothing: what the reader copied since stays on the clipboard.
    page.evaluate("navigator.clipboard.writeText('something else')")
    block.locator("details.cite > summary").first.click()
    expect(block.locator(".citation")).to_be_hidden()
    assert page.evaluate("navigator.clipboard.readText()") == "something else"


def test_a_mention_permalink_scrolls_to_the_quote(citing_page: Page, live_server: str) -> None:
    page = citing_page
    mentions = get_json(live_server, "/v1/actors/azerbaijan/mentions?per_page=100")["items"]
    mention = mentions[-1]  # the last, far down the brief
    page.goto("/actors/azerbaijan")
    item = page.locator(".mentions > li").last
    item.locator("details.cite > summary").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    permalink = mention["citation"]["html_permalink"]
    assert copied.endswith(f" {live_server}{permalink}")
    item.locator("a.permalink").click()  # a click: browsers follow text fragments on user navigation
    page.wait_for_url(lambda url: urlsplit(url).path == urlsplit(permalink).path)
    page.wait_for_function("window.scrollY > 0")
    quote = mention["citation"]["quote"]
    in_paragraph = quote["prefix"].split("\n")[-1] + quote["exact"] + quote["suffix"].split("\n")[0]
    assert quote_in_view(page, in_paragraph)


def test_a_text_fragment_alone_scrolls_to_a_quote_in_the_middle_of_a_block(citing_page: Page, live_server: str) -> None:
    page = citing_page
    hit = get_json(live_server, "/v1/search?q=peacekeepers")["items"][0]
    permalink = hit["citation"]["html_permalink"]
    path, _, directive = permalink.partition("#")
    # Without the block's anchor, only the text fragment can move the page.
    page.goto(f"{path}#:~:{directive.split(':~:', 1)[1]}")
    page.wait_for_function("window.scrollY > 0")
    assert quote_in_view(page, "peacekeepers to")


def test_keyboard_alone_skips_to_the_content_and_cites(citing_page: Page) -> None:
    page = citing_page
    page.goto(f"/briefs/{BRIEF}")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    assert skip.bounding_box()["y"] >= 0, "the skip link shows when focused"  # type: ignore[index]
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    outlines = []
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            """() => { const e = document.activeElement, s = getComputedStyle(e);
                       return [e.tagName, e.textContent.trim().slice(0, 20), s.outlineStyle, s.outlineWidth]; }"""
        )
        outlines.append(focused)
        if focused[0] == "SUMMARY":
            break
    assert outlines[-1][0] == "SUMMARY", outlines
    assert all(style != "none" and width != "0px" for _, _, style, width in outlines), "focus is always visible"
    page.keyboard.press("Enter")
    expect(page.locator("#cite-status")).to_have_text("Citation copied to the clipboard.")
    assert page.evaluate("navigator.clipboard.readText()").startswith("“First, the meeting between")
    page.keyboard.press("Shift+Tab")
    # The search form works from the keyboard too.
    page.locator("#site-q").focus()
    page.keyboard.type("demarkation")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=demarkation")
    expect(page.get_by_role("link", name="demarcation")).to_be_visible()


def test_without_script_the_citation_is_selectable_text(browser: Browser, live_server: str) -> None:
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(f"/briefs/{BRIEF}")
        block = page.locator("#return-to-diplomacy")
        expect(block.locator(".citation")).to_be_hidden()
        block.locator("details.cite > summary").first.click()
        citation = block.locator(".citation")
        expect(citation).to_be_visible()
        expect(citation).to_contain_text("“First, the meeting between the Armenian and Azerbaijani leaders")
        expect(citation.locator("a.permalink")).to_have_attribute(
            "href",
            f"/briefs/{BRIEF}/versions/1#return-to-diplomacy:~:text=First%2C%20the%20meeting%20between,over%20force%20of%20arms.",
        )
        screenshot(block, "page-brief-cite-without-script")
    finally:
        context.close()
