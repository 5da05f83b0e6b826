"""The HTML brief in a real headless Chromium: it renders, injected markup never runs, and a
citation link lands on its highlighted ``<mark>``.

Needs the Debian ``chromium`` package (skipped without it). The click test also needs the
``playwright`` Python package, used only as a DevTools driver for that system Chromium: no
``playwright install``, no browser download.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from storybrief.render.html import render_html, span_anchor

FIXTURE = Path(__file__).parent / "data" / "brief_small.json"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
TITLE = "US–Russia talks on Ukraine security — storybrief"


def _chromium() -> str:
    found = os.environ.get("CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if not found:
        pytest.skip("no chromium binary (apt-get install chromium, or set CHROMIUM=/path)")
    return found


@pytest.fixture()
def brief() -> dict[str, Any]:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture()
def page_file(tmp_path: Path, brief: dict[str, Any]) -> Path:
    path = tmp_path / "brief.html"
    path.write_text(render_html(brief), encoding="utf-8")
    return path


def _run(args: list[str], tmp_path: Path) -> str:
    done = subprocess.run(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={tmp_path / 'profile'}", *args],
        capture_output=True, text=True, timeout=60, check=True,
    )
    return done.stdout


def test_page_renders_and_injected_markup_stays_text(page_file: Path, tmp_path: Path, brief: dict[str, Any]) -> None:
    first = brief["summary"][0]["sources"][0]
    anchor = span_anchor(first["document"], first["start"], first["end"])
    dom = _run(["--dump-dom", f"{page_file.as_uri()}#{anchor}"], tmp_path)
    assert f"<title>{TITLE}</title>" in dom  # the injected script would have set it to 'pwned'
    assert "<h1>US–Russia talks on Ukraine security</h1>" in dom
    assert "data-pwned" not in dom and "<img" not in dom
    assert "&lt;script&gt;document.title" in dom
    # Our own script ran (the CSP hash admits it) and lit up the span the fragment points at.
    mark = re.search(rf'<mark class="([^"]*)" id="{anchor}"', dom)
    assert mark is not None and "flash" in mark.group(1).split()


def test_screenshot(page_file: Path, tmp_path: Path) -> None:
    shot = tmp_path / "brief.png"
    _run(["--window-size=1200,1800", f"--screenshot={shot}", page_file.as_uri()], tmp_path)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000  # a blank page is ~5 kB


def test_clicking_a_citation_scrolls_to_its_highlighted_mark(page_file: Path, brief: dict[str, Any]) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (no browser download needed)")
    chromium = _chromium()
    quote = brief["quotes"][2]  # contains "</mark>" and "&"
    span = quote["sources"][0]
    anchor = span_anchor(span["document"], span["start"], span["end"])
    requests: list[str] = []
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=CHROMIUM_FLAGS[1:])
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 800})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(page_file.as_uri())
            assert page.title() == TITLE
            assert page.evaluate("typeof window.pwned") == "undefined"
            page.click(f'a.cite[href="#{anchor}"]')
            page.wait_for_function(f"location.hash === '#{anchor}'")
            page.wait_for_timeout(700)  # smooth scrolling
            target = page.evaluate(
                """() => { const el = document.querySelector(':target');
                           const box = el.getBoundingClientRect();
                           return {tag: el.tagName, id: el.id, text: el.textContent,
                                   top: box.top, bottom: box.bottom, height: innerHeight,
                                   flash: el.classList.contains('flash'),
                                   bg: getComputedStyle(el).backgroundColor}; }"""
            )
        finally:
            browser.close()
    assert target["tag"] == "MARK" and target["id"] == anchor
    assert target["text"] == quote["text"]
    assert target["top"] >= 0 and target["bottom"] <= target["height"]  # scrolled into view
    assert target["flash"] and target["bg"] == "rgb(255, 183, 3)"  # the :target highlight colour
    assert requests == [page_file.as_uri()]  # nothing else was fetched
