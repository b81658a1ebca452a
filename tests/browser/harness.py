"""The browser harness: Debian's Chromium driven by Playwright, axe-core and screenshots.

Chromium comes from Debian (``make deps`` installs the ``chromium`` package); Playwright's own
browser download is never used, and cannot work without internet. axe-core comes from the npm
registry at the version locked in ``tests/browser/package-lock.json`` (``make browser`` runs
``npm ci``). The fixtures that use this module are in ``tests/browser/conftest.py``.
"""

from __future__ import annotations

import shutil
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, ConsoleMessage, Locator, Page, Playwright
from playwright.sync_api import Error as PlaywrightError

from tests.live import ROOT

HERE = Path(__file__).resolve().parent
AXE_JS = HERE / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root in CI
    "--disable-gpu",
    # Without these Chromium keeps calling Google's hosts, which a machine with no internet refuses.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
INSTALL_HINT = "install it with `make deps` (or `apt-get install chromium`)"
IMPACTS = ("minor", "moderate", "serious", "critical")
"""axe-core's impact levels, least to most severe."""


@dataclass
class PageLog:
    """What a page did while a test used it."""

    errors: list[str] = field(default_factory=list)
    """Console errors (CSP violations and failed loads among them) and uncaught exceptions."""
    requests: list[str] = field(default_factory=list)
    """The URL of every request the page made."""


class BrowserMissing(RuntimeError):
    """Chromium is not installed, or does not start."""


def chromium_path() -> str:
    """Debian's Chromium: the ``chromium`` on ``PATH``, else where the package puts it."""
    return shutil.which("chromium") or "/usr/bin/chromium"


def launch_chromium(playwright: Playwright, executable: str | None = None) -> Browser:
    """Start headless Chromium, or raise :class:`BrowserMissing` saying how to install it.

    :param executable: the browser binary (default: :func:`chromium_path`)
    """
    path = executable or chromium_path()
    if not Path(path).is_file():
        raise BrowserMissing(f"Chromium is not installed (no {path}): {INSTALL_HINT}")
    try:
        return playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True, timeout=30_000)
    except PlaywrightError as error:
        first_line = str(error).splitlines()[0]
        raise BrowserMissing(
            f"Chromium at {path} did not start: {INSTALL_HINT}. Playwright said: {first_line}"
        ) from None


@contextmanager
def open_page(browser: Browser, base_url: str, log: PageLog) -> Iterator[Page]:
    """A page in a new browser context whose relative URLs go to ``base_url``; what it does goes to ``log``."""
    context = browser.new_context(base_url=base_url, viewport={"width": 1280, "height": 900})
    page = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            log.errors.append(f"console: {message.text} ({message.location['url']})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: log.errors.append(f"uncaught: {error}"))
    page.on("request", lambda request: log.requests.append(request.url))
    try:
        yield page
    finally:
        context.close()


def run_axe(page: Page, impacts: Collection[str] = IMPACTS) -> list[str]:
    """Check the page as it is now with axe-core; one line per violation of the given impacts.

    axe is run in the page through the DevTools protocol, so the page's
    Content-Security-Policy (no inline script) does not block it.
    """
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS} is missing: run `make browser` (npm ci in tests/browser)")
    if page.evaluate("typeof window.axe") == "undefined":
        page.evaluate(AXE_JS.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [_describe(v) for v in violations if v["impact"] in impacts]


def _describe(violation: dict[str, Any]) -> str:
    nodes = violation["nodes"]
    first = nodes[0]
    summary = (first.get("failureSummary") or "").replace("\n", " ")
    return (
        f"{violation['id']} ({violation['impact']}): {violation['help']}; {len(nodes)} element(s), "
        f"first {' '.join(map(str, first['target']))}: {summary}"
    )


def screenshot(target: Page | Locator, name: str) -> Path:
    """Save the whole page, or one element of it, as ``build/screenshots/<name>.png``; return the path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if isinstance(target, Page):
        target.screenshot(path=path, full_page=True)
    else:
        target.screenshot(path=path)
    return path
