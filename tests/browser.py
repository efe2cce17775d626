"""Headless Chromium for the browser tests: the fixture and a page opener.

Debian's ``chromium`` is used (or ``$DLBOOK_CHROMIUM``); no browser is
downloaded. ``tests/conftest.py`` launches it once for the session (the
``browser`` fixture); tests open pages with :func:`open_page`.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from benchmarks.audit import find_chromium

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update",
    "--disable-sync",
]


def held_type() -> str:
    """The type that holds a page's scripts and style sheets until it has
    loaded (``conf.py``'s ``html_context``)."""
    import conf

    return conf.html_context["after_load_type"]


def chromium_path() -> str:
    """Debian's Chromium, or the one named by ``$DLBOOK_CHROMIUM``."""
    path = find_chromium()
    if path is None:
        pytest.fail(
            "Chromium was not found, so the site cannot be tested in a "
            "browser. Install Debian's package (as root: apt-get update && "
            "apt-get install -y chromium), or point DLBOOK_CHROMIUM at a "
            "Chromium or Chrome binary. .ci/run installs it."
        )
    return path


class PageProblems:
    """What went wrong while a page loaded: errors and foreign requests."""

    def __init__(self, page, base_url: str):
        self.base = urlsplit(base_url).netloc
        self.console_errors: list[str] = []
        self.failed: list[str] = []
        self.foreign: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda e: self.console_errors.append(str(e)))
        page.on("requestfailed", lambda r: self.failed.append(
            f"{r.url} ({r.failure})"))
        page.on("response", self._response)
        page.on("request", self._request)

    def _console(self, message):
        if message.type == "error":
            self.console_errors.append(f"{message.text} at {message.location}")

    def _response(self, response):
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def _request(self, request):
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != self.base:
            self.foreign.append(request.url)


def open_page(browser, url: str, color_scheme: str = "light"):
    """Open ``url`` with every image loaded; returns the page and its problems.

    ``color_scheme`` is the reader's system preference, which the theme
    follows while its switch is on "auto" (its default): "light" or "dark".
    """
    page = browser.new_page(viewport={"width": 1280, "height": 900},
                            color_scheme=color_scheme)
    problems = PageProblems(page, url)
    page.goto(url, wait_until="networkidle")
    # The style sheets held until the page has loaded are back in place.
    page.wait_for_function(
        "type => !document.querySelector(`link[type=\"${type}\"]`)",
        arg=held_type())
    # Load every image, lazy ones included, before looking at them.
    page.evaluate(
        "document.querySelectorAll('img[loading=lazy]')"
        ".forEach(img => img.loading = 'eager')"
    )
    page.wait_for_function(
        "Array.from(document.images).every(img => img.complete)"
    )
    page.wait_for_load_state("networkidle")
    return page, problems
