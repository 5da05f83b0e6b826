"""The web UI in a real headless Chromium (Playwright as a DevTools driver for Debian's
``chromium``; no browser download), against a ``storybrief serve`` process on a free port:
list → story → citation → the document with its span highlighted; search; a hostile document
cannot run script; pages render non-blank. Ctrl-C (SIGINT) stops the server cleanly.

Skipped without a chromium binary or the ``playwright`` package.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from serve_support import ROOT, build_store
from test_html_browser import CHROMIUM_FLAGS, _chromium

sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (no browser download needed)")

#: ``mark.span:target`` in report.css (``--hit``): the colour of a highlighted cited span.
HIGHLIGHT = "rgb(255, 183, 3)"
START_TIMEOUT_S = 30


def _get_json(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _chromium()  # skip before starting anything when there is no browser
    path = build_store(tmp_path_factory.mktemp("serve"))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "storybrief", "serve", "--db", path, "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.append(process.stdout.readline() if process.stdout else ""))
    reader.start()
    reader.join(START_TIMEOUT_S)
    found = re.search(r"http://127\.0\.0\.1:\d+/", lines[0] if lines else "")
    if found is None:
        process.kill()
        pytest.fail(f"storybrief serve did not start: {lines} {process.stderr.read() if process.stderr else ''}")
    url = found.group(0)
    try:
        yield url
    finally:
        process.send_signal(signal.SIGINT)  # what Ctrl-C sends
        try:
            code = process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
        assert code == 0, process.stderr.read() if process.stderr else ""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS[1:])
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture()
def page(browser: Any, server: str) -> Iterator[Any]:
    # Reduced motion: the stylesheet then jumps to a cited span instead of scrolling smoothly.
    context = browser.new_context(viewport={"width": 1100, "height": 800}, reduced_motion="reduce")
    tab = context.new_page()
    tab.requests = []  # every URL the page asked for
    tab.on("request", lambda request: tab.requests.append(request.url))
    try:
        yield tab
    finally:
        assert all(u.startswith(server) for u in tab.requests), tab.requests  # nothing else fetched
        context.close()


_TARGET = """() => { const el = document.querySelector(':target');
  if (!el) return null;
  const box = el.getBoundingClientRect();
  return {tag: el.tagName, id: el.id, text: el.textContent, top: box.top, bottom: box.bottom,
          height: innerHeight, bg: getComputedStyle(el).backgroundColor,
          flash: el.classList.contains('flash')}; }"""


def _assert_span_shown(page: Any, server: str, doc_id: str, start: int, end: int) -> None:
    page.wait_for_function(f"document.getElementById('c-{start}-{end}') !== null")
    target = page.evaluate(_TARGET)
    text = _get_json(f"{server}api/documents/{doc_id}")["text"]
    assert target is not None and target["tag"] == "MARK" and target["id"] == f"c-{start}-{end}"
    pieces = page.evaluate(
        f"""() => [...document.querySelectorAll('mark[data-span="c-{start}-{end}"]')]
                 .map(el => el.textContent).join('')"""
    )
    assert pieces == text[start:end]
    assert target["top"] >= 0 and target["bottom"] <= target["height"]  # scrolled into view
    assert target["bg"] == HIGHLIGHT and target["flash"]


def test_list_to_story_to_citation_to_highlighted_span(page: Any, server: str) -> None:
    stories = _get_json(f"{server}api/stories")["stories"]
    story = max(stories, key=lambda s: s["size"])
    page.goto(server)
    assert page.title() == "Stories — storybrief"
    page.click(f'a.story-link[href="/stories/{story["id"]}"]')
    page.wait_for_url(f"{server}stories/{story['id']}")
    assert page.locator("#summary li").count() >= 1 and page.locator("#timeline svg").count() == 1
    cite = page.locator("#summary a.cite").first
    href = cite.get_attribute("href")
    found = re.fullmatch(r"/documents/(\w+)\?start=(\d+)&end=(\d+)#c-(\d+)-(\d+)", href or "")
    assert found is not None, href
    cite.click()
    page.wait_for_url(re.compile(r"/documents/"))
    _assert_span_shown(page, server, found.group(1), int(found.group(2)), int(found.group(3)))


def test_a_bare_fragment_link_is_marked_too(page: Any, server: str) -> None:
    hit = _get_json(f"{server}api/search?q=Lavrov")["results"][0]
    page.goto(f"{server}documents/{hit['id']}#c-{hit['start']}-{hit['end']}")
    page.wait_for_url(re.compile(r"\?start=\d+&end=\d+#c-"))  # the script asked the server to mark it
    _assert_span_shown(page, server, hit["id"], hit["start"], hit["end"])


def test_search_from_the_header_box(page: Any, server: str) -> None:
    page.goto(server)
    page.fill("header form.search input[name=q]", "Blinken")
    page.press("header form.search input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=Blinken"))
    assert page.locator(".group").count() >= 1 and page.locator(".snippet mark").count() >= 1
    page.locator("a.hit").first.click()
    page.wait_for_url(re.compile(r"/documents/"))
    target = page.evaluate(_TARGET)
    assert target is not None and target["text"].lower() == "blinken" and target["bg"] == HIGHLIGHT
    page.goto(f"{server}search?q=packed+weekend&comments=1")
    assert page.locator(".snippet.reader mark").count() >= 1


def test_hostile_document_cannot_run_script(page: Any, server: str) -> None:
    hit = _get_json(f"{server}api/search?q=Portwell+ferry+schedule")["results"][0]
    doc = _get_json(f"{server}api/documents/{hit['id']}")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    urls = [f"documents/{doc['id']}", f"documents/{doc['id']}?start=0&end=40", f"stories/{doc['story']}",
            "search?q=ferry", "search?q=packed&comments=1", ""]
    for url in urls:
        page.goto(server + url)
        page.wait_for_load_state("load")
        assert page.evaluate("typeof window.pwned") == "undefined", url
        assert page.evaluate("document.querySelectorAll('img, iframe, [onerror], [onload]').length") == 0
    page.goto(f"{server}documents/{doc['id']}")
    assert "<script>window.pwned='title'</script>" in page.locator("h1").inner_text()  # shown as text
    page.get_by_text("more ferries").first.click()  # the javascript: "link" is text, not a link
    assert page.evaluate("typeof window.pwned") == "undefined" and not dialogs


def test_pages_render_non_blank(page: Any, server: str, tmp_path: Path) -> None:
    stories = _get_json(f"{server}api/stories")["stories"]
    story = max(stories, key=lambda s: s["size"])
    doc = story["documents"][0]["id"]
    page.set_content("<!DOCTYPE html><html><body></body></html>")
    blank = len(page.screenshot())
    # A page of text compresses to several times the bytes of a blank one; the 404 page is
    # only a header and a line (measured: about 4.8x blank; content pages 10x and more).
    pages = {"": 5, f"stories/{story['id']}": 5, f"documents/{doc}": 5, "search?q=Russia": 5, "nope": 3}
    for url, factor in pages.items():
        page.goto(server + url)
        shot = page.screenshot(path=str(tmp_path / "page.png"))
        assert shot[:8] == b"\x89PNG\r\n\x1a\n" and len(shot) > factor * blank, (url, len(shot), blank)
        # Our stylesheet applied (served from the app, allowed by the CSP): the dark header band.
        band = page.evaluate("getComputedStyle(document.querySelector('header.top')).backgroundColor")
        assert band == "rgb(16, 42, 67)", url
