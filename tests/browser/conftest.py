"""Fixtures of the browser tests: one Chromium and one gunicorn while this package runs, a fresh page
per test that records what went wrong in it (``harness.py`` has the parts)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests import live
from tests.browser.harness import BrowserMissing, PageLog, launch_chromium, open_page


@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Headless Chromium from Debian, for the tests of this package; they fail, never skip, when it is missing."""
    try:
        browser = launch_chromium(playwright)
    except BrowserMissing as error:
        raise pytest.fail.Exception(str(error), pytrace=False) from None
    yield browser
    browser.close()


@pytest.fixture(scope="package")
def live_server() -> Iterator[str]:
    """The base URL of the project's gunicorn configuration on 127.0.0.1."""
    with live.live_server() as server:
        yield server.base


@pytest.fixture
def page_log() -> PageLog:
    """What ``page`` did: console errors, uncaught exceptions, requests."""
    return PageLog()


@pytest.fixture
def page(browser: Browser, live_server: str, page_log: PageLog) -> Iterator[Page]:
    """A page of its own; ``page.goto("/docs")`` opens the live server's /docs."""
    with open_page(browser, live_server, page_log) as page:
        yield page
